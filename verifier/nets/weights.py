"""Network weights: seeded random integers, the witnesses of Theorems 1 and 2, explicit rationals, sympy symbols.

Weights live on the nodes of the architecture's mode tree (see :mod:`verifier.nets.trees`): node ``v`` holds
a matrix of shape ``arch.node_shape(v)`` whose row ``gamma`` is the paper's vector ``a^{l,j,gamma}``
(deep) or ``a^{z,i}`` (shallow leaves) or ``a^y`` (the root). Entries are Python ``int`` /
``Fraction`` (exact) or sympy expressions (symbolic). All indices are 0-based in code.

Random draws are reproducible: :func:`random_weights` uses :class:`random.Random` seeded with the given
seed and draws nodes in the tree's post-order, rows then columns; the seed and bound are recorded on
the returned object.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> w = witness_weights(DeepArch(N=4, M=2, widths=(2, 1)))
>>> w[(1, 0)].tolist(), w[(2, 0)].tolist()
([[1, 1]], [[1]])
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from ..errors import InvalidArgumentError, check_size, invalid, show
from ..exact.fields import common_denominator, exact_array, to_exact
from .architectures import DeepArch, ShallowArch, _LayeredArch, check_depth, share_class
from .geometry import leaves_under_level_one

#: Default half-width of the range of random integer weights (MATH.md section 4: sample wide).
DEFAULT_BOUND = 10**6
#: Most scalar entries a :class:`Weights` may hold (one matrix per tree node; about 0.3 GB of Python ints).
MAX_WEIGHT_ENTRIES = 2**22


def check_arch(arch, name: str = "arch"):
    """``arch`` must be an architecture object (:class:`ShallowArch`, :class:`DeepArch`, :class:`DepthArch`).

    Examples
    --------
    >>> check_arch("deep")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'arch' must be a ShallowArch, DeepArch or DepthArch, got 'deep'.
    """
    if not isinstance(arch, (ShallowArch, _LayeredArch)):
        raise invalid(name, "a ShallowArch, DeepArch or DepthArch", arch)
    return arch


def check_weights(weights, name: str = "weights", numeric: bool = False):
    """``weights`` must be a :class:`Weights` object (exact numbers when ``numeric``).

    Examples
    --------
    >>> check_weights([[1]])
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'weights' must be a Weights object (random_weights, witness_weights, weights_from_arrays, ...), got [[1]].
    """
    if not isinstance(weights, Weights):
        raise invalid(name, "a Weights object (random_weights, witness_weights, weights_from_arrays, ...)", weights)
    if numeric and weights.is_symbolic:
        raise invalid(name, "exact numeric weights", "symbolic weights")
    return weights


def check_weight_count(arch) -> None:
    """Refuse, before drawing or building anything, weights of more than :data:`MAX_WEIGHT_ENTRIES` entries.

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> check_weight_count(ShallowArch(N=4, M=10**8, Z=2))
    Traceback (most recent call last):
    ...
    verifier.errors.SizeLimitError: Arguments 'N', 'M', 'Z', 'Y': building the weights (N=4, M=100000000, Z=2, Y=1) needs 800000002 entries, over the limit of 4194304 entries; use smaller sizes (the structure of the statements does not depend on them).
    """
    check_arch(arch)
    if arch.net == "shallow":
        names, sizes = "N, M, Z, Y", f"N={arch.N}, M={show(arch.M, 20)}, Z={show(arch.Z, 20)}, Y={show(arch.Y, 20)}"
    else:
        names, sizes = "N, M, widths, Y", f"N={arch.N}, M={show(arch.M, 20)}, widths={show(arch.widths, 40)}, Y={show(arch.Y, 20)}"
    check_size(names, arch.n_entries, MAX_WEIGHT_ENTRIES, f"building the weights ({sizes})", "entries",
               "use smaller sizes (the structure of the statements does not depend on them)")


@dataclass(frozen=True)
class Weights:
    """Weights of a ConvAC, one matrix per mode-tree node.

    Parameters
    ----------
    arch : ShallowArch or DeepArch
        The architecture the weights belong to.
    arrays : mapping
        Node -> 2-D numpy object array of shape ``arch.node_shape(node)``.
    kind : str
        ``'random'``, ``'witness'``, ``'explicit'`` or ``'symbolic'``.
    seed, bound : int or None
        Recorded for random weights.

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> w = random_weights(ShallowArch(N=2, M=2, Z=1), seed=0, bound=5)
    >>> w.kind, w.seed, w.is_integral
    ('random', 0, True)
    """

    arch: object
    arrays: Mapping
    kind: str = "explicit"
    seed: int | None = None
    bound: int | None = None
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        """Check that every tree node has a matrix of its shape and that shared weights are shared.

        Structural upper bounds (e.g. the symmetric-power bound of a shared shallow net) rely on it.
        """
        check_arch(self.arch)
        if not isinstance(self.kind, str) or not self.kind:
            raise invalid("kind", "a non-empty string ('random', 'witness', 'explicit', 'symbolic', ...)", self.kind)
        for name in ("seed", "bound"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise invalid(name, "a non-negative integer or None", v)
        if not isinstance(self.arrays, Mapping):
            raise invalid("arrays", "a mapping from tree nodes to matrices", type(self.arrays).__name__)
        check_weight_count(self.arch)
        tree = self.arch.tree
        nodes = tree.postorder()
        if set(self.arrays) != set(nodes):
            missing = [v for v in nodes if v not in self.arrays]
            raise invalid("weights", "one matrix per node of the architecture's tree",
                          f"none for node {missing[0]}" if missing else "matrices for unknown nodes")
        first: dict = {}
        exact = {}
        for v in nodes:
            a = self.arrays[v]
            name = f"weights[{v[0]},{v[1]}]"
            if not isinstance(a, np.ndarray) or a.shape != tuple(self.arch.node_shape(v)):
                raise invalid(name, f"a matrix of shape {self.arch.node_shape(v)} (a numpy array)", getattr(a, "shape", a))
            a = exact[v] = a.copy() if self.kind == "symbolic" else exact_array(a, name)
            level = share_class(self.arch, v)
            if self.arch.shared and level in first:
                if not all(x == y for x, y in zip(a.flat, self.arrays[first[level]].flat)):
                    raise invalid("weights", f"equal matrices at every node of level {level[0]} (shared=True)",
                                  f"different matrices at {first[level]} and {v}")
            first.setdefault(level, v)
        for a in exact.values():      # read-only: a validated value cannot be changed behind the routes' back
            a.flags.writeable = False
        # private, read-only copies: later changes to the caller's arrays are not seen, and ours cannot be made
        object.__setattr__(self, "arrays", MappingProxyType(exact))

    def __getitem__(self, node):
        return self.arrays[node]

    @property
    def is_symbolic(self) -> bool:
        """Whether any entry is a sympy expression (not an exact number)."""
        return self.kind == "symbolic"

    @property
    def is_integral(self) -> bool:
        """Whether every entry is a Python ``int``."""
        return not self.is_symbolic and all(
            isinstance(x, int) for a in self.arrays.values() for x in a.flat
        )

    def integral(self) -> "Weights":
        """The same weights with each node's matrix multiplied by its common denominator.

        Scaling a node's matrix by a nonzero constant scales the coefficient tensor by the same
        constant, so every rank is unchanged; modular ranks need integer entries (MATH.md section 4).

        Examples
        --------
        >>> from verifier.nets.architectures import ShallowArch
        >>> a = ShallowArch(N=2, M=2, Z=1)
        >>> w = weights_from_arrays(a, {(0, 0): [["1/2", "1/3"]], (0, 1): [[1, 0]], (1, 0): [[1]]})
        >>> w.integral()[(0, 0)].tolist()
        [[3, 2]]
        """
        if self.is_symbolic:
            raise invalid("weights", "exact numeric weights", "symbolic weights")
        if self.is_integral:
            return self
        out = {}
        for node, a in self.arrays.items():
            d = common_denominator(a.flat)
            out[node] = _obj([[int(x * d) for x in row] for row in a.tolist()], a.shape)
        return Weights(self.arch, out, self.kind, self.seed, self.bound, dict(self.meta))

    def to_dict(self) -> dict:
        """JSON-ready form: node labels as ``"l,j"`` and entries as strings."""
        return {f"{n[0]},{n[1]}": [[str(x) for x in row] for row in a.tolist()] for n, a in self.arrays.items()}


def _obj(rows, shape) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    for i, row in enumerate(rows):
        for k, x in enumerate(row):
            out[i, k] = x
    return out


def random_weights(arch, seed: int = 0, bound: int = DEFAULT_BOUND) -> Weights:
    """Seeded random integer weights, uniform on ``{-bound, .., bound}``.

    With ``arch.shared`` one matrix is drawn per level and repeated at every position of that level.

    Parameters
    ----------
    arch : ShallowArch or DeepArch
    seed : int
        Seed of :class:`random.Random`; the same seed gives the same weights on every machine.
    bound : int
        Half-width of the range (default ``10**6``: narrow ranges hit the exceptional set often).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> a = DeepArch(N=4, M=2, widths=(2, 1), shared=True)
    >>> w = random_weights(a, seed=1, bound=3)
    >>> bool((w[(0, 0)] == w[(0, 3)]).all())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise invalid("seed", "a non-negative integer", seed)
    if isinstance(bound, bool) or not isinstance(bound, int) or bound < 1:
        raise invalid("bound", "a positive integer", bound)
    check_weight_count(arch)
    rng = random.Random(seed)
    tree = arch.tree
    drawn_level: dict = {}
    arrays = {}
    for v in tree.postorder():
        shape = arch.node_shape(v)
        level = share_class(arch, v)
        if arch.shared and level in drawn_level:
            arrays[v] = drawn_level[level].copy()
            continue
        a = _obj([[rng.randint(-bound, bound) for _ in range(shape[1])] for _ in range(shape[0])], shape)
        arrays[v] = a
        drawn_level[level] = a
    return Weights(arch, arrays, "random", seed, bound)


