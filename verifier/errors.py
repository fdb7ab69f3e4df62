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
    """


def invalid(name: str, expected: str, got: object) -> InvalidArgumentError:
    """Build the standard message for a bad argument.

    Parameters
    ----------
    name : str
        The argument's name as the user wrote it.
    expected : str
        What was expected, as a phrase ("a positive integer").
    got : object
        The value received; rendered with ``repr``.

    Returns
    -------
    InvalidArgumentError
        An error to raise.

    Examples
    --------
    >>> str(invalid("N", "a power of 2 that is at least 2", 6))
    "Argument 'N' must be a power of 2 that is at least 2, got 6."
    """
    return InvalidArgumentError(f"Argument {name!r} must be {expected}, got {got!r}.")
