"""``verifier table``: tables of certified results (LaTeX booktabs, Markdown, CSV, JSON or text).

Kinds: ``theorem1`` (ranks of [A]), ``theorem2`` (block ranks, corrected bound), ``params`` (parameter
counts, Z*, exact ratios), ``approx`` (Corollary 1 distance bounds), ``receptive-fields``; see
:mod:`verifier.theorems.tables`. ``--from R.jsonl`` tabulates your own rows instead: those of a sweep or
``rank --json`` lines (``--columns``, ``--caption``, ``--label``; :func:`verifier.render.rows.rows_table`).
The same arguments give byte-identical output. LaTeX fits a one-column article (wide tables wrap or split).
"""

from __future__ import annotations

import re

from ..errors import InvalidArgumentError, show
from ..nets.weights import DEFAULT_BOUND
from ..theorems.tables import KINDS, build_table
from .arguments import check_seed, check_writable, path_argument, write_output


def _columns(text: str) -> list:
    import argparse

    names = [c.strip() for c in text.split(",")]
    if not text.strip() or any(not c or len(c) > 100 for c in names) or len(names) > 64:
        raise argparse.ArgumentTypeError(f"must be comma-separated field names such as N,M,rank (at most 64), "
                                         f"got {show(text)}")
    return names


def register(sub) -> None:
    """Add the ``table`` subcommand."""
    from .arguments import integer, positive_int

    p = sub.add_parser("table", help="tables of certified ranks, bounds and parameter counts, or of your rows")
    p.add_argument("--kind", choices=KINDS, help="which table (default theorem1); not with --from")
    p.add_argument("--from", dest="source", type=path_argument("--from"), metavar="R.jsonl",
                   help="tabulate the rows of a sweep (or of 'rank --json' lines) instead of a fixed kind")
    p.add_argument("--columns", type=_columns, help="--from: fields to show, e.g. N,M,seed,rank (default: the "
                   "architecture, seed, rank, route)")
    p.add_argument("--caption", help="--from: the caption (plain text)")
    p.add_argument("--label", help="--from: the LaTeX label (default tab:ranks)")
    p.add_argument("--format", choices=("latex", "markdown", "csv", "json", "text"), default="latex")
    p.add_argument("--out", type=path_argument("--out"), help="write to this file instead of standard output")
    p.add_argument("--standalone", action="store_true", help="latex: a complete document (compiles on its own)")
    p.add_argument("--seed", type=integer("--seed"), help="seed of the random weights (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"), help="random weights are uniform on [-bound, bound] "
                   "(default 10^6)")
    p.set_defaults(func=run)


def build(args):
    """The :class:`~verifier.render.tables.Table` the flags ask for."""
    if args.source is not None:
        given = [(f, v) for f, v in (("--kind", args.kind), ("--seed", args.seed), ("--bound", args.bound))
                 if v is not None]
        if given:
            raise InvalidArgumentError(f"Argument {given[0][0]!r} must not be given with --from (the rows are "
                                       f"already computed), got {show(given[0][1])}.")
        from ..render.rows import rows_table
        from .rows import read_rows

        if args.label is not None and not re.fullmatch(r"[A-Za-z0-9:._-]{1,100}", args.label):
            raise InvalidArgumentError(f"Argument '--label' must be letters, digits and : . _ - (at most 100), got "
                                       f"{show(args.label)}.")
        caption = None if args.caption is None else " ".join(args.caption.split())
        if caption is not None and not 0 < len(caption) <= 2000:
            raise InvalidArgumentError(f"Argument '--caption' must be a nonempty text of at most 2000 characters, "
                                       f"got {show(args.caption)}.")
        return rows_table(read_rows(args.source), args.columns, caption, args.label)
    given = [(f, v) for f, v in (("--columns", None if args.columns is None else ",".join(args.columns)),
                                 ("--caption", args.caption), ("--label", args.label)) if v is not None]
    if given:
        raise InvalidArgumentError(f"Argument {given[0][0]!r} must only be given with --from, got "
                                   f"{show(given[0][1])}.")
    if args.format == "text":
        raise InvalidArgumentError("Argument '--format' must be latex, markdown, csv or json for --kind (text is "
                                   "for --from), got 'text'.")
    check_seed(args)
    return build_table(args.kind or "theorem1", 0 if args.seed is None else args.seed,
                       DEFAULT_BOUND if args.bound is None else args.bound)


def run(args) -> int:
    """Build the table and print or write it; 0 on success."""
    if args.out is not None:
        check_writable("--out", args.out)
    text = build(args).render(args.format, args.standalone) + "\n"
    if args.out is not None:
        write_output("--out", args.out, text)
    else:
        print(text, end="")
    return 0
