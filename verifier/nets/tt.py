"""Tensor-train (TT, MPS) networks: a recurrent net with multiplicative interactions, as a ConvAC on a caterpillar.

Khrulkov, Novikov & Oseledets, *Expressive power of recurrent neural networks* (ICLR 2018, arXiv 1711.00811),
model a recurrent network with multiplicative cells by the tensor-train decomposition of the coefficient tensor

.. math:: A[d_1, .., d_N] = G_1[d_1]\\, G_2[d_2] \\cdots G_N[d_N],

with open-boundary cores ``G_1`` (``M x 1 x r_1``), ``G_i`` (``M x r_{i-1} x r_i``), ``G_N`` (``M x r_{N-1} x 1``)
and bonds (TT-ranks) ``r_1..r_{N-1}``. With ``shared=True`` the inner cores ``G_2..G_{N-1}`` are one core (an
RNN shares its cell; the bonds must then be equal).

Conventions: sites, legs and channels are 0-based in code (``cores[0]`` is the paper's ``G_1``); a core is an
exact object array of shape ``(M, r_left, r_right)``, indexed ``core[d, beta, gamma]``. The matricization
convention is the package's (:mod:`verifier.exact.tensors`).

The embedding (why nothing downstream needs to know about TT): a TT is a ConvAC on a *caterpillar* mode tree
(:func:`caterpillar_tree`) whose internal node ``T_s`` (site ``s >= 2``, 1-based) pools the selector node
``U_{s-1}`` and the leaf of site ``s`` on ``r_{s-1} M`` channels ``alpha = (beta, d)`` (index ``beta M + d``):

* ``U_k`` (bond ``k``, one child) has weights ``[(beta, d), beta'] = [beta = beta']``: it copies bond channel
  ``beta`` to every ``(beta, d)``;
* the leaf of site ``s >= 2`` has weights ``[(beta, d), d'] = [d = d']`` (``e_d``), the leaf of site 1 the
  rows of ``G_1`` (``r_1 x M``);
* ``T_s`` has the core reshaped, ``W[g, (beta, d)] = G_s[d, beta, g]`` (``r_s x r_{s-1} M``; the root ``T_N``:
  ``1 x r_{N-1} M``).

Then ``phi_{T_s}^g = sum_{beta,d} G_s[d, beta, g] phi_{T_{s-1}}^beta (x) e_d``, the TT recursion, so the
tree's coefficient tensor IS the TT (tested entry by entry). In the tree's tensor network the bond between
``T_s``'s matrix and ``U_s``'s copy tensor has dimension ``r_s`` and each leg ``M``, so its min-cut is the TT's
own (:func:`tt_min_cut`, an exact dynamic programme on the chain; tested equal).

Node labels: leaves ``(0, i)``; ``U_k`` is ``(2k - 1, 0)``; ``T_s`` is ``(2s - 2, 0)`` (each label is the node's
height). The root is ``T_N = (2N - 2, 0)``.

Examples
--------
>>> a = TTArch(N=4, M=2, bonds=(3,))
>>> a.bonds, a.n_weights, a.node_shape((6, 0))
((3, 3, 3), 48, (1, 6))
>>> w = tt_random_weights(a, seed=0, bound=5)
>>> from verifier.nets.coefficients import coefficient_tensor
>>> bool((coefficient_tensor(w) == tt_tensor(tt_cores(w))).all())
True
"""

from __future__ import annotations

import numbers
import random
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from ..errors import InvalidArgumentError, check_size, invalid, show
from ..exact.fields import to_exact
from .architectures import _check_positions, _LayeredArch, _positive_int
from .trees import ModeTree, Node
from .weights import DEFAULT_BOUND, MAX_WEIGHT_ENTRIES, Weights, check_weight_count, check_weights

TT_GEOMETRY = "tt"


