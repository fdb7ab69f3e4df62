"""``verifier theorem1``: check Theorem 1 (COLT 2016) step by step on your network.

The network flags are those of ``verifier rank`` (``--net deep|depth --N --M --widths [--Lc] [--shared] [--Y]
[--seed --bound | --weights-file FILE]``); every step is answered by a certified route that scales (Lemmas K
and R, Lemma D's pair-diagonal count, the structure bounds, the exceptional set of Lemma D), see
:func:`verifier.theorems.theorem1.check_theorem1_network`.

Exit 0 when every step passes; 1 when a step fails, or when one was skipped (no route could answer it; the
line says why) unless ``--allow-skip``; 2 on bad input; 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse

from ..nets.weights import DEFAULT_BOUND
from .arguments import (
    arch_from_args,
    check_seed,
    check_writable,
    int_list,
    integer,
    path_argument,
    positive_int,
    read_weights_file,
    write_output,
)
from .progress import working

FORMATS = ("text", "json", "markdown", "latex")


def register(sub) -> None:
    """Add the ``theorem1`` subcommand."""
    p = sub.add_parser("theorem1", help="check Theorem 1 step by step on your network (PASS/FAIL/SKIP per step)")
    p.add_argument("--net", choices=("deep", "depth"), required=True, help="deep, or depth (Theorem 2's depth-L_c net)")
    p.add_argument("--N", type=positive_int("--N"), required=True, help="number of positions (a power of 2)")
    p.add_argument("--M", type=positive_int("--M"), required=True, help="number of representation functions")
    p.add_argument("--widths", type=int_list("--widths"), required=True, help="r_0,..,r_{L-1}")
    p.add_argument("--Lc", type=positive_int("--Lc"), help="depth: hidden layers L_c in 1..log2(N)-1")
    p.add_argument("--Y", type=positive_int("--Y"), default=1,
                   help="number of outputs (default 1; output 1 is checked)")
    p.add_argument("--shared", action="store_true", help="share weights across positions")
    p.add_argument("--seed", type=integer("--seed"), help="seed of the random weights (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"), help="random weights are uniform on [-bound, bound] "
                   "(default 10^6)")
    p.add_argument("--weights-file", type=path_argument("--weights-file"),
                   help="your own exact weights for step (c): a JSON file as written by 'verifier weights'")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--out", type=path_argument("--out"), help="write the report to this file instead of stdout")
    p.add_argument("--allow-skip", action="store_true", help="exit 0 even when a step was skipped")
    p.set_defaults(func=run)


def compute(args):
    """The :class:`~verifier.render.reports.Report` of the parsed flags."""
    from ..theorems.theorem1 import check_theorem1_network

    check_seed(args)
    flags = argparse.Namespace(**vars(args))
    flags.Z, flags.geometry = None, "binary"
    arch = arch_from_args(flags)
    weights = None
    if args.weights_file is not None:
        given = [f for f, v in (("--seed", args.seed), ("--bound", args.bound)) if v is not None]
        if given:
            from ..errors import InvalidArgumentError, show

            raise InvalidArgumentError(f"Argument {given[0]!r} must not be given with --weights-file (the file holds "
                                       f"the weights), got {show(getattr(args, given[0][2:]))}.")
        weights = read_weights_file(arch, args.weights_file)
    seed = 0 if args.seed is None else args.seed
    bound = DEFAULT_BOUND if args.bound is None else args.bound
    with working("theorem1: checking") as status:
        report = check_theorem1_network(arch, weights, seed=seed, bound=bound, progress=status.to)
    report.allow_skip = args.allow_skip
    return report


def render(report, fmt: str) -> str:
    """The report as ``text``, ``json``, ``markdown`` or ``latex``."""
    return {"text": str, "json": lambda r: r.to_json(), "markdown": lambda r: r.to_markdown(),
            "latex": lambda r: r.to_latex()}[fmt](report)


def run(args) -> int:
    """Check, print (or write ``--out``); 0 iff every step passed (skips allowed with ``--allow-skip``)."""
    if args.out is not None:
        check_writable("--out", args.out)
    report = compute(args)
    text = render(report, args.format) + "\n"
    if args.out is not None:
        write_output("--out", args.out, text)
    else:
        print(text, end="")
    return 0 if report.passed else 1
