"""The ``verifier`` command line: ``verifier rank``, ``verifier prove``, ...

Exit codes: 0 ok; 1 a check failed (or a rank could not be certified); 2 bad input or a refused size (one
line ``verifier: error: ...`` naming the argument, what was expected and what was received; no traceback);
130 interrupted (Ctrl-C: one line ``verifier: interrupted``, no partial output file).

Examples
--------
>>> main(["rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--json"])  # doctest: +ELLIPSIS
{"M": 2, "N": 4, ...
0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..errors import VerifierError

COMMANDS = ("rank", "weights", "prove", "theorem1", "zero_set", "measure_zero", "approx", "table", "theorem2",
            "geometry", "sweep", "plot", "simnet", "check")
"""Subcommands: each module ``verifier.cli.<name>`` has ``register(subparsers)``, which adds its parser and sets
``func`` (``args -> exit code``). Add a module and its name here to add a subcommand."""


class UsageError(Exception):
    """Bad command-line usage (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand of :data:`verifier.cli.COMMANDS`."""
    from verifier import __version__  # the package's one version string (setup.cfg declares the same)

    parser = _Parser(prog="verifier", description="Exact checks of Cohen, Sharir & Shashua (COLT 2016).")
    parser.add_argument("--version", action="version", version=f"verifier (convac-verifier) {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"verifier.cli.{name}").register(sub)
    return parser


#: Longest line the command line prints for an error (the message is cut, never the argument's name).
MESSAGE_LIMIT = 300


def error_message(exc: BaseException) -> str:
    """The text after ``verifier: error: `` for a usage or input error: one line, cut so that the whole line
    stays within :data:`MESSAGE_LIMIT` characters; also a sweep row's ``"error"``.

    Examples
    --------
    >>> error_message(UsageError("argument --N: must be a positive integer,\\ngot 'x'"))
    "argument --N: must be a positive integer, got 'x'"
    """
    text = " ".join(str(exc).split())
    room = MESSAGE_LIMIT - len("verifier: error: ")
    return text if len(text) <= room else text[:room - 4] + " ..."


def _say(text: str) -> None:
    """Print one line ``verifier: <text>`` on stderr, folded to one line and cut to :data:`MESSAGE_LIMIT`."""
    line = "verifier: " + " ".join(str(text).split())
    if len(line) > MESSAGE_LIMIT:
        line = line[:MESSAGE_LIMIT - 4] + " ..."
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed or full: nothing more can be said
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout
        pass


def main(argv=None) -> int:
    """Run the command line; returns the exit code (also for ``python -m verifier``).

    0: done (a rank certified, every check passed); 1: a check failed or bounds did not meet; 2: bad input
    or a refused size (one line naming the argument); 130: interrupted (Ctrl-C), one line, no partial file.
    Nothing ever ends in a traceback: an unexpected exception is reported in one line as an internal error
    (exit 1), to be reported as a bug.
    """
    try:
        try:
            args = build_parser().parse_args(argv)
            code = args.func(args)
            sys.stdout.flush()
            return code
        except (UsageError, VerifierError) as exc:
            _say(f"error: {error_message(exc)}")
            return 2
        except SystemExit as exc:  # --help, --version
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BrokenPipeError:  # output piped into a closed reader (``| head``): not an error of ours
            _silence_stdout()
            return 0
        except OSError as exc:  # standard output not writable (a full disk, /dev/full, ...)
            _silence_stdout()
            _say(f"error: could not write the output: {exc.strerror or exc}")
            return 2
        except MemoryError:
            _say("error: out of memory; use smaller sizes or a smaller --memory-budget")
            return 2
        except RecursionError:
            _say("error: an input is nested too deeply")
            return 2
        except Exception as exc:  # noqa: BLE001 - never a traceback: one line, reported as a bug
            _say(f"internal error (a bug; please report it with the command line): {type(exc).__name__}: {exc}")
            return 1
    except KeyboardInterrupt:
        _say("interrupted")
        return 130


def entry() -> None:  # pragma: no cover - console script
    """Console-script entry point."""
    sys.exit(main())