def caterpillar_tree(n_modes: int) -> ModeTree:
    """The TT's mode tree: ``T_s`` pools ``U_{s-1}`` (one child: ``T_{s-1}``, or leaf 0 for ``s = 2``) and leaf ``s-1``.

    Examples
    --------
    >>> t = caterpillar_tree(3)
    >>> t.root, t.children(t.root), t.children((3, 0)), t.children((1, 0))
    ((4, 0), ((3, 0), (0, 2)), ((2, 0),), ((0, 0),))
    >>> t.nested()
    ((((1,), 2),), 3)
    """
    if isinstance(n_modes, bool) or not isinstance(n_modes, int) or n_modes < 2:
        raise invalid("N", "an integer >= 2 (a tensor train has at least two sites)", n_modes)
    g = nx.DiGraph()
    for i in range(n_modes):
        g.add_node((0, i), modes=(i,), height=0)
    below = (0, 0)
    for s in range(2, n_modes + 1):  # 1-based site s: U_{s-1} above `below`, then T_s
        u, t = (2 * s - 3, 0), (2 * s - 2, 0)
        g.add_node(u, children=(below,), modes=g.nodes[below]["modes"], height=2 * s - 3)
        g.add_edge(u, below)
        kids = (u, (0, s - 1))
        g.add_node(t, children=kids, modes=g.nodes[below]["modes"] + (s - 1,), height=2 * s - 2)
        g.add_edges_from((t, k) for k in kids)
        below = t
    return ModeTree(g, below, TT_GEOMETRY)


def check_bonds(bonds, N: int, name: str = "bonds") -> tuple:
    """``bonds``: one positive integer (every bond) or ``N - 1`` of them, as a tuple of ``N - 1``.

    Examples
    --------
    >>> check_bonds(2, 4), check_bonds((1, 2, 3), 4)
    ((2, 2, 2), (1, 2, 3))
    >>> check_bonds((1, 2), 4)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'bonds' must have 1 or N-1 = 3 entries for N = 4, got 2: (1, 2).
    """
    if isinstance(bonds, numbers.Integral) and not isinstance(bonds, bool):
        bonds = (bonds,)
    try:
        bonds = tuple(bonds)
    except TypeError:
        raise invalid(name, "a positive integer or a sequence of N-1 positive integers", bonds) from None
    bonds = tuple(_positive_int(b, name) for b in bonds)
    if len(bonds) == 1:
        bonds = bonds * (N - 1)
    if len(bonds) != N - 1:
        raise InvalidArgumentError(f"Argument {name!r} must have 1 or N-1 = {N - 1} entries for N = {N}, "
                                   f"got {len(bonds)}: {show(bonds)}.")
    return bonds


