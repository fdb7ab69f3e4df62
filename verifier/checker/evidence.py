"""What each kind of evidence proves, re-derived from the certificate's weights alone.

Every function returns the bound it PROVES (or raises :class:`~.tensor.ClaimError`); the caller compares
it with the claim. Lower bounds: ``minor`` (a nonsingular minor mod a prime: a nonzero integer minor),
``kronecker`` (Lemmas K and R), ``reduced`` (full-rank filters and the core), ``pair_diagonal`` (Lemma D), ``blocks`` (Lemma B),
``trivial`` (0). Upper bounds: ``shape``, ``cut`` (the tensor network's cut, Levine et al. ICLR 2018
Claim 1), ``kernel`` (exact kernel vectors), ``symmetric`` (a shared shallow net's symmetric tensor),
``kronecker``, ``reduced``.
"""

from __future__ import annotations

from collections import deque
from math import comb

import flint
import numpy as np

from .blocks import blocks
from .tensor import ClaimError, Net, as_int, entries, need, prime, shape

#: Largest ``rows * cols`` the checker builds exactly for a kernel check.
KERNEL_LIMIT = 2**22
#: Largest minor the checker evaluates.
MINOR_LIMIT = 2**14
#: Past this many entries D is streamed by blocks of rows (at a root with two children).
STREAM_ENTRIES = 2**22


def fail(what: str):  # noqa: D103 - the evidence does not prove the claim
    raise ClaimError(what)


def _indices(x, n: int, where: str) -> list:
    need(isinstance(x, list), f"{where} must be a list of indices")
    out = [as_int(i, where) for i in x]
    if not all(i < n for i in out):
        fail(f"{where}: an index is out of range (size {n})")
    if len(set(out)) != len(out):
        fail(f"{where}: repeated indices")
    return out


def nonsingular_mod_p(mat: np.ndarray, p: int) -> bool:
    """Whether the square int64 matrix of residues is nonsingular mod ``p`` (flint's ``nmod_mat``)."""
    n = mat.shape[0]
    return n == 0 or flint.nmod_mat(n, n, mat.ravel().tolist(), p).det() != 0


def check_lower(ev, net: Net, top, vector, rows: frozenset, where: str) -> int:
    """The lower bound on the rank of ``[phi]_{I,J}`` that ``ev`` proves (see :func:`entries`)."""
    need(isinstance(ev, dict), f"{where} must be an object with a 'kind'")
    kind = ev.get("kind")
    n_rows, n_cols = shape(net, top, rows)
    if kind == "trivial":
        return 0
    if kind == "minor":
        p = prime(ev.get("prime"), where)
        r = _indices(ev.get("rows"), n_rows, f"{where}.rows")
        c = _indices(ev.get("cols"), n_cols, f"{where}.cols")
        need(len(r) == len(c) <= MINOR_LIMIT, f"{where}: as many rows as columns, at most {MINOR_LIMIT}")
        if not nonsingular_mod_p(entries(net, top, vector, rows, r, c, p), p):
            fail(f"{where}: the {len(r)} x {len(r)} minor is singular mod {p}")
        return len(r)
    if kind == "kronecker":
        return kronecker(ev, net, top, vector, rows, where, "lower")
    if kind == "reduced":
        return reduced(ev, net, top, vector, rows, where, "lower")
    if kind == "pair_diagonal":
        return pair_diagonal(ev, net, top, vector, rows, where)
    if kind == "blocks":  # Lemma B: .blocks
        return blocks(ev, net, top, vector, rows, where)
    need(False, f"{where}: unknown lower-bound kind {str(kind)[:30]!r}")


def check_upper(ev, net: Net, top, vector, rows: frozenset, where: str) -> int:
    """The upper bound on the rank of ``[phi]_{I,J}`` that ``ev`` proves."""
    need(isinstance(ev, dict), f"{where} must be an object with a 'kind'")
    kind = ev.get("kind")
    if kind == "shape":
        return min(shape(net, top, rows))
    if kind == "kernel":
        return kernel(ev, net, top, vector, rows, where, *shape(net, top, rows))
    if kind == "cut":
        need(top == net.root, f"{where}: a cut bounds the whole network only")
        return cut(ev, net, rows, where)
    if kind == "symmetric":
        return symmetric(net, top, rows, where)
    if kind == "kronecker":
        return kronecker(ev, net, top, vector, rows, where, "upper")
    if kind == "reduced":
        return reduced(ev, net, top, vector, rows, where, "upper")
    if kind == "pair_diagonal":
        return pair_diagonal(ev, net, top, vector, rows, where, "upper")
    if kind == "blocks":
        return blocks(ev, net, top, vector, rows, where)
    need(False, f"{where}: unknown upper-bound kind {str(kind)[:30]!r}")


