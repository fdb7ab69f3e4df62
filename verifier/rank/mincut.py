"""The min-cut bound: a minimal multiplicative cut of the network's tensor graph (Levine et al., ICLR 2018).

Levine, Yakira, Cohen & Shashua, *Deep Learning and Quantum Entanglement: Fundamental Connections with
Implications to Network Design* (ICLR 2018, arXiv 1704.01552), Claim 1 and Theorem 1: for every
bipartition ``(I, J)`` of the inputs, ``rank [A^y]_{I,J}`` is at most the product of the bond dimensions
of any cut of the network's tensor graph that separates the ``I`` legs from the ``J`` legs; with unshared
weights and all dimensions powers of one integer the minimal cut is attained for almost all weights.

The tensor network of output ``y`` (:func:`tensor_network`), for any mode tree:

* ``leg:i`` (1-based mode ``i``): the open input leg of position ``i`` (dimension M);
* ``w:l,j``: the weight matrix of tree node ``(l, j)`` (0-based labels, as in weights files); a leaf's
  matrix is joined to its leg by a bond of dimension M, an internal node's matrix to its own delta node
  (bond ``d(v)``, its number of inputs) and every non-root matrix to its parent's delta node (bond
  ``d(parent)``). The root's row ``y`` is a vector: no further leg.
* ``delta:l,j``: the copy tensor of the product pooling at internal node ``(l, j)``, of dimension
  ``d(v) = arch.node_dim(v)`` (``r_{l-1}``; Z for the shallow net's global pooling).

A cut may remove bonds (cost: the bond's dimension) and may pass THROUGH a delta node (cost: its
dimension, once, however many of its bonds it separates): the delta tensor is a sum of ``d`` outer
products, so cutting it is one bond of dimension ``d`` shared by both sides (MATH.md section 5: edge-only
cuts are wrong for windows >= 3). The cost of a cut is the product of its dimensions.

How the cut is found and certified. The tensor network of a mode tree is itself a tree, so the minimal
cut is found by an exact dynamic programme over it (``method='tree'``, the default): every weight node is
put on the row or the column side, every delta node on a side or cut, and the cost of a subtree is an exact
integer product (ties broken towards fewer cut elements), in time linear in the number of nodes (N = 32768:
a fraction of a second, where a general max-flow took 17 s). ``method='max-flow'`` (networkx's
max-flow/min-cut on a directed graph with integer capacities ``round(2^32 log2 d)``, delta nodes split into
an in- and an out-node joined by an arc of the delta's capacity) is kept as the general algorithm the tests
compare against, in the manner of networkx's ``flow_func``. Either way, the reported bound is the exact
integer product of the dimensions of the cut FOUND, which is re-checked to separate ``I`` from ``J`` (a
breadth-first search without the cut bonds and deltas), so it is an upper bound on the rank for ALL weights
whatever the search did.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.exact.tensors import parse_partition
>>> a = DeepArch(N=16, M=2, widths=(2, 2), tree="window:4")
>>> cut = min_cut(a, parse_partition("odd-even", 16))
>>> cut.value, [d["node"] for d in cut.to_dict()["deltas"]]
(16, ['delta:1,0', 'delta:1,1', 'delta:1,2', 'delta:1,3'])
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass

import networkx as nx

from ..errors import VerifierError, invalid
from ..exact.tensors import Partition

#: Scale of the integer log capacities used only to FIND the cut.
LOG_SCALE = 2**32


def _name(node) -> str:
    kind = node[0]
    if kind == "leg":
        return f"leg:{node[1] + 1}"
    return f"{kind}:{node[1][0]},{node[1][1]}"


def tensor_network(arch) -> nx.Graph:
    """The tensor graph of one output of ``arch``: legs, weight matrices and delta (copy) nodes.

    Nodes are ``("leg", i)`` (0-based mode), ``("w", v)`` and ``("delta", v)`` (tree node ``v``), with a
    ``kind`` attribute and, for deltas, ``dim``; every edge has its bond dimension ``dim``.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> g = tensor_network(DeepArch(N=4, M=3, widths=(2, 1)))
    >>> g.number_of_nodes(), g.edges[("leg", 0), ("w", (0, 0))]["dim"], g.nodes[("delta", (2, 0))]["dim"]
    (14, 3, 1)
    """
    tree = arch.tree
    g = nx.Graph()
    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        g.add_node(("w", v), kind="weight")
        if tree.is_leaf(v):
            leg = ("leg", tree.modes(v)[0])
            g.add_node(leg, kind="leg")
            g.add_edge(leg, ("w", v), dim=cols)
        else:
            g.add_node(("delta", v), kind="delta", dim=arch.node_dim(v))
            g.add_edge(("delta", v), ("w", v), dim=cols)
        if v != tree.root:
            g.add_edge(("w", v), ("delta", tree.parent(v)), dim=rows)
    return g


def _product_text(dims) -> str:
    counts = Counter(dims)
    return " * ".join(f"{d}^{k}" if k > 1 else str(d) for d, k in sorted(counts.items())) or "1 (empty cut)"


@dataclass(frozen=True)
class NetworkCut:
    """A cut of the tensor network separating the row legs from the column legs, and its exact cost.

    Attributes
    ----------
    value : int
        The product of the dimensions of the cut bonds and cut delta nodes (an upper bound on
        ``rank [A]_{I,J}`` for all weights).
    rows : tuple of int
        0-based modes of ``I``.
    bonds : tuple
        ``((node_a, node_b, dim), ..)`` the cut bonds (network node names as in :func:`tensor_network`).
    deltas : tuple
        ``((node, dim), ..)`` the delta nodes the cut passes through.
    geometry : str
        The geometry's name.
    """

    value: int
    rows: tuple
    bonds: tuple
    deltas: tuple
    geometry: str

    @property
    def method(self) -> str:
        """One line for certificates: what was cut and the product."""
        return (f"min-cut of the tensor network ({len(self.bonds)} bond(s), {len(self.deltas)} delta node(s): "
                f"{_product_text([d for *_, d in self.bonds] + [d for _, d in self.deltas])})")

    def to_dict(self) -> dict:
        """JSON-ready form: legs 1-based (``leg:3``), tree nodes ``w:l,j`` / ``delta:l,j`` 0-based as in weights files.

        Examples
        --------
        >>> from verifier.nets.architectures import DeepArch
        >>> from verifier.exact.tensors import parse_partition
        >>> min_cut(DeepArch(N=4, M=2, widths=(2, 1)), parse_partition("low-high", 4)).to_dict()["bonds"]
        [{'between': ['delta:2,0', 'w:1,1'], 'dim': 1}]
        """
        return {"value": self.value, "geometry": self.geometry, "row_modes": [m + 1 for m in self.rows],
                "bonds": [{"between": sorted([_name(a), _name(b)]), "dim": d} for a, b, d in self.bonds],
                "deltas": [{"node": _name(v), "dim": d} for v, d in self.deltas], "method": self.method}


def _capacity(dim: int) -> int:
    return round(math.log2(dim) * LOG_SCALE) if dim > 1 else 0


def min_cut(arch, partition: Partition, through_deltas: bool = True, method: str = "tree") -> NetworkCut:
    """A minimal multiplicative cut of ``arch``'s tensor network separating ``I`` from ``J``.

    Parameters
    ----------
    arch : DeepArch, DepthArch or ShallowArch
        Any geometry.
    partition : Partition
        ``(I, J)``; rows ``I``.
    through_deltas : bool
        ``False`` forbids cutting through delta nodes (edge-only cuts): still a valid upper bound, but
        not the minimal one for windows >= 3 (N = 16, M = 2, widths 2,2, window 4, odd-even: 256 vs 16).
    method : {'tree', 'max-flow'}
        ``'tree'`` (default): the exact dynamic programme over the network (a tree); ``'max-flow'``:
        networkx's general max-flow/min-cut (for comparison). Both give a cut of the same minimal value.

    Returns
    -------
    NetworkCut
        Its ``value`` is the exact product of the dimensions cut: ``rank [A]_{I,J} <= value`` for all
        weights (Levine et al., ICLR 2018, Claim 1).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.exact.tensors import parse_partition
    >>> a = DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4")
    >>> [min_cut(a, parse_partition(p, 16)).value for p in ("rows:1,2,5,6,9,10,13,14", "rows:1,3,9,11")]
    [2, 16]
    >>> min_cut(a, parse_partition("odd-even", 16), method="max-flow").value
    16
    """
    if not hasattr(arch, "tree") or not hasattr(arch, "node_shape"):
        raise invalid("arch", "an architecture (DeepArch, DepthArch or ShallowArch)", type(arch).__name__)
    if not isinstance(partition, Partition) or partition.N != arch.N:
        raise invalid("partition", f"a Partition of N = {arch.N} modes", getattr(partition, "spec", partition))
    if method not in ("tree", "max-flow"):
        raise invalid("method", "'tree' or 'max-flow'", method)
    rows = frozenset(partition.rows)
    name = arch.tree.name
    if not rows or len(rows) == arch.N:
        return NetworkCut(1, tuple(sorted(rows)), (), (), name)
    if method == "tree":
        bonds, deltas = _tree_cut(arch, rows, through_deltas)
        _check_separates(_TreeNetwork(arch.tree), rows, arch.N, bonds, {x for x, _ in deltas})
    else:
        net = tensor_network(arch)
        bonds, deltas = _flow_cut(net, rows, arch.N, through_deltas)
        _check_separates(net, rows, arch.N, bonds, {x for x, _ in deltas})
    value = 1
    for *_, d in bonds:
        value *= d
    for _, d in deltas:
        value *= d
    return NetworkCut(value, tuple(sorted(rows)), tuple(bonds), tuple(sorted(deltas)), name)


def _flow_cut(net: nx.Graph, rows: frozenset, n: int, through_deltas: bool):
    """The bonds and deltas of a minimum cut found by networkx's max-flow (log capacities)."""
    flow = nx.DiGraph()

    def ends(x):
        return ((x, "in"), (x, "out")) if x[0] == "delta" else (x, x)

    for x, data in net.nodes(data=True):
        if data["kind"] == "delta":  # without a capacity attribute an arc is infinite
            flow.add_edge((x, "in"), (x, "out"), **({"capacity": _capacity(data["dim"])} if through_deltas else {}))
    for a, b, data in net.edges(data=True):
        cap = _capacity(data["dim"])
        (a_in, a_out), (b_in, b_out) = ends(a), ends(b)
        flow.add_edge(a_out, b_in, capacity=cap)
        flow.add_edge(b_out, a_in, capacity=cap)
    for i in range(n):  # arcs without a capacity are infinite
        if i in rows:
            flow.add_edge("source", ("leg", i))
        else:
            flow.add_edge(("leg", i), "sink")
    _, (reach, _) = nx.minimum_cut(flow, "source", "sink")
    deltas, bonds = [], []
    for x, data in net.nodes(data=True):
        if data["kind"] == "delta" and (x, "in") in reach and (x, "out") not in reach:
            deltas.append((x, data["dim"]))
    for a, b, data in net.edges(data=True):
        (a_in, a_out), (b_in, b_out) = ends(a), ends(b)
        if (a_out in reach and b_in not in reach) or (b_out in reach and a_in not in reach):
            bonds.append((a, b, data["dim"]))
    return bonds, deltas


