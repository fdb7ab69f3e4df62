"""Tests of verifier.exact.modular: exact rank over GF(p) at BLAS speed.

Every rank is checked against python-flint's ``nmod_mat`` and/or sympy's ``DomainMatrix`` over
``GF(p)``, on every code path (tiny pure-Python, int64, unblocked float64, and the column-recursive
dense path with tiny leaves and tiny product chunks forced through the private ``_block``/``_kmax``
knobs, so that the recursion, the chunked leaves and the delayed reductions all run on small inputs).
"""

from __future__ import annotations

import fractions
import tracemalloc

import flint
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.polys.domains import GF
from sympy.polys.matrices import DomainMatrix

from verifier.exact import modular
from verifier.exact.modular import (
    DEFAULT_MEMORY_BUDGET,
    DEFAULT_PRIME,
    MAX_PRIME,
    MemoryBudgetError,
    inner_chunk,
    modular_rank,
)

BIG_PRIME = 67108859  # largest prime below 2**26: product chunks of only 4 terms, two-pass reductions
PRIMES = [2, 3, 5, 65521, DEFAULT_PRIME, BIG_PRIME]
# (leaf width, product chunk): None = automatic path choice; small values force the recursion and the
# chunked delayed reduction on small matrices.
PATHS = [(None, None), (1, None), (2, 1), (3, 2), (5, None), (8, 3)]


def flint_rank(A, p: int) -> int:
    """Reference: python-flint nmod_mat over GF(p) (entries reduced as Python ints first)."""
    A = np.asarray(A, dtype=object)
    m, n = A.shape
    if m == 0 or n == 0:
        return 0
    return flint.nmod_mat(m, n, [int(x) % p for x in A.ravel()], p).rank()


def sympy_rank(A, p: int) -> int:
    """Reference: sympy DomainMatrix over GF(p)."""
    A = np.asarray(A, dtype=object)
    m, n = A.shape
    if m == 0 or n == 0:
        return 0
    K = GF(p)
    return DomainMatrix([[K(int(x) % p) for x in row] for row in A], (m, n), K).rank()


def all_paths(A, p: int | None = None) -> set:
    """The ranks computed by every code path (should be a single value)."""
    return {modular_rank(A, p, _block=b, _kmax=k) for b, k in PATHS}


def kron_power(B, k: int):
    R = np.array([[1]], dtype=np.int64)
    for _ in range(k):
        R = np.kron(R, np.asarray(B, dtype=np.int64))
    return R


# --------------------------------------------------------------------------------------------------
# Constants and the reduction lemma
# --------------------------------------------------------------------------------------------------


def test_constants():
    assert DEFAULT_PRIME == sympy.prevprime(2**23)
    assert sympy.isprime(DEFAULT_PRIME)
    assert MAX_PRIME == 2**26
    assert DEFAULT_MEMORY_BUDGET == 8 * 2**30
    assert issubclass(MemoryBudgetError, MemoryError)


@pytest.mark.parametrize("p", PRIMES)
def test_inner_chunk_is_the_exactness_bound(p):
    h = p // 2
    k = inner_chunk(p)
    assert k >= 4
    assert h + k * h * h <= 2**52 < h + (k + 1) * h * h


