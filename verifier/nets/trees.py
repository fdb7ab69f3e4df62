"""Mode trees: the pooling geometry of a convolutional arithmetic circuit.

A mode tree is a rooted tree whose leaves are the tensor modes (input positions). An internal node
pools (multiplies) its children; the Hierarchical Tucker recursion follows the tree bottom up. The
paper's deep network uses the balanced binary tree over N = 2^L positions; other geometries (any
binary tree, windows of 4, 2-D Z-order) are other trees and leave the rest of the package unchanged.

Conventions
-----------
* Nodes are labelled ``(l, j)``: level ``l`` (0 = the leaves, i.e. input positions) and 0-based
  index ``j`` within the level. In the balanced tree node ``(l, j)`` has children ``(l-1, 2j)`` and
  ``(l-1, 2j+1)``; this is the paper's node ``(l, j+1)`` (the paper counts from 1).
* Leaves ``(0, i)`` carry mode ``i`` (0-based; the paper's mode ``i+1``).
* Children are ordered; the modes of a node are its children's modes concatenated in that order.
* Any tree (any arity, unbalanced, any N) uses the same labels: ``l`` is the node's height (0 for
  leaves, 1 + the largest child height otherwise) and ``j`` numbers the nodes of one height in the
  tree's left-to-right order; leaves stay ``(0, i)`` with ``i`` their mode. Constructors for windows,
  images and trees given as nested lists are in :mod:`verifier.nets.geometry`.

Examples
--------
>>> t = balanced_binary_tree(4)
>>> t.root, t.children(t.root)
((2, 0), ((1, 0), (1, 1)))
>>> t.modes((1, 1))
(2, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Hashable

import networkx as nx

from ..errors import check_size, invalid

#: Most modes of a tree built by :func:`star_tree` or :func:`balanced_binary_tree` (architectures allow 2^15).
MAX_TREE_MODES = 2**16

Node = Hashable


@dataclass(frozen=True, eq=False)
class ModeTree:
    """A rooted, ordered tree whose leaves are the modes ``0..N-1``.

    Two mode trees are equal when they have the same shape and the same leaves in the same order
    (:meth:`nested`); the name is not compared.

    Parameters
    ----------
    graph : networkx.DiGraph
        Edges point from parent to child; every internal node has an ordered ``children`` attribute.
    root : node
        The root node.
    name : str, optional
        The geometry's name for reports (``'binary'``, ``'star'``, ``'window:4'``, ``'image:4x4'``,
        ``'tree'``, ..).

    Examples
    --------
    >>> t = balanced_binary_tree(2)
    >>> t.n_modes, t.depth(t.root)
    (2, 1)
    """

    graph: nx.DiGraph
    root: Node
    name: str = "tree"

    def __post_init__(self):
        """Validated trees are immutable: the graph is frozen (no node or edge can be added or removed) and each
        node's ``children`` and ``modes`` are tuples, so a route can never see a tree changed after validation."""
        for _, data in self.graph.nodes(data=True):
            for key in ("children", "modes"):
                if key in data and not isinstance(data[key], tuple):
                    data[key] = tuple(data[key])
        if not nx.is_frozen(self.graph):
            nx.freeze(self.graph)
        cache = self.graph.graph   # plain dicts: every route asks for children and modes millions of times
        cache["children"] = {v: tuple(d.get("children", ())) for v, d in self.graph.nodes(data=True)}
        cache["modes"] = {v: d["modes"] for v, d in self.graph.nodes(data=True) if "modes" in d}
        cache["height"] = {v: d["height"] for v, d in self.graph.nodes(data=True) if "height" in d}
        cache["parent"] = {c: v for v, kids in cache["children"].items() for c in kids}

    def __eq__(self, other) -> bool:
        return isinstance(other, ModeTree) and self.nested() == other.nested()

    def __hash__(self) -> int:
        return hash(self.nested())

    def nested(self) -> tuple:
        """The tree as nested tuples of 1-based modes (the form of tree files), e.g. ``((1, 2), (3, 4))``.

        Examples
        --------
        >>> balanced_binary_tree(4).nested()
        ((1, 2), (3, 4))
        """
        cache = self.graph.graph
        if "nested" not in cache:
            built: dict = {}
            for v in self.postorder():
                built[v] = (self.modes(v)[0] + 1 if self.is_leaf(v)
                            else tuple(built.pop(c) for c in self.children(v)))
            cache["nested"] = built[self.root]
        return cache["nested"]

    def parent(self, node: Node):
        """The parent of ``node`` (``None`` for the root)."""
        return self.graph.graph["parent"].get(node)

    @property
    def height(self) -> int:
        """The root's height: the number of pooling levels L."""
        return self.depth(self.root)

    def children(self, node: Node) -> tuple:
        """Ordered children of ``node`` (empty for a leaf)."""
        return self.graph.graph["children"][node]

    def is_leaf(self, node: Node) -> bool:
        """Whether ``node`` is a leaf (an input position)."""
        return not self.children(node)

    def modes(self, node: Node) -> tuple[int, ...]:
        """The modes (0-based) below ``node``, in the tree's order."""
        return self.graph.graph["modes"][node]

    @property
    def n_modes(self) -> int:
        """Number of modes N."""
        return len(self.modes(self.root))

    def depth(self, node: Node) -> int:
        """Height of ``node``: 0 for leaves, 1 + the largest child height otherwise."""
        return self.graph.graph["height"][node]

    def postorder(self, start: Node | None = None) -> list:
        """The nodes below ``start`` (default: the root), children before parents, in order (an explicit
        stack; the whole tree's order is computed once, as every layer asks for it).

        Examples
        --------
        >>> balanced_binary_tree(4).postorder((1, 1))
        [(0, 2), (0, 3), (1, 1)]
        """
        whole = start is None or start == self.root
        cache = self.graph.graph
        if whole and "postorder" in cache:
            return list(cache["postorder"])
        kids = cache["children"]
        out: list = []
        stack = [(self.root if start is None else start, False)]
        while stack:
            v, done = stack.pop()
            if done:
                out.append(v)
                continue
            stack.append((v, True))
            stack.extend((c, False) for c in reversed(kids[v]))
        if whole:
            cache["postorder"] = tuple(out)
        return out

    def cut_bound(self, rows: frozenset[int], edge_dim: Callable[[Node], int],
                  node_dim: Callable[[Node], int] | None = None) -> int:
        """Upper bound on the rank of a matricization from a cut of the tree's tensor network.

        Every internal node is put on the row side or the column side; a leaf is on the side of its
        mode. Cutting the edge above node ``v`` costs ``edge_dim(v)`` (the number of values its bond
        can carry). The rank of ``[A]_{rows, cols}`` is at most the product of the costs of the cut
        edges, minimised over all assignments (dynamic programming over the tree; exact integers).

        Parameters
        ----------
        rows : frozenset of int
            0-based modes indexing rows.
        edge_dim : callable
            Bond dimension of the edge from a non-root node to its parent.
        node_dim : callable, optional
            Dimension of an internal node's shared (summed) index. Cutting that index costs
            ``node_dim(v)`` and frees the children from the node's side: for a CP (star) tree this
            gives Lemma C's bound Z.

        Returns
        -------
        int
            The minimal product over cuts (an upper bound on the rank for every weight choice).

        Examples
        --------
        >>> t = balanced_binary_tree(4)
        >>> t.cut_bound(frozenset({0, 2}), lambda v: 2)   # two pairs split: 2 * 2
        4
        >>> t.cut_bound(frozenset({0, 1}), lambda v: 2)   # low/high: one edge at the root
        2
        """
        best: dict = {}
        for v in self.postorder():
            if self.is_leaf(v):
                side = self.modes(v)[0] in rows
                best[v] = {side: 1, (not side): None}
                continue
            costs = {}
            for s in (True, False):
                total = 1
                for c in self.children(v):
                    options = []
                    for t, cost in best[c].items():
                        if cost is None:
                            continue
                        options.append(cost if t == s else cost * edge_dim(c))
                    total *= min(options)
                costs[s] = total
            if node_dim is not None:
                free = 1
                for c in self.children(v):
                    free *= min(cost for cost in best[c].values() if cost is not None)
                for s in (True, False):
                    costs[s] = min(costs[s], node_dim(v) * free)
            best[v] = costs
        return min(c for c in best[self.root].values() if c is not None)


