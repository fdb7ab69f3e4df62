"""What every rank route shares: the validated question (:class:`Job`), the answer of a cost estimate
(:class:`Estimate`), the route interface (:class:`Route`), and the structural upper bounds valid for all
weights (:func:`structural_upper_bounds`).

A :class:`Job` is built once, by :func:`~verifier.rank.matricization.matricization_rank`, from validated
values; the routes do not re-check them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from math import comb

from ...errors import VerifierError
from ...exact.certify import Bound, RankCertificate, certify_rank
from ...exact.engines import RankEngine
from ...exact.tensors import EXACT_ENTRY_LIMIT, Partition, check_partition, matricize
from ...nets.architectures import ShallowArch
from ...nets.weights import Weights, check_arch
from ..mincut import NetworkCut, min_cut

#: Below this many entries (of the largest array a route builds) every route answers in well under a second:
#: ``auto`` then counts the cost as nothing and prefers the route with the simplest evidence (registry order).
SMALL_ENTRIES = 2**20


@dataclass(frozen=True)
class Job:
    """One validated rank question: weights (numeric; ``iw`` their integral form), partition, 0-based output,
    and the options, with the network's min-cut and the structural upper bounds computed once."""

    weights: Weights
    partition: Partition
    output: int
    engine: RankEngine
    memory_budget: int
    primes: tuple | None = None
    progress: object = None
    executor: object = None
    cut: NetworkCut = field(init=False)
    iw: Weights = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "cut", min_cut(self.weights.arch, self.partition))
        object.__setattr__(self, "iw", self.weights.integral())

    @cached_property
    def uppers(self) -> tuple:
        """:func:`structural_upper_bounds` (computed on first use: the structure route does not need them)."""
        return tuple(_uppers(self.arch, self.partition, self.cut))

    @property
    def arch(self):
        return self.weights.arch

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)`` of ``[A]_{I,J}``."""
        return self.partition.shape(self.arch.M)

    @property
    def prime(self) -> dict:
        """``{"prime": p}`` for the routes taking one prime below ``2^31`` (the first such of ``primes``)."""
        small = [p for p in (self.primes or ()) if p < 2**31]
        return {"prime": small[0]} if small else {}


@dataclass(frozen=True)
class Estimate:
    """Whether a route applies and at what estimated cost: the entries of the largest array it builds (``0`` up
    to :data:`SMALL_ENTRIES`). ``why`` says, in a few words, why it does not apply."""

    cost: int | None
    why: str = ""

    @staticmethod
    def of(entries: int) -> Estimate:
        return Estimate(0 if entries <= SMALL_ENTRIES else entries)

    @staticmethod
    def no(why: str) -> Estimate:
        return Estimate(None, why)


class Route:
    """A rank route. ``estimate(job)`` says whether it applies and at what cost; ``run(job)`` returns its
    :class:`~verifier.exact.certify.RankCertificate` (valid bounds; certified or not), or raises
    :class:`NotAnswered`; ``evidence(iw, report, minor_first)`` is the structured evidence of a report's bounds
    that the certificate writer serializes. ``refusal`` completes "Argument 'route' must be ..." when the route
    is forced where it does not apply."""

    name = ""
    refusal = "'auto' or 'dense'"

    def estimate(self, job: Job) -> Estimate:  # pragma: no cover - every route overrides it
        raise NotImplementedError

    def run(self, job: Job) -> RankCertificate:  # pragma: no cover - every route overrides it
        raise NotImplementedError

    def evidence(self, iw, report, minor_first: int) -> dict:
        raise VerifierError(f"no certificate: the {report.route!r} route has no certificate format yet")


class NotAnswered(Exception):
    """The route does not apply to this job (``why``: a few words for ``auto``'s refusal line; ``detail``: what a
    forced route's refusal adds)."""

    def __init__(self, why: str, detail: str = ""):
        super().__init__(detail or why)
        self.why = why
        self.detail = detail   # said after the route's refusal when the route is forced


def default_geometry(arch) -> bool:
    """Whether the net pools on the paper's geometry (binary tree, star, depth-L_c), whose min-cut has a
    closed form."""
    name = arch.tree.name
    return name in ("binary", "star") or name.startswith("depth:")


def structural_upper_bounds(arch, partition: Partition, cut: NetworkCut | None = None) -> list[Bound]:
    """Upper bounds on ``rank [A]_{I,J}`` valid for ALL weights of the architecture.

    * Deep (HT form): the minimal cut of the mode tree, with bond dimensions ``min(M, r_0)`` at the
      inputs and ``min(r_{l-1}, r_l)`` inside (MATH.md section 5); for the paper's odd/even
      partition this is ``min(r_0, M)^{N/2}`` (Theorem 1's upper side). For the other geometries
      (windows, images, tree files) the bound is the min-cut of the tensor network
      (:func:`~verifier.rank.mincut.min_cut`, delta nodes included; ``cut`` if already computed), whose
      method names what it cuts.
    * Shallow (CP form): Lemma C, ``rank <= Z``; shared weights make ``A`` symmetric, so the row
      space lies in the symmetric power: ``rank <= C(M + |I| - 1, |I|)`` (and likewise for ``J``).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch, ShallowArch
    >>> from verifier.exact.tensors import parse_partition
    >>> [b.value for b in structural_upper_bounds(DeepArch(N=8, M=3, widths=(2, 1, 1)),
    ...                                           parse_partition("odd-even", 8))]
    [16]
    >>> [b.value for b in structural_upper_bounds(ShallowArch(N=4, M=3, Z=10, shared=True),
    ...                                           parse_partition("odd-even", 4))]
    [9, 6]
    """
    check_arch(arch)
    return _uppers(arch, check_partition(partition, arch.N), cut)


def _uppers(arch, partition: Partition, cut: NetworkCut | None) -> list[Bound]:
    rows = frozenset(partition.rows)
    if not default_geometry(arch):
        cut = cut if cut is not None else min_cut(arch, partition)
        return [Bound(cut.value, f"structure: {cut.method}")]
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


def with_cut(cert: RankCertificate, cut: NetworkCut) -> RankCertificate:
    """The certificate with the min-cut as its upper bound when it is strictly better (valid for all weights)."""
    if cut.value < cert.upper.value:
        return RankCertificate(cert.rows, cert.cols, cert.lower, Bound(cut.value, f"structure: {cut.method}"))
    return cert


def dense_certificate(tensor, arch, partition: Partition, upper_bounds, **options) -> RankCertificate:
    """:func:`~verifier.exact.certify.certify_rank` of ``[A]_{I,J}`` built densely: ``tensor(p)`` is the tensor
    mod the prime ``p``, ``tensor(None)`` the exact one (offered only up to ``EXACT_ENTRY_LIMIT`` entries).
    ``options`` go to ``certify_rank`` (engine, primes, limits). Callers check the memory budget first."""
    def residues(p):
        return matricize(tensor(p), partition)

    exact = (lambda: matricize(tensor(None), partition)) if arch.M ** arch.N <= EXACT_ENTRY_LIMIT else None
    return certify_rank(partition.shape(arch.M), residues=residues, exact=exact, upper_bounds=upper_bounds,
                        **options)