@dataclass(frozen=True)
class TTArch(_LayeredArch):
    """A tensor-train (TT / MPS) network: N sites, M legs, bonds ``r_1..r_{N-1}`` (Khrulkov et al., ICLR 2018).

    Parameters
    ----------
    N : int
        Number of sites (positions), at least 2.
    M : int
        Leg dimension (representation functions).
    bonds : int or sequence of int
        One bond for all, or ``r_1..r_{N-1}``.
    shared : bool
        One core ``G`` for the inner sites ``2..N-1`` (an RNN's shared cell); needs equal bonds.

    Attributes ``widths`` (the bonds) and ``tree`` (:func:`caterpillar_tree`) are what the tree-generic code
    reads; ``Y`` is 1.

    Examples
    --------
    >>> TTArch(N=3, M=2, bonds=(2, 3))
    TTArch(N=3, M=2, widths=(2, 3), Y=1, shared=False)
    >>> TTArch(N=3, M=2, bonds=(2, 3), shared=True)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'bonds' must be equal bonds for a shared TT (one inner core), got (2, 3).
    """

    widths: tuple = None
    bonds: tuple = field(default=None, kw_only=True, repr=False)

    net = "tt"

    def __post_init__(self):
        if isinstance(self.N, bool) or not isinstance(self.N, numbers.Integral) or self.N < 2:
            raise invalid("N", "an integer >= 2 (a tensor train has at least two sites)", self.N)
        object.__setattr__(self, "N", int(self.N))
        _check_positions(self.N)
        object.__setattr__(self, "M", _positive_int(self.M, "M"))
        if self.Y != 1:
            raise invalid("Y", "1 for a tensor train (its last core has one output)", self.Y)
        if not isinstance(self.shared, bool):
            raise invalid("shared", "a bool", self.shared)
        given = self.bonds if self.bonds is not None else self.widths
        if given is None:
            raise invalid("bonds", "a positive integer or N-1 positive integers", None)
        bonds = check_bonds(given, self.N)
        if self.shared and len(set(bonds)) > 1:
            raise invalid("bonds", "equal bonds for a shared TT (one inner core)", bonds)
        if self.shared and self.M == 1:  # the embedding's leaves would form one sharing class (same shape)
            raise invalid("M", "at least 2 for a shared TT (M = 1 is a scalar chain; use shared=False)", self.M)
        object.__setattr__(self, "widths", bonds)
        object.__setattr__(self, "bonds", bonds)
        b = (1,) + bonds + (1,)
        M = self.M
        entries = b[1] * M + sum(b[s - 1] * M * (b[s - 1] + M + b[s]) for s in range(2, self.N + 1))
        check_size("N, M, bonds", entries, MAX_WEIGHT_ENTRIES, f"the weights of the TT (N={self.N}, M={show(M, 20)}, "
                   f"bonds={show(bonds[0], 20) if len(set(bonds)) == 1 else show(bonds, 40)})", "entries",
                   "use smaller sizes (the structure of the statements does not depend on them)")
        object.__setattr__(self, "tree", caterpillar_tree(self.N))

    def bond(self, k: int) -> int:
        """``r_k`` for ``k = 0..N`` (``r_0 = r_N = 1``)."""
        return 1 if k in (0, self.N) else self.bonds[k - 1]

    def core_shape(self, site: int) -> tuple:
        """Shape ``(M, r_site, r_{site+1})`` of the 0-based site's core."""
        return (self.M, self.bond(site), self.bond(site + 1))

    def node_shape(self, node: Node) -> tuple[int, int]:
        """Shape of the embedded weight matrix at a caterpillar node (module docstring)."""
        return self._node_shape(node)

    def _node_shape(self, node: Node) -> tuple[int, int]:
        level, j = node
        M = self.M
        if level == 0:
            return (self.bond(1), M) if j == 0 else (self.bond(j) * M, M)
        if level % 2:  # U_k, k = (level + 1) / 2
            k = (level + 1) // 2
            return (self.bond(k) * M, self.bond(k))
        s = level // 2 + 1  # T_s, 1-based site
        return (self.bond(s), self.bond(s - 1) * M)

    def node_dim(self, node: Node) -> int:
        """Channels of the copy tensor at an internal node: ``r_{s-1} M`` at ``T_s``, ``r_k`` at ``U_k``."""
        return self.node_shape(node)[1]

    @property
    def L(self) -> int:
        """Height of the caterpillar (``2N - 2``)."""
        return self.tree.height

    @property
    def n_weights(self) -> int:
        """Parameters of the TT (Khrulkov et al.): ``sum_i M r_{i-1} r_i``; shared, the inner core once.

        Examples
        --------
        >>> TTArch(N=5, M=2, bonds=3).n_weights, TTArch(N=5, M=2, bonds=3, shared=True).n_weights
        (66, 30)
        """
        sizes = [self.M * self.bond(i) * self.bond(i + 1) for i in range(self.N)]
        if self.shared and self.N > 2:
            return sizes[0] + sizes[-1] + sizes[1]
        return sum(sizes)

    @property
    def n_entries(self) -> int:
        """Entries of the embedded :class:`~verifier.nets.weights.Weights` (what building them costs)."""
        return sum(r * c for r, c in (self.node_shape(v) for v in self.tree.postorder()))

    def to_dict(self) -> dict:
        """JSON-ready description."""
        return {"net": "tt", "N": self.N, "M": self.M, "bonds": list(self.bonds), "Y": 1, "shared": self.shared}


def check_tt_arch(arch, name: str = "arch") -> TTArch:
    """``arch`` must be a :class:`TTArch`."""
    if not isinstance(arch, TTArch):
        raise invalid(name, "a TTArch", type(arch).__name__)
    return arch


def _zeros(shape) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    out.fill(0)
    return out


