"""Direct eliminations for small matrices and for the pivot search of the panels.

Fraction-free elimination with Python ints (tiny matrices), int64 and centred float64 (small ones), and
the int64 pivot searches (:func:`_pivots`, :func:`_gauss_jordan`) that the recursive profile
runs on its chunks. The exactness argument is in the docstring of :mod:`verifier.exact.modular`.
"""

from __future__ import annotations

import functools

import numpy as np

from .field import _INT64_HEADROOM, _TWO50, _Field

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
