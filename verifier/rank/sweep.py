"""Sweeps: a grid of command-line flags, expanded, resumed and run on a local or a Dask executor.

Terms
-----
grid
    A JSON object ``{command: {flag: [value, ..], ..}}``, e.g.
    ``{"rank": {"net": ["deep"], "N": [4, 8], "M": [2, 3], "widths": ["2,2", "2,2,2"], "seed": [0, 1]}}``.
    Flags are spelled as on the command line without the leading ``--``; values are strings or integers
    (``true``/``false`` for on/off flags such as ``shared``). The grid is the cartesian product of the lists,
    in the order they are written (the last flag varies fastest). The key ``"zip"`` takes a list of objects
    whose flags vary together, one axis of the product: ``{"rank": {"M": [2, 3], "zip": [{"N": 8, "widths":
    "2,2,2"}, {"N": 16, "widths": "2,2,2,2"}]}}`` is 4 combinations, never N = 8 with four widths.
task
    One combination: a :class:`Task` with the command, its ``args`` and the ``argv`` it stands for.
row
    One JSON line of results: ``{"command", "args", ..}`` plus the command's ``--json`` object, or
    ``"error"`` (the exit-2 message) when the combination is invalid. Rows are keyed by
    ``(command, args)``: :func:`scan_results` reads the keys of the rows already written, so a rerun skips
    them (resume, no duplicates).

This module validates and expands grids, reads result files' text and runs tasks; it prints nothing and
opens no file (``verifier sweep``, :mod:`verifier.cli.sweep`, does that). The function run on each task is
given by the caller (it must be importable by the Dask workers).

Examples
--------
>>> flags = {"rank": {"net": "value", "N": "value", "shared": "switch"}}
>>> tasks = expand_grid({"rank": {"net": ["deep"], "N": [4, 8], "shared": [False, True]}}, flags)
>>> [t.argv for t in tasks][:2]
[['rank', '--net=deep', '--N=4'], ['rank', '--net=deep', '--N=4', '--shared']]
>>> tasks[3].key
'{"args": {"N": 8, "net": "deep", "shared": true}, "command": "rank"}'
>>> [row for _, row in run_tasks(tasks[:2], len)]   # len(argv); a Dask client runs them on a cluster
[3, 4]
>>> zipped = expand_grid({"rank": {"shared": [False], "zip": [{"N": 4, "net": "deep"}, {"N": 8, "net": "deep"}]}},
...                      flags)
>>> [t.argv for t in zipped]
[['rank', '--N=4', '--net=deep'], ['rank', '--N=8', '--net=deep']]
"""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass

from ..errors import InvalidArgumentError

#: Largest grid (number of combinations) run; a larger product is refused before anything runs.
MAX_TASKS = 100_000
#: Largest number of Dask workers started on this machine (``--workers``).
MAX_WORKERS = 256
#: Seconds to wait for a Dask scheduler given by address.
CONNECT_TIMEOUT = 5


