"""GF(p) arithmetic on float64 blocks: the constants, input validation, the field object with its
delayed reduction, and the conversion of the input to centred residues.

The exactness argument is in the docstring of :mod:`verifier.exact.modular`.
"""

from __future__ import annotations

import functools
import operator

import numpy as np

from ...errors import InvalidArgumentError, SizeLimitError

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
    >>> from verifier.exact.modular import MemoryBudgetError, modular_rank
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
    >>> from verifier.exact.modular import DEFAULT_PRIME, inner_chunk
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
