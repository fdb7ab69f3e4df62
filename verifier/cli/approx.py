"""``verifier approx``: Corollary 1 (approximation): a certified lower bound on the distance from a deep
net to EVERY shallow net with Z channels, ``sqrt(sum_{i>Z} sigma_i([A])^2)`` (Eckart-Young).

``--json`` prints one object; ``lower_bound`` is ``[lo, hi]``: floats rounded outward from exact rational
bounds, so ``lo <= true value <= hi`` is certified. ``lower_bound_decimal`` gives the same enclosure as
exact decimal strings (20 significant digits, rounded outward) and ``lower_bound_exact`` the closed form
when one is known (``"sqrt(6)"``). Exit 0 on success, 2 on bad input or a matrix too large.
"""

from __future__ import annotations

from ..errors import InvalidArgumentError, invalid
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch
from ..theorems.approximation import approximation_bound
from .arguments import add_partition_argument, add_weights_arguments, check_output, check_seed, emit, weights_from_args


def parse_gram(text: str) -> list:
    """``"2,1;1,2"`` -> ``[["2", "1"], ["1", "2"]]`` (rows separated by ``;``; validated later, exactly).

    Examples
    --------
    >>> parse_gram("1,1/2; 1/2,1")
    [['1', '1/2'], ['1/2', '1']]
    >>> parse_gram(" ")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument '--gram' must be a matrix with rows separated by ';' such as '2,1;1,2', got ' '.
    """
    rows = [[x.strip() for x in row.split(",")] for row in text.split(";")]
    if not text.strip() or len(text) > 100_000 or any(x == "" for row in rows for x in row):
        raise invalid("--gram", "a matrix with rows separated by ';' such as '2,1;1,2'", text)
    return rows


def register(sub) -> None:
    """Add the ``approx`` subcommand."""
    from .arguments import int_list, positive_int

    p = sub.add_parser("approx", help="certified distance from a deep net to every shallow net with Z channels")
    p.add_argument("--net", choices=("deep", "depth"), required=True, help="the network to approximate")
    p.add_argument("--N", type=positive_int("--N"), required=True, help="number of positions")
    p.add_argument("--M", type=positive_int("--M"), required=True, help="number of representation functions")
    p.add_argument("--widths", type=int_list("--widths"), required=True, help="r_0,..,r_{L-1} (depth: L_c entries)")
    p.add_argument("--Lc", type=positive_int("--Lc"), help="--net depth: its number of hidden layers")
    p.add_argument("--Y", type=positive_int("--Y"), default=1, help="number of outputs (default 1)")
    p.add_argument("--shared", action="store_true", help="share the network's weights across positions")
    p.add_argument("--Z", type=positive_int("--Z"), required=True, help="channels of the competing shallow nets")
    add_weights_arguments(p)
    add_partition_argument(p)
    p.add_argument("--output", type=positive_int("--output"), default=1, help="output y (1-based)")
    p.add_argument("--gram", help="Gram matrix of the representation functions, rows separated by ';' "
                                  "(e.g. '2,1;1,2'): bound the L2 distance of the score functions")
    p.add_argument("--route", choices=("auto", "structure", "dense"), default="auto")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    """Compute and print the bound; 0 on success."""
    if args.net == "depth":
        from ..nets.architectures import DepthArch, check_depth

        if args.Lc is None:
            raise InvalidArgumentError("Argument '--Lc' must be given for --net depth, got nothing.")
        if args.N >= 2 and not args.N & (args.N - 1):
            check_depth(args.Lc, args.N, "--Lc")
        arch = DepthArch(N=args.N, M=args.M, widths=args.widths, L_c=args.Lc, Y=args.Y, shared=args.shared)
    else:
        if args.Lc is not None:
            raise InvalidArgumentError(f"Argument '--Lc' must not be given for --net deep, got {args.Lc}.")
        arch = DeepArch(N=args.N, M=args.M, widths=args.widths, Y=args.Y, shared=args.shared)
    check_seed(args)
    check_output(arch, args)
    weights = weights_from_args(arch, args)
    gram = parse_gram(args.gram) if args.gram is not None else None
    bound = approximation_bound(weights, args.Z, parse_partition(args.partition, arch.N), args.output - 1, gram,
                                route=args.route)
    emit(bound, args.json)
    return 0
