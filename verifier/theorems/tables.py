"""The tables of ``verifier table``: certified ranks, Theorem 2 block ranks, parameter counts, distances.

Each kind maps a small default grid of architectures to a :class:`~verifier.render.tables.Table` of exact,
certified numbers (ranks with how they were certified, bounds as powers, parameter counts, Eckart-Young
enclosures). Random weights come from ``random.Random(seed)`` uniform on ``{-bound..bound}`` (one seed for
every row), so the same arguments give byte-identical tables. The default grids build in about a second.

Kinds
-----
``theorem1``
    rank of the paper's ``[A]`` (odd/even) for random weights, the bound ``min(r_0, M)^{N/2} = Z*``,
    how it was certified, parameter counts of the deep net and of the shallow net with ``Z*`` channels;
    the last row is the witness at N = 1024 (Lemmas K and R).
``theorem2``
    block rank (``blocks:2^{L_c-1}``) of the deep net, Theorem 2's corrected bound, the uncorrected
    ``min(r_0, M)^{N/2^{L_c}}``, and the least last width / parameters of a depth-``L_c`` net.
``params``
    parameter counts, unshared and shared, and the exact ratio shallow(``Z*``) / deep.
``approx``
    Corollary 1: certified lower bounds on the distance to every shallow net with Z channels.
``tt``
    tensor trains (Khrulkov et al., ICLR 2018): :func:`verifier.theorems.tt_figures.tt_table`.
``receptive-fields``
    generic ranks of the grid tensor of deep nets whose convolutions read K = 1, 2, 3 positions
    (:mod:`verifier.theorems.receptive_fields`), odd/even and low/high, with parameter counts.

Examples
--------
>>> print(build_table("params", grid=[(8, 3, (3, 3, 3))]).to_csv())
N,M,widths,deep,deep_shared,Z_star,shallow,shallow_shared,ratio
8,3,"3,3,3",129,30,81,2025,324,675/43
"""

from __future__ import annotations

from ..errors import invalid
from ..exact.certify import RankCertificate
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch
from ..nets.weights import DEFAULT_BOUND, random_weights, witness_weights
from ..rank.matricization import matricization_rank
from ..render.tables import Column, Power, Table
from .approximation import approximation_bound
from .params import corollary1_comparison, depth_comparison

KINDS = ("theorem1", "theorem2", "params", "approx", "receptive-fields", "tt")

#: Default grids: (N, M, widths) for theorem1/params, (N, M, widths, L_c) for theorem2,
#: (N, M, widths, weights, Z, gram) for approx.
GRIDS = {
    "theorem1": [(4, 2, (2, 1)), (8, 2, (2, 1, 1)), (8, 3, (2, 1, 1)), (8, 3, (3, 3, 3)), (16, 2, (2, 1, 1, 1)),
                 (1024, 3, (2,) * 10)],
    "theorem2": [(8, 2, (2, 2, 2), 2), (8, 2, (2, 1, 1), 2), (8, 2, (4, 4, 4), 2), (16, 2, (2, 2, 2, 2), 2),
                 (16, 2, (2, 2, 2, 2), 3), (8, 3, (3, 2, 2), 1)],
    "params": [(8, 3, (3, 3, 3)), (16, 2, (2, 2, 2, 2)), (64, 4, (4,) * 6), (256, 2, (2,) * 8), (1024, 3, (2,) * 10)],
    "approx": [(8, 2, (2, 1, 1), "witness", 1, None), (8, 2, (2, 1, 1), "witness", 10, None),
               (8, 2, (2, 1, 1), "witness", 16, None), (1024, 3, (3,) * 10, "witness", 10, None),
               (4, 3, (3, 3), "random", 8, None), (8, 2, (2, 2, 2), "random", 15, None),
               (8, 2, (2, 2, 2), "random", 15, ((2, 1), (1, 2)))],
}
#: Rows of ``theorem1`` above this many tensor entries use the witness (structure) instead of random weights.
DENSE_ROW_LIMIT = 3**16


def _widths(w) -> str:
    return ",".join(map(str, w))


