"""The data of the figures of ``verifier plot`` and ``verifier prove --out``: exact, certified results as
:class:`~verifier.render.plots.Plot` objects (drawing is :mod:`verifier.render.plots`).

Kinds
-----
``theorem1``
    Theorem 1: the certified rank of ``[A]`` (odd modes as rows) of the deep ConvAC, i.e. the number of
    channels ``Z*`` it forces on a shallow net (Lemma C), against ``N`` = 2..1024, for ``M = 3`` and all
    widths ``r`` = 2 and 3; the formula ``min(r_0, M)^{N/2}`` dashed, and the deep net's parameter count.
    Random weights (seed 0) where ``M^N <= 3^8`` (dense route), the witness (Lemmas K and R) above.
``params``
    Corollary 1: parameters of the deep net (``M = 3``, widths 2) against those of the smallest shallow net
    the rank argument admits (``Z* = 2^{N/2}`` channels), unshared and shared, against ``N``.
``measure-zero``
    Theorem 1's "almost everywhere": the rate of rank-deficient samples for weights uniform on ``{-k..k}``
    (N = 4, M = 2, widths 2,1; exact counts), the exact probability from the factored certificate
    polynomial, and the Schwartz-Zippel bound ``deg / (2k + 1)``, against ``k``.
``geometry``
    The certified rank of ``[A]_{I,J}`` for the named partitions ``(I, J)`` of a pooling geometry (by
    default the 4x4 image with 2x2 windows: odd-even, low-high, left-right, top-bottom, checkerboard,
    column-interleaved), with the min-cut of the tensor network (an upper bound for all weights) and the
    size bound ``M^{min(|I|, |J|)}``. :func:`geometry_plot` takes any architecture and partitions.
``tt``
    Tensor trains (Khrulkov et al., ICLR 2018): CP-rank lower bounds of TT and HT and the parameters of TT, HT
    and the shallow net against N (:func:`verifier.theorems.tt_figures.tt_plot`).

Every value is certified (both bounds meet) or the figure is refused: nothing uncertified is drawn.

Examples
--------
>>> p = build_plot("theorem1", sizes=range(1, 4))
>>> [(s.label, s.y) for s in p.series if s.style == "points"]
[('rank [A], widths 2 (certified)', (2, 4, 16)), ('rank [A], widths 3 (certified)', (3, 9, 81))]
"""

from __future__ import annotations

from ..errors import InvalidArgumentError, check_int, invalid
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch
from ..nets.weights import random_weights, witness_weights
from ..rank.matricization import matricization_rank, structural_upper_bounds
from ..render.plots import Plot, Series
from .params import corollary1_comparison
from .tables import how_certified

KINDS = ("theorem1", "params", "measure-zero", "geometry", "tt")
#: Sizes N = 2^L, L in this range, of the theorem1 and params figures.
LEVELS = range(1, 11)
#: Rows with more tensor entries than this use the witness (structure route) instead of random weights.
DENSE_LIMIT = 3**8


def _certified(report, what: str) -> int:
    cert = report.certificate
    if not cert.certified:  # pragma: no cover - every default point is certified
        raise InvalidArgumentError(f"Argument 'sizes' must give certified ranks only, got {cert.lower.value} <= "
                                   f"rank <= {cert.upper.value} for {what}.")
    return cert.rank


def _check_sizes(sizes) -> None:
    """``sizes``: a non-empty list of levels ``L`` (N = 2^L), each in 1..15."""
    if not isinstance(sizes, (list, tuple, range)) or not sizes:
        raise invalid("sizes", "a non-empty list of levels L in 1..15 (N = 2^L)", sizes)
    for L in sizes:
        check_int(L, "sizes", 1, 15)


