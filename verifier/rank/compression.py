"""The compressed route: ``rank [A]_{I,J}`` mod p for ANY partition, by recursive compression along the mode tree.

For a node ``v`` with modes ``S_v`` (consecutive and increasing), write ``M_v[g]`` for channel ``g`` of its
tensor matricized with rows ``I cap S_v`` and columns ``J cap S_v`` (C order). The CP/HT recursion gives

.. math:: M_v[g] = \\sum_\\alpha W_v[g, \\alpha]\\, M_{c_1}[\\alpha] \\otimes M_{c_2}[\\alpha] \\otimes \\cdots

(Lemma K: the children's modes are consecutive, so rows and columns interleave in C order). Over GF(p), keep
each family as ``M_v[g] = B_v K_v[g] C_v^T`` with ``B_v``, ``C_v`` of full column rank and a small core
``K_v[g]``: the parent's core is ``sum_alpha W K_{c_1}[alpha] (x) ..`` (Kronecker products of full column rank
matrices have full column rank), compressed by a column basis of ``[K[0] | K[1] | ..]`` (reduced row echelon
form: ``H = H[:, pivots] R``, so the coordinates are the nonzero rows ``R``) and likewise for the rows.
Then ``rank_p [A] = rank_p K_root[y]``, never building ``[A]``.

Certification: ``rank_p [A] <= rank_Q [A]`` for the integer matrix, so the core's rank mod p is a certified
LOWER bound; the upper bound is the structural one valid for all weights (the minimal cut of the mode tree,
Lemma C, ...). They meet at generic points; otherwise the rank is reported NOT certified. Cores are limited
to ``CORE_ENTRY_LIMIT`` entries (ranks up to a few thousand).

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import random_weights
>>> from verifier.exact.tensors import parse_partition
>>> c = compressed_rank(random_weights(DeepArch(N=32, M=2, widths=(2,) * 5), seed=0), parse_partition("low-high", 32))
>>> c.lower.value, c.lower.method[:44]
(2, 'rank mod p = 2147483647 of the 2 x 2 core of')
"""

from __future__ import annotations

import numpy as np

from ..exact.certify import Bound, RankCertificate
from ..exact.fields import DEFAULT_PRIME, check_prime
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, Partition, check_budget, check_partition
from ..nets.coefficients import check_output_index
from ..nets.weights import check_weights

#: Largest number of entries of one uncompressed core family (all channels of a node).
CORE_ENTRY_LIMIT = 2**25
#: Bytes per core entry at the peak of a compression (int64 arrays and the list handed to flint).
BYTES_PER_ENTRY = 32


def _nmod(a: np.ndarray, p: int):
    from flint import nmod_mat

    return nmod_mat(int(a.shape[0]), int(a.shape[1]), [int(x) for x in a.ravel().tolist()], p)


def _column_basis(h: np.ndarray, p: int) -> np.ndarray:
    """``R`` with ``h = h[:, pivots] R`` over GF(p) (the nonzero rows of the reduced row echelon form)."""
    if h.size == 0:
        return np.zeros((0, h.shape[1]), dtype=np.int64)
    rref, rank = _nmod(h, p).rref()
    rows = np.array([[int(x) for x in r] for r in rref.tolist()[:rank]], dtype=np.int64)
    return rows.reshape(rank, h.shape[1])


def _compress(cores: list, p: int) -> list:
    """Cores ``K[g]`` (R x C each) -> smaller cores with the same ranks of every combination (see module)."""
    n_cols = cores[0].shape[1]
    coords = _column_basis(np.concatenate(cores, axis=1), p)           # b x (r * C)
    cores = [coords[:, g * n_cols:(g + 1) * n_cols] for g in range(len(cores))]
    b = coords.shape[0]
    coords = _column_basis(np.concatenate(cores, axis=0).T, p)         # b' x (r * b)
    return [np.ascontiguousarray(coords[:, g * b:(g + 1) * b].T) for g in range(len(cores))]


