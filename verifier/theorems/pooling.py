"""Pooling geometry and the min-cut: the follow-up statements of the COLT 2016 line, checked exactly.

1. **ICLR 2017, Theorem 1** (Cohen & Shashua, *Inductive Bias of Deep Convolutional Networks through
   Pooling Geometry*, arXiv 1605.06743): for a deep net pooling 2x2 windows of an image, with SHARED
   weights, ``rank [A]_{I,J} >= min(r_0, M)^S`` for almost all weights, S the number of size-4 pooling
   groups (level-1 windows) that ``(I, J)`` splits; for ``I`` the first half of the positions (the top
   half of the image) ``rank [A]_{I,J} <= r_{L-1}`` for all weights.
2. **arXiv 1703.06846, Section 6** (Cohen, Tamari & Shashua, ICLR 2018): N = 16, I = {1,3,5,7,9,10,13,14};
   the dilated network's tree T and the tree T-bar with the first two dilations swapped both bound
   ``rank [A]_I`` by ``r^{min(|Theta(I;T)|, |Theta(I^c;T)|)} = r^6`` (Theta: the tiling of I by maximal
   tree nodes), the hybrid tree (T's pairing on the first half, T-bar's on the second) by ``r^8``.
3. **Levine, Yakira, Cohen & Shashua (ICLR 2018), Theorem 1**: with unshared weights and all bond
   dimensions powers of one integer, the generic rank equals the min-cut of the tensor network; checked
   on seeded random geometries (windows, images, random trees) and partitions.
4. **Shared weights can fall strictly below the min-cut** (MATH.md section 5): binary N = 8, M = 2, widths
   4,4,1, rows {1,2,5,6}: min-cut 16, rank 9 with shared weights (each pair's level-1 tensor is
   symmetric in its two modes, so rank <= C(M+1, 2)^2 = 9 for ALL shared weights).

Every rank is certified (a lower bound by rank mod p of the integer matrix, an upper bound by structure
or a kernel certificate); every min-cut is the exact product of the dimensions of a checked cut.

Examples
--------
>>> tiling_size(tree_from_nested(MIXED_EXAMPLE_TREES["hybrid"]), frozenset(m - 1 for m in MIXED_EXAMPLE_ROWS))
8
"""

from __future__ import annotations

import random

import numpy as np

from ..errors import check_int, invalid
from ..exact.tensors import Partition
from ..nets.architectures import DeepArch
from ..nets.coefficients import coefficient_tensor
from ..nets.geometry import IMAGE_PARTITIONS, named_partition, random_tree, tree_from_nested
from ..nets.trees import ModeTree
from ..nets.weights import DEFAULT_BOUND, random_weights
from ..rank.bias import random_partitions
from ..rank.matricization import matricization_rank
from ..rank.mincut import min_cut
from ..render.reports import Report, Step, status

#: The example of arXiv 1703.06846, Section 6 (1-based modes); the same trees are in proofs/data/.
MIXED_EXAMPLE_ROWS = (1, 3, 5, 7, 9, 10, 13, 14)
MIXED_EXAMPLE_TREES = {
    "T": [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[9, 10], [11, 12]], [[13, 14], [15, 16]]]],
    "T-bar": [[[[1, 3], [2, 4]], [[5, 7], [6, 8]]], [[[9, 11], [10, 12]], [[13, 15], [14, 16]]]],
    "hybrid": [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[9, 11], [10, 12]], [[13, 15], [14, 16]]]],
}
MIXED_EXAMPLE_EXPONENTS = {"T": 6, "T-bar": 6, "hybrid": 8}


def _part(N: int, rows) -> Partition:
    rows = tuple(sorted(rows))
    return Partition(N, rows, "rows:" + ",".join(str(m + 1) for m in rows))


def _cert(weights, part):
    c = matricization_rank(weights, part).certificate
    text = f"rank {c.rank}" if c.certified else f"{c.lower.value} <= rank <= {c.upper.value}"
    return c, f"{text} [lower: {c.lower.method}]"


def split_groups(tree, rows: frozenset) -> int:
    """S: the number of level-1 pooling nodes whose modes meet both I and J.

    Examples
    --------
    >>> from verifier.nets.geometry import image_tree
    >>> split_groups(image_tree(4), frozenset({0, 1, 4, 5}))   # the top-left window, whole: no split
    0
    """
    if not isinstance(tree, ModeTree):
        raise invalid("tree", "a ModeTree", tree)
    return sum(1 for v in tree.postorder() if tree.depth(v) == 1
               and 0 < len(rows & set(tree.modes(v))) < len(tree.modes(v)))


def tiling_size(tree, rows: frozenset) -> int:
    """``|Theta(I;T)|``: the number of maximal tree nodes whose modes all lie in I (arXiv 1703.06846).

    Examples
    --------
    >>> tiling_size(tree_from_nested(MIXED_EXAMPLE_TREES["T"]), frozenset({0, 2, 4, 6, 8, 9, 12, 13}))
    6
    """
    if not isinstance(tree, ModeTree):
        raise invalid("tree", "a ModeTree", tree)
    inside = {v for v in tree.postorder() if set(tree.modes(v)) <= rows}
    return sum(1 for v in inside if v == tree.root or tree.parent(v) not in inside)


