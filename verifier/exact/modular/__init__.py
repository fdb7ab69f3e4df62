"""Exact rank of an integer matrix modulo a prime, at BLAS speed.

This module computes the rank of an integer matrix over the finite field GF(p) with the technique of
FFLAS-FFPACK: residues modulo ``p`` are stored as *exact integers in float64*, the bulk of the work is
done by the floating-point matrix product of the installed BLAS (``numpy.matmul``), and the results are
brought back to residues by a *delayed* modular reduction, performed once per block product instead of
once per multiply-add.

Exactness argument
------------------
Every working entry is kept in the centred range ``[-h, h]`` with ``h = p // 2``. A product of a
``rows x k`` by a ``k x cols`` block of such entries, subtracted from an entry of the same range, is an
integer bounded by ``h + k*h**2``; each partial sum the BLAS forms, in whatever order and with or without
fused multiply-adds, is an integer bounded by that sum of absolute values. Every integer of magnitude at
most ``2**53`` is a float64, so while ``h + k*h**2 <= 2**52`` each floating-point operation of the product
is exact, and the inner dimension ``k`` is cut into chunks of at most ``floor((2**52 - h) / h**2)`` terms
(:func:`inner_chunk`; 256 for the default prime), with a reduction after each chunk. (The classic
statement "with entries in ``[0, p)`` a dot product of ``k`` terms is exact when ``k*(p-1)**2 < 2**53``"
is the same argument for the uncentred range; centring buys a factor of four. The argument assumes the
usual ``O(k)``-term dot products of a BLAS ``dgemm``, as OpenBLAS, MKL, BLIS and Accelerate compute them,
not a Strassen-like product.)

The reduction of an integer-valued float ``C`` is ``C - p*rint(C*(1/p))``. If ``|C| <= 2**50``, the
computed quotient ``rint(fl(C*fl(1/p)))`` is the exactly rounded ``C/p``: the two roundings have a
relative error of at most ``2**-52 * (1 + 2**-54)``, so an absolute error of at most
``(1 + 2**-54) / (4p) < 1/(2p)``, while ``C/p`` lies at distance at least ``1/(2p)`` from every
half-integer when ``p`` is odd; ``q*p`` and ``C - q*p`` are then exact, and the result is the centred
residue. If only ``|C| <= 2**52``, the quotient may be off by one and the result is within ``h + 1`` of
zero; a second reduction (now with ``|C| <= 2**50``) makes it exact. This second pass plays the role of
the usual "if r < 0 add p, if r >= p subtract p" fix-up after a ``floor`` quotient. For ``p = 2`` the
quotient ``C/2`` is computed without error and the residues are ``-1, 0, 1``, in which 0 still stands for
the zero class alone. Pivots are only ever tested for being zero on fully reduced entries, so a wrong
rank would need a wrong residue, which the bounds above exclude.

Algorithm
---------
The rank is read off a *row rank profile*: for an ``m x n`` matrix ``A``, a set ``R`` of independent rows
spanning the row space, and the matrix ``M`` with ``A[N] = M @ A[R]`` for the other rows ``N``.
The column-recursive elimination (after Toledo's recursive LU, in the rank-revealing form of
Jeannerod, Pernet and Storjohann) splits the columns in halves ``[L | Q]``:

1. profile the left half, ``(R1, N1, M1)``;
2. form the Schur complement ``S = Q[N1] - M1 @ Q[R1]`` (one big matrix product);
3. profile ``S``, ``(R2, N2, M2)``; the rank is ``|R1| + |R2|``, and, if the caller needs it,
   ``M = [M1[N2] - M2 @ M1[R2] | M2]`` (another big product).

Row-rank-deficient halves are handled naturally (``R1`` is simply shorter), so the method is exact for
every input, including zero columns, duplicate rows and singular leading blocks. Panels of at most
``_block`` columns are profiled by scanning their rows in chunks of doubling size, projecting each chunk
on the pivots found so far (two small matrix products) and running a small exact int64 elimination on
the residual; the multipliers of the remaining rows then come from one more product with the inverse of
the pivot block. Small matrices skip all of this and use a direct fraction-free elimination (pure
Python ints for tiny ones, int64 numpy up to 32 x 32, centred float64 up to 9216 entries), which is
what keeps them within a small factor of python-flint, whose cost there is mostly its conversion.

Meaning of the result
---------------------
For an integer matrix, the rank modulo ``p`` is at most its rank over the rationals (a minor that is
non-zero mod p is a non-zero integer), and equal to it unless ``p`` divides every ``r x r`` minor,
``r`` being the rank over Q. The result of :func:`modular_rank` is therefore a certified LOWER bound
for the rank over Q, never an upper bound; with the large default prime it is equal to it except for
rare, structured inputs.

Examples
--------
>>> import numpy as np
>>> from verifier.exact.modular import modular_rank
>>> modular_rank(np.array([[1, 2], [2, 4]]))
1
>>> modular_rank(np.array([[1, 2], [3, 4]]))  # determinant -2
2
>>> modular_rank(np.array([[1, 2], [3, 4]]), p=2)  # a lower bound: p divides the determinant
1
"""

from __future__ import annotations

import operator

