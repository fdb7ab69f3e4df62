"""Corollary 1 (realization and approximation) as a report, the proof scripts, and ``verifier prove --out``."""

import math
import os
import subprocess
import sys

import pytest

from tests.helpers import run_cli
from verifier.nets.architectures import DeepArch
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.weights import witness_weights
from verifier.theorems.corollary1 import check_corollary1, corollary1_reports, witness_shallow_weights

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("N,M,widths", [(4, 2, (2, 1)), (8, 2, (2, 1, 1)), (4, 3, (2, 2)), (4, 3, (3, 3))])
def test_corollary1_passes(N, M, widths):
    """Every step passes, none skipped, at small sizes; (d) is exact: sqrt(Z* - Z)."""
    rep = check_corollary1(N, M, widths)
    assert rep.passed and all(s.status == "PASS" for s in rep.steps)
    z_star = min(widths[0], M) ** (N // 2)
    d = next(s for s in rep.steps if s.name.startswith("(d)"))
    root = math.isqrt(z_star - 1)
    assert d.data["exact"][0] == (str(root) if root * root == z_star - 1 else f"sqrt({z_star - 1})")


def test_witness_is_realized_by_z_star_channels():
    """Z* is attained: the explicit shallow net with Z* = r^{N/2} channels has exactly the witness tensor
    (also for r_0 < M and for several outputs)."""
    for arch in (DeepArch(N=4, M=3, widths=(2, 1)), DeepArch(N=8, M=2, widths=(2, 1, 1), Y=2)):
        s = witness_shallow_weights(arch)
        assert s.arch.Z == min(arch.widths[0], arch.M) ** (arch.N // 2)
        for y in range(arch.Y):
            assert (coefficient_tensor(s, y) == coefficient_tensor(witness_weights(arch), y)).all()


def test_default_reports():
    """The reports of 'verifier prove' and proofs/corollary1.py pass; N = 1024 goes through structure only."""
    reps = corollary1_reports()
    assert [r.passed for r in reps] == [True, True, True]
    big = reps[-1]
    assert [s.status for s in big.steps].count("SKIP") == 4 and "2^512" in str(big)


@pytest.mark.parametrize("script,args,code", [("corollary1.py", [], 0), ("theorem2.py", [], 0),
                                              ("theorem2.py", ["--N", "8", "--widths", "2,2,2", "--Lc", "3"], 2),
                                              ("corollary1.py", ["--N", "4", "--M", "2", "--widths", "2,1"], 0)])
def test_proof_scripts(script, args, code):
    """proofs/*.py print PASS/FAIL lines and exit 0 iff everything passes (2 on bad input)."""
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "proofs", script), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env={**os.environ, "PYTHONPATH": ROOT})
    assert proc.returncode == code, proc.stderr
    if code == 0:
        assert "RESULT: PASS" in proc.stdout and "RESULT: FAIL" not in proc.stdout
    else:
        assert "Argument 'L_c' must be an integer in 1..L-1" in proc.stderr


def test_prove_writes_tables(capsys, tmp_path):
    """verifier prove --only corollary1 --only theorem2 --out DIR: reports plus the tables of those checks."""
    code, out, _ = run_cli(capsys, "prove", "--only", "corollary1", "--only", "theorem2", "--out", tmp_path)
    assert code == 0 and "ALL CHECKS PASSED" in out
    names = set(os.listdir(tmp_path))
    for kind in ("params", "approx", "theorem2"):
        assert {f"table-{kind}.{ext}" for ext in ("tex", "md", "csv", "json")} <= names
    assert "table-theorem1.tex" not in names and "theorem2-2.txt" in names
    assert "\\toprule" in (tmp_path / "table-theorem2.tex").read_text(encoding="utf-8")
    assert "PASS  (f) r = min(r_0, M) is wrong" in (tmp_path / "theorem2-2.txt").read_text(encoding="utf-8")
