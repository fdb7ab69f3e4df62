"""Corollary 1, approximation: certified Eckart-Young enclosures (verifier.theorems.approximation) and ``verifier approx``.

Reference values come from independent routes: the closed form sqrt(Z* - Z) of the witness, mpmath's
50-digit SVD (an estimate, used only to cross-check that the certified enclosure is where it should be),
and exact distances ||A - B||_F^2 to explicit shallow nets (Eckart-Young must never be violated).
"""

import json
import math
import re
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import run_cli
from verifier.errors import InvalidArgumentError, SizeLimitError
from verifier.exact.enclosures import Enclosure, sqrt_enclosure
from verifier.exact.tensors import matricize, parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.weights import random_weights, witness_weights
from verifier.theorems.approximation import approximation_bound, check_gram, gram_spectrum, kronecker_spectrum

WITNESS = [  # (N, M, widths): all nonzero singular values of the witness's [A] are 1, rank Z* = min(r_0,M)^(N/2)
    (4, 2, (2, 1)), (8, 2, (2, 1, 1)), (4, 3, (3, 3)), (4, 3, (2, 2)), (8, 2, (4, 1, 1)), (2, 3, (5,)),
]


@pytest.mark.parametrize("N,M,widths", WITNESS)
@pytest.mark.parametrize("route", ["auto", "dense"])
def test_witness_bound_is_exactly_sqrt(N, M, widths, route):
    """The witness: the bound is EXACTLY sqrt(Z* - Z) for Z < Z* (sqrt(M^{N/2} - Z) when r_0 >= M), 0 after,
    through the Kronecker factors (N >= 4) and through the dense Gram matrix alike."""
    w = witness_weights(DeepArch(N=N, M=M, widths=widths))
    z_star = min(widths[0], M) ** (N // 2)
    for Z in sorted({1, z_star // 2 or 1, z_star - 1 or 1, z_star, z_star + 3}):
        b = approximation_bound(w, Z, route=route)
        assert b.rank == z_star and b.route == ("structure" if route == "auto" and N >= 4 else "dense")
        t = max(z_star - Z, 0)
        assert b.tail.lo == b.tail.hi == t
        root = math.isqrt(t)
        assert b.distance.exact == (str(root) if root * root == t else f"sqrt({t})")
        assert b.distance.lo ** 2 <= t <= b.distance.hi ** 2
        assert b.distance.positive == (Z < z_star)


def test_witness_large_n_through_structure():
    """N = 1024: the spectrum is the product of the factors' exact spectra (Lemma K), no M^N entries."""
    w = witness_weights(DeepArch(N=1024, M=3, widths=(3,) * 10))
    b = approximation_bound(w, 10)
    assert b.rank == 3**512 and b.tail.lo == b.tail.hi == 3**512 - 10 and b.route == "structure"


def _mp_tail(matrix, Z, gram=None, N=None):
    """sum_{i>Z} sigma_i^2 by mpmath at 50 digits (an ESTIMATE; only used to cross-check enclosures)."""
    mpmath.mp.dps = 50
    a = mpmath.matrix([[mpmath.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in row]
                       for row in matrix.tolist()])
    s = mpmath.svd_r(a, compute_uv=False)
    vals = sorted((s[i] ** 2 for i in range(len(s))), reverse=True)
    return sum(vals[Z:], mpmath.mpf(0))


@pytest.mark.parametrize("arch,Z", [(DeepArch(N=4, M=2, widths=(2, 1)), 1), (DeepArch(N=4, M=3, widths=(3, 2)), 4),
                                    (DeepArch(N=8, M=2, widths=(2, 2, 2)), 12), (ShallowArch(N=4, M=2, Z=3), 1)])
def test_dense_enclosure_matches_high_precision_svd(arch, Z):
    """The certified enclosure of sum_{i>Z} sigma_i^2 contains mpmath's 50-digit value (up to its own error)."""
    w = random_weights(arch, seed=11, bound=1000)
    b = approximation_bound(w, Z, route="dense")
    est = _mp_tail(matricize(coefficient_tensor(w), parse_partition("odd-even", arch.N)), Z)
    lo, hi = (mpmath.mpf(q.numerator) / q.denominator for q in (b.tail.lo, b.tail.hi))
    slack = mpmath.mpf(10) ** -35 * max(abs(est), 1)
    assert lo - slack <= est <= hi + slack
    assert b.tail.hi - b.tail.lo <= b.tail.hi * Fraction(1, 2**60)  # tight: ~64-bit relative accuracy


@given(seed=st.integers(0, 10**6), Z=st.integers(1, 4))
def test_eckart_young_never_violated(seed, Z):
    """Corollary 1's bound holds against explicit shallow nets: ||A - B||_F^2 >= certified tail (lower end),
    for B the tensor of random unshared AND shared shallow nets with Z channels (exact arithmetic)."""
    deep = random_weights(DeepArch(N=4, M=2, widths=(2, 1)), seed=seed, bound=5)
    a = coefficient_tensor(deep)
    tail = approximation_bound(deep, Z).tail
    for shared in (False, True):
        b = coefficient_tensor(random_weights(ShallowArch(N=4, M=2, Z=Z, shared=shared), seed=seed + 1, bound=5))
        assert sum(int(x) ** 2 for x in (a - b).flat) >= tail.lo


def test_best_rank_z_approximation_attains_the_bound():
    """Eckart-Young is tight for matrices: a diagonal [A] = diag(3, 2, 1, 0) with Z = 1 has tail 2^2 + 1^2 = 5."""
    s = gram_spectrum(np.diag(np.array([3, 2, 1, 0], dtype=object)))
    assert s.rank == 3 and s.tail(1) == Enclosure(Fraction(5), Fraction(5), "5") and s.tail(3).hi == 0


def test_l2_form():
    """The L2 form: identity Gram = Frobenius; F = c I scales sum sigma_i^2 by c^N; I + J is positive."""
    arch = DeepArch(N=4, M=2, widths=(2, 1))
    w = random_weights(arch, seed=2)
    base = approximation_bound(w, 2)
    assert approximation_bound(w, 2, gram=[[1, 0], [0, 1]]).tail == base.tail
    scaled = approximation_bound(w, 2, gram=[[3, 0], [0, 3]], route="dense").tail
    assert scaled.lo <= 81 * base.tail.hi and 81 * base.tail.lo <= scaled.hi
    wit = witness_weights(arch)
    assert approximation_bound(wit, 1, gram=[["1/2", 0], [0, "1/2"]]).tail.lo == Fraction(3, 16)
    assert approximation_bound(w, 3, gram=[[2, 1], [1, 2]]).distance.positive


def test_l2_form_against_explicit_functions():
    """With f_d = indicator functions of disjoint sets of measure m_d, the Gram matrix is diag(m): the L2
    bound must be below the exact L2 distance sum_d (A-B)[d]^2 prod m_{d_i} for every shallow net."""
    deep = random_weights(DeepArch(N=4, M=2, widths=(2, 1)), seed=5, bound=7)
    gram = [[2, 0], [0, 5]]
    tail = approximation_bound(deep, 2, gram=gram).tail
    a = coefficient_tensor(deep)
    for seed in range(5):
        b = coefficient_tensor(random_weights(ShallowArch(N=4, M=2, Z=2), seed=seed, bound=7))
        dist2 = sum(int(x) ** 2 * math.prod(gram[d][d] for d in idx) for idx, x in np.ndenumerate(a - b))
        assert dist2 >= tail.lo


def test_gram_validation():
    """The Gram matrix must be exact, square M x M, symmetric and positive semidefinite (decided exactly)."""
    assert check_gram([[1, 1], [1, 1]], 2).tolist() == [[1, 1], [1, 1]]  # PSD, singular: allowed
    for bad, why in (([[1, 2], [3, 1]], "not symmetric"), ([[1, 2], [2, 1]], "not positive semidefinite"),
                     ([[1, 0]], r"got \[\[1, 0\]\]"), ([[0.5, 0], [0, 1]], "an exact number"),
                     ([[-1, 0], [0, 1]], "not positive semidefinite")):
        with pytest.raises(InvalidArgumentError, match=f"Argument 'gram' must be .*{why}"):  # noqa
            check_gram(bad, 2)


def test_bad_arguments_and_size_limit():
    """Z <= 0 is refused naming Z; a Gram matrix beyond 81 x 81 is refused before any work, with the size."""
    w = random_weights(DeepArch(N=4, M=2, widths=(2, 1)), seed=0)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'Z' must be a positive integer, got 0"):
        approximation_bound(w, 0)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'Z' must be a positive integer, got -1"):
        approximation_bound(w, -1)
    with pytest.raises(SizeLimitError, match=r"256 x 256 .* over the limit of 81 x 81"):
        approximation_bound(random_weights(DeepArch(N=16, M=2, widths=(2,) * 4), seed=0), 3)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'route'"):
        approximation_bound(w, 1, route="structure")  # random weights: no Kronecker factorization


def test_enclosure_rounding_is_outward():
    """Floats and decimals never cut into the enclosure (checked exactly with Fractions)."""
    for q in (Fraction(1, 3), Fraction(2, 3), Fraction(10**40 + 1, 7), Fraction(1, 10**30)):
        e = sqrt_enclosure(Enclosure(q, q, str(q)))
        lo, hi = e.floats()
        assert Fraction(lo) <= e.lo and Fraction(hi) >= e.hi
        assert Fraction(lo) ** 2 <= q <= Fraction(hi) ** 2
        dlo, dhi = e.decimals(15)
        assert Fraction(dlo) <= e.lo and Fraction(dhi) >= e.hi
    assert sqrt_enclosure(Enclosure(Fraction(9, 4), Fraction(9, 4))).exact == "3/2"


def test_float_rendering_of_huge_negative_is_outward():
    """Regression: float(q) overflowing for a huge NEGATIVE q gave +max as the 'lower' float (above q)."""
    for q in (Fraction(-(10**400)), Fraction(10**400), Fraction(-(10**400), 3)):
        lo, hi = Enclosure(q, q).floats()
        assert (lo == -math.inf or Fraction(lo) <= q) and (hi == math.inf or Fraction(hi) >= q)


def test_singular_gram_rank_is_not_reported_as_rank_of_a():
    """Regression: with a singular Gram matrix the spectrum's rank is rank K_I [A] K_J^T <= rank [A];
    it was printed as 'rank [A] = 1' for a matrix of certified rank 4."""
    w = random_weights(DeepArch(N=4, M=2, widths=(2, 1)), seed=3)
    assert approximation_bound(w, 1).rank == 4
    b = approximation_bound(w, 1, gram=[[1, 1], [1, 1]])
    assert b.rank == 1 and not b.rank_is_matrix_rank
    assert "rank [A] = 1" not in str(b) and "rank [A] >= 1" in str(b)
    d = b.to_dict()
    assert d["rank"] is None and d["rank_lower_bound"] == 1
    assert approximation_bound(w, 1, gram=[[2, 1], [1, 2]]).to_dict()["rank"] == 4


def test_kronecker_spectrum_declines_without_structure():
    """Random weights have no factorization into several factors: None (the dense route takes over)."""
    w = random_weights(DeepArch(N=4, M=2, widths=(2, 2)), seed=0)
    assert kronecker_spectrum(w, parse_partition("odd-even", 4)) is None


def test_cli_acceptance_encloses_sqrt6(capsys):
    """verifier approx ... --weights witness --Z 10 --json: lower_bound = [lo, hi] with lo <= sqrt(6) <= hi."""
    code, out, err = run_cli(capsys, "approx", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,1,1",
                             "--weights", "witness", "--Z", "10", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    lo, hi = d["lower_bound"]
    assert Fraction(lo) ** 2 <= 6 <= Fraction(hi) ** 2 and hi - lo < 1e-15
    assert d["Z"] == 10 and d["rank"] == 16 and d["lower_bound_exact"] == "sqrt(6)" and d["realizable_excluded"]
    lo_s, hi_s = d["lower_bound_decimal"]
    assert Fraction(lo_s) ** 2 <= 6 <= Fraction(hi_s) ** 2


def test_cli_text_and_gram(capsys):
    """Human output names the norm; --gram gives the L2 form."""
    code, out, _ = run_cli(capsys, "approx", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--Z", "3",
                           "--gram", "2,1;1,2")
    assert code == 0 and "||h - h_shallow||_L2 >=" in out and "rank [A] = 4" in out


BAD = [
    (["--widths", "2,2,2", "--Z", "0"], r"argument --Z: must be a positive integer, got '0'"),
    (["--widths", "2,2,2", "--Z", "-2"], r"argument --Z: must be a positive integer, got '-2'"),
    (["--widths", "2,2,2", "--Z", "3", "--gram", "1,2;2,1"],
     r"Argument 'gram' must be .*\(not positive semidefinite\)"),
    (["--widths", "2,2,2", "--Z", "3", "--gram", "1,2"],
     r"Argument 'gram' must be a symmetric positive semidefinite 2 x 2"),
    (["--widths", "2,2,2", "--Z", "3", "--partition", "blocks:3"], r"Argument 'partition' must be 'blocks:B'"),
    (["--widths", "2,2", "--Z", "3"], r"Argument 'widths' must have log2\(N\) = 3 entries"),
    (["--widths", "2,2", "--Z", "3", "--Lc", "2"], r"Argument '--Lc' must not be given for --net deep"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_cli_bad_input(capsys, argv, message):
    """Exit 2 with one line naming the argument."""
    code, out, err = run_cli(capsys, "approx", "--net", "deep", "--N", "8", "--M", "2", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("verifier: error: ")
    assert re.search(message, err), err


def test_cli_depth_errors(capsys):
    """--net depth needs --Lc in 1..L-1."""
    base = ["approx", "--net", "depth", "--N", "8", "--M", "2", "--widths", "2,2", "--Z", "2"]
    code, _, err = run_cli(capsys, *base, "--Lc", "3")
    assert code == 2 and "Argument '--Lc' must be an integer in 1..L-1 = 1..2" in err
    code, _, err = run_cli(capsys, *base)
    assert code == 2 and "Argument '--Lc' must be given for --net depth" in err
