"""The column-recursive row rank profile (see the Algorithm section of :mod:`verifier.exact.modular`).
"""

from __future__ import annotations

import numpy as np

from .field import _Field
from .small import _gauss_jordan, _pivots


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
