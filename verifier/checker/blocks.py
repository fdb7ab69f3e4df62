"""Lemma B (MATH.md section 5), re-derived by the checker's own code: ``rank [A]_{I,J}`` as a sum of block ranks.

A bottom node (all children leaves) is replaced by a leaf carrying its own matrix: a leaf of ``I`` when all
its children are row modes, of ``J`` when all are column modes, a block index when it has both. This is
valid only when the Khatri-Rao factors (column ``a``: the Kronecker product of the children's rows ``a``, per
side) have full column rank, which is checked here: rank mod a listed prime equal to the column count.
Then ``rank [A]`` is the sum over the block indices ``sigma`` of ``rank [D_sigma]``, ``D_sigma`` being ``D``
with each block index fixed and folded into its parent (``W_u -> W_u diag(W_v[:, sigma_v])``; a node left
without children becomes the constant ``sum_g W_u[:, g]``). Blocks of at most ``DIRECT`` entries, and
single leaves, are ranked exactly over Q (flint's ``fmpz_mat.rank``); when every leaf is a block index, the
blocks are the entries of ``D``, computed exactly and counted. Both bounds are that exact sum.
"""

from __future__ import annotations

import itertools
import math

import flint
import numpy as np

from .tensor import ClaimError, need, prime

#: Blocks up to this many entries are ranked directly; the limits on blocks and on the entries of D.
DIRECT = 2**16
MAX_BLOCKS = 2**20
MAX_ENTRIES = 2**22


def blocks(ev, net, top, vector, rows: frozenset, where: str) -> int:
    """The rank that Lemma B proves for ``[A]_{I,J}`` (the same number bounds it from both sides)."""
    need(top == net.root, f"{where}: Lemma B's blocks are of the whole network only")
    primes = ev.get("primes")
    need(isinstance(primes, list) and 0 < len(primes) <= 8, f"{where}.primes must be a list of 1 to 8 primes")
    ps = [prime(p, f"{where}.primes") for p in primes]
    children = dict(net.children)
    weights = {v: np.array(net.W[v], dtype=object) for v in net.order}
    weights[net.root] = np.array([vector], dtype=object)
    label = {v: ("I" if net.mode[v] in rows else "J") for v in net.order if not net.children[v]}
    state = {"blocks": 0, "ok": set()}
    return _rank(net.root, children, weights, label, ps, state, where)


def _order(root, children) -> list:
    out, todo = [], [root]
    while todo:  # a preorder, reversed: children before parents
        out.append(todo.pop())
        todo.extend(children[out[-1]])
    return out[::-1]


def _full_column_rank(k: np.ndarray, primes, state, where) -> None:
    key = (k.shape, tuple(k.ravel().tolist()))
    if key in state["ok"]:
        return
    n, d = k.shape
    for p in primes:
        if n >= d and flint.nmod_mat(n, d, [int(x) % p for x in k.ravel().tolist()], p).rank() == d:
            state["ok"].add(key)
            return
    raise ClaimError(f"{where}: a {n} x {d} Khatri-Rao factor is not of full column rank mod the listed primes")


def _rank(root, children, W, label, primes, state, where) -> int:
    rows = cols = 1
    for v, s in label.items():
        rows, cols = (rows * W[v].shape[1], cols) if s == "I" else (rows, cols * W[v].shape[1])
    if "S" not in label.values() and (rows * cols <= DIRECT or not children[root]):
        state["blocks"] += 1
        mat = _matrix(root, children, W, label)
        return flint.fmpz_mat(mat.shape[0], mat.shape[1], [int(x) for x in mat.ravel().tolist()]).rank()
    if "S" not in label.values():
        children, W, label = _reduce(root, children, W, label, primes, state, where)
    split = [v for v, s in label.items() if s == "S"]
    if not split:
        return _rank(root, children, W, label, primes, state, where)
    n = math.prod(W[v].shape[1] for v in split)
    if len(split) == len(label):
        need(n <= MAX_ENTRIES, f"{where}: D has more than {MAX_ENTRIES} entries")
        state["blocks"] += n
        entries = _matrix(root, children, W, {v: "I" for v in label})
        return int(np.count_nonzero(entries.ravel() != 0))
    state["blocks"] += n
    need(state["blocks"] <= MAX_BLOCKS, f"{where}: more than {MAX_BLOCKS} blocks")
    parent = {c: v for v, kids in children.items() for c in kids}
    total = 0
    for sigma in itertools.product(*(range(W[v].shape[1]) for v in split)):
        kids, w, lab = dict(children), dict(W), dict(label)
        todo = [(v, W[v][:, a]) for v, a in zip(split, sigma)]
        for v, _ in todo:
            del lab[v], w[v]
        value = None
        while todo:
            v, col = todo.pop()
            if v == root:
                value = int(col[0])
                break
            u = parent[v]
            w[u] = w[u] * col[None, :]
            kids[u] = tuple(c for c in kids[u] if c != v)
            del kids[v]
            if not kids[u]:
                todo.append((u, w.pop(u).sum(axis=1)))
        total += (value != 0) if value is not None else _rank(root, kids, w, lab, primes, state, where)
    return total


def _reduce(root, children, W, label, primes, state, where):
    kids_of, w, lab = dict(children), dict(W), dict(label)
    for v in _order(root, children):
        kids = children[v]
        if not kids or any(children[c] for c in kids):
            continue
        sides: dict = {}
        for c in kids:
            sides.setdefault(label[c], []).append(W[c].T)
        for mats in sides.values():
            k = mats[0]
            for m in mats[1:]:
                k = (k[:, None, :] * m[None, :, :]).reshape(-1, k.shape[1])
            _full_column_rank(k, primes, state, where)
        lab[v] = next(iter(sides)) if len(sides) == 1 else "S"
        kids_of[v] = ()
        for c in kids:
            del kids_of[c], w[c], lab[c]
    return kids_of, w, lab


def _matrix(root, children, W, label) -> np.ndarray:
    """The exact matricization: rows the ``I`` leaves' values, columns the ``J`` leaves' (Kronecker order)."""
    phi = {}
    for v in _order(root, children):
        w = W[v]
        if not children[v]:
            phi[v] = w[:, :, None] if label[v] == "I" else w[:, None, :]
            continue
        prods = []
        for a in range(w.shape[1]):
            p = np.ones((1, 1), dtype=object)
            for c in children[v]:
                p = np.kron(p, phi[c][a])
            prods.append(p)
        phi[v] = np.tensordot(w, np.stack(prods), axes=1)
    return phi[root][0]
