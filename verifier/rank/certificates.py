"""Certificates: a certified rank written as a self-contained file that :mod:`verifier.checker` re-checks.

A certificate (``"format": "convac-certificate/1"``, docs/CERTIFICATES.md) holds the network (mode tree and
explicit exact weights), the partition, the output, the claim and the evidence for each bound. The evidence
is re-derived here from the weights and the :class:`~verifier.rank.matricization.RankReport` (the routes'
answers are not trusted to be re-checkable: each piece of evidence is computed and its size compared with
the report's bound):

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
from math import comb

import numpy as np

from ..checker import CertificateError, ClaimError, check_certificate, statement_text
from ..errors import SizeLimitError, VerifierError
from ..exact.certify import Bound, RankCertificate, certify_matrix_rank, kernel_vectors
from ..exact.engines import FlintEngine
from ..exact.fields import DEFAULT_PRIME, FALLBACK_PRIMES
from ..exact.tensors import EXACT_ENTRY_LIMIT, matricize
from ..nets.architectures import ShallowArch
from ..nets.coefficients import coefficient_tensor
from ..nets.weights import Weights
from ..render.tables import show_int
from .mincut import _name, min_cut
from .pair_diagonal import DCount, applies, count_nonzero_entries
from .structure import _factor_matrix, kronecker_factors

FORMAT = "convac-certificate/1"
PRIMES = (DEFAULT_PRIME, *FALLBACK_PRIMES)
#: Largest number of entries of D enumerated for a Lemma D certificate (the checker's limit too).
PAIR_DIAGONAL_LIMIT = 2**26
#: Up to this many entries the dense route's lower bound is a minor, past it Lemma D when it applies (a
#: 6561 x 6561 determinant mod p takes ~40 s in flint, Lemma D's count 0.05 s).
MINOR_FIRST_ENTRIES = 2**20
#: Largest matrix (entries) whose minor is found by elimination when writing a certificate.
MINOR_ENTRY_LIMIT = 2**24


def _label(v) -> str:
    return f"{v[0]},{v[1]}"


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
        nodes[_label(v)] = ({"mode": tree.modes(v)[0] + 1} if tree.is_leaf(v)
                            else {"children": [_label(c) for c in tree.children(v)]})
    return {"root": _label(tree.root), "nodes": nodes}


def _minor(residues, p: int) -> dict | None:
    """Rows and columns of a nonsingular minor of maximal size mod ``p`` of an integer residue matrix."""
    eng = FlintEngine()
    cols = list(eng.pivots_mod_p(residues, p))
    rows = list(eng.pivots_mod_p(np.ascontiguousarray(residues[:, cols].T), p)) if cols else []
    return {"kind": "minor", "prime": p, "rows": rows, "cols": cols}


def matrix_lower(value: int, residues, what: str) -> dict:
    """Evidence of ``rank >= value`` for a matrix given by ``residues(p)`` (int64 or object, mod p).

    Examples
    --------
    >>> m = np.array([[1, 2], [2, 4], [0, 1]])
    >>> matrix_lower(2, lambda p: m % p, "m")
    {'kind': 'minor', 'prime': 2147483647, 'rows': [0, 2], 'cols': [0, 1]}
    """
    if value == 0:
        return {"kind": "trivial"}
    for p in PRIMES:
        mat = np.asarray(residues(p))
        if mat.shape[0] == mat.shape[1] == value:  # the whole matrix is the minor, if it is nonsingular mod p
            if FlintEngine().rank_mod_p(mat, p) == value:
                return {"kind": "minor", "prime": p, "rows": list(range(value)), "cols": list(range(value))}
            continue
        ev = _minor(mat, p)
        if len(ev["rows"]) >= value:
            return ev
    raise VerifierError(f"no certificate: no minor of size {value} nonzero mod the primes tried for {what}")


def matrix_upper(value: int, shape: tuple, exact, what: str) -> dict:
    """Evidence of ``rank <= value``: the shape, or kernel vectors of the exact matrix ``exact()``.

    Examples
    --------
    >>> m = np.array([[1, 2], [2, 4]], dtype=object)
    >>> matrix_upper(1, (2, 2), lambda: m, "m")
    {'kind': 'kernel', 'vectors': [['2', '-1']]}
    """
    if min(shape) <= value:
        return {"kind": "shape"}
    if exact is not None:
        a = exact()
        for p in PRIMES:
            k = kernel_vectors(a, p, FlintEngine())
            if k is not None and shape[1] - k.shape[1] <= value:
                return {"kind": "kernel", "vectors": [[str(x) for x in col] for col in k.T.tolist()]}
    raise VerifierError(f"no certificate: no kernel certificate of the upper bound {value} for {what}")


def _dense_residues(iw, report):
    def residues(p):
        return matricize(coefficient_tensor(iw, report.output, modulus=p), report.partition)
    return residues


def _dense_exact(iw, report):
    if iw.arch.M ** iw.arch.N > EXACT_ENTRY_LIMIT:
        return None

    def exact():
        return matricize(coefficient_tensor(iw, report.output), report.partition)
    return exact


def _cut(arch, report) -> dict:
    cut = report.min_cut if report.min_cut is not None else min_cut(arch, report.partition)
    return {"kind": "cut", "value": cut.value,
            "bonds": [sorted([_name(a), _name(b)]) for a, b, _ in cut.bonds],
            "deltas": [_name(v) for v, _ in cut.deltas]}


def _structural_upper(arch, report, value: int) -> dict | None:
    """Shape, min-cut or symmetric-power evidence of ``rank <= value``, when one of them reaches it."""
    c = report.certificate
    if min(c.rows, c.cols) <= value:
        return {"kind": "shape"}
    cut = _cut(arch, report)
    if cut["value"] <= value:
        return cut
    if isinstance(arch, ShallowArch) and arch.shared:
        i, j = len(report.partition.rows), len(report.partition.cols)
        if min(comb(arch.M + i - 1, i), comb(arch.M + j - 1, j)) <= value:
            return {"kind": "symmetric"}
    return None


def pair_diagonal_evidence(iw, report) -> dict | None:
    """Lemma D evidence (MATH.md section 5) for the report's bounds, or ``None`` when Lemma D does not apply or
    does not reach them: the filters' minors, the count of D mod p with the entries zero mod p but nonzero
    over Z listed, and (for the upper side, when the shape and the cut do not reach it) the entries proved zero.
    The count comes from the pair-diagonal route's evidence, or is computed here for the dense route."""
    arch, c = iw.arch, report.certificate
    count = getattr(c, "evidence", None)
    if not applies(arch, report.partition) or arch.widths[0] > arch.M:
        return None
    if not isinstance(count, DCount):
        if report.route == "pair-diagonal" or arch.widths[0] ** (arch.N // 2) > PAIR_DIAGONAL_LIMIT:
            return None  # singular filters (Lemma D (iii)) or too large to count here
        count = count_nonzero_entries(iw, report.output)
    filters = {}
    for v in arch.tree.postorder():
        if arch.tree.is_leaf(v):
            filters[_label(v)] = list(FlintEngine().pivots_mod_p(np.asarray(iw[v], dtype=object), count.prime))
            if len(filters[_label(v)]) < arch.widths[0]:
                return None
    if count.nonzero < c.lower.value:
        return None
    lower = {"kind": "pair_diagonal", "prime": count.prime, "filters": filters, "nonzero": count.nonzero,
             "nonzero_over_z": list(count.nonzero_zero_mod_p)}
    upper = _structural_upper(arch, report, c.upper.value)
    if upper is None and count.zero_entries is not None and count.entries - len(count.zero_entries) <= c.upper.value:
        upper = {"kind": "pair_diagonal", "zeros": list(count.zero_entries)}
    return {"lower": lower, "upper": upper} if upper is not None else None


def _evidence(iw, report, minor_first: int = MINOR_FIRST_ENTRIES) -> dict:
    arch, c = iw.arch, report.certificate
    what = f"the {report.route} route"
    if report.route == "structure":
        return _kronecker(iw, report)
    if report.route == "reduced":
        return _reduced(iw, report)
    if report.route == "blocks":  # Lemma B: the checker re-derives the blocks and their ranks itself
        ev = {"kind": "blocks", "primes": list(PRIMES)}
        return {"lower": ev, "upper": _structural_upper(arch, report, c.upper.value) or ev}
    if report.route not in ("dense", "pair-diagonal"):
        raise VerifierError(f"no certificate: the {report.route!r} route has no certificate format yet")
    small = c.rows * c.cols <= minor_first
    if report.route == "pair-diagonal" or (c.lower.value and not small):
        found = pair_diagonal_evidence(iw, report)
        if found is not None:
            return found
    whole = c.rows == c.cols == c.lower.value and c.rows * c.cols <= 2**26  # the whole matrix is the minor
    if c.lower.value and c.rows * c.cols > MINOR_ENTRY_LIMIT and not whole:
        raise SizeLimitError(f"no certificate: a minor of the {c.rows} x {c.cols} matricization is too large "
                             f"to find (limit {MINOR_ENTRY_LIMIT} entries)")
    lower = matrix_lower(c.lower.value, _dense_residues(iw, report), what)
    upper = _structural_upper(arch, report, c.upper.value)
    if upper is None:
        upper = matrix_upper(c.upper.value, (c.rows, c.cols), _dense_exact(iw, report), what)
    return {"lower": lower, "upper": upper}


def _kronecker(iw, report) -> dict:
    scalar, factors = kronecker_factors(iw, report.output)
    rows = frozenset(report.partition.rows)
    listed, per, seen = [], [], {}
    for f in factors:
        mat = _factor_matrix(iw, f, rows)
        key = (mat.shape, tuple(mat.ravel().tolist()))
        if key not in seen:
            cert = certify_matrix_rank(mat)
            seen[key] = len(per)
            what = f"factor {_label(f.node)}"
            per.append({"lower": matrix_lower(cert.lower.value, lambda p, m=mat: np.mod(m, p).astype(np.int64),
                                              what),
                        "upper": matrix_upper(cert.upper.value, mat.shape, lambda m=mat: m, what)})
        listed.append({"node": _label(f.node), "evidence": seen[key]})
    ev = {"kind": "kronecker", "factors": listed if scalar else [], "evidence": per if scalar else []}
    return {"lower": ev, "upper": ev}


def _reduced(iw, report) -> dict:
    """The reduction to the core (MATH.md section 5, Lemma R): every leaf's filters have a nonzero ``r x r``
    minor mod one prime (full column rank), and the core's matricization (identity leaves) carries the rank."""
    arch = iw.arch
    tree = arch.tree
    leaves = [v for v in tree.postorder() if tree.is_leaf(v)]
    r = arch.node_shape(leaves[0])[0]          # r_0 (deep) or Z (shallow): every leaf has r < M channels
    identity = [[int(a == b) for b in range(r)] for a in range(r)]
    core_arch = replace(arch, M=r)
    core = Weights(core_arch, {v: (np.array(identity, dtype=object) if tree.is_leaf(v) else iw[v])
                              for v in tree.postorder()}, "core")
    for p in PRIMES:
        filters = {_label(v): list(FlintEngine().pivots_mod_p(np.asarray(iw[v], dtype=object), p)) for v in leaves}
        if all(len(c) == r for c in filters.values()):
            break
    else:
        raise VerifierError("no certificate: no prime tried shows every filter matrix of full column rank")
    c = report.certificate
    what = "the core of the reduced route"
    core_shape = report.partition.shape(r)

    def residues(q):
        return matricize(coefficient_tensor(core, report.output, modulus=q), report.partition)

    def exact():
        return matricize(coefficient_tensor(core, report.output), report.partition)

    lower = {"kind": "reduced", "prime": p, "filters": filters, "core": {"kind": "trivial"}}
    if c.lower.value:
        lower["core"] = matrix_lower(c.lower.value, residues, what)
    upper = _structural_upper(arch, report, c.upper.value)
    if upper is None:
        small = r ** arch.N <= EXACT_ENTRY_LIMIT
        upper = {"kind": "reduced", "core": matrix_upper(c.upper.value, core_shape, exact if small else None, what)}
    return {"lower": lower, "upper": upper}


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
    cert = certificate_document(weights, report, _evidence(weights.integral(), report, minor_first))
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
