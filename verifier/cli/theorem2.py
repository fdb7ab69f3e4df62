"""``verifier theorem2``: check Theorem 2 / Corollary 2 (corrected form) for a deep net against depth L_c.

Exit 0 when every step passes, 1 when one fails, 2 on bad input (e.g. an L_c outside 1..L-1).
"""

from __future__ import annotations

from ..nets.architectures import DeepArch, check_depth
from ..nets.weights import DEFAULT_BOUND
from ..theorems.theorem2 import check_theorem2
from .arguments import check_seed


def register(sub) -> None:
    """Add the ``theorem2`` subcommand."""
    from .arguments import int_list, integer, positive_int

    p = sub.add_parser("theorem2", help="Theorem 2 / Corollary 2: block ranks, depth L versus depth L_c")
    p.add_argument("--N", type=positive_int("--N"), required=True, help="number of positions (a power of 2)")
    p.add_argument("--M", type=positive_int("--M"), required=True, help="number of representation functions")
    p.add_argument("--widths", type=int_list("--widths"), required=True, help="the deep net's r_0,..,r_{L-1}")
    p.add_argument("--Lc", type=positive_int("--Lc"), required=True, help="the shallower depth, 1..L-1")
    p.add_argument("--seed", type=integer("--seed"), default=0, help="seed of the random weights (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"), default=DEFAULT_BOUND,
                   help="random weights are uniform on [-bound, bound] (default 10^6)")
    p.add_argument("--format", choices=("text", "json", "markdown", "latex"), default="text")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run the check, print the report; 0 iff it passed."""
    check_seed(args)
    arch = DeepArch(N=args.N, M=args.M, widths=args.widths)
    check_depth(args.Lc, arch.N, "--Lc")
    rep = check_theorem2(arch.N, arch.M, arch.widths, args.Lc, seed=args.seed, bound=args.bound)
    print({"text": str, "json": lambda r: r.to_json(), "markdown": lambda r: r.to_markdown(),
           "latex": lambda r: r.to_latex()}[args.format](rep))
    return 0 if rep.passed else 1
