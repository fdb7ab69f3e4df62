"""Reading result rows for ``verifier table --from`` and ``verifier plot --from``: the JSON lines written by
``verifier sweep`` (or ``verifier rank --json`` lines collected in a file), each a JSON object.

Blank lines are ignored; anything else that is not a JSON object is refused in one line naming ``--from`` and
the line number, as are files that are not UTF-8, larger than :data:`MAX_ROWS_FILE` bytes, or without rows.
"""

from __future__ import annotations

import json

from ..errors import InvalidArgumentError, show

#: Largest rows file read, in bytes.
MAX_ROWS_FILE = 256 * 2**20


def read_rows(path: str, flag: str = "--from") -> list:
    """The rows of a JSON-lines file, in file order.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
    ...     _ = fh.write('{"rank": 4}\\n\\n{"rank": 16}\\n')
    >>> read_rows(fh.name)
    [{'rank': 4}, {'rank': 16}]
    >>> os.unlink(fh.name)
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_ROWS_FILE + 1)
    except OSError as exc:
        raise InvalidArgumentError(f"Argument {flag!r} must be a readable JSON-lines file, got {show(path)} "
                                   f"({exc.strerror}).") from None
    if len(data) > MAX_ROWS_FILE:
        raise InvalidArgumentError(f"Argument {flag!r} must be a file of at most {MAX_ROWS_FILE} bytes, got "
                                   f"{show(path)} (larger).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidArgumentError(f"Argument {flag!r} must be a UTF-8 JSON-lines file, got {show(path)} (byte "
                                   f"{exc.start} is not UTF-8).") from None
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            row = None
        if not isinstance(row, dict):
            raise InvalidArgumentError(f"Argument {flag!r} must be a JSON-lines file of result rows (one JSON "
                                       f"object a line, as 'verifier sweep' writes), got line {number}: "
                                       f"{show(line, 50)}.")
        rows.append(row)
    if not rows:
        raise InvalidArgumentError(f"Argument {flag!r} must hold at least one row, got {show(path)} (no rows).")
    return rows
