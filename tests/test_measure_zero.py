"""The exceptional set of Theorem 1: the certificate polynomial, its factors, sampled rates, the adversarial
search, and the ``zero-set`` / ``measure-zero`` commands (issue 3)."""

import functools
import io
import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpz_mat
from helpers import run_cli
from hypothesis import given, settings

from verifier import strategies as vs
from verifier.cli.progress import progress_bar
from verifier.errors import InvalidArgumentError
from verifier.exact.tensors import matricize
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.coefficients import coefficient_tensor
from verifier.theorems.exceptional.measure_zero import SEARCHES, adversarial_search
from verifier.theorems.exceptional.polynomial import (
    certificate_polynomial,
    predicted_determinant,
    weight_symbols,
    weight_vector,
    weights_from_vector,
)
from verifier.theorems.exceptional.sampling import (
    dense_rank,
    exact_vanishing_probability,
    sample_is_deficient,
    sample_rates,
)

PAPER = DeepArch(N=4, M=2, widths=(2, 1))


@functools.lru_cache(maxsize=None)
def paper_cert():
    """The certificate of the paper's small case, computed once."""
    return certificate_polynomial(PAPER)


@pytest.fixture
def cert():
    return paper_cert()


def det2(j):
    """The 2x2 determinant of the filters at 1-based position j, as sympy prints it."""
    return f"a^{{0,{j},1}}_1*a^{{0,{j},2}}_2 - a^{{0,{j},1}}_2*a^{{0,{j},2}}_1"


def test_paper_determinant_factors(cert):
    """Issue 3: det [A] (N=4, M=2, widths 2,1) = (output weight)^4 * (level-1 weights)^2 * (filter dets)^2,
    total degree 28, 9 distinct irreducible factors, not identically zero."""
    expected = {"a^{2,1,1}_1": 4, **{f"a^{{1,{j},1}}_{a}": 2 for j in (1, 2) for a in (1, 2)},
                **{det2(j): 2 for j in (1, 2, 3, 4)}}
    assert (cert.degree, cert.nonzero, cert.maximal, cert.full, cert.constant) == (28, True, True, True, 1)
    assert {f.text: f.multiplicity for f in cert.factors} == expected
    assert [f.meaning for f in cert.factors][-1] == "the 2 filters a^{0,4,*} at position 4 are linearly dependent"
    assert predicted_determinant(PAPER) == cert.polynomial


def test_shared_determinant_factors():
    """With shared weights the same determinant collapses onto 7 weights: c^4 a1^4 a2^4 det(F)^8 (degree 28)."""
    c = certificate_polynomial(DeepArch(N=4, M=2, widths=(2, 1), shared=True))
    assert c.degree == 28 and len(c.symbols) == 7
    assert {f.text: f.multiplicity for f in c.factors} == {
        "a^{2,1,1}_1": 4, "a^{1,1}_1": 4, "a^{1,1}_2": 4, "a^{0,1}_1*a^{0,2}_2 - a^{0,1}_2*a^{0,2}_1": 8}


@pytest.mark.parametrize("arch", [DeepArch(N=2, M=3, widths=(3,)), DeepArch(N=4, M=3, widths=(2, 1)),
                                  ShallowArch(N=4, M=2, Z=3), ShallowArch(N=3, M=2, Z=2, shared=True)],
                         ids=str)
def test_certificate_is_maximal_and_nonzero(arch):
    """Lemma Z's certificate exists: a minor of size = the structural upper bound, nonzero, of degree
    R * (entry degree), whose factors multiply back to it."""
    c = certificate_polynomial(arch)
    entry = 2 * arch.N - 1 if arch.net == "deep" else arch.N + 1
    assert c.nonzero and c.maximal and c.degree == c.size * entry
    assert sum(f.degree * f.multiplicity for f in c.factors) == c.degree


@given(vs.weights(PAPER, bound=3))
def test_polynomial_equals_integer_determinant(w):
    """The factored polynomial evaluated at any integer weights equals det [A] computed from the dense
    tensor (so the symbolic HT recursion, matricization and factorization agree pointwise)."""
    c = paper_cert()
    a = matricize(coefficient_tensor(w), c.partition)
    assert c.value(weight_vector(w)) == int(fmpz_mat(4, 4, [int(x) for x in a.ravel()]).det())