def _short(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Task:
    """One combination of a grid: ``command`` and its flags ``args`` (flag -> value), in grid order."""

    command: str
    args: tuple  # ((flag, value), ..): hashable, in the grid's order

    @property
    def arg_dict(self) -> dict:
        """The flags as a dict (the row's ``"args"``)."""
        return dict(self.args)

    @property
    def key(self) -> str:
        """Canonical text of ``(command, args)``: what resume compares."""
        return row_key({"command": self.command, "args": self.arg_dict})

    @property
    def argv(self) -> list:
        """The command line (without ``verifier``): ``--flag=value``; on/off flags as ``--flag`` or nothing."""
        out = [self.command]
        for flag, value in self.args:
            if value is True:
                out.append(f"--{flag}")
            elif value is not False:
                out.append(f"--{flag}={value}")
        return out


def row_key(row: dict) -> str:
    """Canonical text of a row's ``command`` and ``args`` (sorted keys).

    Examples
    --------
    >>> row_key({"args": {"seed": 0, "N": 4}, "command": "rank", "rank": 4})
    '{"args": {"N": 4, "seed": 0}, "command": "rank"}'
    """
    return json.dumps({"command": row["command"], "args": row["args"]}, sort_keys=True)


def expand_grid(grid, flags: dict, limit: int = MAX_TASKS) -> list:
    """Validate a grid and expand it into its :class:`Task` s (sizes checked before expanding).

    Parameters
    ----------
    grid : dict
        Parsed JSON, ``{command: {flag: [values]}}``.
    flags : dict
        ``{command: {flag: "value" | "switch"}}``: the commands and flags a grid may use (``switch``: an
        on/off flag, values ``true``/``false``).
    limit : int
        Largest number of combinations accepted.

    Raises
    ------
    InvalidArgumentError
        Naming ``GRID`` and the offending command or flag.

    Examples
    --------
    >>> flags = {"rank": {"N": "value"}}
    >>> expand_grid({"rank": {"N": [4]}, "prove": {}}, flags)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'GRID' must have commands among rank, got 'prove'.
    >>> expand_grid({"rank": {"N": list(range(400))}}, flags, limit=100)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'GRID' must have at most 100 combinations, got 400 (rank: 400).
    """
    if not isinstance(grid, dict) or not grid:
        raise InvalidArgumentError(f"Argument 'GRID' must be a nonempty JSON object such as "
                                   f'{{"rank": {{"N": [4, 8]}}}}, got {_kind(grid)}: {_short(grid)}.')
    sizes = {}
    for command, axes in grid.items():
        if command not in flags:
            raise InvalidArgumentError(f"Argument 'GRID' must have commands among {', '.join(flags)}, "
                                       f"got {_short(command)}.")
        if not isinstance(axes, dict) or not axes:
            raise InvalidArgumentError(f"Argument 'GRID' must map {command!r} to a nonempty object of flag "
                                       f"lists, got {_kind(axes)}: {_short(axes)}.")
        known = flags[command]
        for flag, values in axes.items():
            if flag == ZIP:
                _check_zip(command, values, known, axes)
                continue
            if flag not in known:
                raise InvalidArgumentError(f"Argument 'GRID' must use flags of {command!r} without '--' (one of "
                                           f"{', '.join(known)}), got {_short(flag)}.")
            if not isinstance(values, list) or not values:
                raise InvalidArgumentError(f"Argument 'GRID' must give {command}.{flag} a nonempty list of "
                                           f"values, got {_kind(values)}: {_short(values)}.")
            for v in values:
                ok = (isinstance(v, bool) if known[flag] == "switch" else
                      isinstance(v, str) or (isinstance(v, numbers.Integral) and not isinstance(v, bool)))
                if not ok:
                    want = "true or false" if known[flag] == "switch" else "strings or integers"
                    raise InvalidArgumentError(f"Argument 'GRID' must give {command}.{flag} {want}, got "
                                               f"{_kind(v)}: {_short(v)}.")
        sizes[command] = math.prod(len(v) for v in axes.values())
    total = sum(sizes.values())
    if total > limit:
        detail = ", ".join(f"{c}: {n}" for c, n in sizes.items())
        raise InvalidArgumentError(f"Argument 'GRID' must have at most {limit} combinations, got {total} ({detail}).")
    import itertools

    tasks = []
    for command, axes in grid.items():
        names = list(axes)
        for combo in itertools.product(*axes.values()):
            args = []
            for name, value in zip(names, combo):
                args.extend(value.items() if name == ZIP else [(name, value)])
            tasks.append(Task(command, tuple(args)))
    return tasks


#: The grid key whose value is a list of objects: flags that vary together (one axis of the product).
ZIP = "zip"


def _check_zip(command: str, items, known: dict, axes: dict) -> None:
    """Validate ``"zip": [{flag: value, ..}, ..]``: a nonempty list of objects with the same flags, none of them
    also an axis of the grid, each value as for an axis."""
    where = f"{command}.{ZIP}"
    if not isinstance(items, list) or not items or not all(isinstance(o, dict) and o for o in items):
        raise InvalidArgumentError(f"Argument 'GRID' must give {where} a nonempty list of nonempty objects such as "
                                   f'[{{"N": 8, "widths": "2,2,2"}}], got {_kind(items)}: {_short(items)}.')
    keys = list(items[0])
    for obj in items:
        if sorted(obj) != sorted(keys):
            raise InvalidArgumentError(f"Argument 'GRID' must give every object of {where} the same flags "
                                       f"{_short(sorted(keys))}, got {_short(sorted(obj))}.")
        for flag, v in obj.items():
            if flag not in known:
                raise InvalidArgumentError(f"Argument 'GRID' must use flags of {command!r} in {where} (one of "
                                           f"{', '.join(known)}), got {_short(flag)}.")
            if flag in axes:
                raise InvalidArgumentError(f"Argument 'GRID' must not give {command}.{flag} both as an axis and in "
                                           f"{where}, got both.")
            ok = (isinstance(v, bool) if known[flag] == "switch" else
                  isinstance(v, str) or (isinstance(v, numbers.Integral) and not isinstance(v, bool)))
            if not ok:
                want = "true or false" if known[flag] == "switch" else "a string or an integer"
                raise InvalidArgumentError(f"Argument 'GRID' must give {where}: {flag} {want}, got "
                                           f"{_kind(v)}: {_short(v)}.")


@dataclass(frozen=True)
class Resume:
    """What a result file already holds: the keys of its rows, and how many of its bytes to keep.

    ``dropped`` is an unfinished last line (a crash mid-write), dropped and redone; ``newline`` says the last
    row is complete but lacks its newline (to be added before appending)."""

    done: frozenset
    keep: int
    dropped: bytes = b""
    newline: bool = False


def _row_or_error(line: bytes, number: int, name: str) -> str:
    try:
        return row_key(json.loads(line))
    except (ValueError, TypeError, KeyError):
        raise InvalidArgumentError(f"Argument {name!r} must be a JSON-lines file of sweep rows (or new), "
                                   f"got line {number}: {_short(line)}.") from None


def scan_results(data: bytes, name: str = "--out") -> Resume:
    """Read the rows of a result file's content (JSON lines) for resuming.

    A last line without its newline is either a complete row (kept) or an interrupted write: a prefix
    ``{"..`` of a row that does not parse, after at least one complete row, which is dropped (``keep``
    excludes it). Anything else raises (a file holding only an unfinished line is not known to be a sweep's),
    so a file that is not a sweep's output (a grid, notes) is never truncated or appended to.

    Examples
    --------
    >>> r = scan_results(b'{"command": "rank", "args": {"N": 4}, "rank": 4}\\n{"command": "ra')
    >>> sorted(r.done), r.keep, r.dropped
    (['{"args": {"N": 4}, "command": "rank"}'], 49, b'{"command": "ra')
    >>> scan_results(b'oops\\n')
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument '--out' must be a JSON-lines file of sweep rows (or new), got line 1: b'oops'.
    """
    done, keep = set(), 0
    lines = data.split(b"\n")
    for number, line in enumerate(lines[:-1], 1):
        done.add(_row_or_error(line, number, name))
        keep += len(line) + 1
    last = lines[-1]
    if not last:
        return Resume(frozenset(done), keep)
    try:
        json.loads(last)
    except ValueError:
        if done and last.startswith(b'{"'):  # a row cut short after complete rows: the file is a sweep's
            return Resume(frozenset(done), keep, last)
        raise InvalidArgumentError(f"Argument {name!r} must be a JSON-lines file of sweep rows (or new), got an "
                                   f"unfinished line {len(lines)} that is not a row cut short: {_short(last)} (the "
                                   "file is left as it is)") from None
    done.add(_row_or_error(last, len(lines), name))
    return Resume(frozenset(done), len(data), newline=True)


def pending(tasks, done) -> list:
    """The tasks whose key is not in ``done`` (first occurrence only: a grid listing a value twice runs it once).

    Examples
    --------
    >>> t = [Task("rank", (("N", 4),)), Task("rank", (("N", 8),)), Task("rank", (("N", 4),))]
    >>> [x.arg_dict for x in pending(t, {t[1].key})]
    [{'N': 4}]
    """
    seen, out = set(done), []
    for t in tasks:
        if t.key not in seen:
            seen.add(t.key)
            out.append(t)
    return out


def check_workers(workers) -> int:
    """``--workers``: an integer in ``1..MAX_WORKERS``.

    Examples
    --------
    >>> check_workers(0)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument '--workers' must be an integer in 1..256, got 0.
    """
    if isinstance(workers, bool) or not isinstance(workers, numbers.Integral) or not 1 <= workers <= MAX_WORKERS:
        raise InvalidArgumentError(f"Argument '--workers' must be an integer in 1..{MAX_WORKERS}, got {_short(workers)}.")
    return int(workers)


def dask_client(workers: int = 2, scheduler: str | None = None):
    """A ``distributed.Client``: connected to ``scheduler`` (an address such as ``tcp://host:8786``), or to
    a new ``LocalCluster`` of ``workers`` single-threaded worker processes (no dashboard, quiet logs).

    Raises
    ------
    InvalidArgumentError
        When Dask is not installed, or the scheduler cannot be reached within :data:`CONNECT_TIMEOUT` s.
    """
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError:
        raise InvalidArgumentError("Argument '--executor' must be 'local' unless Dask is installed "
                                   "(pip install 'convac-verifier[scale]'), got 'dask'.") from None
    if scheduler is not None:
        if not isinstance(scheduler, str) or not scheduler.strip() or any(c.isspace() for c in scheduler):
            raise InvalidArgumentError(f"Argument '--scheduler' must be an address such as tcp://host:8786, "
                                       f"got {_short(scheduler)}.")
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - distributed raises OSError, TimeoutError or ValueError by address kind
            import textwrap

            why = textwrap.shorten(str(exc), 80, placeholder=" ...") if str(exc).strip() else type(exc).__name__
            raise InvalidArgumentError(f"Argument '--scheduler' must be the address of a running Dask scheduler "
                                       f"(such as tcp://host:8786), got {_short(scheduler)} ({why}).") from None
    workers = check_workers(workers)
    import signal
    import threading

    # SIGINT is blocked in this thread while the cluster starts: the cluster's threads, and the worker
    # processes they start, inherit the blocked signal (across exec too), so Ctrl-C on a terminal (sent to
    # the whole process group) stops the sweep in this process only, which closes the cluster, instead of a
    # traceback per worker. This process still sees a Ctrl-C pressed meanwhile (ignoring SIGINT, as before,
    # lost it): another of its threads takes it, or it stays pending until the mask is restored, and it is
    # raised as KeyboardInterrupt. multiprocessing's resource tracker unblocks SIGINT in the thread that
    # starts it, so it is started first.
    main = threading.current_thread() is threading.main_thread()
    if main:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    cluster = None
    try:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        return Client(cluster)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def run_tasks(tasks, fn, client=None):
    """Run ``fn(task.argv)`` for each task; yields ``(task, result)`` as each finishes.

    Without ``client`` they run one after the other in this process, in order. With a Dask ``client``
    (:func:`dask_client`) they are all submitted to its cluster and yielded in completion order; the results
    are the same (``fn`` is deterministic), only their order differs.

    Examples
    --------
    >>> list(run_tasks([Task("rank", (("N", 4),))], " ".join))
    [(Task(command='rank', args=(('N', 4),)), 'rank --N=4')]
    """
    tasks = list(tasks)
    if client is None:
        for t in tasks:
            yield t, fn(t.argv)
        return
    from distributed import as_completed

    futures = {client.submit(fn, t.argv, pure=False): t for t in tasks}
    try:
        for fut in as_completed(futures):
            yield futures[fut], fut.result()
    finally:
        client.cancel(list(futures))


def close_client(client) -> None:
    """Close a client of :func:`dask_client`, and its ``LocalCluster`` if it started one."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