def theorem1_plot(sizes=LEVELS, M: int = 3, ranks=(2, 3), seed: int = 0) -> Plot:
    """Theorem 1: certified ``rank [A]`` (= ``Z*``) of deep nets with all widths ``r`` against ``N = 2^L``."""
    _check_sizes(sizes)
    M, seed = check_int(M, "M", 1, 64), check_int(seed, "seed", 0)
    if not isinstance(ranks, (list, tuple)) or not ranks:
        raise invalid("ranks", "a non-empty list of positive integers", ranks)
    for r in ranks:
        check_int(r, "ranks", 1, 64)
    series, how = [], set()
    for r, color in zip(ranks, ("C0", "C3", "C2", "C1", "C4")):
        Ns, got, formula, params = [], [], [], []
        for L in sizes:
            N = 2**L
            arch = DeepArch(N=N, M=M, widths=(r,) * L)
            w = random_weights(arch, seed) if M**N <= DENSE_LIMIT else witness_weights(arch)
            rep = matricization_rank(w, parse_partition("odd-even", N))
            how.add(how_certified(rep.certificate))
            Ns.append(N)
            got.append(_certified(rep, f"N={N}, widths {r}"))
            formula.append(min(r, M) ** (N // 2))
            params.append(arch.n_weights)
        series += [Series(f"rank [A], widths {r} (certified)", tuple(Ns), tuple(got), "points", color),
                   Series(f"min(r_0, M)^(N/2), r_0 = {r}", tuple(Ns), tuple(formula), "dashed", color),
                   Series(f"deep net parameters, widths {r}", tuple(Ns), tuple(params), "line", color)]
    note = (f"M = {M}. Random weights (seed {seed}, uniform on [-10^6, 10^6]) where M^N <= 3^8, else the witness "
            f"(Lemmas K and R). Certified by: {'; '.join(sorted(how))}. Exact integers drawn at log10 (floats for "
            "drawing only).")
    return Plot("theorem1", "Theorem 1: rank [A] of the deep ConvAC = channels Z* a shallow net needs",
                "N (number of positions)", "exact integer", series, log_y=True, log2_x=True, note=note,
                meta={"M": M, "widths": list(ranks), "seed": seed})


def params_plot(sizes=LEVELS, M: int = 3, r: int = 2) -> Plot:
    """Corollary 1: deep versus minimal shallow parameter counts against ``N``."""
    _check_sizes(sizes)
    M, r = check_int(M, "M", 1, 64), check_int(r, "r", 1, 64)
    Ns, deep, deep_sh, sh, sh_sh = [], [], [], [], []
    for L in sizes:
        arch = DeepArch(N=2**L, M=M, widths=(r,) * L)
        sep = corollary1_comparison(arch)
        Ns.append(arch.N)
        deep.append(sep.deep_params)
        deep_sh.append(DeepArch(N=arch.N, M=M, widths=arch.widths, shared=True).n_weights)
        sh.append(sep.shallow_params)
        sh_sh.append(sep.shallow_params_shared)
    t = tuple(Ns)
    series = [Series("deep net", t, tuple(deep)), Series("deep net, shared weights", t, tuple(deep_sh)),
              Series("shallow net with Z* channels", t, tuple(sh)),
              Series("shallow net with Z* channels, shared", t, tuple(sh_sh))]
    note = (f"M = {M}, all widths r = {r}, Z* = min(r, M)^(N/2); one output, representation layer not counted. "
            "Exact counts drawn at log10 (floats for drawing only).")
    return Plot("params", "Corollary 1: parameters of the deep net vs the smallest shallow net it forces",
                "N (number of positions)", "number of parameters", series, log_y=True, log2_x=True, note=note,
                meta={"M": M, "r": r})


def measure_zero_plot(bounds=(1, 2, 4, 8, 16, 32, 64), samples: int = 500, seed: int = 0, arch=None) -> Plot:
    """Theorem 1 almost everywhere: deficiency rate, exact probability and Schwartz-Zippel bound against k."""
    if arch is not None and not isinstance(arch, DeepArch):
        raise invalid("arch", "a DeepArch or None", arch)
    samples, seed = check_int(samples, "samples", 1, 10**6), check_int(seed, "seed", 0)
    from .exceptional.polynomial import certificate_polynomial
    from .exceptional.sampling import sample_rates

    arch = DeepArch(N=4, M=2, widths=(2, 1)) if arch is None else arch
    cert = certificate_polynomial(arch)
    rows = sample_rates(cert, bounds, samples, seed=seed)
    ks = tuple(r.bound for r in rows)
    series = [Series(f"observed rate ({samples} samples per k, exact counts)", ks, tuple(r.rate for r in rows)),
              Series("exact P[rank [A] < R]" if cert.full else "exact P[minor = 0]", ks,
                     tuple(r.exact for r in rows), "dashed"),
              Series(f"Schwartz-Zippel bound deg/(2k+1), deg = {cert.degree}", ks,
                     tuple(r.sz_bound for r in rows), "dashed")]
    widths = ",".join(map(str, arch.widths))
    note = (f"Deep net N={arch.N} M={arch.M} widths {widths}, partition odd-even, R = {cert.size}; sample i of row k "
            f"is verifier rank --seed {seed}+i --bound k. Deficiency decided exactly; the bound is vacuous (>= 1, "
            "above the plot) for small k. Rationals drawn as floats.")
    return Plot("measure-zero", "Theorem 1 (almost everywhere): rank drops of [A] for weights uniform on {-k..k}",
                "k (weights uniform on {-k, ..., k})", "probability / rate", series, log2_x=True,
                ylim=(0, 1.05), note=note, meta={"samples": samples, "seed": seed, "architecture": arch.to_dict()})


def geometry_plot(arch=None, partitions=None, seed: int = 0) -> Plot:
    """Certified rank per partition under the architecture's pooling geometry (its ``ModeTree``), with the
    min-cut of the tensor network (an upper bound for all weights) and the matrix-shape bound.

    By default the 4x4 image pooled by 2x2 windows (Cohen & Shashua, ICLR 2017) with its named partitions:
    left-right and top-bottom are cheap (rank ``r_{L-1}``), checkerboard and column-interleaved expensive.
    """
    if arch is not None and not isinstance(arch, DeepArch):
        raise invalid("arch", "a DeepArch or None", arch)
    if partitions is not None and not isinstance(partitions, (list, tuple)):
        raise invalid("partitions", "a list of partition specs or None", partitions)
    seed = check_int(seed, "seed", 0)
    from ..nets.geometry import named_partition
    from ..rank.bias import default_partitions

    arch = DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4") if arch is None else arch
    partitions = tuple(default_partitions(arch.tree) if partitions is None else partitions)
    w = random_weights(arch, seed)
    got, cut, size, how = [], [], [], set()
    for spec in partitions:
        part = named_partition(spec, arch.tree) if arch.net == "deep" else parse_partition(spec, arch.N)
        rep = matricization_rank(w, part)
        how.add(how_certified(rep.certificate))
        got.append(_certified(rep, spec))
        bounds = structural_upper_bounds(arch, part)
        cut.append(min(b.value for b in bounds) if bounds else None)
        size.append(arch.M ** min(len(part.rows), arch.N - len(part.rows)))
    x = tuple(range(len(partitions)))
    widths = ",".join(map(str, arch.widths))
    series = [Series("certified rank [A]_{I,J}", x, tuple(got), "bars"),
              Series("upper bound for all weights: min-cut of the tensor network", x, tuple(cut), "points"),
              Series("M^min(|I|,|J|) (matrix shape)", x, tuple(size), "bars")]
    geometry = {"binary": "balanced binary tree"}.get(arch.tree.name, arch.tree.name)
    note = (f"Deep net N={arch.N} M={arch.M} widths {widths}, random weights seed {seed}, pooling geometry: "
            f"{geometry}. Certified by: {'; '.join(sorted(how))}. Exact ranks drawn at log10.")
    return Plot("geometry", f"Pooling geometry {arch.tree.name}: certified rank of [A]_{{I,J}} per partition",
                "partition (I, J) of the N positions", "rank", series, log_y=True, categories=partitions,
                note=note, meta={"architecture": arch.to_dict(), "seed": seed, "partitions": list(partitions)})


def build_plot(kind: str, **options) -> Plot:
    """The figure of one kind (see the module doc) at its default sizes, or with the builder's options.

    Examples
    --------
    >>> build_plot("theorem3")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'kind' must be one of theorem1, params, measure-zero, geometry, tt, got 'theorem3'.
    """
    if kind not in KINDS:
        raise invalid("kind", f"one of {', '.join(KINDS)}", kind)
    if kind == "tt":  # tensor trains (Khrulkov et al., ICLR 2018): verifier.theorems.tt_figures
        from .tt_figures import tt_plot

        return tt_plot(**options)
    return {"theorem1": theorem1_plot, "params": params_plot, "measure-zero": measure_zero_plot,
            "geometry": geometry_plot}[kind](**options)
