"""``verifier measure-zero``: how often uniform integer weights hit the exceptional set.

For each ``k`` in ``--bounds``, draws ``--samples`` weight vectors uniform on ``{-k..k}`` (sample ``i``
is ``random_weights(arch, seed + i, k)``, i.e. ``verifier rank --seed <seed+i> --bound <k>``), decides
rank deficiency exactly (:mod:`verifier.theorems.exceptional.sampling`) and prints the rate next to the exact probability
implied by the factored certificate polynomial and the Schwartz-Zippel bound ``deg / (2k + 1)``.

``--json`` prints a list of rows ``{"bound", "samples", "deficient", "rate", "sz_bound", ..}``; ``rate``,
``sz_bound`` and ``exact_probability`` are exact rationals as strings ``"num/den"`` (parse them with
``fractions.Fraction``); the ``*_estimate`` fields are floats for reading only.

``--form pair-diagonal`` (and ``auto`` for deep nets too large for the symbolic route, e.g. N = 16, 32):
samples are decided by the pair-diagonal route (Lemma D) and compared with the Schwartz-Zippel bound of
the union of the exceptional set's zero sets (:mod:`verifier.theorems.exceptional.pair_diagonal`).

A progress bar is drawn on stderr when stderr is a terminal (:mod:`verifier.cli.progress`). Exit 0 when every row's rate is at most
its Schwartz-Zippel bound (exact comparison), 1 otherwise, 2 on bad input.
"""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ..render.reports import json_text
from .arguments import (
    SYMBOLIC_ADVICE,
    add_arch_arguments,
    add_form_argument,
    add_partition_argument,
    add_time_limit_argument,
    arch_from_args,
    check_seed,
    exceptional_form,
)
from .limits import run_limited
from .progress import progress_bar


def register(sub) -> None:
    """Add the ``measure-zero`` subcommand."""
    from .arguments import int_list, integer, positive_int

    p = sub.add_parser("measure-zero", help="sample uniform integer weights and count rank drops (exactly)")
    add_arch_arguments(p)
    p.add_argument("--bounds", type=int_list("--bounds"), default=(1, 2, 4, 8, 16, 32),
                   help="comma-separated k: weights uniform on {-k..k} (default 1,2,4,8,16,32)")
    p.add_argument("--samples", type=positive_int("--samples"), default=2000, help="samples per bound (default 2000)")
    p.add_argument("--seed", type=integer("--seed"), default=0, help="sample i uses seed + i (default 0)")
    p.add_argument("--cross-check", type=integer("--cross-check"), default=100,
                   help="re-derive the first n verdicts of each row from the dense certified rank (default 100)")
    add_partition_argument(p)
    add_time_limit_argument(p)
    add_form_argument(p, "the factored maximal minor")
    p.add_argument("--json", action="store_true", help="print a JSON list of rows")
    p.set_defaults(func=run)


def run(args) -> int:
    """Sample, print the table (or JSON), return 0 iff every rate is within its Schwartz-Zippel bound."""
    from ..theorems.exceptional.polynomial import certificate_polynomial
    from ..theorems.exceptional.sampling import sample_rates

    arch = arch_from_args(args)
    check_seed(args)
    if args.cross_check < 0:
        raise InvalidArgumentError(f"Argument '--cross-check' must be a non-negative integer, got {args.cross_check}.")
    if exceptional_form(arch, args) == "pair-diagonal":
        return _run_diagonal(arch, args)

    def work():  # in a child process, killed at --time-limit: returns what to print and the exit code
        cert = certificate_polynomial(arch, args.partition)
        with progress_bar(len(args.bounds) * args.samples, "sampling") as bar:
            rows = sample_rates(cert, args.bounds, args.samples, seed=args.seed, progress=bar.to,
                                cross_check=args.cross_check)
        return _rows_text(rows, args.json, f"certificate: {cert.size} x {cert.size} minor of [A], degree "
                          f"{cert.degree}, {len(cert.factors)} distinct irreducible factors (verifier zero-set shows "
                          "them)", "exact probabilities in full with --json")

    text, code = run_limited(args.time_limit, "--time-limit", "the symbolic certificate and its samples (sympy)",
                             SYMBOLIC_ADVICE, work)
    print(text)
    return code


def _run_diagonal(arch, args) -> int:
    """The fast route: Lemma D's zero sets, samples decided by the pair-diagonal rank."""
    from ..theorems.exceptional.pair_diagonal import diagonal_zero_set, sample_diagonal_rates

    zs = diagonal_zero_set(arch, args.partition, factor=False)
    with progress_bar(len(args.bounds) * args.samples, "sampling") as bar:
        rows = sample_diagonal_rates(zs, args.bounds, args.samples, seed=args.seed, progress=bar.to)
    text, code = _rows_text(rows, args.json, f"Lemma D: rank [A] < {zs.generic_rank} exactly on a union of "
                            f"{zs.polynomial_count} zero sets (Schwartz-Zippel degree {zs.sz_degree}); samples "
                            "decided by the pair-diagonal route", "Schwartz-Zippel is for the union (sum of the degrees)")
    print(text)
    return code


def _rows_text(rows, as_json: bool, head: str, note: str) -> tuple:
    """The rate rows as text (JSON list, or ``head``, the table and ``note``) and the exit code: 0 iff every
    rate is within its bound."""
    from ..theorems.exceptional.sampling import format_rate_table

    if as_json:
        text = json_text([r.to_dict() for r in rows], sort_keys=True)
    else:
        text = f"{head}\n{format_rate_table(rows)}\nrates are exact; ~ marks float estimates; {note}"
    return text, (0 if all(r.within_bound for r in rows) else 1)
