"""The structure route: Lemmas K and R (:mod:`verifier.rank.structure`), for weights that make ``A`` an outer
product of small tensors (the Theorem 1 witness does), at any N."""

from __future__ import annotations

import numpy as np

from ...exact.certify import RankCertificate, certify_matrix_rank
from ..evidence import label, matrix_lower, matrix_upper
from ..structure import KroneckerCertificate, _kronecker_rank, factor_matrices, kronecker_factors
from .base import Estimate, Job, NotAnswered, Route


class StructureRoute(Route):
    """Lemmas K and R: the rank is the product of the Kronecker factors' ranks."""

    name = "structure"
    refusal = "'auto', 'reduced' or 'dense' for weights without a Kronecker structure"

    def estimate(self, job: Job) -> Estimate:
        return Estimate(0)   # looking for the factors is linear in the weights

    def run(self, job: Job, forced: bool = False) -> RankCertificate:
        cert = _kronecker_rank(job.weights, job.partition, job.output, job.engine, allow_single=forced)
        if cert is None:
            raise NotAnswered("no factors")
        return cert

    def evidence(self, iw, report, minor_first: int) -> dict:
        """Each distinct factor's minor and bound; the checker re-derives the factors from the weights."""
        rows = frozenset(report.partition.rows)
        c = report.certificate
        if isinstance(c, KroneckerCertificate) and c.integral and c.factors:   # what the route computed
            scalar, factors, mats = 1, c.factors, c.matrices
        else:
            scalar, factors = kronecker_factors(iw, report.output)
            mats = factor_matrices(iw, factors, rows)
        listed, per, seen = [], [], {}
        for f, mat in zip(factors, mats):
            key = (mat.shape, tuple(mat.ravel().tolist()))
            if key not in seen:
                cert = certify_matrix_rank(mat)
                seen[key] = len(per)
                what = f"factor {label(f.node)}"
                per.append({"lower": matrix_lower(cert.lower.value,
                                                  lambda p, m=mat: np.mod(m, p).astype(np.int64), what),
                            "upper": matrix_upper(cert.upper.value, mat.shape, lambda m=mat: m, what)})
            listed.append({"node": label(f.node), "evidence": seen[key]})
        ev = {"kind": "kronecker", "factors": listed if scalar else [], "evidence": per if scalar else []}
        return {"lower": ev, "upper": ev}


ROUTE = StructureRoute()
