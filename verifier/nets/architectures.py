"""Architectures of convolutional arithmetic circuits (ConvACs), validated at construction.

Cohen, Sharir & Shashua (COLT 2016), Section 3. A ConvAC scores an input ``X = (x_1..x_N)`` as

.. math:: h_y(X) = \\sum_{d_1..d_N} A^y_{d_1..d_N} \\prod_i f_{d_i}(x_i)

with M representation functions. The *shallow* net (one hidden layer of Z channels, global product
pooling) gives a CP decomposition of ``A^y``; the *deep* net (``L = log2 N`` hidden layers of widths
``r_0..r_{L-1}``, size-2 product pooling) gives a Hierarchical Tucker decomposition along a mode tree.

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

from ..errors import InvalidArgumentError, invalid
from .trees import ModeTree, Node, balanced_binary_tree, star_tree


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

    net = "shallow"

    @property
    def tree(self) -> ModeTree:
        """The CP geometry: a star, one node pooling all N positions."""
        return star_tree(self.N)

    def node_shape(self, node: Node) -> tuple[int, int]:
        """Weight matrix shape at a node: leaves ``(Z, M)`` (row ``z`` is ``a^{z,i}``), root ``(Y, Z)``."""
        return (self.Y, self.Z) if node == (1, 0) else (self.Z, self.M)

    def edge_dim(self, node: Node) -> int:
        """Bond dimension from a leaf to the pooling node, ``min(M, Z)``."""
        return min(self.node_shape(node))

    def node_dim(self, node: Node) -> int:
        """Dimension of the pooling node's summed index: Z (Lemma C)."""
        return self.Z

    @property
    def n_weights(self) -> int:
        """Number of scalar weights (representation layer not counted): MATH.md section 3."""
        conv = self.M * self.Z * (1 if self.shared else self.N)
        return conv + self.Y * self.Z

    def to_dict(self) -> dict:
        """JSON-ready description."""
        return {"net": "shallow", "N": self.N, "M": self.M, "Z": self.Z, "Y": self.Y, "shared": self.shared}


@dataclass(frozen=True)
class DeepArch:
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

    N: int
    M: int
    widths: tuple
    Y: int = 1
    shared: bool = False
    tree: ModeTree = field(default=None, repr=False, compare=False)

    net = "deep"

    def __post_init__(self):
        n = self.N
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2 or int(n) & (int(n) - 1):
            raise invalid("N", "a power of 2 that is at least 2", n)
        object.__setattr__(self, "N", int(n))
        for name in ("M", "Y"):
            object.__setattr__(self, name, _positive_int(getattr(self, name), name))
        try:
            widths = tuple(self.widths)
        except TypeError:
            raise invalid("widths", "a sequence of positive integers", self.widths) from None
        widths = tuple(_positive_int(w, "widths") for w in widths)
        if len(widths) != self.L:
            raise InvalidArgumentError(
                f"Argument 'widths' must have log2(N) = {self.L} entries for N = {self.N}, "
                f"got {len(widths)}: {widths}."
            )
        object.__setattr__(self, "widths", widths)
        if not isinstance(self.shared, bool):
            raise invalid("shared", "a bool", self.shared)
        tree = self.tree if self.tree is not None else balanced_binary_tree(self.N)
        if tree.n_modes != self.N:
            raise invalid("tree", f"a mode tree with N = {self.N} leaves", f"{tree.n_modes} leaves")
        object.__setattr__(self, "tree", tree)

    @property
    def L(self) -> int:
        """Number of hidden layers, ``log2 N``."""
        return self.N.bit_length() - 1

    def width(self, level: int) -> int:
        """``r_level`` with ``r_{-1} = M``."""
        return self.M if level < 0 else self.widths[level]

    def node_shape(self, node: Node) -> tuple[int, int]:
        """Shape ``(outputs, inputs)`` of the weight matrix at a tree node.

        Leaves ``(0, i)``: ``(r_0, M)``; internal ``(l, j)``, ``1 <= l < L``: ``(r_l, r_{l-1})``; the
        root ``(L, 0)``: ``(Y, r_{L-1})``. Row ``gamma`` is the paper's vector ``a^{l,j,gamma}``.
        """
        level = self.tree.depth(node)
        if level == self.L:
            return (self.Y, self.width(level - 1))
        return (self.width(level), self.width(level - 1))

    def edge_dim(self, node: Node) -> int:
        """Bond dimension of the edge from ``node`` to its parent: ``min`` of its matrix's shape.

        Leaves give ``min(M, r_0)``, inner nodes ``min(r_{l-1}, r_l)`` (MATH.md section 5).
        """
        return min(self.node_shape(node))

    def node_dim(self, node: Node) -> int:
        """Dimension of the index summed at an internal node: ``r_{l-1}`` at level ``l``."""
        return self.node_shape(node)[1]

    @property
    def n_weights(self) -> int:
        """Number of scalar weights (representation layer not counted): MATH.md section 3."""
        total = 0
        for level in range(self.L):
            copies = 1 if self.shared else self.N >> level
            total += copies * self.width(level - 1) * self.width(level)
        return total + self.Y * self.width(self.L - 1)

    def to_dict(self) -> dict:
        """JSON-ready description."""
        return {"net": "deep", "N": self.N, "M": self.M, "widths": list(self.widths), "Y": self.Y,
                "shared": self.shared}


Arch = ShallowArch | DeepArch
