"""``verifier table``: tables of certified results (LaTeX booktabs, Markdown, CSV or JSON).

Kinds: ``theorem1`` (ranks of [A]), ``theorem2`` (block ranks, corrected bound), ``params`` (parameter
counts, Z*, exact ratios), ``approx`` (Corollary 1 distance bounds); see :mod:`verifier.theorems.tables`. The same
arguments give byte-identical output.
"""

from __future__ import annotations

from ..nets.weights import DEFAULT_BOUND
from ..theorems.tables import KINDS, build_table
from .arguments import check_seed, path_argument, write_output


def register(sub) -> None:
    """Add the ``table`` subcommand."""
    from .arguments import integer, positive_int

    p = sub.add_parser("table", help="tables of certified ranks, bounds and parameter counts")
    p.add_argument("--kind", choices=KINDS, default="theorem1", help="which table (default theorem1)")
    p.add_argument("--format", choices=("latex", "markdown", "csv", "json"), default="latex")
    p.add_argument("--out", type=path_argument("--out"), help="write to this file instead of standard output")
    p.add_argument("--standalone", action="store_true", help="latex: a complete document (compiles on its own)")
    p.add_argument("--seed", type=integer("--seed"), default=0, help="seed of the random weights (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"), default=DEFAULT_BOUND,
                   help="random weights are uniform on [-bound, bound] (default 10^6)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Build the table and print or write it; 0 on success."""
    check_seed(args)
    text = build_table(args.kind, args.seed, args.bound).render(args.format, args.standalone) + "\n"
    if args.out is not None:
        write_output("--out", args.out, text)
    else:
        print(text, end="")
    return 0
