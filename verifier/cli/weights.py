"""``verifier weights``: print a network's weights as JSON (random, witness, or re-read from a file).

The output is the format ``--weights-file`` reads: edit it to give your own exact weights (integers or
strings such as ``"3/4"``), then ``verifier rank ... --weights-file FILE``.
"""

from __future__ import annotations

import json

from .arguments import (
    add_arch_arguments,
    add_kernel_argument,
    add_weights_arguments,
    arch_from_args,
    check_seed,
    kernel_arch_from_args,
    weights_from_args,
)


def register(sub) -> None:
    """Add the ``weights`` subcommand."""
    p = sub.add_parser("weights", help="print weights as JSON (a template for --weights-file)")
    add_arch_arguments(p, tt=True)
    add_weights_arguments(p)
    add_kernel_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    """Print ``{"architecture": .., "kind": .., "seed": .., "bound": .., "weights": {"l,j": rows}}``."""
    arch = arch_from_args(args)
    check_seed(args)
    if args.kernel != 1:
        arch = kernel_arch_from_args(arch, args)
    w = weights_from_args(arch, args)
    if arch.net == "tt":
        from ..nets.tt import is_tt_embedding
        from .tt_arguments import cores_json

        if is_tt_embedding(w):
            print(cores_json(arch, w))
            return 0
    head = {"architecture": arch.to_dict(), "kind": w.kind, "seed": w.seed, "bound": w.bound}
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    nodes = [f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in w.to_dict().items()]
    print("{\n" + "\n".join(lines) + '\n  "weights": {\n' + ",\n".join(nodes) + "\n  }\n}")
    return 0
