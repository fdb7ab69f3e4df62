"""The checker's own model of a certificate's network: the mode tree, the exact weights, the matricization
index map and the evaluation of chosen entries of ``[A]``, exactly or modulo a prime.

Conventions (docs/CERTIFICATES.md): tree nodes are labelled ``"l,j"``; a leaf carries its 1-based mode;
``[A]_{I,J}`` has the modes of ``I`` (increasing) as rows and the rest as columns, the first listed mode
most significant (C order); the node matrix ``W_v`` has one row per output channel and one column per
input (``M`` at a leaf). The tensor of node ``v`` on channel ``g`` is ``phi_v^g = sum_a W_v[g, a] (x)_c phi_c^a``
(children ``c``); at a leaf ``phi_v^g[d] = W_v[g, d]``. Nothing here comes from the rest of the package.
"""

from __future__ import annotations

import re
from fractions import Fraction
from math import lcm, log2

import flint
import numpy as np

#: Most entries of one evaluated block; larger evaluations are done in row blocks.
BLOCK_ENTRIES = 2**22


class CertificateError(Exception):
    """The file is not a well-formed certificate (the CLI exits 2)."""


class ClaimError(Exception):
    """The certificate is well formed but its claim is false or its evidence does not prove it (exit 1)."""


def need(cond: bool, what: str) -> None:
    """Raise :class:`CertificateError` with ``what`` unless ``cond``."""
    if not cond:
        raise CertificateError(what)


def show(n: int) -> str:
    """An exact integer as text: decimal below ~3900 digits (Python refuses longer ``str(int)``), else ``b^k``
    for a small base ``b`` (estimated exponent, exact test), else its size in bits."""
    if n.bit_length() < 13000:
        return str(n)
    hits = [f"{b}^{e}" for b in range(2, 17) for e in range(round(n.bit_length() / log2(b)) - 2, 10**6)[:5]
            if e > 0 and b ** e == n]
    return hits[0] if hits else f"an integer of {n.bit_length()} bits"


def prime(x, where: str) -> int:
    """A prime below 2^31 (int64 evaluation reduces after every product); a composite is a false claim."""
    p = as_int(x, f"{where}: 'prime'", 0)
    need(p < 2**31, f"{where}: 'prime' must be below 2^31")
    if not flint.fmpz(p).is_prime():
        raise ClaimError(f"{where}: {p} is not a prime")
    return p


def as_int(x, what: str, low: int | None = 0) -> int:
    """A JSON integer (or its decimal string) at least ``low`` (``None``: any; the message is built on failure)."""
    if isinstance(x, str) and len(x) < 4000 and re.fullmatch(r"-?[0-9]+", x):
        x = int(x)
    if not (isinstance(x, int) and not isinstance(x, bool) and (low is None or x >= low)):
        raise CertificateError(f"{what} must be an integer" + ("" if low is None else f" >= {low}"))
    return x


def rational(s, what: str) -> int | Fraction:
    """An exact number written as ``"3"``, ``"-1/2"`` or a JSON integer (an ``int`` when it is one)."""
    if isinstance(s, int) and not isinstance(s, bool):
        return s
    need(isinstance(s, str) and 0 < len(s) < 4000, f"{what} must be an exact number such as \"-1/2\"")
    if s.isdigit() and s.isascii():  # the common case, without the regular expression
        return int(s)
    m = re.fullmatch(r"(-?[0-9]+)(?:/([0-9]+))?", s)
    need(m is not None and int(m.group(2) or 1) != 0, f"{what} must be an exact number such as \"-1/2\", got {s[:30]!r}")
    return Fraction(int(m.group(1)), int(m.group(2) or 1))


class Net:
    """A mode tree with its integer weight matrices (each node's matrix cleared of denominators: that scales
    ``A`` by a nonzero constant, since every entry of ``A`` is linear in each node's matrix)."""

    def __init__(self, cert: dict):
        tree, weights = cert.get("tree"), cert.get("weights")
        need(isinstance(tree, dict) and isinstance(tree.get("nodes"), dict), "'tree' must have 'root' and 'nodes'")
        need(isinstance(weights, dict), "'weights' must map node labels to matrices")
        self.M = as_int(cert.get("M"), "'M'", 1)
        self.root = tree.get("root")
        nodes = tree["nodes"]
        need(isinstance(self.root, str) and self.root in nodes, "'tree.root' must be one of 'tree.nodes'")
        self.children, self.mode, self.W = {}, {}, {}
        order, seen, stack = [], set(), [(self.root, False)]
        while stack:  # postorder, checking that the nodes form a tree
            v, done = stack.pop()
            if done:
                order.append(v)
                continue
            need(isinstance(v, str) and v in nodes and v not in seen and isinstance(nodes[v], dict),
                 f"tree node {str(v)[:20]!r} is missing or reached twice")
            seen.add(v)
            kids = nodes[v].get("children", [])
            need(isinstance(kids, list), f"children of {v} must be a list")
            self.children[v] = tuple(kids)
            if not kids:
                self.mode[v] = as_int(nodes[v].get("mode"), f"mode of leaf {v}", 1) - 1
            stack.append((v, True))
            stack.extend((c, False) for c in reversed(kids))
        need(seen == set(nodes), "'tree.nodes' has nodes not below the root")
        self.order, self.N = order, len(self.mode)
        need(sorted(self.mode.values()) == list(range(self.N)), "the leaves' modes must be 1..N, once each")
        for v in order:
            rows = weights.get(v)
            need(isinstance(rows, list) and rows and all(isinstance(r, list) for r in rows),
                 f"weights of node {v} must be a non-empty list of rows")
            m = [[rational(x, f"weight {v}") for x in r] for r in rows]
            width = self.M if not self.children[v] else None
            need(len({len(r) for r in m}) == 1 and (width is None or len(m[0]) == width),
                 f"weights of node {v} must be a matrix with {width or 'equal-length'} columns")
            d = lcm(*(x.denominator for r in m for x in r))
            self.W[v] = [[int(x * d) for x in r] for r in m]
        for v in order:
            for c in self.children[v]:
                need(len(self.W[c]) == len(self.W[v][0]), f"node {c} must have as many rows as {v} has columns")
        self.modes = {}
        for v in order:
            self.modes[v] = ((self.mode[v],) if not self.children[v]
                             else sum((self.modes[c] for c in self.children[v]), ()))

    def row_vector(self, v, channel: int) -> list:
        """Row ``channel`` of node ``v``'s matrix."""
        need(0 <= channel < len(self.W[v]), f"channel {channel} out of range at node {v}")
        return self.W[v][channel]


