"""The block route: ``rank [A]_{I,J}`` as a sum of ranks of small blocks (MATH.md section 5, Lemma B).

A *tree tensor* here is a mode tree whose every node ``v`` carries an integer matrix ``W_v`` (one row per
output channel, one column per input: at a leaf, per value of its mode), with ``phi_v^g = sum_a W_v[g, a]
(x)_c phi_c^a`` and ``phi_leaf^g[d] = W_leaf[g, d]``; the tensor is the root's row ``y``. Its leaves are
labelled ``I`` (a row mode) or ``J`` (a column mode).

A *bottom node* has only leaves as children. For a bottom node ``v`` let ``K_v^I`` be the Khatri-Rao
product (column-wise Kronecker product) of the transposed leaf matrices ``W_c^T`` of its ``I`` children, and
``K_v^J`` likewise. Lemma B: when every ``K_v^I``, ``K_v^J`` (over all children for a pure node) has full
column rank, replacing every bottom node by a leaf carrying ``W_v`` gives a tensor ``D`` with

.. math:: [A]_{I,J} = (K^I \\otimes \\mathrm{Id})\\, \\mathrm{blockdiag}_\\sigma [D_\\sigma]_{I,J}\\,
          (K^J \\otimes \\mathrm{Id})^T,

so ``rank [A]_{I,J} = sum_sigma rank [D_sigma]_{I,J}``: a pure-``I`` node becomes an ``I`` leaf over its
``d_v`` channels, a pure-``J`` node a ``J`` leaf, and a *split* node a block index ``sigma_v``; ``D_sigma`` is
``D`` with each split node's index fixed, which folds it into its parent (``W_u -> W_u diag(W_v[:, sigma_v])``;
a node left without children becomes the constant ``sum_g W_u[:, g]`` and folds further up). Each
``D_sigma`` is again a tree tensor, so the lemma recurses level by level until a block is small enough to be
ranked directly (:func:`~verifier.exact.certify.certify_matrix_rank`) or is a scalar (counted when nonzero;
it is an exact integer). When every leaf of ``D`` is a block index, the blocks are the entries of ``D`` and
are computed together (Lemma D is this case for the odd/even partition of the binary tree).

The preconditions are certified, never assumed: each Khatri-Rao factor, with its exact integer entries, has
rank mod p equal to its number of columns (and that many columns at most: the shape). When one fails the
route does not apply (:class:`NotApplicable` names the node); the matrices' bounds then come from another
route. Both bounds are sums over the blocks of the blocks' certified bounds, so the rank is certified exactly
when every block's is.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import random_weights
>>> from verifier.exact.tensors import parse_partition
>>> a = DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4")
>>> c = block_rank(random_weights(a, seed=0), parse_partition("rows:1,3,9,11", 16), direct_entries=1)
>>> c.rank, c.evidence.blocks, c.evidence.factors
(16, 16, 8)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import count_text, invalid
from ..exact.certify import Bound, RankCertificate, certify_matrix_rank, certify_rank
from ..exact.engines import get_engine
from ..exact.fields import DEFAULT_PRIME
from ..exact.tensors import Partition, check_partition
from ..nets.coefficients import check_output_index
from ..nets.weights import check_weights

#: Blocks with at most this many entries are ranked directly (a 256 x 256 block: MATH.md section 5).
DIRECT_ENTRIES = 2**16
#: Most blocks the route enumerates (estimated before any block is built).
BLOCK_LIMIT = 2**20
#: Most entries of an all-block-index ``D`` computed at once (exact Python integers).
ENTRY_LIMIT = 2**22
#: Largest Khatri-Rao factor (entries) the route builds to certify its column rank.
FACTOR_ENTRY_LIMIT = 2**20
#: Bytes the route may need at its limits (D's 2^22 entries as int64 residues and exact integers, a 2^20-entry
#: factor, direct blocks): ``auto`` does not take it under a smaller memory budget.
MEMORY_BOUND = 2**27
#: With an executor, blocks are sent to the workers in chunks when there are at least this many.
PARALLEL_BLOCKS = 64
#: Number of chunks the blocks are cut into for the workers (a few per worker balances uneven blocks).
PARALLEL_CHUNKS = 32


class NotApplicable(Exception):
    """Lemma B's preconditions fail (a Khatri-Rao factor is not of full column rank mod p) or the work is
    over the limits: the route does not certify; the message says which (``short``: in a few words)."""

    def __init__(self, message: str, short: str = ""):
        super().__init__(message)
        self.short = short or message


@dataclass
class BlockEvidence:
    """What the block route's answer rests on (re-derived independently by :mod:`verifier.checker.blocks`).

    ``factors``: distinct Khatri-Rao factors certified of full column rank; ``levels``: reduction steps of
    the top tensor; ``blocks``: blocks ranked or counted; ``scalars`` / ``nonzero_scalars``: blocks that are
    single entries and those nonzero; ``dense``: blocks ranked directly, ``largest``: the largest one's
    entries; ``primes``: the primes of the factors' and blocks' modular ranks.
    """

    factors: int = 0
    levels: int = 0
    blocks: int = 0
    scalars: int = 0
    nonzero_scalars: int = 0
    dense: int = 0
    largest: int = 0
    methods: set = field(default_factory=set)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"factors": self.factors, "levels": self.levels, "blocks": self.blocks, "scalars": self.scalars,
                "nonzero_scalars": self.nonzero_scalars, "dense": self.dense, "largest_block": self.largest,
                "methods": sorted(self.methods)}


@dataclass(frozen=True)
class BlockCertificate(RankCertificate):
    """A :class:`~verifier.exact.certify.RankCertificate` with the block route's :class:`BlockEvidence`."""

    evidence: object = field(default=None, compare=False)

    def evidence_dict(self) -> dict:
        """The evidence as JSON-ready data."""
        return {"blocks": self.evidence.to_dict()}