def check_cores(arch: TTArch, cores, name: str = "cores") -> list:
    """Exact cores of the architecture's shapes (nested sequences or arrays; entries int, Fraction or ``"3/4"``).

    Examples
    --------
    >>> check_cores(TTArch(N=2, M=1, bonds=1), [[[[1]]], [[[2, 3]]]])
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'cores[1]' must be an array of shape 1 x 1 x 1 (M x r_left x r_right), got shape 1x1x2.
    """
    check_tt_arch(arch)
    if isinstance(cores, (str, bytes)) or not hasattr(cores, "__len__") or len(cores) != arch.N:
        got = f"{len(cores)} cores" if hasattr(cores, "__len__") and not isinstance(cores, (str, bytes)) else cores
        raise invalid(name, f"a list of N = {arch.N} cores", got)
    out = []
    for i, core in enumerate(cores):
        shape = arch.core_shape(i)
        what = f"{name}[{i}]"
        try:
            a = np.array(core, dtype=object)
        except (ValueError, TypeError):
            a = None
        if a is None or a.shape != shape:
            got = "a ragged array" if a is None else "shape " + "x".join(map(str, a.shape))
            raise InvalidArgumentError(f"Argument {what!r} must be an array of shape {shape[0]} x {shape[1]} x "
                                       f"{shape[2]} (M x r_left x r_right), got {got}.")
        e = np.empty(shape, dtype=object)
        for idx, x in np.ndenumerate(a):
            e[idx] = to_exact(x, what)
        out.append(e)
    if arch.shared and arch.N > 2:
        first = out[1]
        for i in range(2, arch.N - 1):
            if not all(x == y for x, y in zip(out[i].flat, first.flat)):
                raise invalid(name, "equal inner cores G_2..G_{N-1} (shared=True)", f"different cores at sites 2 and {i + 1}")
    return out


def tt_weights(arch: TTArch, cores, kind: str = "explicit", seed=None, bound=None, meta=None) -> Weights:
    """The caterpillar weights (module docstring) of a TT given by its cores.

    Examples
    --------
    >>> a = TTArch(N=2, M=2, bonds=1)
    >>> w = tt_weights(a, [[[[1]], [[2]]], [[[3]], [[4]]]])
    >>> w[(0, 0)].tolist(), w[(1, 0)].tolist(), w[(0, 1)].tolist(), w[(2, 0)].tolist()
    ([[1, 2]], [[1], [1]], [[1, 0], [0, 1]], [[3, 4]])
    """
    check_weight_count(arch)
    cores = check_cores(arch, cores)
    M = arch.M
    arrays = {}
    g1 = cores[0]
    leaf0 = _zeros((arch.bond(1), M))
    for d in range(M):
        for b in range(arch.bond(1)):
            leaf0[b, d] = g1[d, 0, b]
    arrays[(0, 0)] = leaf0
    for s in range(2, arch.N + 1):
        left, right = arch.bond(s - 1), arch.bond(s)
        sel = _zeros((left * M, left))
        leg = _zeros((left * M, M))
        for b in range(left):
            for d in range(M):
                sel[b * M + d, b] = 1
                leg[b * M + d, d] = 1
        arrays[(2 * s - 3, 0)] = sel
        arrays[(0, s - 1)] = leg
        core = cores[s - 1]
        t = _zeros((right, left * M))
        for g in range(right):
            for b in range(left):
                for d in range(M):
                    t[g, b * M + d] = core[d, b, g]
        arrays[(2 * s - 2, 0)] = t
    return Weights(arch, arrays, kind, seed, bound, dict(meta or {}, cores=True))


def is_tt_embedding(weights) -> bool:
    """Whether ``weights`` are TT weights in the caterpillar form: the selector and leg nodes exactly as in the
    module docstring (then :func:`tt_cores` reads the cores off the ``T_s`` nodes and site 0's leaf).

    Examples
    --------
    >>> is_tt_embedding(tt_random_weights(TTArch(N=3, M=2, bonds=2), seed=1))
    True
    """
    arch = check_weights(weights, numeric=True).arch
    if not isinstance(arch, TTArch):
        return False
    M = arch.M
    for s in range(2, arch.N + 1):
        left = arch.bond(s - 1)
        sel, leg = weights[(2 * s - 3, 0)], weights[(0, s - 1)]
        for b in range(left):
            for d in range(M):
                row = b * M + d
                if any(sel[row, c] != (1 if c == b else 0) for c in range(left)):
                    return False
                if any(leg[row, c] != (1 if c == d else 0) for c in range(M)):
                    return False
    return True


