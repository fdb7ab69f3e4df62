"""Lemma D's certified rank (MATH.md section 5): the count of the nonzero entries of D when every filter has
full column rank (:mod:`verifier.rank.pair_diagonal`), Lemma D (iii) when one is singular
(:mod:`verifier.rank.singular`, which builds on the count)."""

from __future__ import annotations

from ..exact.certify import Bound
from ..exact.fields import DEFAULT_PRIME
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, Partition, check_partition
from ..nets.coefficients import check_output_index
from ..nets.weights import check_weights
from .pair_diagonal import (
    EXACT_LIMIT,
    PairDiagonalCertificate,
    _filter_text,
    applies,
    count_nonzero_entries,
    filter_ranks,
)
from .singular import singular_rank


def pair_diagonal_rank(weights, partition: Partition, output: int = 0, engine=None,
                       memory_budget: int = DEFAULT_MEMORY_BUDGET, prime: int = DEFAULT_PRIME,
                       upper_bounds=(), exact_limit: int = EXACT_LIMIT, progress=None, executor=None):
    """Certified rank of ``[A^y]_{I,J}`` through Lemma D, without building ``[A]``.

    Parameters
    ----------
    weights : Weights
        Exact weights of a deep net (rationals are cleared of denominators: every rank is unchanged).
    partition : Partition
        Must split every level-1 pair (:func:`applies`).
    output : int
        0-based output ``y``.
    engine : str or RankEngine, optional
        Engine for the filters' ranks and the singular-filter blocks.
    memory_budget : int
        Bytes for the streamed count.
    prime : int
        The prime of the count (below ``2^31``).
    upper_bounds : sequence of Bound
        Structural upper bounds valid for all weights (the caller's minimal cut).
    exact_limit : int
        See :func:`count_nonzero_entries`.
    progress : callable, optional
        ``progress(done, total)`` during the count.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the count's rows go (see :func:`count_nonzero_entries`); same rank and evidence as serial.

    Returns
    -------
    PairDiagonalCertificate or None
        ``None`` when Lemma D does not apply. With filters of full column rank the rank is certified
        (unless more than ``exact_limit`` entries vanish mod p without a structural reason); with singular
        filters see :func:`verifier.rank.singular.singular_rank`.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> w = random_weights(DeepArch(N=16, M=2, widths=(2, 2, 2, 2), shared=True), seed=3)
    >>> c = pair_diagonal_rank(w, parse_partition("odd-even", 16))
    >>> c.rank, c.lower.method[:43]
    (256, 'Lemma D: 256 of 256 entries of D nonzero ov')
    """
    arch = check_weights(weights, numeric=True).arch
    partition = check_partition(partition, arch.N)
    if not applies(arch, partition):
        return None
    output = check_output_index(output, arch)
    return _pair_diagonal_rank(weights, partition, output, engine, memory_budget, prime, upper_bounds, exact_limit,
                               progress, executor)


def _pair_diagonal_rank(weights, partition: Partition, output: int, engine=None,
                        memory_budget: int = DEFAULT_MEMORY_BUDGET, prime: int = DEFAULT_PRIME, upper_bounds=(),
                        exact_limit: int = EXACT_LIMIT, progress=None, executor=None):
    """:func:`pair_diagonal_rank` on validated values, for a partition Lemma D applies to."""
    arch = weights.arch
    iw = weights.integral()
    r0 = arch.widths[0]
    filters = filter_ranks(iw, engine)
    n_rows, n_cols = partition.shape(arch.M)
    structural = [*upper_bounds, Bound(min(n_rows, n_cols), "matrix shape")]
    if any(f.rank != r0 for f in filters):
        return singular_rank(iw, partition, output, filters, structural, engine,
                             {"prime": prime, "memory_budget": memory_budget, "exact_limit": exact_limit,
                              "progress": progress, "executor": executor})
    count = count_nonzero_entries(iw, output, prime, memory_budget, exact_limit, progress, executor)
    what, how = _filter_text(filters)
    lower = Bound(count.nonzero, f"Lemma D: {count.nonzero} of {count.entries} entries of D nonzero over Z "
                                 f"(residues mod p = {count.prime}; {count.exact_checks} decided exactly), "
                                 f"{what} of full column rank {r0} ({how})")
    by_count = Bound(count.entries - count.zero, f"Lemma D: rank <= {count.entries - count.zero} entries of D "
                                                 f"not zero over Z ({count.zero} proved zero)")
    upper = min([*structural, by_count], key=lambda b: b.value)
    return PairDiagonalCertificate(n_rows, n_cols, lower, upper, count, filters)
