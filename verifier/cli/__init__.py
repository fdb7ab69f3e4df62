"""The ``verifier`` command line: ``verifier rank``, ``verifier prove``, ...

Exit codes: 0 ok; 1 a check failed (or a rank could not be certified); 2 bad input (one line
``verifier: error: ...`` naming the argument, what was expected and what was received; no traceback).

Examples
--------
>>> main(["rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--json"])  # doctest: +ELLIPSIS
{"M": 2, "N": 4, ...
0
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import VerifierError

COMMANDS = ("rank", "weights", "prove", "zero_set", "measure_zero", "approx", "table", "theorem2", "simnet")
"""Subcommands: each module ``verifier.cli.<name>`` has ``register(subparsers)``, which adds its parser and sets
``func`` (``args -> exit code``). Add a module and its name here to add a subcommand."""


class UsageError(Exception):
    """Bad command-line usage (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand of :data:`verifier.cli.COMMANDS`."""
    parser = _Parser(prog="verifier", description="Exact checks of Cohen, Sharir & Shashua (COLT 2016).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"verifier.cli.{name}").register(sub)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit code (also for ``python -m verifier``)."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (UsageError, VerifierError) as exc:
        msg = str(exc).replace("\n", " ")
        print(f"verifier: error: {msg}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except BrokenPipeError:  # output piped into a closed reader (``| head``): not an error of ours
        sys.stderr.close()
        return 0


def entry() -> None:  # pragma: no cover - console script
    """Console-script entry point."""
    sys.exit(main())