def kernel(ev, net, top, vector, rows, where, n_rows, n_cols) -> int:
    """``rank <= cols - k`` from ``k`` independent integer vectors with ``[phi] K = 0`` exactly."""
    vecs = ev.get("vectors")
    need(isinstance(vecs, list) and all(isinstance(v, list) and len(v) == n_cols for v in vecs),
         f"{where}.vectors must be a list of vectors of length {n_cols}")
    need(n_rows * n_cols <= KERNEL_LIMIT, f"{where}: the matrix is too large for a kernel check")
    if not vecs:
        return n_cols
    k = flint.fmpz_mat([[as_int(x, f"{where}.vectors", None) for x in v] for v in vecs]).transpose()
    a = entries(net, top, vector, rows, range(n_rows), range(n_cols))
    fa = flint.fmpz_mat(n_rows, n_cols, [int(x) for x in a.ravel().tolist()])
    if not (fa * k).is_zero():
        fail(f"{where}: a kernel vector is not in the kernel ([A] K != 0)")
    if k.rank() != len(vecs):
        fail(f"{where}: the kernel vectors are not linearly independent")
    return n_cols - len(vecs)


def network(net: Net):
    """The tensor network: adjacency with bond dimensions; delta nodes with their dimensions."""
    adj, deltas = {}, {}

    def bond(a, b, d):
        adj.setdefault(a, {})[b] = d
        adj.setdefault(b, {})[a] = d

    for v in net.order:
        n_in = len(net.W[v][0])
        if net.children[v]:
            deltas[f"delta:{v}"] = n_in
        bond(f"delta:{v}" if net.children[v] else f"leg:{net.mode[v] + 1}", f"w:{v}", n_in)
        for c in net.children[v]:
            bond(f"w:{c}", f"delta:{v}", len(net.W[c]))
    return adj, deltas


def cut(ev, net: Net, rows: frozenset, where: str) -> int:
    """The product of the dimensions of the cut bonds and delta nodes, after checking that without them
    no row leg is connected to a column leg (breadth-first search)."""
    adj, deltas = network(net)
    bonds, cut_deltas = ev.get("bonds"), ev.get("deltas")
    need(isinstance(bonds, list) and isinstance(cut_deltas, list) and all(isinstance(d, str) for d in cut_deltas),
         f"{where} needs 'bonds' and 'deltas' lists of names")
    removed, value = set(), 1
    for b in bonds:
        need(isinstance(b, list) and len(b) == 2 and all(isinstance(x, str) for x in b) and b[0] in adj
             and b[1] in adj[b[0]],
             f"{where}: {str(b)[:40]} is not a bond of the network")
        if frozenset(b) not in removed:
            removed.add(frozenset(b))
            value *= adj[b[0]][b[1]]
    for d in set(cut_deltas):
        need(d in deltas, f"{where}: {str(d)[:30]} is not a delta node")
        value *= deltas[d]
    seen = {f"leg:{m + 1}" for m in rows}
    todo = deque(seen)
    while todo:
        x = todo.popleft()
        for y in adj[x]:
            if y in seen or y in cut_deltas or frozenset((x, y)) in removed:
                continue
            if y.startswith("leg:") and int(y[4:]) - 1 not in rows:
                fail(f"{where}: the cut does not separate the row legs from {y}")
            seen.add(y)
            todo.append(y)
    return value


def symmetric(net: Net, top, rows, where) -> int:
    """A star tree whose leaves all carry the same matrix gives a symmetric tensor: its row space lies in
    the symmetric power, ``rank <= C(M + |I| - 1, |I|)`` (and likewise for ``J``)."""
    kids = net.children[top]
    if not (top == net.root and all(not net.children[c] for c in kids) and
            all(net.W[c] == net.W[kids[0]] for c in kids)):
        fail(f"{where}: the tensor is not symmetric (needs one pooling node over leaves with equal weights)")
    i = len(rows)
    j = net.N - i
    return min(comb(net.M + i - 1, i), comb(net.M + j - 1, j))


def descent(net: Net, top, vector):
    """``phi = c * (x)_b phi_b`` (Lemma K): from ``top``, while the active row has exactly one nonzero entry the
    node's tensor is that entry times the outer product of its children on one channel. ``None``: ``phi = 0``."""
    factors, stack = [], [(top, vector)]
    while stack:
        v, row = stack.pop()
        nonzero = [k for k, x in enumerate(row) if x != 0]
        if not net.children[v] or len(nonzero) > 1:
            factors.append((v, row))
        elif not nonzero:
            return None
        else:
            stack.extend((k, net.row_vector(k, nonzero[0])) for k in reversed(net.children[v]))
    return factors


