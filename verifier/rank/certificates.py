"""Certificates: a certified rank written as a self-contained file that :mod:`verifier.checker` re-checks.

A certificate (``"format": "convac-certificate/1"``, docs/CERTIFICATES.md) holds the network (mode tree and
explicit exact weights), the partition, the output, the claim and the evidence for each bound. This module
only serializes: the evidence comes from the route that answered (``evidence`` of its
:class:`~verifier.rank.routes.base.Route`, built from the pieces in :mod:`verifier.rank.evidence`), and the
independent checker re-derives it before anything leaves the writer:

* lower bounds: the row and column indices of a nonsingular ``r x r`` minor mod a prime below ``2^31``
  (dense route); Lemma D's count of nonzero entries of ``D`` mod p with the filters' minors
  (odd/even partition of a binary deep net with ``r_0 <= M``, so that rank 6561 checks without a
  6561 x 6561 determinant); the Kronecker factors and each factor's minor (structure route); the filters'
  minors and the core's minor (reduced route); Lemma B's blocks (block route: the primes of its factors'
  ranks, the checker re-derives the blocks);
* upper bounds: the matrix shape, the min-cut (its bonds and delta nodes), kernel vectors, the symmetric
  power of a shared shallow net, the factors' bounds, the core's bound.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import random_weights
>>> from verifier.exact.tensors import parse_partition
>>> from verifier.rank.matricization import matricization_rank
>>> from verifier.checker import check_certificate
>>> w = random_weights(DeepArch(N=4, M=2, widths=(2, 2)), seed=0)
>>> cert = rank_certificate(w, matricization_rank(w, parse_partition("odd-even", 4), check=False))
>>> cert["claim"], cert["evidence"]["lower"], check_certificate(cert)
({'rank': 4}, {'kind': 'minor', 'prime': 2147483647, 'rows': [0, 1, 2, 3], 'cols': [0, 1, 2, 3]}, 'rank = 4 (lower: minor, upper: shape)')
"""

from __future__ import annotations

from dataclasses import replace

from ..checker import CertificateError, ClaimError, check_certificate, statement_text
from ..errors import VerifierError
from ..exact.certify import Bound, RankCertificate
from ..render.tables import show_int
from .evidence import MINOR_FIRST_ENTRIES, label
from .routes import REGISTRY

FORMAT = "convac-certificate/1"


def tree_dict(tree) -> dict:
    """The mode tree as the certificate writes it: ``{"root": "l,j", "nodes": {"l,j": {"children": [..]}
    or {"mode": i}}}`` (modes 1-based).

    Examples
    --------
    >>> from verifier.nets.trees import balanced_binary_tree
    >>> tree_dict(balanced_binary_tree(2))
    {'root': '1,0', 'nodes': {'0,0': {'mode': 1}, '0,1': {'mode': 2}, '1,0': {'children': ['0,0', '0,1']}}}
    """
    nodes = {}
    for v in tree.postorder():
        nodes[label(v)] = ({"mode": tree.modes(v)[0] + 1} if tree.is_leaf(v)
                            else {"children": [label(c) for c in tree.children(v)]})
    return {"root": label(tree.root), "nodes": nodes}


def rank_certificate(weights, report, minor_first: int = MINOR_FIRST_ENTRIES) -> dict:
    """The certificate (a JSON-ready dict) of one certified rank: the report's claim with evidence for it,
    already accepted by the independent checker (:func:`verifier.checker.check_certificate`).

    A certificate holds only what the checker checks: the statement is the claim in words as the checker
    derives it (:func:`verifier.checker.statement_text`), the partition only its row modes; the seed, the
    route and the architecture's name are in the :class:`~verifier.rank.matricization.RankReport`, not here.

    Parameters
    ----------
    weights : Weights
        The weights the report was computed for (numeric).
    report : RankReport
        From :func:`~verifier.rank.matricization.matricization_rank`.
    minor_first : int
        Up to this many entries of ``[A]`` the dense route's lower bound is a minor; past it, Lemma D's count
        when it applies (``0``: Lemma D whenever it applies).

    Raises
    ------
    VerifierError
        When the route has no certificate format (the receptive-field grid route), no evidence of the
        report's bounds could be found, or the checker rejected the evidence (the writer never hands out a
        certificate its own checker rejects).
    """
    cert, _ = certificate_and_check(weights, report, minor_first)
    return cert


def certificate_and_check(weights, report, minor_first: int = MINOR_FIRST_ENTRIES) -> tuple[dict, str]:
    """:func:`rank_certificate` and the checker's one-line summary of what it proved."""
    route = REGISTRY.get(report.route)
    if route is None:
        raise VerifierError(f"no certificate: the {report.route!r} route has no certificate format yet")
    cert = certificate_document(weights, report, route.evidence(weights.integral(), report, minor_first))
    return cert, sealed(cert, report.route)


def certificate_document(weights, report, evidence: dict) -> dict:
    """The certificate of ``report``'s claim for ``weights`` (on their tree) with the given evidence; only
    checked fields (the statement is the claim in words as the checker derives it)."""
    c = report.certificate
    low, high = (c.rank, c.rank) if c.certified else (c.lower.value, c.upper.value)
    return {
        "format": FORMAT,
        "statement": {"text": statement_text(low, high, report.output, report.partition.rows),
                      "kind": "matricization rank"},
        "M": weights.arch.M, "tree": tree_dict(weights.arch.tree), "weights": weights.to_dict(),
        "partition": {"row_modes": [m + 1 for m in report.partition.rows]},
        "output": report.output + 1,
        "claim": {"rank": c.rank} if c.certified else {"lower": low, "upper": high},
        "evidence": evidence,
    }


def sealed(cert: dict, route: str) -> str:
    """Run the independent checker on ``cert``: its summary, or ``VerifierError`` naming the route whose
    evidence it rejected (so no certificate the checker rejects ever leaves the writer)."""
    try:
        return check_certificate(cert)
    except (CertificateError, ClaimError) as exc:
        raise VerifierError(f"no certificate: the independent checker rejected the {route} route's "
                            f"evidence ({str(exc)[:150]})") from None


def independently_checked(weights, report, write=certificate_and_check):
    """The checker gate: ``report`` with ``checked=True`` when the independent checker accepted the evidence
    of its bounds; otherwise (no certificate format, no evidence found, or evidence rejected) a report that is
    NOT certified (lower bound 0, upper bound the matrix shape), with the reason, and ``checked=False``.
    ``write(weights, report) -> (certificate, summary)`` writes and checks the certificate (another net's
    writer, e.g. the tensor train's, may be given).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import random_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> from verifier.rank.matricization import matricization_rank
    >>> w = random_weights(DeepArch(N=4, M=2, widths=(2, 2)), seed=0)
    >>> r = matricization_rank(w, parse_partition("odd-even", 4), check=False)
    >>> r.checked, independently_checked(w, r).checked
    (None, True)
    """
    c = report.certificate
    try:
        _, summary = write(weights, report)
    except VerifierError as exc:
        reason = str(exc).removeprefix("no certificate: ")
        lower = Bound(0, f"none accepted: {reason}; the {report.route} route said {show_int(c.lower.value)}")
        upper = Bound(min(c.rows, c.cols), f"matrix shape (the {report.route} route said {show_int(c.upper.value)})")
        return replace(report, certificate=RankCertificate(c.rows, c.cols, lower, upper), checked=False,
                       check=f"not certified: {reason}")
    kinds = summary[summary.rindex("("):]
    return replace(report, checked=True, check=f"the independent checker re-derived both bounds {kinds}")
