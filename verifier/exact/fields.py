"""Exact numbers and prime fields.

Everything the package decides is decided over the rationals :math:`\\mathbb{Q}` (Python ``int`` and
:class:`fractions.Fraction`) or over a prime field GF(p). Floats are refused at the boundary: a float
that slipped into a weight would silently make every rank below it an estimate.

Examples
--------
>>> from fractions import Fraction
>>> to_exact(Fraction(3, 6), "w")
Fraction(1, 2)
>>> to_exact(0.5, "w")
Traceback (most recent call last):
...
verifier.errors.InvalidArgumentError: Argument 'w' must be an exact number (int, Fraction or a string such as '3/4'), got 0.5.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Iterable

from ..errors import invalid

#: The default prime for modular ranks (the Mersenne prime 2^31 - 1). Residues below it fit in
#: int64 products without overflow (p^2 < 2^62), which the mod-p tensor construction relies on.
DEFAULT_PRIME = 2**31 - 1

#: Further primes tried, in this order, when the first modular rank falls short of the upper bound.
FALLBACK_PRIMES = (2147483629, 2147483587, 2147483579)


def to_exact(value: object, name: str) -> int | Fraction:
    """Convert a user value to an exact rational (``int`` or ``Fraction``).

    Parameters
    ----------
    value : int, Fraction, str or sympy Rational
        The value. Strings are parsed by :class:`fractions.Fraction` (``'3/4'``, ``'-2'``).
    name : str
        The argument name used in error messages.

    Returns
    -------
    int or Fraction
        An ``int`` when the value is integral, else a reduced ``Fraction``.

    Raises
    ------
    InvalidArgumentError
        For floats, complex numbers, booleans and anything not exactly rational.

    Examples
    --------
    >>> to_exact("6/3", "w"), to_exact(-4, "w")
    (2, -4)
    """
    if isinstance(value, bool) or isinstance(value, float) or isinstance(value, complex):
        raise invalid(name, "an exact number (int, Fraction or a string such as '3/4')", value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if type(value).__name__ == "fmpz":  # python-flint integers
        return int(value)
    if type(value).__name__ == "fmpq":  # python-flint rationals
        f = Fraction(int(value.p), int(value.q))
        return int(f) if f.denominator == 1 else f
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else value
    if isinstance(value, str):
        if len(value) > 4000:  # Fraction would refuse over 4300 digits anyway; keep the refusal cheap
            raise invalid(name, "an exact number (int, Fraction or a string such as '3/4') of at most 4000 "
                                "characters", value)
        try:
            f = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise invalid(name, "an exact number (int, Fraction or a string such as '3/4')", value) from None
        if "." in value or "e" in value.lower():
            raise invalid(name, "an exact number (int, Fraction or a string such as '3/4')", value)
        return int(f) if f.denominator == 1 else f
    if isinstance(value, numbers.Rational):  # sympy Rational, gmpy mpq, flint fmpq ...
        f = Fraction(int(value.numerator), int(value.denominator))
        return int(f) if f.denominator == 1 else f
    try:  # sympy Integer / Rational do not always register as numbers.Rational
        import sympy

        if isinstance(value, sympy.Rational):
            f = Fraction(int(value.p), int(value.q))
            return int(f) if f.denominator == 1 else f
    except ImportError:  # pragma: no cover - sympy is a dependency
        pass
    raise invalid(name, "an exact number (int, Fraction or a string such as '3/4')", value)


def common_denominator(values: Iterable[int | Fraction]) -> int:
    """Least common multiple of the denominators of exact rationals.

    Examples
    --------
    >>> common_denominator([Fraction(1, 4), 3, Fraction(5, 6)])
    12
    """
    d = 1
    try:
        values = iter(values)
    except TypeError:
        raise invalid("values", "an iterable of exact numbers", values) from None
    for v in values:
        if isinstance(v, Fraction):
            d = d * v.denominator // math.gcd(d, v.denominator)
    return d


def is_prime(n: int) -> bool:
    """Deterministic primality test (Miller-Rabin with the bases valid below 3.3e24, trial
    division check beyond via sympy).

    Examples
    --------
    >>> is_prime(DEFAULT_PRIME), is_prime(2**31 + 1), is_prime(2)
    (True, False, True)
    """
    if not isinstance(n, int) or n < 2:
        return False
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
    for q in small:
        if n % q == 0:
            return n == q
    if n >= 3317044064679887385961981:
        import sympy

        return bool(sympy.isprime(n))
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in small:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def check_prime(p: object, name: str = "prime", limit: int = 2**62) -> int:
    """Validate a prime modulus.

    Examples
    --------
    >>> check_prime(101)
    101
    >>> check_prime(100)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'prime' must be a prime below 2^62, got 100.
    """
    if isinstance(p, bool) or not isinstance(p, numbers.Integral) or not is_prime(int(p)) or int(p) >= limit:
        raise invalid(name, f"a prime below 2^{limit.bit_length() - 1}", p)
    return int(p)


def exact_array(a, name: str):
    """A new object array of the exact values (``int`` or ``Fraction``) of a numpy array's entries.

    Integer dtypes convert exactly (``uint64`` included); object arrays go entry by entry through
    :func:`to_exact`; floats and other inexact values are refused, so no entry is ever truncated or wrapped.

    Examples
    --------
    >>> import numpy as np
    >>> exact_array(np.array([2**64 - 1], dtype=np.uint64), "m").tolist()
    [18446744073709551615]
    >>> exact_array(np.ones(2), "m")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'm' must be exact entries (int, Fraction or strings such as '3/4'); floats are never accepted, got 'an array of dtype float64'.
    """
    import numpy as np

    if not isinstance(a, np.ndarray):
        raise invalid(name, "a numpy array of exact entries", a)
    if a.dtype.kind in "iub":
        return a.astype(object)
    if a.dtype.kind != "O":
        raise invalid(name, "exact entries (int, Fraction or strings such as '3/4'); floats are never accepted",
                      f"an array of dtype {a.dtype}")
    if all(type(x) is int for x in a.flat):
        return a.copy()
    return np.array([to_exact(x, name) for x in a.flat] or [], dtype=object).reshape(a.shape)