def shape(net: Net, top, rows: frozenset) -> tuple[int, int]:
    """``(M^|I cap S|, M^|J cap S|)`` for the modes ``S`` below ``top``."""
    s = net.modes[top]
    k = sum(m in rows for m in s)
    return net.M ** k, net.M ** (len(s) - k)


def digits(index: np.ndarray, count: int, base: int) -> np.ndarray:
    """Base-``base`` digits of each index, most significant first: the C-order index map of ``[A]``."""
    out = np.zeros((len(index), count), dtype=np.int64)
    rest = np.asarray(index, dtype=object)
    for k in range(count - 1, -1, -1):
        out[:, k] = (rest % base).astype(np.int64)
        rest = rest // base
    return out


def _mul(a, b, p):
    return a * b if p is None else (a * b) % p


def entries(net: Net, top, vector: list, rows: frozenset, row_idx, col_idx, p: int | None = None) -> np.ndarray:
    """The block ``[phi]_{row_idx, col_idx}`` of the matricization of ``phi = sum_a vector[a] (x)_c phi_c^a``
    (``top``'s tensor on the combination ``vector`` of its channels), over the modes below ``top``, rows the
    modes in ``rows`` (0-based). Exact Python integers when ``p`` is None, else int64 residues mod ``p < 2^31``.

    Only the needed entries are formed: at every node the tensor is kept on the distinct row-digit and
    column-digit patterns that the selected rows and columns take on its modes."""
    s = net.modes[top]
    ri, ci = [m for m in sorted(s) if m in rows], [m for m in sorted(s) if m not in rows]
    rd = digits(np.asarray(row_idx, dtype=object), len(ri), net.M)
    cd = digits(np.asarray(col_idx, dtype=object), len(ci), net.M)
    dtype = object if p is None else np.int64

    def conv(mat):
        a = np.array(mat, dtype=object)
        return a if p is None else (a % p).astype(np.int64)

    keys, phi, stack, todo = {}, {}, [top], []  # keys: node -> (row key per row, col key per col)
    while stack:
        v = stack.pop()
        todo.append(v)
        stack.extend(net.children[v])
    for v in reversed(todo):
        w = conv([vector] if v == top else net.W[v])  # (channels, inputs)
        if not net.children[v]:
            m = net.mode[v]
            rk = rd[:, ri.index(m)] if m in rows else np.zeros(len(rd), np.int64)
            ck = cd[:, ci.index(m)] if m not in rows else np.zeros(len(cd), np.int64)
            t = w.T  # (M, channels)
            phi[v] = t[:, None, :] if m in rows else t[None, :, :]
            keys[v] = (rk, ck)
            continue
        kids = net.children[v]
        ur, rk = np.unique(np.stack([keys[c][0] for c in kids], axis=1), axis=0, return_inverse=True)
        uc, ck = np.unique(np.stack([keys[c][1] for c in kids], axis=1), axis=0, return_inverse=True)
        out = np.empty((len(ur), len(uc), w.shape[0]), dtype=dtype)
        step = max(1, BLOCK_ENTRIES // max(1, len(uc) * w.shape[1]))
        for a in range(0, len(ur), step):
            prod = None
            for k, c in enumerate(kids):
                f = phi[c][ur[a:a + step, k][:, None], uc[None, :, k]]
                prod = f if prod is None else _mul(prod, f, p)
            acc = np.zeros(prod.shape[:2] + (w.shape[0],), dtype=dtype)
            for alpha in range(w.shape[1]):
                term = _mul(prod[:, :, alpha, None], w[None, None, :, alpha], p)
                acc = acc + term if p is None else (acc + term) % p
            out[a:a + step] = acc
        for c in kids:
            del phi[c], keys[c]
        phi[v], keys[v] = out, (rk.reshape(-1), ck.reshape(-1))
    rk, ck = keys[top]
    return phi[top][rk[:, None], ck[None, :], 0]