def witness_weights(arch: DeepArch, L_c: int | None = None) -> Weights:
    """The witness of Theorem 1, or of Theorem 2 for depth ``L_c`` (MATH.md section 4).

    All weights are in {0, 1} and position independent (so they also witness the shared net); 0-based
    channels here, 1-based in the paper. With ``r = min(r_0, .., r_{t-1}, M)`` for the *top* level
    ``t = 1`` (Theorem 1, ``L_c=None``) or ``t = L_c`` (Theorem 2):

    * levels ``l < t`` pass channel ``gamma < r`` through: ``a^{l,j,gamma} = e_gamma`` (zero rows otherwise);
    * level ``t``: row 0 is all ones, on all ``r_0`` channels for Theorem 1, on channels ``0..r-1``
      for Theorem 2; other rows zero;
    * higher levels and the output copy channel 0 (``e_0``); every output ``y`` gets the same tensor.

    Theorem 1: ``[phi^{1,j,0}] = D_r = diag(1..1, 0..0)`` with ``r = min(r_0, M)`` ones and
    ``[A] = D_r (.) .. (.) D_r``, of rank ``r^{N/2}``. Theorem 2: ``phi^{L_c-1,j,gamma} = e_gamma^{(x) b}``
    and every level-``L_c`` node's tensor is ``sum_{gamma<r} E_gamma (x) E_gamma`` with distinct basis
    vectors ``E_gamma`` of the merged modes: block rank ``r`` each, so the block matricization has rank
    ``r^{N/2^{L_c}}`` (Lemmas K and R).

    Parameters
    ----------
    arch : DeepArch
        The deep net.
    L_c : int, optional
        ``None`` (default) for the Theorem 1 witness; a depth in ``1..L-1`` for the Theorem 2 witness.

    Raises
    ------
    InvalidArgumentError
        If ``arch`` is not a :class:`DeepArch` or ``L_c`` is not in ``1..L-1``.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> w = witness_weights(DeepArch(N=4, M=3, widths=(2, 2)))
    >>> w[(0, 0)].tolist(), w[(1, 1)].tolist()
    ([[1, 0, 0], [0, 1, 0]], [[1, 1], [0, 0]])
    >>> w = witness_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), L_c=2)
    >>> w[(0, 0)].tolist(), w[(1, 0)].tolist(), w[(2, 0)].tolist(), w[(3, 0)].tolist()
    ([[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 1], [0, 0]], [[1, 0]])
    """
    if not isinstance(arch, DeepArch):
        raise invalid("arch", "a DeepArch (the witnesses of Theorems 1 and 2 are defined for deep nets)",
                      type(arch).__name__)
    check_weight_count(arch)
    if L_c is not None and arch.tree.name != "binary":
        raise invalid("L_c", "None for the {} geometry (the Theorem 2 witness is for the binary tree)".format(
            arch.tree.name), L_c)
    top = 1 if L_c is None else check_depth(L_c, arch.N)
    if not leaves_under_level_one(arch.tree, top):
        raise invalid("arch", f"a geometry whose nodes below level {top} all have their parent one level up "
                      "(the witness is defined level by level)", f"the unbalanced {arch.tree.name} geometry")
    r = min(arch.widths[:top] + (arch.M,))
    tree = arch.tree
    arrays = {}
    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        a = _obj([[0] * cols for _ in range(rows)], (rows, cols))
        level = tree.depth(v)
        outputs = range(rows) if level == arch.L else range(1)  # at the root, every output y
        if level < top:
            for k in range(r):
                a[k, k] = 1
        elif level == top:
            for y in outputs:
                for k in range(cols if L_c is None else r):
                    a[y, k] = 1
        else:
            for y in outputs:
                a[y, 0] = 1
        arrays[v] = a
    meta = {} if L_c is None else {"theorem": 2, "L_c": top}
    return Weights(arch, arrays, "witness", meta=meta)


