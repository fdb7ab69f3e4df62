"""Files the command line reads and writes: regular files only, sizes checked before reading, nothing that
can block.

Every path the user gives (a weights file, a grid, a tree file, a certificate, an output) is looked at with
``os.stat`` before it is opened: a FIFO, a device (``/dev/urandom``, ``/dev/zero``), a socket or a directory
is refused in one line naming the flag, and so is a file larger than the flag's limit. Inputs are opened with
``O_NONBLOCK`` and checked again with ``fstat`` (a path swapped for a FIFO between the two looks cannot make
``open`` wait for a writer). Outputs are written by :func:`verifier.cli.arguments.write_output`, the one
atomic writer; the only targets that are not regular files it accepts are :data:`STANDARD_STREAMS`.

Examples
--------
>>> read_regular("--weights-file", "/dev/zero", 100)
Traceback (most recent call last):
...
verifier.errors.InvalidArgumentError: Argument '--weights-file' must be a regular file, got '/dev/zero' (a character device).
>>> output_kind("--out", "/dev/stdout"), output_kind("--out", "new-file.txt")
('stdout', 'file')
"""

from __future__ import annotations

import os
import stat

from ..errors import InvalidArgumentError, show

#: Output targets that are not regular files but are accepted: written to this process's own streams
#: (``/dev/null``: nothing is written).
STANDARD_STREAMS = {"/dev/stdout": "stdout", "/dev/fd/1": "stdout", "/proc/self/fd/1": "stdout",
                    "/dev/stderr": "stderr", "/dev/fd/2": "stderr", "/proc/self/fd/2": "stderr",
                    "/dev/null": "null"}


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, in words (for messages).

    Examples
    --------
    >>> import stat
    >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFREG)
    ('a FIFO', 'a regular file')
    """
    for test, name in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"  # pragma: no cover - no other kinds on POSIX


def _refuse(flag: str, path: str, expected: str, reason: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"Argument {flag!r} must be {expected}, got {show(path)} ({reason}).")


def read_regular(flag: str, path: str, limit: int, expected: str = "a regular file") -> bytes:
    """The bytes of the regular file ``path``, refused before reading when it is not a regular file or is
    larger than ``limit`` bytes; never blocks (FIFOs and devices are refused by ``stat`` before ``open``).

    Parameters
    ----------
    flag : str
        The argument's name in messages (``'--weights-file'``).
    path : str
        The path given.
    limit : int
        Largest size read, in bytes.
    expected : str
        What the file should be, for messages ("a regular file" by default).

    Raises
    ------
    InvalidArgumentError
        Naming ``flag``, the path and why (missing, a FIFO, a device, a directory, too large, unreadable).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".json") as f:
    ...     _ = f.write(b"{}"); f.flush()
    ...     read_regular("GRID", f.name, 10)
    b'{}'
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        raise _refuse(flag, path, expected, getattr(exc, "strerror", None) or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(flag, path, expected, file_kind(info.st_mode))
    if info.st_size > limit:
        raise _refuse(flag, path, f"a file of at most {limit} bytes", f"{info.st_size} bytes")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _refuse(flag, path, expected, exc.strerror or str(exc)) from None
    try:
        again = os.fstat(fd)
        if not stat.S_ISREG(again.st_mode):  # replaced between stat and open
            raise _refuse(flag, path, expected, file_kind(again.st_mode))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise _refuse(flag, path, expected, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew since stat
        raise _refuse(flag, path, f"a file of at most {limit} bytes", "larger")
    return data


def output_kind(flag: str, path: str) -> str:
    """How an output path is written: ``'file'`` (a regular file, new or existing: atomically), or
    ``'stdout'``, ``'stderr'``, ``'null'`` for :data:`STANDARD_STREAMS`. Anything else that exists and is not a
    regular file (a FIFO, ``/dev/full``, a directory) is refused before any work.

    Raises
    ------
    InvalidArgumentError
        Naming ``flag`` and what the target is.

    Examples
    --------
    >>> output_kind("--certificate", "/dev/full")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument '--certificate' must be a regular file path (or /dev/stdout), got '/dev/full' (a character device).
    """
    if path in STANDARD_STREAMS:
        return STANDARD_STREAMS[path]
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "file"
    except (OSError, ValueError) as exc:
        if isinstance(exc, NotADirectoryError):
            return "file"  # refused by the folder check of the caller
        raise _refuse(flag, path, "a writable file path", getattr(exc, "strerror", None) or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(flag, path, "a regular file path (or /dev/stdout)", file_kind(info.st_mode))
    return "file"
