"""Certified rank of a matricization of a ConvAC's coefficient tensor, by the best available route.

Routes, tried in this order:

1. **structure** (:mod:`verifier.structure`): when the weights make ``A`` an outer product of small
   tensors (the Theorem 1 witness does), Lemmas K and R give the rank for any N without building
   ``M^N`` entries.
2. **dense**: the tensor is built modulo a prime directly (int64, never through Python numbers) for
   the lower bound ``rank mod p``; the upper bound comes from the network's structure (a minimal cut
   of the mode tree: ``min(r_0, M)^{N/2}`` for the paper's ``[A]``; Lemma C's ``Z`` for the CP form;
   the symmetric-power dimension for a shared shallow net) or the matrix shape. When they do not
   meet, and the matrix is small, a kernel certificate (exact over Q) closes the gap.

Examples
--------
>>> from verifier.circuits import DeepArch
>>> from verifier.weights import random_weights
>>> from verifier.tensors import parse_partition
>>> r = matricization_rank(random_weights(DeepArch(N=8, M=3, widths=(3, 3, 3)), seed=0),
...                        parse_partition("odd-even", 8))
>>> r.certificate.rank, r.certificate.upper.method
(81, 'matrix shape')
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

from .certify import Bound, RankCertificate, certify_rank
from .circuits import ShallowArch
from .decompositions import coefficient_tensor, dense_bytes
from .errors import invalid
from .tensors import DEFAULT_MEMORY_BUDGET, EXACT_ENTRY_LIMIT, Partition, check_budget, matricize
from .structure import kronecker_rank


def structural_upper_bounds(arch, partition: Partition) -> list[Bound]:
    """Upper bounds on ``rank [A]_{I,J}`` valid for ALL weights of the architecture.

    * Deep (HT form): the minimal cut of the mode tree, with bond dimensions ``min(M, r_0)`` at the
      inputs and ``min(r_{l-1}, r_l)`` inside (MATH.md section 5); for the paper's odd/even
      partition this is ``min(r_0, M)^{N/2}`` (Theorem 1's upper side).
    * Shallow (CP form): Lemma C, ``rank <= Z``; shared weights make ``A`` symmetric, so the row
      space lies in the symmetric power: ``rank <= C(M + |I| - 1, |I|)`` (and likewise for ``J``).

    Examples
    --------
    >>> from verifier.circuits import DeepArch, ShallowArch
    >>> from verifier.tensors import parse_partition
    >>> [b.value for b in structural_upper_bounds(DeepArch(N=8, M=3, widths=(2, 1, 1)),
    ...                                           parse_partition("odd-even", 8))]
    [16]
    >>> [b.value for b in structural_upper_bounds(ShallowArch(N=4, M=3, Z=10, shared=True),
    ...                                           parse_partition("odd-even", 4))]
    [9, 6]
    """
    rows = frozenset(partition.rows)
    bound = arch.tree.cut_bound(rows, arch.edge_dim, arch.node_dim)
    if isinstance(arch, ShallowArch):
        what = "Lemma C: rank <= Z" if bound == arch.Z else "minimal cut of the CP network"
        out = [Bound(bound, f"structure: CP form ({what})")]
        if arch.shared:
            sym = min(comb(arch.M + len(rows) - 1, len(rows)), comb(arch.M + len(partition.cols) - 1,
                                                                    len(partition.cols)))
            out.append(Bound(sym, "structure: shared CP form is symmetric (symmetric-power dimension)"))
        return out
    return [Bound(bound, "structure: HT form (minimal cut of the mode tree)")]


@dataclass(frozen=True)
class RankReport:
    """The certified rank of one matricization of one network's tensor, with everything needed to
    reproduce it (architecture, weights kind, seed and bound, partition, output).

    Examples
    --------
    >>> from verifier.circuits import DeepArch
    >>> from verifier.weights import witness_weights
    >>> from verifier.tensors import parse_partition
    >>> r = matricization_rank(witness_weights(DeepArch(N=4, M=2, widths=(2, 1))),
    ...                        parse_partition("odd-even", 4))
    >>> print(r)
    deep ConvAC N=4 M=2 widths=2,1 Y=1 unshared, witness weights, partition odd-even, output 1
    [A] is 4 x 4: rank = 4
      lower bound 4: Lemmas K and R: product of 2 factor ranks (1 distinct factor(s), each by rank mod p = 2147483647 (flint))
      upper bound 4: Lemmas K and R: product of 2 factor ranks (1 distinct factor(s), each by matrix shape)
    """

    arch: object
    weights_kind: str
    seed: int | None
    bound: int | None
    partition: Partition
    output: int
    route: str
    certificate: RankCertificate

    def to_dict(self) -> dict:
        """JSON-ready form; ``rank`` is ``None`` unless certified. Output index is 1-based here."""
        d = self.certificate.to_dict()
        d.update({"seed": self.seed, "weights": self.weights_kind, "bound": self.bound,
                  "partition": self.partition.spec, "row_modes": [m + 1 for m in self.partition.rows],
                  "output": self.output + 1, "route": self.route, "architecture": self.arch.to_dict()})
        d.update(self.arch.to_dict())
        return d

    def __str__(self) -> str:
        a = self.arch
        size = f"Z={a.Z}" if a.net == "shallow" else f"widths={','.join(map(str, a.widths))}"
        if a.net == "depth":
            size += f" L_c={a.L_c}"
        head = (f"{a.net} ConvAC N={a.N} M={a.M} {size} Y={a.Y} {'shared' if a.shared else 'unshared'}, "
                f"{self.weights_kind} weights")
        if self.seed is not None:
            head += f" (seed {self.seed}, bound {self.bound})"
        c = self.certificate
        verdict = f"rank = {c.rank}" if c.certified else (
            f"{c.lower.value} <= rank <= {c.upper.value} (NOT certified)")
        return (f"{head}, partition {self.partition.spec}, output {self.output + 1}\n"
                f"[A] is {c.rows} x {c.cols}: {verdict}\n"
                f"  lower bound {c.lower.value}: {c.lower.method}\n"
                f"  upper bound {c.upper.value}: {c.upper.method}")


def matricization_rank(weights, partition: Partition, output: int = 0, engine=None,
                       memory_budget: int = DEFAULT_MEMORY_BUDGET, primes=None,
                       route: str = "auto") -> RankReport:
    """Certified rank of ``[A^y]_{I,J}`` for given weights.

    Parameters
    ----------
    weights : Weights
        Exact weights (random, witness or explicit); rationals are cleared of denominators.
    partition : Partition
        From :func:`~verifier.tensors.parse_partition`.
    output : int
        0-based output index ``y``.
    engine : str or RankEngine, optional
        ``'flint'`` (default) or ``'sympy'``.
    memory_budget : int
        Bytes; a dense construction above it is refused before allocation.
    primes : sequence of int, optional
        Primes for the modular lower bound.
    route : {'auto', 'structure', 'dense'}
        ``auto`` uses the structure when the weights have it, else builds densely.

    Raises
    ------
    SizeLimitError
        When the dense route is needed and does not fit (the message gives the size).

    Examples
    --------
    >>> from verifier.circuits import ShallowArch
    >>> from verifier.weights import random_weights
    >>> from verifier.tensors import parse_partition
    >>> r = matricization_rank(random_weights(ShallowArch(N=4, M=3, Z=5), seed=2),
    ...                        parse_partition("odd-even", 4))
    >>> r.certificate.rank, r.certificate.upper.method
    (5, 'structure: CP form (Lemma C: rank <= Z)')
    """
    if route not in ("auto", "structure", "dense"):
        raise invalid("route", "'auto', 'structure' or 'dense'", route)
    if weights.is_symbolic:
        raise invalid("weights", "exact numeric weights", "symbolic weights")
    arch = weights.arch
    if partition.N != arch.N:
        raise invalid("partition", f"a partition of N = {arch.N} modes", f"one of {partition.N} modes")
    meta = (arch, weights.kind, weights.seed, weights.bound, partition, output)
    if route in ("auto", "structure"):
        cert = kronecker_rank(weights, partition, output, engine=engine, allow_single=route == "structure")
        if cert is not None:
            return RankReport(*meta, "structure", cert)
        if route == "structure":
            raise invalid("route", "'auto' or 'dense' for weights without a Kronecker structure", route)
    iw = weights.integral()
    n_rows, n_cols = partition.shape(arch.M)
    uppers = structural_upper_bounds(arch, partition)
    check_budget(dense_bytes(arch, 2) + 8 * n_rows * n_cols,
                 memory_budget, f"the dense {n_rows} x {n_cols} matricization (M^N = {arch.M}^{arch.N})",
                 "use structured weights (the witness) or a smaller N")

    def residues(p):
        return matricize(coefficient_tensor(iw, output, modulus=p, memory_budget=memory_budget), partition)

    exact = None
    if arch.M ** arch.N <= EXACT_ENTRY_LIMIT:
        def exact():
            return matricize(coefficient_tensor(iw, output, memory_budget=memory_budget), partition)

    cert = certify_rank((n_rows, n_cols), residues=residues, exact=exact, upper_bounds=uppers,
                        engine=engine, primes=primes)
    return RankReport(*meta, "dense", cert)