def weights_from_arrays(arch, mapping: Mapping) -> Weights:
    """Explicit exact weights given by the user.

    Parameters
    ----------
    arch : ShallowArch or DeepArch
    mapping : mapping
        Node ``(l, j)`` (or the string ``"l,j"``) -> nested sequence of exact numbers (``int``,
        ``Fraction``, strings such as ``'3/4'``), of shape ``arch.node_shape(node)``. Every node of the
        architecture's tree must be given. With ``arch.shared`` the matrices of a level must be equal.

    Raises
    ------
    InvalidArgumentError
        For a missing or unknown node, a wrong shape, a non-exact entry or unshared values.

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> a = ShallowArch(N=2, M=1, Z=1)
    >>> weights_from_arrays(a, {"0,0": [[2]], "0,1": [[3]], "1,0": [["1/2"]]})[(1, 0)].tolist()
    [[Fraction(1, 2)]]
    >>> weights_from_arrays(a, {"0,0": [[2]], "0,1": [[3, 1]], "1,0": [[1]]})
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'weights[0,1]' must be a matrix of shape 1 x 1, got 1 x 2.
    """
    check_weight_count(arch)
    if not isinstance(mapping, Mapping):
        raise invalid("weights", "a mapping from tree nodes 'l,j' to matrices", type(mapping).__name__)
    tree = arch.tree
    nodes = tree.postorder()
    given = {}
    for key, value in mapping.items():
        node = key
        if isinstance(key, str):
            parts = key.split(",")
            if len(parts) != 2 or not all(p.strip().isdigit() and len(p) < 12 for p in parts):
                raise invalid("weights", "keys 'l,j' naming tree nodes", key)
            node = tuple(int(p) for p in parts)
        if not isinstance(node, tuple) or node not in tree.graph:
            raise invalid("weights", f"keys naming nodes of the tree ({len(nodes)} nodes)", key)
        given[node] = value
    missing = [v for v in nodes if v not in given]
    if missing:
        raise invalid("weights", "a matrix for every tree node", f"none for node {missing[0]}")
    arrays = {}
    for v in nodes:
        name = f"weights[{v[0]},{v[1]}]"
        rows, cols = arch.node_shape(v)
        value = given[v]
        expected = f"a matrix of shape {rows} x {cols} (a list of {rows} rows, each a list of {cols} numbers)"
        sequence = (list, tuple, np.ndarray)
        if not isinstance(value, sequence) or not all(isinstance(r, sequence) for r in value):
            raise invalid(name, expected, value)
        data = [list(r) for r in value]
        if len(data) != rows or any(len(r) != cols for r in data):
            lengths = sorted({len(r) for r in data})
            got = (f"{len(data)} x {lengths[0]}" if len(lengths) == 1 else
                   f"{len(data)} rows of lengths {', '.join(map(str, lengths[:5]))}" if data else "no rows")
            raise InvalidArgumentError(f"Argument {name!r} must be a matrix of shape {rows} x {cols}, got {got}.")
        arrays[v] = _obj([[to_exact(x, name) for x in r] for r in data], (rows, cols))
    return Weights(arch, arrays, "explicit")  # checks that shared weights are shared