def _signature(net: Net, v, rows, modes: list) -> tuple:
    """Everything the matricization of a subtree's tensor depends on (a factor checked once is not re-checked)."""
    if not net.children[v]:
        return tuple(map(tuple, net.W[v])), net.mode[v] in rows, modes.index(net.mode[v])
    return tuple(map(tuple, net.W[v])), tuple(_signature(net, c, rows, modes) for c in net.children[v])


def kronecker(ev, net, top, vector, rows, where, side) -> int:
    """Lemmas K and R: ``[phi]`` is a Kronecker product of its factors' matricizations (up to a permutation
    of rows and columns), so its rank is the product of theirs; a zero scalar means ``phi = 0``."""
    factors = descent(net, top, vector)
    listed, per = ev.get("factors"), ev.get("evidence")
    need(isinstance(listed, list) and isinstance(per, list), f"{where} needs 'factors' and 'evidence' lists")
    if factors is None:
        return 0
    need(all(isinstance(f, dict) for f in listed), f"{where}.factors must be objects with 'node' and 'evidence'")
    index = {f.get("node"): f.get("evidence") for f in listed}
    if not len(index) == len(listed) == len(factors) or set(index) != {v for v, _ in factors}:
        fail(f"{where}: the listed factors are not those the weights give ({len(factors)} factors)")
    out, cache = 1, {}
    for v, row in factors:
        k = as_int(index[v], f"{where}: evidence index")
        need(k < len(per) and isinstance(per[k], dict), f"{where}: evidence index {k} out of range")
        key = (k, tuple(row), _signature(net, v, rows, sorted(net.modes[v])))
        if key not in cache:
            sub = f"{where}.evidence[{k}].{side}"
            cache[key] = (check_lower if side == "lower" else check_upper)(per[k].get(side), net, v, row, rows, sub)
        out *= cache[key]
    return out


def core_net(net: Net, r: int) -> Net:
    """The same network with identity leaves and ``M = r``: ``[A] = (U_I) [C] (U_J)^T``."""
    core = object.__new__(Net)
    core.__dict__.update(net.__dict__)
    core.M = r
    core.W = dict(net.W)
    for v in net.mode:
        core.W[v] = [[int(a == b) for b in range(r)] for a in range(r)]
    return core


def _filters(ev, net: Net, where: str, transpose: bool = False) -> None:
    """Every leaf's ``r x M`` matrix has full row rank ``r``: the listed columns give a minor nonzero mod p."""
    p = prime(ev.get("prime"), where)
    cols = ev.get("filters")
    need(isinstance(cols, dict), f"{where}.filters must map each leaf to {len(next(iter(net.W.values())))} columns")
    for v in net.mode:
        w = net.W[v]
        c = _indices(cols.get(v), net.M, f"{where}.filters[{v}]")
        need(len(c) == len(w), f"{where}.filters[{v}] must list {len(w)} columns")
        mat = np.array([[w[i][j] % p for j in c] for i in range(len(w))], dtype=np.int64)
        if not nonsingular_mod_p(mat, p):
            fail(f"{where}: the filter matrix of leaf {v} is not of full rank on the listed columns mod {p}")


def reduced(ev, net, top, vector, rows, where, side) -> int:
    """Reduction to the core (``r < M`` channels at every leaf): ``rank [A] <= rank [C]`` always, with
    equality when every leaf's filter matrix has full rank ``r``."""
    need(top == net.root, f"{where}: the reduction applies to the whole network")
    r = {len(net.W[v]) for v in net.mode}
    need(len(r) == 1, f"{where}: the leaves must have one channel count")
    core = core_net(net, r.pop())
    if side == "lower":
        _filters(ev, net, where)
        return check_lower(ev.get("core"), core, top, vector, rows, f"{where}.core")
    return check_upper(ev.get("core"), core, top, vector, rows, f"{where}.core")


def _mod(x: np.ndarray, p: int, t: np.ndarray) -> np.ndarray:
    """``x mod p`` in place (``x >= 0``; ``t``: scratch): numpy's floor division by a constant is vectorized."""
    return np.subtract(x, np.multiply(np.floor_divide(x, p, out=t), p, out=t), out=x)


