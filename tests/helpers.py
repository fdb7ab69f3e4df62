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


def edited(weights, **changes):
    """New explicit weights: a writable copy of ``weights``' matrices, ``changes['n_l_j'](matrix)`` applied to
    node ``(l, j)``'s copy (validated weights are read-only, issue 17: a change makes a new value)."""
    import numpy as np

    from verifier.nets.weights import Weights

    arrays = {v: np.array(weights[v]) for v in weights.arch.tree.postorder()}
    for key, change in changes.items():
        _, level, j = key.split("_")
        change(arrays[(int(level), int(j))])
    return Weights(weights.arch, arrays, "explicit")
