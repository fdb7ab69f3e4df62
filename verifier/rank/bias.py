"""The inductive bias of a pooling geometry at a glance: certified ranks and min-cuts over partitions.

Cohen & Shashua (ICLR 2017): the separation rank of the network's function w.r.t. ``(I, J)`` is
``rank [A^y]_{I,J}``, maximal for almost all weights; a geometry models the correlations of the
partitions where that rank is high. For each partition this module reports

* ``rank``: the certified rank of ``[A]_{I,J}`` at seeded random integer weights (a LOWER bound on the
  generic rank: a minor nonzero at one point is a nonzero polynomial);
* ``min_cut``: the min-cut of the tensor network (:mod:`verifier.rank.mincut`), an upper bound for ALL
  weights;
* ``meets``: whether they are equal, in which case the generic rank is certified to be the min-cut.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> rep = geometry_report(DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4"), ["left-right", "checkerboard"])
>>> [(r.spec, r.rank, r.min_cut.value, r.meets) for r in rep.rows]
[('left-right', 2, 2, True), ('checkerboard', 16, 16, True)]
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from ..errors import InvalidArgumentError, SizeLimitError
from ..exact.certify import RankCertificate
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, Partition
from ..nets.architectures import DeepArch
from ..nets.geometry import IMAGE_PARTITIONS, image_side, named_partition
from ..nets.weights import DEFAULT_BOUND, random_weights
from ..render.latex import INDENT_PT, LINE_WIDTH_PT, PAGE_HEIGHT_PT, fit_tabular
from ..render.reports import latex_escape
from .matricization import matricization_rank
from .mincut import NetworkCut, min_cut

#: Largest number of random partitions one report draws.
MAX_RANDOM_PARTITIONS = 1000


def default_partitions(tree) -> list[str]:
    """The named partitions of a geometry: odd-even and low-high, plus the four image ones for images.

    Examples
    --------
    >>> from verifier.nets.geometry import image_tree
    >>> default_partitions(image_tree(4))
    ['odd-even', 'low-high', 'left-right', 'top-bottom', 'checkerboard', 'column-interleaved']
    """
    return ["odd-even", "low-high"] + (list(IMAGE_PARTITIONS) if image_side(tree) else [])


def random_partitions(N: int, count: int, seed: int) -> list[Partition]:
    """``count`` balanced partitions (``|I| = floor(N/2)``) drawn with ``random.Random(seed)``, as ``rows:`` specs.

    Examples
    --------
    >>> [p.spec for p in random_partitions(4, 2, 0)]
    ['rows:2,4', 'rows:1,2']
    """
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_RANDOM_PARTITIONS:
        raise InvalidArgumentError(f"Argument 'random_partitions' must be an integer in 0..{MAX_RANDOM_PARTITIONS}, "
                                   f"got {count!r}.")
    if N < 2 and count:
        raise InvalidArgumentError(f"Argument 'random_partitions' needs N >= 2 modes, got N = {N}.")
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        rows = sorted(rng.sample(range(N), N // 2))
        out.append(Partition(N, tuple(rows), "rows:" + ",".join(str(m + 1) for m in rows)))
    return out


@dataclass(frozen=True)
class PartitionRow:
    """One partition of the table: its certified rank at the seeded weights (or ``None`` when too large) and min-cut."""

    spec: str
    rows: tuple
    certificate: RankCertificate | None
    min_cut: NetworkCut
    note: str = ""

    @property
    def rank(self):
        """The certified rank, or ``None`` (not certified, or not computed)."""
        return self.certificate.rank if self.certificate is not None else None

    @property
    def meets(self):
        """``True`` when the certified rank equals the min-cut (the generic rank is then the min-cut)."""
        return None if self.rank is None else self.rank == self.min_cut.value

    def to_dict(self) -> dict:
        c = self.certificate
        return {"partition": self.spec, "row_modes": [m + 1 for m in self.rows], "rank": self.rank,
                "lower_bound": c.lower.value if c else None, "upper_bound": c.upper.value if c else None,
                "certified": c.certified if c else False, "min_cut": self.min_cut.value, "meets": self.meets,
                "cut": self.min_cut.to_dict(), "note": self.note}


@dataclass(frozen=True)
class GeometryReport:
    """The table of a geometry: architecture, weights (seed, bound) and one :class:`PartitionRow` per partition."""

    arch: object
    seed: int
    bound: int
    rows: tuple

    def _head(self) -> str:
        a = self.arch
        return (f"Pooling geometry {a.tree.name}: deep ConvAC N={a.N} M={a.M} widths={','.join(map(str, a.widths))} "
                f"Y={a.Y} {'shared' if a.shared else 'unshared'}, random weights (seed {self.seed}, bound {self.bound})")

    LEGEND = ("rank: certified rank of [A]_{I,J} at these weights (a lower bound on the generic rank); "
              "min-cut: upper bound for all weights; meets: then the generic rank IS the min-cut")

    def _cells(self, r: PartitionRow) -> list:
        rank = "-" if r.certificate is None else (str(r.rank) if r.rank is not None else
                                                  f"{r.certificate.lower.value}..{r.certificate.upper.value}")
        meets = {True: "yes", False: "no", None: "-"}[r.meets]
        return [r.spec, ",".join(str(m + 1) for m in r.rows), rank, str(r.min_cut.value), meets]

    HEADER = ["partition", "row modes (1-based)", "rank", "min-cut", "meets"]

    def __str__(self) -> str:
        table = [self.HEADER] + [self._cells(r) for r in self.rows]
        widths = [max(len(row[k]) for row in table) for k in range(len(self.HEADER))]
        lines = [self._head()]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]
        lines += [f"note ({r.spec}): {r.note}" for r in self.rows if r.note]
        lines.append(self.LEGEND)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON-ready form (exact integers)."""
        return {"geometry": self.arch.tree.name, "architecture": self.arch.to_dict(), "seed": self.seed,
                "bound": self.bound, "partitions": [r.to_dict() for r in self.rows]}

    def to_json(self) -> str:
        """JSON text, keys sorted (deterministic)."""
        return json.dumps(self.to_dict(), sort_keys=True)

    def to_markdown(self) -> str:
        """A Markdown table."""
        rows = [f"### {self._head()}", "", "| " + " | ".join(self.HEADER) + " |", "|---|---|---:|---:|---|"]
        rows += ["| " + " | ".join(self._cells(r)) + " |" for r in self.rows]
        return "\n".join(rows + ["", self.LEGEND])

    def to_latex(self) -> str:
        """A booktabs ``tabular`` fitted to a one-column article (:func:`~verifier.render.latex.fit_tabular`)."""
        cells = [[latex_escape(c) for c in self._cells(r)] for r in self.rows]
        return "\n".join(fit_tabular([latex_escape(h) for h in self.HEADER], cells, "llrrl", LINE_WIDTH_PT - INDENT_PT,
                                      PAGE_HEIGHT_PT))

    def render(self, fmt: str) -> str:
        """``text``, ``json``, ``markdown`` or ``latex``."""
        return {"text": self.__str__, "json": self.to_json, "markdown": self.to_markdown,
                "latex": self.to_latex}[fmt]()


