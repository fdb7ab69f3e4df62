"""Tables of exact results, rendered as LaTeX (booktabs), Markdown, CSV and JSON; exact number formatting.

A :class:`Table` holds typed cells: ``int``, :class:`~fractions.Fraction`, :class:`Power` (a formula value
``b^e``), :class:`~verifier.theorems.approximation.Enclosure` (a certified interval), ``str`` or ``None``. Nothing is
ever a float. Renderers:

* LaTeX: a ``table`` with a booktabs ``tabular`` (``\\toprule``, ``\\midrule``, ``\\bottomrule``; no
  ``siunitx``), numbers in math mode, big integers as powers (``$3^{8}$``) or ``m \\cdot b^{e}`` /
  ``b^{e} - k`` when that is exact, otherwise all digits;
* Markdown: the same text with ``^`` powers;
* CSV and JSON: machine-readable exact values (all digits; fractions as ``"p/q"``; enclosures as exact
  decimal strings rounded outward).

Output is a pure function of the table (no dates, no dict-order dependence): the same arguments give the
same bytes.

Examples
--------
>>> t = Table("demo", "A demo.", [Column("n", "$n$"), Column("v", "value")], [{"n": 1, "v": Power(3, 8)}])
>>> print(t.to_markdown())
**A demo.**
<BLANKLINE>
| n | value |
|---:|---:|
| 1 | 3^8 = 6561 |
>>> show_int(3073 * 2**512), show_int(2**512 - 1, latex=True)
('3073*2^512', '2^{512} - 1')
"""

from __future__ import annotations

import csv
import io
import numbers
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import invalid
from .integers import decimal_text, show_int
from .latex import fit_tabular
from .reports import json_text, latex_escape

#: A :class:`Power` also shows its value when that is below this.
SHOW_VALUE_BELOW = 10**6


def fraction_digits(q) -> str:
    """An exact rational as ``"p/q"`` (``"p"`` when integral) in full decimal digits, also beyond Python's
    4300-digit limit; :func:`parse_fraction` reads it back.

    Examples
    --------
    >>> fraction_digits(Fraction(-3, 4)), len(fraction_digits(Fraction(7**6000)))
    ('-3/4', 5071)
    """
    q = as_fraction(q, "q")
    return decimal_text(q.numerator) + ("" if q.denominator == 1 else "/" + decimal_text(q.denominator))


def parse_fraction(text: str) -> Fraction:
    """The rational written ``"p/q"`` or ``"p"`` in decimal digits, of any length.

    Examples
    --------
    >>> parse_fraction("-3/4"), parse_fraction(fraction_digits(Fraction(7**6000))) == 7**6000
    (Fraction(-3, 4), True)
    """
    import flint

    if not isinstance(text, str) or not text.strip():
        raise invalid("text", "a rational such as '-3/4'", text)
    num, _, den = text.strip().partition("/")
    try:
        return Fraction(int(flint.fmpz(num)), int(flint.fmpz(den)) if den else 1)
    except (ValueError, ZeroDivisionError):
        raise invalid("text", "a rational such as '-3/4'", text) from None


def as_fraction(q, name: str) -> Fraction:
    """``q`` as a Fraction (int, Fraction, or a short text such as ``"3/4"``), else a package error naming ``name``.

    Examples
    --------
    >>> as_fraction("3/4", "q"), as_fraction(2, "q")
    (Fraction(3, 4), Fraction(2, 1))
    """
    if isinstance(q, Fraction):
        return q
    if isinstance(q, (int, str)) and not isinstance(q, bool):
        try:
            return Fraction(q)
        except (ValueError, ZeroDivisionError):
            pass
    elif isinstance(q, numbers.Rational):
        return Fraction(q.numerator, q.denominator)
    raise invalid(name, "an exact rational (int, Fraction or a text such as '3/4')", q)


def show_fraction(q, latex: bool = False) -> str:
    """An exact rational: ``p/q`` (``\\frac{p}{q}`` in LaTeX), integers as integers.

    Examples
    --------
    >>> show_fraction(Fraction(675, 43)), show_fraction(Fraction(675, 43), latex=True), show_fraction(Fraction(4, 2))
    ('675/43', '\\\\frac{675}{43}', '2')
    """
    q = as_fraction(q, "q")
    if q.denominator == 1:
        return show_int(q.numerator, latex)
    p, d = show_int(q.numerator, latex), show_int(q.denominator, latex)
    return f"\\frac{{{p}}}{{{d}}}" if latex else f"{p}/{d}"


