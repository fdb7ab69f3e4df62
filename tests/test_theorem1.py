"""Theorem 1 (COLT 2016) checked as a report, at several sizes, shared and unshared."""

import json

import pytest

from verifier.theorems.theorem1 import check_theorem1


@pytest.mark.parametrize("N,M,widths", [(4, 2, (2, 1)), (8, 3, (3, 3, 3)), (8, 2, (3, 1, 2)), (16, 2, (2, 1, 1, 1)),
                                        (4, 4, (2, 3))])
def test_theorem1_passes(N, M, widths):
    """Every step passes at these sizes, with no step skipped."""
    rep = check_theorem1(N=N, M=M, widths=widths, seed=1)
    assert rep.passed and rep.counts()["SKIP"] == 0, str(rep)


def test_theorem1_large_n_uses_structure():
    """N = 1024: only the structural steps run (dense ones are SKIP), and they pass."""
    rep = check_theorem1(N=1024, M=3, widths=(2,) * 10)
    assert rep.passed
    assert rep.steps[1].data["rank"] == 2**512


def test_theorem1_degree_and_sz():
    """Step (f) states the degree R(2N-1) and the exact Schwartz-Zippel fraction."""
    rep = check_theorem1(N=4, M=2, widths=(2, 1), bound=10)
    f = rep.steps[-1]
    assert f.data == {"degree": 28, "schwartz_zippel": [4, 3]}  # 28/21, reduced
    assert "vacuous" in f.detail


def test_renderings():
    """The report renders to text, JSON, Markdown and LaTeX."""
    rep = check_theorem1(N=4, M=2, widths=(2, 1))
    assert str(rep).splitlines()[-1] == "RESULT: PASS (8 passed, 0 failed, 0 skipped)"
    assert json.loads(rep.to_json())["passed"] is True
    assert rep.to_markdown().count("| PASS |") == 8
    assert "\\toprule" in rep.to_latex()


def test_theorem1_fails_when_it_should():
    """A narrow weight range that hits the exceptional set makes step (c) FAIL, not a false PASS."""
    rep = check_theorem1(N=4, M=2, widths=(2, 1), bound=1, seed=0)
    statuses = {s.name: s.status for s in rep.steps}
    assert statuses["(a) upper bound"] == "PASS" and statuses["(b) witness, structure"] == "PASS"
    # with weights in {-1, 0, 1} some random step is rank-deficient for this seed
    assert "FAIL" in statuses.values() and not rep.passed
