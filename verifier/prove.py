"""The statement checks that ``verifier prove`` runs, at their default sizes.

Each entry of :data:`CHECKS` is ``(name, function)``; the function takes no arguments and returns a
:class:`~verifier.reports.Report` (or a list of them). Add a statement check by appending to it.

Examples
--------
>>> [name for name, _ in CHECKS][:1]
['theorem1']
"""

from __future__ import annotations

from .theorems.theorem1 import check_theorem1


def _theorem1():
    return [check_theorem1(),                                   # r = r_0 = M = 3: rank 3^4
            check_theorem1(N=8, M=4, widths=(2, 3, 1), seed=10),  # r = r_0 < M: rank 2^4
            check_theorem1(N=1024, M=3, widths=(2,) * 10)]      # structure only: rank 2^512


CHECKS = [("theorem1", _theorem1)]


def run_checks(names=None) -> list:
    """Run the named checks (all by default); returns ``[(name, [Report, ..]), ..]``.

    Examples
    --------
    >>> [(n, [r.passed for r in reps]) for n, reps in run_checks(["theorem1"])]
    [('theorem1', [True, True, True])]
    """
    out = []
    for name, fn in CHECKS:
        if names is None or name in names:
            reps = fn()
            out.append((name, reps if isinstance(reps, list) else [reps]))
    return out
