"""The dense route: ``[A]`` built modulo a prime (int64) for the lower bound ``rank mod p``; the upper bound
from the network's structure (min-cut, Lemma C, symmetric power) or the matrix shape, closed by a kernel
certificate (exact over Q) when the matrix is small."""

from __future__ import annotations

from ...errors import count_text
from ...exact.certify import RankCertificate
from ...exact.tensors import check_budget
from ...nets.coefficients import _coefficient_tensor, dense_bytes
from ..evidence import dense_evidence
from .base import Estimate, Job, Route, dense_certificate


def dense_need(arch, partition) -> int:
    """Bytes the dense route needs: the tensor mod p and its matricization (int64)."""
    rows, cols = partition.shape(arch.M)
    return dense_bytes(arch, 2) + 8 * rows * cols


class DenseRoute(Route):
    """Build ``[A]`` mod p; any net, any partition, within the memory budget."""

    name = "dense"

    def estimate(self, job: Job) -> Estimate:
        need = dense_need(job.arch, job.partition)
        if need > job.memory_budget:
            return Estimate.no(f"{count_text(need)} bytes, budget {count_text(job.memory_budget)}")
        rows, cols = job.shape
        return Estimate.of(rows * cols)

    def run(self, job: Job, forced: bool = False) -> RankCertificate:
        arch, (rows, cols) = job.arch, job.shape
        check_budget(dense_need(arch, job.partition), job.memory_budget,
                     f"the dense {count_text(rows)} x {count_text(cols)} matricization (M^N = {arch.M}^{arch.N})",
                     "use structured weights (the witness) or a smaller N", name="N, M")
        iw, budget, output = job.iw, job.memory_budget, job.output
        return dense_certificate(lambda p: _coefficient_tensor(iw, output, p, budget),
                                 arch, job.partition, list(job.uppers), engine=job.engine, primes=job.primes)

    def evidence(self, iw, report, minor_first: int) -> dict:
        return dense_evidence(iw, report, minor_first)


ROUTE = DenseRoute()
