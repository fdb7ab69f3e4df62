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
>>> from verifier.modular import modular_rank
>>> modular_rank(np.array([[1, 2], [2, 4]]))
1
>>> modular_rank(np.array([[1, 2], [3, 4]]))  # determinant -2
2
>>> modular_rank(np.array([[1, 2], [3, 4]]), p=2)  # a lower bound: p divides the determinant
1
"""

from __future__ import annotations

import functools
import operator

import numpy as np

from .errors import InvalidArgumentError, SizeLimitError

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "DEFAULT_PRIME",
    "MAX_PRIME",
    "MemoryBudgetError",
    "inner_chunk",
    "modular_rank",
]

#: Default modulus: the largest prime below ``2**23``. With centred residues (``|x| <= 4194296``) a
#: block product is exact in float64 for inner dimensions up to 256 (see :func:`inner_chunk`), which
#: keeps BLAS blocks large while giving a failure probability of order ``1/p`` for generic inputs.
DEFAULT_PRIME = 8388593

#: Exclusive upper bound on the modulus: a single product term ``h**2`` with ``h = p // 2`` must stay
#: far enough below ``2**52`` for a chunk of at least 4 terms (``p < 2**26`` gives ``h**2 < 2**50``).
MAX_PRIME = 2**26

#: Default memory budget of :func:`modular_rank`, in bytes (8 GiB).
DEFAULT_MEMORY_BUDGET = 8 * 2**30

_TWO50 = 2**50
_TWO52 = 2**52
_INT64_HEADROOM = 2**62  # int64 eliminations reduce before accumulated updates could pass this
_TINY_ELEMENTS = 100  # pure-Python elimination up to this many entries
_INT64_SIDE = 32  # int64 numpy elimination up to this side length
_SMALL_ELEMENTS = 96 * 96  # float64 unblocked elimination up to this many entries
_DEFAULT_BLOCK = 32  # width of the panels at the leaves of the column recursion
_BLOCK_BYTES = 2**23  # target size of the row blocks of a product (fits in the L3 cache)


class MemoryBudgetError(SizeLimitError):
    """The dense elimination would need more working memory than the allowed budget.

    Raised by :func:`modular_rank` before anything large is allocated; the message gives the size
    needed and the budget.

    Examples
    --------
    >>> import numpy as np
    >>> from verifier.modular import MemoryBudgetError, modular_rank
    >>> try:
    ...     modular_rank(np.eye(100, dtype=np.int64), memory_budget=1000)
    ... except MemoryBudgetError as exc:
    ...     print(str(exc).split(" for ")[0])
    modular_rank needs about 0.3 MiB of working memory
    """


# ---------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------


def _is_prime(n: int) -> bool:
    """Deterministic primality by trial division (``n < 2**26``, so at most ~1000 divisions)."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


@functools.lru_cache(maxsize=128)
def _checked_prime(p: int) -> int:
    if not (2 <= p < MAX_PRIME and _is_prime(p)):
        raise InvalidArgumentError(
            f"Argument 'p' must be a prime below 2^26 ({MAX_PRIME}) so that float64 block products "
            f"are exact, got {p}"
        )
    return p


def _check_prime(p) -> int:
    if isinstance(p, (bool, np.bool_)) or not hasattr(type(p), "__index__"):
        raise InvalidArgumentError(
            f"Argument 'p' must be a prime below 2^26 ({MAX_PRIME}) so that float64 block products "
            f"are exact, got {p!r}"
        )
    return _checked_prime(operator.index(p))


def _check_budget(memory_budget) -> int:
    if isinstance(memory_budget, (bool, np.bool_)) or not hasattr(type(memory_budget), "__index__"):
        raise InvalidArgumentError(
            f"Argument 'memory_budget' must be a non-negative integer number of bytes, got {memory_budget!r}"
        )
    budget = operator.index(memory_budget)
    if budget < 0:
        raise InvalidArgumentError(
            f"Argument 'memory_budget' must be a non-negative integer number of bytes, got {memory_budget!r}"
        )
    return budget