def star_tree(n_modes: int) -> ModeTree:
    """The shallow network's geometry: one global pooling node over all N positions (CP form).

    Examples
    --------
    >>> t = star_tree(3)
    >>> t.root, t.children(t.root), t.depth(t.root)
    ((1, 0), ((0, 0), (0, 1), (0, 2)), 1)
    """
    if isinstance(n_modes, bool) or not isinstance(n_modes, int) or n_modes < 1:
        raise invalid("N", "a positive integer", n_modes)
    check_size("N", n_modes, MAX_TREE_MODES, "the mode tree", "positions")
    g = nx.DiGraph()
    kids = tuple((0, i) for i in range(n_modes))
    for i in range(n_modes):
        g.add_node((0, i), modes=(i,), height=0)
    g.add_node((1, 0), children=kids, modes=tuple(range(n_modes)), height=1)
    g.add_edges_from(((1, 0), k) for k in kids)
    return ModeTree(g, (1, 0), "star")


def balanced_binary_tree(n_modes: int) -> ModeTree:
    """The paper's pooling geometry: size-2 windows over ``N = 2^L`` positions.

    Parameters
    ----------
    n_modes : int
        N, a power of two, at least 2.

    Returns
    -------
    ModeTree
        Nodes ``(l, j)`` for ``l = 0..L`` and ``j = 0..N/2^l - 1``; the root is ``(L, 0)``.

    Examples
    --------
    >>> balanced_binary_tree(8).children((3, 0))
    ((2, 0), (2, 1))
    >>> balanced_binary_tree(6)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'N' must be a power of 2 that is at least 2, got 6.
    """
    if isinstance(n_modes, bool) or not isinstance(n_modes, int) or n_modes < 2 or n_modes & (n_modes - 1):
        raise invalid("N", "a power of 2 that is at least 2", n_modes)
    check_size("N", n_modes, MAX_TREE_MODES, "the mode tree", "positions")
    g = nx.DiGraph()
    levels = n_modes.bit_length() - 1
    for i in range(n_modes):
        g.add_node((0, i), modes=(i,), height=0)
    for level in range(1, levels + 1):
        for j in range(n_modes >> level):
            kids = ((level - 1, 2 * j), (level - 1, 2 * j + 1))
            modes = g.nodes[kids[0]]["modes"] + g.nodes[kids[1]]["modes"]
            g.add_node((level, j), children=kids, modes=modes, height=level)
            for k in kids:
                g.add_edge((level, j), k)
    return ModeTree(g, (levels, 0), "binary")
