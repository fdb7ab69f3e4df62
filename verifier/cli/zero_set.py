"""``verifier zero-set``: the exceptional set of Theorem 1 as a factored polynomial (small nets).

Prints the certificate polynomial of :func:`verifier.theorems.exceptional.polynomial.certificate_polynomial` (a maximal
nonvanishing minor of ``[A]``): whether it is nonzero, its total degree and its irreducible factors with
multiplicities, in the paper's weight names. ``--json`` prints one object with the keys ``degree``,
``nonzero``, ``factors`` (a list of ``{"factor": str, "multiplicity": int}``) and provenance.

``--form pair-diagonal`` (and ``auto`` for deep nets too large for the symbolic route, any N): Lemma D's
description of the exceptional set, the union of ``{rank U_i < r_0}`` and the zero sets of the
``r_0^{N/2}`` entries of D (count, degrees; for N <= 8 the distinct entries factored). JSON keys
``form``, ``components``, ``polynomial_count``, ``degrees``, ``sz_degree``, ``generic_rank``.

Exit 0 when the polynomial is nonzero and the minor is maximal (or Lemma D applies), 1 otherwise, 2 on bad
input (including architectures too large for the symbolic route, with ``--form minor``).
"""

from __future__ import annotations

from .arguments import (
    SYMBOLIC_ADVICE,
    add_arch_arguments,
    add_form_argument,
    add_partition_argument,
    add_time_limit_argument,
    arch_from_args,
    check_output,
    check_seed,
    emit,
    exceptional_form,
    rendered,
)
from .limits import run_limited


def register(sub) -> None:
    """Add the ``zero-set`` subcommand."""
    from .arguments import integer, positive_int

    p = sub.add_parser("zero-set", help="the exceptional set: a maximal minor of [A], factored (sympy)")
    add_arch_arguments(p)
    add_partition_argument(p)
    p.add_argument("--output", type=positive_int("--output"), default=1, help="output y (1-based)")
    p.add_argument("--seed", type=integer("--seed"), default=0, help="seed of the point that selects the minor (default 0)")
    add_time_limit_argument(p)
    add_form_argument(p, "a maximal minor, factored")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    """Compute, print, and return 0 if the polynomial is nonzero and maximal, else 1."""
    from ..theorems.exceptional.pair_diagonal import diagonal_zero_set
    from ..theorems.exceptional.polynomial import certificate_polynomial

    arch = arch_from_args(args)
    check_seed(args)
    check_output(arch, args)
    if exceptional_form(arch, args) == "pair-diagonal":
        emit(diagonal_zero_set(arch, args.partition, output=args.output - 1), args.json)
        return 0

    def work():  # in a child process, killed at --time-limit: returns what to print and the exit code
        cert = certificate_polynomial(arch, args.partition, output=args.output - 1, seed=args.seed)
        return rendered(cert, args.json), (0 if cert.nonzero and cert.maximal else 1)

    text, code = run_limited(args.time_limit, "--time-limit", "the symbolic certificate (sympy)", SYMBOLIC_ADVICE,
                             work)
    print(text)
    return code