from .field import (
    _BLOCK_BYTES,
    _DEFAULT_BLOCK,
    _INT64_SIDE,
    _SMALL_ELEMENTS,
    _TINY_ELEMENTS,
    DEFAULT_MEMORY_BUDGET,
    DEFAULT_PRIME,
    MAX_PRIME,
    MemoryBudgetError,
    _check_budget,
    _check_matrix,
    _check_prime,
    _Field,
    _object_as_ints,
    _residues_int64,
    _to_centred,
    inner_chunk,
)
from .profile import _rank_dense
from .small import _rank_float, _rank_int64, _rank_lists

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "DEFAULT_PRIME",
    "MAX_PRIME",
    "MemoryBudgetError",
    "inner_chunk",
    "modular_rank",
]


def _needed_bytes(m: int, n: int) -> int:
    """Working memory of the dense path, in bytes.

    The float64 copy of the matrix, plus the Schur complements, pivot-row copies and multipliers of
    the recursion (measured peak: under one more ``m x n`` float64 array), plus the cache-sized
    temporaries of the block products.
    """
    return 18 * m * n + min(16 * m * n, 2 * _BLOCK_BYTES)


# ---------------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------------


def modular_rank(matrix, p: int | None = None, *, memory_budget: int | None = None,
                 _block: int | None = None, _kmax: int | None = None) -> int:
    """Rank of an integer matrix modulo a prime, computed exactly at BLAS speed.

    Parameters
    ----------
    matrix : numpy.ndarray
        A 2-D array of any integer dtype (``int8`` ... ``int64``, ``uint8`` ... ``uint64``; ``bool`` is
        read as 0/1) or of dtype ``object`` holding Python ints (arbitrarily large, negative allowed)
        or numpy integer scalars. Nested lists of ints are converted with ``numpy.asarray``. Floats are
        never accepted.
    p : int, optional
        The modulus, a prime below :data:`MAX_PRIME` (``2**26``). Defaults to :data:`DEFAULT_PRIME`.
    memory_budget : int, optional
        Bytes of working memory the computation may use (default :data:`DEFAULT_MEMORY_BUDGET`). The
        dense path needs about two ``m x n`` float64 arrays; the need is checked before allocating.

    Returns
    -------
    int
        The rank of ``matrix`` over GF(p). For an integer matrix this is a lower bound for its rank
        over the rationals, never an upper bound.

    Raises
    ------
    InvalidArgumentError
        (a ``ValueError``) If ``matrix`` is not a 2-D integer array (or holds non-integer objects), or ``p`` is not a prime
        below ``2**26``, or ``memory_budget`` is not a non-negative integer.
    MemoryBudgetError
        If the dense elimination would need more than ``memory_budget`` bytes.

    Notes
    -----
    Matrices of at most 100 entries are eliminated with Python ints, those up to 32 x 32 with int64
    numpy, those of at most 9216 entries with float64 numpy, one pivot column per step; larger ones
    take the column-recursive path of the module docstring, whose cost for a full-rank ``n x n``
    matrix is about ``2*n**3/3`` floating-point operations in block products (a third of one
    ``n x n`` matmul) plus a few numpy calls per column. The BLAS is used as numpy is configured; on
    a machine whose cores are busy, a multi-threaded OpenBLAS can lose much time synchronising its
    threads, and ``OPENBLAS_NUM_THREADS=1`` in the environment avoids it.

    ``_block`` (leaf panel width, forces the recursive path even for small matrices) and ``_kmax``
    (largest inner dimension of a product between two reductions; capped by :func:`inner_chunk`) are
    private knobs for testing.

    Examples
    --------
    >>> import numpy as np
    >>> from verifier.exact.modular import modular_rank
    >>> modular_rank(np.arange(12).reshape(3, 4))
    2
    >>> modular_rank(np.array([[1, 1], [1, 3]]), p=2)
    1
    >>> modular_rank(np.array([[2**100, -1], [1, 0]], dtype=object), p=7)
    2
    >>> modular_rank(np.zeros((0, 5), dtype=np.int64))
    0
    >>> modular_rank(np.ones((2, 2)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'matrix' must be a 2-D array of integers (...); floats are never accepted, got dtype float64
    """
    p = DEFAULT_PRIME if p is None else _check_prime(p)
    A = _check_matrix(matrix)
    budget = DEFAULT_MEMORY_BUDGET if memory_budget is None else _check_budget(memory_budget)
    m, n = A.shape
    if m == 0 or n == 0:
        if A.dtype.kind == "O":
            _object_as_ints(A)
        return 0
    size = m * n
    if _block is None:
        if size <= _TINY_ELEMENTS:
            if A.dtype.kind == "O":
                A = _object_as_ints(A)
            return _rank_lists(A.tolist(), p)
        if size <= _SMALL_ELEMENTS:
            if 24 * size > budget:
                _raise_budget(m, n, 24 * size, budget)
            R = _residues_int64(A, p)
            if max(m, n) <= _INT64_SIDE:
                return _rank_int64(R, p)
            return _rank_float(R, _Field(p))
        block = _DEFAULT_BLOCK
    else:
        block = max(1, operator.index(_block))
    needed = _needed_bytes(m, n)
    if needed > budget:
        _raise_budget(m, n, needed, budget)
    F = _Field(p, _kmax)
    W = _to_centred(A, F)
    return _rank_dense(W, F, block)


def _raise_budget(m: int, n: int, needed: int, budget: int):
    raise MemoryBudgetError(
        f"modular_rank needs about {needed / 2**20:.1f} MiB of working memory for a {m} x {n} matrix "
        f"(about two dense float64 copies), above the memory budget of {budget / 2**20:.1f} MiB "
        f"(memory_budget={budget}); raise memory_budget, or use the structured route (exploit the "
        f"Kronecker/block structure of the matrix) instead of a dense elimination"
    )
