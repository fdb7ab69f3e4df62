"""``verifier simnet``: the log-space SimNet of a ConvAC against the exact ConvAC, in rigorous ball arithmetic.

Exit 0 when every sample's ball is proved to contain log h_y(X) (every output), 1 otherwise, 2 on bad input
(negative weights, a bad weights file, bad sizes).
"""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ..nets.simnet import DEFAULT_PRECISION, PRECISION_RANGE
from ..nets.weights import DEFAULT_BOUND, witness_weights
from ..theorems.simnets import check_simnet
from .arguments import (
    add_arch_arguments,
    arch_from_args,
    check_seed,
    emit,
    integer,
    path_argument,
    positive_int,
    read_weights_file,
)


def register(sub) -> None:
    """Add the ``simnet`` subcommand."""
    p = sub.add_parser("simnet", help="log-space SimNet vs the exact ConvAC: ball enclosures of log h_y")
    add_arch_arguments(p, depth=True)
    p.add_argument("--samples", type=positive_int("--samples"), default=40, help="number of samples (default 40)")
    p.add_argument("--seed", type=integer("--seed"), default=0, help="sample i uses random.Random(seed + i) (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"), default=DEFAULT_BOUND,
                   help="weights uniform on 1..bound, representation values p/q with p, q in 1..bound")
    p.add_argument("--weights", choices=("random", "witness"),
                   help="random positive weights per sample (default), or the Theorem 1 witness (deep)")
    p.add_argument("--weights-file", type=path_argument("--weights-file"),
                   help="fixed non-negative exact weights (the 'verifier weights' format)")
    p.add_argument("--prec", type=positive_int("--prec"), default=DEFAULT_PRECISION,
                   help=f"working precision of the balls in bits, {PRECISION_RANGE[0]}..{PRECISION_RANGE[1]} "
                        f"(default {DEFAULT_PRECISION})")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    """Check, print, and return 0 iff every sample is enclosed."""
    arch = arch_from_args(args)
    check_seed(args)
    weights = None
    if args.weights_file is not None:
        if args.weights is not None:
            raise InvalidArgumentError(f"Argument '--weights' must not be given with --weights-file (the file holds "
                                       f"the weights), got {args.weights!r}.")
        weights = read_weights_file(arch, args.weights_file)
    elif args.weights == "witness":
        if arch.net != "deep":
            raise InvalidArgumentError(f"Argument '--weights' must be 'random' for --net {arch.net} "
                                       "(the witness is defined for deep nets), got 'witness'.")
        weights = witness_weights(arch)
    names = {"samples": "--samples", "prec": "--prec",
             "weights": "--weights-file" if args.weights_file else "--weights"}
    result = check_simnet(arch, args.samples, args.seed, args.bound, args.prec, weights=weights, names=names)
    emit(result, args.json)
    return 0 if result.passed else 1