@pytest.mark.parametrize("p", PRIMES + [7, 1048573])
def test_reduce_is_exact_at_the_bounds(p):
    """C - p*rint(C/p) (one pass up to 2**50, two passes up to 2**52) gives the centred residue."""
    F = modular._Field(p)
    rng = np.random.default_rng(p)
    h = p // 2
    for bound in (2**50, 2**52):
        vals = [0, 1, -1, h, -h, h + 1, -h - 1, p, -p, bound, -bound, bound - 1, -bound + 1,
                bound - h, -bound + h, (bound // p) * p, -(bound // p) * p, (bound // p) * p + h,
                (bound // p) * p - h, (bound // p) * p + h + 1]
        vals += [int(x) for x in rng.integers(-bound, bound, 2000, dtype=np.int64)]
        # values just around odd multiples of p/2, where a rounded quotient could tip over
        for q in rng.integers(-(bound // p) + 2, bound // p - 2, 200, dtype=np.int64):
            base = int(q) * p
            vals += [base + h, base - h, base + h + 1, base - h - 1]
        vals = [v for v in vals if abs(v) <= bound]
        C = np.array(vals, dtype=np.float64)
        assert all(int(c) == v for c, v in zip(C, vals))  # exact floats
        F.reduce(C, bound)
        got = [int(c) for c in C]
        for v, r in zip(vals, got):
            assert (v - r) % p == 0 and abs(r) <= h, (p, v, r)


@pytest.mark.parametrize("p", [DEFAULT_PRIME, BIG_PRIME, 2, 3])
def test_block_product_exact_with_extreme_entries(p):
    """Entries all +-h and inner dimensions above the chunk size: C - A @ B is still exact."""
    F = modular._Field(p)
    h = p // 2
    rng = np.random.default_rng(1)
    k = min(3 * F.kmax + 5, 600)
    A = rng.choice([-h, h], size=(7, k)).astype(np.float64)
    B = rng.choice([-h, h], size=(k, 5)).astype(np.float64)
    C = rng.choice([-h, 0, h], size=(7, 5)).astype(np.float64)
    expect = [[(int(C[i, j]) - sum(int(A[i, t]) * int(B[t, j]) for t in range(k))) % p for j in range(5)]
              for i in range(7)]
    F.update(C, A, B)
    assert np.abs(C).max() <= h
    assert [[int(x) % p for x in row] for row in C] == expect
    P = F.matmul(A, B)
    assert [[int(x) % p for x in row] for row in P] == [
        [sum(int(A[i, t]) * int(B[t, j]) for t in range(k)) % p for j in range(5)] for i in range(7)]


def test_int64_eliminations_with_frequent_delayed_reductions(monkeypatch):
    """The small int64 eliminations reduce every few updates when the headroom is made tiny."""
    rng = np.random.default_rng(12)
    cases = [rng.integers(-(2**40), 2**40, (70, 50)), rng.integers(-3, 4, (64, 5)) @ rng.integers(-3, 4, (5, 40))]
    for p in (DEFAULT_PRIME, BIG_PRIME):
        refs = [flint_rank(A, p) for A in cases]
        monkeypatch.setattr(modular.small, "_INT64_HEADROOM", 3 * p * p)
        assert [all_paths(A, p) for A in cases] == [{r} for r in refs]
        monkeypatch.setattr(modular.small, "_INT64_HEADROOM", 1)
        assert [all_paths(A, p) for A in cases] == [{r} for r in refs]
        monkeypatch.undo()


# --------------------------------------------------------------------------------------------------
# Agreement with python-flint and sympy on seeded inputs
# --------------------------------------------------------------------------------------------------

SHAPES = [(1, 1), (1, 9), (9, 1), (2, 2), (3, 5), (5, 3), (7, 7), (10, 10), (11, 13), (16, 16), (24, 24),
          (20, 40), (40, 20), (33, 33), (64, 64), (97, 97), (100, 30), (30, 100), (130, 130)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("p", [2, 3, DEFAULT_PRIME, BIG_PRIME])
def test_random_matches_flint(shape, p):
    rng = np.random.default_rng(hash((shape, p)) % 2**32)
    A = rng.integers(-(2**40), 2**40, shape)
    assert all_paths(A, p) == {flint_rank(A, p)}


@pytest.mark.parametrize("n", [1, 5, 12, 40])
@pytest.mark.parametrize("p", [3, 65521, DEFAULT_PRIME])
def test_random_matches_sympy(n, p):
    rng = np.random.default_rng(n * 1000 + p % 1000)
    A = rng.integers(-50, 50, (n, n + 3))
    B = rng.integers(0, 3, (n, n)) % 3 if p == 3 else A
    for M in (A, B):
        assert all_paths(M, p) == {sympy_rank(M, p)}


@pytest.mark.parametrize("n,k", [(8, 0), (8, 3), (30, 1), (30, 17), (60, 59), (90, 45), (150, 70), (257, 200)])
def test_rank_deficient_products(n, k):
    rng = np.random.default_rng(n + k)
    A = rng.integers(-9, 10, (n, k)) @ rng.integers(-9, 10, (k, n)) if k else np.zeros((n, n), np.int64)
    ref = flint_rank(A, DEFAULT_PRIME)
    assert ref <= k
    assert all_paths(A) == {ref}
    tall = np.vstack([A, A[: n // 2]])
    wide = np.hstack([A, -A[:, : n // 3]])
    assert all_paths(tall) == {ref}
    assert all_paths(wide) == {ref}


def test_larger_dense_matches_flint():
    rng = np.random.default_rng(7)
    A = rng.integers(-1000, 1000, (300, 300))
    assert modular_rank(A) == flint_rank(A, DEFAULT_PRIME) == 300
    L = rng.integers(-5, 5, (500, 140)) @ rng.integers(-5, 5, (140, 260))
    assert modular_rank(L) == modular_rank(L, _block=8) == flint_rank(L, DEFAULT_PRIME) == 140
    # inner dimensions above the chunk size of the largest prime: many reductions per product
    B = rng.integers(-(2**30), 2**30, (120, 110))
    assert modular_rank(B, BIG_PRIME, _block=4) == flint_rank(B, BIG_PRIME)


# --------------------------------------------------------------------------------------------------
# Structured inputs
# --------------------------------------------------------------------------------------------------


def test_kronecker_power_full_rank():
    K = kron_power([[1, 2], [3, 7]], 8)  # determinant 1: unimodular, rank 256 modulo every prime
    assert K.shape == (256, 256)
    assert modular_rank(K) == 256
    assert modular_rank(K, 2) == 256
    assert modular_rank(K, _block=4) == 256
    assert modular_rank(K, BIG_PRIME, _block=16, _kmax=2) == 256


def test_kronecker_ranks_multiply():
    rng = np.random.default_rng(3)
    A = rng.integers(-3, 4, (6, 2)) @ rng.integers(-3, 4, (2, 7))  # rank <= 2
    B = rng.integers(-3, 4, (5, 3)) @ rng.integers(-3, 4, (3, 4))  # rank <= 3
    K = np.kron(A, B)
    ra, rb = flint_rank(A, DEFAULT_PRIME), flint_rank(B, DEFAULT_PRIME)
    assert all_paths(K) == {ra * rb} == {flint_rank(K, DEFAULT_PRIME)}
    assert modular_rank(kron_power([[1, 2], [2, 4]], 7)) == 1
    assert modular_rank(kron_power([[1, 1], [1, 1]], 9)) == 1
    assert modular_rank(kron_power([[1, 1, 0], [0, 1, 1], [1, 2, 1]], 5)) == 2**5


def test_kronecker_rank_depends_on_p():
    K = kron_power([[2, 1], [1, 3]], 6)  # determinant 5**6 over Z
    assert modular_rank(K) == 64
    assert modular_rank(K, 5) == flint_rank(K, 5) < 64


@pytest.mark.parametrize("p", [5, 101, DEFAULT_PRIME])
def test_vandermonde_big_integers(p):
    # entries x**j as exact Python ints (up to ~2**200): object arrays; rank = number of distinct
    # nodes mod p, capped by the number of columns
    nodes = [3, 10, 3 + p, 12345, -7, 2**40 + 1, 0, 10 + 5 * p, 99, 100]
    cols = 30
    V = np.array([[x**j for j in range(cols)] for x in nodes], dtype=object)
    distinct = len({x % p for x in nodes})
    assert all_paths(V, p) == {min(distinct, cols)} == {sympy_rank(V, p)}
    assert all_paths(V.T.copy(), p) == {min(distinct, cols)}


def test_lower_bound_for_the_rank_over_q():
    A = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 10 + 7 * 11]])
    rank_q = sympy.Matrix(A.tolist()).rank()
    assert rank_q == 3
    det = int(round(np.linalg.det(A)))
    for p in [2, 3, 5, 7, 11, 13, DEFAULT_PRIME]:
        r = modular_rank(A, p)
        assert r <= rank_q
        assert (r < rank_q) == (det % p == 0)


# --------------------------------------------------------------------------------------------------
# Adversarial inputs
# --------------------------------------------------------------------------------------------------


def _adversarial(p: int, n: int = 37):
    rng = np.random.default_rng(p % 1000 + n)
    R = rng.integers(-9, 10, (n, n))
    yield "all p-1", np.full((n, n), p - 1, dtype=np.int64)
    yield "all p", np.full((n, n), p, dtype=np.int64)
    yield "p-1 and 1 mixed", rng.choice(np.array([p - 1, 1, 0, p, -1], dtype=np.int64), (n, n))
    yield "zero", np.zeros((n, n), dtype=np.int64)
    Z = R.copy()
    Z[:, :20] = 0
    yield "zero leading columns", Z
    Z = R.copy()
    Z[:25] = 0
    yield "zero leading rows", Z
    Z = R.copy()
    Z[:18, :18] = 0
    yield "zero leading block", Z
    Z = R.copy()
    Z[:, 5:] = 0
    Z[:, -1] = 1
    yield "zero middle columns", Z
    yield "duplicate rows", np.repeat(R[:9], 4, axis=0)
    yield "duplicate columns", np.repeat(R[:, :9], 4, axis=1)
    yield "anti-identity", np.eye(n, dtype=np.int64)[::-1].copy()
    yield "permutation", np.eye(n, dtype=np.int64)[rng.permutation(n)]
    yield "lower ones", np.tril(np.ones((n, n), dtype=np.int64))
    yield "upper ones", np.triu(np.ones((n, n), dtype=np.int64))
    yield "all ones", np.ones((n, n), dtype=np.int64)
    yield "multiples of p plus rank-1", p * R + np.outer(R[0], R[1])
    yield "single nonzero at the end", np.pad(np.array([[3]]), ((n - 1, 0), (n - 1, 0)))
    # pivots scattered one per row chunk of the leaves (chunks double: 16, 32, 64 rows ...)
    S = np.zeros((200, 8), dtype=np.int64)
    for j, i in enumerate([0, 17, 40, 90, 150, 170, 199, 198]):
        S[i, j] = 1 + j
        S[i:, j] += 2  # non-pivot rows below, in the span of earlier chunks or not
    yield "scattered pivots", S
    yield "scattered pivots transposed", S.T.copy()


@pytest.mark.parametrize("p", [2, 3, DEFAULT_PRIME, BIG_PRIME])
def test_adversarial_matches_flint(p):
    for name, A in _adversarial(p):
        assert all_paths(A, p) == {flint_rank(A, p)}, name


def test_one_row_one_column_and_empty():
    for A in (np.array([[0, 0, 0, 5]]), np.array([[0], [0], [7]]), np.array([[0, 0, 0]]), np.array([[0]])):
        assert all_paths(A) == {flint_rank(A, DEFAULT_PRIME)}
    long_row = np.zeros((1, 5000), dtype=np.int64)
    long_row[0, -1] = 1
    assert modular_rank(long_row) == 1 and modular_rank(long_row.T) == 1
    assert modular_rank(np.zeros((1, 5000), dtype=np.int64)) == 0
    for shape in [(0, 0), (0, 5), (5, 0)]:
        for dtype in (np.int64, object, np.uint8):
            assert modular_rank(np.zeros(shape, dtype=dtype)) == 0
            assert modular_rank(np.zeros(shape, dtype=dtype), _block=2) == 0


def test_tall_matrix_with_singular_top_block():
    rng = np.random.default_rng(11)
    A = rng.integers(-9, 10, (300, 60))
    A[:60] = A[:1]  # top square block has rank 1, the whole matrix rank 60
    assert modular_rank(A) == modular_rank(A, _block=4) == flint_rank(A, DEFAULT_PRIME) == 60
    A[60:] = 0
    assert modular_rank(A) == 1


def test_p_divides_everything():
    rng = np.random.default_rng(5)
    A = rng.integers(-100, 100, (50, 50)) * 7
    assert all_paths(A, 7) == {0}
    A[10, 20] += 1
    assert all_paths(A, 7) == {1}


# --------------------------------------------------------------------------------------------------
# Input types
# --------------------------------------------------------------------------------------------------

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("shape", [(4, 4), (12, 9), (40, 40), (120, 100)])
def test_integer_dtypes_with_extreme_values(dtype, shape):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(shape[0] + info.bits)
    extremes = np.array([info.min, info.max, info.min + 1, info.max - 1, 0, 1], dtype=dtype)
    A = rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)
    k = min(A.size, 3 * len(extremes))
    A.reshape(-1)[:k] = np.tile(extremes, 3)[:k]
    objs = np.array([[int(x) for x in row] for row in A], dtype=object)
    for p in (2, 3, DEFAULT_PRIME, BIG_PRIME):
        ref = flint_rank(objs, p)
        assert all_paths(A, p) == {ref}, (dtype, p)
        assert modular_rank(objs, p) == ref
        # a rank-1 matrix built from the extremes: every entry a product of exact residues
        R1 = np.outer(extremes.astype(object), extremes.astype(object))
        assert modular_rank(R1, p) == flint_rank(R1, p)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_dtype_all_entries_at_the_extremes(dtype):
    info = np.iinfo(dtype)
    for v in (info.min, info.max):
        A = np.full((30, 30), v, dtype=dtype)
        expect = 0 if int(v) % DEFAULT_PRIME == 0 else 1
        assert all_paths(A) == {expect}


def test_int64_extremes_and_large_values():
    A = np.array([[-(2**63), 2**63 - 1], [2**62, -(2**62)]], dtype=np.int64)
    assert modular_rank(A) == flint_rank(A, DEFAULT_PRIME)
    rng = np.random.default_rng(9)
    B = rng.integers(-(2**63), 2**63 - 1, (50, 50), dtype=np.int64, endpoint=True)
    B[::2] = B[1::2] * 3  # rank <= 25, entries beyond 2**53 (wrap-around makes it a new matrix)
    ref = flint_rank(B, DEFAULT_PRIME)
    assert all_paths(B) == {ref}
    U = rng.integers(0, 2**64 - 1, (60, 45), dtype=np.uint64, endpoint=True)
    assert all_paths(U, BIG_PRIME) == {flint_rank(U, BIG_PRIME)}


def test_bool_matrix():
    rng = np.random.default_rng(2)
    A = rng.integers(0, 2, (50, 50)).astype(bool)
    assert all_paths(A, 2) == {flint_rank(A.astype(np.int64), 2)}
    assert modular_rank(np.array([[True, False], [False, True]])) == 2


def test_object_arrays_of_huge_and_negative_ints():
    rng = np.random.default_rng(4)
    n = 45
    base = rng.integers(-5, 6, (n, 12)) @ rng.integers(-5, 6, (12, n))
    # add multiples of p of wildly different sizes: the residues, hence the rank, stay the same
    A = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            A[i, j] = int(base[i, j]) + DEFAULT_PRIME * (-1) ** (i + j) * 2 ** (10 * ((i * j) % 23))
    ref = flint_rank(base, DEFAULT_PRIME)
    assert all_paths(A) == {ref} == {sympy_rank(A, DEFAULT_PRIME)}
    huge = np.array([[2**200, -(2**300)], [3**150, -(5**90)]], dtype=object)
    assert modular_rank(huge, 101) == flint_rank(huge, 101)
    assert modular_rank(np.array([[-1, -2], [-2, -4]], dtype=object)) == 1


def test_object_arrays_of_numpy_and_sympy_integers():
    A = np.array([[np.int8(3), np.uint64(2**64 - 1)], [sympy.Integer(6), True]], dtype=object)
    ref = flint_rank(np.array([[3, 2**64 - 1], [6, 1]], dtype=object), DEFAULT_PRIME)
    assert all_paths(A) == {ref}


def test_lists_are_accepted():
    assert modular_rank([[1, 2], [2, 4]]) == 1
    assert modular_rank([[2**80, 1], [1, 0]]) == 2
    assert modular_rank([[1, 2, 3]]) == 1
    assert modular_rank(np.ma.masked_array(np.eye(3, dtype=np.int64))) == 3  # ndarray subclass


def test_noncontiguous_views():
    rng = np.random.default_rng(6)
    A = rng.integers(-50, 50, (90, 120))
    for V in (A[::2, ::3], A.T, A[5:70, 10:100][::-1], np.asfortranarray(A)):
        assert all_paths(V) == {flint_rank(V, DEFAULT_PRIME)}


# --------------------------------------------------------------------------------------------------
# Bad inputs
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.ones((2, 2)), np.ones((2, 2), dtype=np.float32), np.ones((3, 3), np.float16),
                                 np.ones((2, 2), dtype=complex), np.array([["a", "b"]]), [[1.5, 2]],
                                 np.array([[1, 2]], dtype="datetime64[s]")])
def test_rejects_non_integer_dtypes(bad):
    with pytest.raises(ValueError, match=r"Argument 'matrix' must be a 2-D array of integers.*got"):
        modular_rank(bad)


@pytest.mark.parametrize("bad", [np.arange(5), np.zeros((2, 2, 2), dtype=np.int64), np.int64(3)])
def test_rejects_wrong_dimension(bad):
    with pytest.raises(ValueError, match=r"Argument 'matrix' must be a 2-D array of integers, got \d-D"):
        modular_rank(bad)


def test_rejects_ragged_lists():
    with pytest.raises(ValueError, match=r"Argument 'matrix' must be a 2-D array of integers.*got list"):
        modular_rank([[1, 2], [3]])


@pytest.mark.parametrize("entry,name", [(1.0, "float"), (fractions.Fraction(1, 2), "Fraction"),
                                        (np.float64(2), "float64"), (None, "NoneType"), ("3", "str"),
                                        (sympy.Rational(1, 3), "Half|Rational"), (2j, "complex")])
def test_rejects_object_arrays_with_non_integers(entry, name):
    for shape in [(2, 2), (30, 30)]:
        A = np.ones(shape, dtype=object)
        A[-1, -1] = entry
        expected = rf"Argument 'matrix' must hold only integers.*got an entry of type ({name})"
        with pytest.raises(ValueError, match=expected):
            modular_rank(A)
        with pytest.raises(ValueError, match="Argument 'matrix'"):
            modular_rank(A, _block=3)


def test_floats_holding_integers_are_still_rejected():
    with pytest.raises(ValueError, match="floats are never accepted, got dtype float64"):
        modular_rank(np.eye(3))
    with pytest.raises(ValueError, match="got an entry of type float"):
        modular_rank(np.array([[1, 2.0]], dtype=object))


@pytest.mark.parametrize("p", [12, 1, 0, -7, 4, 2**26 + 15, 2**31 - 1, 10**18 + 9])
def test_rejects_bad_primes(p):
    with pytest.raises(ValueError, match=rf"Argument 'p' must be a prime below 2\^26 \(67108864\).*got {p}$"):
        modular_rank(np.eye(2, dtype=np.int64), p)


@pytest.mark.parametrize("p", [7.0, "7", True, fractions.Fraction(7)])
def test_rejects_non_integer_primes(p):
    with pytest.raises(ValueError, match=r"Argument 'p' must be a prime below 2\^26.*got"):
        modular_rank(np.eye(2, dtype=np.int64), p)


def test_accepts_numpy_integer_prime():
    assert modular_rank(np.eye(3, dtype=np.int64), np.int64(7)) == 3
    with pytest.raises(ValueError, match="Argument 'p'.*got 9"):
        inner_chunk(9)


@pytest.mark.parametrize("budget", [-1, 1.5, "big"])
def test_rejects_bad_memory_budget(budget):
    expected = r"Argument 'memory_budget' must be a non-negative integer number of bytes, got"
    with pytest.raises(ValueError, match=expected):
        modular_rank(np.eye(2, dtype=np.int64), memory_budget=budget)


def test_memory_budget_error():
    A = np.eye(300, dtype=np.int64)
    with pytest.raises(MemoryBudgetError, match=r"needs about \d+\.\d MiB .*300 x 300.*budget of 0\.1 MiB.*structured"):
        modular_rank(A, memory_budget=100_000)
    with pytest.raises(MemoryError):
        modular_rank(np.eye(50, dtype=np.int64), memory_budget=1000)
    assert modular_rank(A, memory_budget=10 * 2**20) == 300


def test_memory_peak_is_about_two_copies():
    rng = np.random.default_rng(8)
    n = 700
    for A in (rng.integers(-100, 100, (n, n)), rng.integers(-3, 3, (n, 30)) @ rng.integers(-3, 3, (30, n))):
        tracemalloc.start()
        try:
            modular_rank(A)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak <= modular._needed_bytes(n, n)
        assert peak <= 2.2 * 8 * n * n


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

SMALL_PRIMES = st.sampled_from([2, 3, 5, 7, 65521, DEFAULT_PRIME, BIG_PRIME])


@st.composite
def matrices(draw, max_side=40):
    m = draw(st.integers(0, max_side))
    n = draw(st.integers(0, max_side))
    p = draw(SMALL_PRIMES)
    kind = draw(st.sampled_from(["small", "residues", "lowrank", "sparse", "big"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if kind == "small":
        A = rng.integers(-3, 4, (m, n))
    elif kind == "residues":
        A = rng.choice(np.array([0, 1, p - 1, p, p + 1, -1, -p, p // 2, p // 2 + 1], dtype=np.int64), (m, n))
    elif kind == "lowrank":
        k = draw(st.integers(0, 6))
        A = rng.integers(-4, 5, (m, k)) @ rng.integers(-4, 5, (k, n))
    elif kind == "sparse":
        A = rng.integers(1, 5, (m, n)) * (rng.random((m, n)) < 0.08)
    else:
        A = rng.integers(-(2**62), 2**62, (m, n))
    return A, p


@settings(deadline=None, max_examples=40)
@given(matrices(), st.sampled_from([1, 2, 3, 4, 7, 16]), st.sampled_from([None, 1, 2, 5]))
def test_property_matches_flint_on_every_path(data, block, kmax):
    A, p = data
    ref = flint_rank(A, p)
    assert modular_rank(A, p, _block=block, _kmax=kmax) == ref
    assert modular_rank(A, p) == ref


@settings(deadline=None, max_examples=25)
@given(matrices(max_side=25), st.sampled_from([1, 3, 8]))
def test_property_rank_invariants(data, block):
    A, p = data
    r = modular_rank(A, p, _block=block)
    assert r == modular_rank(A.T, p, _block=block)
    assert r <= min(A.shape)
    if A.size:
        assert modular_rank(np.vstack([A, 2 * A[::-1]]), p, _block=block) == r
        assert modular_rank(np.hstack([A, A + p * np.ones_like(A)]), p, _block=block) == r
        stacked = np.block([[A, np.zeros_like(A)], [np.zeros_like(A), A]])
        assert modular_rank(stacked, p, _block=block) == 2 * r


@settings(deadline=None, max_examples=15)
@given(matrices(max_side=12))
def test_property_matches_sympy(data):
    A, p = data
    assert modular_rank(A, p) == sympy_rank(A, p)
