"""Figures of exact results, drawn with matplotlib (Agg, no display) as PNG, PDF, SVG or PGF bytes.

A :class:`Plot` holds exact data (``int`` and :class:`~fractions.Fraction` values, never floats) and labels;
:meth:`Plot.render` draws it. Floats appear only in the drawing: a value shown on a log axis is drawn at
``log10`` of the exact integer (``math.log10`` is exact-input for Python integers of any size, so
``3^512`` is drawn where it belongs), and the axis says so. :meth:`Plot.to_dict` gives the exact data.

Deterministic output: the same :class:`Plot` gives the same bytes. PDF and SVG carry no creation date
(``CreationDate``/``Date`` = None), SVG ids use a fixed ``svg.hashsalt``, fonts are matplotlib's own DejaVu
Sans; nothing depends on the time, the machine's fonts or dict order. (PGF needs a LaTeX installation for
its text metrics, as matplotlib's PGF backend does.)

matplotlib is imported when a plot is rendered, not on import: it comes with the ``[scale]`` extra.

Examples
--------
>>> p = Plot("demo", "Powers of three", "n", "3^n", [Series("3^n", (1, 2, 100), (3, 9, 3**100))], log_y=True)
>>> p.to_dict()["series"][0]["y"][2] == str(3**100)
True
>>> p.render("png")[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InvalidArgumentError

#: Output formats, by file extension.
FORMATS = ("png", "pdf", "svg", "pgf")
#: Figure size in inches and PNG resolution: 1000 x 625 pixels.
SIZE, DPI = (8.0, 5.0), 125
#: Fixed settings that make the bytes reproducible.
RC = {"svg.hashsalt": "convac-verifier", "pdf.compression": 6, "font.family": "DejaVu Sans",
      "axes.grid": True, "grid.alpha": 0.3, "pgf.rcfonts": False}


@dataclass(frozen=True)
class Series:
    """One labelled data series: exact ``x`` and ``y`` (``None`` = no certified value, not drawn).

    ``style``: ``"line"`` (markers joined), ``"dashed"`` (a formula, no markers), ``"points"`` (markers
    only) or ``"bars"`` (categorical x); ``color`` a matplotlib colour (default: the cycle); ``marker`` and
    ``size`` the markers of ``"line"`` and ``"points"`` (distinct markers keep overlapping series visible).
    """

    label: str
    x: tuple
    y: tuple
    style: str = "line"
    color: str | None = None
    marker: str = "o"
    size: float = 5.0


@dataclass(frozen=True)
class Plot:
    """A figure: kind, title (naming the statement), axis labels, series and scales.

    ``log_y``: y drawn at ``log10`` of the exact values, ticks labelled ``10^k``. ``log2_x``: x on a base-2
    log axis. ``categories``: x tick labels for bar charts (``x`` are then positions 0, 1, ..). ``ylim``:
    fixed y range (linear plots). ``note``: a line under the plot (weights, seeds, how certified).
    """

    kind: str
    title: str
    xlabel: str
    ylabel: str
    series: list
    log_y: bool = False
    log2_x: bool = False
    categories: tuple = ()
    ylim: tuple | None = None
    note: str = ""
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Exact data as JSON-ready values: integers as decimal strings, fractions as ``"p/q"``."""
        def text(v):
            if v is None:
                return None
            if isinstance(v, Fraction):
                return f"{v.numerator}/{v.denominator}"
            return str(v)
        return {"kind": self.kind, "title": self.title, "xlabel": self.xlabel, "ylabel": self.ylabel,
                "categories": list(self.categories), "note": self.note, "meta": self.meta,
                "series": [{"label": s.label, "style": s.style, "x": [text(v) for v in s.x],
                            "y": [text(v) for v in s.y]} for s in self.series]}

    def render(self, fmt: str) -> bytes:
        """The figure as ``fmt`` bytes (one of :data:`FORMATS`); same plot, same bytes.

        Raises
        ------
        InvalidArgumentError
            For an unknown format, or PGF without LaTeX.
        """
        if fmt not in FORMATS:
            raise InvalidArgumentError(f"Argument 'format' must be one of {', '.join(FORMATS)}, got {fmt!r}.")
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        with matplotlib.rc_context(RC):
            fig = Figure(figsize=SIZE, dpi=DPI)
            FigureCanvasAgg(fig)
            self._draw(fig.add_subplot(1, 1, 1))
            if self.note:
                fig.text(0.01, 0.01, self.note, fontsize=7, color="0.35", ha="left", va="bottom", wrap=True)
            fig.tight_layout(rect=(0, 0.05 if self.note else 0, 1, 1))
            metadata = {"png": {"Software": None}, "pdf": {"CreationDate": None, "ModDate": None,
                                                           "Producer": None, "Creator": "convac-verifier"},
                        "svg": {"Date": None, "Creator": "convac-verifier"}, "pgf": None}[fmt]
            buf = io.BytesIO()
            try:
                fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata)
            except (RuntimeError, FileNotFoundError, OSError):
                if fmt != "pgf":
                    raise
                raise InvalidArgumentError("Argument '--out' must end in .png, .pdf or .svg on a machine without "
                                           "LaTeX (PGF output needs xelatex for its text metrics), got a .pgf file."
                                           ) from None
        return buf.getvalue()

    def _draw(self, ax) -> None:
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        nbars = sum(s.style == "bars" for s in self.series)
        width, k = 0.8 / max(nbars, 1), 0
        shift = width / 2 - 0.4 if nbars else 0.0  # points of a bar chart mark the first bars
        top = None
        for s in self.series:
            pts = [(x, y) for x, y in zip(s.x, s.y) if y is not None]
            xs = [float(x) for x, _ in pts]
            ys = [_draw_value(y, self.log_y) for _, y in pts]
            top = max(ys + ([] if top is None else [top])) if ys else top
            style = {"label": s.label} if s.color is None else {"label": s.label, "color": s.color}
            if s.style == "bars":
                ax.bar([x - 0.4 + width * (k + 0.5) for x in xs], ys, width=width, zorder=2, **style)
                k += 1
            elif s.style == "dashed":
                ax.plot(xs, ys, linestyle="--", linewidth=1.2, zorder=3, **style)
            elif s.style == "points":
                ax.plot([x + shift for x in xs], ys, linestyle="none", marker="D" if s.marker == "o" else s.marker,
                        markersize=max(s.size, 6), zorder=4, markeredgecolor="black", **style)
            else:
                ax.plot(xs, ys, marker=s.marker, markersize=s.size, linewidth=1.5, zorder=3, **style)
        ax.set_title(self.title, fontsize=11)
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel(self.ylabel + (" (log scale)" if self.log_y else ""))
        if self.log2_x:
            ax.set_xscale("log", base=2)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        if self.categories:
            ax.set_xticks(range(len(self.categories)))
            crowded = sum(len(c) for c in self.categories) > 55  # long names would run into each other
            ax.set_xticklabels(self.categories, rotation=20 if crowded else 0, ha="right" if crowded else "center")
        if self.log_y:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"$10^{{{round(v)}}}$"))
            if nbars and top is not None:
                ax.set_ylim(0, top * 1.35 + 0.5)  # room for the legend above the bars
        if self.ylim is not None:
            ax.set_ylim(*self.ylim)
        ax.legend(fontsize=8, loc="best")


def _draw_value(v, log: bool) -> float:
    """Where an exact value is drawn: ``log10(v)`` on a log axis (exact-input, any size), else ``float(v)``.

    Examples
    --------
    >>> round(_draw_value(3**512, True), 6)   # log10(3^512), drawn for the exact integer 3^512
    244.286082
    >>> _draw_value(Fraction(1, 4), False)
    0.25
    """
    if not log:
        return float(v)
    v = Fraction(v)
    if v <= 0:
        raise InvalidArgumentError(f"Argument 'y' must be positive on a log axis, got {v}.")
    return math.log10(v.numerator) - math.log10(v.denominator)