@dataclass(frozen=True)
class Power:
    """The exact value ``base ** exp`` of a formula, shown as a power.

    Examples
    --------
    >>> Power(2, 512).value == 2**512, Power(3, 4).text(), Power(3, 4).latex(), Power(2, 512).text()
    (True, '3^4 = 81', '3^{4} = 81', '2^512')
    """

    base: int
    exp: int

    @property
    def value(self) -> int:
        """The integer ``base ** exp``."""
        return self.base**self.exp

    def text(self) -> str:
        """``b^e`` (and ``= value`` when small)."""
        v = self.value
        return f"{self.base}^{self.exp}" + (f" = {v}" if v < SHOW_VALUE_BELOW and self.exp > 1 else "")

    def latex(self) -> str:
        """``b^{e}`` (and ``= value`` when small), for math mode."""
        v = self.value
        return f"{self.base}^{{{self.exp}}}" + (f" = {v}" if v < SHOW_VALUE_BELOW and self.exp > 1 else "")


def _decimal_latex(text: str) -> str:
    if "e" in text:
        mant, exp = text.split("e")
        return f"{mant} \\cdot 10^{{{int(exp)}}}"
    return text


def enclosure_text(enc, latex: bool = False, digits: int = 6) -> str:
    """A certified enclosure: its exact form when known (``sqrt(2^512 - 1)``), else ``[lo, hi]``.

    Examples
    --------
    >>> from verifier.theorems.approximation import Enclosure
    >>> print(enclosure_text(Enclosure(Fraction(2**512 - 1), Fraction(2**512 - 1), f"sqrt({2**512 - 1})"), latex=True))
    \\sqrt{2^{512} - 1}
    """
    if not all(hasattr(enc, a) for a in ("lo", "hi", "exact")):
        raise invalid("enc", "an Enclosure", enc)
    exact = enc.exact
    if exact is not None:
        if exact.startswith("sqrt(") and exact.endswith(")"):
            inner = show_fraction(parse_fraction(exact[5:-1]), latex)
            return f"\\sqrt{{{inner}}}" if latex else f"sqrt({inner})"
        return show_fraction(parse_fraction(exact), latex)
    lo, hi = enc.decimals(digits)
    if latex:
        return f"[{_decimal_latex(lo)}, {_decimal_latex(hi)}]"
    return f"[{lo}, {hi}]"


def _is_formula(x) -> bool:
    """An exact value with its own ``text()``/``latex()`` forms (:class:`Power`, ``rows.Compact``)."""
    return hasattr(x, "value") and hasattr(x, "text") and hasattr(x, "latex")


def _is_enclosure(x) -> bool:
    return hasattr(x, "lo") and hasattr(x, "hi") and hasattr(x, "decimals")


def cell_text(x, latex: bool = False) -> str:
    """Human text of one cell (LaTeX: math in ``$..$``, text escaped).

    Examples
    --------
    >>> cell_text(Fraction(1, 2), latex=True), cell_text("a_b", latex=True), cell_text(None)
    ('$\\\\frac{1}{2}$', 'a\\\\_b', '')
    """
    if x is None:
        return ""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, Power) or _is_formula(x):
        return f"${x.latex()}$" if latex else x.text()
    if isinstance(x, (int, Fraction)):
        return f"${show_fraction(x, True)}$" if latex else show_fraction(x)
    if _is_enclosure(x):
        return f"${enclosure_text(x, True)}$" if latex else enclosure_text(x, False)
    return latex_escape(str(x)) if latex else str(x)


def cell_value(x):
    """Machine value of one cell for JSON: exact ints, ``"p/q"`` strings, enclosures as outward decimals.

    Examples
    --------
    >>> cell_value(Power(3, 4)), cell_value(Fraction(1, 3)), cell_value("x")
    (81, '1/3', 'x')
    """
    if isinstance(x, Power) or _is_formula(x):
        return x.value
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if _is_enclosure(x):
        lo, hi = x.decimals(20)
        return {"lo": lo, "hi": hi, "exact": x.exact}
    return x


def _csv_value(x) -> str:
    v = cell_value(x)
    if isinstance(v, dict):
        return f"[{v['lo']}, {v['hi']}]" if v["exact"] is None else v["exact"]
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


@dataclass(frozen=True)
class Column:
    """A table column: row key, header (LaTeX source; Markdown/CSV use ``plain`` or the key), alignment."""

    key: str
    header: str
    align: str = "r"
    plain: str | None = None

    @property
    def text_header(self) -> str:
        """Header for Markdown."""
        if self.plain is not None:
            return self.plain
        return self.header.replace("$", "").replace("\\", "").replace("{", "").replace("}", "")


