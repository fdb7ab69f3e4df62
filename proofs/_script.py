"""What the proof-check scripts share: parsing ``2,1,1`` and printing reports with the exit code.

A script builds its reports with library calls; :func:`report_main` prints them and returns 0 if every
report passed, 1 if one failed, and 2 (with one line ``<prog>: error: ...``) on bad input.
"""

import sys


def int_tuple(text: str) -> tuple:
    """``"2,1,1"`` -> ``(2, 1, 1)``; a malformed list raises ValueError (reported as bad input)."""
    return tuple(int(x) for x in text.split(","))


def report_main(prog: str, make_reports) -> int:
    """Print the reports ``make_reports()`` returns; exit code 0 iff all pass, 2 on bad input."""
    try:
        reports = make_reports()
    except ValueError as exc:  # InvalidArgumentError is a ValueError
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    for rep in reports:
        print(rep)
        print()
    return 0 if all(r.passed for r in reports) else 1