@given(vs.weights(PAPER, bound=2))
def test_polynomial_verdict_equals_certified_rank(w):
    """rank [A] < 4 iff some factor vanishes (the polynomial's verdict equals the dense certified rank)."""
    c = paper_cert()
    assert sample_is_deficient(c, w) == (dense_rank(c, w) < 4)


def test_adversarial_search_finds_only_zeros_of_the_polynomial(cert):
    """Issue 3, adversarial: hypothesis, asked for weights with certified rank [A] < 4, finds them, and every
    weight vector it finds makes the certificate polynomial vanish."""
    found = []

    @settings(max_examples=150)
    @given(vs.weights(PAPER, bound=2))
    def search(w):
        if dense_rank(cert, w) < cert.size:
            found.append(w)
            assert cert.vanishing_factors(weight_vector(w))

    search()
    assert found


def test_shrunk_examples_show_a_zero_weight_and_a_dependent_pair(cert):
    """The shrunk finds: with independent filters a single zero weight; with no zero weight one dependent
    filter pair; with neither, nothing (every factor is a weight or a filter determinant)."""
    examples, missed = adversarial_search(cert)
    by = {e.condition: e for e in examples}
    (zero,) = by[SEARCHES[0]].vanishing          # exactly one factor: a single weight above the filters
    assert zero.meaning.startswith("weight a^{") and not zero.meaning.startswith("weight a^{0,")
    (pair,) = by[SEARCHES[1]].vanishing          # exactly one factor: one dependent filter pair
    assert pair.meaning.startswith("the 2 filters a^{0,") and pair.meaning.endswith("are linearly dependent")
    assert missed == [SEARCHES[2]]
    assert all(e.rank < 4 for e in examples)


def test_exact_probability_by_brute_force():
    """The exact probability equals brute-force counting: over the polynomial's values (N=2, M=2, r_0=2,
    k=1: 3^10 points) and over certified dense ranks (N=2, M=1, r_0=1, k=2: 5^3 points)."""
    c = certificate_polynomial(DeepArch(N=2, M=2, widths=(2,)))
    n = len(weight_symbols(c.arch))
    zeros = sum(c.value(p) == 0 for p in itertools.product(range(-1, 2), repeat=n))
    assert exact_vanishing_probability(c, 1) == Fraction(zeros, 3**n)
    tiny = certificate_polynomial(DeepArch(N=2, M=1, widths=(1,)))
    points = itertools.product(range(-2, 3), repeat=3)
    drops = sum(dense_rank(tiny, weights_from_vector(tiny.arch, p)) < 1 for p in points)
    assert exact_vanishing_probability(tiny, 2) == Fraction(drops, 125) == 1 - Fraction(4, 5) ** 3