def tt_cores(weights) -> list:
    """The cores of TT weights in caterpillar form (raises when the weights are not in that form).

    Examples
    --------
    >>> a = TTArch(N=2, M=2, bonds=1)
    >>> [c.tolist() for c in tt_cores(tt_weights(a, [[[[1]], [[2]]], [[[3]], [[4]]]]))]
    [[[[1]], [[2]]], [[[3]], [[4]]]]
    """
    if not is_tt_embedding(weights):
        raise invalid("weights", "TT weights in caterpillar form (tt_weights, tt_random_weights, ..)",
                      "weights whose selector or leg nodes are not the TT embedding")
    arch = weights.arch
    M = arch.M
    cores = []
    first = _zeros(arch.core_shape(0))
    for d in range(M):
        for b in range(arch.bond(1)):
            first[d, 0, b] = weights[(0, 0)][b, d]
    cores.append(first)
    for s in range(2, arch.N + 1):
        core = _zeros(arch.core_shape(s - 1))
        t = weights[(2 * s - 2, 0)]
        for g in range(core.shape[2]):
            for b in range(core.shape[1]):
                for d in range(M):
                    core[d, b, g] = t[g, b * M + d]
        cores.append(core)
    return cores


def tt_random_weights(arch: TTArch, seed: int = 0, bound: int = DEFAULT_BOUND) -> Weights:
    """Seeded random integer cores uniform on ``{-bound..bound}`` (``random.Random(seed)``, cores in site order,
    entries in C order ``d, beta, gamma``); shared: ``G_1``, then the inner core once, then ``G_N``.

    Examples
    --------
    >>> w = tt_random_weights(TTArch(N=4, M=2, bonds=2, shared=True), seed=3, bound=9)
    >>> c = tt_cores(w)
    >>> bool((c[1] == c[2]).all()), w.kind, w.seed
    (True, 'random', 3)
    """
    check_tt_arch(arch)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise invalid("seed", "a non-negative integer", seed)
    if isinstance(bound, bool) or not isinstance(bound, int) or bound < 1:
        raise invalid("bound", "a positive integer", bound)
    check_weight_count(arch)
    rng = random.Random(seed)

    def draw(shape):
        a = np.empty(shape, dtype=object)
        for idx in np.ndindex(*shape):
            a[idx] = rng.randint(-bound, bound)
        return a

    if arch.shared and arch.N > 2:
        first, inner = draw(arch.core_shape(0)), draw(arch.core_shape(1))
        cores = [first] + [inner.copy() for _ in range(arch.N - 2)] + [draw(arch.core_shape(arch.N - 1))]
    else:
        cores = [draw(arch.core_shape(i)) for i in range(arch.N)]
    return tt_weights(arch, cores, "random", seed, bound)