def symbolic_weights(arch) -> Weights:
    """Weights as sympy symbols named as in the paper (1-based), for polynomial identities.

    Deep: ``a^{l,j,gamma}_alpha`` (``a^{l,gamma}_alpha`` when shared), output ``a^{L,1,y}_alpha``.
    Shallow: ``a^{z,i}_d`` (``a^{z}_d`` when shared) and the output ``a^{out,y}_z``.

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> symbolic_weights(ShallowArch(N=2, M=1, Z=1, shared=True))[(0, 1)].tolist()
    [[a^{1}_1]]
    """
    check_weight_count(arch)
    import sympy

    tree = arch.tree
    if arch.shared:
        classes = {}
        for v in tree.postorder():
            if classes.setdefault(v[0], share_class(arch, v)) != share_class(arch, v):
                raise invalid("arch", "shared weights with one matrix shape per level for symbolic names",
                              f"level {v[0]} of the {tree.name} geometry with several shapes")
    arrays = {}
    for v in tree.postorder():
        level, j = v
        rows, cols = arch.node_shape(v)
        a = np.empty((rows, cols), dtype=object)
        for g in range(rows):
            for k in range(cols):
                if arch.net == "shallow":
                    if level == 1:
                        name = f"a^{{out,{g + 1}}}_{k + 1}"
                    else:
                        name = f"a^{{{g + 1}}}_{k + 1}" if arch.shared else f"a^{{{g + 1},{j + 1}}}_{k + 1}"
                elif level == arch.L:
                    name = f"a^{{{level},1,{g + 1}}}_{k + 1}"
                elif arch.shared:
                    name = f"a^{{{level},{g + 1}}}_{k + 1}"
                else:
                    name = f"a^{{{level},{j + 1},{g + 1}}}_{k + 1}"
                a[g, k] = sympy.Symbol(name)
        arrays[v] = a
    return Weights(arch, arrays, "symbolic")