def test_zero_set_cli_json(capsys):
    """verifier zero-set --json: degree 28, nonzero true, 9 factors with the issue's multiplicities."""
    code, out, err = run_cli(capsys, "zero-set", "--net", "deep", "--N", 4, "--M", 2, "--widths", "2,1", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["degree"] == 28 and data["nonzero"] is True and len(data["factors"]) == 9
    assert sorted(f["multiplicity"] for f in data["factors"]) == [2] * 8 + [4]
    assert {"factor": det2(3), "multiplicity": 2} in data["factors"]
    code, out, _ = run_cli(capsys, "zero-set", "--net", "deep", "--N", 4, "--M", 2, "--widths", "2,1")
    assert code == 0 and "9 distinct irreducible factor(s)" in out and "total degree 28" in out


def test_measure_zero_cli_json_acceptance(capsys):
    """verifier measure-zero (issue 3 acceptance): rows stay under sz_bound (exact), and the rate at the
    largest k is below the rate at the smallest; rationals are exact "num/den" strings."""
    code, out, err = run_cli(capsys, "measure-zero", "--net", "deep", "--N", 4, "--M", 2, "--widths", "2,1",
                             "--bounds", "1,2,4,8,16,32", "--samples", 2000, "--seed", 0, "--json")
    rows = json.loads(out)
    assert code == 0 and err == ""
    assert [r["bound"] for r in rows] == [1, 2, 4, 8, 16, 32]
    for r in rows:
        assert {"bound", "samples", "deficient", "rate", "sz_bound"} <= set(r)
        assert Fraction(r["rate"]) == Fraction(r["deficient"], r["samples"]) <= Fraction(r["sz_bound"])
        assert Fraction(r["sz_bound"]) == Fraction(28, 2 * r["bound"] + 1)
    assert Fraction(rows[-1]["rate"]) < Fraction(rows[0]["rate"])
    assert [r["deficient"] for r in rows] == [1961, 1738, 1196, 695, 373, 162]


def test_rates_fall_and_match_exact_probability(cert):
    """Rates fall with k and agree with the exact probability within 5 sigma (checked in exact rationals)."""
    rows = sample_rates(cert, [1, 8, 64], 300, seed=7, cross_check=300)
    assert rows[0].rate > rows[1].rate > rows[2].rate
    for r in rows:
        n, p = r.samples, r.exact
        assert r.within_bound and (r.deficient - n * p) ** 2 <= 25 * n * p * (1 - p)


def test_progress_bar_only_on_a_terminal(monkeypatch):
    """The progress bar (tqdm) draws on a terminal and stays silent otherwise, and in CI."""
    pytest.importorskip("tqdm")

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty, plain = Tty(), io.StringIO()
    for stream in (tty, plain):
        with progress_bar(10, "sampling", stream=stream) as bar:
            bar.to(5, 10)
            bar.to(10, 10)
    assert tty.getvalue().startswith("\rsampling:") and "/10" in tty.getvalue()
    assert plain.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    ci = Tty()
    with progress_bar(10, "sampling", stream=ci) as bar:
        bar.to(10, 10)
    assert ci.getvalue() == ""


@pytest.mark.parametrize("argv,message", [
    (["measure-zero", "--bounds", "0,2"], "argument --bounds: must be comma-separated positive integers"),
    (["measure-zero", "--bounds", "x"], "argument --bounds: must be comma-separated positive integers"),
    (["measure-zero", "--samples", "0"], "argument --samples: must be a positive integer, got '0'"),
    (["measure-zero", "--seed", "-1"], "Argument '--seed' must be a non-negative integer, got -1."),
    (["measure-zero", "--cross-check", "-1"], "Argument '--cross-check' must be a non-negative integer"),
    (["zero-set", "--N", "8", "--widths", "2,1,1", "--form", "minor"],
     "Argument 'N' must be at most 4 for the symbolic route"),
    (["zero-set", "--M", "3", "--widths", "3,1", "--form", "minor"],
     "Argument 'widths' must give a maximal minor of size at most 4"),
    (["zero-set", "--M", "5", "--widths", "2,1", "--form", "minor"], "Argument 'M' must be at most 4 for the symbolic"),
    (["measure-zero", "--N", "8", "--widths", "2,1,1", "--form", "minor"], "Argument 'N' must be at most 4"),
    (["zero-set", "--N", "8", "--widths", "3,1,1"], "Argument 'widths' must be widths with r_0 <= M = 2"),
    (["measure-zero", "--N", "8", "--widths", "2,1,1", "--partition", "low-high"], "Argument 'partition' must be"),
])
def test_invalid_arguments_exit_2_with_one_line(capsys, argv, message):
    """Bad input exits 2 with one line `verifier: error: ...` naming the argument."""
    base = {"--net": "deep", "--N": "4", "--M": "2", "--widths": "2,1"}
    given_flags = {argv[i] for i in range(1, len(argv), 2)}
    extra = [x for k, v in base.items() if k not in given_flags for x in (k, v)]
    code, out, err = run_cli(capsys, *argv, *extra)
    assert code == 2 and out == ""
    assert err.startswith("verifier: error: ") and err.count("\n") == 1 and message in err


def test_invalid_arguments_in_the_library(cert):
    """The library names its arguments too."""
    with pytest.raises(InvalidArgumentError, match=r"Argument 'bounds' must be a nonempty list of positive"):
        sample_rates(cert, [4, -1], 10)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'bounds' must be a nonempty list"):
        sample_rates(cert, [], 10)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'samples' must be a positive integer, got 0\."):
        sample_rates(cert, [4], 0)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'Z' must give a maximal minor of size at most 4"):
        certificate_polynomial(ShallowArch(N=4, M=3, Z=5))
    with pytest.raises(InvalidArgumentError, match=r"Argument 'output' must be an output index in 0\.\.0"):
        certificate_polynomial(PAPER, output=1)


def test_witness_point_is_off_the_zero_set(cert):
    """The Theorem 1 witness is a point where the polynomial is nonzero (rank 4)."""
    from verifier.nets.weights import witness_weights

    w = witness_weights(PAPER)
    assert cert.value(weight_vector(w)) != 0 and not cert.vanishing_factors(weight_vector(w))
    assert np.array_equal(weight_vector(w)[:4], (1, 0, 0, 1))