def _check_matrix(matrix) -> np.ndarray:
    if type(matrix) is np.ndarray:  # fast path for the common case
        A = matrix
    else:
        if isinstance(matrix, np.ndarray):
            A = np.asarray(matrix)
        else:
            try:
                A = np.asarray(matrix)
            except (ValueError, TypeError, OverflowError) as exc:
                raise InvalidArgumentError(
                    "Argument 'matrix' must be a 2-D array of integers (integer dtype or object dtype "
                    f"holding Python ints), got {type(matrix).__name__} that numpy cannot convert ({exc})"
                ) from None
    kind = A.dtype.kind
    if kind not in "iubO":
        raise InvalidArgumentError(
            "Argument 'matrix' must be a 2-D array of integers (integer dtype or object dtype holding "
            f"Python ints); floats are never accepted, got dtype {A.dtype}"
        )
    if A.ndim != 2:
        raise InvalidArgumentError(f"Argument 'matrix' must be a 2-D array of integers, got {A.ndim}-D array of shape {A.shape}")
    return A


_INT_TYPES = (int, np.integer, np.bool_)


def _object_as_ints(A: np.ndarray) -> np.ndarray:
    """Validate an object array; return an object array of plain Python ints (a copy if needed)."""
    flat = A.ravel()
    plain = True
    for t in set(map(type, flat)):
        if issubclass(t, int):
            continue
        if issubclass(t, _INT_TYPES) or (hasattr(t, "__index__") and not issubclass(t, (float, complex))):
            plain = False
            continue
        raise InvalidArgumentError(
            "Argument 'matrix' must hold only integers (Python ints or numpy integer scalars), "
            f"got an entry of type {t.__name__}"
        )
    if plain:
        return A
    ints = [int(x) if isinstance(x, np.bool_) else operator.index(x) for x in flat]
    out = np.empty(len(ints), dtype=object)
    out[:] = ints
    return out.reshape(A.shape)


# ---------------------------------------------------------------------------------------------------
# Arithmetic in GF(p) on float64 blocks
# ---------------------------------------------------------------------------------------------------


def inner_chunk(p: int) -> int:
    """Largest inner dimension of a block product that is exact in float64 for the prime ``p``.

    With centred residues ``|x| <= h = p // 2``, the value ``c - sum_k a_k*b_k`` is bounded by
    ``h + k*h**2``; the product is exact (and can be reduced exactly) while this is ``<= 2**52``.

    Parameters
    ----------
    p : int
        A prime below :data:`MAX_PRIME`.

    Returns
    -------
    int
        ``floor((2**52 - h) / h**2)``, at least 4.

    Examples
    --------
    >>> from verifier.modular import DEFAULT_PRIME, inner_chunk
    >>> inner_chunk(DEFAULT_PRIME)
    256
    >>> inner_chunk(1048573)
    16384
    """
    h = _checked_prime(operator.index(p)) // 2
    return (_TWO52 - h) // (h * h)