def _times(a: tuple, b: tuple) -> tuple:
    return (a[0] * b[0], a[1] + b[1])


def _tree_cut(arch, rows: frozenset, through_deltas: bool):
    """The bonds and deltas of a minimum cut by dynamic programming over the tensor network (a tree).

    Costs are pairs ``(product of dimensions, number of cut elements)`` compared lexicographically (exact
    integers). ``W[v][s]``: cheapest cut of the network below and including the weight node ``w:v`` when it
    lies on side ``s`` (True = the row side); ``D[v][s]`` likewise for the delta node of ``v``, with
    ``s = None`` meaning the delta node is cut (its bonds then cost nothing).
    """
    tree = arch.tree
    order = tree.postorder()
    kids = {v: tree.children(v) for v in order}
    shape = {v: arch.node_shape(v) for v in order}
    W: dict = {}
    D: dict = {}
    for v in order:
        cols_v = shape[v][1]
        if not kids[v]:
            side = v[1] in rows  # a leaf (0, i) carries mode i
            W[v] = {side: (1, 0), (not side): (cols_v, 1)}
            continue
        dv = {}
        for s in (True, False):
            total = (1, 0)
            for c in kids[v]:
                total = _times(total, min(W[c][s], _times(W[c][not s], (shape[c][0], 1))))
            dv[s] = total
        if through_deltas:
            total = (arch.node_dim(v), 1)
            for c in kids[v]:
                total = _times(total, min(W[c][True], W[c][False]))
            dv[None] = total
        D[v] = dv
        W[v] = {s: min([dv[s], _times(dv[not s], (cols_v, 1))] + ([dv[None]] if through_deltas else []))
                for s in (True, False)}
    bonds: list = []
    deltas: list = []
    root = tree.root
    todo = [(root, min((True, False), key=lambda s: W[root][s]))]
    while todo:
        v, s = todo.pop()
        cols_v = shape[v][1]
        if not kids[v]:
            if s != (v[1] in rows):
                bonds.append((("leg", v[1]), ("w", v), cols_v))
            continue
        dv = D[v]
        options = [(dv[s], s), (_times(dv[not s], (cols_v, 1)), not s)] + ([(dv[None], None)] if through_deltas else [])
        t = min(options, key=lambda o: o[0])[1]
        if t is None:
            deltas.append((("delta", v), arch.node_dim(v)))
            todo.extend((c, W[c][True] <= W[c][False]) for c in kids[v])
            continue
        if t != s:
            bonds.append((("delta", v), ("w", v), cols_v))
        for c in kids[v]:
            rc = shape[c][0]
            if _times(W[c][not t], (rc, 1)) < W[c][t]:
                bonds.append((("w", c), ("delta", v), rc))
                todo.append((c, not t))
            else:
                todo.append((c, t))
    return bonds, deltas


