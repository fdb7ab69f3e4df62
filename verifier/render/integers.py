"""Exact integers as text: compactly (``3^40``, ``m*b^e``, ``b^e - k``) or in full, also past Python's 4300-digit
limit of ``str(int)``."""

from __future__ import annotations

import math

from ..errors import check_int


#: Integers with at most this many digits are always written out in full.
SHORT_DIGITS = 12


def _near_powers(n: int):
    """``(b, e)`` for the bases ``b = 2..16`` and the exponents ``e >= 2`` next to ``log_b n``: estimates only,
    each caller tests its candidates exactly."""
    for b in range(2, 17):
        e = round(math.log(n, b))
        yield from ((b, e2) for e2 in (e - 1, e, e + 1) if e2 >= 2)


def _power_of(n: int):
    """``(b, e)`` with ``n = b^e``, ``e >= 2`` maximal, or None. Bases up to 16 are tried first (the smallest
    base gives the largest exponent; exact test of the estimated exponent), then sympy's ``perfect_power``."""
    if n <= 3:
        return None
    for b, e in _near_powers(n):
        if b**e == n:
            return b, e
    from sympy import perfect_power

    found = perfect_power(n)
    return found if found else None


def show_int(n: int, latex: bool = False) -> str:
    """An exact integer, written compactly when it is long: ``b^e``, ``m*b^e`` or ``b^e - k``, else in full.

    Examples
    --------
    >>> show_int(6561), show_int(3**40), show_int(3**40, latex=True), show_int(-(2**100))
    ('6561', '3^40', '3^{40}', '-2^100')
    """
    n = check_int(n, "n")
    if n < 0:
        return "-" + show_int(-n, latex)
    if n < 10**SHORT_DIGITS:
        return str(n)

    def pw(b, e):
        return f"{b}^{{{e}}}" if latex else f"{b}^{e}"

    found = _power_of(n)
    if found:
        return pw(*found)
    for b in (2, 3, 5, 7, 10):
        e, m = 0, n
        while m % b == 0:
            m //= b
            e += 1
        if e > 1 and m < 10**SHORT_DIGITS:
            return f"{m} \\cdot {pw(b, e)}" if latex else f"{m}*{pw(b, e)}"
    for b, e in _near_powers(n):
        k = n - b**e
        if abs(k) < 10**SHORT_DIGITS:
            return f"{pw(b, e)} {'+' if k > 0 else '-'} {abs(k)}" if k else pw(b, e)
    return decimal_text(n)


def decimal_text(n: int) -> str:
    """All decimal digits of an integer, also beyond Python's 4300-digit limit of ``str(int)``.

    Examples
    --------
    >>> len(decimal_text(7**6000)), decimal_text(-12)
    (5071, '-12')
    """
    n = check_int(n, "n")
    if abs(n).bit_length() < 14000:
        return str(n)
    import flint  # FLINT's conversion has no digit limit (and is quasi-linear)

    return str(flint.fmpz(n))
