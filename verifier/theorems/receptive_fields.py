"""Receptive fields larger than 1x1: what overlapping convolutions add to the deep ConvAC's ranks.

The COLT 2016 paper uses 1x1 convolutions; Sharir & Shashua, *On the Expressive Power of Overlapping
Architectures of Deep Learning* (ICLR 2018, arXiv 1703.02065) show that overlapping receptive fields (a
receptive field larger than the stride) raise the rank of the grid tensor's matricizations, in particular
for partitions that a non-overlapping network can only separate cheaply. Our 1-D instance
(:class:`~verifier.nets.receptive.KernelArch`: every conv layer reads K consecutive positions, stride 1,
zero padding on the right, then size-2 product pooling) is ranked through its grid tensor
``A(d_1..d_N) = h_y(e_{d_1}..e_{d_N})``.

**Statements checked** (the steps of :func:`check_receptive_fields`):

(a) ``K = 1`` is the COLT net: its grid tensor equals the coefficient tensor (exact), and its certified
    ranks are those of :func:`~verifier.rank.matricization.matricization_rank` on every partition tried;
(b) a ``K``-net with its taps ``k >= 1`` set to zero computes the 1x1 net exactly, so the generic rank of
    ``[A]_{I,J}`` can only grow with K; random weights show ``K = 2`` reaching at least the 1x1 generic rank;
(c) the forward pass and the broadcast construction of the grid tensor agree entry by entry;
(d) low/high: the 1x1 net's rank is at most ``min(r_{L-2}, r_{L-1})`` for all weights (a cut of the tree), and
    a receptive field of 2 exceeds it (a certified lower bound from random weights).

The generic rank is certified when the rank reached by random weights (a lower bound on the generic rank:
``rank mod p``) meets a structural upper bound valid for all weights (the separation or interface bound of
:mod:`verifier.rank.grid`); otherwise it is reported as a range.

Examples
--------
>>> rows = receptive_rows([(8, 2, (1, 1, 1), 2, "low-high")])
>>> rows[0]["lower"], rows[0]["upper"], rows[0]["generic"]
(5, 5, 5)
"""

from __future__ import annotations

import itertools
import random

import numpy as np

from ..errors import check_int, invalid
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch
from ..nets.coefficients import coefficient_tensor
from ..nets.receptive import KernelArch, grid_tensor, kernel_evaluate
from ..nets.weights import DEFAULT_BOUND, Weights, random_weights
from ..rank.grid import grid_rank
from ..rank.matricization import matricization_rank, structural_upper_bounds
from ..render.reports import Report, Step, status

REFERENCE = ("Sharir & Shashua, On the Expressive Power of Overlapping Architectures of Deep Learning, ICLR 2018 "
             "(arXiv 1703.02065); Cohen, Sharir & Shashua, COLT 2016 (1x1 convolutions)")


def receptive_rows(grid, seed: int = 0, bound: int = DEFAULT_BOUND) -> list[dict]:
    """One row per ``(N, M, widths, K, partition)``: the rank reached by random weights (certified lower bound
    on the generic rank), the structural upper bound, the generic rank (or ``'lo..hi'``), parameter counts.

    Examples
    --------
    >>> r = receptive_rows([(8, 2, (2, 2, 2), 1, "low-high")])[0]
    >>> r["generic"], r["params"], r["params_shared"]
    (2, 58, 14)
    """
    if not isinstance(grid, (list, tuple)) or not all(isinstance(g, (list, tuple)) and len(g) == 5 for g in grid):
        raise invalid("grid", "a list of (N, M, widths, K, partition) tuples", grid)
    seed, bound = check_int(seed, "seed", 0), check_int(bound, "bound", 1, 10**18)
    rows = []
    for N, M, widths, K, spec in grid:
        arch = KernelArch(N=N, M=M, widths=widths, kernel=K)
        part = parse_partition(spec, N)
        cert = grid_rank(random_weights(arch, seed, bound), part, point_certificate=False).certificate
        lo, hi = cert.lower.value, cert.upper.value
        rows.append({"N": N, "M": M, "widths": ",".join(map(str, widths)), "K": K, "partition": spec,
                     "lower": lo, "upper": hi, "generic": lo if lo == hi else f"{lo}..{hi}",
                     "how": _short(cert.lower.method) + " / " + _short(cert.upper.method),
                     "params": arch.n_weights,
                     "params_shared": KernelArch(N=N, M=M, widths=widths, kernel=K, shared=True).n_weights})
    return rows


def _short(method: str) -> str:
    for key, label in (("rank mod p", "mod p"), ("interface", "interface"), ("separation", "separation"),
                       ("matrix shape", "shape"), ("kernel", "kernel"), ("exact over Q", "exact")):
        if key in method:
            return label
    return method


def _as_deep(weights) -> Weights:
    """The same K = 1 weights as weights of the COLT deep net."""
    a = weights.arch
    deep = DeepArch(N=a.N, M=a.M, widths=a.widths, Y=a.Y, shared=a.shared)
    return Weights(deep, weights.arrays, weights.kind, weights.seed, weights.bound)


def _embed(weights, K: int) -> Weights:
    """1x1 weights as K-net weights whose taps ``k >= 1`` are zero."""
    a = weights.arch
    arch = KernelArch(N=a.N, M=a.M, widths=a.widths, Y=a.Y, shared=a.shared, kernel=K)
    arrays = {}
    for v, w in weights.arrays.items():
        rows, cols = arch.node_shape(v)
        out = np.zeros((rows, cols), dtype=object)
        out[:, :w.shape[1]] = w
        arrays[v] = out
    return Weights(arch, arrays, "embedded")


