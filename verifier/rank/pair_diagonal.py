"""The pair-diagonal route: ``rank [A]`` as the number of nonzero entries of an ``r_0^{N/2}`` vector D.

MATH.md section 5, Lemma D (pair-diagonal form of the paper's ``[A]``). Let ``U_i`` be the ``M x r_0``
level-0 filter matrix of position ``i`` (column ``alpha`` is ``a^{0,i,alpha}``). For a partition that puts
exactly one mode of every level-1 pair ``{2j-1, 2j}`` among the rows (the paper's odd/even partition does),
Lemma K at every level gives

.. math:: [A^y] = (\\otimes_j U_{\\rho(j)})\\, \\mathrm{diag}(D^y)\\, (\\otimes_j U_{\\kappa(j)})^T,

where ``rho(j)`` / ``kappa(j)`` is the row / column mode of pair ``j`` and ``D^y`` is the coefficient tensor
of the net with N/2 positions whose leaves are the level-1 weights (``d^{1,j,gamma} = a^{1,j,gamma}``) and
whose higher weights are the net's. Hence:

* ``rank [A] <= #{k : D(k) != 0}`` for ALL weights (inner dimension of the factorization), and
* when every ``U_i`` has full column rank ``r_0`` (so ``r_0 <= M``), the Kronecker products have full column
  rank and ``rank [A] = #{k : D(k) != 0}`` exactly (Cohen, Sharir & Shashua, COLT 2016, Theorem 1: this
  is ``r_0^{N/2}`` off the exceptional set).
* When some ``U_i`` is rank-deficient (Lemma D (iii)), ``U_i = P_i Q_i`` with ``P_i`` of full column rank
  and ``rank [A] = rank((\\otimes Q_{\\rho}) diag(D) (\\otimes Q_{\\kappa})^T)``, block diagonal over the
  indices of the pairs whose two filter matrices are both of full column rank (:func:`singular_rank`).

Counting (:func:`count_nonzero_entries`): D is split at the root, ``D[kL, kR] = sum_g c_g TL[g, kL] TR[g, kR]``
(``c``: the output's weight row; ``TL``, ``TR``: the channel tensors of the root's two children, ``r_0^{N/4}``
columns each), and streamed modulo a prime ``p`` in chunks of rows (int64, bounded memory). A nonzero
residue proves an entry nonzero (it is an integer: weights are cleared of denominators first). Entries that
vanish mod p are decided EXACTLY: a row whose exact weight vector ``u = c * TL[:, kL]`` is zero is zero;
otherwise, with the exact supports of ``u`` and of the columns of ``TR``, disjoint supports give a zero and a
single common channel a nonzero; entries with several common channels are evaluated over Z. Entries left
undecided (over ``exact_limit``) only widen the bounds; they never enter a count as nonzero.

Conventions: positions, pairs and channels are 0-based; D is indexed by pairs ``0..N/2-1`` in C order
(pair 0 most significant), which is the row order of ``[A]`` for the odd/even partition.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import random_weights
>>> from verifier.exact.tensors import parse_partition
>>> from verifier.rank.lemma_d import pair_diagonal_rank
>>> c = pair_diagonal_rank(random_weights(DeepArch(N=8, M=3, widths=(2, 2, 2)), seed=0),
...                        parse_partition("odd-even", 8))
>>> c.rank, c.evidence.nonzero, c.evidence.entries
(16, 16, 16)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import invalid
from ..exact.certify import RankCertificate
from ..exact.engines import FlintEngine
from ..exact.fields import DEFAULT_PRIME, check_prime
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, Partition, check_budget
from ..nets.architectures import DeepArch
from ..nets.coefficients import check_output_index

#: Largest number of entries of D the route streams (2^36: N = 64 with r_0 = 2 is 2^32).
ENTRY_LIMIT = 2**36
#: Entries per streamed chunk (small enough to stay in cache; the loop is memory bound).
CHUNK_ENTRIES = 2**17
#: Largest number of entries vanishing mod p that are decided one by one over Z.
EXACT_LIMIT = 2**18
#: Most indices of exact zeros kept in :class:`DCount` (for certificates).
LISTED_LIMIT = 2**16
#: With an executor, the rows of D go to the workers in this many tasks per worker (a few balance the load).
TASKS_PER_WORKER = 4


@dataclass(frozen=True)
class FilterRank:
    """The certified column rank of the filter matrix ``U_i`` (``M x r_0``) at some positions.

    ``basis`` lists the 0-based rows of ``U_i`` (representation indices ``d``) whose span is the row space:
    ``Q_i = U_i[basis, :]`` and ``U_i = P_i Q_i`` with ``P_i`` of full column rank.
    """

    positions: tuple
    rank: int
    lower_method: str
    upper_method: str
    basis: tuple

    def to_dict(self) -> dict:
        """JSON-ready form (positions 1-based, as in the paper)."""
        return {"positions": [i + 1 for i in self.positions], "rank": self.rank, "lower_method": self.lower_method,
                "upper_method": self.upper_method, "basis_rows": [d + 1 for d in self.basis]}


@dataclass(frozen=True)
class DCount:
    """What the count of nonzero entries of D rests on (the evidence an independent checker re-derives).

    ``nonzero`` entries are proved nonzero (nonzero residue mod ``prime``, or exact evaluation);
    ``zero`` entries are proved zero over Z; ``undecided`` ones are neither (only when over the exact limit).
    """

    entries: int
    prime: int
    zero_mod_p: int
    nonzero: int
    zero: int
    undecided: int
    exact_checks: int
    zero_rows: int = 0
    chunks: int = 0
    #: Indices (C order over the pairs) of the entries zero mod p but proved nonzero over Z, and of the entries
    #: proved zero (``None`` past :data:`LISTED_LIMIT`): what a certificate lists for the checker.
    nonzero_zero_mod_p: tuple = field(default=(), compare=False)
    zero_entries: "tuple | None" = field(default=(), compare=False)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"entries": self.entries, "prime": self.prime, "zero_mod_p": self.zero_mod_p, "nonzero": self.nonzero,
                "zero": self.zero, "undecided": self.undecided, "exact_checks": self.exact_checks,
                "zero_rows": self.zero_rows, "chunks": self.chunks}


@dataclass(frozen=True)
class PairDiagonalCertificate(RankCertificate):
    """A :class:`~verifier.exact.certify.RankCertificate` with the route's evidence: the filters' certified
    ranks, the count of D (or, for singular filters, the blocks) and the chosen partition's pairing."""

    evidence: object = field(default=None, compare=False)
    filters: tuple = field(default=(), compare=False)

    def evidence_dict(self) -> dict:
        """The evidence as JSON-ready data."""
        return {"filters": [f.to_dict() for f in self.filters],
                "count": self.evidence.to_dict() if self.evidence is not None else None}


