"""The spans route for tensor trains: runs of full span reduce ``[A]`` to the bond network (any N).

Split the sites into maximal runs of consecutive sites on one side of ``(I, J)`` (:func:`verifier.rank.tt_chain.runs`;
consecutive runs lie on opposite sides). A run ``[a..b]`` is the matrix ``R`` (``M^{b-a+1}`` digit patterns x
``r_a r_{b+1}`` pairs of its outer bonds). When every ``R`` has full column rank ``r_a r_{b+1}`` (certified: rank
mod p of the integer matrix, a lower bound on its rank over Q, equals its column count), then

.. math:: [A]_{I,J} = (\\otimes_{\\text{row runs}} R)\\, \\Delta\\, (\\otimes_{\\text{column runs}} R)^T,

with ``Delta`` the 0/1 matrix of the bonds between runs (each such bond joins a row run and a column run, so
``Delta`` is, up to permutations, the Kronecker product of identities ``I_{r_k}``). Kronecker products of matrices
of full column rank have full column rank, so ``rank [A] = rank Delta = prod r_k`` over the bonds between runs:
the same reduction as the package's ``reduced`` route (Lemma R with full-rank filters), on the chain. The rank
mod p of each run is computed on a spanning set of its patterns (at most ``r_a r_{b+1}`` rows, built site by
site), so the cost is linear in N. The upper bound is the TT's min-cut.

No certificate format holds this argument (the checker's ``reduced`` evidence is for leaves of a mode tree, and a
minor of size ``prod r_k`` is too large to write past a few thousand): certificates come from the dense and runs
routes.

Examples
--------
>>> from verifier.nets.tt import TTArch, tt_random_weights
>>> from verifier.exact.tensors import parse_partition
>>> k, why = spans_rank(tt_random_weights(TTArch(N=64, M=4, bonds=2), seed=0), parse_partition("odd-even", 64))
>>> k == 2**63, why
(True, '64 run(s), each of full span r_a r_(b+1) by rank mod p = 2147483647; rank = product of the 63 bond(s) between runs')
"""

from __future__ import annotations

from ..errors import SizeLimitError, invalid
from ..exact.certify import Bound, RankCertificate
from ..exact.fields import DEFAULT_PRIME
from ..exact.tensors import Partition
from ..nets.tt import is_tt_embedding, tt_cores
from .report import RankReport
from .tt_chain import _check_cut, _mod, run_span, runs


def spans_applies(arch, partition: Partition) -> bool:
    """Whether every run can have full span: ``M^{len} >= r_a r_{b+1}`` (a condition on sizes only).

    Examples
    --------
    >>> from verifier.nets.tt import TTArch
    >>> from verifier.exact.tensors import parse_partition
    >>> spans_applies(TTArch(N=8, M=4, bonds=2), parse_partition("odd-even", 8))
    True
    >>> spans_applies(TTArch(N=8, M=3, bonds=2), parse_partition("odd-even", 8))
    False
    """
    for first, last, _ in runs(partition):
        need = arch.bond(first) * arch.bond(last + 1)
        if last - first + 1 < 64 and arch.M ** (last - first + 1) < need:
            return False
    return True


def spans_rank(weights, partition: Partition, prime: int = DEFAULT_PRIME):
    """``(rank, method)`` when every run has full span mod ``prime`` (module docstring), else ``None``.

    The rank is exact (both bounds): the product of the bonds between consecutive runs.
    """
    arch = weights.arch
    if not spans_applies(arch, partition):
        return None
    cores_p = _mod(tt_cores(weights.integral()), prime)
    found = runs(partition)
    for first, last, _ in found:
        pats, _ = run_span(cores_p, first, last, prime)
        if len(pats) < arch.bond(first) * arch.bond(last + 1):
            return None
    rank = 1
    for first, _, _ in found[1:]:
        rank *= arch.bond(first)
    why = (f"{len(found)} run(s), each of full span r_a r_(b+1) by rank mod p = {prime}; rank = product of the "
           f"{len(found) - 1} bond(s) between runs")
    return rank, why


def spans_report(weights, partition, meta, primes, explicit: bool = True) -> RankReport:
    """The spans route as a :class:`~verifier.rank.matricization.RankReport` (``meta``: its first six fields), or a
    one-line refusal when it does not apply or a run's span is not full."""
    arch = weights.arch
    if not is_tt_embedding(weights) or not spans_applies(arch, partition):
        raise invalid("route", "'auto', 'runs' or 'dense' here: the spans route needs TT weights and M^len >= "
                               "r_a r_(b+1) for every run of sites on one side", "spans")
    p = next((q for q in (primes or ()) if q < 2**31), DEFAULT_PRIME)
    found = spans_rank(weights, partition, p)
    if found is None and explicit:
        raise invalid("route", "'auto', 'runs' or 'dense' for these cores (a run does not have full span mod p)",
                      "spans")
    if found is None:
        raise SizeLimitError("Arguments 'N', 'M', 'bonds': a run of these cores does not have full span mod p, and "
                             f"the dense and runs routes do not fit (N = {arch.N}); use a smaller N.")
    rank, why = found
    cut = _check_cut(arch, partition)
    n_rows, n_cols = partition.shape(arch.M)
    upper = Bound(cut.value, f"structure: {cut.method}")
    if rank < cut.value:
        upper = Bound(rank, f"spans: {why} (valid for all weights: a cut of the bonds between runs)")
    return RankReport(*meta, "spans", RankCertificate(n_rows, n_cols, Bound(rank, f"spans: {why}"), upper), cut)