class _Field:
    """GF(p) arithmetic on float64 arrays of centred residues (see the module docstring)."""

    __slots__ = ("p", "pf", "inv", "h", "kmax")

    def __init__(self, p: int, kmax: int | None = None):
        self.p = p
        self.pf = float(p)
        self.inv = 1.0 / p
        self.h = h = p // 2
        ksafe = (_TWO52 - h) // (h * h)
        self.kmax = ksafe if kmax is None else max(1, min(int(kmax), ksafe))

    def reduce(self, C: np.ndarray, bound: int, tmp: np.ndarray | None = None) -> None:
        """Replace the integers ``C`` (``|C| <= bound <= 2**52``) by their centred residues, in place."""
        if bound > _TWO52:  # pragma: no cover - guarded by the chunking
            raise AssertionError("modular reduction bound exceeded")
        passes = 1 if bound <= _TWO50 else 2
        for _ in range(passes):
            T = np.multiply(C, self.inv, out=tmp)
            np.rint(T, out=T)
            np.multiply(T, self.pf, out=T)
            np.subtract(C, T, out=C)

    def update(self, C: np.ndarray, A: np.ndarray, B: np.ndarray, subtract: bool = True) -> None:
        """``C <- C - A @ B`` (or ``C + A @ B``), reduced, in place; ``C`` may be a view."""
        rows, cols = C.shape
        k = A.shape[1]
        if rows == 0 or cols == 0 or k == 0:
            return
        op = np.subtract if subtract else np.add
        kmax = self.kmax
        hh = self.h * self.h
        rb = max(64, _BLOCK_BYTES // (8 * cols))
        if rb >= rows:
            rb = rows
        tmp = np.empty((rb, cols))
        for i in range(0, rows, rb):
            Cb = C[i:i + rb]
            Ab = A[i:i + rb]
            T = tmp[:Cb.shape[0]]
            for k0 in range(0, k, kmax):
                k1 = min(k, k0 + kmax)
                np.matmul(Ab[:, k0:k1], B[k0:k1], out=T)
                op(Cb, T, out=Cb)
                self.reduce(Cb, self.h + (k1 - k0) * hh, T)

    def matmul(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """Reduced product ``A @ B`` of two blocks of centred residues (a new C-contiguous array)."""
        k = A.shape[1]
        C = np.zeros((A.shape[0], B.shape[1]))
        if k:
            self.update(C, A, B, subtract=False)
        return C


# ---------------------------------------------------------------------------------------------------
# Conversion of the input
# ---------------------------------------------------------------------------------------------------


def _residues_int64(A: np.ndarray, p: int) -> np.ndarray:
    """Residues of the entries in ``[0, p)`` as a new int64 array (small matrices only)."""
    kind = A.dtype.kind
    if kind == "O":
        return np.remainder(_object_as_ints(A), p).astype(np.int64)
    if kind == "u" and A.dtype.itemsize == 8:
        return np.remainder(A, np.uint64(p)).astype(np.int64)
    return np.remainder(A.astype(np.int64, copy=False), p)


def _to_centred(A: np.ndarray, F: _Field) -> np.ndarray:
    """A new C-contiguous float64 array of the centred residues of ``A``, converted by row blocks."""
    m, n = A.shape
    out = np.empty((m, n))
    kind = A.dtype.kind
    p = F.p
    if kind == "O":
        A = _object_as_ints(A)
        mode = "object"
    elif kind == "b" or A.dtype.itemsize <= 4:
        mode = "cast"  # |x| < 2**32: exact in float64, one fast reduction
    else:
        lo, hi = int(A.min()), int(A.max())
        mode = "cast" if (-_TWO50 <= lo and hi <= _TWO50) else "remainder"
    rb = max(1, _BLOCK_BYTES // (8 * n))
    tmp = np.empty((min(rb, m), n))
    for i in range(0, m, rb):
        blk = A[i:i + rb]
        ob = out[i:i + rb]
        if mode == "cast":
            ob[...] = blk
        elif mode == "remainder":
            if kind == "u":
                ob[...] = np.remainder(blk, np.uint64(p))
            else:
                ob[...] = np.remainder(blk, p)
        else:
            ob[...] = np.remainder(blk, p).astype(np.int64)
        F.reduce(ob, _TWO50, tmp[:ob.shape[0]])
    return out


# ---------------------------------------------------------------------------------------------------
# Small matrices: direct elimination
# ---------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _row_update(width: int):
    """Compiled elimination step for rows of ``width`` entries (see :func:`_rank_lists`).

    The returned ``f(rows, q, a, p)`` maps every row ``r`` to ``a*r[1:] - (r[0] % p)*q[1:]``; the
    straight-line tuple expression avoids the per-entry overhead of a comprehension, which matters
    for tiny matrices. The generated source depends on ``width`` only.
    """
    if width == 1:
        body = ""
    else:
        terms = ["a*r[1] - (c := r[0] % p)*q[1]"] + [f"a*r[{k}] - c*q[{k}]" for k in range(2, width)]
        body = ", ".join(terms) + ","
    namespace: dict = {}
    exec(f"def f(rows, q, a, p):\n    return [({body}) for r in rows]\n", namespace)  # noqa: S102
    return namespace["f"]


def _rank_lists(rows: list, p: int) -> int:
    """Rank of a tiny matrix given as a list of lists of Python ints.

    Fraction-free elimination on unbounded Python ints: ``row <- a*row - c*pivot_row`` with the
    multipliers ``a, c`` reduced mod p (``a != 0``), so each step adds about ``log2(2p)`` bits and only
    the entries of the pivot column are ever reduced (to test them for zero and to form the
    multipliers). The pivot row is dropped, so the others stay a basis of the remaining row space.
    """
    rank = 0
    while rows and rows[0]:
        for k, r in enumerate(rows):
            if r[0] % p:
                break
        else:
            rows = [r[1:] for r in rows]
            continue
        q = rows.pop(k)
        rank += 1
        if not rows:
            break
        rows = _row_update(len(q))(rows, q, q[0] % p, p)
    return rank


def _rank_int64(R: np.ndarray, p: int) -> int:
    """Rank of a small matrix of residues in ``[0, p)`` (int64, fraction-free elimination).

    Works on the transpose so that each step reads a contiguous row: with ``V = R.T``, step ``j``
    takes a non-zero ``a = V[j, i]`` as pivot and replaces the rows after ``j`` by
    ``a*V - V[:, i] (x) V[j]``, a row operation on the columns of ``R`` not yet processed; the entries
    stay below ``p**2 < 2**52`` before reduction and the pivot row of ``R`` becomes zero there, so it
    is never chosen again.
    """
    m, n = R.shape
    if n > m:
        R = R.T
        m, n = n, m
    V = np.ascontiguousarray(R.T)  # n x m
    T = np.empty_like(V)
    P = np.int64(p)
    rank = 0
    for j in range(n):
        v = V[j]
        i = v.argmax()
        a = v[i]
        if a:
            rank += 1
            if rank == m:
                break
            Vj = V[j + 1:]  # the rows of V already used are not needed any more
            Tj = T[j + 1:]
            np.multiply(Vj[:, i, None], v, out=Tj)
            Vj *= a
            Vj -= Tj
            np.remainder(Vj, P, out=Vj)
    return rank


def _rank_float(R: np.ndarray, F: _Field) -> int:
    """Rank of a small matrix of residues in ``[0, p)`` by unblocked elimination on centred float64.

    Same fraction-free steps as :func:`_rank_int64`; the entries before reduction are bounded by
    ``2*h**2`` and reduced exactly by :meth:`_Field.reduce`.
    """
    m, n = R.shape
    if n > m:
        R = R.T
        m, n = n, m
    V = R.T.astype(np.float64, order="C")  # n x m
    np.subtract(V, F.pf, out=V, where=V > F.h)  # centre
    T = np.empty_like(V)
    bound = 2 * F.h * F.h
    rank = 0
    for j in range(n):
        v = V[j]
        nz = v.nonzero()[0]
        if nz.size:
            i = nz[0]
            rank += 1
            if rank == m:
                break
            Vj = V[j + 1:]
            Tj = T[j + 1:]
            np.multiply(Vj[:, i, None], v, out=Tj)
            Vj *= v[i]
            Vj -= Tj
            F.reduce(Vj, bound, Tj)
    return rank


def _pivots(Q: np.ndarray, p: int, want: int) -> tuple[list, list]:
    """Pivot rows and columns of a residual chunk ``Q`` (centred float64), at most ``want`` of them.

    Gaussian elimination in int64 with delayed reduction: the pivot row is reduced and normalised,
    every row ``x`` becomes ``row_x - (W[x, j] mod p) * pivot_row`` (the pivot row itself becomes
    0 mod p, so it is never chosen again), and only the pivot column is reduced before it is searched.
    Each update adds less than ``p**2`` in absolute value; the whole array is reduced before the sum
    could reach ``2**62``.

    ``Q[rows][:, cols]`` is non-singular and, when fewer than ``want`` pivots are returned, every row
    of ``Q`` lies in the span of ``Q[rows]``.
    """
    W = np.remainder(Q.astype(np.int64), p)
    limit = max(1, _INT64_HEADROOM // (p * p))
    pending = 0
    rows: list = []
    cols: list = []
    for j in range(W.shape[1]):
        col = W[:, j] % p
        i = int(col.argmax())
        a = int(col[i])
        if a:
            rows.append(i)
            cols.append(j)
            if len(rows) == want:
                break
            prow = W[i, j + 1:] % p * pow(a, -1, p) % p
            W[:, j + 1:] -= np.multiply.outer(col, prow)
            pending += 1
            if pending == limit:
                W %= p
                pending = 0
    return rows, cols


def _gauss_jordan(Q: np.ndarray, F: _Field, want: int):
    """Pivots of a chunk ``Q`` (centred float64) together with the inverse of the pivot block.

    Gauss-Jordan elimination on ``[Q | I]`` in int64 with the delayed reduction of :func:`_pivots`:
    at the pivot ``(i, j)`` the pivot row is normalised and subtracted from every other row (pivot
    rows included), and only rows that are not yet pivots are candidates. At the end the pivot rows
    hold ``e_k`` on the pivot columns, so their transform part is the inverse of the pivot block.

    Returns ``(rows, cols, X)`` with at most ``want`` pivots, ``Q[rows][:, cols] @ X = I`` mod p (``X``
    centred float64, ``None`` without pivots); when fewer than ``want`` pivots are returned, every row
    of ``Q`` lies in the span of ``Q[rows]``.
    """
    p = F.p
    c, w = Q.shape
    W = np.zeros((c, w + c), dtype=np.int64)
    W[:, :w] = np.remainder(Q.astype(np.int64), p)
    W[np.arange(c), w + np.arange(c)] = 1
    free = np.ones(c, dtype=np.int64)
    limit = max(1, _INT64_HEADROOM // (p * p))
    pending = 0
    rows: list = []
    cols: list = []
    for j in range(w):
        col = W[:, j] % p
        cand = col * free
        i = int(cand.argmax())
        a = int(cand[i])
        if not a:
            continue
        rows.append(i)
        cols.append(j)
        free[i] = 0
        prow = W[i, j + 1:] % p * pow(a, -1, p) % p
        W[i, j + 1:] = prow
        col[i] = 0
        W[:, j + 1:] -= np.multiply.outer(col, prow)
        pending += 1
        if pending == limit:
            W %= p
            pending = 0
        if len(rows) == want:
            break
    if not rows:
        return rows, cols, None
    ri = np.array(rows)
    X = (W[np.ix_(ri, w + ri)] % p).astype(np.float64)
    F.reduce(X, _TWO50)
    return rows, cols, X


def _pivot_inverse(P: np.ndarray, R: list, C: list, F: _Field):
    """Reorder the pivots ``R, C`` of ``P`` and return them with ``X = inv(P[R][:, C])``."""
    rows, cols, X = _gauss_jordan(P[np.ix_(R, C)], F, len(R))
    if len(rows) != len(R):  # pragma: no cover - the pivot search guarantees non-singularity
        raise AssertionError("internal error: singular pivot block")
    return [R[i] for i in rows], [C[j] for j in cols], X


def _leaf(P: np.ndarray, need: bool, F: _Field):
    """Row rank profile of a narrow panel ``P`` (``m x w``, ``w`` small), scanning rows in chunks.

    The first chunk holding a non-zero row is eliminated by :func:`_gauss_jordan` when it is short,
    which also gives the inverse ``X`` of the pivot block (else by :func:`_pivots`, ``X`` being
    computed when needed). While fewer than ``w`` pivots are known, the next chunk
    (twice as long as the previous one) is projected on the pivots found so far,
    ``Q - (Q[:, C] @ X) @ P[R]``, and the residual searched for new pivots, so a panel needs a
    logarithmic number of chunks and each one a few small block products. The multipliers of the
    other rows are ``P[N][:, C] @ X``.
    """
    m, w = P.shape
    R: list = []
    C: list = []
    X = None  # inverse of P[R][:, C], kept in step with R (None when stale)
    start = 0
    chunk = max(w, 16)
    while start < m and len(R) < w:
        stop = min(m, start + chunk)
        Q = P[start:stop]
        start = stop
        chunk *= 2
        if R:
            if X is None:
                R, C, X = _pivot_inverse(P, R, C, F)
            G = F.matmul(Q[:, C], X)
            Q = np.array(Q)
            F.update(Q, G, P[R])
        if not Q.any():
            continue
        first = stop - Q.shape[0]
        if not R and need and Q.shape[0] <= 2 * w:
            newR, C, X = _gauss_jordan(Q, F, w)
            R = [first + i for i in newR]
        else:
            newR, newC = _pivots(Q, F.p, w - len(R))
            R.extend(first + i for i in newR)
            C.extend(newC)
            X = None
    r = len(R)
    if not need:
        return r, None, None, None
    if r and X is None:
        R, C, X = _pivot_inverse(P, R, C, F)
    Ra = np.array(R, dtype=np.intp)
    mask = np.ones(m, dtype=bool)
    mask[Ra] = False
    Na = np.flatnonzero(mask)
    if r == 0 or Na.size == 0:
        return r, Ra, Na, np.zeros((Na.size, r))
    M = F.matmul(P[np.ix_(Na, C)], X)
    return r, Ra, Na, M


def _profile(A: np.ndarray, need: bool, F: _Field, block: int):
    """Row rank profile of ``A`` (centred float64, ``m x n``).

    Returns ``(r, R, N, M)``: the rank ``r``; when ``need`` is true also the pivot rows ``R`` (int
    array of length ``r``), the other rows ``N`` and the multipliers ``M`` (``len(N) x r``) with
    ``A[N] = M @ A[R]`` mod p; otherwise ``None`` for those three.
    """
    m, n = A.shape
    if n <= block:
        return _leaf(A, need, F)
    n1 = n // 2
    if n1 > block:
        n1 = -(-n1 // block) * block  # keep leaves full width
    r1, R1, N1, M1 = _profile(A[:, :n1], True, F, block)
    if r1 == m:  # every row is a pivot already: the right half adds nothing
        return r1, R1, N1, M1
    if r1 == 0:  # the left half is zero: the right half alone, same rows
        return _profile(A[:, n1:], need, F, block)
    S = A[N1, n1:]  # copy: the non-pivot rows of the right half
    F.update(S, M1, A[R1, n1:])  # Schur complement S - M1 @ Q[R1]
    r2, R2, N2, M2 = _profile(S, need, F, block)
    del S
    r = r1 + r2
    if not need:
        return r, None, None, None
    if r2 == 0:
        return r, R1, N1, M1
    R = np.concatenate((R1, N1[R2]))
    N = N1[N2]
    M = np.empty((N.size, r))
    M[:, :r1] = M1[N2]
    M[:, r1:] = M2
    F.update(M[:, :r1], M2, M1[R2])
    return r, R, N, M


def _rank_dense(W: np.ndarray, F: _Field, block: int) -> int:
    m, n = W.shape
    if m > n:
        # Tall: the top square block usually has full rank already, and then so does the matrix.
        r = _profile(W[:n], False, F, block)[0]
        if r == n:
            return r
    return _profile(W, False, F, block)[0]


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
    >>> from verifier.modular import modular_rank
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