def applies(arch, partition: Partition) -> bool:
    """Whether Lemma D's factorization holds: a deep net on the balanced binary tree (N >= 2) and a
    partition with exactly one mode of every level-1 pair among the rows.

    Examples
    --------
    >>> from verifier.exact.tensors import parse_partition
    >>> a = DeepArch(N=8, M=2, widths=(2, 1, 1))
    >>> applies(a, parse_partition("odd-even", 8)), applies(a, parse_partition("low-high", 8))
    (True, False)
    >>> applies(a, parse_partition("rows:2,3,5,8", 8))
    True
    """
    if not isinstance(arch, DeepArch) or partition.N != arch.N:
        return False
    tree = arch.tree
    for v in tree.postorder():
        if tree.is_leaf(v):
            continue
        level, j = v
        if tree.children(v) != ((level - 1, 2 * j), (level - 1, 2 * j + 1)) or tree.depth(v) != level:
            return False
    rows = set(partition.rows)
    return all((2 * j in rows) != (2 * j + 1 in rows) for j in range(arch.N // 2))


def filter_ranks(weights, engine=None) -> tuple:
    """Certified column ranks of the filter matrices ``U_i``, grouped by equal matrices.

    The rank and the row basis come from ONE exact computation over Q (the fraction-free reduced row echelon
    form of ``U_i^T``), so the basis always has exactly ``rank`` rows: a basis taken mod one prime while the
    rank was certified another way could be short (a prime dividing a minor), and an empty ``Q_i`` would make
    every block of Lemma D (iii) vanish. ``engine`` is accepted for symmetry with the other routes; filters
    have at most ``M * r_0`` entries, so the exact computation is always affordable.

    Examples
    --------
    >>> from verifier.nets.weights import witness_weights, weights_from_arrays
    >>> [(f.positions, f.rank) for f in filter_ranks(witness_weights(DeepArch(N=4, M=3, widths=(2, 1))))]
    [((0, 1, 2, 3), 2)]
    >>> a = DeepArch(N=2, M=2, widths=(2,))
    >>> w = weights_from_arrays(a, {"0,0": [[1, 0], [0, 2**31 - 1]], "0,1": [[1, 2], [2, 4]], "1,0": [[1, 1]]})
    >>> [(f.rank, f.basis) for f in filter_ranks(w)]
    [(2, (0, 1)), (1, (0,))]
    """
    arch = weights.arch
    exact = FlintEngine()
    groups: dict = {}
    for i in range(arch.N):
        leaf = weights[(0, i)]
        groups.setdefault(tuple(leaf.ravel().tolist()), []).append(i)
    out = []
    method = "exact rank over Q (flint fmpz_mat rref)"
    for positions in groups.values():
        leaf = weights[(0, positions[0])]
        ints = np.array([[int(x) for x in row] for row in leaf.tolist()], dtype=object).reshape(leaf.shape)
        basis = exact.pivots_over_q(ints)  # the node matrix is U_i^T: its pivot columns are rows of U_i
        out.append(FilterRank(tuple(positions), len(basis), method, method, tuple(int(d) for d in basis)))
    return tuple(out)


def _reduce(a: np.ndarray, w: np.ndarray, p: int | None) -> np.ndarray:
    """``out[g] = sum_alpha w[g, alpha] * a[alpha]`` (mod p with one reduction per term: no int64 overflow)."""
    if p is None:
        return np.dot(w, a)
    out = np.zeros((w.shape[0], a.shape[1]), dtype=np.int64)
    for g in range(w.shape[0]):
        for alpha in range(w.shape[1]):
            c = int(w[g, alpha]) % p
            if c:
                out[g] += (a[alpha] * c) % p
                out[g] %= p
    return out


def channel_tensors(weights, node, p: int | None = None) -> np.ndarray:
    """``T[g, k]``: channel ``g`` of the D-tensor of the subtree at ``node`` (level >= 1), over its pairs.

    Level-1 nodes are the leaves (``T = `` their weight matrix, the index being ``alpha`` in ``[r_0]``);
    above, ``T_v[g] = sum_alpha W_v[g, alpha] T_left[alpha] (x) T_right[alpha]`` (flattened, C order).
    Exact (object) when ``p`` is None, else int64 residues.

    Examples
    --------
    >>> from verifier.nets.weights import witness_weights
    >>> channel_tensors(witness_weights(DeepArch(N=8, M=2, widths=(2, 2, 2))), (2, 0)).tolist()
    [[1, 1, 1, 1], [0, 0, 0, 0]]
    """
    tree = weights.arch.tree
    w = weights[node]
    if p is not None:
        w = np.array([[int(x) % p for x in row] for row in w.tolist()], dtype=np.int64)
    if tree.depth(node) == 1:
        return w if p is not None else np.asarray(w, dtype=object)
    left, right = (channel_tensors(weights, c, p) for c in tree.children(node))
    prod = left[:, :, None] * right[:, None, :]
    if p is not None:
        prod %= p
    return _reduce(prod.reshape(left.shape[0], -1), w, p)


def _pair_dims(weights, node) -> list:
    """Index range of each pair below ``node`` (columns of its level-1 matrix: ``r_0``, or 1 once contracted)."""
    tree = weights.arch.tree
    return [weights[v].shape[1] for v in tree.postorder(node) if tree.depth(v) == 1]


def _mixed_digits(k: int, dims: list) -> list:
    out = []
    for base in reversed(dims):
        k, d = divmod(k, base)
        out.append(d)
    return out[::-1]


def exact_column(weights, node, index: int) -> list:
    """Exact ``T[:, index]`` of :func:`channel_tensors` along one tree path (Python integers).

    Examples
    --------
    >>> from verifier.nets.weights import witness_weights
    >>> exact_column(witness_weights(DeepArch(N=8, M=2, widths=(2, 2, 2))), (2, 0), 3)
    [1, 0]
    """
    tree = weights.arch.tree
    digits = _mixed_digits(index, _pair_dims(weights, node))

    def column(v, ds):
        w = weights[v]
        if tree.depth(v) == 1:
            return [w[g, ds[0]] for g in range(w.shape[0])]
        half = len(ds) // 2
        a, b = column(tree.children(v)[0], ds[:half]), column(tree.children(v)[1], ds[half:])
        prod = [x * y for x, y in zip(a, b)]
        return [sum(w[g, al] * prod[al] for al in range(w.shape[1])) for g in range(w.shape[0])]

    return column(node, digits)


def d_tensor(weights, output: int = 0, p: int | None = None) -> np.ndarray:
    """All of D (flattened, C order over the pairs), exact or mod p: for small nets, tests and the zero set.

    Examples
    --------
    >>> from verifier.nets.weights import witness_weights
    >>> d_tensor(witness_weights(DeepArch(N=4, M=2, widths=(2, 1)))).tolist()
    [1, 1, 1, 1]
    """
    arch = weights.arch
    tree = arch.tree
    row = weights[tree.root][output]
    if arch.N == 2:
        d = np.asarray(row, dtype=object)
        return np.array([int(x) % p for x in d], dtype=np.int64) if p is not None else d
    left, right = (channel_tensors(weights, c, p) for c in tree.children(tree.root))
    prod = left[:, :, None] * right[:, None, :]
    if p is not None:
        prod %= p
    return _reduce(prod.reshape(left.shape[0], -1), np.asarray(row, dtype=object).reshape(1, -1), p)[0]


def count_nonzero_entries(weights, output: int = 0, prime: int = DEFAULT_PRIME,
                          memory_budget: int = DEFAULT_MEMORY_BUDGET, exact_limit: int = EXACT_LIMIT,
                          progress=None, executor=None) -> DCount:
    """Count the nonzero entries of D, streamed mod ``prime``, zeros mod p decided over Z (module docstring).

    Parameters
    ----------
    weights : Weights
        INTEGER weights (:meth:`~verifier.nets.weights.Weights.integral`) of a deep net.
    output : int
        0-based output ``y``.
    prime : int
        A prime below ``2^31`` (products of two residues fit in int64).
    memory_budget : int
        Bytes; the two halves and one chunk must fit (in each worker, with an executor).
    exact_limit : int
        Most entries vanishing mod p decided one by one over Z; beyond, they stay undecided.
    progress : callable, optional
        ``progress(done_rows, total_rows)``, called after each chunk, or each finished task with an
        executor (the CLI draws a bar with it).
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Anything with ``submit(fn, *args)`` returning futures with ``result()`` (a process pool, a Dask
        client). The rows of D go to its workers in :data:`TASKS_PER_WORKER` tasks per worker; each counts
        its rows and decides their zeros mod p, and the parts are merged in row order, so the count AND the
        listed entries are those of the serial run (exactly: the same functions, the same order).

    Examples
    --------
    >>> from verifier.nets.weights import weights_from_arrays
    >>> a = DeepArch(N=4, M=2, widths=(2, 2))
    >>> w = weights_from_arrays(a, {"0,0": [[1, 0], [0, 1]], "0,1": [[1, 0], [0, 1]], "0,2": [[1, 0], [0, 1]],
    ...     "0,3": [[1, 0], [0, 1]], "1,0": [[1, 0], [0, 1]], "1,1": [[2, 0], [0, 3]], "2,0": [[1, 1]]})
    >>> c = count_nonzero_entries(w, prime=2)
    >>> c.nonzero, c.zero, c.zero_mod_p, c.undecided, c.nonzero_zero_mod_p, c.zero_entries
    (2, 2, 3, 0, (0,), (1, 2))
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as pool:
    ...     count_nonzero_entries(w, prime=2, executor=pool) == c
    True
    """
    arch = getattr(weights, "arch", None)
    if not isinstance(arch, DeepArch) or weights.is_symbolic or not weights.is_integral:
        raise invalid("weights", "integer weights of a deep net (use Weights.integral())",
                      type(arch).__name__ if not isinstance(arch, DeepArch) else f"{weights.kind} weights")
    output = check_output_index(output, arch)
    for name, value in (("memory_budget", memory_budget), ("exact_limit", exact_limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < (name == "memory_budget"):
            raise invalid(name, "a positive integer" if name == "memory_budget" else "a non-negative integer", value)
    prime = check_prime(prime, "prime", 2**31)
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise invalid("executor", "a concurrent.futures executor or a Dask client (with submit)",
                      type(executor).__name__)
    tree = arch.tree
    r0 = arch.widths[0]
    entries = r0 ** (arch.N // 2)
    if entries > ENTRY_LIMIT:
        raise invalid("N", f"at most {ENTRY_LIMIT} entries r_0^(N/2) of D for the pair-diagonal route",
                      f"{r0}^{arch.N // 2} = {entries} for N = {arch.N}")
    c = [int(x) for x in weights[tree.root][output].tolist()]
    if arch.N == 2:
        nz = sum(1 for x in c if x != 0)
        return DCount(entries, prime, sum(1 for x in c if x % prime == 0), nz, entries - nz, 0, 0, 0, 1,
                      tuple(k for k, x in enumerate(c) if x != 0 and x % prime == 0),
                      tuple(k for k, x in enumerate(c) if x == 0))
    entries = math.prod(_pair_dims(weights, tree.root))
    n_half = math.prod(_pair_dims(weights, tree.children(tree.root)[0]))    # rows kL of the left half
    n_right = entries // n_half
    chunk_rows = max(1, min(n_half, CHUNK_ENTRIES // n_right))
    check_budget(2 * len(c) * (n_half + n_right) * 8 + 3 * 8 * chunk_rows * n_right, memory_budget,
                 f"the pair-diagonal count (halves of {len(c)} x {n_half} and {len(c)} x {n_right} residues and a "
                 "chunk)", "raise --memory-budget")
    plain = _Plain(weights)
    if executor is None:
        parts = [_count_task(plain, c, prime, 0, n_half, chunk_rows, exact_limit, progress)]
    else:
        parts = _in_parallel(executor, (plain, c, prime), n_half, (chunk_rows, exact_limit), progress)
    return _merge(parts, entries, prime, exact_limit, -(-n_half // chunk_rows))


class _Plain:
    """Integer weights as a node -> matrix dict: picklable (sent to workers), unlike ``Weights`` (read-only views)."""

    def __init__(self, weights):
        self.arch = weights.arch
        self.arrays = {v: weights[v] for v in weights.arch.tree.postorder()}

    def __getitem__(self, node):
        return self.arrays[node]


@dataclass
class _Part:
    """Rows ``first..`` of D, counted and decided by :func:`_count_task`: entries zero mod p; entries proved zero
    by structure (``zeros``: complete while ``zero <= LISTED_LIMIT``) and proved nonzero by one common channel
    (``listed``); the rest of the zeros mod p as ``candidates``: ``(index, exact value == 0)``, in row-major
    order, the value ``None`` past the exact limit (:func:`_merge` applies the limit over all parts in order)."""

    zero_mod_p: int = 0
    zero: int = 0
    zero_rows: int = 0
    zeros: list = field(default_factory=list)
    listed: list = field(default_factory=list)
    candidates: list = field(default_factory=list)


def _mod(a: np.ndarray, p: int, t: np.ndarray) -> None:
    """``a %= p`` in place for ``a >= 0`` (``t``: scratch of the same shape). numpy divides by a constant with
    vector instructions in ``floor_divide`` but not in ``remainder``: the count takes 2/3 of the time."""
    np.subtract(a, np.multiply(np.floor_divide(a, p, out=t), p, out=t), out=a)


def _count_task(weights, c, prime, first, stop, chunk_rows, exact_limit, progress=None) -> _Part:
    """Rows ``first..stop-1`` of D: counted mod p by chunks, their zeros mod p decided (module level:
    picklable, for process pools and Dask). ``progress(done, total)`` after each chunk (serial run only)."""
    kids = weights.arch.tree.children(weights.arch.tree.root)
    left, right = (channel_tensors(weights, k, prime) for k in kids)
    cp = np.array([x % prime for x in c], dtype=np.int64)
    left = (left[:, first:stop] * cp[:, None]) % prime       # u[kL] = c * TL[:, kL]
    n_half, n_right, r = left.shape[1], right.shape[1], len(c)
    acc = np.empty((min(chunk_rows, n_half), n_right), dtype=np.int64)
    tmp = np.empty_like(acc)
    zero_mod_p, suspicious = 0, []                            # rows holding residues 0
    for start in range(0, n_half, chunk_rows):
        end = min(start + chunk_rows, n_half)
        a, t = acc[: end - start], tmp[: end - start]
        np.multiply(left[0, start:end, None], right[0, None, :], out=a)
        for g in range(1, r):
            if g > 1:
                _mod(a, prime, t)
            np.multiply(left[g, start:end, None], right[g, None, :], out=t)
            a += t                                            # < 2 p^2 < 2^63: no overflow
        _mod(a, prime, t)
        zeros = int(a.size - np.count_nonzero(a))
        if zeros:
            zero_mod_p += zeros
            suspicious.extend(first + start + i for i in np.flatnonzero(np.count_nonzero(a, axis=1) < n_right).tolist())
        if progress is not None and (end == n_half or end * 100 // n_half != start * 100 // n_half):
            progress(end, n_half)
    part = _decide_zeros(weights, kids, c, right, prime, suspicious, exact_limit)
    part.zero_mod_p = zero_mod_p
    return part


def _decide_zeros(weights, kids, c, right_p, prime, suspicious, exact_limit) -> _Part:
    """Decide over Z the entries of the suspicious rows (those with residues 0 mod p).

    Row ``kL`` is ``D[kL, kR] = <u, TR[:, kR]>`` with the exact ``u = c * TL[:, kL]``. With the exact supports
    of ``u`` and of each column of ``TR`` (computed over Z once, at most ``r_0^{N/4}`` columns): disjoint
    supports give an exact zero, one common channel an exact nonzero; only entries with two or more common
    channels AND residue 0 are evaluated over Z one by one (the first ``exact_limit``; :func:`_merge` applies
    the limit to all the rows, the rest stay undecided).
    """
    n_right = right_p.shape[1]
    part = _Part()
    right_x = support = None
    budget = exact_limit
    for row in suspicious:
        u = [ci * x for ci, x in zip(c, exact_column(weights, kids[0], row))]
        u_support = np.array([x != 0 for x in u])
        if not u_support.any():
            part.zero += n_right
            part.zero_rows += 1
            part.zeros.extend(range(row * n_right, (row + 1) * n_right) if len(part.zeros) <= LISTED_LIMIT else ())
            continue
        if right_x is None:
            right_x = channel_tensors(weights, kids[1])
            support = np.array([[x != 0 for x in row_g] for row_g in right_x.tolist()], dtype=bool)
        common = support[u_support].sum(axis=0)
        part.zero += int(np.count_nonzero(common == 0))
        if len(part.zeros) <= LISTED_LIMIT:
            part.zeros.extend(row * n_right + k for k in np.flatnonzero(common == 0).tolist())
        row_p = np.zeros(n_right, dtype=np.int64)
        for g, x in enumerate(u):
            row_p = (row_p + (right_p[g] * (x % prime)) % prime) % prime
        part.listed.extend(row * n_right + k for k in np.flatnonzero((common == 1) & (row_p == 0)).tolist())
        for k in np.flatnonzero((common >= 2) & (row_p == 0)).tolist():
            value = sum(x * y for x, y in zip(u, right_x[:, k].tolist())) if budget > 0 else None
            budget -= 1
            part.candidates.append((row * n_right + k, None if value is None else value == 0))
    return part


def _merge(parts, entries: int, prime: int, exact_limit: int, chunks: int) -> DCount:
    """One :class:`DCount` from the parts of the rows, in row order: the first ``exact_limit`` candidates of
    all the parts are decided (a part evaluated its own first ``exact_limit``: these include them), the rest
    stay undecided; the listed entries in increasing order."""
    zero_mod_p = zero = zero_rows = undecided = checks = 0
    zeros, listed = [], []
    for part in parts:
        zero_mod_p, zero, zero_rows = zero_mod_p + part.zero_mod_p, zero + part.zero, zero_rows + part.zero_rows
        zeros.extend(part.zeros if zero <= LISTED_LIMIT else ())
        listed.extend(part.listed)
        for k, is_zero in part.candidates:
            if checks == exact_limit:
                undecided += 1
                continue
            checks += 1
            zero += int(is_zero)
            (zeros if is_zero else listed).append(k)
    return DCount(entries, prime, zero_mod_p, entries - zero - undecided, zero, undecided, checks, zero_rows, chunks,
                  tuple(sorted(listed)), tuple(sorted(zeros)) if zero <= LISTED_LIMIT else None)


def _workers(executor) -> int:
    """The number of workers of a Dask client (its threads) or of a ``concurrent.futures`` pool."""
    if callable(getattr(executor, "nthreads", None)):
        return max(1, sum(executor.nthreads().values()))
    return max(1, getattr(executor, "_max_workers", 1))     # ProcessPoolExecutor, ThreadPoolExecutor


def _in_parallel(executor, job: tuple, n_half: int, limits: tuple, progress) -> list:
    """The rows of D in :data:`TASKS_PER_WORKER` x workers tasks on ``executor``, their parts in row order;
    ``progress`` after each task (in order); the futures are cancelled if anything fails (also Ctrl-C)."""
    step = -(-n_half // max(1, min(n_half, TASKS_PER_WORKER * _workers(executor))))
    starts = range(0, n_half, step)
    futures = []
    try:
        futures = [executor.submit(_count_task, *job, a, min(a + step, n_half), *limits) for a in starts]
        parts = []
        for a, f in zip(starts, futures):
            parts.append(f.result())
            if progress is not None:
                progress(min(a + step, n_half), n_half)
        return parts
    finally:
        for f in futures:
            f.cancel()


def _filter_text(filters) -> str:
    how = " / ".join(sorted({f.lower_method for f in filters}))
    n = sum(len(f.positions) for f in filters)
    return f"{n} filter matrices U_i ({len(filters)} distinct)", how
