"""``verifier sweep GRID.json --out R.jsonl``: run a command over a grid of its flags, one JSON line per result.

``GRID.json`` is ``{"rank": {"net": ["deep"], "N": [4, 8], "M": [2, 3], "widths": ["2,2", "2,2,2"],
"seed": [0, 1]}}``: the cartesian product of ``verifier rank`` flags (without ``--``; see
:mod:`verifier.rank.sweep`). Each result is appended to ``--out`` and flushed as one line: the ``rank --json``
object plus ``"command"`` and ``"args"``, or ``"command"``, ``"args"`` and ``"error"`` (the exit-2 message
``verifier rank`` would print after ``verifier: error:``) for an invalid combination. Rerunning with the same
``--out`` skips the rows already there (resume; an unfinished last line is dropped and redone).

``--executor dask`` runs the grid on a ``distributed.LocalCluster`` of ``--workers`` processes, or on the
cluster whose scheduler is at ``--scheduler``; rows arrive in completion order (same rows as ``local``).

Exit 0 when every combination has its row and every rank is certified, 1 if some rank is not certified,
2 on bad input (the grid, ``--out``, ``--workers``, ``--scheduler``), 130 on Ctrl-C (rows so far are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..errors import InvalidArgumentError, VerifierError
from ..rank.sweep import (
    MAX_TASKS,
    check_workers,
    close_client,
    dask_client,
    expand_grid,
    pending,
    run_tasks,
    scan_results,
)
from .arguments import positive_int
from .files import STANDARD_STREAMS, file_kind, read_regular
from .progress import progress_bar

#: Commands a grid may name.
SWEEPABLE = ("rank",)
#: The flags a grid may vary, per command: the network, its weights and the route (a whitelist: never an
#: output path such as ``--certificate``; ``--json`` is implied).
SWEEP_FLAGS = {"rank": ("net", "N", "M", "widths", "bonds", "Z", "Y", "shared", "geometry", "Lc", "weights", "seed", "bound",
                        "weights-file", "partition", "output", "engine", "route", "memory-budget", "kernel")}
#: Largest grid file read, in bytes.
MAX_GRID_FILE = 10**7


def register(sub) -> None:
    """Add the ``sweep`` subcommand."""
    p = sub.add_parser("sweep", help="run 'verifier rank' over a grid of flags (JSON lines, resumable, Dask)")
    p.add_argument("grid", metavar="GRID", help='JSON file such as {"rank": {"N": [4, 8], "M": [2, 3], ...}}')
    p.add_argument("--out", required=True, help="JSON-lines file: appended to; rows already there are skipped")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local (default): one after the other here; dask: a Dask cluster")
    p.add_argument("--workers", type=positive_int("--workers"), help="dask: worker processes of the local cluster (default 2)")
    p.add_argument("--scheduler", help="dask: address of a running scheduler, e.g. tcp://host:8786")
    p.set_defaults(func=run)


def sweep_flags() -> dict:
    """``{command: {flag: "value" | "switch"}}`` read from the commands' own parsers."""
    from . import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    out = {}
    for name in SWEEPABLE:
        flags = {}
        for action in commands[name]._actions:
            longs = [s[2:] for s in action.option_strings if s.startswith("--")]
            if longs and longs[0] in SWEEP_FLAGS[name]:
                flags[longs[0]] = "switch" if action.nargs == 0 else "value"
        out[name] = flags
    return out


def rank_row(argv: list) -> dict:
    """The row of one combination: exactly what ``verifier <argv> --json`` prints (parsed), or its error.

    Runs on the Dask workers too (module-level, importable).

    Examples
    --------
    >>> rank_row(["rank", "--net=deep", "--N=4", "--M=2", "--widths=2,1"])["rank"]
    4
    >>> rank_row(["rank", "--net=deep", "--N=4", "--M=2", "--widths=2,2,2"])["error"]
    "Argument 'widths' must have log2(N) = 2 entries for N = 4, got 3: (2, 2, 2)."
    """
    from . import UsageError, build_parser, error_message
    from .rank import compute

    try:
        args = build_parser().parse_args(list(argv))
        return json.loads(json.dumps(compute(args).to_dict(), sort_keys=True))
    except (UsageError, VerifierError) as exc:
        return {"error": error_message(exc)}