def how_certified(cert) -> str:
    """Short label of a certificate's two methods: ``lower / upper``.

    Examples
    --------
    >>> from verifier.exact.certify import Bound, RankCertificate
    >>> how_certified(RankCertificate(4, 4, Bound(4, "rank mod p = 7 (flint)"),
    ...                               Bound(4, "structure: HT form (minimal cut of the mode tree)")))
    'mod p / tree cut'
    """
    if not isinstance(cert, RankCertificate):
        raise invalid("cert", "a RankCertificate", cert)
    def short(method: str) -> str:
        for key, label in (("Lemmas K and R", "Lemmas K, R"), ("rank mod p", "mod p"), ("exact over Q", "exact"),
                           ("kernel certificate", "kernel"), ("matrix shape", "shape"), ("Lemma C", "Lemma C"),
                           ("minimal cut", "tree cut"), ("symmetric", "symmetric power")):
            if key in method:
                return label
        return method
    return f"{short(cert.lower.method)} / {short(cert.upper.method)}"


def _theorem1(grid, seed, bound):
    rows = []
    for N, M, widths in grid:
        arch = DeepArch(N=N, M=M, widths=widths)
        dense = M**N <= DENSE_ROW_LIMIT
        w = random_weights(arch, seed, bound) if dense else witness_weights(arch)
        cert = matricization_rank(w, parse_partition("odd-even", N)).certificate
        sep = corollary1_comparison(arch)
        rows.append({"N": N, "M": M, "widths": _widths(widths), "weights": "random" if dense else "witness",
                     "rank": cert.rank if cert.certified else None, "bound": Power(min(widths[0], M), N // 2),
                     "how": how_certified(cert), "deep": sep.deep_params, "shallow": sep.shallow_params})
    cols = [Column("N", "$N$"), Column("M", "$M$"), Column("widths", "$r_0,\\dots,r_{L-1}$", "l", "widths"),
            Column("weights", "weights", "l"), Column("rank", "$\\mathrm{rank}\\,[A]$", plain="rank [A]"),
            Column("bound", "$\\min(r_0,M)^{N/2} = Z^*$", plain="min(r_0,M)^(N/2) = Z*"),
            Column("how", "certified by (lower / upper)", "l"), Column("deep", "deep params"),
            Column("shallow", "shallow params at $Z^*$", plain="shallow params at Z*")]
    cap = ("Theorem 1: certified rank of the matricization [A] (odd modes as rows) of the deep ConvAC's "
           "coefficient tensor, against min(r_0, M)^(N/2); a shallow net needs Z >= Z* channels.")
    notes = [f"Random weights uniform on [-{bound}, {bound}] from seed {seed}; witness rows use Lemmas K and R."]
    tex = ("Theorem 1: certified rank of the matricization $[A]$ (odd modes as rows) of the deep ConvAC's "
           "coefficient tensor, against $\\min(r_0, M)^{N/2}$; a shallow net needs $Z \\geq Z^*$ channels.")
    return Table("theorem1", cap, cols, rows, notes, tex)


def _theorem2(grid, seed, bound):
    rows = []
    for N, M, widths, L_c in grid:
        arch = DeepArch(N=N, M=M, widths=widths)
        b = 1 << (L_c - 1)
        part = parse_partition(f"blocks:{b}", N)
        cert = matricization_rank(random_weights(arch, seed, bound), part).certificate
        wit = matricization_rank(witness_weights(arch, L_c), part).certificate
        sep = depth_comparison(arch, L_c)
        rows.append({"N": N, "M": M, "widths": _widths(widths), "L_c": L_c, "partition": part.spec,
                     "rank": cert.rank if cert.certified else None, "how": how_certified(cert),
                     "witness": wit.rank if wit.certified else None, "bound": Power(sep.r, N >> L_c),
                     "uncorrected": Power(min(widths[0], M), N >> L_c), "deep": sep.deep_params,
                     "depth": sep.depth_params})
    cols = [Column("N", "$N$"), Column("M", "$M$"), Column("widths", "$r_0,\\dots,r_{L-1}$", "l", "widths"),
            Column("L_c", "$L_c$"), Column("partition", "blocks", "l"),
            Column("rank", "block rank", plain="block rank"), Column("how", "certified by (lower / upper)", "l"),
            Column("witness", "witness"), Column("bound", "$r^{N/2^{L_c}}$", plain="r^(N/2^L_c)"),
            Column("uncorrected", "$\\min(r_0,M)^{N/2^{L_c}}$", plain="min(r_0,M)^(N/2^L_c)"),
            Column("deep", "deep params"), Column("depth", "depth-$L_c$ params $\\geq$", plain="depth-L_c params >=")]
    cap = ("Theorem 2 (corrected): block rank (blocks of 2^(L_c-1) modes, odd blocks as rows) of the deep net, "
           "against r^(N/2^L_c) with r = min(r_0..r_(L_c-1), M); the uncorrected min(r_0, M)^(N/2^L_c) fails when "
           "a middle width is smaller. A depth-L_c net needs last width >= r^(N/2^L_c).")
    notes = [f"Random weights uniform on [-{bound}, {bound}] from seed {seed}."]
    tex = ("Theorem 2 (corrected): block rank (blocks of $2^{L_c-1}$ modes, odd blocks as rows) of the deep net, "
           "against $r^{N/2^{L_c}}$ with $r = \\min(r_0, \\dots, r_{L_c-1}, M)$; the uncorrected "
           "$\\min(r_0, M)^{N/2^{L_c}}$ fails when a middle width is smaller. A depth-$L_c$ net needs last width "
           "$\\geq r^{N/2^{L_c}}$.")
    return Table("theorem2", cap, cols, rows, notes, tex)


def _params(grid, seed, bound):
    rows = []
    for N, M, widths in grid:
        arch = DeepArch(N=N, M=M, widths=widths)
        sep = corollary1_comparison(arch)
        rows.append({"N": N, "M": M, "widths": _widths(widths), "deep": sep.deep_params,
                     "deep_shared": DeepArch(N=N, M=M, widths=widths, shared=True).n_weights,
                     "Z_star": Power(min(widths[0], M), N // 2), "shallow": sep.shallow_params,
                     "shallow_shared": sep.shallow_params_shared, "ratio": sep.ratio})
    cols = [Column("N", "$N$"), Column("M", "$M$"), Column("widths", "$r_0,\\dots,r_{L-1}$", "l", "widths"),
            Column("deep", "deep"), Column("deep_shared", "deep, shared"), Column("Z_star", "$Z^*$", plain="Z*"),
            Column("shallow", "shallow at $Z^*$", plain="shallow at Z*"),
            Column("shallow_shared", "shallow at $Z^*$, shared", plain="shallow at Z*, shared"),
            Column("ratio", "ratio")]
    cap = ("Parameter counts (one output; representation layer not counted): the deep net against the smallest "
           "shallow net the rank argument admits, Z* = min(r_0, M)^(N/2); ratio = shallow / deep (unshared), exact.")
    tex = ("Parameter counts (one output; representation layer not counted): the deep net against the smallest "
           "shallow net the rank argument admits, $Z^* = \\min(r_0, M)^{N/2}$; ratio = shallow / deep (unshared), "
           "exact.")
    return Table("params", cap, cols, rows, [], tex)


def _approx(grid, seed, bound):
    rows = []
    for N, M, widths, kind, Z, gram in grid:
        arch = DeepArch(N=N, M=M, widths=widths)
        w = witness_weights(arch) if kind == "witness" else random_weights(arch, seed, bound)
        b = approximation_bound(w, Z, gram=None if gram is None else [list(r) for r in gram])
        rows.append({"N": N, "M": M, "widths": _widths(widths), "weights": kind, "Z": Z, "rank": b.rank if b.rank_is_matrix_rank else None,
                     "norm": "Frobenius" if gram is None else "L2, F = " + ";".join(_widths(r) for r in gram),
                     "tail": b.tail, "distance": b.distance, "route": b.route})
    cols = [Column("N", "$N$"), Column("M", "$M$"), Column("widths", "$r_0,\\dots,r_{L-1}$", "l", "widths"),
            Column("weights", "weights", "l"), Column("Z", "$Z$"), Column("rank", "$\\mathrm{rank}\\,[A]$",
                                                                          plain="rank [A]"),
            Column("norm", "norm", "l"), Column("tail", "$\\sum_{i>Z}\\sigma_i^2$", plain="sum_{i>Z} sigma_i^2"),
            Column("distance", "distance $\\geq$", plain="distance >="), Column("route", "route", "l")]
    cap = ("Corollary 1 (approximation): every shallow net with Z channels is at distance at least "
           "sqrt(sum_{i>Z} sigma_i([A])^2) from the deep net (Eckart-Young); exact where a closed form is known, "
           "else certified intervals with outward-rounded decimals.")
    notes = [f"Random weights uniform on [-{bound}, {bound}] from seed {seed}; L2 rows use the Gram matrix F of "
             "the representation functions."]
    tex = ("Corollary 1 (approximation): every shallow net with $Z$ channels is at distance at least "
           "$(\\sum_{i>Z} \\sigma_i([A])^2)^{1/2}$ from the deep net (Eckart-Young); exact where a closed form is "
           "known, else certified intervals with outward-rounded decimals.")
    return Table("approx", cap, cols, rows, notes, tex)


def _receptive(grid, seed, bound):
    from .receptive_fields import receptive_rows

    rows = receptive_rows(grid, seed, bound)
    cols = [Column("N", "$N$"), Column("M", "$M$"), Column("widths", "$r_0,\\dots,r_{L-1}$", "l", "widths"),
            Column("K", "$K$"), Column("partition", "partition", "l"),
            Column("lower", "lower bound (random weights)", plain="lower bound (random weights)"),
            Column("upper", "upper bound (all weights)", plain="upper bound (all weights)"),
            Column("generic", "generic rank", "l"), Column("how", "certified by (lower / upper)", "l"),
            Column("params", "params"), Column("params_shared", "params, shared")]
    cap = ("Receptive fields: generic rank of the grid tensor A(d_1..d_N) = h(e_d1..e_dN) of deep ConvACs whose "
           "conv layers read K consecutive positions (stride 1, zero padding on the right) before size-2 product "
           "pooling; K = 1 is the COLT net.")
    notes = [f"Random weights uniform on [-{bound}, {bound}] from seed {seed} give a certified lower bound (rank mod "
             "p) on the generic rank; the upper bound holds for all weights (separation or interface bound; the "
             "tree cut for K = 1); a range lo..hi where they do not meet.",
             "Overlap (Sharir & Shashua, ICLR 2018) lifts low/high, where the 1x1 net is capped by its top widths; "
             "odd/even is already maximal for K = 1 when r_0 >= M, and reaches full rank with width-1 layers for "
             "K >= 2. Parameters grow about K-fold."]
    tex = ("Receptive fields: generic rank of the grid tensor $A(d_1..d_N) = h(e_{d_1},\\dots,e_{d_N})$ of deep "
           "ConvACs whose conv layers read $K$ consecutive positions (stride 1, zero padding on the right) before "
           "size-2 product pooling; $K = 1$ is the COLT net.")
    return Table("receptive-fields", cap, cols, rows, notes, tex)


def build_table(kind: str, seed: int = 0, bound: int = DEFAULT_BOUND, grid=None) -> Table:
    """Build one kind of table over its default grid (or the given one).

    Parameters
    ----------
    kind : {'theorem1', 'theorem2', 'params', 'approx', 'receptive-fields'}
    seed, bound : int
        Random weights: ``random.Random(seed)``, uniform on ``{-bound..bound}``.
    grid : list, optional
        Rows in the format of :data:`GRIDS` for that kind.

    Raises
    ------
    InvalidArgumentError
        For an unknown kind.

    Examples
    --------
    >>> t = build_table("theorem2", grid=[(8, 2, (2, 1, 1), 2)])
    >>> [(r["rank"], r["bound"].value, r["uncorrected"].value) for r in t.rows]
    [(1, 1, 4)]
    >>> build_table("theorem3")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'kind' must be one of theorem1, theorem2, params, approx, receptive-fields, tt, got 'theorem3'.
    """
    if kind not in KINDS:
        raise invalid("kind", f"one of {', '.join(KINDS)}", kind)
    if kind == "tt":  # tensor trains (Khrulkov et al., ICLR 2018): verifier.theorems.tt_figures
        from .tt_figures import tt_table

        return tt_table(seed, bound, grid)
    if kind == "receptive-fields":
        from .receptive_fields import TABLE_GRID

        return _receptive(TABLE_GRID if grid is None else grid, seed, bound)
    builder = {"theorem1": _theorem1, "theorem2": _theorem2, "params": _params, "approx": _approx}[kind]
    return builder(GRIDS[kind] if grid is None else grid, seed, bound)