def check_receptive_fields(seed: int = 0, bound: int = DEFAULT_BOUND) -> Report:
    """The receptive-field proof check (module docstring), at N = 8 and 16, M = 2 and 3.

    Examples
    --------
    >>> rep = check_receptive_fields()
    >>> rep.passed, [s.status for s in rep.steps]
    (True, ['PASS', 'PASS', 'PASS', 'PASS', 'PASS'])
    """
    seed, bound = check_int(seed, "seed", 0), check_int(bound, "bound", 1, 10**18)
    steps = []
    # (a) K = 1 is the COLT net
    a1 = KernelArch(N=8, M=3, widths=(2, 3, 2), Y=2, kernel=1)
    w1 = random_weights(a1, seed, bound)
    same = all((grid_tensor(w1, y) == coefficient_tensor(_as_deep(w1), y)).all() for y in range(2))
    steps.append(Step("(a) K = 1 grid = coefficient tensor", "the 1x1 net's grid tensor is its coefficient tensor",
                      status(same), "N=8 M=3 widths 2,3,2, both outputs, exact"))
    compared, agree = 0, True
    for N, M, widths in ((8, 3, (2, 3, 2)), (16, 2, (2, 2, 2, 2)), (8, 2, (2, 1, 1))):
        w = random_weights(KernelArch(N=N, M=M, widths=widths, kernel=1), seed, bound)
        for spec in ("odd-even", "low-high", "rows:1,2,5,8"):
            p = parse_partition(spec, N)
            g = grid_rank(w, p).certificate
            c = matricization_rank(_as_deep(w), p, route="dense").certificate
            compared += 1
            agree = agree and g.certified and c.certified and g.rank == c.rank
    steps.append(Step("(a') K = 1 ranks", "grid ranks at K = 1 equal today's certified ranks", status(agree),
                      f"{compared} (architecture, partition) pairs, all certified and equal"))
    # (b) zero taps embed the 1x1 net, so larger K never loses generic rank
    emb_ok, grows = True, []
    for N, M, widths in ((8, 2, (2, 2, 2)), (16, 2, (1, 1, 1, 1))):
        w = random_weights(KernelArch(N=N, M=M, widths=widths, kernel=1), seed, bound)
        for K in (2, 3):
            emb_ok = emb_ok and bool((grid_tensor(_embed(w, K)) == grid_tensor(w)).all())
        for spec in ("odd-even", "low-high"):
            p = parse_partition(spec, N)
            r1 = grid_rank(w, p).certificate
            r2 = grid_rank(random_weights(KernelArch(N=N, M=M, widths=widths, kernel=2), seed, bound), p,
                           point_certificate=False).certificate
            grows.append((N, spec, r1.rank, r2.lower.value, r1.certified and r2.lower.value >= r1.rank))
    steps.append(Step("(b) K = 2 >= K = 1", "zero taps k >= 1 give the 1x1 net exactly; K = 2 reaches at least "
                      "the 1x1 generic rank", status(emb_ok and all(g[-1] for g in grows)),
                      "; ".join(f"N={n} {s}: K=1 {r1}, K=2 >= {r2}" for n, s, r1, r2, _ in grows)))
    # (c) forward pass = broadcast grid construction
    rng = random.Random(seed)
    a3 = KernelArch(N=8, M=3, widths=(2, 2, 2), kernel=3, Y=2)
    w3 = random_weights(a3, seed, bound)
    grids = [grid_tensor(w3, y) for y in range(2)]
    eye = np.eye(3, dtype=int)
    picks = [tuple(rng.randrange(3) for _ in range(8)) for _ in range(20)]
    fwd = all(list(kernel_evaluate(w3, eye[list(d)])) == [g[d] for g in grids] for d in picks)
    steps.append(Step("(c) forward pass", "the network run forward on one-hot inputs gives the grid tensor's entries",
                      status(fwd), "N=8 M=3 widths 2,2,2 K=3, 20 random entries, both outputs, exact"))
    # (d) low/high: the 1x1 bound is beaten
    N, M, widths = 16, 2, (2, 2, 2, 2)
    p = parse_partition("low-high", N)
    cut = min(b.value for b in structural_upper_bounds(DeepArch(N=N, M=M, widths=widths), p))
    r2 = grid_rank(random_weights(KernelArch(N=N, M=M, widths=widths, kernel=2), seed, bound), p,
                   point_certificate=False).certificate
    steps.append(Step("(d) low/high", "K = 1: rank <= min(r_{L-2}, r_{L-1}) for all weights; K = 2 exceeds it",
                      status(r2.lower.value > cut),
                      f"N=16 M=2 widths 2,2,2,2: K=1 <= {cut} (tree cut), K=2 >= {r2.lower.value} "
                      f"({r2.lower.method}), K=2 <= {r2.upper.value} for all weights"))
    return Report("Receptive fields larger than 1x1", REFERENCE, {"seed": seed, "bound": bound}, steps,
                  "a larger receptive field never lowers the generic rank and lifts the low/high rank above the "
                  "1x1 net's width bound")


#: The default grid of ``verifier table --kind receptive-fields``.
TABLE_GRID = [(N, 2, (w,) * (N.bit_length() - 1), K, spec)
              for N, w, spec, K in itertools.product((8, 16), (2, 1), ("odd-even", "low-high"), (1, 2, 3))]
