"""Khrulkov, Novikov & Oseledets, *Expressive power of recurrent neural networks* (ICLR 2018, arXiv 1711.00811),
checked with exact arithmetic on tensor trains (:mod:`verifier.nets.tt`).

Of the paper's text only the title page, the abstract and the first lines of the introduction could be read
(the one stored copy found; docs/MATH.md section 5 lists what was and was not verified). The abstract: "we
prove the expressive power theorem (an exponential lower bound on the width of the equivalent shallow network)
for a class of recurrent neural networks -- ones that correspond to the Tensor Train (TT) decomposition", and
"we compare expressive powers of the HT- and TT-Networks". The paper's theorem and section numbers and the
exact wording of its hypotheses could NOT be read, so none is cited by number here; the statements below are
the package's formulations (sizes ``d = N`` sites, mode size ``n = M``, TT-ranks ``r``):

* **The expressive power theorem** (CP-rank of a generic TT; :func:`check_tt_theorem1`, "Theorem 1" in this
  package's naming, as issue 20 names it): for even ``d``, the TT tensors with TT-ranks ``r`` whose CP-rank is
  below ``q^{d/2}``, ``q = min(n, r)``, form a set of measure zero. Checked through the odd/even matricization
  ``[A]`` (Lemma C: ``rank [A] <= CP-rank``) and one point where ``rank [A] = q^{d/2}``, for independent
  (unshared) cores with every inner TT-rank ``r`` and ``d`` even.
* **Equal cores** (an RNN's shared cell, ``G_2 = .. = G_{d-1}``): the same bound, which the paper formulates
  as a Hypothesis, not proved. So says the abstract of a later submission, *Expressive Power of Tensor-Train
  Networks With Equal TT-cores* (OpenReview U5BQ9dmh78, submitted to ICOMP 2024): "For this class of
  networks, the analogous result was not proved, but formulated as a Hypothesis. We prove this Hypothesis";
  only that abstract could be read (no theorem number). Khrulkov, Hrinchuk & Oseledets (*Generalized tensor
  models for recurrent neural networks*, arXiv 1901.10801) do not prove it: for shared cores of their
  rectifier RNNs they write "we believe that the statements of Theorems 5.2 and 5.3 still hold" and give
  numerical evidence. It is checked here exactly, at the sizes reached, by one certified point per size: a
  nonzero ``R x R`` minor at one point of the shared parameter space makes that minor a nonzero polynomial on
  it, so ``rank [A] >= R`` off a null set of shared cores (evidence size by size, not a check of that proof).
* **TT versus HT** (the comparison the abstract announces): a generic HT tensor (the deep ConvAC of Cohen et
  al.) needs TT-ranks at least ``r^{log2(d)/2}`` (the minimal TT-ranks are the ranks of the contiguous
  matricizations ``[A]_{1..k}``, Oseledets 2011), and a TT with ranks ``r`` has HT-ranks at most ``r^2`` (a
  node's modes are an interval: two bonds). Both are computed here as certified generic ranks at small ``d``;
  the bounds are the forms issue 20 states, not quoted from the paper.

Every rank below is certified (a rank mod p of an integer matrix or Lemmas K and R for the lower bound, the
min-cut or the shape for the upper bound); "generic" means: reached at one seeded random point AND equal to the
min-cut (an upper bound for all weights), so it is the maximal rank.

Examples
--------
>>> rep = check_tt_theorem1(N=4, M=2, bonds=2)
>>> rep.passed, [s.status for s in rep.steps]
(True, ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'])
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import invalid
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch, ShallowArch
from ..nets.coefficients import coefficient_tensor
from ..nets.tt import TTArch, tt_cores, tt_min_cut, tt_random_weights, tt_tensor, tt_witness_weights
from ..nets.weights import DEFAULT_BOUND, random_weights
from ..rank.matricization import matricization_rank
from ..rank.tt import pair_tree_weights, tt_rank
from ..render.reports import Report, Step, status
from .theorem1 import _cert_text, _power, _show

PAPER = "Khrulkov, Novikov & Oseledets, ICLR 2018 (arXiv 1711.00811)"
#: Largest ``M^N`` for which the dense steps run.
DENSE_ENTRY_LIMIT = 3**10
#: Default sizes of the equal-cores check: (N, M, r).
EQUAL_CORE_SIZES = ((4, 2, 2), (6, 2, 2), (8, 2, 2), (10, 2, 2), (4, 3, 3), (6, 3, 3), (8, 3, 3), (8, 3, 2),
                    (6, 2, 3), (12, 2, 2))


def check_tt_theorem1(N: int = 8, M: int = 3, bonds: int = 3, seed: int = 0, bound: int = DEFAULT_BOUND,
                      dense_limit: int = DENSE_ENTRY_LIMIT) -> Report:
    """The expressive power theorem of Khrulkov et al. at one size: ``rank [A] >= q^{N/2}`` a.e. for TT-ranks ``r``,
    ``q = min(M, r)`` (module docstring: the paper's theorem number was not verified).

    Steps: (a) the min-cut of the odd/even partition (an upper bound for all cores) is at least ``q^{N/2}`` and
    the caterpillar embedding's min-cut equals the chain's; (b) the witness (pairs, :func:`tt_witness_cores
    <verifier.nets.tt.tt_witness_cores>`) has rank ``q^{N/2}`` by Lemmas K and R; (b') densely, with the pair
    tree's, the caterpillar's and the direct TT contraction's tensors equal; (c) random unshared cores reach
    ``q^{N/2}`` (certified); (c') random equal inner cores (the Hypothesis) reach it; (d) Lemma C: a shallow net
    with ``Z = q^{N/2} - 1`` has ``rank [A] <= Z``; (e) measure zero: a ``q^{N/2}``-minor is a nonzero
    polynomial of degree ``q^{N/2} N`` in the cores (each entry of ``A`` has degree N), Schwartz-Zippel.
    Dense steps are SKIP when ``M^N > dense_limit`` (the witness step runs at any N, e.g. 1024).

    Examples
    --------
    >>> [s.status for s in check_tt_theorem1(N=1024, M=2, bonds=2).steps]
    ['PASS', 'PASS', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'PASS']
    """
    unshared = TTArch(N=N, M=M, bonds=bonds)
    if N % 2:
        raise invalid("N", "an even number of sites (the theorem matricizes odd against even sites)", N)
    q = min(M, min(unshared.bond(2 * k + 1) for k in range(N // 2)))
    half = N // 2
    target = q**half
    tt = _power(q, half)
    part = parse_partition("odd-even", N)
    fits = M**N <= dense_limit
    too_big = f"M^N = {M}^{N} entries is over the dense limit {dense_limit}"
    steps = []
    cut = tt_min_cut(unshared, part.rows)
    steps.append(Step("(a) upper bound", f"rank [A] <= min-cut of the TT for all cores, and min-cut >= q^(N/2) = {tt}",
                      status(cut >= target), f"chain min-cut = {_show(cut)} (checked equal to the caterpillar's "
                      "tensor-network min-cut by every rank below)", {"min_cut": cut}))
    wit = tt_witness_weights(unshared)
    c = tt_rank(wit, part, route="structure").certificate
    steps.append(Step("(b) witness, structure", f"witness reaches rank {tt} (pairs; Lemmas K, R)",
                      status(c.certified and c.rank == target), _cert_text(c), c.to_dict()))
    if fits:
        same = bool((coefficient_tensor(wit) == tt_tensor(tt_cores(wit))).all()
                    and (coefficient_tensor(pair_tree_weights(wit)) == coefficient_tensor(wit)).all())
        cd = tt_rank(wit, part, route="dense").certificate
        steps.append(Step("(b') witness, dense", f"dense [A] of the witness has rank {tt}; pair tree = caterpillar "
                          "= TT contraction entry by entry", status(same and cd.certified and cd.rank == target),
                          _cert_text(cd) + f"; tensors equal: {same}", cd.to_dict()))
        for name, shared, s in (("(c) random, unshared", False, seed), ("(c') random, equal inner cores", True,
                                                                         seed + 1)):
            arch = TTArch(N=N, M=M, bonds=bonds, shared=shared)
            cr = tt_rank(tt_random_weights(arch, s, bound), part).certificate
            steps.append(Step(name, f"seed {s}, cores in [-{bound},{bound}]: rank [A] >= {tt}",
                              status(cr.lower.value >= target),
                              _cert_text(cr) + ("; = min-cut: generic rank" if cr.certified and cr.rank == cut else ""),
                              cr.to_dict()))
        z = target - 1
        shallow = ShallowArch(N=N, M=M, Z=max(z, 1))
        cs = matricization_rank(random_weights(shallow, seed + 3, bound), part).certificate
        steps.append(Step("(d) Lemma C", f"shallow net with Z = {z} < {tt}: rank [A] <= Z for all weights",
                          status(z >= 1 and cs.upper.value <= z < target), _cert_text(cs), cs.to_dict()))
    else:
        for name in ("(b') witness, dense", "(c) random, unshared", "(c') random, equal inner cores", "(d) Lemma C"):
            steps.append(Step(name, "dense check", "SKIP", too_big))
    reached = any(st.status == "PASS" and st.name.startswith(("(b)", "(c)")) for st in steps)
    degree = target * N
    sz = Fraction(degree, 2 * bound + 1)
    sz_text = f"{sz.numerator}/{sz.denominator}" if sz < 1 else "a bound >= 1 (vacuous at this range)"
    steps.append(Step("(e) measure zero", f"rank [A] < {tt} only on the zero set of a nonzero polynomial of degree "
                      f"{q}^{half} * {N} in the cores", status(reached and steps[0].status == "PASS"),
                      f"a {q}^{half} minor is nonzero at a certified point; Schwartz-Zippel for cores uniform on "
                      f"[-{bound},{bound}]: P[rank < {tt}] <= {sz_text}",
                      {"degree": degree, "schwartz_zippel": [sz.numerator, sz.denominator]}))
    params = {"N": N, "M": M, "bonds": bonds if isinstance(bonds, int) else ",".join(map(str, unshared.bonds)),
              "seed": seed, "bound": bound}
    conclusion = (f"generic rank [A] >= {tt}, so CP-rank(A) >= {tt} off a null set of TT cores and a shallow net "
                  f"needs Z >= {tt}")
    return Report("TT expressive power theorem", f"{PAPER}: its expressive power theorem (CP-rank of a generic TT; "
                  "theorem number not verified)", params, steps, conclusion)


def check_tt_equal_cores(sizes=EQUAL_CORE_SIZES, seed: int = 0, bound: int = DEFAULT_BOUND) -> Report:
    """Equal TT-cores (formulated as a Hypothesis by Khrulkov et al.; module docstring), checked exactly: for each
    ``(N, M, r)`` a TT whose inner cores ``G_2 = .. = G_{N-1}`` are one random core reaches
    ``rank [A] >= q^{N/2}`` (certified), so the bound holds for almost all shared cores at that size; the
    certified rank is also compared with the unshared generic rank (the min-cut), up to N = 12. (The spans
    route reaches N = 1024, rank 2^1023 against 2^512 at M = 4, r = 2, but its argument has no certificate
    format, so the checker gate does not let it certify.)

    Examples
    --------
    >>> check_tt_equal_cores(sizes=((4, 2, 2),)).passed
    True
    """
    steps = []
    part_cache = {}
    for N, M, r in sizes:
        arch = TTArch(N=N, M=M, bonds=r, shared=True)
        part = part_cache.setdefault(N, parse_partition("odd-even", N))
        q = min(M, r)
        target = q ** (N // 2)
        cut = tt_min_cut(arch, part.rows)
        c = tt_rank(tt_random_weights(arch, seed, bound), part).certificate
        steps.append(Step(f"N={N} M={M} r={r}", f"equal inner cores: rank [A] >= q^(N/2) = {_power(q, N // 2)}",
                          status(c.lower.value >= target),
                          _cert_text(c) + (f"; equals the unshared generic rank (min-cut {_show(cut)})" if c.certified
                                           and c.rank == cut else f"; unshared min-cut {_show(cut)}"),
                          {"rank": c.rank, "target": target, "min_cut": cut}))
    return Report("TT equal cores", f"{PAPER}: equal TT-cores (shared cell), left there as a Hypothesis; checked at "
                  "fixed sizes",
                  {"seed": seed, "bound": bound}, steps,
                  "at every size checked, equal TT-cores reach q^(N/2) off a null set of shared cores")


def ht_tt_ranks(N: int, M: int, r: int, seed: int = 0, bound: int = DEFAULT_BOUND) -> list:
    """Certified ranks of ``[A]_{1..k}`` (``k = 1..N-1``) of a random deep ConvAC (all widths ``r``): the TT-ranks
    a TT needs to represent it exactly (Oseledets 2011), each with the tree's min-cut.

    Examples
    --------
    >>> [(c.rank, cut) for c, cut in ht_tt_ranks(8, 2, 2)]
    [(2, 2), (2, 2), (4, 4), (2, 2), (4, 4), (2, 2), (2, 2)]
    """
    arch = DeepArch(N=N, M=M, widths=(r,) * (N.bit_length() - 1))
    w = random_weights(arch, seed, bound)
    out = []
    for k in range(1, N):
        rep = matricization_rank(w, parse_partition("rows:" + ",".join(str(i + 1) for i in range(k)), N))
        out.append((rep.certificate, rep.min_cut.value))
    return out


def tt_ht_ranks(N: int, M: int, r: int, seed: int = 0, bound: int = DEFAULT_BOUND) -> list:
    """Certified ranks of ``[A]_{modes(v)}`` for the internal non-root nodes ``v`` of the balanced binary tree, ``A``
    a random TT with bonds ``r``: the HT-ranks an HT (deep net) needs to represent it, each with the TT's min-cut.

    Examples
    --------
    >>> [(c.rank, cut) for c, cut in tt_ht_ranks(8, 2, 2)]
    [(2, 2), (4, 4), (2, 2), (4, 4), (2, 2), (2, 2)]
    """
    from ..nets.trees import balanced_binary_tree

    arch = TTArch(N=N, M=M, bonds=r)
    w = tt_random_weights(arch, seed, bound)
    tree = balanced_binary_tree(N)
    out = []
    for v in tree.postorder():
        if tree.is_leaf(v) or v == tree.root:
            continue
        part = parse_partition("rows:" + ",".join(str(i + 1) for i in tree.modes(v)), N)
        rep = tt_rank(w, part)
        out.append((rep.certificate, rep.min_cut.value))
    return out


def check_tt_vs_ht(sizes=((8, 2, 2), (16, 2, 2), (8, 3, 3)), seed: int = 0, bound: int = DEFAULT_BOUND) -> Report:
    """TT versus HT (the comparison of HT- and TT-Networks in Khrulkov et al.) as exact generic ranks at small ``d``.

    For each ``(N, M, r)`` (``N`` a power of 2, ``M >= r``): the largest TT-rank a generic HT tensor with ranks
    ``r`` needs, checked ``>= r^{log2(N)/2}`` (squared: ``>= r^{log2 N}``, exact integers), and the largest
    HT-rank a generic TT with ranks ``r`` needs, checked ``<= r^2`` and reached. Generic: every rank certified and
    equal to its min-cut.

    Examples
    --------
    >>> check_tt_vs_ht(sizes=((4, 2, 2),)).passed
    True
    """
    steps = []
    for N, M, r in sizes:
        L = N.bit_length() - 1
        ht = ht_tt_ranks(N, M, r, seed, bound)
        generic = all(c.certified and c.rank == cut for c, cut in ht)
        need = max(c.upper.value for c, _ in ht)
        steps.append(Step(f"HT->TT N={N} M={M} r={r}", f"a generic HT tensor with ranks {r} needs TT-rank >= "
                          f"r^(log2(N)/2) = {r}^({L}/2)", status(generic and need**2 >= r**L),
                          f"certified generic TT-ranks (rank [A]_(1..k) = min-cut, k = 1..{N - 1}): "
                          f"{[c.rank for c, _ in ht]}; max {need}", {"tt_ranks": [c.rank for c, _ in ht]}))
        tt = tt_ht_ranks(N, M, r, seed, bound)
        generic = all(c.certified and c.rank == cut for c, cut in tt)
        most = max(c.upper.value for c, _ in tt)
        expect = min(r * r, M**2) if N >= 8 else min(r, M**2)  # N = 4: every inner node touches an end
        steps.append(Step(f"TT->HT N={N} M={M} r={r}", f"a generic TT with ranks {r} needs HT-rank exactly "
                          f"{expect} (a node's modes are an interval: two bonds, one at an end)",
                          status(generic and most == expect),
                          f"certified generic HT-ranks (rank [A]_(modes(v)) = min-cut, inner nodes): "
                          f"{[c.rank for c, _ in tt]}; max {most}", {"ht_ranks": [c.rank for c, _ in tt]}))
    return Report("TT vs HT", f"{PAPER}: HT- and TT-Networks compared", {"seed": seed, "bound": bound},
                  steps, "HT -> TT needs exponentially large TT-ranks (r^(log2 N / 2) and up); TT -> HT needs r^2")


def tt_reports() -> list:
    """What ``verifier prove`` runs for the TT paper: the expressive power theorem at N = 8 (M = r = 3) and N = 10
    (M = 2, r = 3), the witness at N = 1024, equal cores (the Hypothesis), TT versus HT."""
    return [check_tt_theorem1(), check_tt_theorem1(N=10, M=2, bonds=3, seed=4),
            check_tt_theorem1(N=1024, M=3, bonds=3), check_tt_equal_cores(), check_tt_vs_ht()]
