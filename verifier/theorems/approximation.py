"""Corollary 1, approximation: certified Eckart-Young lower bounds on the distance to every shallow net.

Cohen, Sharir & Shashua (COLT 2016), Corollary 1 and MATH.md section 3. A shallow net with Z channels
(shared or not) has a coefficient tensor ``B`` of CP-rank ``<= Z``, so ``rank [B]_{I,J} <= Z`` for every
partition (Lemma C). By Eckart-Young, for every such ``B``

.. math:: \\|A - B\\|_F \\ge \\|[A] - [B]\\|_F \\ge \\Big(\\sum_{i > Z} \\sigma_i([A])^2\\Big)^{1/2},

which is ``> 0`` whenever ``Z < rank [A]``. The squared singular values of ``[A]`` are the eigenvalues of
the exact Gram matrix ``[A]^T [A]`` (or ``[A] [A]^T``, whichever is smaller).

**L2 form.** For representation functions with Gram matrix ``F[d, d'] = <f_d, f_d'>`` (symmetric positive
semidefinite, M x M) the score functions satisfy
``||h_A - h_B||_{L2}^2 = vec(A - B)^T F^{(x)N} vec(A - B) = ||(A - B) x_1 C .. x_N C||_F^2`` for any
``C`` with ``C^T C = F``; ``B x C`` is again of CP-rank ``<= Z``. So the same bound holds with the squared
singular values of ``K_I [A] K_J^T`` (``K = C^{(x)k}``), i.e. the eigenvalues of
``[A]^T F_I [A] F_J`` with ``F_I = F^{(x)|I|}``, ``F_J = F^{(x)|J|}`` (``XY`` and ``YX`` have the same
characteristic polynomial): no square root of F is ever formed.

**How the enclosure is certified.** The characteristic polynomial of that matrix is computed exactly over
the integers (after clearing denominators, then scaled back exactly), factored into irreducibles
(flint); linear factors give exact rational eigenvalues (0 among them, whose multiplicity gives the
exact rank), the others are isolated by arb's rigorous complex root finder (disjoint balls, real roots
with imaginary part exactly 0). The sum of the ``n - Z`` smallest eigenvalues is monotone in every
eigenvalue, so the sums of the smallest lower endpoints and of the smallest upper endpoints enclose it:
no ordering of overlapping balls is needed. Every bound is an exact rational; floats appear only as
outward-rounded copies of those rationals. When the weights factor as a Kronecker product with
rational spectra (the witness), the spectrum is the product multiset of the factors' spectra
(Lemma K), for any N.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import witness_weights
>>> b = approximation_bound(witness_weights(DeepArch(N=8, M=2, widths=(2, 1, 1))), Z=10)
>>> b.rank, b.distance.exact, b.distance.decimals(12)
(16, 'sqrt(6)', ('2.44948974278', '2.44948974279'))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from ..errors import InvalidArgumentError, SizeLimitError, check_int, count_text, invalid
from ..exact.enclosures import Enclosure, sqrt_enclosure
from ..exact.fields import common_denominator, to_exact
from ..exact.tensors import EXACT_ENTRY_LIMIT, Partition, matricize, parse_partition
from ..nets.coefficients import check_output_index, coefficient_tensor
from ..nets.weights import check_weights
from ..rank.structure import _factor_matrix, kronecker_factors
from ..render.tables import fraction_digits, show_int

#: Largest side of the exact Gram matrix whose spectrum is enclosed densely (3^4 = 81: N = 8, M = 3).
GRAM_SIDE_LIMIT = 81
#: Largest number of distinct eigenvalues tracked when multiplying Kronecker factors' spectra.
SPECTRUM_SIZE_LIMIT = 4096
#: Working precision (bits) of the first root isolation; doubled while a nonzero root's ball touches 0.
START_PREC = 64


@dataclass(frozen=True)
class Spectrum:
    """Eigenvalues (with multiplicity) of an ``n x n`` matrix similar to a positive semidefinite one.

    ``values`` holds ``(lo, hi, multiplicity)`` for the NONZERO eigenvalues (exact rational bounds;
    ``lo == hi`` for exact ones); the eigenvalue 0 has multiplicity ``n - sum of multiplicities``.

    Examples
    --------
    >>> s = gram_spectrum(np.array([[1, 1], [1, 1]], dtype=object))
    >>> s.n, s.rank, s.values, s.tail(1)
    (2, 1, ((Fraction(4, 1), Fraction(4, 1), 1),), Enclosure(lo=Fraction(0, 1), hi=Fraction(0, 1), exact='0'))
    """

    n: int
    values: tuple
    method: str

    @property
    def rank(self) -> int:
        """Number of nonzero eigenvalues (exact)."""
        return sum(m for _, _, m in self.values)

    def tail(self, Z: int) -> Enclosure:
        """Enclosure of the sum of all eigenvalues but the Z largest (``sum_{i>Z} sigma_i^2``).

        The sum of the ``k`` smallest of numbers known to lie in intervals is enclosed by the sums of the
        ``k`` smallest lower and upper endpoints (the function is monotone in every argument).
        """
        k = self.rank - Z  # zeros contribute nothing: the k smallest NONZERO values remain to be summed
        if k <= 0:
            return Enclosure(Fraction(0), Fraction(0), "0")
        sums = []
        for side in (0, 1):
            total, left = Fraction(0), k
            for v in sorted((val[side], val[2]) for val in self.values):
                take = min(left, v[1])
                total += take * v[0]
                left -= take
                if not left:
                    break
            sums.append(total)
        return Enclosure(sums[0], sums[1], fraction_digits(sums[0]) if sums[0] == sums[1] else None)


def _to_fraction(x) -> Fraction:
    m, e = (int(t) for t in x.man_exp())
    return Fraction(m) * Fraction(2) ** e


def _int_matrix(a: np.ndarray) -> tuple[flint.fmpz_mat, int]:
    d = common_denominator(a.flat)
    return flint.fmpz_mat([[int(x * d) for x in row] for row in a.tolist()]), d


def gram_spectrum(matrix: np.ndarray, row_metric: np.ndarray | None = None, col_metric: np.ndarray | None = None,
                  prec: int = START_PREC) -> Spectrum:
    """Certified squared singular values of ``K_I A K_J^T`` where ``K_I^T K_I = row_metric`` etc.

    With no metrics: the squared singular values of ``A`` itself (eigenvalues of the exact Gram matrix).

    Parameters
    ----------
    matrix : numpy.ndarray
        Exact ``R x C`` matrix (ints / Fractions).
    row_metric, col_metric : numpy.ndarray, optional
        Exact symmetric PSD ``R x R`` and ``C x C`` matrices (identity when omitted).
    prec : int
        Initial working precision in bits for root isolation.

    Examples
    --------
    >>> s = gram_spectrum(np.array([[1, 0], [0, 2]], dtype=object), np.array([[2, 1], [1, 2]], dtype=object))
    >>> s.rank, [str(Enclosure(lo, hi)) for lo, hi, _ in s.values]   # A^T F A: 5 -+ sqrt(13)
    (2, ['[1.3944487245360107, 1.3944487245360108]', '[8.6055512754639892, 8.6055512754639893]'])
    """
    for name, m in (("matrix", matrix), ("row_metric", row_metric), ("col_metric", col_metric)):
        if (m is not None or name == "matrix") and (not isinstance(m, np.ndarray) or m.ndim != 2):
            raise invalid(name, "a 2-D numpy array of exact entries", m)
    prec = check_int(prec, "prec", 16, 2**16)
    a = np.asarray(matrix, dtype=object)
    rows, cols = a.shape
    am, da = _int_matrix(a)
    fi, di = _int_matrix(row_metric) if row_metric is not None else (None, 1)
    fj, dj = _int_matrix(col_metric) if col_metric is not None else (None, 1)
    left, right = (am.transpose(), am) if cols <= rows else (am, am.transpose())
    mid_m, end_m = (fi, fj) if cols <= rows else (fj, fi)
    x = left * mid_m * right if mid_m is not None else left * right
    if end_m is not None:
        x = x * end_m
    scale = Fraction(da * da * di * dj)
    n = min(rows, cols)
    _, factors = x.charpoly().factor()
    while True:
        values, ok = [], True
        with flint.ctx.workprec(prec):
            for f, e in factors:
                if f.degree() == 1:
                    root = Fraction(-int(f[0]), int(f[1]))
                    if root != 0:
                        values.append((root / scale, root / scale, e))
                    continue
                for c, m in f.complex_roots():
                    if not c.imag.is_zero():  # pragma: no cover - impossible for a matrix similar to PSD
                        raise ArithmeticError("a non-real eigenvalue of a matrix similar to a PSD matrix")
                    mid, rad = _to_fraction(c.real.mid()), _to_fraction(c.real.rad())
                    lo, hi = max(mid - rad, Fraction(0)), mid + rad
                    ok = ok and lo > 0
                    values.append((lo / scale, hi / scale, m * e))
        if ok:
            break
        prec *= 2  # pragma: no cover - a nonzero root's ball touched 0 at this precision
    values.sort()
    method = (f"exact characteristic polynomial of the {n} x {n} Gram matrix (flint), roots isolated by arb "
              f"(rigorous balls, {prec} bits)")
    return Spectrum(n, tuple(values), method)


def kron_power(f: np.ndarray, k: int) -> np.ndarray:
    """``f (.) f (.) .. (.) f`` (k factors; ``k = 0`` gives ``[[1]]``), exact.

    Examples
    --------
    >>> kron_power(np.array([[1, 2], [3, 4]], dtype=object), 2).shape
    (4, 4)
    """
    if not isinstance(f, np.ndarray) or f.ndim != 2:
        raise invalid("f", "a 2-D numpy array", f)
    k = check_int(k, "k", 0, 64)
    out = np.ones((1, 1), dtype=object)
    for _ in range(k):
        out = np.kron(out, f)
    return out


def check_gram(gram, M: int) -> np.ndarray:
    """Validate a Gram matrix of M representation functions: exact, M x M, symmetric, PSD.

    PSD is decided exactly: a symmetric matrix is PSD iff the coefficients of ``det(xI - F)`` alternate
    in sign (weakly), since its characteristic polynomial is real-rooted.

    Examples
    --------
    >>> check_gram([[2, 1], [1, 2]], 2).tolist()
    [[2, 1], [1, 2]]
    >>> check_gram([[1, 2], [2, 1]], 2)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'gram' must be a symmetric positive semidefinite 2 x 2 matrix of exact numbers, got [[1, 2], [2, 1]] (not positive semidefinite).
    """
    what = f"a symmetric positive semidefinite {M} x {M} matrix of exact numbers"
    try:
        data = [list(r) for r in gram]
    except TypeError:
        raise invalid("gram", what, gram) from None
    if len(data) != M or any(len(r) != M for r in data):
        raise invalid("gram", what, data)
    f = np.empty((M, M), dtype=object)
    for i, r in enumerate(data):
        for j, x in enumerate(r):
            f[i, j] = to_exact(x, "gram")
    shown = [[str(x) if isinstance(x, Fraction) else x for x in r] for r in f.tolist()]
    if (f != f.T).any():
        raise InvalidArgumentError(f"Argument 'gram' must be {what}, got {shown!r} (not symmetric).")
    coeffs = flint.fmpq_mat([[flint.fmpq(x.numerator, x.denominator) if isinstance(x, Fraction) else x for x in r]
                             for r in f.tolist()]).charpoly().coeffs()
    if any(Fraction(int(c.p), int(c.q)) * (-1) ** (M - k) < 0 for k, c in enumerate(coeffs)):
        raise InvalidArgumentError(f"Argument 'gram' must be {what}, got {shown!r} (not positive semidefinite).")
    return f


def kronecker_spectrum(weights, partition: Partition, output: int = 0, gram: np.ndarray | None = None):
    """Spectrum of ``[A]`` from a Kronecker factorization whose factors have rational spectra, or None.

    ``[A] = c P ((.)_b [phi_b]) Q`` (Lemma K; P, Q permutations), so the squared singular values are
    ``c^2`` times the products of one squared singular value per factor; they are multiplied as exact
    rationals with multiplicities, for any N.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> s = kronecker_spectrum(witness_weights(DeepArch(N=1024, M=3, widths=(2,) * 10)),
    ...                        parse_partition("odd-even", 1024))
    >>> s.n == 3**512, s.rank == 2**512, s.values[0][:2]
    (True, True, (Fraction(1, 1), Fraction(1, 1)))
    """
    found = kronecker_factors(weights, output)
    if found is None or (len(found[1]) == 1 and found[0] != 0):
        return None
    scalar, factors = found
    rows, cols = partition.shape(weights.arch.M)
    n = min(rows, cols)
    if scalar == 0:
        return Spectrum(n, (), "Lemma K: the output weights select nothing (A = 0)")
    acc = {Fraction(scalar) ** 2: 1}
    row_modes = frozenset(partition.rows)
    cache: dict = {}
    for fac in factors:
        mat = _factor_matrix(weights, fac, row_modes)
        key = (mat.shape, tuple(mat.ravel().tolist()))
        if key not in cache:
            k_rows = sum(1 for m in fac.modes if m in row_modes)
            metrics = (None, None) if gram is None else (kron_power(gram, k_rows),
                                                         kron_power(gram, len(fac.modes) - k_rows))
            spec = gram_spectrum(mat, *metrics)
            if any(lo != hi for lo, hi, _ in spec.values):
                return None
            cache[key] = [(lo, m) for lo, _, m in spec.values]
        nxt: dict = {}
        for v, m in acc.items():
            for w, k in cache[key]:
                nxt[v * w] = nxt.get(v * w, 0) + m * k
        if len(nxt) > SPECTRUM_SIZE_LIMIT:
            return None
        acc = nxt
    values = tuple(sorted((v, v, m) for v, m in acc.items()))
    method = (f"Lemma K: products of the exact rational spectra of {len(factors)} Kronecker factors "
              f"({len(cache)} distinct)")
    return Spectrum(n, values, method)


@dataclass(frozen=True)
class ApproximationBound:
    """Corollary 1 (approximation) for one network: every shallow net with Z channels is at distance
    at least ``distance`` from it, with everything needed to reproduce the numbers.

    Attributes
    ----------
    arch, weights_kind, seed, bound, partition, output
        The network and the matricization (``output`` 0-based).
    Z : int
        Channels of the competing shallow nets (shared or unshared).
    gram : list or None
        The Gram matrix of the representation functions (L2 form), or None (Frobenius norm of tensors).
    spectrum : Spectrum
        Certified squared singular values of ``[A]`` (or of its L2-transformed version).
    tail, distance : Enclosure
        ``sum_{i>Z} sigma_i^2`` and its square root, the lower bound on the distance.
    route : str
        ``'structure'`` (Kronecker factors) or ``'dense'`` (exact Gram matrix).
    """

    arch: object
    weights_kind: str
    seed: int | None
    bound: int | None
    partition: Partition
    output: int
    Z: int
    gram: list | None
    spectrum: Spectrum
    tail: Enclosure
    distance: Enclosure
    route: str

    @property
    def rank(self) -> int:
        """``rank [A]`` (exact: the multiplicity of the eigenvalue 0 is read off the factored characteristic
        polynomial). With a SINGULAR Gram matrix it is ``rank K_I [A] K_J^T``, only a lower bound on
        ``rank [A]`` (see :attr:`rank_is_matrix_rank`)."""
        return self.spectrum.rank

    @property
    def rank_is_matrix_rank(self) -> bool:
        """Whether :attr:`rank` is ``rank [A]``: always without a Gram matrix, and with a nonsingular one
        (``K`` is then invertible); with a singular Gram matrix it is only a certified lower bound."""
        if self.gram is None:
            return True
        return flint.fmpq_mat([[flint.fmpq(Fraction(x).numerator, Fraction(x).denominator) for x in r]
                               for r in self.gram]).det() != 0

    @property
    def norm(self) -> str:
        """The distance measured: tensors in Frobenius norm, or score functions in L2."""
        return "Frobenius norm of coefficient tensors" if self.gram is None else (
            "L2 norm of score functions (Gram matrix of the representation functions given)")

    def to_dict(self) -> dict:
        """JSON-ready form. ``lower_bound`` is ``[lo, hi]`` (floats rounded outward: lo <= true <= hi)."""
        d = {"Z": self.Z, "rank": self.rank if self.rank_is_matrix_rank else None, "rank_lower_bound": self.rank,
             "realizable_excluded": self.Z < self.rank,
             "lower_bound": list(self.distance.floats()), "lower_bound_decimal": list(self.distance.decimals()),
             "lower_bound_exact": self.distance.exact, "lower_bound_positive": self.distance.positive,
             "tail_sum": list(self.tail.floats()), "tail_sum_decimal": list(self.tail.decimals()),
             "tail_sum_exact": self.tail.exact, "n_singular_values": self.spectrum.n, "norm": self.norm,
             "gram": self.gram, "method": self.spectrum.method, "route": self.route, "weights": self.weights_kind,
             "seed": self.seed, "bound": self.bound, "partition": self.partition.spec, "output": self.output + 1,
             "architecture": self.arch.to_dict()}
        d.update(self.arch.to_dict())
        return d

    def __str__(self) -> str:
        a = self.arch
        size = f"widths={','.join(map(str, a.widths))}" if hasattr(a, "widths") else f"Z={a.Z}"
        size += f" L_c={a.L_c}" if a.net == "depth" else ""
        head = f"{a.net} ConvAC N={a.N} M={a.M} {size}, {self.weights_kind} weights"
        if self.seed is not None:
            head += f" (seed {self.seed}, bound {self.bound})"
        rank_text = (f"rank [A] = {show_int(self.rank)}" if self.rank_is_matrix_rank else
                     f"rank [A] >= {show_int(self.rank)} (rank of K_I [A] K_J^T; the Gram matrix is singular)")
        lines = [f"{head}, partition {self.partition.spec}, output {self.output + 1}",
                 f"{rank_text} ({self.spectrum.method})"]
        channels = f"{self.Z} channel{'s' if self.Z != 1 else ''}"
        if self.Z < self.rank:
            lines.append(f"Z = {self.Z} < rank: no shallow net with {channels} realizes it (Lemma C)")
        else:
            lines.append(f"Z = {self.Z} >= rank: the rank argument excludes nothing (the bound is 0)")
        what = "||A - A_shallow||_F" if self.gram is None else "||h - h_shallow||_L2"
        lines.append(f"every shallow net with {channels}: {what} >= sqrt(sum_{{i>{self.Z}}} sigma_i^2) "
                     f"= {self.distance}")
        lines.append(f"  sum_{{i>{self.Z}}} sigma_i^2 = {self.tail} (certified enclosure, exact rationals)")
        return "\n".join(lines)


def _positive_z(Z) -> int:
    if isinstance(Z, bool) or not isinstance(Z, int) or Z < 1:
        raise invalid("Z", "a positive integer", Z)
    return Z


def approximation_bound(weights, Z: int, partition: Partition | None = None, output: int = 0, gram=None,
                        route: str = "auto", max_side: int = GRAM_SIDE_LIMIT) -> ApproximationBound:
    """Certified lower bound on the distance from a network to EVERY shallow net with Z channels.

    Parameters
    ----------
    weights : Weights
        Exact weights of any architecture (deep, depth-``L_c``, shallow).
    Z : int
        Number of channels of the competing shallow nets.
    partition : Partition or str, optional
        The matricization used (default: the paper's odd/even one).
    output : int
        0-based output index.
    gram : array-like, optional
        ``M x M`` Gram matrix of the representation functions: bound the L2 distance of score functions.
    route : {'auto', 'structure', 'dense'}
        ``auto`` uses a Kronecker factorization with rational spectra when there is one.
    max_side : int
        Largest ``min(rows, cols)`` of ``[A]`` for the dense route.

    Raises
    ------
    InvalidArgumentError
        For ``Z < 1``, a bad Gram matrix or a partition of the wrong order.
    SizeLimitError
        When the dense route is needed and the Gram matrix would exceed ``max_side``.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import random_weights
    >>> b = approximation_bound(random_weights(DeepArch(N=4, M=2, widths=(2, 1)), seed=3), Z=3)
    >>> b.rank, b.distance.positive, b.route
    (4, True, 'dense')
    >>> approximation_bound(random_weights(DeepArch(N=4, M=2, widths=(2, 1)), seed=3), Z=0)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'Z' must be a positive integer, got 0.
    """
    check_weights(weights)
    Z = _positive_z(Z)
    if route not in ("auto", "structure", "dense"):
        raise invalid("route", "'auto', 'structure' or 'dense'", route)
    if weights.is_symbolic:
        raise invalid("weights", "exact numeric weights", "symbolic weights")
    arch = weights.arch
    output = check_output_index(output, arch)
    partition = partition if partition is not None else "odd-even"
    if isinstance(partition, str):
        partition = parse_partition(partition, arch.N)
    if not isinstance(partition, Partition):
        raise invalid("partition", "a Partition or a spec such as 'odd-even'", partition)
    if partition.N != arch.N:
        raise invalid("partition", f"a partition of N = {arch.N} modes", f"one of {partition.N} modes")
    f = check_gram(gram, arch.M) if gram is not None else None
    gram_list = None if f is None else [[str(x) for x in r] for r in f.tolist()]
    meta = (arch, weights.kind, weights.seed, weights.bound, partition, output, Z, gram_list)
    spec = None
    if route in ("auto", "structure"):
        spec = kronecker_spectrum(weights, partition, output, f)
        if spec is None and route == "structure":
            raise invalid("route", "'auto' or 'dense' for weights without a Kronecker factorization with rational "
                                   "spectra", route)
    used = "structure" if spec is not None else "dense"
    if spec is None:
        rows, cols = partition.shape(arch.M)
        side = min(rows, cols)
        if side > max_side or arch.M ** arch.N > EXACT_ENTRY_LIMIT:
            raise SizeLimitError(
                f"Arguments 'N', 'M': the exact Gram matrix of [A] would be {count_text(side)} x {count_text(side)} "
                f"(M^N = {arch.M}^{arch.N}), over the limit of {max_side} x {max_side} (and M^N <= "
                f"{count_text(EXACT_ENTRY_LIMIT)}) for certified eigenvalue enclosures; use witness weights "
                f"(Kronecker structure), or a smaller N or M.")
        mat = matricize(coefficient_tensor(weights, output), partition)
        metrics = (None, None) if f is None else (kron_power(f, len(partition.rows)),
                                                  kron_power(f, len(partition.cols)))
        spec = gram_spectrum(mat, *metrics)
    tail = spec.tail(Z)
    return ApproximationBound(*meta, spec, tail, sqrt_enclosure(tail), used)
