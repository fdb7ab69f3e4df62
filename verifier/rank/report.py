"""The report of one certified rank (:class:`RankReport`): the bounds, how they were certified, what the checker
gate said, and what reproduces them."""

from __future__ import annotations

from dataclasses import dataclass

from ..exact.certify import RankCertificate
from ..exact.tensors import Partition
from ..render.tables import show_int
from .mincut import NetworkCut
from .routes.base import default_geometry


@dataclass(frozen=True)
class RankReport:
    """The certified rank of one matricization of one network's tensor, with everything needed to
    reproduce it (architecture, weights kind, seed and bound, partition, output).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> from verifier.rank.matricization import matricization_rank
    >>> r = matricization_rank(witness_weights(DeepArch(N=4, M=2, widths=(2, 1))),
    ...                        parse_partition("odd-even", 4))
    >>> print(r)
    deep ConvAC N=4 M=2 widths=2,1 Y=1 unshared, witness weights, partition odd-even, output 1
    [A] is 4 x 4: rank = 4
      lower bound 4: Lemmas K and R: product of 2 factor ranks (1 distinct factor(s), each by rank mod p = 2147483647 (flint))
      upper bound 4: Lemmas K and R: product of 2 factor ranks (1 distinct factor(s), each by matrix shape)
      checked: the independent checker re-derived both bounds (lower: kronecker, upper: kronecker)
    """

    arch: object
    weights_kind: str
    seed: int | None
    bound: int | None
    partition: Partition
    output: int
    route: str
    certificate: RankCertificate
    min_cut: NetworkCut | None = None
    #: The checker gate (:func:`verifier.rank.certificates.independently_checked`): ``True`` when the
    #: independent checker accepted the evidence of both bounds, ``False`` when it did not (the report is then
    #: not certified), ``None`` when it was not run (``check=False``, or the grid route: no certificate format).
    checked: bool | None = None
    #: What the gate said (or why it did not run).
    check: str = ""

    def to_dict(self) -> dict:
        """JSON-ready form; ``rank`` is ``None`` unless certified. Output index is 1-based here.
        ``min_cut`` is the exact value of the tensor network's min-cut (an upper bound for all weights),
        ``cut`` its description, ``geometry`` the pooling geometry's name."""
        d = self.certificate.to_dict()
        if hasattr(self.certificate, "evidence_dict"):
            d["evidence"] = self.certificate.evidence_dict()
        d.update({"seed": self.seed, "weights": self.weights_kind, "bound": self.bound,
                  "partition": self.partition.spec, "row_modes": [m + 1 for m in self.partition.rows],
                  "output": self.output + 1, "route": self.route, "architecture": self.arch.to_dict()})
        d.update(self.arch.to_dict())
        d["geometry"] = self.arch.tree.name
        if self.min_cut is not None:
            d.update({"min_cut": self.min_cut.value, "cut": self.min_cut.to_dict()})
        d.update({"checked": self.checked, "check": self.check})
        return d

    def __str__(self) -> str:
        a = self.arch
        size = f"Z={a.Z}" if a.net == "shallow" else f"widths={','.join(map(str, a.widths))}"
        if a.net == "tt":  # a tensor train (verifier.nets.tt): its bonds, one value when all are equal
            size = f"bonds={a.widths[0] if len(set(a.widths)) == 1 else ','.join(map(str, a.widths))}"
        if a.net == "depth":
            size += f" L_c={a.L_c}"
        if not default_geometry(a) and a.net != "tt":
            size += f" geometry={a.tree.name}"
        if getattr(a, "kernel", 1) != 1:
            size += f" kernel={a.kernel}"
        head = (f"{a.net} ConvAC N={a.N} M={a.M} {size} Y={a.Y} {'shared' if a.shared else 'unshared'}, "
                f"{self.weights_kind} weights")
        if self.seed is not None:
            head += f" (seed {self.seed}, bound {self.bound})"
        c = self.certificate
        verdict = f"rank = {show_int(c.rank)}" if c.certified else (
            f"{show_int(c.lower.value)} <= rank <= {show_int(c.upper.value)} (NOT certified)")
        if c.certified and self.checked is not True:
            verdict += f", certified (not independently checked{': ' + self.check if self.check else ''})"
        return (f"{head}, partition {self.partition.spec}, output {self.output + 1}\n"
                f"[A] is {show_int(c.rows)} x {show_int(c.cols)}: {verdict}\n"
                f"  lower bound {show_int(c.lower.value)}: {c.lower.method}\n"
                f"  upper bound {show_int(c.upper.value)}: {c.upper.method}"
                + (f"\n  min-cut {show_int(self.min_cut.value)}: {self.min_cut.method}"
                   if self.min_cut is not None and not default_geometry(a)
                   and not c.upper.method.endswith(self.min_cut.method) else "")
                + (f"\n  checked: {self.check}" if self.checked is True else ""))