@dataclass
class _Tensor:
    """A tree tensor: ``children[v]`` (empty at a leaf), ``W[v]`` (object integer matrix), ``label[leaf]``."""

    root: object
    children: dict
    W: dict
    label: dict

    def postorder(self) -> list:
        out, stack = [], [(self.root, False)]
        while stack:
            v, done = stack.pop()
            if done:
                out.append(v)
                continue
            stack.append((v, True))
            stack.extend((c, False) for c in reversed(self.children[v]))
        return out

    def dims(self) -> tuple[int, int]:
        """Rows and columns of the matricization (product of the leaves' mode dimensions per side)."""
        r = c = 1
        for v, side in self.label.items():
            if side == "I":
                r *= self.W[v].shape[1]
            else:
                c *= self.W[v].shape[1]
        return r, c


def tree_tensor(weights, partition: Partition, output: int) -> _Tensor:
    """The net's tensor ``A^y`` as a :class:`_Tensor` (integer weights; the root keeps row ``y`` only)."""
    tree = weights.arch.tree
    rows = set(partition.rows)
    children, W, label = {}, {}, {}
    for v in tree.postorder():
        children[v] = tuple(tree.children(v))
        W[v] = np.array(weights[v].tolist(), dtype=object)
        if not children[v]:
            label[v] = "I" if tree.modes(v)[0] in rows else "J"
    W[tree.root] = W[tree.root][output:output + 1]
    return _Tensor(tree.root, children, W, label)


def _khatri_rao(mats: list) -> np.ndarray:
    """Column ``a`` is the Kronecker product of the columns ``a`` of ``mats`` (each ``m_c x d``)."""
    out = mats[0]
    for m in mats[1:]:
        out = (out[:, None, :] * m[None, :, :]).reshape(-1, out.shape[1])
    return out