def check_iclr2017_theorem1(side: int = 4, M: int = 2, widths=(2, 2), seed: int = 0, bound: int = DEFAULT_BOUND,
                            n_random: int = 4) -> Report:
    """ICLR 2017 Theorem 1 on an ``side x side`` image with 2x2 pooling and shared weights.

    Examples
    --------
    >>> check_iclr2017_theorem1(n_random=0).passed
    True
    """
    side, M = check_int(side, "side", 2, 64), check_int(M, "M", 1)
    seed, bound = check_int(seed, "seed", 0), check_int(bound, "bound", 1, 10**18)
    n_random = check_int(n_random, "n_random", 0, 1000)
    arch = DeepArch(N=side * side, M=M, widths=widths, shared=True, tree=f"image:{side}x{side}")
    w = random_weights(arch, seed, bound)
    r = min(arch.widths[0], M)
    parts = [named_partition(p, arch.tree) for p in ("odd-even", "low-high") + IMAGE_PARTITIONS]
    parts += random_partitions(arch.N, n_random, seed)
    steps = []
    for p in parts:
        S = split_groups(arch.tree, frozenset(p.rows))
        c, text = _cert(w, p)
        steps.append(Step(f"split {p.spec}", f"S = {S} split 2x2 windows: rank >= min(r_0,M)^S = {r ** S}",
                          status(c.lower.value >= r ** S), text, {"S": S, "rank": c.rank}))
    top = named_partition("top-bottom", arch.tree)
    last = arch.widths[-1]
    cut = min_cut(arch, top)
    steps.append(Step("top half", f"I = {{1..N/2}} (top half): rank <= r_(L-1) = {last} for all weights",
                      status(cut.value <= last), f"min-cut {cut.value}: {cut.method}", {"min_cut": cut.value}))
    params = {"image": f"{side}x{side}", "M": M, "widths": list(arch.widths), "shared": True, "seed": seed,
              "bound": bound}
    return Report("Pooling geometry: 2x2 windows", "Cohen & Shashua, ICLR 2017, Theorem 1", params, steps,
                  "the split windows, not the size of I, set the rank: cheap for halves, exponential for "
                  "interleaved partitions")


def check_mixed_example(trees=None, r: int = 2, seed: int = 0, bound: int = DEFAULT_BOUND) -> Report:
    """The worked example of arXiv 1703.06846, Section 6: ``r^6`` for T and T-bar, ``r^8`` for the hybrid.

    ``trees`` maps names to nested lists (default :data:`MIXED_EXAMPLE_TREES`; ``proofs/pooling_geometry.py``
    passes the tree files of ``proofs/data/``). All dimensions are r (M = r_l = r).
    """
    if trees is not None and not isinstance(trees, dict):
        raise invalid("trees", "None or a dict of name -> tree", trees)
    r, seed, bound = check_int(r, "r", 1, 64), check_int(seed, "seed", 0), check_int(bound, "bound", 1, 10**18)
    trees = MIXED_EXAMPLE_TREES if trees is None else trees
    rows = frozenset(m - 1 for m in MIXED_EXAMPLE_ROWS)
    steps = []
    for name, nested in trees.items():
        tree = tree_from_nested(nested, name, arg=f"trees[{name!r}]")
        arch = DeepArch(N=16, M=r, widths=(r,) * tree.height, tree=tree)
        part = _part(16, rows)
        cols = frozenset(range(16)) - rows
        k = min(tiling_size(tree, rows), tiling_size(tree, cols))
        want = MIXED_EXAMPLE_EXPONENTS.get(name)
        cut = min_cut(arch, part)
        c, text = _cert(random_weights(arch, seed, bound), part)
        ok = (want is None or k == want) and cut.value == r ** k and c.certified and c.rank == r ** k
        steps.append(Step(f"tree {name}", f"rank [A]_I = r^min(|Theta(I)|,|Theta(I^c)|) = {r}^{k}"
                          + (f" (paper: r^{want})" if want is not None else ""),
                          status(ok), f"min-cut {cut.value}; {text}", {"exponent": k, "min_cut": cut.value,
                                                                        "rank": c.rank}))
    params = {"N": 16, "r": r, "I": ",".join(map(str, MIXED_EXAMPLE_ROWS)), "seed": seed}
    return Report("Mode trees: the hybrid tree", "Cohen, Tamari & Shashua, arXiv 1703.06846, Section 6", params,
                  steps, "the hybrid tree models the correlation of I with rank r^8 where T and T-bar give r^6")


def _random_geometry(rng):
    kind = rng.choice(["binary", "window", "image", "tree", "tree"])
    if kind == "binary":
        N = rng.choice([4, 8])
        return DeepArch(N=N, M=2, widths=tuple(rng.choice([1, 2, 4]) for _ in range(N.bit_length() - 1)))
    if kind == "window":
        return DeepArch(N=9, M=2, widths=tuple(rng.choice([1, 2, 4]) for _ in range(2)), tree="window:3")
    if kind == "image":
        return DeepArch(N=16, M=2, widths=(rng.choice([2, 4]), rng.choice([1, 2, 4])), tree="image:4x4")
    tree = random_tree(rng.randint(3, 9), rng)
    return DeepArch(N=tree.n_modes, M=2, widths=tuple(rng.choice([1, 2, 4]) for _ in range(tree.height)), tree=tree)


