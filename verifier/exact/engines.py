"""Rank engines: one small interface, interchangeable exact backends.

An engine answers five exact questions about integer matrices (2-D numpy arrays of Python ints, or
int64 arrays):

* ``rank_mod_p(A, p)``: the rank of ``A`` reduced modulo the prime ``p``. For an integer matrix this
  is a LOWER bound on its rank over Q (a minor that is nonzero mod p is nonzero), never an upper bound.
* ``pivots_mod_p(A, p)``: the pivot columns of the reduced row echelon form of ``A`` mod p.
* ``rank_over_q(A)``: the exact rank over Q (fraction-free elimination; slow beyond a few hundred rows).
* ``solve_over_q(B, C)``: the exact solution ``X`` of ``B X = C`` for a nonsingular square ``B``, as an
  integer matrix and one common denominator.
* ``product_is_zero(A, K)``: whether the integer product ``A K`` is exactly zero.

Engines: :class:`FlintEngine` (python-flint: ``nmod_mat``, ``fmpz_mat``, ``fmpq_mat``),
:class:`SympyEngine` (sympy ``DomainMatrix`` over ZZ, QQ and GF(p); the slow, independent reference),
:class:`ModularEngine` (our BLAS-speed elimination over GF(p), :func:`verifier.exact.modular.modular_rank`,
for primes below ``2^26``; flint for the questions over Q) and :class:`AutoEngine`, the default: flint
for small matrices, the modular kernel for large ones (from 128 x 128 entries on, where converting into
flint alone costs more than our whole elimination). The test suite runs the same tests against every
engine and compares them with each other.

Each engine also says which primes it prefers for a matrix of a given shape (:meth:`RankEngine.primes_for`)
and which backend answers for a shape and prime (:meth:`RankEngine.name_for`), so certificates name what
really ran.

Examples
--------
>>> import numpy as np
>>> a = np.array([[1, 2], [2, 4]], dtype=object)
>>> [get_engine(name).rank_mod_p(a, 7) for name in ENGINES]
[1, 1, 1, 1]
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import invalid
from .fields import DEFAULT_PRIME, FALLBACK_PRIMES
from .modular import MAX_PRIME, modular_rank


def _flat_ints(a: np.ndarray, p: int | None = None) -> list:
    if a.dtype == object:
        flat = a.ravel().tolist()
        return [int(x) % p for x in flat] if p is not None else [int(x) for x in flat]
    if p is not None:
        return np.mod(a.astype(np.int64, copy=False), p).ravel().tolist()
    return a.ravel().tolist()


def _pivot_columns(rref, rank: int) -> tuple:
    """The first nonzero column of each of the ``rank`` nonzero rows of a reduced row echelon form."""
    pivots, col = [], 0
    for i in range(rank):
        while int(rref[i, col]) == 0:
            col += 1
        pivots.append(col)
        col += 1
    return tuple(pivots)


class RankEngine:
    """The interface every rank engine implements (see the module docstring)."""

    name = "abstract"
    #: Primes tried in order for modular lower bounds (see :func:`verifier.exact.certify.certify_rank`).
    primes = (DEFAULT_PRIME, FALLBACK_PRIMES[0])

    def primes_for(self, shape) -> tuple:
        """Primes to use for a matrix of this shape."""
        return self.primes

    def name_for(self, shape, p: int) -> str:
        """The backend that answers ``rank_mod_p`` for a matrix of this shape and this prime."""
        return self.name

    @property
    def exact_name(self) -> str:
        """The backend that answers the questions over Q (pivots, solve, products, rank over Q)."""
        return self.name

    def rank_mod_p(self, a: np.ndarray, p: int) -> int:  # pragma: no cover - interface
        raise NotImplementedError

    def pivots_mod_p(self, a: np.ndarray, p: int) -> tuple:  # pragma: no cover - interface
        raise NotImplementedError

    def rank_over_q(self, a: np.ndarray) -> int:  # pragma: no cover - interface
        raise NotImplementedError

    def solve_over_q(self, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, int]:  # pragma: no cover
        raise NotImplementedError

    def product_is_zero(self, a: np.ndarray, k: np.ndarray) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class FlintEngine(RankEngine):
    """python-flint backend (FLINT's nmod_mat / fmpz_mat / fmpq_mat).

    Examples
    --------
    >>> import numpy as np
    >>> FlintEngine().rank_over_q(np.array([[1, 2, 3], [2, 4, 6]], dtype=object))
    1
    """

    name = "flint"
    exact_name = "flint"

    def rank_mod_p(self, a, p):
        from flint import nmod_mat

        n, m = a.shape
        if n == 0 or m == 0:
            return 0
        return nmod_mat(n, m, _flat_ints(a, p), p).rank()

    def pivots_mod_p(self, a, p):
        from flint import nmod_mat

        n, m = a.shape
        if n == 0 or m == 0:
            return ()
        return _pivot_columns(*nmod_mat(n, m, _flat_ints(a, p), p).rref())

    def rank_over_q(self, a):
        from flint import fmpz_mat

        n, m = a.shape
        if n == 0 or m == 0:
            return 0
        return fmpz_mat(n, m, _flat_ints(a)).rank()

    def pivots_over_q(self, a):
        """Pivot columns of the reduced row echelon form of the INTEGER matrix ``a`` over Q (exact, fraction
        free): their number is the rank over Q, and those columns span the column space over Q.

        Examples
        --------
        >>> import numpy as np
        >>> FlintEngine().pivots_over_q(np.array([[1, 2147483647], [2, 4]], dtype=object))
        (0, 1)
        """
        from flint import fmpz_mat

        n, m = a.shape
        if n == 0 or m == 0:
            return ()
        rref, _, rank = fmpz_mat(n, m, _flat_ints(a)).rref()
        return _pivot_columns(rref, rank)

    def solve_over_q(self, b, c):
        from flint import fmpz_mat

        x = fmpz_mat(b.shape[0], b.shape[1], _flat_ints(b)).solve(
            fmpz_mat(c.shape[0], c.shape[1], _flat_ints(c)))
        entries = x.entries()
        den = 1
        for e in entries:
            q = int(e.q)
            den = math.lcm(den, q)
        num = [int(e.p) * (den // int(e.q)) for e in entries]
        return np.array(num, dtype=object).reshape(c.shape), den

    def product_is_zero(self, a, k):
        from flint import fmpz_mat

        if a.size == 0 or k.size == 0:
            return True
        fa = fmpz_mat(a.shape[0], a.shape[1], _flat_ints(a))
        fk = fmpz_mat(k.shape[0], k.shape[1], _flat_ints(k))
        return (fa * fk).is_zero()


class SympyEngine(RankEngine):
    """sympy ``DomainMatrix`` backend: the slow, independent reference.

    Examples
    --------
    >>> import numpy as np
    >>> SympyEngine().pivots_mod_p(np.array([[0, 3], [0, 6]], dtype=object), 5)
    (1,)
    """

    name = "sympy"

    @staticmethod
    def _dm(a, domain):
        from sympy.polys.domains import ZZ
        from sympy.polys.matrices import DomainMatrix

        rows = [[ZZ(int(x)) for x in row] for row in a.tolist()]
        return DomainMatrix(rows, a.shape, ZZ).convert_to(domain)

    def rank_mod_p(self, a, p):
        from sympy.polys.domains import GF

        if 0 in a.shape:
            return 0
        return self._dm(a, GF(p)).rank()

    def pivots_mod_p(self, a, p):
        from sympy.polys.domains import GF

        if 0 in a.shape:
            return ()
        return tuple(self._dm(a, GF(p)).rref()[1])

    def rank_over_q(self, a):
        from sympy.polys.domains import QQ

        if 0 in a.shape:
            return 0
        return self._dm(a, QQ).rank()

    def solve_over_q(self, b, c):
        from sympy.polys.domains import QQ

        x = self._dm(b, QQ).lu_solve(self._dm(c, QQ)).to_Matrix()
        den = 1
        for e in x:
            den = math.lcm(den, int(e.q))
        num = [int(e.p) * (den // int(e.q)) for e in x]
        return np.array(num, dtype=object).reshape(c.shape), den

    def product_is_zero(self, a, k):
        from sympy.polys.domains import ZZ

        if a.size == 0 or k.size == 0:
            return True
        return (self._dm(a, ZZ) * self._dm(k, ZZ)).is_zero_matrix


class ModularEngine(FlintEngine):
    """Our BLAS-speed modular elimination (:mod:`verifier.exact.modular`) for ``rank mod p`` with ``p < 2^26``
    (flint for larger primes); flint answers the questions over Q (pivots, solving, products) that kernel
    certificates need.

    Examples
    --------
    >>> import numpy as np
    >>> e = ModularEngine()
    >>> e.rank_mod_p(np.array([[1, 2], [2, 4]], dtype=object), 7), e.primes_for((4096, 4096))
    (1, (8388593, 8388587))
    """

    name = "modular"
    primes = (8388593, 8388587)

    def name_for(self, shape, p):
        return "modular" if p < MAX_PRIME else "flint"

    def rank_mod_p(self, a, p):
        if self.name_for(a.shape, p) == "flint":
            return super().rank_mod_p(a, p)
        return modular_rank(a, p)


class AutoEngine(FlintEngine):
    """The default: flint below :data:`LARGE_ENTRIES` entries, the modular kernel from there on.

    Examples
    --------
    >>> e = AutoEngine()
    >>> e.name_for((10, 10), 8388593), e.name_for((4096, 4096), 8388593), e.name_for((4096, 4096), 2**31 - 1)
    ('flint', 'modular', 'flint')
    """

    name = "auto"
    #: Matrices with at least this many entries go to the modular kernel.
    LARGE_ENTRIES = 128 * 128

    def _large(self, shape) -> bool:
        return shape[0] * shape[1] >= self.LARGE_ENTRIES

    def primes_for(self, shape):
        return ModularEngine.primes if self._large(shape) else FlintEngine.primes

    def name_for(self, shape, p):
        return ModularEngine().name_for(shape, p) if self._large(shape) else "flint"

    def rank_mod_p(self, a, p):
        if self.name_for(a.shape, p) == "modular":
            return ModularEngine().rank_mod_p(a, p)
        return super().rank_mod_p(a, p)


ENGINES = {"auto": AutoEngine, "flint": FlintEngine, "sympy": SympyEngine, "modular": ModularEngine}


def get_engine(engine: "str | RankEngine | None" = None) -> RankEngine:
    """Resolve an engine name (``'auto'``, the default, ``'flint'``, ``'sympy'``, ``'modular'``) or pass
    an engine through.

    Examples
    --------
    >>> get_engine().name, get_engine("sympy").name
    ('auto', 'sympy')
    >>> get_engine("numpy")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'engine' must be one of 'auto', 'flint', 'sympy', 'modular', got 'numpy'.
    """
    if engine is None:
        return AutoEngine()
    if isinstance(engine, RankEngine):
        return engine
    if not isinstance(engine, str) or engine not in ENGINES:
        raise invalid("engine", "one of " + ", ".join(repr(k) for k in ENGINES), engine)
    return ENGINES[engine]()