class _Run:
    """One computation: the engine, the cache of certified factors, the evidence being collected."""

    def __init__(self, engine, progress=None, direct: int = DIRECT_ENTRIES, executor=None):
        self.engine_arg = engine
        self.engine = get_engine(engine)
        self.direct = direct
        self.executor = executor
        self.factors: dict = {}
        self.ev = BlockEvidence()
        self.progress = progress

    def full_column_rank(self, k: np.ndarray, where) -> None:
        key = (k.shape, tuple(k.ravel().tolist()))
        if key not in self.factors:
            ok = k.shape[0] >= k.shape[1]
            if ok:
                cert = certify_matrix_rank(k, engine=self.engine)
                ok = cert.lower.value == k.shape[1]
                self.ev.methods.add(cert.lower.method)
            self.factors[key] = ok
        if not self.factors[key]:
            raise NotApplicable(f"the Khatri-Rao factor of node {where[0]},{where[1]} ({k.shape[0]} x {k.shape[1]}) "
                                "is not of full column rank", f"factor at node {where[0]},{where[1]} singular")

    def reduce(self, t: _Tensor) -> _Tensor:
        """Replace every bottom node by a leaf (Lemma B); certify the factors on the way."""
        children, W, label = dict(t.children), dict(t.W), dict(t.label)
        for v in t.postorder():
            kids = t.children[v]
            if not kids or any(t.children[c] for c in kids):
                continue
            sides = {}
            for c in kids:
                sides.setdefault(t.label[c], []).append(t.W[c].T)
            for mats in sides.values():
                size = math.prod(m.shape[0] for m in mats) * mats[0].shape[1]
                if size > FACTOR_ENTRY_LIMIT:   # before it is built: a shallow net's star has M^(N/2)-row factors
                    raise NotApplicable(f"the Khatri-Rao factor of node {v[0]},{v[1]} would have {count_text(size)} "
                                        f"entries (limit {FACTOR_ENTRY_LIMIT})", f"factor at node {v[0]},{v[1]} too large")
                self.full_column_rank(_khatri_rao(mats), v)
            label[v] = next(iter(sides)) if len(sides) == 1 else "S"
            children[v] = ()
            for c in kids:
                del children[c], W[c], label[c]
        return _Tensor(t.root, children, W, label)

    def rank(self, t: _Tensor, top: bool = False) -> tuple[int, int]:
        """``(lower, upper)`` of ``rank [t]_{I,J}``."""
        rows, cols = t.dims()
        if "S" not in t.label.values() and (rows * cols <= self.direct or not t.children[t.root]):
            return self.dense(t, rows, cols)
        if "S" not in t.label.values():
            t = self.reduce(t)
            self.ev.levels += top
        split = [v for v, s in t.label.items() if s == "S"]
        if not split:
            return self.rank(t, top)
        n_blocks = math.prod(t.W[v].shape[1] for v in split)
        if len(split) == len(t.label):
            if n_blocks > ENTRY_LIMIT:
                raise NotApplicable(f"{count_text(n_blocks)} entries of D exceed the block route's limit {ENTRY_LIMIT}",
                                    f"{count_text(n_blocks)} entries of D")
            return self.count(t, n_blocks)
        if self.ev.blocks + n_blocks > BLOCK_LIMIT:
            raise NotApplicable(f"more than {BLOCK_LIMIT} blocks", f"over {BLOCK_LIMIT} blocks")
        sigmas = itertools.product(*(range(t.W[v].shape[1]) for v in split))
        if top and self.executor is not None and n_blocks >= PARALLEL_BLOCKS:
            return self.parallel(t, split, list(sigmas))
        return self.blocks(t, split, sigmas)

    def blocks(self, t: _Tensor, split: list, sigmas) -> tuple[int, int]:
        """The sum over the given block indices of the blocks' bounds."""
        low = high = 0
        for sigma in sigmas:
            sub = _fold(t, dict(zip(split, sigma)))
            if isinstance(sub, int):
                self.ev.blocks += 1
                self.ev.scalars += 1
                self.ev.nonzero_scalars += sub != 0
                low, high = low + (sub != 0), high + (sub != 0)
                continue
            lo, hi = self.rank(sub)
            low, high = low + lo, high + hi
        return low, high

    def parallel(self, t: _Tensor, split: list, sigmas: list) -> tuple[int, int]:
        """The blocks in chunks on ``self.executor`` (``submit`` returning futures with ``result()``: a
        ``concurrent.futures`` pool or a Dask client); the same sums and evidence as :meth:`blocks`."""
        size = max(1, -(-len(sigmas) // PARALLEL_CHUNKS))
        futures = [self.executor.submit(_chunk, t, split, sigmas[i:i + size], self.engine_arg, self.direct)
                   for i in range(0, len(sigmas), size)]
        low = high = 0
        for f in futures:
            lo, hi, ev, factors = f.result()
            low, high = low + lo, high + hi
            self.factors.update(factors)
            for name in ("blocks", "scalars", "nonzero_scalars", "dense"):
                setattr(self.ev, name, getattr(self.ev, name) + getattr(ev, name))
            self.ev.largest = max(self.ev.largest, ev.largest)
            self.ev.methods |= ev.methods
        return low, high

    def dense(self, t: _Tensor, rows: int, cols: int) -> tuple[int, int]:
        """A block ranked directly: residues mod p built in int64, the exact matrix only if a kernel certificate
        is needed; the block's own min-cut (:func:`_cut`) as its structural upper bound."""
        self.ev.blocks += 1
        self.ev.dense += 1
        self.ev.largest = max(self.ev.largest, rows * cols)
        cut = Bound(_cut(t), "the block's min-cut")
        cert = certify_rank((rows, cols), residues=lambda p: _residues(t, p), exact=lambda: _dense(t),
                            upper_bounds=[cut], engine=self.engine)
        self.ev.methods.add(cert.lower.method)
        return cert.lower.value, cert.upper.value

    def count(self, t: _Tensor, n: int) -> tuple[int, int]:
        """All blocks are scalars: the entries of ``D``, counted. A nonzero residue mod p proves an (integer)
        entry nonzero; when some residue is zero, the entries are computed exactly and counted over Z."""
        column = _Tensor(t.root, t.children, t.W, {v: "I" for v in t.label})
        nonzero = int(np.count_nonzero(_residues(column, DEFAULT_PRIME)))
        if nonzero < n:
            nonzero = int(np.count_nonzero(_dense(column).ravel() != 0))
        self.ev.blocks += n
        self.ev.scalars += n
        self.ev.nonzero_scalars += nonzero
        return nonzero, nonzero


def _chunk(t: _Tensor, split: list, sigmas: list, engine, direct: int):
    """One worker's share of :meth:`_Run.blocks` (module level: picklable for process pools and Dask)."""
    run = _Run(engine, direct=direct)
    low, high = run.blocks(t, split, sigmas)
    return low, high, run.ev, {k: ok for k, ok in run.factors.items() if ok}


def _fold(t: _Tensor, sigma: dict):
    """``D_sigma``: the split leaves fixed and folded into their parents; an ``int`` when nothing is left."""
    children, W, label = dict(t.children), dict(t.W), dict(t.label)
    parent = {c: v for v, kids in t.children.items() for c in kids}
    pending = [(v, t.W[v][:, a]) for v, a in sigma.items()]
    for v, _ in pending:
        del label[v], W[v]
    while pending:
        v, col = pending.pop()
        if v == t.root:
            return int(col[0])
        u = parent[v]
        W[u] = W[u] * col[None, :]
        children[u] = tuple(c for c in children[u] if c != v)
        del children[v]
        if not children[u]:
            pending.append((u, W.pop(u).sum(axis=1)))
    return _Tensor(t.root, children, W, label)


def _dense(t: _Tensor, p: int | None = None) -> np.ndarray:
    """``[t]_{I,J}`` (rows: the ``I`` leaves, columns: the ``J`` leaves): exact object integers, or int64
    residues mod a prime ``p < 2^31`` (reduced after every product: no overflow)."""
    phi = {}
    for v in t.postorder():
        w = t.W[v] if p is None else np.array([[int(x) % p for x in row] for row in t.W[v].tolist()], dtype=np.int64)
        if not t.children[v]:
            phi[v] = w[:, :, None] if t.label[v] == "I" else w[:, None, :]
            continue
        prods = []
        for a in range(w.shape[1]):
            k = np.ones((1, 1), dtype=object if p is None else np.int64)
            for c in t.children[v]:
                k = np.kron(k, phi[c][a]) if p is None else np.kron(k, phi[c][a]) % p
            prods.append(k)
        if p is None:
            phi[v] = np.tensordot(w, np.stack(prods), axes=1)
        else:
            acc = np.zeros((w.shape[0],) + prods[0].shape, dtype=np.int64)
            for a, k in enumerate(prods):
                acc = (acc + (w[:, a, None, None] * k[None]) % p) % p
            phi[v] = acc
        for c in t.children[v]:
            del phi[c]
    return phi[t.root][0]


def _residues(t: _Tensor, p: int) -> np.ndarray:
    """``[t]_{I,J}`` mod ``p`` as int64 (built in int64 below ``2^31``, else reduced from the exact matrix)."""
    if p < 2**31:
        return _dense(t, p)
    return np.array([[int(x) % p for x in row] for row in _dense(t).tolist()], dtype=np.int64)


def _cut(t: _Tensor) -> int:
    """The min-cut of the block's tensor network (Levine et al., ICLR 2018, Claim 1: an upper bound on its rank
    for all weights): each weight matrix on a side, each node's delta on a side or cut; a leaf's mode bond costs
    its dimension, a node's bond to its parent's delta its row count, to its own delta (or the delta) its
    column count. Exact integers, dynamic programming over the tree."""
    best: dict = {}
    for v in t.postorder():
        w = t.W[v]
        if not t.children[v]:
            best[v] = {t.label[v]: 1, ("J" if t.label[v] == "I" else "I"): w.shape[1]}
            continue
        kids = t.children[v]
        delta = {s: math.prod(min(best[c][s], best[c][o] * t.W[c].shape[0]) for c in kids)
                 for s, o in (("I", "J"), ("J", "I"))}
        cut = w.shape[1] * math.prod(min(best[c].values()) for c in kids)
        best[v] = {s: min(delta[s], delta[o] * w.shape[1], cut) for s, o in (("I", "J"), ("J", "I"))}
    return min(best[t.root].values())


def block_rank(weights, partition: Partition, output: int = 0, engine=None, upper_bounds=(),
               progress=None, direct_entries: int = DIRECT_ENTRIES, executor=None) -> BlockCertificate:
    """Certified rank of ``[A^y]_{I,J}`` by Lemma B (module docstring), for any tree and any partition.

    Parameters
    ----------
    weights : Weights
        Exact weights (rationals are cleared of denominators: every rank is unchanged).
    partition : Partition
        Of the net's N modes.
    output : int
        0-based output ``y``.
    engine : str or RankEngine, optional
        Engine for the factors' and blocks' ranks.
    upper_bounds : sequence of Bound
        Structural upper bounds valid for all weights (the min-cut).
    progress : callable, optional
        Unused (blocks are not streamed yet).
    direct_entries : int
        Blocks (and the whole matrix) up to this many entries are ranked directly; 1 decomposes down to
        single leaves and scalars (the tests use it to exercise the lemma on small nets).
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the blocks of the top level go when there are many (``--workers K``: a process pool;
        ``--executor dask``: a Dask client); the rank and the evidence are those of the serial run.

    Returns
    -------
    BlockCertificate
        Lower bound: the sum of the blocks' lower bounds; upper: the least of that sum of upper bounds and
        ``upper_bounds``.

    Raises
    ------
    NotApplicable
        A Khatri-Rao factor is not certified of full column rank, or the blocks exceed the limits.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> w = random_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), seed=1)
    >>> c = block_rank(w, parse_partition("low-high", 8), direct_entries=1)
    >>> c.rank, c.lower.method
    (2, 'Lemma B: 2 blocks (2 scalars, 0 ranked directly), 8 distinct Khatri-Rao factors of full column rank')
    """
    arch = check_weights(weights, numeric=True).arch
    partition = check_partition(partition, arch.N)
    output = check_output_index(output, arch)
    if isinstance(direct_entries, bool) or not isinstance(direct_entries, int) or direct_entries < 1:
        raise invalid("direct_entries", "a positive integer", direct_entries)
    return _block_rank(weights, partition, output, get_engine(engine), upper_bounds, progress, direct_entries,
                       executor)


def _block_rank(weights, partition: Partition, output: int, engine, upper_bounds=(), progress=None,
                direct_entries: int = DIRECT_ENTRIES, executor=None) -> BlockCertificate:
    """:func:`block_rank` on validated values."""
    iw = weights.integral()
    run = _Run(engine, progress, direct_entries, executor)
    t = tree_tensor(iw, partition, output)
    low, high = run.rank(t, top=True)
    ev = run.ev
    ev.factors = sum(run.factors.values())
    what = (f"Lemma B: {ev.blocks} blocks ({ev.scalars} scalars, {ev.dense} ranked directly), "
            f"{ev.factors} distinct Khatri-Rao factors of full column rank")
    n_rows, n_cols = partition.shape(weights.arch.M)
    upper = min([Bound(high, what), *upper_bounds, Bound(min(n_rows, n_cols), "matrix shape")],
                key=lambda b: b.value)
    return BlockCertificate(n_rows, n_cols, Bound(low, what), upper, ev)