@dataclass(frozen=True)
class Table:
    """A table of exact results.

    Parameters
    ----------
    kind : str
        Short name (``theorem1``, ..), used in the LaTeX label ``tab:<kind>``.
    caption : str
        Plain text caption (escaped for LaTeX).
    columns : list of Column
    rows : list of dict
        ``column key -> cell``.
    notes : list of str
        Extra lines (how the numbers were certified), appended to the caption.
    latex_caption : str, optional
        The caption as LaTeX source (with math); the plain caption, escaped, otherwise.
    label : str, optional
        The LaTeX label (default ``tab:<kind>``).

    The LaTeX form fits a one-column article's text width (:func:`verifier.render.latex.fit_tabular`: wide
    tables get stacked headers, wrapped text columns, or are split into stacked tabulars).
    """

    kind: str
    caption: str
    columns: list
    rows: list
    notes: list = field(default_factory=list)
    latex_caption: str | None = None
    label: str | None = None

    def to_latex(self, standalone: bool = False) -> str:
        """A ``table`` float with a booktabs ``tabular`` (``standalone``: a complete compilable document).

        Examples
        --------
        >>> print(Table("t", "Cap.", [Column("n", "$n$")], [{"n": 2**100}]).to_latex())
        \\begin{table}[ht]
        \\centering
        \\caption{Cap.}
        \\label{tab:t}
        \\begin{tabular}{r}
        \\toprule
        $n$ \\\\
        \\midrule
        $2^{100}$ \\\\
        \\bottomrule
        \\end{tabular}
        \\end{table}
        """
        head = self.latex_caption if self.latex_caption is not None else latex_escape(self.caption)
        cap = " ".join([head] + [latex_escape(n) for n in self.notes])
        label = self.label if self.label is not None else f"tab:{self.kind}"
        cells = [[cell_text(row.get(c.key), latex=True) for c in self.columns] for row in self.rows]
        lines = ["\\begin{table}[ht]", "\\centering", f"\\caption{{{cap}}}", f"\\label{{{latex_escape(label)}}}"]
        lines += fit_tabular([c.header for c in self.columns], cells, [c.align for c in self.columns])
        lines += ["\\end{table}"]
        if standalone:
            lines = ["\\documentclass{article}", "\\usepackage{booktabs}", "\\begin{document}"] + lines + [
                "\\end{document}"]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """A Markdown pipe table under a bold caption; notes follow as a paragraph."""
        align = {"r": "---:", "l": ":---", "c": ":---:"}
        lines = [f"**{self.caption}**", "", "| " + " | ".join(c.text_header for c in self.columns) + " |",
                 "|" + "|".join(align.get(c.align, "---") for c in self.columns) + "|"]
        for row in self.rows:
            lines.append("| " + " | ".join(cell_text(row.get(c.key)).replace("|", "\\|") for c in self.columns) + " |")
        if self.notes:
            lines += ["", " ".join(self.notes)]
        return "\n".join(lines)

    def to_text(self) -> str:
        """Plain text: the caption, then columns aligned with spaces (numbers to the right).

        Examples
        --------
        >>> t = Table("t", "Cap.", [Column("n", "$n$", plain="n"), Column("w", "w", "l")], [{"n": 16, "w": "a"}])
        >>> print(t.to_text())
        Cap.
        <BLANKLINE>
         n  w
        16  a
        """
        head = [c.text_header for c in self.columns]
        body = [[cell_text(row.get(c.key)) for c in self.columns] for row in self.rows]
        width = [max(len(x) for x in [h] + [r[j] for r in body]) for j, h in enumerate(head)]

        def line(cells):
            return "  ".join(x.ljust(w) if c.align == "l" else x.rjust(w)
                             for x, w, c in zip(cells, width, self.columns)).rstrip()
        out = [self.caption, "", line(head)] + [line(r) for r in body]
        return "\n".join(out + (["", " ".join(self.notes)] if self.notes else []))

    def to_csv(self) -> str:
        """CSV (header: the column keys), exact values, ``\\n`` line ends.

        Examples
        --------
        >>> t = Table("t", "c", [Column("n", "n"), Column("q", "q")], [{"n": Power(2, 3), "q": Fraction(1, 3)}])
        >>> print(t.to_csv())
        n,q
        8,1/3
        """
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([c.key for c in self.columns])
        for row in self.rows:
            w.writerow([_csv_value(row.get(c.key)) for c in self.columns])
        return buf.getvalue().rstrip("\n")

    def to_dict(self) -> dict:
        """JSON-ready form with exact values."""
        return {"kind": self.kind, "caption": self.caption, "notes": list(self.notes),
                "columns": [c.key for c in self.columns],
                "rows": [{c.key: cell_value(row.get(c.key)) for c in self.columns} for row in self.rows]}

    def to_json(self) -> str:
        """JSON text, keys sorted, two-space indent."""
        return json_text(self.to_dict(), indent=2, sort_keys=True)

    def render(self, fmt: str, standalone: bool = False) -> str:
        """Render as ``latex``, ``markdown``, ``csv``, ``json`` or ``text``."""
        if fmt == "latex":
            return self.to_latex(standalone)
        return {"markdown": self.to_markdown, "csv": self.to_csv, "json": self.to_json, "text": self.to_text}[fmt]()
