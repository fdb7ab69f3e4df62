"""The chain of a tensor train, shared by its rank routes (:mod:`verifier.rank.tt`, :mod:`verifier.rank.tt_spans`):
the runs of a partition along the chain, the span of a run of cores mod p, and the TT's own min-cut (checked
against the chain's dynamic programme)."""

from __future__ import annotations

import numpy as np

from ..errors import VerifierError
from ..exact.engines import FlintEngine
from ..exact.tensors import Partition
from ..nets.tt import tt_min_cut
from .mincut import NetworkCut, _check_separates, _TreeNetwork


def runs(partition: Partition) -> list:
    """Maximal runs of consecutive sites on one side: ``[(first, last, is_row), ..]`` (0-based, inclusive).

    Examples
    --------
    >>> from verifier.exact.tensors import parse_partition
    >>> runs(parse_partition("rows:1,2,5", 6))
    [(0, 1, True), (2, 3, False), (4, 4, True), (5, 5, False)]
    """
    rows = set(partition.rows)
    out = []
    for s in range(partition.N):
        side = s in rows
        if out and out[-1][2] == side:
            out[-1] = (out[-1][0], s, side)
        else:
            out.append((s, s, side))
    return out


def _mod(cores, p):
    return [(np.asarray(c, dtype=object) % p).astype(np.int64) for c in cores]


def _contract(left: np.ndarray, core: np.ndarray, p: int) -> np.ndarray:
    """``out[k, d, a, c] = sum_g left[k, a, g] core[d, g, c] mod p`` (int64, reduced after every product)."""
    K, A, G = left.shape
    M, _, C = core.shape
    out = np.zeros((K, M, A, C), dtype=np.int64)
    for g in range(G):
        out = (out + left[:, None, :, g, None] * core[None, :, g, None, :] % p) % p
    return out


def _independent_rows(mat: np.ndarray, p: int) -> list:
    if mat.size == 0:
        return []
    return list(FlintEngine().pivots_mod_p(np.ascontiguousarray(mat.T), p))


def run_span(cores_p, first: int, last: int, p: int):
    """The run ``first..last`` contracted to a spanning set of its digit patterns, mod p.

    Returns ``(patterns, R)``: ``patterns`` a list of digit tuples, ``R[k]`` the run's ``r_first x r_{last+1}``
    matrix ``G_first[d_first] .. G_last[d_last]`` for pattern ``k`` (mod p); the rows of ``R`` (flattened) are
    independent mod p and span the row space of the whole run mod p.

    Examples
    --------
    >>> from verifier.nets.tt import TTArch, tt_random_weights, tt_cores
    >>> cores = _mod(tt_cores(tt_random_weights(TTArch(N=6, M=2, bonds=2), seed=1)), 101)
    >>> pats, R = run_span(cores, 1, 4, 101)
    >>> len(pats), R.shape
    (4, (4, 2, 2))
    """
    core = cores_p[first]
    pats = [(d,) for d in range(core.shape[0])]
    cur = core.copy()  # (K, a, c)
    for s in range(first, last + 1):
        if s > first:
            nxt = _contract(cur, cores_p[s], p)  # (K, M, a, c)
            K, M, A, C = nxt.shape
            pats = [pat + (d,) for pat in pats for d in range(M)]
            cur = nxt.reshape(K * M, A, C)
        keep = _independent_rows(cur.reshape(cur.shape[0], -1), p)
        pats = [pats[k] for k in keep]
        cur = cur[keep]
        if not pats:  # the run's tensor is zero mod p: so is A
            break
    return pats, cur


def tt_network_cut(arch, partition: Partition) -> NetworkCut:
    """The TT's min-cut as a cut of the caterpillar's tensor network: the chain DP's optimal sides (legs ``leg:i`` --
    ``w:0,i`` of dimension M, bonds ``w:T_k`` -- ``delta:U_k`` of dimension ``r_k``), re-checked to separate ``I``
    from ``J`` by a breadth-first search; its value is :func:`~verifier.nets.tt.tt_min_cut`. Linear in N (the
    max-flow search of :func:`~verifier.rank.mincut.min_cut` takes minutes at N = 8192; the tests check both agree).

    Examples
    --------
    >>> from verifier.nets.tt import TTArch
    >>> from verifier.exact.tensors import parse_partition
    >>> c = tt_network_cut(TTArch(N=4, M=3, bonds=2), parse_partition("odd-even", 4))
    >>> c.value, c.to_dict()["bonds"]
    (6, [{'between': ['delta:1,0', 'w:0,0'], 'dim': 2}, {'between': ['leg:3', 'w:0,2'], 'dim': 3}])
    """
    rows = frozenset(partition.rows)
    if not rows or len(rows) == arch.N:
        return NetworkCut(1, tuple(sorted(rows)), (), (), arch.tree.name)
    best, back = {}, []
    for s in range(arch.N):
        mine = s in rows
        new, came = {}, {}
        for side in (True, False):
            leg = 1 if side == mine else arch.M
            if s == 0:
                new[side], came[side] = leg, None
                continue
            stay, switch = best[side], best[not side] * arch.bond(s)
            new[side], came[side] = (leg * stay, side) if stay <= switch else (leg * switch, not side)
        best = new
        back.append(came)
    side = min((True, False), key=lambda t: best[t])
    sides = [side]
    for s in range(arch.N - 1, 0, -1):
        side = back[s][side]
        sides.append(side)
    sides.reverse()
    bonds = []
    for s in range(arch.N):
        if sides[s] != (s in rows):
            bonds.append((("leg", s), ("w", (0, s)), arch.M))
        if s and sides[s] != sides[s - 1]:
            left = (0, 0) if s == 1 else (2 * s - 2, 0)  # T_s (1-based site s), or site 1's leaf
            bonds.append((("w", left), ("delta", (2 * s - 1, 0)), arch.bond(s)))
    value = 1
    for *_, d in bonds:
        value *= d
    if value != min(best.values()):  # pragma: no cover - the backtrack follows the DP
        raise VerifierError("internal error: the TT cut's product is not the chain DP's minimum")
    _check_separates(_TreeNetwork(arch.tree), frozenset(rows), arch.N, bonds, set())
    return NetworkCut(value, tuple(sorted(rows)), tuple(bonds), (), arch.tree.name)


def _check_cut(arch, partition) -> NetworkCut:
    """The TT's cut of the caterpillar network, its value checked equal to the chain DP's."""
    cut = tt_network_cut(arch, partition)
    chain = tt_min_cut(arch, partition.rows)
    if cut.value != chain:  # pragma: no cover - same DP
        raise VerifierError(f"internal error: caterpillar cut {cut.value} != TT chain min-cut {chain}")
    return cut