def tt_witness_cores(arch: TTArch) -> list:
    """The TT witness: pairs of sites ``(2k-1, 2k)`` (1-based) joined by ``q = min(r, M)`` channels, the bonds
    between pairs carrying channel 0 only, so ``A = D_q (x) D_q (x) .. (x) D_q`` (``D_q = diag(1..1, 0..0)``,
    q ones) and the odd/even matricization has rank ``q^{N/2}`` (Lemmas K and R). Needs N even; ``q`` is the
    smallest bond ``r_{2k-1}`` inside a pair, capped by M. All entries are 0 or 1.

    Examples
    --------
    >>> from verifier.nets.coefficients import coefficient_tensor
    >>> a = TTArch(N=2, M=3, bonds=2)
    >>> A = tt_tensor(tt_witness_cores(a))
    >>> A.tolist()
    [[1, 0, 0], [0, 1, 0], [0, 0, 0]]
    """
    check_tt_arch(arch)
    if arch.N % 2:
        raise invalid("N", "an even number of sites for the TT witness (pairs of sites)", arch.N)
    q = min(min(arch.bond(2 * k + 1) for k in range(arch.N // 2)), arch.M)
    cores = []
    for i in range(arch.N):
        core = _zeros(arch.core_shape(i))
        for d in range(q):
            if i % 2 == 0:  # first site of a pair: incoming channel 0 -> outgoing channel d
                core[d, 0, d] = 1
            else:  # second site: channel d -> outgoing channel 0
                core[d, d, 0] = 1
        cores.append(core)
    return cores


def tt_witness_weights(arch: TTArch) -> Weights:
    """:func:`tt_witness_cores` as caterpillar weights (kind ``'witness'``).

    Examples
    --------
    >>> tt_witness_weights(TTArch(N=4, M=2, bonds=2)).kind
    'witness'
    """
    return tt_weights(arch, tt_witness_cores(arch), "witness")


def tt_tensor(cores, modulus: int | None = None) -> np.ndarray:
    """The TT contraction ``A[d_1..d_N] = G_1[d_1] .. G_N[d_N]`` directly (exact, or int64 residues mod ``modulus``).

    Independent of the tree code (a left-to-right sweep of matrix products); callers bound ``M^N``.

    Examples
    --------
    >>> tt_tensor([np.array([[[1, 2]], [[0, 1]]], dtype=object),
    ...            np.array([[[1], [1]], [[2], [0]]], dtype=object)]).tolist()
    [[3, 2], [1, 0]]
    """
    cur = None  # shape (M^s, r_s)
    for core in cores:
        c = np.asarray(core, dtype=object)
        if modulus is not None:
            c = (c % modulus).astype(np.int64)
        M, left, right = c.shape
        if cur is None:
            cur = c[:, 0, :]
            continue
        nxt = np.einsum("pb,dbg->pdg", cur, c) if modulus is None else np.einsum("pb,dbg->pdg", cur, c) % modulus
        cur = nxt.reshape(-1, right)
    out = cur[:, 0]
    M = np.asarray(cores[0]).shape[0]
    return out.reshape((M,) * len(cores))


def tt_forward(cores, reps) -> object:
    """The recurrent forward pass: ``h_0 = (1)``, ``h_s = sum_d f_d(x_s) G_s[d]^T h_{s-1}``, score ``h_N``.

    ``reps[i][d] = f_d(x_i)`` (exact numbers). This is the RNN of Khrulkov et al. (its cell is bilinear in the
    state and the input), computed without forming the tensor.

    Examples
    --------
    >>> cores = [np.array([[[1, 2]], [[0, 1]]], dtype=object), np.array([[[1], [1]], [[2], [0]]], dtype=object)]
    >>> tt_forward(cores, [[1, 0], [0, 1]])   # = A[0, 1]
    2
    """
    h = np.array([1], dtype=object)
    for core, rep in zip(cores, reps):
        c = np.asarray(core, dtype=object)
        h = sum((to_exact(rep[d], "reps") * c[d].T.dot(h) for d in range(c.shape[0])),
                np.zeros(c.shape[2], dtype=object))
    return h[0]


def tt_min_cut(arch: TTArch, rows) -> int:
    """The TT's own min-cut: every site to one side, cost ``M`` per leg whose mode is on the other side and ``r_k``
    per bond joining sites on different sides; the minimal product by an exact dynamic programme on the chain.

    ``rows``: 0-based modes of ``I``. ``rank [A]_{I,J} <=`` this for all cores (Levine et al., ICLR 2018, Claim 1).

    Examples
    --------
    >>> tt_min_cut(TTArch(N=8, M=3, bonds=3), {0, 2, 4, 6}), tt_min_cut(TTArch(N=8, M=2, bonds=3), {0, 1, 2, 3})
    (81, 3)
    """
    check_tt_arch(arch)
    rows = frozenset(rows)
    best = {}
    for s in range(arch.N):
        mine = s in rows
        new = {}
        for side in (True, False):
            leg = 1 if side == mine else arch.M
            if s == 0:
                new[side] = leg
            else:
                new[side] = leg * min(best[side], best[not side] * arch.bond(s))
        best = new
    return min(best.values())
