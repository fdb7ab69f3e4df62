"""``verifier zero-set``: the exceptional set of Theorem 1 as a factored polynomial (small nets).

Prints the certificate polynomial of :func:`verifier.theorems.exceptional.polynomial.certificate_polynomial` (a maximal
nonvanishing minor of ``[A]``): whether it is nonzero, its total degree and its irreducible factors with
multiplicities, in the paper's weight names. ``--json`` prints one object with the keys ``degree``,
``nonzero``, ``factors`` (a list of ``{"factor": str, "multiplicity": int}``) and provenance.

Exit 0 when the polynomial is nonzero and the minor is maximal, 1 otherwise, 2 on bad input
(including architectures too large for the symbolic route).
"""

from __future__ import annotations

from .arguments import add_arch_arguments, add_partition_argument, arch_from_args, check_output, check_seed, emit


def register(sub) -> None:
    """Add the ``zero-set`` subcommand."""
    from .arguments import integer, positive_int

    p = sub.add_parser("zero-set", help="the exceptional set: a maximal minor of [A], factored (sympy)")
    add_arch_arguments(p)
    add_partition_argument(p)
    p.add_argument("--output", type=positive_int("--output"), default=1, help="output y (1-based)")
    p.add_argument("--seed", type=integer("--seed"), default=0, help="seed of the point that selects the minor (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    """Compute, print, and return 0 if the polynomial is nonzero and maximal, else 1."""
    from ..theorems.exceptional.polynomial import certificate_polynomial

    arch = arch_from_args(args)
    check_seed(args)
    check_output(arch, args)
    cert = certificate_polynomial(arch, args.partition, output=args.output - 1, seed=args.seed)
    emit(cert, args.json)
    return 0 if cert.nonzero and cert.maximal else 1
