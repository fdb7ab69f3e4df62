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

How the cut is found and certified: the tensor network is a tree, so a minimum cut is found by dynamic
programming over it (linear in N; networkx's max-flow took tens of seconds at N = 2^13) with integer
capacities ``round(2^32 log2 d)``, in the terms of a max-flow graph whose delta nodes are split into an in-
and an out-node joined by an arc of the delta's capacity. Only the cut it FINDS comes from there: the reported bound is the exact integer
product of the dimensions of that cut, which is re-checked to separate ``I`` from ``J`` (a breadth-first
search without the cut bonds and deltas), so it is an upper bound on the rank for ALL weights whatever
the flow computation did. Its minimality is cross-checked in the tests against the exact dynamic
programme over the tree (:meth:`~verifier.nets.trees.ModeTree.cut_bound`).

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
    adj, dims = _adjacency(arch)
    g = nx.Graph()
    for x in adj:
        g.add_node(x, kind="leg" if x[0] == "leg" else "weight" if x[0] == "w" else "delta",
                   **({"dim": dims[x]} if x in dims else {}))
    for x, y, d in _edges(adj):
        g.add_edge(x, y, dim=d)
    return g


def _adjacency(arch) -> tuple:
    """The tensor network as plain dicts: ``{node: {neighbour: bond dimension}}`` (nodes in the order
    :func:`tensor_network` adds them) and ``{delta node: dimension}``; linear in the size of the tree."""
    tree = arch.tree
    adj, dims = {}, {}

    def bond(a, b, d):
        adj.setdefault(a, {})[b] = d
        adj.setdefault(b, {})[a] = d

    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        adj.setdefault(("w", v), {})
        children = tree.children(v)
        if not children:
            leg = ("leg", tree.modes(v)[0])
            adj.setdefault(leg, {})
            bond(leg, ("w", v), cols)
        else:
            dims[("delta", v)] = arch.node_dim(v)
            adj.setdefault(("delta", v), {})
            bond(("delta", v), ("w", v), cols)
        if v != tree.root:
            bond(("w", v), ("delta", tree.parent(v)), rows)
    return adj, dims


def _edges(adj: dict):
    """Each bond once, ``(a, b, dim)``, in the order ``networkx.Graph.edges`` gives for the same insertions."""
    seen = set()
    for x, nbrs in adj.items():
        for y, d in nbrs.items():
            if y not in seen:
                yield x, y, d
        seen.add(x)


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


def min_cut(arch, partition: Partition, through_deltas: bool = True) -> NetworkCut:
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
    """
    if not hasattr(arch, "tree") or not hasattr(arch, "node_shape"):
        raise invalid("arch", "an architecture (DeepArch, DepthArch or ShallowArch)", type(arch).__name__)
    if not isinstance(partition, Partition) or partition.N != arch.N:
        raise invalid("partition", f"a Partition of N = {arch.N} modes", getattr(partition, "spec", partition))
    rows = frozenset(partition.rows)
    name = arch.tree.name
    if not rows or len(rows) == arch.N:
        return NetworkCut(1, tuple(sorted(rows)), (), (), name)
    adj, dims = _adjacency(arch)
    reach = _tree_cut(adj, dims, rows, through_deltas)
    if reach is None:  # pragma: no cover - the network of a mode tree is a tree
        raise VerifierError("internal error: the tensor network is not a tree")
    deltas, bonds = [], []
    for x, d in dims.items():
        if (x, "in") in reach and (x, "out") not in reach:
            deltas.append((x, d))
    cut_deltas = {x for x, _ in deltas}
    for a, b, d in _edges(adj):
        (a_in, a_out), (b_in, b_out) = _ends(a), _ends(b)
        if (a_out in reach and b_in not in reach) or (b_out in reach and a_in not in reach):
            bonds.append((a, b, d))
    _check_separates(adj, rows, bonds, cut_deltas)
    value = 1
    for *_, d in bonds:
        value *= d
    for _, d in deltas:
        value *= d
    return NetworkCut(value, tuple(sorted(rows)), tuple(bonds), tuple(sorted(deltas)), name)


def _ends(x):
    return ((x, "in"), (x, "out")) if x[0] == "delta" else (x, x)


def _tree_cut(adj: dict, dims: dict, rows: frozenset, through_deltas: bool):
    """The source side of a minimum cut of a tree-shaped network, by dynamic programming (linear time), in the
    terms of a max-flow graph whose delta nodes are split into an in- and an out-node: every node is on the
    row side ``S`` (0) or the column side ``T`` (1); a delta node may instead be cut through (``X``, 2: its
    in-node on ``S``, its out-node on ``T``, cost its dimension, and none of its bonds cut); a bond between
    ``S`` and ``T`` costs its dimension. Costs are the integer logs used to find the cut; the caller computes
    the exact product and re-checks the separation. Returns None when the network is not a tree."""
    if not adj or sum(map(len, adj.values())) != 2 * (len(adj) - 1):
        return None
    start = next(iter(adj))
    parent, order, stack = {start: None}, [], [start]
    while stack:
        x = stack.pop()
        order.append(x)
        for y in adj[x]:
            if y not in parent:
                parent[y] = x
                stack.append(y)
    if len(order) != len(adj):
        return None
    inf = float("inf")  # a state the node may not take (costs themselves are exact integers)
    caps, best, choice = {}, {}, {}  # caps: the bond from a node to its parent, as an integer log
    for x in reversed(order):  # children before parents
        up = parent[x]
        kids = [y for y in adj[x] if y != up]
        if x[0] == "leg":
            allowed = (0,) if x[1] in rows else (1,)
        else:
            allowed = (0, 1, 2) if x in dims and through_deltas else (0, 1)
        own = _capacity(dims[x]) if x in dims else 0
        totals, picks = [inf, inf, inf], [None, None, None]
        for state in allowed:
            total, pick = (own if state == 2 else 0), []
            for y in kids:
                cap, (b_s, b_t, b_x) = caps[y], best[y]
                c_s, c_t = (b_s, b_t + cap) if state == 0 else (b_s + cap, b_t) if state == 1 else (b_s, b_t)
                t, c = (0, c_s) if c_s <= c_t else (1, c_t)
                if b_x < c:
                    t, c = 2, b_x
                total += c
                pick.append(t)
            totals[state], picks[state] = total, pick
        best[x], choice[x] = totals, (kids, picks)
        if up is not None:
            caps[x] = _capacity(adj[x][up])
    side = {start: min(range(3), key=best[start].__getitem__)}
    for x in order:
        kids, picks = choice[x]
        side.update(zip(kids, picks[side[x]]))
    reach = {"source"}
    for x, state in side.items():
        a_in, a_out = _ends(x)
        if state == 0:
            reach.update((a_in, a_out))
        elif state == 2:
            reach.add(a_in)
    return reach


def _check_separates(adj: dict, rows: frozenset, bonds, cut_deltas) -> None:
    """Exact combinatorial check: without the cut bonds and deltas no row leg reaches a column leg."""
    removed = {frozenset((a, b)) for a, b, _ in bonds}
    seen = {("leg", i) for i in rows}
    todo = deque(seen)
    while todo:
        x = todo.popleft()
        for y in adj[x]:
            if y in seen or y in cut_deltas or frozenset((x, y)) in removed:
                continue
            if y[0] == "leg" and y[1] not in rows:
                raise VerifierError("internal error: the cut found by max-flow does not separate I from J")
            seen.add(y)
            todo.append(y)
