"""Architectures of convolutional arithmetic circuits (ConvACs), validated at construction.

Cohen, Sharir & Shashua (COLT 2016), Section 3. A ConvAC scores an input ``X = (x_1..x_N)`` as

.. math:: h_y(X) = \\sum_{d_1..d_N} A^y_{d_1..d_N} \\prod_i f_{d_i}(x_i)

with M representation functions. The *shallow* net (one hidden layer of Z channels, global product
pooling) gives a CP decomposition of ``A^y``; the *deep* net (``L = log2 N`` hidden layers of widths
``r_0..r_{L-1}``, size-2 product pooling) gives a Hierarchical Tucker decomposition along a mode tree;
the *depth-L_c* net of Theorem 2 (Section 6) pools by pairs in its first ``L_c - 1`` layers and globally in
layer ``L_c - 1`` (:class:`DepthArch`).

Conventions: sizes are the paper's (N, M, Z, r_l, Y); positions, channels and outputs are 0-based in
code (the paper's are 1-based). The pooling geometry is a :class:`~verifier.nets.trees.ModeTree` parameter
(balanced binary by default).

Examples
--------
>>> DeepArch(N=8, M=3, widths=(3, 1, 1))
DeepArch(N=8, M=3, widths=(3, 1, 1), Y=1, shared=False)
>>> DeepArch(N=8, M=3, widths=(3, 1))
Traceback (most recent call last):
...
verifier.errors.InvalidArgumentError: Argument 'widths' must have log2(N) = 3 entries for N = 8, got 2: (3, 1).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from ..errors import InvalidArgumentError, check_size, invalid, show
from .geometry import as_mode_tree
from .trees import ModeTree, Node, balanced_binary_tree, star_tree

#: Most input positions an architecture may have: its mode tree (about 2N nodes) is built at construction.
#: The witness's rank at N = 2^15 (a 4933-digit number) is certified in seconds; larger trees are refused.
MAX_POSITIONS = 2**15


def _check_positions(N: int) -> None:
    """Refuse, before any tree is built, more than :data:`MAX_POSITIONS` positions."""
    check_size("N", N, MAX_POSITIONS, "the mode tree", "positions",
               "the structure of larger nets is the same: use a smaller N")


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise invalid(name, "a positive integer", value)
    return int(value)


@dataclass(frozen=True)
class ShallowArch:
    """Shallow ConvAC: one hidden layer of Z channels, global product pooling (CP decomposition).

    Parameters
    ----------
    N : int
        Number of input positions (tensor order), at least 1.
    M : int
        Number of representation functions (dimension of every mode).
    Z : int
        Number of hidden channels (the CP rank of the tensor it realizes is at most Z).
    Y : int, optional
        Number of outputs (default 1).
    shared : bool, optional
        Weight sharing across positions (``a^{z,i} = a^z``).

    Examples
    --------
    >>> ShallowArch(N=4, M=2, Z=3).n_weights
    27
    """

    N: int
    M: int
    Z: int
    Y: int = 1
    shared: bool = False

    def __post_init__(self):
        for name in ("N", "M", "Z", "Y"):
            object.__setattr__(self, name, _positive_int(getattr(self, name), name))
        if not isinstance(self.shared, bool):
            raise invalid("shared", "a bool", self.shared)
        _check_positions(self.N)

    net = "shallow"

    @cached_property
    def tree(self) -> ModeTree:
        """The CP geometry: a star, one node pooling all N positions (built once: every weight matrix asks for
        it, so rebuilding it per call made the weights cost N^2)."""
        return star_tree(self.N)

    def node_shape(self, node: Node) -> tuple[int, int]:
        """Weight matrix shape at a node: leaves ``(Z, M)`` (row ``z`` is ``a^{z,i}``), root ``(Y, Z)``."""
        return (self.Y, self.Z) if node == (1, 0) else (self.Z, self.M)

    @cached_property
    def _node_shapes(self) -> dict:
        """Every node's shape (computed once)."""
        return {v: self.node_shape(v) for v in self.tree.postorder()}

    def edge_dim(self, node: Node) -> int:
        """Bond dimension from a leaf to the pooling node, ``min(M, Z)``."""
        return min(self.node_shape(node))

    def node_dim(self, node: Node) -> int:
        """Dimension of the pooling node's summed index: Z (Lemma C)."""
        return self.Z

    @cached_property
    def n_weights(self) -> int:
        """Number of scalar weights (representation layer not counted): MATH.md section 3."""
        conv = self.M * self.Z * (1 if self.shared else self.N)
        return conv + self.Y * self.Z

    @cached_property
    def n_entries(self) -> int:
        """Number of scalar entries stored by a :class:`~verifier.nets.weights.Weights` (one matrix per tree
        node, shared or not): what building the weights costs."""
        return self.M * self.Z * self.N + self.Y * self.Z

    def to_dict(self) -> dict:
        """JSON-ready description."""
        return {"net": "shallow", "N": self.N, "M": self.M, "Z": self.Z, "Y": self.Y, "shared": self.shared}


