"""``verifier check FILE...``: re-check certificates with the independent checker (:mod:`verifier.checker`).

Exit 0 when every claim is re-verified; 1 when one is false or its evidence does not prove it (one line per
file on stdout, ``FAIL <file>: <the part that failed>``); 2 when a file is unreadable or not a certificate.
"""

from __future__ import annotations

import json
import re
import sys

from ..errors import InvalidArgumentError, show
from .arguments import path_argument
from .files import read_regular


def register(sub) -> None:
    """Add the ``check`` subcommand."""
    p = sub.add_parser("check", help="re-check certificate files with the independent checker")
    p.add_argument("files", nargs="+", metavar="FILE", type=path_argument("FILE"),
                   help="certificates written by 'verifier rank --certificate' or 'verifier prove --certificates'")
    p.set_defaults(func=run)


#: Largest certificate file read, in bytes (checked before reading).
MAX_CERTIFICATE_FILE = 2**28
#: Most tree nodes and deepest tree of a certificate checked: the package's nets have at most 2^15 positions
#: (2^16 nodes) and trees at most 64 levels deep; a longer chain would make the checker's work grow as its
#: depth times its size, so it is refused before the check starts.
MAX_TREE_NODES, MAX_TREE_DEPTH = 2**16 + 1, 1024
#: Digit runs longer than this in a FAIL line are shown by their length.
LONG_DIGITS = re.compile(r"\d{41,}")


def _refuse(path: str, expected: str, detail: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"Argument 'FILE' must be {expected}, got {show(path)} ({detail}).")


def _read(path: str):
    """The parsed JSON of a certificate file: a regular file of at most :data:`MAX_CERTIFICATE_FILE` bytes, UTF-8
    JSON (integers of at most 4300 digits, Python's limit)."""
    data = read_regular("FILE", path, MAX_CERTIFICATE_FILE, "a readable certificate file")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _refuse(path, "a certificate (UTF-8 JSON)", "not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise _refuse(path, "a convac-certificate/1 file", f"not JSON ({str(exc)[:80]})") from None


def _check_tree_size(cert, path: str) -> None:
    """Refuse a tree with more than :data:`MAX_TREE_NODES` nodes or deeper than :data:`MAX_TREE_DEPTH` levels
    (the checker itself reports every other defect of the tree)."""
    tree = cert.get("tree") if isinstance(cert, dict) else None
    nodes = tree.get("nodes") if isinstance(tree, dict) else None
    if not isinstance(nodes, dict):
        return
    if len(nodes) > MAX_TREE_NODES:
        raise _refuse(path, f"a certificate whose 'tree.nodes' has at most {MAX_TREE_NODES} nodes",
                      f"{len(nodes)} nodes")
    depth, stack, seen = 0, [(tree.get("root"), 0)], set()
    while stack:
        v, d = stack.pop()
        if not isinstance(v, str) or v in seen or not isinstance(nodes.get(v), dict):
            continue  # not a tree: the checker says so
        seen.add(v)
        depth = max(depth, d)
        if depth > MAX_TREE_DEPTH:
            raise _refuse(path, f"a certificate whose 'tree' is at most {MAX_TREE_DEPTH} levels deep",
                          f"a deeper tree, {len(nodes)} nodes")
        kids = nodes[v].get("children", [])
        if isinstance(kids, list):
            stack.extend((c, d + 1) for c in kids if isinstance(c, str))


def _checked(cert):
    """The checker's summary of ``cert``; its bounds may be printed past Python's 4300-digit limit (a false
    claim about a huge rank is a FAIL, exit 1, not a malformed file), the JSON having been read under it."""
    from ..checker import check_certificate

    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return check_certificate(cert)
    finally:
        sys.set_int_max_str_digits(previous)


def _short_digits(text: str) -> str:
    """``text`` with every run of more than 40 digits replaced by its length (a FAIL line stays readable)."""
    return LONG_DIGITS.sub(lambda m: f"<an integer of {len(m.group())} digits>", text)


def run(args) -> int:
    """Check every file; 0 if all claims are re-verified, 1 if one is not (2, raised, for a bad file)."""
    from ..checker import CertificateError, ClaimError

    ok = True
    for path in args.files:
        cert = _read(path)
        _check_tree_size(cert, path)
        try:
            summary = _checked(cert)
        except CertificateError as exc:
            raise InvalidArgumentError(f"Argument 'FILE' must be a convac-certificate/1 file, got {show(path)} "
                                       f"({_short_digits(str(exc))}).") from None
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as exc:
            raise InvalidArgumentError(f"Argument 'FILE' must be a well-formed convac-certificate/1 file, got "
                                       f"{show(path)} ({type(exc).__name__}: {str(exc)[:80]}).") from None
        except ClaimError as exc:
            print(f"FAIL  {path}: {_short_digits(str(exc))}", flush=True)
            ok = False
            continue
        print(f"PASS  {path}: {_short_digits(summary)}", flush=True)
    return 0 if ok else 1
