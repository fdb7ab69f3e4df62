"""``verifier plot --kind {theorem1,params,measure-zero,geometry} --out FILE.{png,pdf,svg,pgf}``: a figure of
exact, certified results (:mod:`verifier.theorems.figures`, drawn by :mod:`verifier.render.plots`).

``verifier plot --from R.jsonl --x FIELD --y FIELD [--group FIELD] [--out FILE]``: a figure of your rows (a
sweep's JSON lines, or ``rank --json`` lines): one line per value of ``--group``, exact integers drawn at
log10 (:func:`verifier.render.rows.rows_plot`); rows without a certified ``--y`` are left out and counted in
the note under the plot.

The format is the file's extension (default ``KIND.png``, or ``R.png`` beside ``R.jsonl``). The file is
written atomically (temp file + rename); the same command writes the same bytes. Exit 0 on success, 2 on bad
input (kind, extension, a directory or unwritable place).
"""

from __future__ import annotations

import os

from ..errors import InvalidArgumentError
from .arguments import path_argument, write_output


def register(sub) -> None:
    """Add the ``plot`` subcommand."""
    from ..theorems.figures import KINDS

    p = sub.add_parser("plot", help="draw a figure of certified results (PNG, PDF, SVG, PGF)")
    p.add_argument("--kind", choices=KINDS, help="which figure (or --from)")
    p.add_argument("--from", dest="source", type=path_argument("--from"), metavar="R.jsonl",
                   help="draw the rows of a sweep (or 'rank --json' lines) instead of a fixed kind")
    p.add_argument("--x", help="--from: field on the x axis (e.g. N)")
    p.add_argument("--y", help="--from: integer field on the y axis (e.g. rank)")
    p.add_argument("--group", help="--from: one line per value of this field (e.g. M)")
    p.add_argument("--out", type=path_argument("--out"),
                   help="file to write; its extension (.png .pdf .svg .pgf) is the format (default: KIND.png, or "
                        "the rows file's name with .png beside it)")
    p.set_defaults(func=run)


def build(args):
    """The :class:`~verifier.render.plots.Plot` the flags ask for (``--kind`` or ``--from``)."""
    if args.source is None:
        given = [(f, v) for f, v in (("--x", args.x), ("--y", args.y), ("--group", args.group)) if v is not None]
        if given:
            raise InvalidArgumentError(f"Argument {given[0][0]!r} must only be given with --from, got "
                                       f"{given[0][1][:60]!r}.")
        if args.kind is None:
            raise InvalidArgumentError("Argument '--kind' must be given (or --from R.jsonl --x F --y F), got nothing.")
        from ..theorems.figures import build_plot

        return build_plot(args.kind)
    if args.kind is not None:
        raise InvalidArgumentError(f"Argument '--kind' must not be given with --from, got {args.kind!r}.")
    for flag, value in (("--x", args.x), ("--y", args.y)):
        if not value:
            raise InvalidArgumentError(f"Argument {flag!r} must name a field of the rows with --from, got nothing.")
    from ..render.rows import rows_plot
    from .rows import read_rows

    return rows_plot(read_rows(args.source), args.x, args.y, args.group)


def output_format(path: str) -> str:
    """The format named by ``--out``'s extension, after checking the place is writable.

    Examples
    --------
    >>> output_format("fig.PNG")
    'png'
    >>> output_format("fig.jpg")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument '--out' must end in .png, .pdf, .svg or .pgf, got 'fig.jpg'.
    """
    from ..render.plots import FORMATS

    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidArgumentError(f"Argument '--out' must end in .png, .pdf, .svg or .pgf, got {path[:80]!r}.")
    if os.path.isdir(path):
        raise InvalidArgumentError(f"Argument '--out' must be a file, got the directory {path[:80]!r}.")
    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
        raise InvalidArgumentError(f"Argument '--out' must be in an existing, writable directory, got {path[:80]!r}.")
    return fmt


def write_plot(plot, path: str) -> None:
    """Render a :class:`~verifier.render.plots.Plot` in the format of ``path`` and write it atomically."""
    write_output("--out", path, plot.render(output_format(path)))


def run(args) -> int:
    """Check ``--out``, build the figure's exact data, draw, write; print the file name."""
    if args.out is None:
        args.out = (f"{args.kind}.png" if args.source is None or args.kind is not None
                    else os.path.splitext(args.source)[0] + ".png")
    fmt = output_format(args.out)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InvalidArgumentError("Argument '--out' needs matplotlib to draw (pip install "
                                   f"'convac-verifier[scale]'), got {args.out[:60]!r} without it.") from None
    plot = build(args)
    write_output("--out", args.out, plot.render(fmt))
    print(f"wrote {args.out} ({args.kind or 'rows of ' + args.source[:60]}, {fmt})")
    return 0
