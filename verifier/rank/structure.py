"""Ranks through structure: Kronecker factorizations of coefficient tensors (Lemmas K and R).

Cohen, Sharir & Shashua (COLT 2016), proof of Theorem 1: for the witness weights the tensor is an
outer product of level-1 tensors, ``A = c * phi_1 (x) .. (x) phi_{N/2}``, so by Lemma K
``[A] = c * [phi_1] (.) .. (.) [phi_{N/2}]`` (up to a permutation of rows and columns for a general
partition, ICLR 2017 eq. 1), and by Lemma R its rank is the product of the factors' ranks. This
module finds such a factorization directly from the weights, in time polynomial in N, without
building the ``M^N`` entries: starting at the output, as long as the active channel's weight row has
exactly one nonzero entry, the node's tensor is that entry times the outer product of its children's
tensors on one channel, and the descent continues into each child. Where a row has several nonzero
entries the descent stops and that subtree's tensor (small) becomes a factor.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import witness_weights
>>> from verifier.exact.tensors import parse_partition
>>> w = witness_weights(DeepArch(N=1024, M=3, widths=(2,) * 10))
>>> c = kronecker_rank(w, parse_partition("odd-even", 1024))
>>> c.rank == 2**512, c.upper.method
(True, 'Lemmas K and R: product of 512 factor ranks (1 distinct factor(s), each by kernel certificate)')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..exact.certify import Bound, RankCertificate, certify_matrix_rank
from ..exact.tensors import Partition, check_partition
from ..nets.coefficients import check_output_index, subtree_tensor
from ..nets.weights import check_weights

#: Largest number of entries of one factor tensor built densely by the structural route.
FACTOR_ENTRY_LIMIT = 2**12


@dataclass(frozen=True)
class KroneckerFactor:
    """One factor of ``A = c * (x)_b phi_b``: the tree node, the weight row used and its modes."""

    node: tuple
    row: tuple
    modes: tuple


@dataclass(frozen=True)
class KroneckerCertificate(RankCertificate):
    """A :class:`~verifier.exact.certify.RankCertificate` of the structure route with what it was computed from:
    the factors and their matrices (``integral``: computed on integer weights, so the certificate writer can use
    them as they are instead of building them again)."""

    factors: tuple = field(default=(), compare=False)
    matrices: tuple = field(default=(), compare=False)
    integral: bool = field(default=False, compare=False)


def kronecker_factors(weights, output: int = 0, max_entries: int = FACTOR_ENTRY_LIMIT):
    """Split the coefficient tensor into an outer product of small node tensors, if the weights allow.

    Parameters
    ----------
    weights : Weights
        Exact weights.
    output : int
        0-based output index.
    max_entries : int
        A factor may have at most this many entries (``M^{#modes}``).

    Returns
    -------
    (scalar, list of KroneckerFactor) or None
        ``None`` when some factor would be too large. A zero scalar means ``A = 0``.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> c, fs = kronecker_factors(witness_weights(DeepArch(N=8, M=2, widths=(2, 2, 2))))
    >>> c, [f.modes for f in fs]
    (1, [(0, 1), (2, 3), (4, 5), (6, 7)])
    """
    arch = check_weights(weights).arch
    output = check_output_index(output, arch)
    tree = arch.tree
    scalar = 1
    factors = []
    stack = [(tree.root, tuple(weights[tree.root][output].tolist()))]
    while stack:
        node, row = stack.pop()
        if tree.is_leaf(node):  # reached through a one-hot choice of its channel ``row``
            one_hot = tuple(1 if k == row else 0 for k in range(arch.node_shape(node)[0]))
            factors.append(KroneckerFactor(node, one_hot, tree.modes(node)))
            continue
        nonzero = [(k, x) for k, x in enumerate(row) if x != 0]
        if not nonzero:
            return 0, []
        if len(nonzero) == 1:
            alpha, c = nonzero[0]
            scalar *= c
            for child in reversed(tree.children(node)):
                stack.append((child, alpha if tree.is_leaf(child) else tuple(weights[child][alpha].tolist())))
            continue
        if arch.M ** len(tree.modes(node)) > max_entries:
            return None
        factors.append(KroneckerFactor(node, row, tree.modes(node)))
    factors.sort(key=lambda f: f.modes)
    return scalar, factors


def factor_matrices(weights, factors: list, rows: frozenset) -> list:
    """:func:`_factor_matrix` of each factor; factors with the same weights below them, the same row and the same
    modes in ``rows`` share one matrix (built once: the witness at N = 32768 has 16384 equal factors)."""
    tree, built, out = weights.arch.tree, {}, []
    for f in factors:
        below = tuple((len(tree.children(v)), weights[v].shape, tuple(weights[v].ravel().tolist()))
                      for v in tree.postorder(f.node) if v != f.node or tree.is_leaf(f.node))
        key = (f.row, tuple(m in rows for m in f.modes), below)   # the subtree's shape and weights, in postorder
        if key not in built:
            built[key] = _factor_matrix(weights, f, rows)
        out.append(built[key])
    return out


def _factor_matrix(weights, factor: KroneckerFactor, rows: frozenset) -> np.ndarray:
    """``[phi_b]_{I cap S_b, J cap S_b}`` for one factor, rows/cols in the factor's natural order."""
    arch = weights.arch
    tree = arch.tree
    if tree.is_leaf(factor.node):  # the one-hot row selects one filter of the leaf
        flat = np.asarray(weights[factor.node][factor.row.index(1)], dtype=object)
    else:
        flat = subtree_tensor(weights, factor.node, factor.row)
    order = factor.modes
    k = len(order)
    t = flat.reshape((arch.M,) * k)
    r_axes = tuple(i for i, m in enumerate(order) if m in rows)
    c_axes = tuple(i for i, m in enumerate(order) if m not in rows)
    return t.transpose(r_axes + c_axes).reshape(arch.M ** len(r_axes), arch.M ** len(c_axes))


def kronecker_rank(weights, partition: Partition, output: int = 0, engine=None,
                   allow_single: bool = False) -> RankCertificate | None:
    """Certified rank of ``[A]_{I,J}`` through a Kronecker factorization (Lemmas K and R).

    Each factor's rank is certified (lower and upper bound) densely; by Lemma R the rank of the
    Kronecker product is the product of the factor ranks, so the products of the factors' lower and
    upper bounds are certified lower and upper bounds of ``rank [A]``.

    Returns ``None`` when the weights have no factorization into small factors, or only the trivial
    one (a single factor, the whole tensor) unless ``allow_single``.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> w = witness_weights(DeepArch(N=8, M=3, widths=(2, 1, 1)))
    >>> kronecker_rank(w, parse_partition("low-high", 8)).rank
    1
    """
    arch = check_weights(weights).arch
    partition = check_partition(partition, arch.N)
    output = check_output_index(output, arch)
    return _kronecker_rank(weights, partition, output, engine, allow_single)


def _kronecker_rank(weights, partition: Partition, output: int, engine, allow_single: bool) -> RankCertificate | None:
    """:func:`kronecker_rank` on validated values."""
    arch = weights.arch
    found = kronecker_factors(weights.integral() if not weights.is_symbolic else weights, output)
    if found is None:
        return None
    rows, cols = partition.shape(arch.M)
    scalar, factors = found
    if len(factors) == 1 and scalar != 0 and not allow_single:  # trivial: the dense route is the same work
        return None
    if scalar == 0:
        zero = Bound(0, "Lemma K: the output weights select nothing (A = 0)")
        return RankCertificate(rows, cols, zero, zero)
    row_modes = frozenset(partition.rows)
    lower = upper = 1
    lower_methods, upper_methods = set(), set()
    cache: dict = {}
    mats = factor_matrices(weights, factors, row_modes)
    for mat in mats:
        key = (mat.shape, tuple(mat.ravel().tolist()))
        if key not in cache:
            cache[key] = certify_matrix_rank(mat, engine=engine)
        cert = cache[key]
        lower *= cert.lower.value
        upper *= cert.upper.value
        lower_methods.add(cert.lower.method)
        upper_methods.add(cert.upper.method.split(":")[0])
    n, distinct = len(factors), len(cache)
    head = f"Lemmas K and R: product of {n} factor ranks ({distinct} distinct factor(s)"
    lo = Bound(lower, f"{head}, each by {' / '.join(sorted(lower_methods))})")
    up = Bound(upper, f"{head}, each by {' / '.join(sorted(upper_methods))})")
    return KroneckerCertificate(rows, cols, lo, up, tuple(factors), tuple(mats), weights.is_integral)
