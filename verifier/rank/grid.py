"""Certified rank of a matricization of the grid tensor of a receptive-field-K ConvAC.

The grid tensor (:func:`~verifier.nets.receptive.grid_tensor`) is built exactly or modulo a prime; its
matricization ``[A]_{I,J}`` gets the same certificates as the 1x1 net's coefficient tensor:

* lower bound: rank mod p of the integer matrix (weights cleared of denominators);
* upper bounds: the matrix shape; the **separation bound** below, valid for ALL weights of the
  architecture (so it bounds the generic rank); a kernel certificate (exact, for the weights at hand); exact
  elimination over Q for small matrices.

**Separation bound** (a separation-rank argument, as in Cohen & Shashua, ICLR 2017, Claims 1-2: the rank of
``[A]_{I,J}`` is the separation rank of ``h_y`` w.r.t. ``(I, J)`` on the grid). For a vector of functions
``v = (v_1..v_c)`` of the one-hot inputs let ``R_I(v)`` be the rank of the matrix with rows ``X_I`` and columns
``(gamma, X_J)`` (entries ``v_gamma(X)``), ``R_J(v)`` the same with ``I, J`` swapped, and ``R_s(v)`` a bound on
the rank of every linear combination ``sum_gamma w_gamma v_gamma``, ``R_1(v) <= R_s(v)`` one on the rank of every
single channel ``v_gamma``. Then, for all weights:

* an input ``e_{d_i}``: ``(R_I, R_J, R_s, R_1) = (M, 1, 1, 1)`` if ``i in I``, ``(1, M, 1, 1)`` if ``i in J``;
* a conv (linear map of the stacked taps ``x = (x_{j}, .., x_{j+K-1})`` to ``r`` channels):
  ``R_I(x) <= sum_k R_I(x_{j+k})`` (likewise ``R_J``, ``R_s``), and ``R_I(out) <= min(R_I(x), r R_s(x))``,
  ``R_J(out) <= min(R_J(x), r R_s(x))``, ``R_s(out), R_1(out) <= R_s(x)``;
* product pooling ``p = a * b`` (channelwise): ``R_I(p) <= R_I(a) R_I(b)``, ``R_J(p) <= R_J(a) R_J(b)``,
  ``R_1(p) <= R_1(a) R_1(b)`` (``rank(fg) <= rank(f) rank(g)``), ``R_s(p) <= c R_1(a) R_1(b)``;
* always ``R_s <= min(R_I, R_J)``; ``R_I <= M^{|I cap S|}`` and ``R_J <= M^{|J cap S|}`` where ``S`` is the set
  of inputs ``v`` depends on; a ``v`` depending on I-inputs only has ``R_J <= 1`` and ``R_I <= c`` (and
  symmetrically);
* the output ``h_y`` (a combination of the root's channels) has ``rank [A^y]_{I,J} <= R_s``.

For ``K = 1`` this is the minimal cut of the HT tree (``min(r_0, M)^{N/2}`` for the paper's ``[A]``,
``min(r_{L-2}, r_{L-1})`` for low/high). It is an upper bound only: when it exceeds the rank reached by
random weights, the generic rank is reported as a range.

Examples
--------
>>> from verifier.nets.receptive import KernelArch
>>> from verifier.exact.tensors import parse_partition
>>> separation_bound(KernelArch(N=8, M=2, widths=(2, 2, 2), kernel=1), parse_partition("low-high", 8))
2
>>> separation_bound(KernelArch(N=8, M=2, widths=(2, 2, 2), kernel=2), parse_partition("low-high", 8))
16
"""

from __future__ import annotations

from ..errors import count_text, invalid
from ..exact.certify import Bound
from ..exact.tensors import (
    DEFAULT_MEMORY_BUDGET,
    Partition,
    check_budget,
    check_partition,
)
from ..nets.coefficients import check_budget_value, check_output_index
from ..nets.receptive import KernelArch, grid_bytes, grid_tensor
from ..nets.weights import check_weights
from .report import RankReport
from .routes.base import dense_certificate