def geometry_report(arch, partitions=None, seed: int = 0, bound: int = DEFAULT_BOUND, engine=None,
                    memory_budget: int = DEFAULT_MEMORY_BUDGET) -> GeometryReport:
    """Certified rank and min-cut for each partition of a geometry (the named ones by default).

    Parameters
    ----------
    arch : DeepArch
        Any geometry.
    partitions : list of str or Partition, optional
        Specs (``odd-even``, ``left-right``, ``rows:1,2``, ..) or :class:`Partition` objects.
    seed, bound : int
        The random weights: :func:`~verifier.nets.weights.random_weights` ``(arch, seed, bound)``.

    Returns
    -------
    GeometryReport
        Ranks that do not fit the memory budget are left out (``rank`` ``None``, with a note); min-cuts are
        always given.
    """
    if not isinstance(arch, DeepArch):
        raise InvalidArgumentError(f"Argument 'arch' must be a DeepArch (a pooling geometry), got "
                                   f"{type(arch).__name__}.")
    if partitions is None:
        partitions = default_partitions(arch.tree)
    if isinstance(partitions, (str, Partition)) or not hasattr(partitions, "__iter__"):
        raise InvalidArgumentError("Argument 'partitions' must be a list of partition specs or Partitions, got "
                                   f"{str(partitions)[:60]!r}.")
    parts = [p if isinstance(p, Partition) else named_partition(p, arch.tree) for p in partitions]
    weights = random_weights(arch, seed, bound)
    rows = []
    for p in parts:
        cut = min_cut(arch, p)
        try:
            cert = matricization_rank(weights, p, engine=engine, memory_budget=memory_budget).certificate
            note = ""
        except SizeLimitError as exc:
            cert, note = None, str(exc)
        rows.append(PartitionRow(p.spec, p.rows, cert, cut, note))
    return GeometryReport(arch, seed, bound, tuple(rows))
