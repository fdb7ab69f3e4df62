"""The command line: exit codes, one-line error messages naming the argument, the prove command."""

import subprocess
import sys

import pytest

from tests.helpers import run_cli

DEEP = ["rank", "--net", "deep", "--N", "8", "--M", "2"]

BAD = [
    (["rank", "--net", "deep", "--N", "6", "--M", "2", "--widths", "2,2"], "Argument 'N' must be a power of 2"),
    (["rank", "--net", "deep", "--N", "0", "--M", "2", "--widths", "2"], "argument --N: must be a positive integer"),
    (["rank", "--net", "deep", "--N", "8", "--M", "-1", "--widths", "2,2,2"], "argument --M: must be a positive"),
    (DEEP + ["--widths", "2,2"], "Argument 'widths' must have log2\\(N\\) = 3 entries for N = 8, got 2"),
    (DEEP + ["--widths", "2,0,1"], "argument --widths: must be comma-separated positive integers"),
    (DEEP + ["--widths", "a,b,c"], "argument --widths: must be comma-separated positive integers"),
    (DEEP, "Argument '--widths' must be given for --net deep"),
    (DEEP + ["--widths", "2,2,2", "--Z", "3"], "Argument '--Z' must not be given for --net deep"),
    (["rank", "--net", "shallow", "--N", "4", "--M", "2"], "Argument '--Z' must be given for --net shallow"),
    (["rank", "--net", "shallow", "--N", "4", "--M", "2", "--Z", "2", "--weights", "witness"],
     "Argument '--weights' must be 'random' for --net shallow"),
    (["rank", "--net", "cnn", "--N", "4", "--M", "2"], "argument --net: invalid choice: 'cnn'"),
    (DEEP + ["--widths", "2,2,2", "--partition", "rows:0,1"], "Argument 'partition' must be 'odd-even'"),
    (DEEP + ["--widths", "2,2,2", "--partition", "middle"], "Argument 'partition' must be .* got 'middle'"),
    (DEEP + ["--widths", "2,2,2", "--partition", "rows:1,1"], "Argument 'partition' must be .* distinct modes"),
    (DEEP + ["--widths", "2,2,2", "--seed", "-3"], "Argument '--seed' must be a non-negative integer, got -3"),
    (DEEP + ["--widths", "2,2,2", "--bound", "0"], "argument --bound: must be a positive integer, got '0'"),
    (DEEP + ["--widths", "2,2,2", "--output", "2"], "Argument '--output' must be in 1..1 \\(--Y\\), got 2"),
    (["rank", "--net", "deep", "--N", "64", "--M", "3", "--widths", "3,3,3,3,3,3"],
     "no route answers \\(structure: no factors; reduced: needs r_0 < M; dense: about 10\\^32 bytes, budget "
     "8589934592; pair-diagonal: D over its entry limit; blocks: 1853020188851841 entries of D; compressed: cores "
     "too large\\)"),
    (DEEP + ["--widths", "2,2,2", "--memory-budget", "1000", "--route", "dense"], "over the memory budget of 1000 bytes"),
    (["frobnicate"], "argument command: invalid choice"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input(capsys, argv, message):
    """Bad input: exit code 2, one line 'verifier: error: ...' naming the argument, no traceback."""
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("verifier: error: ")
    assert "Traceback" not in err
    import re
    assert re.search(message, err), err


def test_human_summary(capsys):
    """Without --json: a short human summary with both bounds and how they were certified."""
    code, out, _ = run_cli(capsys, *DEEP, "--widths", "2,2,2", "--seed", "5")
    assert code == 0
    assert "[A] is 16 x 16: rank = 16" in out and "lower bound 16:" in out and "upper bound 16:" in out
    assert "seed 5" in out


def test_uncertified_rank_exits_1(capsys, monkeypatch):
    """When the bounds do not meet (kernel certificate and exact elimination switched off), the rank is
    not claimed: the summary says NOT certified and the command exits 1."""
    import verifier.rank.routes.base as analysis
    real = analysis.certify_rank
    monkeypatch.setattr(analysis, "certify_rank",
                        lambda *a, **k: real(*a, **{**k, "kernel_limit": 0, "exact_q_limit": 0}))
    code, out, _ = run_cli(capsys, "rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,2",
                           "--bound", "1", "--route", "dense")
    assert code == 1 and "NOT certified" in out and "rank =" not in out


def test_prove(capsys, tmp_path):
    """``verifier prove`` prints PASS lines, exits 0 and writes reports into --out."""
    code, out, err = run_cli(capsys, "prove", "--only", "theorem1", "--out", tmp_path)
    assert code == 0, out + err
    assert "PASS  (a) upper bound" in out and "FAIL" not in out
    assert (tmp_path / "theorem1-1.json").exists() and (tmp_path / "theorem1-1.tex").exists()


def test_python_dash_m():
    """``python -m verifier`` is the same program."""
    res = subprocess.run([sys.executable, "-m", "verifier", "rank", "--net", "deep", "--N", "4", "--M", "2",
                          "--widths", "2,1", "--json"], capture_output=True, text=True, check=False)
    assert res.returncode == 0 and '"rank": 4' in res.stdout


def test_proof_script():
    """``proofs/theorem1.py`` composes the library: PASS lines and exit 0; bad input exits 2."""
    import pathlib
    script = pathlib.Path(__file__).resolve().parent.parent / "proofs" / "theorem1.py"
    res = subprocess.run([sys.executable, str(script), "--N", "4", "--M", "2", "--widths", "2,1"],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0 and "RESULT: PASS" in res.stdout
    res = subprocess.run([sys.executable, str(script), "--N", "4", "--widths", "2"], capture_output=True,
                         text=True, check=False)
    assert res.returncode == 2 and "Argument 'widths'" in res.stderr


def test_weights_file_round_trip(capsys, tmp_path):
    """``verifier weights`` writes what ``--weights-file`` reads; rationals and checks of the architecture."""
    import json
    code, out, _ = run_cli(capsys, "weights", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1",
                           "--seed", "4")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "random" and data["seed"] == 4
    data["weights"]["2,0"] = [["3/7"]]
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    code, out, _ = run_cli(capsys, "rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1",
                           "--weights-file", path, "--json")
    assert code == 0 and json.loads(out)["rank"] == 4 and json.loads(out)["weights"] == "explicit"
    code, _, err = run_cli(capsys, "rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,2",
                           "--weights-file", path)
    assert code == 2 and "Argument '--weights-file' must hold weights of the architecture" in err
    data["weights"]["2,0"] = [[0.5]]
    path.write_text(json.dumps(data))
    code, _, err = run_cli(capsys, "rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1",
                           "--weights-file", path)
    assert code == 2 and "Argument 'weights[2,0]' must be an exact number" in err
    code, _, err = run_cli(capsys, "rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1",
                           "--weights-file", tmp_path / "missing.json")
    assert code == 2 and "Argument '--weights-file' must be a readable JSON file" in err


def test_version(capsys):
    """verifier --version prints the package version (the one setup.cfg declares) and exits 0."""
    import configparser
    import os

    import verifier

    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "setup.cfg"))
    code, out, err = run_cli(capsys, "--version")
    assert code == 0 and out.strip() == f"verifier (convac-verifier) {verifier.__version__}"
    assert cfg["metadata"]["version"] == verifier.__version__