def compressed_rank(weights, partition: Partition, output: int = 0, prime: int = DEFAULT_PRIME,
                    upper_bounds=(), memory_budget: int = DEFAULT_MEMORY_BUDGET) -> RankCertificate | None:
    """Certified bounds on ``rank [A]_{I,J}`` for any partition, by compression along the mode tree mod p.

    Parameters
    ----------
    weights : Weights
        Exact weights (cleared of denominators first: ranks unchanged).
    partition : Partition
        Any bipartition of the modes.
    output : int
        0-based output.
    prime : int
        Prime below ``2^31``.
    upper_bounds : sequence of Bound
        Structural upper bounds valid for all weights.
    memory_budget : int
        Bytes; a core family needs about ``BYTES_PER_ENTRY`` per entry (numpy and the flint conversion).

    Returns
    -------
    RankCertificate or None
        ``None`` when a core family would exceed ``CORE_ENTRY_LIMIT`` entries or the tree's modes are not
        consecutive.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> c = compressed_rank(random_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), seed=1),
    ...                     parse_partition("rows:1,2,5,6", 8))
    >>> c.lower.value, c.upper.value, c.certified      # without structural bounds: the shape bound only
    (4, 16, False)
    """
    arch = check_weights(weights, numeric=True).arch
    partition = check_partition(partition, arch.N)
    output = check_output_index(output, arch)
    p = check_prime(prime, "prime", 2**31)
    return _compressed_rank(weights, partition, output, p, upper_bounds, memory_budget)


def _compressed_rank(weights, partition: Partition, output: int, prime: int = DEFAULT_PRIME, upper_bounds=(),
                     memory_budget: int = DEFAULT_MEMORY_BUDGET) -> RankCertificate | None:
    """:func:`compressed_rank` on validated values."""
    arch, p = weights.arch, prime
    tree = arch.tree
    if tree.modes(tree.root) != tuple(range(arch.N)):
        return None
    iw = weights.integral()
    rows = set(partition.rows)
    cores: dict = {}
    largest = (0, 0)
    for v in tree.postorder():
        w = np.array([[int(x) % p for x in r] for r in iw[v].tolist()], dtype=np.int64)
        if v == tree.root:
            w = w[output:output + 1]
        if tree.is_leaf(v):
            (mode,) = tree.modes(v)
            fam = [row.reshape(-1, 1) if mode in rows else row.reshape(1, -1) for row in w]
        else:
            kids = [cores.pop(c) for c in tree.children(v)]
            shape = (int(np.prod([k[0].shape[0] for k in kids])), int(np.prod([k[0].shape[1] for k in kids])))
            entries = shape[0] * shape[1] * w.shape[0]
            if entries > CORE_ENTRY_LIMIT:
                return None
            check_budget(entries * BYTES_PER_ENTRY, memory_budget,
                         f"a compressed core family of {w.shape[0]} x {shape[0]} x {shape[1]} entries", "")
            fam = [np.zeros(shape, dtype=np.int64) for _ in range(w.shape[0])]
            for alpha in range(w.shape[1]):
                prod = kids[0][alpha]
                for k in kids[1:]:
                    prod = np.kron(prod, k[alpha]) % p
                for g in range(w.shape[0]):
                    if w[g, alpha]:
                        fam[g] = (fam[g] + prod * int(w[g, alpha])) % p
            largest = max(largest, shape, key=lambda s: s[0] * s[1])
        cores[v] = fam if v == tree.root else _compress(fam, p)
    core = cores[tree.root][0]
    rank = _nmod(core, p).rank() if core.size else 0
    n_rows, n_cols = partition.shape(arch.M)
    lower = Bound(rank, f"rank mod p = {p} of the {core.shape[0]} x {core.shape[1]} core of a recursive compression "
                        f"along the mode tree (largest core {largest[0]} x {largest[1]}; bases of columns "
                        f"independent mod p)")
    upper = min([Bound(min(n_rows, n_cols), "matrix shape"), *upper_bounds], key=lambda b: b.value)
    return RankCertificate(n_rows, n_cols, lower, upper)
