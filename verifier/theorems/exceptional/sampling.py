"""The exceptional set of Theorem 1, empirically: how often uniform integer weights hit it.

For weights drawn independently and uniformly from ``S = {-k, .., k}``, Schwartz-Zippel (MATH.md
section 2) bounds the chance that the certificate polynomial (:mod:`verifier.theorems.exceptional.polynomial`, a maximal minor
of ``[A]`` of total degree ``deg``) vanishes, and so the chance of a rank drop, by ``deg / (2k + 1)``
(vacuous, i.e. ``>= 1``, for small k). This module samples weights, decides rank deficiency EXACTLY,
and compares the observed rate with that bound and with the exact probability the factorization
implies.

Deciding a sample (all exact, no floats)
    A sample is *deficient* when ``rank [A] < R`` (R = the certificate's size). If no factor of the
    certificate vanishes (exact integer evaluation), the minor is nonzero and ``rank >= R``. If some
    factor vanishes and the minor is the whole square matrix, ``det [A] = 0`` and ``rank < R``.
    Otherwise the rank is certified from the dense matrix
    (:func:`~verifier.exact.certify.certify_matrix_rank`: rank mod p for the lower bound, a kernel
    certificate or elimination over Q for the upper bound).

Sample ``i`` of a row with bound ``k`` is ``random_weights(arch, seed + i, k)``: any sample can be
re-run with ``verifier rank --seed <seed + i> --bound <k>``.

Exact probability
    ``P[minor = 0] = 1 - prod_C P[no factor of C vanishes]`` over groups ``C`` of factors with
    disjoint variables (independent). A single factor ``f = g_1 + .. + g_t`` whose terms split into
    variable-disjoint parts is counted by enumerating each part's values and convolving; a group of
    several factors by enumerating its variables. Both only up to :data:`ENUMERATION_LIMIT` points
    per part, else the probability is not given. When the minor is the whole matrix this is
    ``P[rank [A] < R]`` exactly, otherwise an upper bound on it.

Rendering: rationals are exact strings ``"num/den"`` (always with a denominator, reduced; parse with
``fractions.Fraction``); ``*_estimate`` fields are floats for reading only.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.theorems.exceptional.polynomial import certificate_polynomial
>>> cert = certificate_polynomial(DeepArch(N=2, M=2, widths=(2,)))
>>> exact_vanishing_probability(cert, 1)
Fraction(5537, 6561)
"""

from __future__ import annotations

import itertools
import numbers
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from ...errors import InvalidArgumentError, check_size, invalid
from ...exact.certify import certify_matrix_rank
from ...exact.tensors import matricize
from ...nets.coefficients import coefficient_tensor
from ...nets.weights import check_weights, random_weights
from ...render.tables import as_fraction, decimal_text
from .polynomial import CertificatePolynomial, weight_vector

#: Largest number of points enumerated for one independent part of the exact probability.
ENUMERATION_LIMIT = 10**6


def fraction_text(q: Fraction) -> str:
    """Exact rational as ``"num/den"`` (reduced, denominator always shown).

    Examples
    --------
    >>> fraction_text(Fraction(6, 4)), fraction_text(Fraction(0))
    ('3/2', '0/1')
    """
    q = as_fraction(q, "q")
    return f"{decimal_text(q.numerator)}/{decimal_text(q.denominator)}"  # also past 4300 digits


#: Largest sampling half-range k, most bounds and most samples per bound that are accepted.
MAX_BOUND, MAX_BOUNDS, MAX_SAMPLES = 10**18, 64, 10**6


def validate_bounds(bounds) -> tuple:
    """Normalize and validate the list of bounds k (positive integers, at least one).

    Examples
    --------
    >>> validate_bounds([1, 2, 4])
    (1, 2, 4)
    >>> validate_bounds([2, 0])
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'bounds' must be a nonempty list of positive integers (at most 64, each at most 10^18), got [2, 0].
    """
    try:
        out = tuple(bounds)
    except TypeError:
        raise invalid("bounds", "a nonempty list of positive integers", bounds) from None
    if not out or len(out) > MAX_BOUNDS or any(isinstance(k, bool) or not isinstance(k, numbers.Integral)
                                               or not 1 <= k <= MAX_BOUND for k in out):
        raise invalid("bounds", f"a nonempty list of positive integers (at most {MAX_BOUNDS}, each at most 10^18)", bounds)
    return tuple(int(k) for k in out)


