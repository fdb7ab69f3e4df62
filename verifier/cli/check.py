"""``verifier check FILE...``: re-check certificates with the independent checker (:mod:`verifier.checker`).

Exit 0 when every claim is re-verified; 1 when one is false or its evidence does not prove it (one line per
file on stdout, ``FAIL <file>: <the part that failed>``); 2 when a file is unreadable or not a certificate.
"""

from __future__ import annotations

from ..errors import InvalidArgumentError, show
from .arguments import path_argument


def register(sub) -> None:
    """Add the ``check`` subcommand."""
    p = sub.add_parser("check", help="re-check certificate files with the independent checker")
    p.add_argument("files", nargs="+", metavar="FILE", type=path_argument("FILE"),
                   help="certificates written by 'verifier rank --certificate' or 'verifier prove --certificates'")
    p.set_defaults(func=run)


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(2**31)
        return data.decode("utf-8")
    except OSError as exc:
        raise InvalidArgumentError(f"Argument 'FILE' must be a readable certificate file, got {show(path)} "
                                   f"({exc.strerror or exc}).") from None
    except UnicodeDecodeError:
        raise InvalidArgumentError(f"Argument 'FILE' must be a certificate (UTF-8 JSON), got {show(path)} "
                                   f"(not UTF-8 text).") from None


def run(args) -> int:
    """Check every file; 0 if all claims are re-verified, 1 if one is not (2, raised, for a bad file)."""
    from ..checker import CertificateError, ClaimError, check_text

    ok = True
    for path in args.files:
        text = _read(path)
        try:
            summary = check_text(text)
        except CertificateError as exc:
            raise InvalidArgumentError(f"Argument 'FILE' must be a convac-certificate/1 file, got {show(path)} "
                                       f"({exc}).") from None
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as exc:
            raise InvalidArgumentError(f"Argument 'FILE' must be a well-formed convac-certificate/1 file, got "
                                       f"{show(path)} ({type(exc).__name__}: {str(exc)[:80]}).") from None
        except ClaimError as exc:
            print(f"FAIL  {path}: {exc}", flush=True)
            ok = False
            continue
        print(f"PASS  {path}: {summary}", flush=True)
    return 0 if ok else 1
