"""Certified ranks: a lower bound and an upper bound, each saying how it was obtained.

Ground rule: "rank = k" is reported only when a certified lower bound and a certified upper bound meet.

Lower bounds (MATH.md section 4)
    * ``rank mod p``: for an INTEGER matrix, rank mod p <= rank over Q (a minor nonzero mod p is a
      nonzero integer). Rational matrices are first cleared of denominators row by row (rank unchanged).
    * ``exact over Q``: fraction-free elimination (small matrices only).
Upper bounds
    * ``matrix shape``: ``min(rows, cols)``.
    * structure, supplied by the caller: the CP form (Lemma C), a cut of the HT tree, a Kronecker
      factorization (Lemmas K and R), ...
    * ``kernel certificate``: with ``r`` = rank mod p and pivot columns ``P``, solve exactly over Q for
      ``n - r`` vectors ``k_f`` (one per non-pivot column ``f``: ``k_f[f] = -1``, ``k_f[P] = x``) and verify
      ``A K = 0`` EXACTLY over the integers; the columns of ``K`` are independent (an identity block), so
      ``dim ker A >= n - r`` and ``rank A <= r``.
    * ``exact over Q``.

Examples
--------
>>> import numpy as np
>>> c = certify_matrix_rank(np.array([[1, 2], [2, 4]], dtype=object))
>>> c.rank, c.lower.method, c.upper.method
(1, 'rank mod p = 2147483647 (flint)', 'kernel certificate: 1 independent vector(s) with A K = 0 exactly (flint)')
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from fractions import Fraction  # noqa: F401 - used by the doctests of this module
from typing import Callable, Sequence

import numpy as np

from ..errors import VerifierError, invalid
from ..render.tables import show_int
from .engines import RankEngine, get_engine
from .fields import check_prime, common_denominator, exact_array, to_exact

#: Largest ``rows * cols`` for which a kernel certificate is attempted by default.
KERNEL_ENTRY_LIMIT = 2**21
#: Largest ``rows * cols`` for which exact elimination over Q is attempted by default.
EXACT_Q_ENTRY_LIMIT = 2**16


@dataclass(frozen=True)
class Bound:
    """One side of a rank certificate: a value and how it was obtained.

    Examples
    --------
    >>> Bound(4, "matrix shape").to_dict()
    {'value': 4, 'method': 'matrix shape'}
    """

    value: int
    method: str

    def __post_init__(self):
        if isinstance(self.value, bool) or not isinstance(self.value, numbers.Integral) or self.value < 0:
            raise invalid("value", "a non-negative integer (a rank bound)", self.value)
        object.__setattr__(self, "value", int(self.value))
        if not isinstance(self.method, str) or not self.method:
            raise invalid("method", "a non-empty string saying how the bound was obtained", self.method)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"value": self.value, "method": self.method}


@dataclass(frozen=True)
class RankCertificate:
    """A rank enclosed by certified bounds: ``lower.value <= rank <= upper.value``.

    Examples
    --------
    >>> c = RankCertificate(2, 2, Bound(2, "rank mod p = 7"), Bound(2, "matrix shape"))
    >>> c.certified, c.rank, str(c)
    (True, 2, 'rank = 2 (lower: rank mod p = 7; upper: matrix shape)')
    >>> str(RankCertificate(3, 3, Bound(1, "rank mod p = 7"), Bound(3, "matrix shape")))
    '1 <= rank <= 3, NOT certified (lower: rank mod p = 7; upper: matrix shape)'
    """

    rows: int
    cols: int
    lower: Bound
    upper: Bound

    def __post_init__(self):
        for name in ("rows", "cols"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
                raise invalid(name, "a non-negative integer (the matrix shape)", v)
            object.__setattr__(self, name, int(v))
        for name in ("lower", "upper"):
            if not isinstance(getattr(self, name), Bound):
                raise invalid(name, "a Bound", getattr(self, name))
        if self.lower.value > self.upper.value:
            raise invalid("lower", f"a lower bound at most the upper bound {self.upper.value} "
                                   f"({self.upper.method[:60]})", self.lower.value)
        if self.lower.value > min(self.rows, self.cols):
            raise invalid("lower", f"a lower bound at most min(rows, cols) = {min(self.rows, self.cols)}",
                          self.lower.value)

    @property
    def certified(self) -> bool:
        """Whether the bounds meet, so that the rank is known exactly."""
        return self.lower.value == self.upper.value

    @property
    def rank(self) -> int | None:
        """The exact rank when certified, else ``None``."""
        return self.lower.value if self.certified else None

    @property
    def method(self) -> str:
        """Both methods in one line."""
        return f"lower: {self.lower.method}; upper: {self.upper.method}"

    def __str__(self) -> str:
        if self.certified:
            return f"rank = {show_int(self.rank)} ({self.method})"
        return (f"{show_int(self.lower.value)} <= rank <= {show_int(self.upper.value)}, NOT certified "
                f"({self.method})")

    def to_dict(self) -> dict:
        """JSON-ready form (integers stay exact integers)."""
        return {"rank": self.rank, "rows": self.rows, "cols": self.cols, "lower_bound": self.lower.value,
                "upper_bound": self.upper.value, "certified": self.certified, "method": self.method,
                "lower_method": self.lower.method, "upper_method": self.upper.method}


def integer_rows(matrix: np.ndarray, name: str = "matrix") -> np.ndarray:
    """Multiply each row by the common denominator of its entries (the rank is unchanged).

    Examples
    --------
    >>> import numpy as np
    >>> integer_rows(np.array([[Fraction(1, 2), 1], [2, Fraction(1, 3)]], dtype=object)).tolist()
    [[1, 2], [6, 1]]
    """
    out = np.empty(matrix.shape, dtype=object)
    for i, row in enumerate(matrix.tolist()):
        row = [to_exact(x, name) for x in row]
        d = common_denominator(row)
        for k, x in enumerate(row):
            out[i, k] = int(x * d)
    return out


def kernel_certificate(a: np.ndarray, p: int, engine: RankEngine) -> int | None:
    """Certify ``rank(a) <= rank mod p`` over Q with an exactly verified kernel basis.

    Parameters
    ----------
    a : numpy.ndarray
        Integer matrix (object array of ints).
    p : int
        The prime whose pivot structure is used.
    engine : RankEngine

    Returns
    -------
    int or None
        ``r`` (then ``rank a <= r`` is proved) or ``None`` when the exact check fails (``p`` divided a
        minor: the rank over Q is larger than mod p).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]], dtype=object)
    >>> kernel_certificate(a, 101, get_engine())
    2
    """
    k = kernel_vectors(a, p, engine)
    return None if k is None else a.shape[1] - k.shape[1]


def kernel_vectors(a: np.ndarray, p: int, engine: RankEngine) -> np.ndarray | None:
    """The kernel basis of :func:`kernel_certificate` (an ``n x (n - r)`` object array of integers whose
    columns are independent and satisfy ``a K = 0`` exactly), or ``None`` when the exact check fails.

    Examples
    --------
    >>> import numpy as np
    >>> kernel_vectors(np.array([[1, 2], [2, 4]], dtype=object), 101, get_engine()).tolist()
    [[2], [-1]]
    """
    n_cols = a.shape[1]
    pivots = list(engine.pivots_mod_p(a, p))
    r = len(pivots)
    free = [f for f in range(n_cols) if f not in set(pivots)]
    if not free:
        return np.zeros((n_cols, 0), dtype=object)
    if r == 0:
        eye = np.eye(n_cols, dtype=np.int64).astype(object)
        return eye if engine.product_is_zero(a, eye) else None
    sub = a[:, pivots]
    row_pivots = list(engine.pivots_mod_p(np.ascontiguousarray(sub.T), p))
    b = sub[row_pivots, :]
    c = a[np.ix_(row_pivots, free)]
    x, den = engine.solve_over_q(b, c)
    k = np.zeros((n_cols, len(free)), dtype=object)
    k[pivots, :] = x
    for col, f in enumerate(free):
        k[f, col] = -den
    return k if engine.product_is_zero(a, k) else None


def check_shape(shape) -> tuple[int, int]:
    """``(rows, cols)``: two non-negative integers (exact; they may be astronomically large).

    Examples
    --------
    >>> check_shape((2, 3))
    (2, 3)
    """
    try:
        rows, cols = shape
    except (TypeError, ValueError):
        raise invalid("shape", "a pair (rows, cols) of non-negative integers", shape) from None
    for v in (rows, cols):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise invalid("shape", "a pair (rows, cols) of non-negative integers", shape)
    return int(rows), int(cols)


def check_primes(primes) -> tuple[int, ...]:
    """A non-empty sequence of primes below ``2^62``.

    Examples
    --------
    >>> check_primes([7, 11])
    (7, 11)
    >>> check_primes([])
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'primes' must be a non-empty sequence of primes below 2^62, got [].
    """
    expected = "a non-empty sequence of primes below 2^62"
    if not isinstance(primes, (list, tuple, range, np.ndarray)) or not 1 <= len(primes) <= 64:
        raise invalid("primes", expected, primes)
    return tuple(check_prime(p, "primes") for p in primes)


def exact_integer_matrix(matrix, shape: tuple[int, int], name: str) -> np.ndarray:
    """An object array of Python ints with the rank of ``matrix`` (rows cleared of denominators).

    Accepts integer numpy arrays (any width, ``uint64`` included, converted exactly) and object arrays or
    nested lists of ``int``/``Fraction``/exact strings; floats and other inexact values are refused
    (:func:`~verifier.exact.fields.to_exact`), so nothing is ever truncated or wrapped.

    Examples
    --------
    >>> exact_integer_matrix([[Fraction(1, 2), 1], [1, 2]], (2, 2), "m").tolist()
    [[1, 2], [1, 2]]
    """
    if not isinstance(matrix, np.ndarray):
        try:
            matrix = np.array(matrix, dtype=object)
        except (ValueError, TypeError):
            raise invalid(name, f"a {shape[0]} x {shape[1]} matrix of exact numbers", type(matrix).__name__) from None
    if matrix.ndim != 2 or matrix.shape != tuple(shape):
        raise invalid(name, f"a matrix of shape {shape[0]} x {shape[1]}", f"an array of shape {matrix.shape}")
    exact = exact_array(matrix, name)
    if all(type(x) is int for x in exact.flat):
        return exact
    return integer_rows(exact, name)


def certify_rank(shape: tuple[int, int], residues: Callable[[int], np.ndarray] | None = None,
                 exact: Callable[[], np.ndarray] | None = None, upper_bounds: Sequence[Bound] = (),
                 engine: "str | RankEngine | None" = None, primes: Sequence[int] | None = None,
                 kernel_limit: int = KERNEL_ENTRY_LIMIT, exact_q_limit: int = EXACT_Q_ENTRY_LIMIT,
                 ) -> RankCertificate:
    """Certify the rank of an integer matrix given lazily, mod p and/or exactly.

    Parameters
    ----------
    shape : (int, int)
        The matrix shape (exact integers; may be astronomically large when only structure is used).
    residues : callable, optional
        ``p -> int64 array`` of the matrix mod p (for large matrices built directly mod p).
    exact : callable, optional
        ``() -> object array`` of the INTEGER matrix (needed for kernel certificates and elimination
        over Q; also used mod p when ``residues`` is not given).
    upper_bounds : sequence of Bound
        Structural upper bounds, valid for this matrix.
    engine : str or RankEngine, optional
        ``'auto'`` (default), ``'flint'``, ``'sympy'`` or ``'modular'``.
    primes : sequence of int, optional
        Primes for modular ranks; tried in order while the lower bound is below the upper bound.
        Default: the engine's choice for this shape (``2^31 - 1`` then a fallback for flint; two primes
        below ``2^23`` for the modular kernel).

    Returns
    -------
    RankCertificate

    Raises
    ------
    VerifierError
        When a supplied upper bound is below a certified lower bound (a bug in the structure).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1, 0], [0, 1]], dtype=object)
    >>> str(certify_rank((2, 2), exact=lambda: a))
    'rank = 2 (lower: rank mod p = 2147483647 (flint); upper: matrix shape)'
    """
    eng = get_engine(engine)
    rows, cols = check_shape(shape)
    for name, fn in (("residues", residues), ("exact", exact)):
        if fn is not None and not callable(fn):
            raise invalid(name, "a callable returning the matrix, or None", fn)
    try:
        upper_bounds = list(upper_bounds)
    except TypeError:
        raise invalid("upper_bounds", "a sequence of Bound", upper_bounds) from None
    for b in upper_bounds:
        if not isinstance(b, Bound):
            raise invalid("upper_bounds", "a sequence of Bound", b)
    uppers = [Bound(min(rows, cols), "matrix shape"), *upper_bounds]
    upper = min(uppers, key=lambda b: b.value)
    lower = Bound(0, "trivial")
    primes = check_primes(primes) if primes is not None else eng.primes_for((rows, cols))
    cache = {}

    def get_exact():
        if "a" not in cache:
            cache["a"] = exact_integer_matrix(exact(), (rows, cols), "exact")
        return cache["a"]

    def get_residues(p):
        mat = residues(p)
        if not isinstance(mat, np.ndarray) or mat.dtype.kind not in "iu" or mat.shape != (rows, cols):
            raise invalid("residues", f"a callable returning an integer numpy array of shape {rows} x {cols}",
                          f"{type(mat).__name__} {getattr(mat, 'dtype', '')} {getattr(mat, 'shape', '')}".strip())
        return mat

    if rows == 0 or cols == 0:
        return RankCertificate(rows, cols, Bound(0, "empty matrix"), Bound(0, "empty matrix"))
    first_p = None
    for p in primes:
        mat = get_residues(p) if residues is not None else (get_exact() if exact is not None else None)
        if mat is None:
            break
        r = eng.rank_mod_p(mat, p)
        first_p = first_p or p
        if r > lower.value:
            lower = Bound(r, f"rank mod p = {p} ({eng.name_for((rows, cols), p)})")
        if lower.value >= upper.value:
            break
    if lower.value < upper.value and exact is not None and rows * cols <= kernel_limit:
        p = primes[0] if first_p is None else first_p
        r = kernel_certificate(get_exact(), p, eng)
        if r is not None and r < upper.value:
            upper = Bound(r, f"kernel certificate: {cols - r} independent vector(s) with A K = 0 exactly "
                             f"({eng.exact_name})")
    if lower.value < upper.value and exact is not None and rows * cols <= exact_q_limit:
        r = eng.rank_over_q(get_exact())
        lower = Bound(r, f"exact over Q ({eng.exact_name})")
        upper = Bound(r, f"exact over Q ({eng.exact_name})")
    if lower.value > upper.value:
        raise VerifierError(f"certified bounds contradict each other: lower bound {lower.value} ({lower.method}) "
                            f"exceeds upper bound {upper.value} ({upper.method}); an upper bound was invalid")
    return RankCertificate(rows, cols, lower, upper)


def certify_matrix_rank(matrix: np.ndarray, upper_bounds: Sequence[Bound] = (),
                        engine: "str | RankEngine | None" = None, **kwargs) -> RankCertificate:
    """Certified rank of an explicit exact matrix (ints or Fractions, object array).

    Examples
    --------
    >>> import numpy as np
    >>> str(certify_matrix_rank(np.array([[Fraction(1, 2), 1], [1, 2]], dtype=object), engine="sympy"))
    'rank = 1 (lower: rank mod p = 2147483647 (sympy); upper: kernel certificate: 1 independent vector(s) with A K = 0 exactly (sympy))'
    """
    if not isinstance(matrix, np.ndarray):
        try:
            matrix = np.array(matrix, dtype=object)
        except (ValueError, TypeError):
            raise invalid("matrix", "a 2-D matrix of exact numbers", type(matrix).__name__) from None
    if matrix.ndim != 2:
        raise invalid("matrix", "a 2-D matrix of exact numbers", f"an array of shape {matrix.shape}")
    ints = exact_integer_matrix(matrix, matrix.shape, "matrix")
    return certify_rank(ints.shape, exact=lambda: ints, upper_bounds=upper_bounds, engine=engine, **kwargs)