def _positive(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise invalid(name, "a positive integer", value)
    return int(value)


def _components(items: list, key) -> list:
    """Group items whose variable sets (``key(item)``) overlap, transitively (union-find)."""
    parent = list(range(len(items)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict = {}
    for i, it in enumerate(items):
        for var in key(it):
            if var in owner:
                parent[find(i)] = find(owner[var])
            else:
                owner[var] = i
    groups: dict = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(items[i])
    return list(groups.values())


def _distribution(terms: list, values: range, limit: int) -> Counter | None:
    """Counts of the values of ``sum(terms)`` over all assignments of its variables from ``values``."""
    variables = sorted({i for _, mono in terms for i, _ in mono})
    if (values.stop - values.start) ** len(variables) > limit:  # len() of a huge range overflows
        return None
    pos = {v: n for n, v in enumerate(variables)}
    out: Counter = Counter()
    for point in itertools.product(values, repeat=len(variables)):
        total = 0
        for coeff, mono in terms:
            t = coeff
            for i, e in mono:
                t *= point[pos[i]] ** e
            total += t
        out[total] += 1
    return out


def _zero_count(factor, values: range, limit: int) -> int | None:
    """Number of assignments of the factor's variables from ``values`` where it vanishes."""
    parts = _components(list(factor.terms), key=lambda t: [i for i, _ in t[1]])
    dists = []
    for part in parts:
        d = _distribution(part, values, limit)
        if d is None:
            return None
        dists.append(d)
    acc = dists[0]
    for d in dists[1:-1]:
        new: Counter = Counter()
        for a, ca in acc.items():
            for b, cb in d.items():
                new[a + b] += ca * cb
        acc = new
    if len(dists) == 1:
        return acc.get(0, 0)
    last = dists[-1]
    return sum(c * last.get(-v, 0) for v, c in acc.items())


def exact_vanishing_probability(cert, bound: int, limit: int = ENUMERATION_LIMIT) -> Fraction | None:
    """``P[certificate polynomial = 0]`` for weights uniform on ``{-bound..bound}``, exactly, or None.

    Equal to ``P[rank [A] < R]`` when the certificate is the whole square matrix (``cert.full``).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.theorems.exceptional.polynomial import certificate_polynomial
    >>> cert = certificate_polynomial(DeepArch(N=4, M=2, widths=(2, 1)))
    >>> p = exact_vanishing_probability(cert, 32)
    >>> p <= Fraction(cert.degree, 65), str(round(p, 3))
    (True, '17/200')
    """
    if not isinstance(cert, CertificatePolynomial):
        raise invalid("cert", "a CertificatePolynomial (certificate_polynomial)", cert)
    bound = _positive(bound, "bound")
    values = range(-bound, bound + 1)
    n = 2 * bound + 1
    nonzero = Fraction(1)
    for group in _components(list(cert.factors), key=lambda f: f.variables):
        if len(group) == 1:
            zeros = _zero_count(group[0], values, limit)
            if zeros is None:
                return None
            nonzero *= 1 - Fraction(zeros, n ** len(group[0].variables))
            continue
        variables = sorted({i for f in group for i in f.variables})
        if n ** len(variables) > limit:
            return None
        good = 0
        for point in itertools.product(values, repeat=len(variables)):
            vec = dict(zip(variables, point))
            good += all(f.value(vec) != 0 for f in group)
        nonzero *= Fraction(good, n ** len(variables))
    return 1 - nonzero


def sample_is_deficient(cert, weights, engine=None) -> bool:
    """Whether ``rank [A] < cert.size`` at these (integer) weights, decided exactly.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.theorems.exceptional.polynomial import certificate_polynomial
    >>> cert = certificate_polynomial(DeepArch(N=4, M=2, widths=(2, 1)))
    >>> sample_is_deficient(cert, random_weights(cert.arch, 0, 10**6))
    False
    """
    if not isinstance(cert, CertificatePolynomial):
        raise invalid("cert", "a CertificatePolynomial (certificate_polynomial)", cert)
    check_weights(weights)
    if not cert.vanishing_factors(weight_vector(weights)):
        return False
    if cert.full:
        return True
    return dense_rank(cert, weights, engine) < cert.size


def dense_rank(cert, weights, engine=None) -> int:
    """The certified exact rank of the dense ``[A]`` at these weights (independent of the polynomial).

    Raises
    ------
    InvalidArgumentError
        If the rank could not be certified (never observed at these sizes).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> from verifier.theorems.exceptional.polynomial import certificate_polynomial
    >>> cert = certificate_polynomial(DeepArch(N=4, M=2, widths=(2, 1)))
    >>> dense_rank(cert, witness_weights(cert.arch))
    4
    """
    if not isinstance(cert, CertificatePolynomial):
        raise invalid("cert", "a CertificatePolynomial (certificate_polynomial)", cert)
    check_weights(weights)
    a = matricize(coefficient_tensor(weights, cert.output), cert.partition)
    c = certify_matrix_rank(a, engine=engine)
    if not c.certified:  # pragma: no cover - small matrices always reach elimination over Q
        raise InvalidArgumentError(f"Argument 'weights' gave an uncertified rank: {c}.")
    return c.rank


@dataclass(frozen=True)
class RateRow:
    """One row of the empirical table: bound k, samples, deficient samples and the exact rationals.

    ``examples`` holds the seeds of the first few deficient samples (``random_weights(arch, s, k)``);
    ``cross_checked`` counts the samples whose verdict was re-derived from the dense certified rank.
    """

    bound: int
    samples: int
    deficient: int
    degree: int
    exact: Fraction | None
    exact_is_rank: bool
    examples: tuple = ()
    cross_checked: int = 0

    @property
    def rate(self) -> Fraction:
        """``deficient / samples``."""
        return Fraction(self.deficient, self.samples)

    @property
    def sz_bound(self) -> Fraction:
        """Schwartz-Zippel: ``deg / (2k + 1)`` (not clamped at 1)."""
        return Fraction(self.degree, 2 * self.bound + 1)

    @property
    def within_bound(self) -> bool:
        """``rate <= sz_bound`` (exact comparison)."""
        return self.rate <= self.sz_bound

    def to_dict(self) -> dict:
        """JSON row: ``bound, samples, deficient, rate, sz_bound`` (exact ``"num/den"``) and extras."""
        d = {"bound": self.bound, "samples": self.samples, "deficient": self.deficient,
             "rate": fraction_text(self.rate), "sz_bound": fraction_text(self.sz_bound),
             "rate_estimate": float(self.rate), "sz_bound_estimate": float(self.sz_bound),
             "sz_vacuous": self.sz_bound >= 1, "within_sz_bound": self.within_bound,
             "exact_probability": None if self.exact is None else fraction_text(self.exact),
             "exact_probability_estimate": None if self.exact is None else float(self.exact),
             "exact_probability_of": "rank < R" if self.exact_is_rank else "minor = 0 (>= P[rank < R])",
             "deficient_seeds": list(self.examples), "cross_checked": self.cross_checked}
        return d


def sample_rates(cert, bounds, samples: int, seed: int = 0, progress=None, cross_check: int = 0,
                 engine=None, max_examples: int = 3) -> list:
    """Sample weights uniformly from ``{-k..k}`` for each bound k and count rank-deficient samples.

    Parameters
    ----------
    cert : CertificatePolynomial
        From :func:`~verifier.theorems.exceptional.polynomial.certificate_polynomial`.
    bounds : sequence of int
        The values of k (positive).
    samples : int
        Samples per bound (positive).
    seed : int
        Sample ``i`` is ``random_weights(arch, seed + i, k)``.
    progress : callable, optional
        Called as ``progress(done, total)`` every few samples (for a progress bar).
    cross_check : int
        Re-derive the verdict of the first ``cross_check`` samples of each row from the dense
        certified rank; a disagreement raises (it would be a bug).
    engine : str, optional
        Rank engine for the dense checks.
    max_examples : int
        Seeds of deficient samples to keep per row.

    Returns
    -------
    list of RateRow

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.theorems.exceptional.polynomial import certificate_polynomial
    >>> cert = certificate_polynomial(DeepArch(N=4, M=2, widths=(2, 1)))
    >>> [(r.bound, r.deficient, str(r.rate), r.within_bound) for r in sample_rates(cert, [1, 8], 100)]
    [(1, 96, '24/25', True), (8, 32, '8/25', True)]
    """
    bounds = validate_bounds(bounds)
    samples = _positive(samples, "samples")
    check_size("samples", samples, MAX_SAMPLES, "sampling", "samples per bound")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise invalid("seed", "a non-negative integer", seed)
    total, done = len(bounds) * samples, 0
    rows = []
    for k in bounds:
        deficient, examples, checked = 0, [], 0
        for i in range(samples):
            w = random_weights(cert.arch, seed + i, k)
            bad = sample_is_deficient(cert, w, engine)
            if i < cross_check:
                if bad != (dense_rank(cert, w, engine) < cert.size):  # pragma: no cover - a bug
                    raise AssertionError(f"polynomial verdict {bad} disagrees with the dense rank at "
                                         f"seed {seed + i}, bound {k}")
                checked += 1
            if bad:
                deficient += 1
                if len(examples) < max_examples:
                    examples.append(seed + i)
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
        rows.append(RateRow(k, samples, deficient, cert.degree, exact_vanishing_probability(cert, k), cert.full,
                            tuple(examples), checked))
    return rows


def format_rate_table(rows) -> str:
    """A plain-text table of the rows: exact counts and rates, float estimates marked ``~`` (the exact
    probabilities, with long denominators, are in the JSON form).

    Examples
    --------
    >>> print(format_rate_table([RateRow(1, 10, 9, 28, Fraction(9, 10), True)]))
        k  samples  deficient  rate                    exact P[rank < R]  Schwartz-Zippel deg/(2k+1)
        1       10          9  9/10 (~0.900)           ~0.90000           28/3 (>= 1, vacuous)
    """
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, RateRow) for r in rows):
        raise invalid("rows", "a list of RateRow", rows)
    head = "exact P[rank < R]" if all(r.exact_is_rank for r in rows) else "exact P[minor = 0]"
    lines = [f"{'k':>5}  {'samples':>7}  {'deficient':>9}  {'rate':<22}  {head:<17}  Schwartz-Zippel deg/(2k+1)"]
    for r in rows:
        exact = "not computed" if r.exact is None else f"~{float(r.exact):.5f}"
        sz = f"{fraction_text(r.sz_bound)} " + ("(>= 1, vacuous)" if r.sz_bound >= 1 else f"(~{float(r.sz_bound):.3f})")
        rate = f"{r.deficient}/{r.samples} (~{float(r.rate):.3f})"
        lines.append(f"{r.bound:>5}  {r.samples:>7}  {r.deficient:>9}  {rate:<22}  {exact:<17}  {sz}")
    return "\n".join(lines)
