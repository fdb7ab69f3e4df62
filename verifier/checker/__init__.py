"""The certificate checker: a small, independent re-check of what ``verifier`` claims (issue 12).

A certificate (``"format": "convac-certificate/1"``, docs/CERTIFICATES.md) states the rank of a
matricization ``[A^y]_{I,J}`` of a network's coefficient tensor for explicit exact weights, with evidence
for a lower and an upper bound. This subpackage re-derives both bounds from the weights alone: it has its
own tree, entry evaluation, index map and cut evaluation (:mod:`.tensor`, :mod:`.evidence`) and imports
nothing from the rest of ``verifier`` (only the standard library, numpy on exact integers, python-flint),
so that trusting a PASS needs only these few hundred lines (the de Bruijn criterion).

Examples
--------
>>> cert = {"format": FORMAT, "M": 2, "output": 1, "partition": {"row_modes": [1]},
...         "tree": {"root": "1,0", "nodes": {"1,0": {"children": ["0,0", "0,1"]},
...                                           "0,0": {"mode": 1}, "0,1": {"mode": 2}}},
...         "weights": {"0,0": [["1", "0"], ["0", "1"]], "0,1": [["1", "0"], ["0", "1"]], "1,0": [["1", "1"]]},
...         "claim": {"rank": 2},
...         "evidence": {"lower": {"kind": "minor", "prime": 7, "rows": [0, 1], "cols": [0, 1]},
...                      "upper": {"kind": "shape"}}}
>>> check_certificate(cert)
'rank = 2 (lower: minor, upper: shape)'
>>> cert["claim"] = {"rank": 3}
>>> check_certificate(cert)
Traceback (most recent call last):
...
verifier.checker.tensor.ClaimError: claim: rank 3 is not proved: the evidence gives 2 <= rank <= 2
"""

from __future__ import annotations

import json

from .evidence import check_lower, check_upper
from .tensor import CertificateError, ClaimError, Net, as_int, need

__all__ = ["FORMAT", "CertificateError", "ClaimError", "check_certificate", "check_text"]

#: The format string every certificate carries.
FORMAT = "convac-certificate/1"


def check_certificate(cert) -> str:
    """Re-check one certificate (a parsed JSON object); returns a one-line summary of what was proved.

    Raises
    ------
    CertificateError
        The object is not a well-formed certificate.
    ClaimError
        The claim is false, or its evidence does not prove it (the message names the failing part).
    """
    need(isinstance(cert, dict) and cert.get("format") == FORMAT, f"'format' must be {FORMAT!r}")
    net = Net(cert)
    part = cert.get("partition")
    need(isinstance(part, dict) and isinstance(part.get("row_modes"), list), "'partition.row_modes' must be a list")
    rows = frozenset(as_int(m, "'partition.row_modes'", 1) - 1 for m in part["row_modes"])
    need(rows <= set(range(net.N)), f"'partition.row_modes' must be modes 1..{net.N}")
    y = as_int(cert.get("output"), "'output'", 1) - 1
    vector = net.row_vector(net.root, y)
    claim, ev = cert.get("claim"), cert.get("evidence")
    need(isinstance(claim, dict) and isinstance(ev, dict), "'claim' and 'evidence' must be objects")
    if "rank" in claim:
        low = high = as_int(claim["rank"], "'claim.rank'")
    else:
        low, high = as_int(claim.get("lower"), "'claim.lower'"), as_int(claim.get("upper"), "'claim.upper'")
    lower = check_lower(ev.get("lower"), net, net.root, vector, rows, "evidence.lower")
    upper = check_upper(ev.get("upper"), net, net.root, vector, rows, "evidence.upper")
    if lower < low or upper > high:
        what = f"rank {low}" if low == high else f"{low} <= rank <= {high}"
        raise ClaimError(f"claim: {what} is not proved: the evidence gives {lower} <= rank <= {upper}")
    kinds = f"lower: {ev['lower']['kind']}, upper: {ev['upper']['kind']}"
    return (f"rank = {low}" if low == high else f"{low} <= rank <= {high}") + f" ({kinds})"


def check_text(text: str) -> str:
    """Parse and check one certificate given as JSON text (see :func:`check_certificate`); ``CertificateError``
    when it is not JSON."""
    try:
        cert = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CertificateError(f"not JSON ({str(exc)[:80]})") from None
    return check_certificate(cert)
