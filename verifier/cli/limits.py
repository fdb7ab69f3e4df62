"""Time limits of the command line: ``--time-limit SECONDS`` validated (a positive integer up to
:data:`MAX_TIME_LIMIT`) and enforced.

The work under a limit (sympy's symbolic determinant and factorization, which may sit in C code for a long
time, where no interrupt reaches it) runs in a forked child process; when the limit passes, the child is
killed and the command refuses in one line naming the flag. Ctrl-C reaches the parent (the child ignores it)
and kills the child too.

Examples
--------
>>> import time
>>> run_limited(0.5, "--time-limit", "sleeping", "sleep less", time.sleep, 5)
Traceback (most recent call last):
...
verifier.errors.SizeLimitError: Argument '--time-limit': sleeping took longer than 0.5 s; sleep less.
>>> run_limited(5, "--time-limit", "adding", "add less", sum, [1, 2, 3])
6
"""

from __future__ import annotations

import os
import signal

from ..errors import SizeLimitError

#: Largest ``--time-limit`` accepted, in seconds (one day).
MAX_TIME_LIMIT = 86_400


def _child(send, fn, args, kwargs) -> None:
    """Run ``fn`` in the child and send ``("ok", result)`` or ``("error", exception)`` to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills this process
    try:
        message = ("ok", fn(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - every outcome goes back to the parent
        message = ("error", exc)
    try:
        send.send(message)
    except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled
        send.send(("error", RuntimeError(f"the result could not be sent back: {type(exc).__name__}: {exc}")))
    finally:
        send.close()


def run_limited(seconds: float, flag: str, what: str, alternative: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` computed in a forked child process, killed after ``seconds``.

    Parameters
    ----------
    seconds : float
        The limit (validated by the caller: ``--time-limit`` is a positive integer up to :data:`MAX_TIME_LIMIT`).
    flag, what, alternative : str
        The flag named by the refusal, what was computed, what to do instead.
    fn : callable
        The work; its result and its exceptions are pickled back to this process.

    Raises
    ------
    SizeLimitError
        When ``fn`` did not finish within ``seconds`` (or its process died, e.g. out of memory).
    """
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, kwargs), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(seconds):
            raise SizeLimitError(f"Argument {flag!r}: {what} took longer than {seconds:g} s; {alternative}.")
        try:
            status, value = recv.recv()
        except EOFError:
            raise SizeLimitError(f"Argument {flag!r}: {what} stopped before it finished (out of memory?); "
                                 f"{alternative}.") from None
    finally:
        recv.close()
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGKILL)
        proc.join()
    if status == "error":
        raise value
    return value
