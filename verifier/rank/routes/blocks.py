"""The block route (MATH.md Lemma B, :mod:`verifier.rank.blocks`): any tree, any partition; the rank as a sum of
ranks of small blocks (or a count of nonzero scalars), when every Khatri-Rao factor of the bottom nodes is
certified of full column rank."""

from __future__ import annotations

from math import isqrt

from ...errors import count_text
from ...exact.certify import RankCertificate
from ..blocks import MEMORY_BOUND, NotApplicable, _block_rank
from ..evidence import PRIMES, structural_evidence
from .base import Estimate, Job, NotAnswered, Route


class BlockRoute(Route):
    """Lemma B's descent to blocks."""

    name = "blocks"
    refusal = "'auto' or 'dense' here"

    def estimate(self, job: Job) -> Estimate:
        if job.memory_budget < MEMORY_BOUND:
            return Estimate.no(f"needs up to {count_text(MEMORY_BOUND)} bytes")
        rows, cols = job.shape
        # each level of the descent splits the modes of both sides: its blocks have about the square root of
        # [A]'s entries in all (an estimate for the order of ``auto``; the route's limits decide in ``run``)
        return Estimate.of(isqrt(rows * cols))

    def run(self, job: Job, forced: bool = False) -> RankCertificate:
        try:
            return _block_rank(job.weights, job.partition, job.output, engine=job.engine,
                               upper_bounds=list(job.uppers), progress=job.progress, executor=job.executor)
        except NotApplicable as exc:
            raise NotAnswered(exc.short, f"Lemma B does not apply: {exc}") from None

    def evidence(self, iw, report, minor_first: int) -> dict:
        """The primes of the factors' ranks; the checker re-derives the blocks and their ranks itself."""
        ev = {"kind": "blocks", "primes": list(PRIMES)}
        return {"lower": ev, "upper": structural_evidence(iw.arch, report, report.certificate.upper.value) or ev}


ROUTE = BlockRoute()
