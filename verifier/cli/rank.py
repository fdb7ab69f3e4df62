"""``verifier rank``: the certified rank of a matricization of a ConvAC's coefficient tensor.

Exit 0 when the rank is certified (bounds meet), 1 when it is not, 2 on bad input. A computation that takes
more than a second shows its elapsed time on stderr when stderr is a terminal.
"""

from __future__ import annotations

import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from ..errors import InvalidArgumentError, show
from ..exact.engines import ENGINES
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, parse_partition
from ..nets.geometry import named_partition
from ..rank.matricization import ROUTES, matricization_rank
from ..rank.sweep import close_client, dask_client
from .arguments import (
    add_arch_arguments,
    add_kernel_argument,
    add_partition_argument,
    add_weights_arguments,
    arch_from_args,
    check_output,
    check_seed,
    check_writable,
    emit,
    kernel_arch_from_args,
    memory_budget,
    path_argument,
    positive_int,
    weights_from_args,
    write_output,
)
from .progress import working


def register(sub) -> None:
    """Add the ``rank`` subcommand."""
    p = sub.add_parser("rank", help="certified rank of a matricization of the coefficient tensor")
    add_arch_arguments(p, depth=True, tt=True)
    add_weights_arguments(p)
    add_partition_argument(p)
    p.add_argument("--output", type=positive_int("--output"), default=1, help="output y (1-based)")
    p.add_argument("--engine", choices=tuple(ENGINES), default="auto",
                   help="auto (default): flint for small matrices, our BLAS modular kernel for large ones")
    p.add_argument("--route", choices=ROUTES, default="auto",
                   help="auto (default): Kronecker structure, else the pair-diagonal count (Lemma D) for large "
                        "matrices, else reduction to the core, else dense; compressed (any partition) only when asked")
    p.add_argument("--memory-budget", type=memory_budget("--memory-budget"), default=DEFAULT_MEMORY_BUDGET,
                   help="bytes; larger dense work is refused before allocation")
    add_kernel_argument(p)
    p.add_argument("--no-check", action="store_true",
                   help="skip the checker gate (by default the independent checker re-derives the route's evidence "
                        "before a rank is reported certified); the output then says 'not independently checked'")
    p.add_argument("--workers", type=positive_int("--workers"), default=1,
                   help="local processes for the block route's blocks and Lemma D's count (default 1: serial)")
    p.add_argument("--executor", choices=("processes", "dask"), default="processes",
                   help="processes (default, with --workers K > 1) or dask (a LocalCluster of --workers processes, "
                        "or the scheduler at --scheduler)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --executor dask: a running Dask scheduler's address")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--certificate", type=path_argument("--certificate"), metavar="FILE",
                   help="also write a certificate of the rank (or of its bounds) for 'verifier check'")
    p.set_defaults(func=run)


def compute(args, progress=None):
    """The :class:`~verifier.rank.matricization.RankReport` the parsed flags ask for (``verifier sweep``
    builds its rows with this too); ``progress(done, total)`` is called during long counts."""
    arch = arch_from_args(args)
    check_seed(args)
    check_output(arch, args)
    if arch.net == "tt":
        from .tt_arguments import tt_compute

        args.weights_used, report = tt_compute(arch, args)
        return report
    if args.kernel != 1:
        return _compute_kernel(kernel_arch_from_args(arch, args), args)
    weights = weights_from_args(arch, args)
    partition = (named_partition(args.partition, arch.tree) if arch.net == "deep"
                 else parse_partition(args.partition, arch.N))
    with block_executor(args) as executor:
        report = matricization_rank(weights, partition, output=args.output - 1, engine=args.engine,
                                    memory_budget=args.memory_budget, route=args.route, progress=progress,
                                    executor=executor, check=not getattr(args, "no_check", False))
    if getattr(args, "certificate", None) is not None:
        args.weights_used = weights
    return report


@contextmanager
def block_executor(args):
    """``None`` (serial), a local process pool of ``--workers`` processes, or a Dask client (``--executor
    dask``: a LocalCluster of ``--workers`` processes, or the scheduler at ``--scheduler``)."""
    workers = getattr(args, "workers", 1)
    kind = getattr(args, "executor", "processes")
    scheduler = getattr(args, "scheduler", None)
    if scheduler is not None and kind != "dask":
        raise InvalidArgumentError(f"Argument '--scheduler' must come with --executor dask, got {show(scheduler)}.")
    if kind == "dask":   # SIGINT masked while the cluster starts, errors in one line: as for `sweep`
        client = dask_client(workers, scheduler)
        try:
            yield client
        finally:
            close_client(client)
        return
    if workers == 1:
        yield None
        return
    pool = ProcessPoolExecutor(workers, initializer=_ignore_sigint)
    try:
        yield pool
    except BaseException:   # Ctrl-C (or an error): cancel the pending tasks; the running ones end with the workers
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _ignore_sigint() -> None:
    """Worker start-up: Ctrl-C on a terminal reaches the whole process group; only this process answers it (one
    line, exit 130), and it stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(args) -> int:
    """Compute, print, and return 0 if certified else 1."""
    if args.certificate is not None:
        check_writable("--certificate", args.certificate)
    with working("rank: computing") as status:
        report = compute(args, progress=status.to)
        if args.certificate is not None:
            text = _certificate_text(args, report)
    if args.certificate is not None:
        write_output("--certificate", args.certificate, text)
    emit(report, args.json)
    return 0 if report.certificate.certified else 1


def _compute_kernel(arch, args):
    """``--kernel K > 1``: the certified rank of the grid tensor's matricization (route ``grid``)."""
    from ..rank.grid import check_grid_budget, grid_rank

    if args.route != "auto":
        raise InvalidArgumentError(f"Argument '--route' must be 'auto' with --kernel {arch.kernel} (the grid tensor "
                                   f"has one route), got {args.route!r}.")
    partition = parse_partition(args.partition, arch.N)
    check_grid_budget(arch, partition, args.memory_budget)  # before any weights are drawn
    weights = weights_from_args(arch, args)
    return grid_rank(weights, partition, output=args.output - 1, engine=args.engine,
                     memory_budget=args.memory_budget)


def _certificate_text(args, report) -> str:
    """The certificate of ``report`` as JSON text (refused for the receptive-field grid route)."""
    import json

    from ..errors import VerifierError
    from ..rank.certificates import rank_certificate

    if not hasattr(args, "weights_used"):
        raise InvalidArgumentError(f"Argument '--certificate' must be used without --kernel {args.kernel} (the grid "
                                   "route has no certificate format yet), got a path.")
    if report.certificate.upper.value.bit_length() > 14000:  # JSON readers stop at 4300 digits
        raise InvalidArgumentError("Argument '--certificate' cannot be written for this rank: the certificate format "
                                   "holds integers of at most 4300 digits (JSON), the rank is about 10^"
                                   f"{int(report.certificate.upper.value.bit_length() * 0.30103)}.")
    if report.arch.net == "tt":
        from .tt_arguments import tt_certificate_text

        return tt_certificate_text(args.weights_used, report)
    try:
        return json.dumps(rank_certificate(args.weights_used, report), indent=1)
    except VerifierError as exc:
        raise InvalidArgumentError(f"Argument '--certificate' cannot be written for this rank: {exc}") from None
