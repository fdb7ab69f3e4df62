"""Tables and figures of result rows: the JSON lines of ``verifier sweep`` or of ``verifier rank --json``.

A *row* is one parsed JSON object. A *field* names a value of a row: a key of the row (``rank``, ``N``,
``route``), else a flag of the sweep row's ``args`` (so error rows still show their ``N``), or a dotted path
into nested objects (``evidence.count.entries``). Values are exact: integers stay integers (those written by
JSON as exact strings such as ``"2^16384"`` are read back exactly), lists are shown comma-separated. Nothing
here reads a file; the command line passes the parsed rows.

Examples
--------
>>> rows = [{"N": 8, "M": 2, "rank": 16}, {"N": 32, "M": 2, "rank": 65536}]
>>> print(rows_table(rows, ["N", "rank"]).to_markdown().splitlines()[-1])
| 32 | 2^16 |
>>> p = rows_plot(rows, "N", "rank", "M")
>>> [(s.label, s.x, s.y) for s in p.series], p.log_y, p.log2_x
([('M = 2', (8, 32), (16, 65536))], True, True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..errors import InvalidArgumentError, show
from .integers import _power_of
from .plots import Plot, Series
from .reports import latex_escape
from .tables import Column, Power, Table, show_int

#: Fields shown by default, in this order, when some row has them.
DEFAULT_COLUMNS = ("net", "N", "M", "widths", "Z", "L_c", "Y", "shared", "seed", "partition", "rank",
                   "lower_bound", "upper_bound", "route", "error")
#: Headers of known fields: (LaTeX, plain).
HEADERS = {"widths": ("$r_0,\\dots,r_{L-1}$", "widths"), "rank": ("$\\mathrm{rank}\\,[A]$", "rank [A]"),
           "lower_bound": ("lower bound", "lower bound"), "upper_bound": ("upper bound", "upper bound"),
           "min_cut": ("min-cut", "min-cut"), "rows": ("rows", "rows"), "cols": ("columns", "columns")}
#: Largest exponent read back from a ``"b^e"`` string as an integer (beyond it the cell stays a power).
MAX_EXPONENT_BITS = 10**6

_POWER = re.compile(r"^(\d+)\^(\d+)$")
_SYMBOL = re.compile(r"^([A-Za-z])(?:_(\w+))?$")


#: Marks an absent field (``None`` is a value: a rank that was not certified).
_MISSING = object()


def field_value(row: dict, name: str):
    """The value of field ``name`` in ``row`` (the row, then its ``args``, then a dotted path), or a marker
    object when absent (see :func:`has_field`).

    Examples
    --------
    >>> field_value({"args": {"N": 8}, "error": "x"}, "N"), field_value({"a": {"b": 3}}, "a.b")
    (8, 3)
    """
    if name in row:
        return row[name]
    args = row.get("args")
    if isinstance(args, dict) and name in args:
        return args[name]
    cur = row
    for part in name.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return _MISSING
        cur = cur[part]
    return cur


def has_field(row: dict, name: str) -> bool:
    """Whether ``row`` has field ``name``."""
    return field_value(row, name) is not _MISSING


def exact_value(v):
    """A JSON value as an exact cell: ints (also from ``"b^e"`` strings) as ints, lists comma-joined.

    Examples
    --------
    >>> exact_value("2^20"), exact_value([2, 2, 2]), exact_value(None)
    (1048576, '2,2,2', None)
    """
    if isinstance(v, str):
        m = _POWER.match(v)
        if m:
            b, e = int(m.group(1)), int(m.group(2))
            return b**e if e * max(b, 2).bit_length() <= MAX_EXPONENT_BITS else Power(b, e)
        return v
    if isinstance(v, list):
        return ",".join(str(exact_value(x)) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, float):  # JSON rows of this package hold no floats; one given is shown as written
        return repr(v)
    return v


@dataclass(frozen=True)
class Compact:
    """An exact integer shown as its digits or, when shorter, as a power ``b^e`` (``$2^{16}$`` in LaTeX).

    Examples
    --------
    >>> Compact(65536).text(), Compact(256).text(), Compact(65536).latex()
    ('2^16', '256', '2^{16}')
    """

    value: int

    def _power(self):
        return _power_of(abs(self.value)) if abs(self.value) > 3 else None

    def text(self) -> str:
        """Plain text: the shorter of the digits and ``b^e`` (ties: the digits)."""
        digits = show_int(self.value)
        found = self._power()
        if found and len(f"{found[0]}^{found[1]}") < len(digits):
            return ("-" if self.value < 0 else "") + f"{found[0]}^{found[1]}"
        return digits

    def latex(self) -> str:
        """LaTeX math: the same choice, ``b^{e}``."""
        t = self.text()
        if "^" in t and "*" not in t and " " not in t:
            b, e = t.split("^")
            return f"{b}^{{{e}}}"
        return show_int(self.value, latex=True)


def column_for(name: str) -> Column:
    """The column of a field: a known header, math mode for symbols (``N`` -> ``$N$``, ``L_c`` -> ``$L_c$``).

    Examples
    --------
    >>> column_for("L_c").header, column_for("route").header
    ('$L_{c}$', 'route')
    """
    if name in HEADERS:
        tex, plain = HEADERS[name]
        return Column(name, tex, "r" if name != "widths" else "l", plain)
    m = _SYMBOL.match(name)
    if m:
        tex = m.group(1) + (f"_{{{m.group(2)}}}" if m.group(2) else "")
        return Column(name, f"${tex}$", "r", name)
    return Column(name, latex_escape(name.replace("_", " ")), "r", name)


def _cell(v):
    v = exact_value(v)
    if isinstance(v, bool) or not isinstance(v, int):
        return v
    return Compact(v)


def rows_table(rows, columns=None, caption: str | None = None, label: str | None = None) -> Table:
    """A :class:`~verifier.render.tables.Table` of ``rows`` with the given fields as columns.

    Parameters
    ----------
    rows : list of dict
    columns : list of str, optional
        Field names; default the fields of :data:`DEFAULT_COLUMNS` that some row has.
    caption, label : str, optional
        Plain-text caption (escaped for LaTeX) and LaTeX label (default ``tab:ranks``).

    Raises
    ------
    InvalidArgumentError
        Naming ``--columns`` when a field is in no row, or ``--from`` when there are no rows.
    """
    rows = list(rows)
    if not rows:
        raise InvalidArgumentError("Argument '--from' must hold at least one row, got none.")
    common = []
    if columns is None:
        columns = [c for c in DEFAULT_COLUMNS if any(has_field(r, c) for r in rows)]
        if "rank" in columns and all(r.get("certified", True) for r in rows):
            columns = [c for c in columns if c not in ("lower_bound", "upper_bound")]
        if len(rows) > 1:  # a field with one value in every row is said once, in the caption
            for c in list(columns):
                values = {json.dumps(field_value(r, c), sort_keys=True, default=str) for r in rows}
                if len(values) == 1 and c not in ("rank", "error"):
                    v = _cell(field_value(rows[0], c))
                    common.append(f"{c} = {v.text() if isinstance(v, Compact) else _plain(v)}")
                    columns.remove(c)
    for c in columns:
        if not any(has_field(r, c) for r in rows):
            known = sorted({k for r in rows for k in r if k != "args"} | {k for r in rows
                                                                           for k in (r.get("args") or {})})
            raise InvalidArgumentError(f"Argument '--columns' must name fields of the rows (e.g. "
                                       f"{', '.join(known[:8])}), got {show(c)}.")
    table_rows = []
    for r in rows:
        cells = {}
        for c in columns:
            v = field_value(r, c)
            cells[c] = None if v is _MISSING else _cell(v)
        table_rows.append(cells)
    cap = caption if caption is not None else (
        f"{len(rows)} result row{'s' if len(rows) != 1 else ''}: certified ranks of the matricization [A] "
        "(exact integers)." + (f" In every row: {', '.join(common)}." if common else ""))
    cols = []
    for c in columns:
        col = column_for(c)
        numeric = all(v is None or isinstance(v, (Compact, Power)) for v in (r[c] for r in table_rows))
        cols.append(Column(col.key, col.header, "r" if numeric else "l", col.plain))
    return Table("rows", cap, cols, table_rows, label=label or "tab:ranks")


def _plain(v) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return v.text() if isinstance(v, Power) else str(v)


def _number(v):
    """An exact number for plotting (int, or an int read from ``"b^e"``), else None."""
    v = exact_value(v)
    if isinstance(v, Power):
        return v.value
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def rows_plot(rows, x: str, y: str, group: str | None = None, title: str | None = None):
    """A :class:`~verifier.render.plots.Plot` of field ``y`` against field ``x``, one series per value of
    ``group``. Exact integers are drawn at log10 (floats for drawing only) when they span more than a factor
    of 100; ``x`` on a base-2 axis when its values are powers of 2; non-numeric ``x`` as categories. Rows
    without both fields (error rows) are left out.

    Raises
    ------
    InvalidArgumentError
        Naming ``--x``, ``--y`` or ``--group`` when no row has the field, or ``--y`` when a value is not an
        integer.
    """
    rows = list(rows)
    if not rows:
        raise InvalidArgumentError("Argument '--from' must hold at least one row, got none.")
    for flag, name in (("--x", x), ("--y", y), ("--group", group)):
        if name is not None and not any(has_field(r, name) for r in rows):
            raise InvalidArgumentError(f"Argument {flag!r} must name a field of the rows, got {show(name)}.")
    points = []
    for r in rows:
        xv, yv = field_value(r, x), field_value(r, y)
        if xv is _MISSING or yv is _MISSING or yv is None:
            continue
        ny = _number(yv)
        if ny is None:
            raise InvalidArgumentError(f"Argument '--y' must name an integer field, got {show(y)} with value "
                                       f"{show(yv)}.")
        g = exact_value(field_value(r, group)) if group is not None else None
        points.append((exact_value(xv), ny, "" if g is _MISSING or g is None else str(g)))
    if not points:
        raise InvalidArgumentError(f"Argument '--y' must name a field with values in some row, got {show(y)} "
                                   "(no row has both fields).")
    numeric = all(isinstance(p[0], int) and not isinstance(p[0], bool) for p in points)
    cats = () if numeric else tuple(sorted({str(p[0]) for p in points}))
    xs = [p[0] for p in points] if numeric else []
    log2_x = numeric and all(v > 0 and v & (v - 1) == 0 for v in xs) and max(xs) >= 4 * min(xs)
    ys = [p[1] for p in points]
    log_y = all(v > 0 for v in ys) and max(ys) >= 100 * min(ys)

    def key(g):
        return (0, int(g)) if g.lstrip("-").isdigit() else (1, g)
    series, markers = [], "osD^vP*X"
    for i, g in enumerate(sorted({p[2] for p in points}, key=key)):
        mine = sorted(((p[0] if numeric else cats.index(str(p[0])), p[1]) for p in points if p[2] == g))
        px = tuple(p[0] for p in mine)
        label = f"{group} = {g}" if group is not None else y
        series.append(Series(label, px, tuple(p[1] for p in mine), "line" if numeric else "points",
                             marker=markers[i % len(markers)], size=max(10.0 - 1.5 * i, 4.0)))
    note = f"{len(points)} of {len(rows)} rows; exact integers" + (" drawn at log10 (floats only for drawing)"
                                                                    if log_y else "")
    return Plot("rows", title or f"{y} against {x}" + (f", by {group}" if group else ""), x, y, series,
                log_y=log_y, log2_x=log2_x, categories=cats, note=note)
