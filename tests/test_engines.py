"""One test suite run against every rank engine, plus differential tests between engines and the
certification layer (kernel certificates, exact elimination, bounds that never lie)."""

import random
from fractions import Fraction

import numpy as np
import pytest

from verifier.exact.certify import Bound, certify_matrix_rank, certify_rank, kernel_certificate
from verifier.exact.engines import ENGINES, get_engine

P = 1000003


def int_matrix(rows, cols, rank, seed, lo=-20, hi=20):
    """A random integer matrix of the given rank (product of rows x rank and rank x cols)."""
    rng = random.Random(seed)
    a = np.array([[rng.randint(lo, hi) for _ in range(rank)] for _ in range(rows)], dtype=object)
    b = np.array([[rng.randint(lo, hi) for _ in range(cols)] for _ in range(rank)], dtype=object)
    return a.dot(b) if rank else np.zeros((rows, cols), dtype=object)


# (name, matrix, rank over Q, rank mod P)
CASES = [
    ("identity", np.eye(5, dtype=np.int64).astype(object), 5, 5),
    ("zero", np.zeros((3, 4), dtype=object), 0, 0),
    ("row", np.array([[0, 0, 3]], dtype=object), 1, 1),
    ("column", np.array([[0], [2], [0]], dtype=object), 1, 1),
    ("p-multiple", np.array([[P, 2 * P], [1, 1]], dtype=object), 2, 1),
    ("huge entries", np.array([[10**40, 1], [10**40 + 1, 1]], dtype=object), 2, 2),
    ("negative", np.array([[-1, 2], [2, -4]], dtype=object), 1, 1),
    ("deficient 12x9", int_matrix(12, 9, 4, seed=1), 4, 4),
    ("deficient 9x12", int_matrix(9, 12, 7, seed=2), 7, 7),
    ("full 10x10", int_matrix(10, 10, 10, seed=3), 10, 10),
    ("int64 dtype", np.arange(12, dtype=np.int64).reshape(3, 4), 2, 2),
]


@pytest.fixture(params=sorted(ENGINES))
def engine(request):
    return get_engine(request.param)


@pytest.mark.parametrize("name,matrix,rank_q,rank_p", CASES, ids=[c[0] for c in CASES])
def test_rank_mod_p(engine, name, matrix, rank_q, rank_p):
    """rank mod p of each case (rank mod p <= rank over Q)."""
    assert engine.rank_mod_p(matrix, P) == rank_p <= rank_q


@pytest.mark.parametrize("name,matrix,rank_q,rank_p", CASES, ids=[c[0] for c in CASES])
def test_rank_over_q(engine, name, matrix, rank_q, rank_p):
    """Exact rank over Q of each case."""
    assert engine.rank_over_q(matrix.astype(object)) == rank_q


def test_pivots(engine):
    """Pivot columns of the reduced row echelon form mod p."""
    a = np.array([[0, 1, 2, 0], [0, 2, 4, 1]], dtype=object)
    assert engine.pivots_mod_p(a, P) == (1, 3)


def test_solve(engine):
    """Exact solution of B X = C with a common denominator."""
    b = np.array([[2, 0], [0, 3]], dtype=object)
    c = np.array([[1], [1]], dtype=object)
    x, den = engine.solve_over_q(b, c)
    assert [Fraction(int(v), den) for v in x.ravel()] == [Fraction(1, 2), Fraction(1, 3)]


@pytest.mark.parametrize("name,matrix,rank_q,rank_p", CASES, ids=[c[0] for c in CASES])
def test_certified_rank(engine, name, matrix, rank_q, rank_p):
    """certify_matrix_rank always encloses the true rank and certifies it on these small cases."""
    c = certify_matrix_rank(matrix.astype(object), engine=engine)
    assert c.lower.value <= rank_q <= c.upper.value
    assert c.certified and c.rank == rank_q


def test_kernel_certificate_detects_bad_prime(engine):
    """When p divides a minor, the kernel from mod-p pivots fails the exact check (returns None)."""
    a = np.array([[P, 0], [0, 1]], dtype=object)
    assert kernel_certificate(a, P, engine) is None
    c = certify_rank(a.shape, exact=lambda: a, primes=[P], engine=engine)
    assert c.certified and c.rank == 2


def test_bounds_never_lie():
    """A wrong upper bound below a certified lower bound is an error, never a certified rank."""
    from verifier.errors import VerifierError
    a = np.eye(3, dtype=np.int64).astype(object)
    with pytest.raises(VerifierError, match="lower bound 3 .* exceeds upper bound 2 \\(bogus\\)"):
        certify_rank((3, 3), exact=lambda: a, upper_bounds=[Bound(2, "bogus")])


@pytest.mark.parametrize("seed", range(5))
def test_differential(seed):
    """Every engine agrees on rank mod p and over Q of random rank-deficient matrices."""
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 15), rng.randint(1, 15)
    m = int_matrix(rows, cols, rng.randint(0, min(rows, cols)), seed, lo=-3, hi=3)
    for p in (2, 3, P):
        assert len({get_engine(e).rank_mod_p(m, p) for e in ENGINES}) == 1
    assert len({get_engine(e).rank_over_q(m) for e in ENGINES}) == 1


def test_fraction_matrix():
    """Rational entries are cleared of denominators row by row before modular ranks."""
    m = np.array([[Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 2), 1]], dtype=object)
    assert certify_matrix_rank(m).rank == 1


def test_float_matrix_refused():
    """A float entry is refused: no float may decide a rank."""
    from verifier.errors import InvalidArgumentError
    with pytest.raises(InvalidArgumentError, match="Argument 'matrix' must be an exact number"):
        certify_matrix_rank(np.array([[0.5, 1]], dtype=object))
