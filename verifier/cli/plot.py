"""``verifier plot --kind {theorem1,params,measure-zero,geometry} --out FILE.{png,pdf,svg,pgf}``: a figure of
exact, certified results (:mod:`verifier.theorems.figures`, drawn by :mod:`verifier.render.plots`).

The format is the file's extension. The file is written atomically (temp file + rename); the same command
writes the same bytes. Exit 0 on success, 2 on bad input (kind, extension, a directory or unwritable place).
"""

from __future__ import annotations

import os

from ..errors import InvalidArgumentError
from .arguments import write_output


def register(sub) -> None:
    """Add the ``plot`` subcommand."""
    from ..theorems.figures import KINDS

    p = sub.add_parser("plot", help="draw a figure of certified results (PNG, PDF, SVG, PGF)")
    p.add_argument("--kind", choices=KINDS, required=True, help="which figure")
    p.add_argument("--out", required=True, help="file to write; its extension (.png .pdf .svg .pgf) is the format")
    p.set_defaults(func=run)


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
    from ..theorems.figures import build_plot

    fmt = output_format(args.out)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InvalidArgumentError("Argument '--kind' needs matplotlib (pip install 'convac-verifier[scale]'), "
                                   f"got {args.kind!r} without it.") from None
    plot = build_plot(args.kind)
    write_output("--out", args.out, plot.render(fmt))
    print(f"wrote {args.out} ({args.kind}, {fmt})")
    return 0
