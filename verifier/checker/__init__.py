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
...         "statement": {"text": statement_text(2, 2, 0, [0]), "kind": "matricization rank"},
...         "tree": {"root": "1,0", "nodes": {"1,0": {"children": ["0,0", "0,1"]},
...                                           "0,0": {"mode": 1}, "0,1": {"mode": 2}}},
...         "weights": {"0,0": [["1", "0"], ["0", "1"]], "0,1": [["1", "0"], ["0", "1"]], "1,0": [["1", "1"]]},
...         "claim": {"rank": 2},
...         "evidence": {"lower": {"kind": "minor", "prime": 7, "rows": [0, 1], "cols": [0, 1]},
...                      "upper": {"kind": "shape"}}}
>>> check_certificate(cert)
'rank = 2 (lower: minor, upper: shape)'
>>> cert["claim"], cert["statement"]["text"] = {"rank": 3}, statement_text(3, 3, 0, [0])
>>> check_certificate(cert)
Traceback (most recent call last):
...
verifier.checker.tensor.ClaimError: claim: rank 3 is not proved: the evidence gives 2 <= rank <= 2
>>> check_text('{"format": "convac-certificate/1", "M": 2, "M": 3}')
Traceback (most recent call last):
...
verifier.checker.tensor.CertificateError: duplicate key 'M' (JSON readers disagree on which value wins)
"""

from __future__ import annotations

import json

from .evidence import check_lower, check_upper
from .tensor import CertificateError, ClaimError, Net, as_int, need, show

__all__ = ["FORMAT", "CertificateError", "ClaimError", "check_certificate", "check_text", "statement_text"]

#: The format string every certificate carries, and its fields: anything else is refused, so no unchecked text
#: can ride along with a PASS.
FORMAT = "convac-certificate/1"
FIELDS = frozenset({"format", "statement", "M", "tree", "weights", "partition", "output", "claim", "evidence"})


def statement_text(low: int, high: int, y: int, rows) -> str:
    """The only statement a certificate may carry: its claim in words, derived from the checked data
    (``y`` 0-based, ``rows`` the 0-based row modes)."""
    low, high = show(low), show(high)
    words = f"rank [A^y]_(I,J) = {low}" if low == high else f"{low} <= rank [A^y]_(I,J) <= {high}"
    return f"{words} for these weights, output y = {y + 1}, rows I = modes {sorted(m + 1 for m in rows)}"


def check_certificate(cert) -> str:
    """Re-check one certificate (a parsed JSON object); returns a one-line summary of what was proved. Every
    field is checked: unknown fields are refused, ``statement.text`` must be :func:`statement_text`'s.

    Raises
    ------
    CertificateError
        The object is not a well-formed certificate.
    ClaimError
        The claim is false, or its evidence does not prove it (the message names the failing part).
    """
    need(isinstance(cert, dict) and cert.get("format") == FORMAT, f"'format' must be {FORMAT!r}")
    extra = sorted(str(k)[:30] for k in set(cert) - FIELDS)
    need(not extra, f"unknown field(s) {', '.join(extra)[:80]} (a certificate holds only checked fields)")
    net = Net(cert)
    part = cert.get("partition")
    need(isinstance(part, dict) and set(part) == {"row_modes"} and isinstance(part["row_modes"], list),
         "'partition' must be {\"row_modes\": [...]}")
    rows = frozenset(as_int(m, "'partition.row_modes'", 1) - 1 for m in part["row_modes"])
    need(rows <= set(range(net.N)), f"'partition.row_modes' must be modes 1..{net.N}")
    y = as_int(cert.get("output"), "'output'", 1) - 1
    vector = net.row_vector(net.root, y)
    claim, ev = cert.get("claim"), cert.get("evidence")
    need(isinstance(claim, dict) and isinstance(ev, dict), "'claim' and 'evidence' must be objects")
    need(set(claim) in ({"rank"}, {"lower", "upper"}), "'claim' must be {\"rank\": r} or {\"lower\": a, \"upper\": b}")
    if "rank" in claim:
        low = high = as_int(claim["rank"], "'claim.rank'")
    else:
        low, high = as_int(claim.get("lower"), "'claim.lower'"), as_int(claim.get("upper"), "'claim.upper'")
    statement = cert.get("statement")
    need(isinstance(statement, dict) and set(statement) == {"text", "kind"}
         and statement["kind"] == "matricization rank", "'statement' must be {\"text\": ..., \"kind\": "
                                                        "\"matricization rank\"}")
    need(set(ev) == {"lower", "upper"}, "'evidence' must be {\"lower\": {...}, \"upper\": {...}}")
    lower = check_lower(ev.get("lower"), net, net.root, vector, rows, "evidence.lower")
    upper = check_upper(ev.get("upper"), net, net.root, vector, rows, "evidence.upper")
    if lower < low or upper > high:
        what = f"rank {show(low)}" if low == high else f"{show(low)} <= rank <= {show(high)}"
        raise ClaimError(f"claim: {what} is not proved: the evidence gives {show(lower)} <= rank <= {show(upper)}")
    if statement["text"] != statement_text(low, high, y, rows):
        raise ClaimError("statement.text: it does not say what the checked data claim (expected "
                         f"{statement_text(low, high, y, rows)[:120]!r})")
    kinds = f"lower: {ev['lower']['kind']}, upper: {ev['upper']['kind']}"
    return (f"rank = {show(low)}" if low == high else f"{show(low)} <= rank <= {show(high)}") + f" ({kinds})"


def _unique_keys(pairs: list) -> dict:
    seen: set = set()
    dup = [k for k, _ in pairs if k in seen or seen.add(k)]
    need(not dup, f"duplicate key {dup[0][:30]!r} (JSON readers disagree on which value wins)" if dup else "")
    return dict(pairs)


def _no_constant(name: str):
    need(False, f"{name} is not a number a certificate may hold (exact integers and strings only)")


def check_text(text: str) -> str:
    """Parse and check one certificate given as JSON text (see :func:`check_certificate`); ``CertificateError``
    when it is not JSON, repeats a key in an object, or holds NaN or Infinity."""
    try:
        cert = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise CertificateError(f"not JSON ({str(exc)[:80]})") from None
    return check_certificate(cert)
