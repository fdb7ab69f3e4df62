"""Certified ranks of matricizations of tensor trains (Khrulkov, Novikov & Oseledets, ICLR 2018).

A TT is a ConvAC on a caterpillar tree (:mod:`verifier.nets.tt`), so the tree-generic routes and certificates
apply unchanged; this module adds the TT's own structure:

* **upper bound**: the min-cut of the path network (bonds ``r_k``, legs ``M``): the tensor network's min-cut of
  the caterpillar embedding, checked equal to the exact dynamic programme on the chain
  (:func:`~verifier.nets.tt.tt_min_cut`) every time;
* **runs** (lower bound beyond dense): the sites split into maximal *runs* of consecutive sites on one side of
  ``(I, J)``. Contract each run to its span first: a run ``[a..b]`` is a matrix ``R`` (``M^{b-a+1}`` digit
  patterns x ``r_{a} r_{b+1}`` bond pairs), and ``[A]_{I,J}`` restricted, on that run's modes, to rows ``S`` of
  ``R`` spanning its row space has the same rank (``R = T R_S`` with ``T`` of full column rank). ``S`` is built
  site by site (``|S| <= r_a r_{b+1}``), mod p. Whatever ``S`` is, the minor found in the restricted matrix IS a
  minor of ``[A]`` (its rows and columns are mapped back to indices of ``[A]``), so the lower bound and its
  certificate (``minor`` evidence) never depend on the selection being right;
* **spans** (:mod:`verifier.rank.tt_spans`): when every run's span is full, ``rank [A]`` is the product of the
  bonds between runs, for any N (no certificate format);
* **structure** (Lemmas K and R): when every bond between sites ``2k`` and ``2k+1`` (1-based) carries one live
  channel (the other channels of the left core's columns or the right core's rows are exactly zero), ``A`` is
  the outer product of the pair tensors, and the rank is the product of their ranks. This certifies the TT
  witness (:func:`~verifier.nets.tt.tt_witness_cores`) at N = 1024 without ``M^N`` entries; its certificate is
  written on the equivalent pair tree (a root over ``N/2`` pair nodes, the pair's bond as the pair node's copy
  tensor), whose tensor is the same ``A``.

Examples
--------
>>> from verifier.nets.tt import TTArch, tt_random_weights
>>> from verifier.exact.tensors import parse_partition
>>> r = tt_rank(tt_random_weights(TTArch(N=8, M=3, bonds=3), seed=0), parse_partition("odd-even", 8))
>>> r.certificate.rank, r.min_cut.value, r.route
(81, 81, 'dense')
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..errors import SizeLimitError, VerifierError, count_text, invalid
from ..exact.certify import Bound, RankCertificate, check_primes
from ..exact.engines import FlintEngine, get_engine
from ..exact.fields import DEFAULT_PRIME, FALLBACK_PRIMES
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, Partition, check_partition
from ..nets.architectures import DeepArch
from ..nets.coefficients import check_budget_value, check_output_index
from ..nets.trees import ModeTree
from ..nets.tt import TTArch, is_tt_embedding, tt_cores, tt_min_cut
from ..nets.weights import Weights, check_weights
from ..render.tables import show_int
from .certificates import certificate_and_check, certificate_document, independently_checked, sealed
from .evidence import cut_evidence
from .matricization import _RECORDERS, RankReport, matricization_rank
from .structure import kronecker_rank
from .tt_chain import _check_cut, _mod, run_span, runs
from .tt_spans import spans_applies, spans_report

#: ``auto`` builds ``[A]`` densely up to this many entries (below, the dense route answers in well under a second).
DENSE_FIRST_ENTRIES = 2**20
#: Largest restricted matricization (entries) the runs route builds.
RUNS_ENTRY_LIMIT = 2**24
TT_ROUTES = ("auto", "structure", "runs", "spans", "dense")


def runs_shape(arch, partition: Partition) -> tuple:
    """Upper bounds on the restricted matrix of the runs route, before anything is built: each run contributes at
    most ``min(M^len, r_first r_{last+1})`` patterns to its side.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch
    >>> from verifier.exact.tensors import parse_partition
    >>> runs_shape(TTArch(N=200, M=3, bonds=3), parse_partition("low-high", 200))
    (3, 3)
    """
    n = {True: 1, False: 1}
    for first, last, is_row in runs(partition):
        n[is_row] *= min(arch.M ** min(last - first + 1, 64), arch.bond(first) * arch.bond(last + 1))
    return n[True], n[False]


def check_tt_size(arch, partition: Partition, memory_budget: int = DEFAULT_MEMORY_BUDGET, runs_ok: bool = True) -> None:
    """Refuse, before any weights are drawn, a matricization neither the dense nor the runs route can hold (the
    structure route, for weights with the pair split, is not limited); ``runs_ok=False``: the dense route only.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch
    >>> from verifier.exact.tensors import parse_partition
    >>> check_tt_size(TTArch(N=40, M=3, bonds=3), parse_partition("odd-even", 40))
    Traceback (most recent call last):
    ...
    verifier.errors.SizeLimitError: Arguments 'N', 'M', 'bonds': the runs route's restricted matrix of this TT (N = 40, M = 3, partition odd-even) has at most 3^40 entries, over the limit of 16777216 entries; use the witness (--weights witness) or a smaller N or partition with longer runs.
    """
    rows, cols = partition.shape(arch.M)
    if 24 * arch.M ** arch.N + 8 * rows * cols <= memory_budget:
        return
    if not runs_ok:
        raise SizeLimitError(f"Arguments 'N', 'M': the dense {show_int(rows)} x {show_int(cols)} matricization of "
                             f"this TT (M^N = {arch.M}^{arch.N}) is over the memory budget of {memory_budget} bytes; "
                             "use --route auto (the runs route) or the witness.")
    a, b = runs_shape(arch, partition)
    limit = min(RUNS_ENTRY_LIMIT, memory_budget // 24)
    if a * b > limit and not spans_applies(arch, partition):
        raise SizeLimitError(f"Arguments 'N', 'M', 'bonds': the runs route's restricted matrix of this TT (N = "
                             f"{arch.N}, M = {arch.M}, partition {partition.spec[:30]}) has at most {show_int(a * b)} "
                             f"entries, over the limit of {limit} entries; use the witness (--weights witness) or a "
                             "smaller N or partition with longer runs.")


def _chain(blocks, p: int) -> np.ndarray:
    """Contract run blocks ``(K_j, a_j, c_j)`` along the chain: ``(K_1, .., K_m)`` mod p."""
    cur = blocks[0][:, 0, :]  # (K1, c)
    shape = [blocks[0].shape[0]]
    for b in blocks[1:]:
        K, A, C = b.shape
        out = np.zeros((cur.shape[0], K, C), dtype=np.int64)
        for g in range(A):
            out = (out + cur[:, g, None, None] * b[None, :, g, :] % p) % p
        cur = out.reshape(-1, C)
        shape.append(K)
    return cur[:, 0].reshape(shape)


def _index(values: list, M: int) -> int:
    out = 0
    for v in values:
        out = out * M + v
    return out


def runs_rank(weights, partition: Partition, prime: int = DEFAULT_PRIME, memory_budget: int = DEFAULT_MEMORY_BUDGET):
    """Lower bound on ``rank [A]_{I,J}`` of a TT by the runs route (module docstring), with its minor.

    Returns ``(rank mod p, rows, cols, shape)``: the rank of the restricted matrix mod ``prime`` and the 0-based
    row and column indices IN ``[A]`` of a nonsingular minor of that size mod ``prime``; ``shape`` is the
    restricted matrix's shape.

    Raises
    ------
    SizeLimitError
        When the restricted matricization exceeds :data:`RUNS_ENTRY_LIMIT` entries or the memory budget.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch, tt_random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> k, rows, cols, shape = runs_rank(tt_random_weights(TTArch(N=12, M=3, bonds=2), seed=0),
    ...                                  parse_partition("low-high", 12))
    >>> k, shape
    (2, (2, 2))
    """
    arch = weights.arch
    p = prime
    cores_p = _mod(tt_cores(weights.integral()), p)
    spans = []
    for first, last, is_row in runs(partition):
        spans.append((first, last, is_row) + run_span(cores_p, first, last, p))
    n_rows = n_cols = 1
    for *_, is_row, pats, _ in spans:
        if is_row:
            n_rows *= len(pats)
        else:
            n_cols *= len(pats)
    size = n_rows * n_cols
    if size > RUNS_ENTRY_LIMIT or 24 * size > memory_budget:
        raise SizeLimitError(f"Arguments 'N, M, bonds': the runs route's restricted {count_text(n_rows)} x "
                             f"{count_text(n_cols)} matricization has {count_text(size)} entries, over the limit of "
                             f"{min(RUNS_ENTRY_LIMIT, memory_budget // 24)}; use the witness or a smaller N.")
    if any(not sp[3] for sp in spans):  # a run spans nothing mod p: rank mod p 0
        return 0, [], [], (n_rows, n_cols)
    tensor = _chain([R for *_, R in spans], p)
    order = [j for j, sp in enumerate(spans) if sp[2]] + [j for j, sp in enumerate(spans) if not sp[2]]
    mat = np.ascontiguousarray(tensor.transpose(order).reshape(n_rows, n_cols))
    eng = FlintEngine()
    cols = list(eng.pivots_mod_p(mat, p)) if mat.size else []
    rows = list(eng.pivots_mod_p(np.ascontiguousarray(mat[:, cols].T), p)) if cols else []

    def back(flat: int, is_row: bool) -> int:
        chosen = [sp for sp in spans if sp[2] == is_row]
        digits = []
        for sp in reversed(chosen):
            k = len(sp[3])
            flat, j = divmod(flat, k)
            digits = list(sp[3][j]) + digits
        return _index(digits, arch.M)

    return len(rows), [back(r, True) for r in sorted(rows)], [back(c, False) for c in sorted(cols)], (n_rows, n_cols)


def pair_split(weights):
    """The pair structure of TT weights, or ``None``: for every bond between sites ``2k`` and ``2k+1`` (1-based)
    at most one channel ``c`` is live (``G_{2k}[d][:, g] = 0`` for all ``d`` and ``g != c``, or
    ``G_{2k+1}[d][g, :] = 0``), so ``A`` is the outer product of the pair tensors
    ``P_k = sum_beta G_{2k-1}[:, c_{k-1}, beta] (x) G_{2k}[:, beta, c_k]``.

    Returns ``(live channels c_0..c_{N/2}, the pair node matrices)``: for pair k, the left leaf's rows
    ``a_beta = G_{2k-1}[:, c_{k-1}, beta]`` and the right leaf's rows ``b_beta = G_{2k}[:, beta, c_k]``.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch, tt_witness_weights, tt_random_weights
    >>> pair_split(tt_witness_weights(TTArch(N=4, M=3, bonds=2)))[0]
    [0, 0, 0]
    >>> pair_split(tt_random_weights(TTArch(N=4, M=3, bonds=2), seed=0)) is None
    True
    """
    arch = weights.arch
    if not isinstance(arch, TTArch) or arch.N % 2 or not is_tt_embedding(weights):
        return None
    cores = tt_cores(weights)
    live = [0]
    for k in range(1, arch.N // 2):
        left, right = cores[2 * k - 1], cores[2 * k]
        cols = {g for g in range(left.shape[2]) if any(x != 0 for x in left[:, :, g].flat)}
        rows = {g for g in range(right.shape[1]) if any(x != 0 for x in right[:, g, :].flat)}
        both = cols & rows
        if len(both) > 1:
            return None
        live.append(min(both) if both else 0)
    live.append(0)
    pairs = []
    for k in range(arch.N // 2):
        a = cores[2 * k][:, live[k], :].T   # (bond, M)
        b = cores[2 * k + 1][:, :, live[k + 1]].T  # (bond, M)
        pairs.append((a, b))
    return live, pairs


def pairs_tree(n_modes: int) -> ModeTree:
    """The mode tree ``((1,2),(3,4),..,(N-1,N))``: a root over ``N/2`` pair nodes ``(1, k)`` (leaves ``(0, i)``).

    Examples
    --------
    >>> pairs_tree(4).nested(), pairs_tree(4).name
    (((1, 2), (3, 4)), 'pairs')
    """
    g = nx.DiGraph()
    for i in range(n_modes):
        g.add_node((0, i), modes=(i,), height=0)
    kids = []
    for k in range(n_modes // 2):
        leaves = ((0, 2 * k), (0, 2 * k + 1))
        g.add_node((1, k), children=leaves, modes=(2 * k, 2 * k + 1), height=1)
        g.add_edges_from(((1, k), c) for c in leaves)
        kids.append((1, k))
    g.add_node((2, 0), children=tuple(kids), modes=tuple(range(n_modes)), height=2)
    g.add_edges_from(((2, 0), c) for c in kids)
    return ModeTree(g, (2, 0), "pairs")


def pair_tree_weights(weights):
    """The equivalent pair-tree net (a :class:`~verifier.nets.architectures.DeepArch` on the tree
    ``((1,2),(3,4),..)``, widths ``(q, 1)``) of TT weights with :func:`pair_split` structure: its tensor is the TT's.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch, tt_witness_weights, tt_tensor, tt_cores
    >>> from verifier.nets.coefficients import coefficient_tensor
    >>> w = tt_witness_weights(TTArch(N=4, M=3, bonds=2))
    >>> bool((coefficient_tensor(pair_tree_weights(w)) == tt_tensor(tt_cores(w))).all())
    True
    """
    split = pair_split(weights)
    if split is None:
        raise invalid("weights", "TT weights whose bonds between pairs carry one live channel", "other weights")
    _, pairs = split
    arch = weights.arch
    q = max(a.shape[0] for a, _ in pairs)
    if arch.N == 2:  # one pair: the binary tree of two leaves, the root pooling on the pair's bond
        deep = DeepArch(N=2, M=arch.M, widths=(q,))
    else:
        deep = DeepArch(N=arch.N, M=arch.M, widths=(q, 1), tree=pairs_tree(arch.N))
    tree = deep.tree
    arrays = {}
    top = tree.root
    pair_nodes = tree.children(top) if arch.N > 2 else (top,)
    for k, node in enumerate(pair_nodes):
        a, b = pairs[k]
        for leaf, rows in zip(tree.children(node), (a, b)):
            m = np.empty((q, arch.M), dtype=object)
            m.fill(0)
            m[: rows.shape[0]] = rows
            arrays[leaf] = m
        ones = np.empty((1, q), dtype=object)
        ones.fill(0)
        ones[0, : a.shape[0]] = 1
        arrays[node] = ones
    if arch.N > 2:
        arrays[top] = np.array([[1]], dtype=object)
    return Weights(deep, arrays, weights.kind, weights.seed, weights.bound, {"pair_tree_of": "tt"})


def _structure(deep, partition, output, engine):
    """Lemmas K and R on the pair tree (recorded for ``verifier prove --certificates`` like every rank)."""
    cert = kronecker_rank(deep, partition, output, engine=get_engine(engine), allow_single=True)
    if cert is None:  # pragma: no cover - the pair tree always factors at the root
        raise VerifierError("internal error: the pair tree of a split TT has no Kronecker factors")
    report = RankReport(deep.arch, deep.kind, deep.seed, deep.bound, partition, output, "structure", cert, None)
    for sink in _RECORDERS.get():
        sink.append((deep, report))
    return report


def tt_rank(weights, partition: Partition, output: int = 0, engine=None, memory_budget: int = DEFAULT_MEMORY_BUDGET,
            primes=None, route: str = "auto", check: bool = True) -> RankReport:
    """Certified rank of ``[A]_{I,J}`` for TT weights.

    Routes: ``structure`` (pairs with one live channel between them; Lemmas K and R), ``dense`` (the tree-generic
    dense route on the caterpillar embedding), ``runs`` (module docstring; lower bound, with the min-cut as the
    upper bound), ``auto`` (structure when it applies, dense up to :data:`DENSE_FIRST_ENTRIES` entries, then
    runs, then dense within the memory budget). The report's ``min_cut`` is the TT's own (checked against the
    chain DP); its upper bound is at most the min-cut. ``check`` is the checker gate, as in
    :func:`~verifier.rank.matricization.matricization_rank` (the spans route has no certificate format, so
    through the gate its ranks are not certified).

    Raises
    ------
    InvalidArgumentError
        For weights that are not a TT's, or a route that does not apply.
    SizeLimitError
        When no route fits.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch, tt_witness_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> r = tt_rank(tt_witness_weights(TTArch(N=1024, M=3, bonds=3)), parse_partition("odd-even", 1024))
    >>> r.certificate.rank == 3**512, r.route, r.min_cut.value == 3**512
    (True, 'structure', True)
    """
    if not isinstance(check, bool):
        raise invalid("check", "True or False", check)
    report = _tt_route(weights, partition, output, engine, memory_budget, primes, route)
    if check and report.checked is None:
        report = independently_checked(weights, report, tt_certificate_and_check)
    return report


def _tt_route(weights, partition, output, engine, memory_budget, primes, route) -> RankReport:
    """The route :func:`tt_rank` asks for (before the checker gate)."""
    if not isinstance(route, str) or route not in TT_ROUTES:
        raise invalid("route", "one of " + ", ".join(repr(r) for r in TT_ROUTES) + " for a TT", route)
    arch = check_weights(weights, numeric=True).arch
    if not isinstance(arch, TTArch):
        raise invalid("weights", "weights of a TTArch", type(arch).__name__)
    partition = check_partition(partition, arch.N)
    output = check_output_index(output, arch)
    memory_budget = check_budget_value(memory_budget)
    primes = check_primes(primes) if primes is not None else None
    meta = (arch, weights.kind, weights.seed, weights.bound, partition, output)
    cut = None
    if route in ("auto", "structure") and pair_split(weights) is not None:
        deep = pair_tree_weights(weights)
        sub = _structure(deep, partition, output, engine)
        cut = _check_cut(arch, partition)
        c = sub.certificate
        why = f"TT splits into {arch.N // 2} pair tensors (one live channel between pairs, checked exactly); "
        cert = RankCertificate(c.rows, c.cols, Bound(c.lower.value, why + c.lower.method),
                               Bound(c.upper.value, why + c.upper.method))
        if cut.value < cert.upper.value:
            cert = RankCertificate(c.rows, c.cols, cert.lower, Bound(cut.value, f"structure: {cut.method}"))
        return RankReport(*meta, "structure", cert, cut)
    if route == "structure":
        raise invalid("route", "'auto', 'runs' or 'dense' for TT weights without the pair structure", route)
    if route in ("auto", "runs"):
        check_tt_size(arch, partition, memory_budget)
    n_rows, n_cols = partition.shape(arch.M)
    if route == "spans":
        return _spans(weights, partition, meta, primes)
    dense_small = n_rows * n_cols <= DENSE_FIRST_ENTRIES
    if route == "dense" or (route == "auto" and dense_small):
        report = matricization_rank(weights, partition, output, engine=engine, memory_budget=memory_budget,
                                    primes=primes, route="dense")
        if report.min_cut.value != tt_min_cut(arch, partition.rows):  # pragma: no cover - tested equal
            raise VerifierError("internal error: caterpillar min-cut != TT chain min-cut")
        return report
    if not is_tt_embedding(weights):
        if route == "runs":
            raise invalid("route", "'auto' or 'dense' for weights not in TT form", route)
        return matricization_rank(weights, partition, output, engine=engine, memory_budget=memory_budget,
                                  primes=primes, route="dense")
    cut = _check_cut(arch, partition)
    ps = list(primes) if primes else [DEFAULT_PRIME, *FALLBACK_PRIMES]
    ps = [p for p in ps if p < 2**31] or [DEFAULT_PRIME]
    best = None
    for p in ps[:3]:
        try:
            k, rows, cols, shape = runs_rank(weights, partition, p, memory_budget)
        except SizeLimitError:
            if route == "runs":
                raise
            return _spans(weights, partition, meta, primes, explicit=False)
        if best is None or k > best[0]:
            best = (k, rows, cols, shape, p)
        if k >= cut.value:
            break
    k, rows, cols, shape, p = best
    lower = Bound(k, f"runs: rank mod p = {p} of the {shape[0]} x {shape[1]} matrix restricted to the spans of "
                     f"{len(runs(partition))} run(s) (a minor of [A])")
    shape_bound = min(n_rows, n_cols)
    upper = Bound(cut.value, f"structure: {cut.method}") if cut.value < shape_bound else Bound(shape_bound, "matrix shape")
    cert = RankCertificate(n_rows, n_cols, lower, upper)
    return RankReport(*meta, "runs", cert, cut)


def _spans(weights, partition, meta, primes, explicit: bool = True) -> RankReport:
    return spans_report(weights, partition, meta, primes, explicit)


def tt_certificate(weights, report: RankReport) -> dict:
    """The ``convac-certificate/1`` of a TT rank report (docs/CERTIFICATES.md), accepted by the unchanged checker
    before it is returned.

    ``dense``: the caterpillar net with its weights (minor / cut / kernel evidence); ``structure``: the
    equivalent pair tree (Kronecker evidence); ``runs``: the caterpillar net, the runs route's minor of ``[A]``
    and the cut.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch, tt_random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> from verifier.checker import check_certificate
    >>> w = tt_random_weights(TTArch(N=12, M=3, bonds=2), seed=0)
    >>> r = tt_rank(w, parse_partition("low-high", 12), route="runs")
    >>> check_certificate(tt_certificate(w, r))
    'rank = 2 (lower: minor, upper: cut)'
    """
    return tt_certificate_and_check(weights, report)[0]


def tt_certificate_and_check(weights, report: RankReport) -> tuple[dict, str]:
    """:func:`tt_certificate` and the checker's summary (the writer the TT's checker gate uses)."""
    if report.route == "spans":
        raise VerifierError("no certificate: the spans route (runs of full span, any N) has no certificate format; "
                            "the dense and runs routes write certificates")
    if report.route == "structure":
        deep = pair_tree_weights(weights)
        sub = _structure(deep, report.partition, report.output, None)
        return certificate_and_check(deep, sub)
    if report.route != "runs":
        return certificate_and_check(weights, report)
    c = report.certificate
    upper = {"kind": "shape"} if min(c.rows, c.cols) <= c.upper.value else cut_evidence(report.arch, report)
    lower = {"kind": "trivial"}
    if c.lower.value:
        p = int(c.lower.method.split("rank mod p = ")[1].split(" ")[0])
        k, rows, cols, _ = runs_rank(weights, report.partition, p)
        if k < c.lower.value:  # pragma: no cover - runs_rank is deterministic
            raise VerifierError("no certificate: the runs route did not reproduce its minor")
        lower = {"kind": "minor", "prime": p, "rows": rows, "cols": cols}
    cert = certificate_document(weights, report, {"lower": lower, "upper": upper})
    return cert, sealed(cert, "runs")
