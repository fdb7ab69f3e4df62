"""``verifier geometry``: the inductive bias of a pooling geometry, one partition per row.

For a deep net with ``--geometry`` (binary, window:W, image:HxW, tree:FILE): the named partitions of the
geometry (odd-even, low-high; for images also left-right, top-bottom, checkerboard, column-interleaved),
``--partition`` specs (repeatable) and ``--random-partitions K`` balanced partitions drawn with ``--seed``;
for each, the certified rank at seeded random weights, the min-cut of the tensor network, and whether they
meet. Exit 0 when every rank was certified, 1 otherwise, 2 on bad input.
"""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ..exact.tensors import DEFAULT_MEMORY_BUDGET
from ..nets.geometry import GEOMETRY_HELP
from ..nets.weights import DEFAULT_BOUND
from ..rank.bias import MAX_RANDOM_PARTITIONS, default_partitions, geometry_report, random_partitions
from .arguments import (
    PARTITION_HELP,
    arch_from_args,
    check_seed,
    int_list,
    integer,
    memory_budget,
    path_argument,
    positive_int,
    write_output,
)


def register(sub) -> None:
    """Add the ``geometry`` subcommand."""
    p = sub.add_parser("geometry", help="inductive bias of a pooling geometry: rank and min-cut per partition")
    p.add_argument("--geometry", default="binary", help=GEOMETRY_HELP)
    p.add_argument("--N", type=positive_int("--N"), required=True, help="number of positions")
    p.add_argument("--M", type=positive_int("--M"), required=True, help="number of representation functions")
    p.add_argument("--widths", type=int_list("--widths"), help="r_0,..,r_{L-1}, one per pooling level")
    p.add_argument("--Y", type=positive_int("--Y"), default=1, help="number of outputs (default 1)")
    p.add_argument("--shared", action="store_true", help="share weights across positions")
    p.add_argument("--partition", action="append",
                   help="a partition to add (repeatable): " + PARTITION_HELP + "; images: left-right, top-bottom, "
                        "checkerboard, column-interleaved. Without it (and without --random-partitions): the named ones")
    p.add_argument("--random-partitions", type=integer("--random-partitions"), default=0, metavar="K",
                   help=f"add K balanced random partitions drawn with --seed (0..{MAX_RANDOM_PARTITIONS})")
    p.add_argument("--seed", type=integer("--seed"), default=0, help="seed of the random weights and partitions (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"), default=DEFAULT_BOUND,
                   help="random weights are uniform on [-bound, bound] (default 10^6)")
    p.add_argument("--memory-budget", type=memory_budget("--memory-budget"), default=DEFAULT_MEMORY_BUDGET,
                   help="bytes; ranks of larger dense matricizations are left out (min-cuts are always given)")
    p.add_argument("--format", choices=("text", "json", "markdown", "latex"), default="text")
    p.add_argument("--out", type=path_argument("--out"), help="write to this file (atomically) instead of standard output")
    p.set_defaults(func=run, net="deep", Z=None, Lc=None)


def run(args) -> int:
    """Build the table, print or write it; 0 iff every rank was certified."""
    check_seed(args)
    arch = arch_from_args(args)
    if not 0 <= args.random_partitions <= MAX_RANDOM_PARTITIONS:
        raise InvalidArgumentError(f"Argument '--random-partitions' must be an integer in 0..{MAX_RANDOM_PARTITIONS}, "
                                   f"got {args.random_partitions}.")
    specs = list(args.partition or [])
    if not specs and not args.random_partitions:
        specs = default_partitions(arch.tree)
    parts = specs + random_partitions(arch.N, args.random_partitions, args.seed)
    report = geometry_report(arch, parts, seed=args.seed, bound=args.bound, memory_budget=args.memory_budget)
    text = report.render(args.format) + "\n"
    if args.out is not None:
        write_output("--out", args.out, text)
    else:
        print(text, end="")
    return 0 if all(r.rank is not None for r in report.rows) else 1