def pair_diagonal(ev, net: Net, top, vector, rows, where, side: str = "lower") -> int:
    """Lemma D (MATH.md section 5): when every leaf sits in a pair (a node with two leaf children) split by the
    partition, Lemma K gives ``[A] = P (U_rho) diag(D) (U_kappa)^T Q`` (permutations ``P``, ``Q``) with ``D`` the
    tensor of the net above the pairs (their matrices as leaves; D indexed by the pairs in order of their
    first mode, C order). Lower: with every filter of full rank ``r_0 <= M``, rank = #nonzero entries of D
    (those nonzero mod p, plus listed ``nonzero_over_z`` entries evaluated exactly). Upper (all weights):
    rank <= #entries minus the listed ``zeros``, each evaluated exactly."""
    need(top == net.root, f"{where}: Lemma D applies to the whole network")
    pairs = sorted((v for v in net.order if net.children[v] and all(not net.children[c] for c in net.children[v])),
                   key=lambda v: min(net.modes[v]))
    ok = all(len(net.children[v]) == 2 and sum(net.mode[c] in rows for c in net.children[v]) == 1 for v in pairs)
    ok = ok and 2 * len(pairs) == net.N and len({len(net.W[v][0]) for v in pairs}) == 1
    need(ok, f"{where}: Lemma D needs every leaf in a pair split by the partition, pairs of one width")
    d_net = object.__new__(Net)  # D: the net above the pairs, whose matrices become leaves over r_0 values
    d_net.__dict__.update(net.__dict__)
    d_net.M, d_net.mode = len(net.W[pairs[0]][0]), {v: k for k, v in enumerate(pairs)}
    d_net.children = {v: () if v in d_net.mode else kids for v, kids in net.children.items()}
    d_net.order = [v for v in net.order if v not in net.mode]
    d_net.modes = {}
    for v in d_net.order:
        d_net.modes[v] = sum((d_net.modes[c] for c in d_net.children[v]), ()) or (d_net.mode[v],)
    n = d_net.M ** len(pairs)

    def exact(key):
        ks = [as_int(k, f"{where}.{key}") for k in ev.get(key, [])]
        need(len(set(ks)) == len(ks) and all(k < n for k in ks), f"{where}.{key}: distinct indices below {n}")
        return ks, (entries(d_net, top, vector, frozenset(), [0], ks)[0] if ks else [])

    if side == "upper":
        ks, vals = exact("zeros")
        if any(x != 0 for x in vals):
            fail(f"{where}: an entry of D listed as zero is not zero")
        return n - len(ks)
    _filters(ev, net, where)
    p = prime(ev.get("prime"), where)
    kids = d_net.children[top]
    if n <= STREAM_ENTRIES or len(kids) != 2:
        need(n <= 2**26, f"{where}: D has {n} entries, more than the checker enumerates at this root")
        found = int(np.count_nonzero(entries(d_net, top, vector, frozenset(), [0], range(n), p)))
    else:  # stream D[kL, kR] = sum_g c_g TL[g, kL] TR[g, kR] mod p by blocks of rows, never all of D at once
        half = [[entries(d_net, k, w, frozenset(), [0], range(d_net.M ** len(d_net.modes[k])), p)[0]
                 for w in net.W[k]] for k in kids]
        left = [h * (cg % p) % p for h, cg in zip(half[0], vector)]
        step, found = max(1, 2**17 // len(half[1][0])), 0  # blocks of 1 MiB: they stay in the cache
        acc, tmp = np.empty((step, len(half[1][0])), np.int64), np.empty((step, len(half[1][0])), np.int64)
        for a in range(0, len(left[0]), step):
            x, t = acc[:len(left[0]) - a], tmp[:len(left[0]) - a]
            np.multiply(left[0][a:a + len(x), None], half[1][0][None, :], out=x)
            for g in range(1, len(left)):  # residues < p < 2^31: two products sum to < 2^63
                if g > 1:
                    _mod(x, p, t)
                x += np.multiply(left[g][a:a + len(x), None], half[1][g][None, :], out=t)
            found += int(np.count_nonzero(_mod(x, p, t)))
    ks, vals = exact("nonzero_over_z")
    if ks and (np.count_nonzero(entries(d_net, top, vector, frozenset(), [0], ks, p)) or not all(vals)):
        fail(f"{where}: a listed entry of D is nonzero mod p (already counted) or zero over Z")
    found += len(ks)
    if found < as_int(ev.get("nonzero"), f"{where}.nonzero"):
        fail(f"{where}: D has {found} entries proved nonzero (mod {p} and listed), the certificate says "
             f"{ev['nonzero']}")
    return found