def check_levine_equality(cases: int = 24, seed: int = 0, bound: int = DEFAULT_BOUND) -> Report:
    """Generic rank = min-cut for unshared weights, all dimensions powers of 2, on random geometries.

    Case ``k`` draws its geometry, widths (from {1, 2, 4}, M = 2) and a partition (each mode in I with
    probability 1/2, both sides nonempty) with ``random.Random(seed + k)``, and its weights with
    ``random_weights(arch, seed + k, bound)``.

    Examples
    --------
    >>> check_levine_equality(cases=3).passed
    True
    """
    cases, seed = check_int(cases, "cases", 1, 1000), check_int(seed, "seed", 0)
    bound = check_int(bound, "bound", 1, 10**18)
    by_kind: dict = {}
    for k in range(cases):
        rng = random.Random(seed + k)
        arch = _random_geometry(rng)
        rows = set()
        while not 0 < len(rows) < arch.N:
            rows = {m for m in range(arch.N) if rng.random() < 0.5}
        part = _part(arch.N, rows)
        cut = min_cut(arch, part)
        c = matricization_rank(random_weights(arch, seed + k, bound), part).certificate
        kind = arch.tree.name.split(":")[0]
        entry = by_kind.setdefault(kind, [0, 0, []])
        entry[0] += 1
        if c.certified and c.rank == cut.value:
            entry[1] += 1
        else:
            entry[2].append(f"case {k}: N={arch.N} widths={arch.widths} {part.spec}: min-cut {cut.value}, "
                            f"{c.lower.value} <= rank <= {c.upper.value}")
    steps = [Step(f"{kind} geometries", "certified rank at random unshared weights = min-cut", status(n == ok),
                  f"{ok}/{n} cases equal" + (": " + "; ".join(bad[:3]) if bad else ""), {"cases": n, "equal": ok})
             for kind, (n, ok, bad) in sorted(by_kind.items())]
    return Report("Min-cut equality", "Levine, Yakira, Cohen & Shashua, ICLR 2018, Theorem 1",
                  {"cases": cases, "M": 2, "widths": "from {1,2,4}", "seed": seed, "bound": bound}, steps,
                  "with unshared weights the min-cut of the tensor network (delta nodes included) is the generic rank")


def check_shared_below_mincut(seed: int = 0, bound: int = DEFAULT_BOUND) -> Report:
    """With shared weights the rank can fall strictly below the min-cut: N = 8, M = 2, widths 4,4,1, rows {1,2,5,6}.

    Examples
    --------
    >>> [s.status for s in check_shared_below_mincut().steps]
    ['PASS', 'PASS', 'PASS', 'PASS']
    """
    part = _part(8, {0, 1, 4, 5})
    unshared = DeepArch(N=8, M=2, widths=(4, 4, 1))
    shared = DeepArch(N=8, M=2, widths=(4, 4, 1), shared=True)
    cut = min_cut(shared, part)
    steps = [Step("min-cut", "min-cut of the tensor network = 16 (an upper bound for all weights)",
                  status(cut.value == 16), cut.method, {"min_cut": cut.value})]
    cu, text = _cert(random_weights(unshared, seed, bound), part)
    steps.append(Step("unshared", "unshared random weights reach the min-cut 16", status(cu.rank == 16), text))
    ws = random_weights(shared, seed + 1, bound)
    cs, text = _cert(ws, part)
    steps.append(Step("shared", "shared random weights: rank 9 < 16 = min-cut", status(cs.rank == 9 < cut.value),
                      text, {"rank": cs.rank}))
    t = coefficient_tensor(ws)
    symmetric = bool((t == np.swapaxes(t, 0, 1)).all() and (t == np.swapaxes(t, 4, 5)).all())
    steps.append(Step("why", "shared weights make each pair's tensor symmetric in its two modes, so the rows lie "
                      "in Sym^2(R^M) (x) Sym^2(R^M): rank <= C(M+1,2)^2 = 9 for all shared weights",
                      status(symmetric and cs.rank <= 9),
                      "A(x1,x2,..) = A(x2,x1,..) and modes 5,6 likewise, exactly, at these weights"))
    return Report("Shared weights below the min-cut", "MATH.md section 5; Levine et al., ICLR 2018",
                  {"N": 8, "M": 2, "widths": "4,4,1", "rows": "1,2,5,6", "seed": seed}, steps,
                  "the min-cut is an upper bound; with shared weights it need not be attained")


def pooling_reports() -> list:
    """The reports ``verifier prove`` runs for the pooling geometry (default sizes)."""
    return [check_iclr2017_theorem1(), check_mixed_example(), check_levine_equality(),
            check_shared_below_mincut()]