class _TreeNetwork:
    """The neighbours of a node of :func:`tensor_network`'s graph, read off the mode tree (no graph built)."""

    def __init__(self, tree):
        self.tree = tree

    def neighbors(self, x):
        tree = self.tree
        kind, v = x
        if kind == "leg":
            return [("w", (0, v))]
        if kind == "delta":
            return [("w", v)] + [("w", c) for c in tree.children(v)]
        below = ("leg", tree.modes(v)[0]) if tree.is_leaf(v) else ("delta", v)
        parent = tree.parent(v)
        return [below] + ([("delta", parent)] if parent is not None else [])


def _check_separates(net, rows: frozenset, n: int, bonds, cut_deltas) -> None:
    """Exact combinatorial check: without the cut bonds and deltas no row leg reaches a column leg."""
    removed = {frozenset((a, b)) for a, b, _ in bonds}
    seen = {("leg", i) for i in rows}
    todo = deque(seen)
    while todo:
        x = todo.popleft()
        for y in net.neighbors(x):
            if y in seen or y in cut_deltas or frozenset((x, y)) in removed:
                continue
            if y[0] == "leg" and y[1] not in rows:
                raise VerifierError("internal error: the cut found by max-flow does not separate I from J")
            seen.add(y)
            todo.append(y)