def separation_bound(arch: KernelArch, partition: Partition) -> int:
    """Upper bound on ``rank [A^y]_{I,J}`` of the grid tensor, valid for all weights (module docstring).

    Examples
    --------
    >>> from verifier.nets.receptive import KernelArch
    >>> from verifier.exact.tensors import parse_partition
    >>> separation_bound(KernelArch(N=8, M=3, widths=(2, 1, 1), kernel=1), parse_partition("odd-even", 8))
    16
    """
    if not isinstance(arch, KernelArch):
        raise invalid("arch", "a KernelArch", type(arch).__name__)
    partition = check_partition(partition, arch.N)
    rows = set(partition.rows)
    M = arch.M

    def normalize(supp, dim, ri, rj, rs, one):
        n_i = sum(1 for i in supp if i in rows)
        n_j = len(supp) - n_i
        ri, rj = min(ri, M ** n_i), min(rj, M ** n_j)
        if n_j == 0:
            ri, rj = min(ri, dim), min(rj, 1)
        if n_i == 0:
            ri, rj = min(ri, 1), min(rj, dim)
        rs = min(rs, ri, rj)
        return (supp, dim, ri, rj, rs, min(one, rs))

    x = [normalize(frozenset({i}), M, M, M, M, M) for i in range(arch.N)]
    K = arch.kernel
    for level in range(arch.L):
        n, r = len(x), arch.widths[level]
        conv = []
        for j in range(n):
            taps = [x[j + k] for k in range(K) if j + k < n]
            supp = frozenset().union(*(t[0] for t in taps))
            ri, rj, rs = (sum(t[q] for t in taps) for q in (2, 3, 4))
            conv.append(normalize(supp, r, min(ri, r * rs), min(rj, r * rs), rs, rs))
        x = []
        for j in range(n // 2):
            a, b = conv[2 * j], conv[2 * j + 1]
            one = a[5] * b[5]
            x.append(normalize(a[0] | b[0], r, a[2] * b[2], a[3] * b[3], r * one, one))
    return x[0][4]


def generic_upper_bound(arch: KernelArch, partition: Partition) -> Bound:
    """The best structural upper bound (valid for ALL weights, hence on the generic rank): the separation
    bound or the interface bound, whichever is smaller.

    Examples
    --------
    >>> from verifier.nets.receptive import KernelArch
    >>> from verifier.exact.tensors import parse_partition
    >>> b = generic_upper_bound(KernelArch(N=8, M=2, widths=(1, 1, 1), kernel=2), parse_partition("low-high", 8))
    >>> b.value, b.method
    (5, 'structure: interface bound of the receptive-field-2 net')
    """
    sep, inter = separation_bound(arch, partition), interface_bound(arch, partition)
    which = "interface" if inter < sep else "separation"
    return Bound(min(sep, inter), f"structure: {which} bound of the receptive-field-{arch.kernel} net")


def check_grid_budget(arch: KernelArch, partition: Partition, memory_budget: int = DEFAULT_MEMORY_BUDGET) -> None:
    """Refuse, before anything is built, a grid tensor and matricization over the memory budget.

    Examples
    --------
    >>> from verifier.nets.receptive import KernelArch
    >>> from verifier.exact.tensors import parse_partition
    >>> check_grid_budget(KernelArch(N=64, M=2, widths=(2,) * 6, kernel=2), parse_partition("odd-even", 64))
    ...                                              # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    verifier.errors.SizeLimitError: Arguments 'N', 'M': the grid tensor's 4294967296 x 4294967296 matricization (M^N = 2^64) needs about 10^21 bytes, over the memory budget of 8589934592 bytes (8 GiB); use a smaller N or M.
    """
    memory_budget = check_budget_value(memory_budget)
    n_rows, n_cols = partition.shape(arch.M)
    check_budget(grid_bytes(arch, 2) + 8 * n_rows * n_cols, memory_budget,
                 f"the grid tensor's {count_text(n_rows)} x {count_text(n_cols)} matricization (M^N = {arch.M}^{arch.N})",
                 "use a smaller N or M", name="N, M")


def grid_rank(weights, partition: Partition, output: int = 0, engine=None,
              memory_budget: int = DEFAULT_MEMORY_BUDGET, primes=None, point_certificate: bool = True) -> RankReport:
    """Certified rank of ``[A^y]_{I,J}`` for the grid tensor of a receptive-field-K net (route ``grid``).

    Parameters
    ----------
    weights : Weights
        Exact weights of a :class:`~verifier.nets.receptive.KernelArch`.
    partition : Partition
        Any bipartition of the N modes.
    output : int
        0-based output ``y``.
    engine, memory_budget, primes
        As for :func:`~verifier.rank.matricization.matricization_rank`.
    point_certificate : bool
        Try a kernel certificate / exact elimination for the weights at hand when the structural bound is
        not met (default). Off: only mod p and the structural bound (fast; what the generic-rank table needs).

    Raises
    ------
    SizeLimitError
        When the grid tensor and its matricization do not fit the budget (refused before building).

    Examples
    --------
    >>> from verifier.nets.receptive import KernelArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> a = KernelArch(N=8, M=2, widths=(1, 1, 1), kernel=2)
    >>> c = grid_rank(random_weights(a, seed=0), parse_partition("low-high", 8)).certificate
    >>> c.rank, c.upper.method   # 1 for the 1x1 net (K = 1)
    (5, 'structure: interface bound of the receptive-field-2 net')
    >>> c = grid_rank(random_weights(a.__class__(N=8, M=2, widths=(2, 2, 2), kernel=2), seed=0),
    ...               parse_partition("low-high", 8)).certificate
    >>> c.rank, c.upper.method   # certified for these weights; the structural bound is 16
    (9, 'kernel certificate: 7 independent vector(s) with A K = 0 exactly (flint)')
    """
    arch = check_weights(weights).arch
    if not isinstance(arch, KernelArch):
        raise invalid("weights", "weights of a KernelArch", f"weights of a {type(arch).__name__}")
    if weights.is_symbolic:
        raise invalid("weights", "exact numeric weights", "symbolic weights")
    partition = check_partition(partition, arch.N)
    output = check_output_index(output, arch)
    n_rows, n_cols = partition.shape(arch.M)
    check_grid_budget(arch, partition, memory_budget)
    iw = weights.integral()
    uppers = [generic_upper_bound(arch, partition)]

    limits = {} if point_certificate else {"kernel_limit": 0, "exact_q_limit": 0}
    cert = dense_certificate(lambda p: grid_tensor(iw, output, modulus=p, memory_budget=memory_budget),
                             arch, partition, uppers, engine=engine, primes=primes, **limits)
    return RankReport(arch, weights.kind, weights.seed, weights.bound, partition, output, "grid", cert)


def _span_bound(arch: KernelArch, side: frozenset, merge: bool) -> int:
    """Dimension bound of the space of functions of the ``side`` inputs that ``h_y(X)`` can be, as the
    other inputs vary (the rank of ``[A]`` with ``side`` as columns), for ALL weights.

    Each activation's space is a sum of blocks ``F(S) * g_1 * .. * g_m``: ``F(S)`` all functions of the inputs
    in ``S`` (dimension ``M^|S|``) times products of *atoms*, the channel spans of activations that depend on
    ``side`` inputs only (an atom of ``c`` channels spans at most ``c`` functions). A convolution's space is
    the sum of its taps' spaces, a product pooling's the products of blocks; a block whose atoms depend only
    on inputs in ``S`` collapses into ``F(S)`` (one-hot inputs: any function of those inputs is in ``F(S)``), an
    atom spanning all functions of its inputs is one, and blocks inside other blocks are dropped.
    """
    M, K = arch.M, arch.kernel
    atoms: dict = {}  # atom id -> (variables, dimension)

    def block_dim(block) -> int:
        S, ids = block
        vars_ = set(S).union(*(atoms[a][0] for a in ids)) if ids else set(S)
        prod = M ** len(S)
        for a in ids:
            prod *= atoms[a][1]
        return min(prod, M ** len(vars_))

    def simplify(blocks) -> frozenset:
        out = set()
        for S, ids in blocks:
            S = frozenset(S).union(*(atoms[a][0] for a in ids if atoms[a][1] >= M ** len(atoms[a][0])))
            out.add((S, tuple(sorted(a for a in ids if not atoms[a][0] <= S))))

        def inside(b, c) -> bool:  # F(S_b) * g_b lies in F(S_c) * g_c
            rest = list(b[1])
            for a in c[1]:
                if a not in rest:
                    return False
                rest.remove(a)
            return b[0].union(*(atoms[a][0] for a in rest)) <= c[0]

        return frozenset(b for b in out if not any(c != b and inside(b, c) for c in out))

    def space(supp, dim, blocks):
        """Pure ``side`` activations become atoms (the third entry names it); pure other-side ones are constants."""
        if not supp & side:
            return (supp, frozenset({(frozenset(), ())}), None)
        if supp <= side:
            atoms[len(atoms)] = (frozenset(supp), min(dim, M ** len(supp)))
            return (supp, frozenset({(frozenset(), (len(atoms) - 1,))}), len(atoms) - 1)
        return (supp, blocks, None)

    x = [space(frozenset({i}), M, None) for i in range(arch.N)]
    for level in range(arch.L):
        n, r = len(x), arch.widths[level]
        conv = []
        for j in range(n):
            taps = [x[j + k] for k in range(K) if j + k < n]
            supp = frozenset().union(*(t[0] for t in taps))
            pure = [t for t in taps if t[0] <= side]
            blocks = set().union(*(t[1] for t in taps if not merge or t not in pure))
            if merge and pure and len(pure) < len(taps):  # the pure taps enter through r combinations: one atom
                vars_ = frozenset().union(*(t[0] for t in pure))
                atoms[len(atoms)] = (vars_, min(r, sum(atoms[t[2]][1] for t in pure), M ** len(vars_)))
                blocks.add((frozenset(), (len(atoms) - 1,)))
            conv.append(space(supp, r, simplify(blocks)))
        x = []
        for j in range(n // 2):
            (sa, ba, _), (sb, bb, _) = conv[2 * j], conv[2 * j + 1]
            prod = {(S | T, ids + jds) for S, ids in ba for T, jds in bb}
            if len(prod) > 4096:  # keep the work bounded: all functions of the side inputs involved
                prod = {(frozenset((sa | sb) & side), ())}
            x.append(space(sa | sb, r, simplify(prod)))
    supp, blocks, _ = x[0]
    return min(sum(block_dim(b) for b in blocks), M ** len(supp & side))


def interface_bound(arch: KernelArch, partition: Partition) -> int:
    """Upper bound on ``rank [A^y]_{I,J}`` of the grid tensor from the function spaces of both sides
    (:func:`_span_bound` with the columns' and with the rows' inputs, pure taps merged or not), valid for all
    weights.

    Examples
    --------
    >>> from verifier.nets.receptive import KernelArch
    >>> from verifier.exact.tensors import parse_partition
    >>> interface_bound(KernelArch(N=8, M=2, widths=(1, 1, 1), kernel=2), parse_partition("low-high", 8))
    5
    """
    if not isinstance(arch, KernelArch):
        raise invalid("arch", "a KernelArch", type(arch).__name__)
    return min(_span_bound(arch, frozenset(side), merge) for side in (partition.cols, partition.rows)
               for merge in (False, True))
