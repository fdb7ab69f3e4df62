"""The statement checks that ``verifier prove`` runs, at their default sizes.

Each entry of :data:`CHECKS` is ``(name, function)``; the function takes no arguments and returns a
:class:`~verifier.render.reports.Report` (or a list of them). Add a statement check by appending to it.

Examples
--------
>>> [name for name, _ in CHECKS][:1]
['theorem1']
"""

from __future__ import annotations

from ..errors import invalid
from .corollary1 import corollary1_reports
from .exceptional.measure_zero import check_measure_zero
from .pooling import pooling_reports
from .receptive_fields import check_receptive_fields
from .simnets import check_simnets
from .theorem1 import check_theorem1
from .theorem2 import theorem2_reports
from .tt import tt_reports


def _theorem1():
    return [check_theorem1(),                                   # r = r_0 = M = 3: rank 3^4
            check_theorem1(N=8, M=4, widths=(2, 3, 1), seed=10),  # r = r_0 < M: rank 2^4
            check_theorem1(N=1024, M=3, widths=(2,) * 10)]      # structure only: rank 2^512


def _measure_zero():  # N=4, M=2, widths 2,1: the factored determinant, 4 x 500 samples, hypothesis search
    return check_measure_zero(bounds=(1, 4, 16, 64), samples=500)


CHECKS = [("theorem1", _theorem1), ("corollary1", corollary1_reports), ("theorem2", theorem2_reports),
          ("measure_zero", _measure_zero), ("pooling_geometry", pooling_reports), ("simnets", check_simnets),
          ("receptive_fields", check_receptive_fields), ("tt", tt_reports)]

#: Tables that ``verifier prove --out DIR`` writes (``DIR/table-<kind>.{tex,md,csv,json}``) after the
#: named check ran: check name -> table kinds of :func:`verifier.theorems.tables.build_table` (default grids, seed 0).
TABLES = {"theorem1": ("theorem1",), "corollary1": ("params", "approx"), "theorem2": ("theorem2",),
          "receptive_fields": ("receptive-fields",), "tt": ("tt",)}


#: Figures that ``verifier prove --out DIR`` writes (``DIR/figure-<kind>.{png,pdf}``) after the named check
#: ran: check name -> kinds of :func:`verifier.theorems.figures.build_plot` (default sizes, seed 0).
FIGURES = {"theorem1": ("theorem1", "geometry"), "corollary1": ("params",), "measure_zero": ("measure-zero",),
           "tt": ("tt",)}


def _check_names(names) -> None:
    """``names``: a list (or tuple, set) of check names from :data:`CHECKS`."""
    known = [n for n, _ in CHECKS]
    if not isinstance(names, (list, tuple, set, frozenset)) or any(n not in known for n in names):
        raise invalid("names", "a list of check names among " + ", ".join(known), names)


def figures_for(names) -> list:
    """The kinds of figure belonging to the checks that ran, in a fixed order (built by the caller, which
    needs matplotlib to draw them).

    Examples
    --------
    >>> figures_for(["measure_zero", "theorem1"])
    ['theorem1', 'geometry', 'measure-zero']
    """
    _check_names(names)
    return [kind for name, _ in CHECKS if name in names for kind in FIGURES.get(name, ())]


def tables_for(names) -> list:
    """The tables belonging to the checks that ran, as ``[(kind, Table), ..]``, in a fixed order.

    Examples
    --------
    >>> [kind for kind, _ in tables_for(["theorem2"])]
    ['theorem2']
    """
    _check_names(names)
    from .tables import build_table

    return [(kind, build_table(kind)) for name, _ in CHECKS if name in names for kind in TABLES.get(name, ())]


def run_checks(names=None) -> list:
    """Run the named checks (all by default); returns ``[(name, [Report, ..]), ..]``.

    Examples
    --------
    >>> [(n, [r.passed for r in reps]) for n, reps in run_checks(["theorem1"])]
    [('theorem1', [True, True, True])]
    """
    if names is not None:
        _check_names(names)
    out = []
    for name, fn in CHECKS:
        if names is None or name in names:
            reps = fn()
            out.append((name, reps if isinstance(reps, list) else [reps]))
    return out