def _is_power_of_two(n) -> bool:
    return not isinstance(n, bool) and isinstance(n, numbers.Integral) and n >= 2 and not int(n) & (int(n) - 1)


@dataclass(frozen=True)
class _LayeredArch:
    """What the deep net and the depth-``L_c`` net share: the fields ``N, M, widths, Y, shared, tree``, their
    validation, and the layer-by-layer shapes (``L`` hidden layers of widths ``r_0..r_{L-1}``, ``r_{-1} = M``,
    root at level ``L``).
    """

    N: int
    M: int
    widths: tuple
    Y: int = 1
    shared: bool = False
    tree: ModeTree = field(default=None, repr=False)

    def _validate(self, n_layers, layers_text: str, power_of_two: bool = True) -> None:
        """Normalize the common fields; ``n_layers(N)`` is the required number of widths, described as
        ``layers_text`` (formatted with ``N`` and ``L``) in the message. ``power_of_two=False`` when a
        geometry other than the binary tree fixes N."""
        if power_of_two and not _is_power_of_two(self.N):
            raise invalid("N", "a power of 2 that is at least 2", self.N)
        object.__setattr__(self, "N", _positive_int(self.N, "N"))
        for name in ("M", "Y"):
            object.__setattr__(self, name, _positive_int(getattr(self, name), name))
        if not isinstance(self.shared, bool):
            raise invalid("shared", "a bool", self.shared)
        try:
            widths = tuple(self.widths)
        except TypeError:
            raise invalid("widths", "a sequence of positive integers", self.widths) from None
        widths = tuple(_positive_int(w, "widths") for w in widths)
        need = n_layers(self.N)
        if len(widths) != need:
            raise InvalidArgumentError(f"Argument 'widths' must have {layers_text.format(L=need, N=self.N)}, "
                                       f"got {len(widths)}: {show(widths)}.")
        object.__setattr__(self, "widths", widths)
        _check_positions(self.N)

    def width(self, level: int) -> int:
        """``r_level`` with ``r_{-1} = M``."""
        return self.M if level < 0 else self.widths[level]

    def node_shape(self, node: Node) -> tuple[int, int]:
        """Shape ``(outputs, inputs)`` of the weight matrix at a tree node.

        Leaves ``(0, i)``: ``(r_0, M)``; internal ``(l, j)``, ``1 <= l < L``: ``(r_l, r_{l-1})``; the
        root ``(L, 0)``: ``(Y, r_{L-1})``. Row ``gamma`` is the paper's vector ``a^{l,j,gamma}``.
        In any tree a node at height ``l`` takes ``r_{l-1}`` inputs (``M`` at a leaf) and gives its
        parent at height ``p`` the ``r_{p-1}`` channels the parent pools (so in an unbalanced tree a leaf
        under a level-3 node has shape ``(r_2, M)``).
        """
        shape = self._node_shapes.get(node) if isinstance(node, tuple) else None
        return shape if shape is not None else self._node_shape(node)

    def _node_shape(self, node: Node) -> tuple[int, int]:
        tree = self.tree
        inputs = self.width(tree.depth(node) - 1)
        if node == tree.root:
            return (self.Y, inputs)
        return (self.width(tree.depth(tree.parent(node)) - 1), inputs)

    @cached_property
    def _node_shapes(self) -> dict:
        """Every node's shape, computed once (weights, routes and cuts ask for them node by node)."""
        return {v: self._node_shape(v) for v in self.tree.postorder()}

    def edge_dim(self, node: Node) -> int:
        """Bond dimension of the edge from ``node`` to its parent: ``min`` of its matrix's shape.

        Leaves give ``min(M, r_0)``, inner nodes ``min(r_{l-1}, r_l)`` (MATH.md section 5).
        """
        return min(self.node_shape(node))

    def node_dim(self, node: Node) -> int:
        """Dimension of the index summed at an internal node: ``r_{l-1}`` at level ``l`` (at the global
        pooling root of the depth-``L_c`` net: ``r_{L_c-1}``, which bounds every block matricization's rank)."""
        return self.node_shape(node)[1]

    @cached_property
    def n_weights(self) -> int:
        """Number of scalar weights (representation layer not counted): MATH.md section 3.

        Examples
        --------
        >>> DepthArch(N=8, M=2, widths=(3,), L_c=1).n_weights   # the shallow net: N M Z + Y Z
        51
        """
        return self._count(self.shared)

    @cached_property
    def n_entries(self) -> int:
        """Number of scalar entries stored by a :class:`~verifier.nets.weights.Weights` (one matrix per tree
        node, shared or not): what building the weights costs."""
        return self._count(False)

    def _count(self, shared: bool) -> int:
        nodes = self.tree.postorder()
        classes = {share_class(self, v): self.node_shape(v) for v in nodes} if shared \
            else {v: self.node_shape(v) for v in nodes}
        return sum(rows * cols for rows, cols in classes.values())


