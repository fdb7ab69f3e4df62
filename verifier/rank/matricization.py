"""Certified rank of a matricization of a ConvAC's coefficient tensor: the public entry.

:func:`matricization_rank` validates its arguments once, builds the validated question
(:class:`~verifier.rank.routes.base.Job`) and asks the route registry (:mod:`verifier.rank.routes`): a named
route, or ``auto``, which runs the routes that apply, cheapest first, until one certifies. The routes:

1. **structure** (:mod:`verifier.rank.structure`): when the weights make ``A`` an outer product of small
   tensors (the Theorem 1 witness does), Lemmas K and R give the rank for any N without building
   ``M^N`` entries.
2. **reduced** (Lemma R): reduction to the ``r_0^N``-entry core when the level-0 filters have full column rank.
3. **dense**: the tensor is built modulo a prime directly (int64, never through Python numbers) for
   the lower bound ``rank mod p``; the upper bound comes from the network's structure (a minimal cut
   of the mode tree: ``min(r_0, M)^{N/2}`` for the paper's ``[A]``; Lemma C's ``Z`` for the CP form;
   the symmetric-power dimension for a shared shallow net) or the matrix shape. When they do not
   meet, and the matrix is small, a kernel certificate (exact over Q) closes the gap.
4. **pair-diagonal** (:mod:`verifier.rank.pair_diagonal`, MATH.md Lemma D): for partitions splitting every
   level-1 pair, ``rank [A]`` is the number of nonzero entries of an ``r_0^{N/2}`` vector, streamed mod p.
5. **blocks** (:mod:`verifier.rank.blocks`, MATH.md Lemma B): any tree, any partition: the rank as a sum of
   ranks of small blocks (or a count of nonzero scalars), when every Khatri-Rao factor of the bottom nodes is
   certified of full column rank.
6. **compressed** (:mod:`verifier.rank.compression`): any partition, rank mod p of a core compressed along the
   mode tree (lower bound) against the structural upper bound; no certificate format (the checker gate does
   not certify its ranks).

Then the checker gate (:func:`~verifier.rank.certificates.independently_checked`) has the route's evidence
re-derived by :mod:`verifier.checker` before the rank counts as certified.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import random_weights
>>> from verifier.exact.tensors import parse_partition
>>> r = matricization_rank(random_weights(DeepArch(N=8, M=3, widths=(3, 3, 3)), seed=0),
...                        parse_partition("odd-even", 8))
>>> r.certificate.rank, r.certificate.upper.method
(81, 'matrix shape')
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace

from ..errors import invalid
from ..exact.certify import RankCertificate, check_primes
from ..exact.engines import get_engine
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, Partition, check_partition
from ..nets.coefficients import check_budget_value, check_output_index
from ..nets.weights import check_weights
from .certificates import independently_checked
from .grid import grid_rank
from .report import RankReport
from .routes import ROUTES, Job, NotAnswered, solve
from .routes.base import dense_certificate, structural_upper_bounds
from .routes.reduced import reduced_certificate

__all__ = ["ROUTES", "RankReport", "dense_certificate", "matricization_rank", "recording", "reduced_rank",
           "structural_upper_bounds"]


def reduced_rank(weights, partition: Partition, output: int = 0, engine=None,
                 memory_budget: int = DEFAULT_MEMORY_BUDGET, primes=None) -> RankCertificate | None:
    """Certified rank of ``[A]_{I,J}`` through the core tensor, when every leaf has ``r < M`` channels.

    With the leaf (level-0) filter matrices ``U_i = (a^{0,i,alpha}_d)_{d, alpha}`` (M x r), the tensor is
    ``A = C x_1 U_1 x_2 .. x_N U_N`` where the core ``C`` is the same network with identity leaves
    (``M`` replaced by ``r``), so

    .. math:: [A]_{I,J} = (\\otimes_{i \\in I} U_i)\\, [C]_{I,J}\\, (\\otimes_{j \\in J} U_j)^T .

    When every ``U_i`` has full column rank ``r`` (certified: rank mod p = r, and r is the shape bound),
    the Kronecker products have full column rank and ``rank [A] = rank [C]``: both certified bounds of
    the core transfer. ``[C]`` has ``r^N`` entries instead of ``M^N`` (Theorem 1 at N = 16, M = 10,
    widths 3,1,1,1: a 6561 x 6561 core for a 10^8 x 10^8 matricization).

    Returns ``None`` when no leaf has fewer channels than M or a filter matrix is not certified of full
    rank.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> w = random_weights(DeepArch(N=4, M=5, widths=(2, 2)), seed=0)
    >>> c = reduced_rank(w, parse_partition("odd-even", 4))
    >>> c.rank, c.rows
    (4, 25)
    """
    arch = check_weights(weights, numeric=True).arch
    job = Job(weights, check_partition(partition, arch.N), check_output_index(output, arch), get_engine(engine),
              check_budget_value(memory_budget), check_primes(primes) if primes is not None else None)
    try:
        return reduced_certificate(job)
    except NotAnswered:
        return None


def matricization_rank(weights, partition: Partition, output: int = 0, engine=None,
                       memory_budget: int = DEFAULT_MEMORY_BUDGET, primes=None,
                       route: str = "auto", progress=None, executor=None, check: bool = True) -> RankReport:
    """Certified rank of ``[A^y]_{I,J}`` for given weights.

    Parameters
    ----------
    weights : Weights
        Exact weights (random, witness or explicit); rationals are cleared of denominators.
    partition : Partition
        From :func:`~verifier.exact.tensors.parse_partition`.
    output : int
        0-based output index ``y``.
    engine : str or RankEngine, optional
        ``'flint'`` (default) or ``'sympy'``.
    memory_budget : int
        Bytes; a dense construction above it is refused before allocation.
    primes : sequence of int, optional
        Primes for the modular lower bound.
    route : {'auto', 'structure', 'reduced', 'dense', 'pair-diagonal', 'blocks', 'compressed'}
        A route of the registry (:mod:`verifier.rank.routes`), or ``auto``: the routes that apply, cheapest
        first (below a million entries, in the order listed: the simplest evidence first), until one
        certifies. A forced route that does not apply is refused, naming the routes that might. Weights of a
        receptive-field-K net (:class:`~verifier.nets.receptive.KernelArch`) go to
        :func:`~verifier.rank.grid.grid_rank` (``auto`` only).
    progress : callable, optional
        ``progress(done, total)`` during long counts (the pair-diagonal route).
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the block route sends its blocks when they are many (same rank and evidence as serial).
    check : bool
        The checker gate (default): the route's evidence is written as a certificate and re-derived by the
        independent checker (:mod:`verifier.checker`) before the rank counts as certified; a result the
        checker does not accept is reported NOT certified. ``False`` skips it (the report then says "not
        independently checked").

    Raises
    ------
    SizeLimitError
        When the dense route is needed and does not fit (the message gives the size).

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> r = matricization_rank(random_weights(ShallowArch(N=4, M=3, Z=5), seed=2),
    ...                        parse_partition("odd-even", 4))
    >>> r.certificate.rank, r.certificate.upper.method
    (5, 'structure: CP form (Lemma C: rank <= Z)')
    """
    if not isinstance(check, bool):
        raise invalid("check", "True or False", check)
    report = _route(weights, partition, output, engine, memory_budget, primes, route, progress, executor)
    if report.route == "grid":
        report = replace(report, check="the grid route has no certificate format")
    elif check:
        report = independently_checked(weights, report)
    for sink in _RECORDERS.get():
        sink.append((weights, report))
    return report


#: Lists receiving ``(weights, report)`` for every :func:`matricization_rank` call (see :func:`recording`).
_RECORDERS: ContextVar = ContextVar("rank_recorders", default=())


@contextmanager
def recording():
    """Collect ``(weights, RankReport)`` for every :func:`matricization_rank` call made inside the block
    (``verifier prove --certificates`` writes a certificate for each).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> with recording() as seen:
    ...     _ = matricization_rank(witness_weights(DeepArch(N=4, M=2, widths=(2, 1))), parse_partition("odd-even", 4))
    >>> [r.certificate.rank for _, r in seen]
    [4]
    """
    seen: list = []
    token = _RECORDERS.set(_RECORDERS.get() + (seen,))
    try:
        yield seen
    finally:
        _RECORDERS.reset(token)


def _route(weights, partition, output, engine, memory_budget, primes, route, progress=None,
           executor=None) -> RankReport:
    """The entry check (every argument validated, once) and the registry's answer."""
    if not isinstance(route, str) or route not in ROUTES:
        raise invalid("route", "one of " + ", ".join(repr(r) for r in ROUTES), route)
    arch = check_weights(weights, numeric=True).arch
    partition = check_partition(partition, arch.N)
    output = check_output_index(output, arch)
    memory_budget = check_budget_value(memory_budget)
    engine = get_engine(engine)
    if primes is not None:
        primes = check_primes(primes)
    if hasattr(arch, "kernel"):  # a receptive-field-K net: its grid tensor has its own route
        if route != "auto":
            raise invalid("route", f"'auto' for a net with receptive field {arch.kernel} (route 'grid')", route)
        return grid_rank(weights, partition, output, engine=engine, memory_budget=memory_budget, primes=primes)
    job = Job(weights, partition, output, engine, memory_budget, primes, progress, executor)
    name, cert = solve(job, route)
    return RankReport(arch, weights.kind, weights.seed, weights.bound, partition, output, name, cert, job.cut)