def read_grid(path: str):
    """The parsed grid file (errors name ``GRID``): a regular file of at most :data:`MAX_GRID_FILE` bytes."""
    data = read_regular("GRID", path, MAX_GRID_FILE, "a readable JSON file")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        where = f"line {exc.lineno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else "not JSON"
        raise InvalidArgumentError(f"Argument 'GRID' must be a JSON file, got {path[:80]!r} ({where}).") from None


#: Largest result file resumed, in bytes.
MAX_OUT_FILE = 2**30


def read_out(path: str):
    """Check ``--out`` and read the rows it already holds (a missing file holds none); returns its bytes and
    the :class:`~verifier.rank.sweep.Resume`. A FIFO, a device or a directory is refused before it is opened."""
    if os.path.isdir(path):
        raise InvalidArgumentError(f"Argument '--out' must be a file, got the directory {path[:80]!r}.")
    if path in STANDARD_STREAMS or (os.path.exists(path) and not os.path.isfile(path)):  # stat only, never open
        kind = file_kind(os.stat(path).st_mode) if os.path.exists(path) else "a standard stream"
        raise InvalidArgumentError(f"Argument '--out' must be a regular file (JSON lines, appended to), got "
                                   f"{path[:80]!r} ({kind}).")
    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
        raise InvalidArgumentError(f"Argument '--out' must be in an existing, writable directory, got {path[:80]!r}.")
    if not os.path.lexists(path):
        return b"", scan_results(b"")
    data = read_regular("--out", path, MAX_OUT_FILE, "a readable, writable JSON-lines file")
    return data, scan_results(data)


def open_out(path: str, data: bytes, resume):
    """Open ``--out`` for appending, after dropping an unfinished last line or ending a complete one
    (temp file + rename)."""
    try:
        if resume.dropped or resume.newline:
            tmp = os.path.join(os.path.dirname(path) or ".", f".{os.path.basename(path)}.tmp{os.getpid()}")
            with open(tmp, "wb") as fh:
                fh.write(data[:resume.keep] + (b"\n" if resume.newline else b""))
            os.replace(tmp, path)
        return open(path, "a", encoding="utf-8")
    except OSError as exc:
        raise InvalidArgumentError(f"Argument '--out' must be a writable file, got {path[:80]!r} "
                                   f"({exc.strerror}).") from None


def run(args) -> int:
    """Expand the grid, skip the done rows, run the rest, append each row; print a summary line."""
    if args.executor == "local" and (args.workers is not None or args.scheduler is not None):
        flag = "--workers" if args.workers is not None else "--scheduler"
        raise InvalidArgumentError(f"Argument {flag!r} must only be given with --executor dask, got "
                                   f"{args.workers if args.workers is not None else args.scheduler!r}.")
    if args.scheduler is not None and args.workers is not None:
        raise InvalidArgumentError(f"Argument '--workers' must not be given with --scheduler (the cluster has its "
                                   f"own workers), got {args.workers}.")
    workers = check_workers(2 if args.workers is None else args.workers)
    tasks = expand_grid(read_grid(args.grid), sweep_flags(), MAX_TASKS)
    data, resume = read_out(args.out)
    todo = pending(tasks, resume.done)
    counts = {"rank": 0, "error": 0, "uncertified": 0}
    # an address given is checked even when no row is left (a dead scheduler is refused, not ignored)
    client = (dask_client(workers, args.scheduler) if args.executor == "dask" and (todo or args.scheduler)
              else None)
    try:
        with open_out(args.out, data, resume) as fh, progress_bar(len(todo), "sweep") as bar:
            for task, result in run_tasks(todo, rank_row, client):
                row = {"command": task.command, "args": task.arg_dict, **result}
                fh.write(json.dumps(row, sort_keys=True) + "\n")
                fh.flush()
                if "error" in result:
                    counts["error"] += 1
                else:
                    counts["rank" if result.get("certified") else "uncertified"] += 1
                bar.update(1)
    except KeyboardInterrupt:
        print(f"verifier: interrupted; {args.out} keeps the rows written, rerun to resume", file=sys.stderr)
        return 130
    finally:
        if client is not None:
            close_client(client)
    skipped = len(tasks) - len(todo)
    print(f"sweep: {len(todo)} new rows in {args.out} ({counts['rank']} certified ranks, {counts['error']} "
          f"errors, {counts['uncertified']} uncertified); {skipped} already done")
    return 1 if counts["uncertified"] else 0
