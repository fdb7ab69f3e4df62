"""Exception hierarchy of convac-verifier.

Every error the package raises on purpose derives from :class:`VerifierError`, so a caller (the CLI
among them) can tell a bad input or a refused size from a bug.

Examples
--------
>>> from verifier.errors import InvalidArgumentError, VerifierError
>>> issubclass(InvalidArgumentError, ValueError) and issubclass(InvalidArgumentError, VerifierError)
True
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base class of every error raised on purpose by convac-verifier."""


class InvalidArgumentError(VerifierError, ValueError):
    """An argument does not have the expected type, shape or value.

    The message names the argument, what was expected and what was received.
    """


class SizeLimitError(VerifierError, MemoryError):
    """A computation would need more memory than the configured budget.

    Raised before anything is allocated; the message gives the size and the budget.

    Examples
    --------
    >>> SizeLimitError.__new__(SizeLimitError, "N too large").args   # as tblib's pickling rebuilds it
    ('N too large',)
    """

    # MemoryError.__new__ (found first on the MRO) refuses to build a subclass whose first base is not
    # MemoryError ("is not safe"); tblib's exception pickling, which dask installs process-wide, calls
    # cls.__new__(cls, *args) when an error comes back from a child process (the --time-limit child).
    __new__ = Exception.__new__


#: Longest echo of a received value in a message; longer values are cut (messages stay under 300 characters).
SHOW_CHARS = 60


def show(value: object, limit: int = SHOW_CHARS) -> str:
    """A short, safe ``repr`` of a received value for an error message.

    Long reprs are cut to ``limit`` characters with their length noted; integers too long to print are
    described by their number of digits (``repr`` itself refuses integers of more than 4300 digits), and a
    value whose ``repr`` fails is described by its type.

    Examples
    --------
    >>> show(6), show("x" * 100)
    ('6', "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (102 characters)")
    >>> show(10**5000)
    'an integer of 5001 digits'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        digits = _digits(abs(value))
        return f"{'a negative' if value < 0 else 'an'} integer of {digits} digits"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a value we cannot even print is described by its type
        return f"a {type(value).__name__}"
    if len(text) > limit:
        return f"{text[:limit - 4]}... ({len(text)} characters)"
    return text


def _digits(n: int) -> int:
    """Number of decimal digits of ``n > 0``, without converting it to a string."""
    d = max(1, int(n.bit_length() * 0.30102999566398120) - 1)
    while 10 ** d <= n:
        d += 1
    return d


def invalid(name: str, expected: str, got: object) -> InvalidArgumentError:
    """Build the standard message for a bad argument.

    Parameters
    ----------
    name : str
        The argument's name as the user wrote it.
    expected : str
        What was expected, as a phrase ("a positive integer").
    got : object
        The value received; rendered with :func:`show` (a short ``repr``).

    Returns
    -------
    InvalidArgumentError
        An error to raise.

    Examples
    --------
    >>> str(invalid("N", "a power of 2 that is at least 2", 6))
    "Argument 'N' must be a power of 2 that is at least 2, got 6."
    """
    return InvalidArgumentError(f"Argument {name!r} must be {expected}, got {show(got)}.")


def check_size(name: str, needed: int, limit: int, what: str, unit: str = "", alternative: str = "",
               limit_text: str = "the limit") -> None:
    """Refuse, before constructing anything, work whose size exceeds a limit.

    The one size check of the package: architectures (positions), weights (scalar count), dense tensors
    and matrices (bytes against the memory budget) and sampling (samples) all go through it, so every
    refusal reads the same and no size is ever formatted through a float.

    Parameters
    ----------
    name : str
        The argument(s) that set the size, as the user wrote them (``"N"``, ``"M, widths"``).
    needed, limit : int
        The size asked for and the largest allowed, exact integers.
    what : str
        What would be built ("the weights", "a dense 3^20 tensor").
    unit : str
        Unit of the sizes ("bytes", "weights"); bytes are also shown in GiB.
    alternative : str
        What to do instead.
    limit_text : str
        What the limit is called ("the memory budget").

    Raises
    ------
    SizeLimitError
        When ``needed > limit``.

    Examples
    --------
    >>> check_size("N", 8, 2**15, "the mode tree", "positions")
    >>> check_size("memory_budget", 3**20 * 8, 2**20, "a dense 3^20 tensor", "bytes", "use the witness's structure")
    Traceback (most recent call last):
    ...
    verifier.errors.SizeLimitError: Argument 'memory_budget': a dense 3^20 tensor needs 27894275208 bytes (26 GiB), over the limit of 1048576 bytes (0.000977 GiB); use the witness's structure.
    """
    needed, limit = check_int(needed, "needed"), check_int(limit, "limit")
    if needed <= limit:
        return
    names = [n.strip() for n in name.split(",")]
    label = f"Argument {name!r}" if len(names) == 1 else "Arguments " + ", ".join(map(repr, names))
    msg = f"{label}: {what} needs {_amount(needed, unit)}, over {limit_text} of {_amount(limit, unit)}"
    raise SizeLimitError(msg + (f"; {alternative}." if alternative else "."))


def count_text(n: int) -> str:
    """An exact count for a message: in full below ``10^18``, else its order of magnitude (never through a
    float, and never a decimal string of more than 4300 digits, which Python refuses to make).

    Examples
    --------
    >>> count_text(6561), count_text(3**1024)
    ('6561', 'about 10^488')
    """
    n = check_int(n, "n", 0)
    return str(n) if n < 10**18 else f"about 10^{_digits(n) - 1}"


def _amount(n: int, unit: str) -> str:
    """An exact size for a message: in full when short, else as a power of ten; bytes also in GiB."""
    text = count_text(n)
    if unit == "bytes" and n < 10**18:
        gib = n / 2**30
        text += f" bytes ({gib:.3g} GiB)"
    elif unit:
        text += f" {unit}"
    return text


def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` in ``minimum..maximum`` (either end may be open), else an
    :class:`InvalidArgumentError` naming ``name``; booleans and floats are refused.

    Examples
    --------
    >>> check_int(3, "seed", 0)
    3
    >>> check_int(None, "seed", 0)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'seed' must be an integer >= 0, got None.
    """
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or \
            (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if minimum is not None and maximum is not None:
            expected = f"an integer in {minimum}..{maximum}"
        elif minimum is not None:
            expected = f"an integer >= {minimum}"
        elif maximum is not None:
            expected = f"an integer <= {maximum}"
        else:
            expected = "an integer"
        raise invalid(name, expected, value)
    return int(value)


def check_type(value, name: str, types, expected: str):
    """``value`` itself when it is an instance of ``types``, else an :class:`InvalidArgumentError` naming ``name``
    and saying what was ``expected``.

    Examples
    --------
    >>> check_type("x", "title", str, "a string")
    'x'
    >>> check_type(3, "title", str, "a string")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'title' must be a string, got 3.
    """
    if not isinstance(value, types):
        raise invalid(name, expected, value)
    return value
