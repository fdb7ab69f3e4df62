"""The pair-diagonal route (MATH.md Lemma D, :mod:`verifier.rank.pair_diagonal`): for a partition splitting every
level-1 pair of a binary deep net, ``rank [A]`` is the number of nonzero entries of an ``r_0^{N/2}`` vector D,
streamed mod p (Lemma D (iii) when a filter is singular)."""

from __future__ import annotations

from ...exact.certify import RankCertificate
from ..evidence import dense_evidence
from ..lemma_d import _pair_diagonal_rank
from ..pair_diagonal import ENTRY_LIMIT, applies
from .base import Estimate, Job, NotAnswered, Route


class PairDiagonalRoute(Route):
    """Lemma D's count of the nonzero entries of D."""

    name = "pair-diagonal"
    refusal = ("'auto', 'reduced' or 'dense' for a net or partition without Lemma D's pair-diagonal form (deep "
               "net, every level-1 pair split)")

    def estimate(self, job: Job) -> Estimate:
        if not applies(job.arch, job.partition):
            return Estimate.no("a level-1 pair unsplit")
        entries = job.arch.widths[0] ** (job.arch.N // 2)
        return Estimate.no("D over its entry limit") if entries > ENTRY_LIMIT else Estimate.of(entries)

    def run(self, job: Job, forced: bool = False) -> RankCertificate:
        if not applies(job.arch, job.partition):
            raise NotAnswered("a level-1 pair unsplit")
        return _pair_diagonal_rank(job.weights, job.partition, job.output, engine=job.engine,
                                   memory_budget=job.memory_budget, upper_bounds=list(job.uppers),
                                   progress=job.progress, executor=job.executor, **job.prime)

    def evidence(self, iw, report, minor_first: int) -> dict:
        return dense_evidence(iw, report, minor_first)


ROUTE = PairDiagonalRoute()