@dataclass(frozen=True)
class DeepArch(_LayeredArch):
    """Deep ConvAC: ``L = log2 N`` hidden layers, size-2 product pooling (Hierarchical Tucker).

    Layer ``l`` (0-based, as in the paper) is a 1x1 convolution with weights ``a^{l,j,gamma}`` of length
    ``r_{l-1}`` (``r_{-1} = M``), then product pooling over the children of each node of the mode tree;
    the output layer maps ``r_{L-1}`` channels to Y outputs.

    Parameters
    ----------
    N : int
        Number of positions, ``2^L`` with ``L >= 1``.
    M : int
        Number of representation functions.
    widths : sequence of int
        ``r_0..r_{L-1}``, one per hidden layer.
    Y : int, optional
        Number of outputs (default 1).
    shared : bool, optional
        Weight sharing across positions (``a^{l,j,gamma} = a^{l,gamma}``).
    tree : ModeTree, optional
        The pooling geometry; the balanced binary tree over N positions by default.

    Examples
    --------
    >>> a = DeepArch(N=4, M=2, widths=(2, 1))
    >>> a.L, a.node_shape((0, 3)), a.node_shape((1, 0)), a.node_shape((2, 0))
    (2, (2, 2), (1, 2), (1, 1))
    """

    net = "deep"

    def __post_init__(self):
        if self.tree is None:
            self._validate(lambda n: n.bit_length() - 1, "log2(N) = {L} entries for N = {N}")
            object.__setattr__(self, "tree", balanced_binary_tree(self.N))
            return
        n = _positive_int(self.N, "N")
        _check_positions(n)
        tree = as_mode_tree(self.tree, n)
        if tree.n_modes != n:
            raise invalid("tree", f"a mode tree with N = {n} leaves", f"{tree.n_modes} leaves")
        if tree.name == "binary":  # the paper's net: keep its message
            self._validate(lambda n: n.bit_length() - 1, "log2(N) = {L} entries for N = {N}")
        else:
            self._validate(lambda n: tree.height, f"L = {{L}} entries (one per pooling level of the {tree.name} "
                           "geometry)", power_of_two=False)
        object.__setattr__(self, "tree", tree)

    @property
    def L(self) -> int:
        """Number of hidden layers: the height of the mode tree (``log2 N`` for the binary tree)."""
        return self.tree.height

    @property
    def geometry(self) -> str:
        """The pooling geometry's name (``'binary'``, ``'window:4'``, ``'image:4x4'``, ``'tree'``)."""
        return self.tree.name

    def to_dict(self) -> dict:
        """JSON-ready description (with ``geometry``, and ``tree`` as nested 1-based modes, unless binary)."""
        out = {"net": "deep", "N": self.N, "M": self.M, "widths": list(self.widths), "Y": self.Y,
               "shared": self.shared}
        if self.tree.name != "binary":
            out["geometry"] = self.tree.name
            if not self.tree.name.startswith(("window:", "image:")):
                out["tree"] = _lists(self.tree.nested())
        return out


