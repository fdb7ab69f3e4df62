"""The TT table (``verifier table --kind tt``) and figure (``verifier plot --kind tt``): exact, certified separations
between tensor trains (Khrulkov, Novikov & Oseledets, ICLR 2018), the deep ConvAC (HT) and the shallow net (CP).

Table rows ``(N, M, r)``: the certified rank of the odd/even matricization ``[A]`` of a TT with bonds ``r`` (random
cores from the seed where ``M^N <= 3^16``, the witness above), Theorem 1's ``q^{N/2}``, the TT's min-cut, the rank
with equal inner cores, the TT's parameters and those of the shallow net it forces (``N M Z + Z``, ``Z`` the
rank), and (``N`` a power of 2 up to 16) the largest TT-rank a generic HT tensor with ranks ``r`` needs and the
largest HT-rank a generic TT with ranks ``r`` needs. Every rank is certified (both bounds meet).

The figure: against ``N = 2^L`` (``M = r = 2``): the certified CP-rank lower bounds of the TT and of the
deep net (both ``2^{N/2}``), and the parameters of the TT, of the deep net and of the smallest shallow net.

Examples
--------
>>> t = tt_table(grid=[(4, 2, 2)])
>>> [(r["rank"], r["shared"], r["ht_to_tt"], r["tt_to_ht"]) for r in t.rows]
[(4, 4, 2, 2)]
"""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch
from ..nets.tt import TTArch, tt_min_cut, tt_random_weights, tt_witness_weights
from ..nets.weights import DEFAULT_BOUND, random_weights, witness_weights
from ..rank.matricization import matricization_rank
from ..rank.tt import tt_rank
from ..render.plots import Plot, Series
from ..render.tables import Column, Power, Table
from .params import shallow_parameters
from .tables import how_certified
from .tt import ht_tt_ranks, tt_ht_ranks

#: Default rows ``(N, M, r)`` of the TT table.
GRID = [(4, 2, 2), (6, 2, 2), (8, 2, 2), (10, 2, 2), (8, 3, 3), (16, 2, 2), (1024, 3, 3)]
#: Rows with more tensor entries than this use the witness (structure route).
DENSE_ROW_LIMIT = 3**16
#: The TT-versus-HT columns are computed for N a power of 2 up to this.
COMPARE_MAX_N = 16


def _rank(report, what: str) -> int:
    c = report.certificate
    if not c.certified:  # pragma: no cover - every default row is certified
        raise InvalidArgumentError(f"Argument 'grid' must give certified ranks only, got {c.lower.value} <= rank "
                                   f"<= {c.upper.value} for {what}.")
    return c.rank


