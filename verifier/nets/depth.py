"""The depth-L_c ConvAC of Theorem 2 / Corollary 2 and the Theorem 2 witness.

Cohen, Sharir & Shashua (COLT 2016), Section 6 (Theorem 2, Corollary 2; corrected form in MATH.md
section 3). The depth-``L_c`` net has ``L_c`` hidden layers: layers ``0..L_c-2`` are 1x1 convolutions
followed by size-2 product pooling, exactly as in the deep net; layer ``L_c - 1`` is a 1x1 convolution
followed by GLOBAL product pooling over the ``N / 2^{L_c-1}`` remaining positions; a dense output layer
follows. ``L_c = 1`` is the shallow net (CP form) with ``Z = r_0``; ``L_c = L = log2 N`` would be the
deep net itself (use :class:`~verifier.nets.architectures.DeepArch`), so ``1 <= L_c <= L - 1`` here.

Its mode tree (:func:`depth_tree`): levels ``0..L_c-1`` as in the balanced binary tree, then one root at
level ``L_c`` whose children are all level-``L_c - 1`` nodes. The CP/HT construction of
:mod:`verifier.nets.coefficients` is generic over mode trees, so coefficient tensors, evaluation, random
weights and certified ranks work unchanged.

Conventions: nodes ``(l, j)`` and modes are 0-based, as in :mod:`verifier.nets.trees`; ``r_{-1} = M``.
The block size of Theorem 2 is ``b = 2^{L_c-1}`` (the modes below one level-``L_c - 1`` node).

Examples
--------
>>> a = DepthArch(N=8, M=2, widths=(2, 3), L_c=2)
>>> a.tree.children(a.tree.root)
((1, 0), (1, 1), (1, 2), (1, 3))
>>> a.node_shape((0, 0)), a.node_shape((1, 2)), a.node_shape((2, 0)), a.n_weights
((2, 2), (3, 2), (1, 3), 59)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import networkx as nx

from .architectures import DeepArch, _positive_int
from ..errors import InvalidArgumentError, invalid
from .trees import ModeTree
from .weights import Weights, _obj


def _is_power_of_two(n) -> bool:
    return not isinstance(n, bool) and isinstance(n, numbers.Integral) and n >= 2 and not int(n) & (int(n) - 1)


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
    return ModeTree(g, (L_c, 0))


@dataclass(frozen=True)
class DepthArch:
    """The depth-``L_c`` ConvAC: ``L_c - 1`` size-2 pooling layers, then global pooling (Theorem 2).

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
    DepthArch(N=8, M=2, widths=(2, 2), L_c=2, Y=1, shared=False)
    >>> DepthArch(N=8, M=2, widths=(2, 2, 2), L_c=2)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'widths' must have L_c = 2 entries for a depth-2 net, got 3: (2, 2, 2).
    """

    N: int
    M: int
    widths: tuple
    L_c: int
    Y: int = 1
    shared: bool = False
    tree: ModeTree = field(default=None, repr=False, compare=False)

    net = "depth"

    def __post_init__(self):
        if not _is_power_of_two(self.N):
            raise invalid("N", "a power of 2 that is at least 2", self.N)
        object.__setattr__(self, "N", int(self.N))
        object.__setattr__(self, "L_c", check_depth(self.L_c, self.N))
        for name in ("M", "Y"):
            object.__setattr__(self, name, _positive_int(getattr(self, name), name))
        if not isinstance(self.shared, bool):
            raise invalid("shared", "a bool", self.shared)
        try:
            widths = tuple(self.widths)
        except TypeError:
            raise invalid("widths", "a sequence of positive integers", self.widths) from None
        for w in widths:
            if isinstance(w, bool) or not isinstance(w, numbers.Integral) or w < 1:
                raise invalid("widths", "a sequence of positive integers", widths)
        widths = tuple(int(w) for w in widths)
        if len(widths) != self.L_c:
            raise InvalidArgumentError(f"Argument 'widths' must have L_c = {self.L_c} entries for a depth-{self.L_c} "
                                       f"net, got {len(widths)}: {widths}.")
        object.__setattr__(self, "widths", widths)
        object.__setattr__(self, "tree", depth_tree(self.N, self.L_c))

    @property
    def L(self) -> int:
        """Number of hidden layers (``L_c``); the root is at level ``L``."""
        return self.L_c

    @property
    def block(self) -> int:
        """Block size ``b = 2^{L_c-1}``: the modes pooled into one input of the global pooling layer."""
        return 1 << (self.L_c - 1)

    def width(self, level: int) -> int:
        """``r_level`` with ``r_{-1} = M``."""
        return self.M if level < 0 else self.widths[level]

    def node_shape(self, node) -> tuple[int, int]:
        """``(outputs, inputs)`` of a node's weight matrix: level ``l < L_c`` gives ``(r_l, r_{l-1})``, the
        root ``(Y, r_{L_c-1})``."""
        level = self.tree.depth(node)
        if level == self.L_c:
            return (self.Y, self.width(level - 1))
        return (self.width(level), self.width(level - 1))

    def edge_dim(self, node) -> int:
        """Bond dimension of the edge above ``node``: ``min`` of its matrix's shape."""
        return min(self.node_shape(node))

    def node_dim(self, node) -> int:
        """Dimension of the index summed at an internal node: ``r_{l-1}`` at level ``l`` (at the global
        pooling root: ``r_{L_c-1}``, which bounds every block matricization's rank)."""
        return self.node_shape(node)[1]

    @property
    def n_weights(self) -> int:
        """Number of scalar weights (representation layer not counted), as in MATH.md section 3.

        Examples
        --------
        >>> DepthArch(N=8, M=2, widths=(3,), L_c=1).n_weights   # the shallow net: N M Z + Y Z
        51
        """
        total = 0
        for level in range(self.L_c):
            copies = 1 if self.shared else self.N >> level
            total += copies * self.width(level - 1) * self.width(level)
        return total + self.Y * self.width(self.L_c - 1)

    def to_dict(self) -> dict:
        """JSON-ready description."""
        return {"net": "depth", "N": self.N, "M": self.M, "widths": list(self.widths), "L_c": self.L_c,
                "Y": self.Y, "shared": self.shared}