def _lists(nested):
    return [_lists(x) for x in nested] if isinstance(nested, tuple) else nested


def share_class(arch, node: Node) -> tuple:
    """The weight-sharing class of a node: its level (height) and matrix shape.

    With ``shared=True`` all nodes of one class carry the same matrix: one matrix per level for the
    paper's tree, windows and images (their levels are uniform); in an unbalanced tree the nodes of one
    level with the same shape share.

    Examples
    --------
    >>> a = DeepArch(N=4, M=2, widths=(2, 3), shared=True)
    >>> share_class(a, (0, 0)), share_class(a, (1, 1))
    ((0, (2, 2)), (1, (3, 2)))
    """
    if not isinstance(arch, (ShallowArch, _LayeredArch)):
        raise invalid("arch", "a ShallowArch, DeepArch or DepthArch", arch)
    if not isinstance(node, tuple) or node not in arch._node_shapes:
        raise invalid("node", "a node (l, j) of the architecture's mode tree", node)
    return (arch.tree.depth(node), arch.node_shape(node))



def check_depth(L_c, N: int, name: str = "L_c") -> int:
    """Validate the comparison depth: an integer in ``1..L-1`` with ``L = log2 N``.

    Parameters
    ----------
    L_c : int
        The depth of the shallower network.
    N : int
        Number of positions (a power of 2).
    name : str
        The argument name for messages (``'--Lc'`` on the command line).

    Raises
    ------
    InvalidArgumentError
        When ``L_c`` is not an integer in ``1..L-1``.

    Examples
    --------
    >>> check_depth(2, 8)
    2
    >>> check_depth(3, 8, "--Lc")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument '--Lc' must be an integer in 1..L-1 = 1..2 for N = 8 (L = 3), got 3.
    """
    if not _is_power_of_two(N):
        raise invalid("N", "a power of 2 that is at least 2", N)
    L = int(N).bit_length() - 1
    if isinstance(L_c, bool) or not isinstance(L_c, numbers.Integral) or not 1 <= L_c <= L - 1:
        span = f"1..{L - 1}" if L >= 2 else "empty"
        raise InvalidArgumentError(f"Argument {name!r} must be an integer in 1..L-1 = {span} for N = {N} "
                                   f"(L = {L}), got {L_c!r}.")
    return int(L_c)


def depth_tree(n_modes: int, L_c: int) -> ModeTree:
    """Mode tree of the depth-``L_c`` net: binary up to level ``L_c - 1``, then one global root.

    Parameters
    ----------
    n_modes : int
        N, a power of 2.
    L_c : int
        Depth, ``1 <= L_c <= log2 N - 1``.

    Returns
    -------
    ModeTree
        Nodes ``(l, j)`` for ``l < L_c`` as in :func:`~verifier.nets.trees.balanced_binary_tree`; the root
        ``(L_c, 0)`` has the ``N / 2^{L_c-1}`` level-``L_c - 1`` nodes as its children, in order.

    Examples
    --------
    >>> t = depth_tree(8, 1)
    >>> t.root, len(t.children(t.root)), t.modes((1, 0))
    ((1, 0), 8, (0, 1, 2, 3, 4, 5, 6, 7))
    """
    if not _is_power_of_two(n_modes):
        raise invalid("N", "a power of 2 that is at least 2", n_modes)
    L_c = check_depth(L_c, n_modes)
    g = nx.DiGraph()
    for i in range(n_modes):
        g.add_node((0, i), modes=(i,), height=0)
    for level in range(1, L_c):
        for j in range(n_modes >> level):
            kids = ((level - 1, 2 * j), (level - 1, 2 * j + 1))
            g.add_node((level, j), children=kids, modes=g.nodes[kids[0]]["modes"] + g.nodes[kids[1]]["modes"],
                       height=level)
            g.add_edges_from(((level, j), k) for k in kids)
    kids = tuple((L_c - 1, j) for j in range(n_modes >> (L_c - 1)))
    g.add_node((L_c, 0), children=kids, modes=tuple(range(n_modes)), height=L_c)
    g.add_edges_from(((L_c, 0), k) for k in kids)
    return ModeTree(g, (L_c, 0), f"depth:{L_c}")


