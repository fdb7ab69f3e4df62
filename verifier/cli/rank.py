"""``verifier rank``: the certified rank of a matricization of a ConvAC's coefficient tensor.

Exit 0 when the rank is certified (bounds meet), 1 when it is not, 2 on bad input.
"""

from __future__ import annotations

from ..exact.engines import ENGINES
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, parse_partition
from ..rank.matricization import ROUTES, matricization_rank
from .arguments import (
    add_arch_arguments,
    add_partition_argument,
    add_weights_arguments,
    arch_from_args,
    check_output,
    check_seed,
    emit,
    positive_int,
    weights_from_args,
)
from .measure_zero import ProgressBar


def register(sub) -> None:
    """Add the ``rank`` subcommand."""
    p = sub.add_parser("rank", help="certified rank of a matricization of the coefficient tensor")
    add_arch_arguments(p, depth=True)
    add_weights_arguments(p)
    add_partition_argument(p)
    p.add_argument("--output", type=positive_int("--output"), default=1, help="output y (1-based)")
    p.add_argument("--engine", choices=tuple(ENGINES), default="auto",
                   help="auto (default): flint for small matrices, our BLAS modular kernel for large ones")
    p.add_argument("--route", choices=ROUTES, default="auto",
                   help="auto (default): Kronecker structure, else the pair-diagonal count (Lemma D) for large "
                        "matrices, else reduction to the core, else dense; compressed (any partition) only when asked")
    p.add_argument("--memory-budget", type=positive_int("--memory-budget"), default=DEFAULT_MEMORY_BUDGET,
                   help="bytes; larger dense work is refused before allocation")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    """Compute, print, and return 0 if certified else 1."""
    arch = arch_from_args(args)
    check_seed(args)
    check_output(arch, args)
    weights = weights_from_args(arch, args)
    partition = parse_partition(args.partition, arch.N)
    report = matricization_rank(weights, partition, output=args.output - 1, engine=args.engine,
                                memory_budget=args.memory_budget, route=args.route,
                                progress=ProgressBar(label="counting D (rows of the left half)"))
    emit(report, args.json)
    return 0 if report.certificate.certified else 1
