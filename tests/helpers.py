"""Small helpers shared by the tests: run the CLI and capture its output."""

import json

from verifier.cli import main


def run_cli(capsys, *argv):
    """Run ``verifier ARGV``; return (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rank_json(capsys, *argv):
    """Run ``verifier rank ARGV --json``; return (exit code, parsed JSON)."""
    code, out, err = run_cli(capsys, "rank", *argv, "--json")
    assert err == "", err
    return code, json.loads(out)
