"""The reduced route (MATH.md section 5, Lemma R): when every leaf has ``r < M`` channels of full column rank,
``rank [A] = rank [C]`` for the ``r^N``-entry core ``C`` (the same network with identity leaves)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ...errors import VerifierError
from ...exact.certify import Bound, RankCertificate, certify_matrix_rank
from ...exact.engines import FlintEngine
from ...exact.tensors import EXACT_ENTRY_LIMIT, matricize
from ...nets.coefficients import coefficient_tensor
from ...nets.weights import Weights
from ..evidence import PRIMES, label, matrix_lower, matrix_upper, structural_evidence
from .base import Estimate, Job, NotAnswered, Route, with_cut
from .dense import ROUTE as DENSE
from .dense import dense_need


def leaf_width(arch) -> int | None:
    """``r``: the leaves' common number of channels when it is below ``M`` (else ``None``)."""
    tree = arch.tree
    r = {arch.node_shape(v)[0] for v in tree.postorder() if tree.is_leaf(v)}
    return r.pop() if len(r) == 1 and min(r) < arch.M else None


def core_weights(iw, r: int) -> Weights:
    """The core: the same network with ``r x r`` identity leaves (``M`` replaced by ``r``)."""
    tree = iw.arch.tree
    identity = np.zeros((r, r), dtype=object)
    for k in range(r):
        identity[k, k] = 1
    arrays = {v: (identity.copy() if tree.is_leaf(v) else iw[v]) for v in tree.postorder()}
    return Weights(replace(iw.arch, M=r), arrays, "core")


def reduced_certificate(job: Job) -> RankCertificate:
    """The certified bounds of the core, transferred to ``[A]`` (``NotAnswered`` when Lemma R does not apply)."""
    arch, iw = job.arch, job.iw
    r = leaf_width(arch)
    if r is None:
        raise NotAnswered("needs r_0 < M")
    tree = arch.tree
    seen = {}
    for v in (v for v in tree.postorder() if tree.is_leaf(v)):
        key = tuple(iw[v].ravel().tolist())
        if key not in seen:
            seen[key] = certify_matrix_rank(iw[v], engine=job.engine, primes=job.primes).lower
        if seen[key].value != r:
            raise NotAnswered("a filter matrix not of full rank r_0 (certified mod p)")
    core = Job(core_weights(iw, r), job.partition, job.output, job.engine, job.memory_budget, job.primes)
    cc = DENSE.run(core)
    how = " / ".join(sorted({b.method for b in seen.values()}))
    why = (f"reduction to the {r}^{arch.N}-entry core ({len(seen)} distinct {r} x {arch.M} filter matrices of "
           f"full rank {r} by {how})")
    n_rows, n_cols = job.shape
    return RankCertificate(n_rows, n_cols, Bound(cc.lower.value, f"{why}; core: {cc.lower.method}"),
                           Bound(cc.upper.value, f"{why}; core: {cc.upper.method}"))


class ReducedRoute(Route):
    """Lemma R: reduce to the core when the leaves have ``r_0 < M`` channels."""

    name = "reduced"
    refusal = "'auto' or 'dense' for weights whose level-0 filter matrices are not of full rank r_0 < M (certified mod p)"

    def estimate(self, job: Job) -> Estimate:
        r = leaf_width(job.arch)
        if r is None:
            return Estimate.no("needs r_0 < M")
        if dense_need(replace(job.arch, M=r), job.partition) > job.memory_budget:
            return Estimate.no("the core over the memory budget")
        rows, cols = job.partition.shape(r)
        return Estimate.of(rows * cols)

    def run(self, job: Job, forced: bool = False) -> RankCertificate:
        return with_cut(reduced_certificate(job), job.cut)

    def evidence(self, iw, report, minor_first: int) -> dict:
        """Every leaf's filters have a nonzero ``r x r`` minor mod one prime (full column rank), and the core's
        matricization (identity leaves) carries the rank."""
        arch = iw.arch
        tree = arch.tree
        leaves = [v for v in tree.postorder() if tree.is_leaf(v)]
        r = arch.node_shape(leaves[0])[0]          # r_0 (deep) or Z (shallow): every leaf has r < M channels
        core = core_weights(iw, r)
        for p in PRIMES:
            filters = {label(v): list(FlintEngine().pivots_mod_p(np.asarray(iw[v], dtype=object), p))
                       for v in leaves}
            if all(len(c) == r for c in filters.values()):
                break
        else:
            raise VerifierError("no certificate: no prime tried shows every filter matrix of full column rank")
        c = report.certificate
        what = "the core of the reduced route"

        def residues(q):
            return matricize(coefficient_tensor(core, report.output, modulus=q), report.partition)

        def exact():
            return matricize(coefficient_tensor(core, report.output), report.partition)

        lower = {"kind": "reduced", "prime": p, "filters": filters, "core": {"kind": "trivial"}}
        if c.lower.value:
            lower["core"] = matrix_lower(c.lower.value, residues, what)
        upper = structural_evidence(arch, report, c.upper.value)
        if upper is None:
            small = r ** arch.N <= EXACT_ENTRY_LIMIT
            upper = {"kind": "reduced", "core": matrix_upper(c.upper.value, report.partition.shape(r),
                                                             exact if small else None, what)}
        return {"lower": lower, "upper": upper}


ROUTE = ReducedRoute()