def theorem2_witness_weights(arch: DeepArch, L_c: int) -> Weights:
    """The Theorem 2 witness for a deep net (MATH.md section 4): weights in {0, 1}, position independent.

    With ``r = min(r_0, .., r_{L_c-1}, M)`` (1-based channels in the paper, 0-based here): level 0 has
    ``a^{0,j,alpha} = e_alpha`` for ``alpha < r``; levels ``1..L_c-1`` pass channel ``gamma < r`` through
    (``e_gamma``); level ``L_c`` takes the all-ones vector on channels ``0..r-1`` in row 0; higher levels
    and the output copy channel 0. Then ``phi^{L_c-1,j,gamma} = e_gamma^{(x) b}`` and every level-``L_c``
    node's tensor is ``sum_{gamma<r} E_gamma (x) E_gamma`` with distinct basis vectors ``E_gamma`` of the
    merged modes: block rank ``r`` each, so the block matricization has rank ``r^{N/2^{L_c}}``
    (Lemmas K and R).

    Examples
    --------
    >>> w = theorem2_witness_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), 2)
    >>> w[(0, 0)].tolist(), w[(1, 0)].tolist(), w[(2, 0)].tolist(), w[(3, 0)].tolist()
    ([[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 1], [0, 0]], [[1, 0]])
    """
    if not isinstance(arch, DeepArch):
        raise invalid("arch", "a DeepArch (the Theorem 2 witness is defined for deep nets)", type(arch).__name__)
    L_c = check_depth(L_c, arch.N)
    r = min(arch.widths[:L_c] + (arch.M,))
    tree = arch.tree
    arrays = {}
    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        a = _obj([[0] * cols for _ in range(rows)], (rows, cols))
        level = tree.depth(v)
        if level < L_c:
            for k in range(r):
                a[k, k] = 1
        elif level == L_c:
            for k in range(r):
                a[0, k] = 1
        else:
            for y in range(rows if level == arch.L else 1):
                a[y, 0] = 1
        arrays[v] = a
    return Weights(arch, arrays, "witness", meta={"theorem": 2, "L_c": L_c})
