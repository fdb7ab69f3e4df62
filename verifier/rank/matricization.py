"""Certified rank of a matricization of a ConvAC's coefficient tensor, by the best available route.

Routes, tried in this order:

1. **structure** (:mod:`verifier.rank.structure`): when the weights make ``A`` an outer product of small
   tensors (the Theorem 1 witness does), Lemmas K and R give the rank for any N without building
   ``M^N`` entries.
2. **reduced**: reduction to the ``r_0^N``-entry core when the level-0 filters have full column rank.
3. **pair-diagonal** (:mod:`verifier.rank.pair_diagonal`, MATH.md Lemma D): for partitions splitting every
   level-1 pair, ``rank [A]`` is the number of nonzero entries of an ``r_0^{N/2}`` vector, streamed mod p
   (``auto`` takes it when the reduced or dense matrix would exceed ``PAIR_DIAGONAL_AUTO_ENTRIES``).
4. **blocks** (:mod:`verifier.rank.blocks`, MATH.md Lemma B): any tree, any partition: the rank as a sum of
   ranks of small blocks (or a count of nonzero scalars), when every Khatri-Rao factor of the bottom nodes is
   certified of full column rank (``auto`` takes it when ``[A]`` has more than ``PAIR_DIAGONAL_AUTO_ENTRIES``
   entries and the routes above did not answer).
5. **compressed** (:mod:`verifier.rank.compression`, only when asked): any partition, rank mod p of a core
   compressed along the mode tree (lower bound) against the structural upper bound.
6. **dense**: the tensor is built modulo a prime directly (int64, never through Python numbers) for
   the lower bound ``rank mod p``; the upper bound comes from the network's structure (a minimal cut
   of the mode tree: ``min(r_0, M)^{N/2}`` for the paper's ``[A]``; Lemma C's ``Z`` for the CP form;
   the symmetric-power dimension for a shared shallow net) or the matrix shape. When they do not
   meet, and the matrix is small, a kernel certificate (exact over Q) closes the gap.

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
from dataclasses import dataclass, replace
from math import comb

import numpy as np

from ..errors import SizeLimitError, count_text, invalid
from ..exact.certify import Bound, RankCertificate, certify_matrix_rank, certify_rank, check_primes
from ..exact.engines import get_engine
from ..exact.tensors import (
    DEFAULT_MEMORY_BUDGET,
    EXACT_ENTRY_LIMIT,
    Partition,
    check_budget,
    check_partition,
    matricize,
)
from ..nets.architectures import ShallowArch
from ..nets.coefficients import check_budget_value, check_output_index, coefficient_tensor, dense_bytes
from ..nets.weights import Weights, check_arch, check_weights
from ..render.tables import show_int
from .blocks import BlockCertificate, NotApplicable, block_rank
from .certificates import independently_checked
from .compression import CORE_ENTRY_LIMIT, compressed_rank
from .mincut import NetworkCut, min_cut
from .pair_diagonal import ENTRY_LIMIT as PAIR_DIAGONAL_ENTRY_LIMIT
from .pair_diagonal import applies as pair_diagonal_applies
from .pair_diagonal import pair_diagonal_rank
from .structure import kronecker_rank

ROUTES = ("auto", "structure", "reduced", "pair-diagonal", "blocks", "compressed", "dense")
#: ``auto`` prefers the pair-diagonal route (when it applies) over the reduced and dense routes once their
#: matrix would have more than this many entries (below, those routes answer in well under a second).
PAIR_DIAGONAL_AUTO_ENTRIES = 2**20


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
    partition = check_partition(partition, arch.N)
    output = check_output_index(output, arch)
    tree = arch.tree
    leaves = [v for v in tree.postorder() if tree.is_leaf(v)]
    r = {arch.node_shape(v)[0] for v in leaves}
    if len(r) != 1:
        return None
    r = r.pop()
    if r >= arch.M:
        return None
    iw = weights.integral()
    eng = get_engine(engine)
    seen = {}
    for v in leaves:
        key = tuple(iw[v].ravel().tolist())
        if key not in seen:
            seen[key] = certify_matrix_rank(iw[v], engine=eng, primes=primes).lower
        if seen[key].value != r:
            return None
    core_arch = replace(arch, M=r)
    identity = np.zeros((r, r), dtype=object)
    for k in range(r):
        identity[k, k] = 1
    arrays = {v: (identity.copy() if tree.is_leaf(v) else iw[v]) for v in tree.postorder()}
    core = Weights(core_arch, arrays, "core")
    core_report = _route(core, partition, output, engine, memory_budget, primes, "dense")
    cc = core_report.certificate
    how = " / ".join(sorted({b.method for b in seen.values()}))
    why = (f"reduction to the {r}^{arch.N}-entry core ({len(seen)} distinct {r} x {arch.M} filter matrices of "
           f"full rank {r} by {how})")
    n_rows, n_cols = partition.shape(arch.M)
    return RankCertificate(n_rows, n_cols, Bound(cc.lower.value, f"{why}; core: {cc.lower.method}"),
                           Bound(cc.upper.value, f"{why}; core: {cc.upper.method}"))


def _default_geometry(arch) -> bool:
    name = arch.tree.name
    return name in ("binary", "star") or name.startswith("depth:")


def structural_upper_bounds(arch, partition: Partition, cut: NetworkCut | None = None) -> list[Bound]:
    """Upper bounds on ``rank [A]_{I,J}`` valid for ALL weights of the architecture.

    * Deep (HT form): the minimal cut of the mode tree, with bond dimensions ``min(M, r_0)`` at the
      inputs and ``min(r_{l-1}, r_l)`` inside (MATH.md section 5); for the paper's odd/even
      partition this is ``min(r_0, M)^{N/2}`` (Theorem 1's upper side). For the other geometries
      (windows, images, tree files) the bound is the min-cut of the tensor network
      (:func:`~verifier.rank.mincut.min_cut`, delta nodes included; ``cut`` if already computed), whose
      method names what it cuts.
    * Shallow (CP form): Lemma C, ``rank <= Z``; shared weights make ``A`` symmetric, so the row
      space lies in the symmetric power: ``rank <= C(M + |I| - 1, |I|)`` (and likewise for ``J``).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch, ShallowArch
    >>> from verifier.exact.tensors import parse_partition
    >>> [b.value for b in structural_upper_bounds(DeepArch(N=8, M=3, widths=(2, 1, 1)),
    ...                                           parse_partition("odd-even", 8))]
    [16]
    >>> [b.value for b in structural_upper_bounds(ShallowArch(N=4, M=3, Z=10, shared=True),
    ...                                           parse_partition("odd-even", 4))]
    [9, 6]
    """
    check_arch(arch)
    partition = check_partition(partition, arch.N)
    rows = frozenset(partition.rows)
    if not _default_geometry(arch):
        cut = cut if cut is not None else min_cut(arch, partition)
        return [Bound(cut.value, f"structure: {cut.method}")]
    bound = arch.tree.cut_bound(rows, arch.edge_dim, arch.node_dim)
    if isinstance(arch, ShallowArch):
        what = "Lemma C: rank <= Z" if bound == arch.Z else "minimal cut of the CP network"
        out = [Bound(bound, f"structure: CP form ({what})")]
        if arch.shared:
            sym = min(comb(arch.M + len(rows) - 1, len(rows)), comb(arch.M + len(partition.cols) - 1,
                                                                    len(partition.cols)))
            out.append(Bound(sym, "structure: shared CP form is symmetric (symmetric-power dimension)"))
        return out
    return [Bound(bound, "structure: HT form (minimal cut of the mode tree)")]


@dataclass(frozen=True)
class RankReport:
    """The certified rank of one matricization of one network's tensor, with everything needed to
    reproduce it (architecture, weights kind, seed and bound, partition, output).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> r = matricization_rank(witness_weights(DeepArch(N=4, M=2, widths=(2, 1))),
    ...                        parse_partition("odd-even", 4))
    >>> print(r)
    deep ConvAC N=4 M=2 widths=2,1 Y=1 unshared, witness weights, partition odd-even, output 1
    [A] is 4 x 4: rank = 4
      lower bound 4: Lemmas K and R: product of 2 factor ranks (1 distinct factor(s), each by rank mod p = 2147483647 (flint))
      upper bound 4: Lemmas K and R: product of 2 factor ranks (1 distinct factor(s), each by matrix shape)
      checked: the independent checker re-derived both bounds (lower: kronecker, upper: kronecker)
    """

    arch: object
    weights_kind: str
    seed: int | None
    bound: int | None
    partition: Partition
    output: int
    route: str
    certificate: RankCertificate
    min_cut: NetworkCut | None = None
    #: The checker gate (:func:`verifier.rank.certificates.independently_checked`): ``True`` when the
    #: independent checker accepted the evidence of both bounds, ``False`` when it did not (the report is then
    #: not certified), ``None`` when it was not run (``check=False``, or the grid route: no certificate format).
    checked: bool | None = None
    #: What the gate said (or why it did not run).
    check: str = ""

    def to_dict(self) -> dict:
        """JSON-ready form; ``rank`` is ``None`` unless certified. Output index is 1-based here.
        ``min_cut`` is the exact value of the tensor network's min-cut (an upper bound for all weights),
        ``cut`` its description, ``geometry`` the pooling geometry's name."""
        d = self.certificate.to_dict()
        if hasattr(self.certificate, "evidence_dict"):
            d["evidence"] = self.certificate.evidence_dict()
        d.update({"seed": self.seed, "weights": self.weights_kind, "bound": self.bound,
                  "partition": self.partition.spec, "row_modes": [m + 1 for m in self.partition.rows],
                  "output": self.output + 1, "route": self.route, "architecture": self.arch.to_dict()})
        d.update(self.arch.to_dict())
        d["geometry"] = self.arch.tree.name
        if self.min_cut is not None:
            d.update({"min_cut": self.min_cut.value, "cut": self.min_cut.to_dict()})
        d.update({"checked": self.checked, "check": self.check})
        return d

    def __str__(self) -> str:
        a = self.arch
        size = f"Z={a.Z}" if a.net == "shallow" else f"widths={','.join(map(str, a.widths))}"
        if a.net == "tt":  # a tensor train (verifier.nets.tt): its bonds, one value when all are equal
            size = f"bonds={a.widths[0] if len(set(a.widths)) == 1 else ','.join(map(str, a.widths))}"
        if a.net == "depth":
            size += f" L_c={a.L_c}"
        if not _default_geometry(a) and a.net != "tt":
            size += f" geometry={a.tree.name}"
        if getattr(a, "kernel", 1) != 1:
            size += f" kernel={a.kernel}"
        head = (f"{a.net} ConvAC N={a.N} M={a.M} {size} Y={a.Y} {'shared' if a.shared else 'unshared'}, "
                f"{self.weights_kind} weights")
        if self.seed is not None:
            head += f" (seed {self.seed}, bound {self.bound})"
        c = self.certificate
        verdict = f"rank = {show_int(c.rank)}" if c.certified else (
            f"{show_int(c.lower.value)} <= rank <= {show_int(c.upper.value)} (NOT certified)")
        if c.certified and self.checked is not True:
            verdict += f", certified (not independently checked{': ' + self.check if self.check else ''})"
        return (f"{head}, partition {self.partition.spec}, output {self.output + 1}\n"
                f"[A] is {show_int(c.rows)} x {show_int(c.cols)}: {verdict}\n"
                f"  lower bound {show_int(c.lower.value)}: {c.lower.method}\n"
                f"  upper bound {show_int(c.upper.value)}: {c.upper.method}"
                + (f"\n  min-cut {show_int(self.min_cut.value)}: {self.min_cut.method}"
                   if self.min_cut is not None and not _default_geometry(a)
                   and not c.upper.method.endswith(self.min_cut.method) else "")
                + (f"\n  checked: {self.check}" if self.checked is True else ""))


def _prefer_pair_diagonal(arch, partition: Partition) -> bool:
    """Whether ``auto`` tries the pair-diagonal route before the reduced and dense ones."""
    if not pair_diagonal_applies(arch, partition) or arch.widths[0] ** (arch.N // 2) > PAIR_DIAGONAL_ENTRY_LIMIT:
        return False
    return min(arch.widths[0], arch.M) ** arch.N > PAIR_DIAGONAL_AUTO_ENTRIES


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
    route : {'auto', 'structure', 'reduced', 'pair-diagonal', 'blocks', 'compressed', 'dense'}
        ``auto`` uses the Kronecker structure when the weights have it, else the pair-diagonal count when it
        applies and the other matrices would be large, else the reduction to the core (when the leaves have
        fewer channels than M), else Lemma B's blocks when ``[A]`` is large, else builds densely. ``blocks``
        always takes Lemma B (:func:`~verifier.rank.blocks.block_rank`). ``reduced`` reduces to the core and
        builds the core densely; ``pair-diagonal`` counts the nonzero entries of D (Lemma D); ``compressed``
        (any partition) takes the rank mod p of a core compressed along the mode tree as the lower bound. Weights of a
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
        from .grid import grid_rank

        if route != "auto":
            raise invalid("route", f"'auto' for a net with receptive field {arch.kernel} (route 'grid')", route)
        return grid_rank(weights, partition, output, engine=engine, memory_budget=memory_budget, primes=primes)
    meta = (arch, weights.kind, weights.seed, weights.bound, partition, output)
    tried = []  # (route, why it did not answer): the refusal names them
    if route in ("auto", "structure"):
        cert = kronecker_rank(weights, partition, output, engine=engine, allow_single=route == "structure")
        if cert is not None:
            return RankReport(*meta, "structure", cert, min_cut(arch, partition))
        tried.append("structure: no factors")
        if route == "structure":
            raise invalid("route", "'auto', 'reduced' or 'dense' for weights without a Kronecker structure", route)
    if route == "compressed":
        small = [p for p in (primes or ()) if isinstance(p, int) and 2 <= p < 2**31]
        cut = min_cut(arch, partition)
        cert = compressed_rank(weights, partition, output, upper_bounds=structural_upper_bounds(arch, partition, cut),
                               memory_budget=memory_budget, **({"prime": small[0]} if small else {}))
        if cert is None:
            raise invalid("route", f"'auto' or 'dense' for a net whose compressed cores exceed {CORE_ENTRY_LIMIT} "
                                   "entries (or whose tree's modes are not consecutive)", route)
        return RankReport(*meta, "compressed", cert, cut)
    if route == "pair-diagonal" or (route == "auto" and _prefer_pair_diagonal(arch, partition)):
        cut = min_cut(arch, partition)
        try:
            small = [p for p in (primes or ()) if isinstance(p, int) and 2 <= p < 2**31]
            cert = pair_diagonal_rank(weights, partition, output, engine=engine, memory_budget=memory_budget,
                                      upper_bounds=structural_upper_bounds(arch, partition, cut), progress=progress,
                                      **({"prime": small[0]} if small else {}))
        except SizeLimitError:
            if route == "pair-diagonal":
                raise
            cert = None  # auto: the other routes say what does not fit
            tried.append("pair-diagonal: over the memory budget")
        if route == "pair-diagonal" and cert is None:
            raise invalid("route", "'auto', 'reduced' or 'dense' for a net or partition without Lemma D's "
                                   "pair-diagonal form (deep net, every level-1 pair split)", route)
        if cert is not None and (route == "pair-diagonal" or cert.certified):
            return RankReport(*meta, "pair-diagonal", cert, cut)
        last = cert
        if cert is not None:
            tried.append("pair-diagonal: not certified")
    else:
        last = None
        if route == "auto":
            tried.append("pair-diagonal: " + ("a level-1 pair unsplit" if not pair_diagonal_applies(arch, partition)
                                              else "D over its entry limit"))
    if route in ("auto", "reduced"):
        try:
            cert = reduced_rank(weights, partition, output, engine=engine, memory_budget=memory_budget,
                                primes=primes)
        except SizeLimitError:
            if route == "reduced":
                raise
            cert = None  # auto: the block route or the dense one say what does not fit
        if cert is not None:
            cut = min_cut(arch, partition)
            return RankReport(*meta, "reduced", _with_cut(cert, cut), cut)
        tried.append("reduced: needs r_0 < M")
        if route == "reduced":
            raise invalid("route", "'auto' or 'dense' for weights whose level-0 filter matrices are not "
                                   "of full rank r_0 < M (certified mod p)", route)
    n_rows, n_cols = partition.shape(arch.M)
    if route == "blocks" or (route == "auto" and n_rows * n_cols > PAIR_DIAGONAL_AUTO_ENTRIES):
        cut = min_cut(arch, partition)
        try:
            cert = block_rank(weights, partition, output, engine=engine,
                              upper_bounds=structural_upper_bounds(arch, partition, cut), progress=progress,
                              executor=executor)
        except NotApplicable as exc:
            if route == "blocks":
                raise invalid("route", f"'auto' or 'dense' here (Lemma B does not apply: {exc})", route) from None
            cert = None
            tried.append(f"blocks: {exc.short}")
        if cert is not None and (route == "blocks" or cert.certified):
            return RankReport(*meta, "blocks", cert, cut)
        if cert is not None:
            tried.append("blocks: not certified")
        if cert is not None and (last is None or cert.upper.value - cert.lower.value
                                 < last.upper.value - last.lower.value):
            last = cert
    iw = weights.integral()
    cut = min_cut(arch, partition)
    uppers = structural_upper_bounds(arch, partition, cut)
    if last is not None and dense_bytes(arch, 2) + 8 * n_rows * n_cols > memory_budget:
        # valid bounds, not certified: dense does not fit
        return RankReport(*meta, "blocks" if isinstance(last, BlockCertificate) else "pair-diagonal", last, cut)
    need = dense_bytes(arch, 2) + 8 * n_rows * n_cols
    if route == "auto" and need > memory_budget:  # the last resort: the compressed core's rank
        small = [p for p in (primes or ()) if isinstance(p, int) and 2 <= p < 2**31]
        cert = compressed_rank(weights, partition, output, upper_bounds=uppers, memory_budget=memory_budget,
                               **({"prime": small[0]} if small else {}))
        if cert is not None and cert.certified:
            return RankReport(*meta, "compressed", cert, cut)
        tried.append("compressed: " + ("not certified" if cert is not None else "cores too large"))
    if tried and need > memory_budget:  # auto: one line naming every route tried
        raise SizeLimitError(f"Arguments 'N', 'M': no route answers (dense: {count_text(need)} bytes, budget "
                             f"{count_text(memory_budget)}; " + "; ".join(tried) + ").")
    check_budget(need, memory_budget,
                 f"the dense {count_text(n_rows)} x {count_text(n_cols)} matricization (M^N = {arch.M}^{arch.N})",
                 "use structured weights (the witness) or a smaller N", name="N, M")

    cert = dense_certificate(lambda p: coefficient_tensor(iw, output, modulus=p, memory_budget=memory_budget),
                             arch, partition, uppers, engine=engine, primes=primes)
    return RankReport(*meta, "dense", cert, cut)


def dense_certificate(tensor, arch, partition: Partition, upper_bounds, **options) -> RankCertificate:
    """:func:`~verifier.exact.certify.certify_rank` of ``[A]_{I,J}`` built densely: ``tensor(p)`` is the tensor
    mod the prime ``p``, ``tensor(None)`` the exact one (offered only up to ``EXACT_ENTRY_LIMIT`` entries).
    ``options`` go to ``certify_rank`` (engine, primes, limits). Callers check the memory budget first."""
    def residues(p):
        return matricize(tensor(p), partition)

    exact = (lambda: matricize(tensor(None), partition)) if arch.M ** arch.N <= EXACT_ENTRY_LIMIT else None
    return certify_rank(partition.shape(arch.M), residues=residues, exact=exact, upper_bounds=upper_bounds,
                        **options)


def _with_cut(cert: RankCertificate, cut: NetworkCut) -> RankCertificate:
    """The certificate with the min-cut as its upper bound when it is strictly better (valid for all weights)."""
    if cut.value < cert.upper.value:
        return RankCertificate(cert.rows, cert.cols, cert.lower, Bound(cut.value, f"structure: {cut.method}"))
    return cert
