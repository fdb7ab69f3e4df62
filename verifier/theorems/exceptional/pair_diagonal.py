"""The exceptional set of Theorem 1 for ANY N, from Lemma D (MATH.md section 5, consequence (ii)).

Cohen, Sharir & Shashua (COLT 2016), Theorem 1: ``rank [A] = r_0^{N/2}`` off a null set when
``r_0 <= M``. By Lemma D, ``[A] = (U_1 (.) U_3 ..) diag(D) (U_2 (.) U_4 ..)^T`` with ``U_i`` the ``M x r_0``
filter matrix of position ``i`` and ``D`` the ``r_0^{N/2}`` entries of the pair net's tensor. Hence the
exceptional set ``{rank [A] < r_0^{N/2}}`` is EXACTLY the union of

* ``{rank U_i < r_0}`` for each filter matrix (N of them; one with shared weights): the common zero set of
  its ``C(M, r_0)`` maximal minors, each of degree ``r_0``; and
* ``{D(k) = 0}`` for each entry ``k`` of D: a homogeneous polynomial of degree ``N - 1`` in the weights of
  levels >= 1 (one weight per node of the pair net). Unshared, the ``r_0^{N/2}`` polynomials are distinct
  (entry ``k`` uses column ``k_j`` of the level-1 matrix of pair ``j``); shared, D is invariant under the
  tree's symmetries (swapping the two children of a node), and the distinct entries are the orbits:
  ``g_0 = r_0``, ``g_{t+1} = g_t (g_t + 1) / 2``.

(If all filters have full column rank and every entry is nonzero, the rank is ``r_0^{N/2}``; if a filter
is deficient, ``rank <= rank`` of the Kronecker product ``< r_0^{N/2}``; if ``D(k) = 0`` with full filters, the
rank is the number of nonzero entries ``< r_0^{N/2}``.) Schwartz-Zippel for the union, weights uniform on
``{-k..k}``: ``P <= (n_filters * r_0 + n_distinct * (N - 1)) / (2k + 1)`` (one minor per filter matrix).

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> z = diagonal_zero_set(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)))
>>> z.d_entries, z.d_distinct, z.d_degree, z.sz_degree
(256, 256, 15, 3872)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import comb

from ...errors import check_size, invalid
from ...exact.tensors import Partition, parse_partition
from ...nets.architectures import DeepArch
from ...nets.coefficients import check_output_index
from ...nets.weights import random_weights, symbolic_weights
from ...rank.lemma_d import pair_diagonal_rank
from ...rank.pair_diagonal import ENTRY_LIMIT, applies, d_tensor
from ...render.tables import show_int
from .sampling import MAX_SAMPLES, RateRow, validate_bounds

#: Largest N for which the distinct entries of D are listed, factored (sympy).
FACTOR_MAX_N = 8


def _orbits(r0: int, levels: int) -> int:
    g = r0
    for _ in range(levels):
        g = g * (g + 1) // 2
    return g


@dataclass(frozen=True)
class DiagonalZeroSet:
    """The polynomials whose union of zero sets is Theorem 1's exceptional set (module docstring).

    ``factored`` (small N only): for each distinct entry of D, its 1-based pair index and its factors
    ``(text, multiplicity)`` over ZZ, with the constant.
    """

    arch: object
    partition: Partition
    output: int
    factored: tuple | None = None

    @property
    def r0(self) -> int:
        """``r_0``, the level-0 width."""
        return self.arch.widths[0]

    @property
    def generic_rank(self) -> int:
        """``r_0^{N/2}``, the rank off the exceptional set."""
        return self.r0 ** (self.arch.N // 2)

    @property
    def filter_matrices(self) -> int:
        """Number of filter matrices ``U_i`` (N, or 1 with shared weights)."""
        return 1 if self.arch.shared else self.arch.N

    @property
    def filter_minors(self) -> int:
        """``C(M, r_0)`` maximal minors per filter matrix, each of degree ``r_0``."""
        return comb(self.arch.M, self.r0)

    @property
    def d_entries(self) -> int:
        """``r_0^{N/2}`` entries of D."""
        return self.generic_rank

    @property
    def d_distinct(self) -> int:
        """Distinct polynomials among the entries of D."""
        return _orbits(self.r0, self.arch.L - 1) if self.arch.shared else self.d_entries

    @property
    def d_degree(self) -> int:
        """``N - 1``: the degree of every entry of D."""
        return self.arch.N - 1

    @property
    def polynomial_count(self) -> int:
        """Distinct polynomials in all: every maximal minor of every filter matrix and every distinct D entry."""
        return self.filter_matrices * self.filter_minors + self.d_distinct

    @property
    def sz_degree(self) -> int:
        """Degree of one nonzero polynomial vanishing on the whole set (a minor per filter times the D entries)."""
        return self.filter_matrices * self.r0 + self.d_distinct * self.d_degree

    def sz_bound(self, k: int) -> Fraction:
        """Schwartz-Zippel for weights uniform on ``{-k..k}``: ``sz_degree / (2k + 1)``."""
        return Fraction(self.sz_degree, 2 * k + 1)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        d = {"form": "pair-diagonal", "architecture": self.arch.to_dict(), "partition": self.partition.spec,
             "output": self.output + 1, "generic_rank": self.generic_rank,
             "components": [
                 {"kind": "filters", "condition": "rank U_i < r_0 (all r_0 x r_0 minors of U_i vanish)",
                  "count": self.filter_matrices, "polynomials_each": self.filter_minors, "degree": self.r0},
                 {"kind": "D", "condition": "D(k) = 0", "count": self.d_entries, "distinct": self.d_distinct,
                  "degree": self.d_degree}],
             "polynomial_count": self.polynomial_count,
             "degrees": {str(self.r0): self.filter_matrices * self.filter_minors,
                         str(self.d_degree): self.d_distinct} if self.r0 != self.d_degree else
             {str(self.r0): self.polynomial_count},
             "sz_degree": self.sz_degree}
        if self.factored is not None:
            d["factored"] = [{"index": list(k), "constant": c, "factors": [{"factor": t, "multiplicity": m}
                                                                          for t, m in fs]}
                             for k, c, fs in self.factored]
        return d

    def __str__(self) -> str:
        a = self.arch
        lines = [(f"deep ConvAC N={a.N} M={a.M} widths={','.join(map(str, a.widths))} "
                  f"{'shared' if a.shared else 'unshared'}, partition {self.partition.spec}, output {self.output + 1}"),
                 f"Lemma D: rank [A] < {self.r0}^{a.N // 2} = {show_int(self.generic_rank)} exactly on the union of",
                 (f"  {self.filter_matrices} set(s) rank U_i < {self.r0}: each the common zeros of "
                  f"{show_int(self.filter_minors)} minor(s) of degree {self.r0}"),
                 (f"  {show_int(self.d_entries)} sets D(k) = 0 ({show_int(self.d_distinct)} distinct polynomials of "
                  f"degree {self.d_degree})"),
                 (f"{show_int(self.polynomial_count)} polynomials in all; Schwartz-Zippel degree of the union "
                  f"{show_int(self.sz_degree)}")]
        if self.factored is not None:
            lines.append("entries of D, factored over ZZ (pairs 1-based):")
            for k, c, fs in self.factored:
                body = " * ".join(f"({t})" + (f"^{m}" if m > 1 else "") for t, m in fs)
                lines.append(f"  D{list(k)} = " + (f"{c} * " if c != 1 else "") + body)
        return "\n".join(lines)


def check_diagonal(arch, partition) -> Partition:
    """Validate an architecture and partition for Lemma D's description of the exceptional set.

    Examples
    --------
    >>> check_diagonal(DeepArch(N=8, M=2, widths=(3, 1, 1)), "odd-even")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'widths' must be widths with r_0 <= M = 2 for Lemma D's exceptional set (else the generic rank is not r_0^(N/2)), got (3, 1, 1).
    """
    if not isinstance(arch, DeepArch):
        raise invalid("arch", "a deep net (Lemma D is about the HT form)", type(arch).__name__)
    part = partition if isinstance(partition, Partition) else parse_partition(partition, arch.N)
    if not applies(arch, part):
        raise invalid("partition", "a partition with one mode of every level-1 pair among the rows (odd-even)",
                      part.spec)
    if arch.widths[0] > arch.M:
        raise invalid("widths", f"widths with r_0 <= M = {arch.M} for Lemma D's exceptional set (else the generic "
                                f"rank is not r_0^(N/2))", arch.widths)
    return part


def diagonal_zero_set(arch, partition="odd-even", output: int = 0, factor: bool | None = None) -> DiagonalZeroSet:
    """The exceptional set of Theorem 1 as a union of zero sets (any N), factored for small N.

    Parameters
    ----------
    arch : DeepArch
        ``r_0 <= M``.
    partition : str or Partition
        One mode of every level-1 pair among the rows (default the paper's odd/even).
    output : int
        0-based output.
    factor : bool, optional
        Factor the distinct entries of D with sympy (default: when ``N <= FACTOR_MAX_N``).

    Examples
    --------
    >>> z = diagonal_zero_set(DeepArch(N=4, M=2, widths=(2, 1)))
    >>> z.factored[0]
    ((1, 1), 1, (('a^{1,1,1}_1', 1), ('a^{1,2,1}_1', 1), ('a^{2,1,1}_1', 1)))
    """
    part = check_diagonal(arch, partition)
    output = check_output_index(output, arch)
    if factor is None:
        factor = arch.N <= FACTOR_MAX_N
    elif factor and arch.N > FACTOR_MAX_N:
        raise invalid("N", f"at most {FACTOR_MAX_N} to factor the entries of D", arch.N)
    factored = None
    if factor:
        import sympy

        n = arch.N // 2
        seen, factored = set(), []
        for idx, expr in enumerate(d_tensor(symbolic_weights(arch), output).tolist()):
            expr = sympy.expand(expr)
            if expr in seen:
                continue
            seen.add(expr)
            c, pairs = sympy.factor_list(expr)
            digits = [(idx // arch.widths[0] ** (n - 1 - t)) % arch.widths[0] + 1 for t in range(n)]
            fs = tuple(sorted((str(f), int(m)) for f, m in pairs))
            factored.append((tuple(digits), int(c), fs))
        factored = tuple(factored)
    return DiagonalZeroSet(arch, part, output, factored)


def product_polynomial(zero_set: DiagonalZeroSet):
    """``prod_i det(U_i)^{M^{N/2-1}} * prod_k D(k)`` (sympy), for ``r_0 = M``: by Lemma D this is ``det [A]``.

    Examples
    --------
    >>> z = diagonal_zero_set(DeepArch(N=2, M=1, widths=(1,)))
    >>> product_polynomial(z)
    a^{0,1,1}_1*a^{0,2,1}_1*a^{1,1,1}_1
    """
    if not isinstance(zero_set, DiagonalZeroSet):
        raise invalid("zero_set", "a DiagonalZeroSet (diagonal_zero_set)", zero_set)
    import sympy

    arch = zero_set.arch
    if zero_set.r0 != arch.M:
        raise invalid("widths", f"r_0 = M = {arch.M} (square filter matrices)", arch.widths)
    sym = symbolic_weights(arch)
    out = sympy.Integer(1)
    power = arch.M ** (arch.N // 2 - 1)
    for i in range(arch.N):
        out *= sympy.Matrix(sym[(0, i)].tolist()).det(method="berkowitz") ** power
    for x in d_tensor(sym, zero_set.output).tolist():
        out *= x
    return sympy.expand(out)


def sample_diagonal_rates(zero_set: DiagonalZeroSet, bounds, samples: int, seed: int = 0, progress=None,
                          max_examples: int = 3) -> list:
    """Deficiency rates at random integer points by the pair-diagonal route (any N), against Schwartz-Zippel
    for the union (``sz_degree / (2k + 1)``). A sample is deficient when a certified upper bound on its rank
    (a singular filter's Kronecker bound, or the count of D) is below ``r_0^{N/2}``, and not deficient when
    the certified lower bound reaches it; sample ``i`` of bound ``k`` is ``random_weights(arch, seed + i, k)``.

    Examples
    --------
    >>> z = diagonal_zero_set(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)))
    >>> [(r.deficient, str(r.sz_bound)) for r in sample_diagonal_rates(z, [1000], 5)]
    [(0, '3872/2001')]
    """
    bounds = validate_bounds(bounds)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise invalid("samples", "a positive integer", samples)
    check_size("samples", samples, MAX_SAMPLES, "sampling", "samples per bound")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise invalid("seed", "a non-negative integer", seed)
    arch = zero_set.arch
    if zero_set.d_entries > 2**20:
        raise invalid("N", "small enough for at most 2^20 entries r_0^(N/2) of D per sample (a single point "
                           f"streams up to {ENTRY_LIMIT} with 'verifier rank')", f"{arch.N} ({show_int(zero_set.d_entries)} entries)")
    total, done, rows = len(bounds) * samples, 0, []
    for k in bounds:
        deficient, examples = 0, []
        for i in range(samples):
            cert = pair_diagonal_rank(random_weights(arch, seed + i, k), zero_set.partition, zero_set.output)
            if cert.lower.value < zero_set.generic_rank <= cert.upper.value:  # pragma: no cover - never seen
                raise invalid("samples", "points whose deficiency the pair-diagonal route decides",
                              f"seed {seed + i}, bound {k}: {cert}")
            if cert.upper.value < zero_set.generic_rank:  # a certified upper bound below r_0^(N/2)
                deficient += 1
                if len(examples) < max_examples:
                    examples.append(seed + i)
            done += 1
            if progress is not None and (done % 10 == 0 or done == total):
                progress(done, total)
        rows.append(RateRow(k, samples, deficient, zero_set.sz_degree, None, True, tuple(examples), 0))
    return rows
