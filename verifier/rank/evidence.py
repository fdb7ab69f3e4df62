"""Evidence of rank bounds, as the certificate format writes it (docs/CERTIFICATES.md): the pieces the routes
(:mod:`verifier.rank.routes`) assemble their evidence from.

* lower bounds: the row and column indices of a nonsingular ``r x r`` minor mod a prime below ``2^31``;
  Lemma D's count of nonzero entries of ``D`` mod p with the filters' minors (odd/even partition of a binary
  deep net with ``r_0 <= M``, so that rank 6561 checks without a 6561 x 6561 determinant);
* upper bounds: the matrix shape, the min-cut (its bonds and delta nodes), kernel vectors, the symmetric
  power of a shared shallow net.

Each piece is computed from the weights and its size compared with the report's bound (a route's answer is not
trusted to be re-checkable); :mod:`verifier.checker` re-derives it.
"""

from __future__ import annotations

from math import comb

import numpy as np

from ..errors import SizeLimitError, VerifierError
from ..exact.certify import kernel_vectors
from ..exact.engines import FlintEngine
from ..exact.fields import DEFAULT_PRIME, FALLBACK_PRIMES
from ..exact.tensors import EXACT_ENTRY_LIMIT, matricize
from ..nets.architectures import ShallowArch
from ..nets.coefficients import coefficient_tensor
from .mincut import _name, min_cut
from .pair_diagonal import DCount, applies, count_nonzero_entries

PRIMES = (DEFAULT_PRIME, *FALLBACK_PRIMES)
#: Largest number of entries of D enumerated for a Lemma D certificate (the checker's limit too).
PAIR_DIAGONAL_LIMIT = 2**26
#: Up to this many entries the dense route's lower bound is a minor, past it Lemma D when it applies (a
#: 6561 x 6561 determinant mod p takes ~40 s in flint, Lemma D's count 0.05 s).
MINOR_FIRST_ENTRIES = 2**20
#: Largest matrix (entries) whose minor is found by elimination when writing a certificate.
MINOR_ENTRY_LIMIT = 2**24


def label(v) -> str:
    return f"{v[0]},{v[1]}"


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


def dense_residues(iw, report):
    def residues(p):
        return matricize(coefficient_tensor(iw, report.output, modulus=p), report.partition)
    return residues


def dense_exact(iw, report):
    if iw.arch.M ** iw.arch.N > EXACT_ENTRY_LIMIT:
        return None

    def exact():
        return matricize(coefficient_tensor(iw, report.output), report.partition)
    return exact


def cut_evidence(arch, report) -> dict:
    cut = report.min_cut if report.min_cut is not None else min_cut(arch, report.partition)
    return {"kind": "cut", "value": cut.value,
            "bonds": [sorted([_name(a), _name(b)]) for a, b, _ in cut.bonds],
            "deltas": [_name(v) for v, _ in cut.deltas]}


def structural_evidence(arch, report, value: int) -> dict | None:
    """Shape, min-cut or symmetric-power evidence of ``rank <= value``, when one of them reaches it."""
    c = report.certificate
    if min(c.rows, c.cols) <= value:
        return {"kind": "shape"}
    cut = cut_evidence(arch, report)
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
            filters[label(v)] = list(FlintEngine().pivots_mod_p(np.asarray(iw[v], dtype=object), count.prime))
            if len(filters[label(v)]) < arch.widths[0]:
                return None
    if count.nonzero < c.lower.value:
        return None
    lower = {"kind": "pair_diagonal", "prime": count.prime, "filters": filters, "nonzero": count.nonzero,
             "nonzero_over_z": list(count.nonzero_zero_mod_p)}
    upper = structural_evidence(arch, report, c.upper.value)
    if upper is None and count.zero_entries is not None and count.entries - len(count.zero_entries) <= c.upper.value:
        upper = {"kind": "pair_diagonal", "zeros": list(count.zero_entries)}
    return {"lower": lower, "upper": upper} if upper is not None else None


def dense_evidence(iw, report, minor_first: int = MINOR_FIRST_ENTRIES) -> dict:
    """Evidence of a dense (or Lemma D) report's bounds: a minor mod p and the shape, cut or kernel vectors; past
    ``minor_first`` entries of ``[A]`` (or for the pair-diagonal route) Lemma D's count when it applies."""
    arch, c = iw.arch, report.certificate
    what = f"the {report.route} route"
    small = c.rows * c.cols <= minor_first
    if report.route == "pair-diagonal" or (c.lower.value and not small):
        found = pair_diagonal_evidence(iw, report)
        if found is not None:
            return found
    whole = c.rows == c.cols == c.lower.value and c.rows * c.cols <= 2**26  # the whole matrix is the minor
    if c.lower.value and c.rows * c.cols > MINOR_ENTRY_LIMIT and not whole:
        raise SizeLimitError(f"no certificate: a minor of the {c.rows} x {c.cols} matricization is too large "
                             f"to find (limit {MINOR_ENTRY_LIMIT} entries)")
    lower = matrix_lower(c.lower.value, dense_residues(iw, report), what)
    upper = structural_evidence(arch, report, c.upper.value)
    if upper is None:
        upper = matrix_upper(c.upper.value, (c.rows, c.cols), dense_exact(iw, report), what)
    return {"lower": lower, "upper": upper}
