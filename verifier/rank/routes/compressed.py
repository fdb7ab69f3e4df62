"""The compressed route (:mod:`verifier.rank.compression`): any partition; the rank mod p of a core compressed
along the mode tree is the lower bound, against the structural upper bound. It has no certificate format:
through the checker gate its ranks are not certified."""

from __future__ import annotations

from ...exact.certify import RankCertificate
from ..compression import CORE_ENTRY_LIMIT, _compressed_rank
from .base import Estimate, Job, NotAnswered, Route


class CompressedRoute(Route):
    """Recursive compression along the mode tree (modes must be consecutive in the tree)."""

    name = "compressed"
    refusal = (f"'auto' or 'dense' for a net whose compressed cores exceed {CORE_ENTRY_LIMIT} entries (or whose "
               "tree's modes are not consecutive)")

    def estimate(self, job: Job) -> Estimate:
        tree = job.arch.tree
        if tree.modes(tree.root) != tuple(range(job.arch.N)):
            return Estimate.no("modes not consecutive")
        rows, cols = job.shape
        return Estimate.of(rows * cols)   # at worst the whole matrix: the last resort

    def run(self, job: Job, forced: bool = False) -> RankCertificate:
        cert = _compressed_rank(job.weights, job.partition, job.output, upper_bounds=list(job.uppers),
                                memory_budget=job.memory_budget, **job.prime)
        if cert is None:
            raise NotAnswered("cores too large")
        return cert


ROUTE = CompressedRoute()