def tt_table(seed: int = 0, bound: int = DEFAULT_BOUND, grid=None) -> Table:
    """The ``tt`` table (module docstring) over ``grid`` (default :data:`GRID`)."""
    rows = []
    for N, M, r in GRID if grid is None else grid:
        arch = TTArch(N=N, M=M, bonds=r)
        part = parse_partition("odd-even", N)
        dense = M**N <= DENSE_ROW_LIMIT
        w = tt_random_weights(arch, seed, bound) if dense else tt_witness_weights(arch)
        rep = tt_rank(w, part)
        rank = _rank(rep, f"N={N} M={M} r={r}")
        shared = None
        if dense and N > 2:
            shared = _rank(tt_rank(tt_random_weights(TTArch(N=N, M=M, bonds=r, shared=True), seed, bound), part),
                           f"equal cores N={N}")
        power2 = N >= 4 and not N & (N - 1) and N <= COMPARE_MAX_N
        ht_to_tt = max(c.rank for c, _ in ht_tt_ranks(N, M, r, seed, bound)) if power2 else None
        tt_to_ht = max(c.rank for c, _ in tt_ht_ranks(N, M, r, seed, bound)) if power2 else None
        q = min(M, r)
        rows.append({"N": N, "M": M, "r": r, "weights": "random" if dense else "witness", "rank": rank,
                     "bound": Power(q, N // 2), "cut": tt_min_cut(arch, part.rows), "how": how_certified(rep.certificate),
                     "shared": shared, "params": arch.n_weights, "shallow": shallow_parameters(N, M, rank, 1, False),
                     "ht_to_tt": ht_to_tt, "tt_to_ht": tt_to_ht})
    cols = [Column("N", "$N$"), Column("M", "$M$"), Column("r", "$r$"), Column("weights", "weights", "l"),
            Column("rank", "$\\mathrm{rank}\\,[A]$", plain="rank [A]"),
            Column("bound", "$q^{N/2}$", plain="q^(N/2)"), Column("cut", "min-cut"),
            Column("how", "how", "l", plain="certified by (lower / upper)"),
            Column("shared", "equal cores", plain="rank, equal cores"), Column("params", "params", plain="TT params"),
            Column("shallow", "shallow params", plain="shallow params at Z = rank"),
            Column("ht_to_tt", "HT$\\to$TT", plain="TT-rank an HT(r) needs"),
            Column("tt_to_ht", "TT$\\to$HT", plain="HT-rank a TT(r) needs")]
    cap = ("Khrulkov, Novikov & Oseledets (ICLR 2018): certified rank of the odd/even matricization [A] of a tensor "
           "train with bonds r (a lower bound on its CP-rank, so on the width of a shallow net), against Theorem 1's "
           "q^(N/2), q = min(M, r); equal inner cores; shallow params at Z = rank; and the ranks each of TT and HT needs "
           "to represent the other.")
    tex = ("Khrulkov, Novikov \\& Oseledets (ICLR 2018): certified rank of the odd/even matricization $[A]$ of a "
           "tensor train with bonds $r$ (a lower bound on its CP-rank), against Theorem 1's $q^{N/2}$, "
           "$q = \\min(M, r)$; equal inner cores; the parameters of the shallow net with $Z = \\mathrm{rank}$; and the "
           "ranks each of TT and HT needs to represent the other.")
    notes = [f"Random cores uniform on [-{bound}, {bound}] from seed {seed}; witness rows by Lemmas K and R. "
             "HT->TT: the largest rank of [A]_(1..k) of a deep net with widths r (its TT-ranks); TT->HT: the largest "
             "rank of [A]_(modes(v)) over the binary tree's nodes for a TT with bonds r; both generic (= min-cut)."]
    return Table("tt", cap, cols, rows, notes, tex)


def tt_plot(sizes=range(1, 11), M: int = 2, r: int = 2, seed: int = 0) -> Plot:
    """CP-rank lower bounds of TT and HT, and parameters of TT, HT and the shallow net, against ``N = 2^L``.

    Examples
    --------
    >>> p = tt_plot(sizes=range(1, 4))
    >>> [s.y for s in p.series][:2]
    [(2, 4, 16), (2, 4, 16)]
    """
    Ns, tt_r, ht_r, tt_p, ht_p, sh_p = [], [], [], [], [], []
    for L in sizes:
        N = 2**L
        part = parse_partition("odd-even", N)
        tt = TTArch(N=N, M=M, bonds=r)
        deep = DeepArch(N=N, M=M, widths=(r,) * L)
        dense = M**N <= 2**16
        wt = tt_random_weights(tt, seed) if dense else tt_witness_weights(tt)
        wd = random_weights(deep, seed) if dense else witness_weights(deep)
        Ns.append(N)
        rep = tt_rank(wt, part)
        tt_r.append(_rank(rep, f"TT N={N}"))
        if tt_r[-1] != rep.min_cut.value:  # pragma: no cover - M = r: the witness reaches the min-cut
            raise InvalidArgumentError(f"Argument 'sizes' must give generic ranks (= min-cut), got {tt_r[-1]} < "
                                       f"{rep.min_cut.value} at N = {N}.")
        ht_r.append(_rank(matricization_rank(wd, part), f"HT N={N}"))
        tt_p.append(tt.n_weights)
        ht_p.append(deep.n_weights)
        sh_p.append(shallow_parameters(N, M, tt_r[-1], 1, False))
    t = tuple(Ns)
    series = [Series("CP-rank lower bound of the TT (certified rank [A])", t, tuple(tt_r), "points"),
              Series("CP-rank lower bound of the HT / deep net (certified rank [A])", t, tuple(ht_r), "dashed"),
              Series("TT parameters", t, tuple(tt_p)), Series("HT (deep net) parameters", t, tuple(ht_p)),
              Series("shallow net parameters at Z = that rank", t, tuple(sh_p))]
    note = (f"M = {M}, bonds / widths r = {r}; random cores (seed {seed}) where M^N <= 2^16, the witnesses (Lemmas K "
            "and R) above; every rank equals the min-cut (generic). Exact values at log10 (floats for drawing only).")
    return Plot("tt", "TT (RNN) vs HT (deep ConvAC) vs shallow: CP-rank lower bounds and parameters",
                "N (number of positions)", "rank / number of parameters", series, log_y=True, log2_x=True,
                note=note, meta={"M": M, "r": r})
