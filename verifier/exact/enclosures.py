"""Certified real numbers: enclosures ``lo <= x <= hi`` with exact rational ends, and their renderings.

An :class:`Enclosure` is what the package reports for quantities that are not rational (singular values,
distances): both ends are exact :class:`~fractions.Fraction` s, so every comparison made with them is
exact. Floats appear only as renderings, rounded OUTWARD (``float(lo)`` is never above ``lo``), and decimal
strings likewise; so a printed interval always contains the true value.

Examples
--------
>>> e = sqrt_enclosure(Enclosure(Fraction(2), Fraction(2), "2"))
>>> e.exact, e.decimals(10), e.positive
('sqrt(2)', ('1.414213562', '1.414213563'), True)
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from fractions import Fraction

from ..errors import invalid
from ..render.tables import fraction_digits


@dataclass(frozen=True)
class Enclosure:
    """A real number ``x`` certified to lie in ``[lo, hi]`` (exact rationals); ``exact`` names it when known.

    Examples
    --------
    >>> e = sqrt_enclosure(Enclosure(Fraction(6), Fraction(6), "6"))
    >>> e.exact, e.decimals(20), e.floats()[0] <= 6 ** 0.5 <= e.floats()[1]
    ('sqrt(6)', ('2.4494897427831780981', '2.4494897427831780982'), True)
    """

    lo: Fraction
    hi: Fraction
    exact: str | None = None

    def contains(self, q) -> bool:
        """Whether the exact rational ``q`` lies in ``[lo, hi]``."""
        return self.lo <= Fraction(q) <= self.hi

    @property
    def positive(self) -> bool:
        """Certified ``x > 0`` (``lo > 0``)."""
        return self.lo > 0

    def floats(self) -> tuple[float, float]:
        """``(a, b)`` floats with ``a <= lo`` and ``hi <= b`` (outward rounding; certified)."""
        return _float_down(self.lo), _float_up(self.hi)

    def decimals(self, digits: int = 20) -> tuple[str, str]:
        """Decimal strings rounded outward to ``digits`` significant digits (exact text, no floats)."""
        return _decimal(self.lo, digits, up=False), _decimal(self.hi, digits, up=True)

    def __str__(self) -> str:
        lo, hi = self.decimals(17)
        rng = lo if self.lo == self.hi and lo == hi else f"[{lo}, {hi}]"
        return f"{self.exact} = {rng}" if self.exact and self.exact != rng else rng


def _float_down(q: Fraction) -> float:
    try:
        f = float(q)
    except OverflowError:
        return sys.float_info.max if q > 0 else -math.inf
    return math.nextafter(f, -math.inf) if Fraction(f) > q else f


def _float_up(q: Fraction) -> float:
    try:
        f = float(q)
    except OverflowError:
        return math.inf
    if math.isinf(f):
        return f
    return math.nextafter(f, math.inf) if Fraction(f) < q else f


def _ndigits(n: int) -> int:
    """Number of decimal digits of ``n > 0``, without ``str(n)`` (refused past 4300 digits)."""
    d = max(1, int(n.bit_length() * 0.30102999566398120) - 1)
    while 10**d <= n:
        d += 1
    return d


def _decimal(q: Fraction, digits: int, up: bool) -> str:
    """``q`` rounded toward -inf (or +inf) to ``digits`` significant decimal digits, as exact text."""
    q = Fraction(q)
    if q == 0:
        return "0"
    sign = "-" if q < 0 else ""
    a = -q if q < 0 else q
    e = _ndigits(a.numerator) - _ndigits(a.denominator)  # 10^(e-1) <= a < 10^(e+1)
    if a < Fraction(10) ** e:
        e -= 1
    scale = Fraction(10) ** (digits - 1 - e)
    x = a * scale
    toward_up = up != bool(sign)
    n = math.ceil(x) if toward_up else math.floor(x)
    if n >= 10**digits:  # rounding up crossed a power of 10
        e += 1
        n = -(-n // 10) if toward_up else n // 10
    s = str(n).rjust(digits, "0")
    if -6 <= e < 21:
        if e >= digits - 1:
            return sign + s + "0" * (e - digits + 1)
        if e >= 0:
            return sign + (s[:e + 1] + "." + s[e + 1:]).rstrip("0").rstrip(".")
        return sign + ("0." + "0" * (-e - 1) + s).rstrip("0").rstrip(".")
    mant = (s[0] + "." + s[1:]).rstrip("0").rstrip(".")
    return f"{sign}{mant}e{e:+d}"


def _isqrt_fraction(q: Fraction, up: bool) -> Fraction:
    """A rational lower (``up=False``) or upper bound of ``sqrt(q)`` for ``q >= 0``, ~2^-80 relative."""
    if q <= 0:
        return Fraction(0)
    k = max(0, 80 - (q.numerator.bit_length() - q.denominator.bit_length()) // 2)
    n = q.numerator * 4**k
    root = math.isqrt(n // q.denominator)
    if up:
        root += 1
    return Fraction(root, 2**k)


def sqrt_enclosure(square: Enclosure) -> Enclosure:
    """Enclosure of ``sqrt(x)`` from one of ``x >= 0`` (exact when ``x`` is an exact square).

    Examples
    --------
    >>> sqrt_enclosure(Enclosure(Fraction(9, 4), Fraction(9, 4), "9/4"))
    Enclosure(lo=Fraction(3, 2), hi=Fraction(3, 2), exact='3/2')
    """
    if not isinstance(square, Enclosure):
        raise invalid("square", "an Enclosure", square)
    lo, hi = max(square.lo, Fraction(0)), square.hi
    exact = None
    if lo == hi:
        n, d = math.isqrt(lo.numerator), math.isqrt(lo.denominator)
        if n * n == lo.numerator and d * d == lo.denominator:
            r = Fraction(n, d)
            return Enclosure(r, r, fraction_digits(r))
        exact = f"sqrt({fraction_digits(lo)})"  # exact digits, also past Python's 4300-digit limit of str(int)
    return Enclosure(_isqrt_fraction(lo, False), _isqrt_fraction(hi, True), exact)