@dataclass(frozen=True)
class DepthArch(_LayeredArch):
    """The depth-``L_c`` ConvAC: ``L_c - 1`` size-2 pooling layers, then global pooling (Theorem 2).

    Cohen, Sharir & Shashua (COLT 2016), Section 6 (Theorem 2, Corollary 2; corrected form in MATH.md
    section 3). Layers ``0..L_c-2`` are 1x1 convolutions followed by size-2 product pooling, exactly as in
    the deep net; layer ``L_c - 1`` is a 1x1 convolution followed by GLOBAL product pooling over the
    ``N / 2^{L_c-1}`` remaining positions; a dense output layer follows. ``L_c = 1`` is the shallow net (CP
    form) with ``Z = r_0``; ``L_c = L = log2 N`` would be the deep net itself (:class:`DeepArch`), so
    ``1 <= L_c <= L - 1`` here. Its mode tree is :func:`depth_tree`; the CP/HT construction of
    :mod:`verifier.nets.coefficients` is generic over mode trees, so coefficient tensors, evaluation,
    random weights and certified ranks work unchanged. The block size of Theorem 2 is ``b = 2^{L_c-1}``
    (the modes below one level-``L_c - 1`` node).

    Parameters
    ----------
    N : int
        Number of positions, a power of 2 with ``log2 N >= 2``.
    M : int
        Number of representation functions.
    widths : sequence of int
        ``r_0..r_{L_c-1}``, one per hidden layer (``L_c`` entries).
    L_c : int
        Number of hidden layers, ``1..log2(N) - 1``.
    Y : int, optional
        Number of outputs (default 1).
    shared : bool, optional
        Weight sharing across positions.

    Examples
    --------
    >>> DepthArch(N=8, M=2, widths=(2, 2), L_c=2)
    DepthArch(N=8, M=2, widths=(2, 2), Y=1, shared=False, L_c=2)
    >>> a = DepthArch(N=8, M=2, widths=(2, 3), L_c=2)
    >>> a.tree.children(a.tree.root)
    ((1, 0), (1, 1), (1, 2), (1, 3))
    >>> a.node_shape((0, 0)), a.node_shape((1, 2)), a.node_shape((2, 0)), a.n_weights
    ((2, 2), (3, 2), (1, 3), 59)
    >>> DepthArch(N=8, M=2, widths=(2, 2, 2), L_c=2)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'widths' must have L_c = 2 entries for a depth-2 net, got 3: (2, 2, 2).
    """

    L_c: int = field(kw_only=True)

    net = "depth"

    def __post_init__(self):
        if _is_power_of_two(self.N):
            object.__setattr__(self, "L_c", check_depth(self.L_c, int(self.N)))
        self._validate(lambda n: self.L_c, "L_c = {L} entries for a depth-{L} net")
        object.__setattr__(self, "tree", depth_tree(self.N, self.L_c))

    @property
    def L(self) -> int:
        """Number of hidden layers (``L_c``); the root is at level ``L``."""
        return self.L_c

    @property
    def block(self) -> int:
        """Block size ``b = 2^{L_c-1}``: the modes pooled into one input of the global pooling layer."""
        return 1 << (self.L_c - 1)

    def to_dict(self) -> dict:
        """JSON-ready description."""
        return {"net": "depth", "N": self.N, "M": self.M, "widths": list(self.widths), "L_c": self.L_c,
                "Y": self.Y, "shared": self.shared}


Arch = ShallowArch | DeepArch | DepthArch
