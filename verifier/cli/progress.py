"""Progress bars on stderr (tqdm), only when stderr is a terminal: never in pipes, files or CI.

One helper for every command: :func:`progress_bar` returns a tqdm bar, or a :class:`NoBar` with the same
methods when the bar must not be drawn (stderr not a terminal, ``CI`` set, ``TERM=dumb``, or tqdm not
installed: it comes with the ``[scale]`` extra). Bars never touch stdout, so piped results are unchanged.

Examples
--------
>>> import io
>>> with progress_bar(10, "sampling", stream=io.StringIO()) as bar:   # not a terminal: nothing drawn
...     bar.update(5)
>>> type(bar).__name__
'NoBar'
"""

from __future__ import annotations

import contextlib
import os
import sys


def wanted(stream=None) -> bool:
    """Whether a bar should be drawn on ``stream`` (default stderr).

    Examples
    --------
    >>> import io
    >>> wanted(io.StringIO())
    False
    """
    stream = sys.stderr if stream is None else stream
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return bool(tty) and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class NoBar:
    """A progress bar that draws nothing (same methods as the tqdm bar used)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` (ignored)."""

    def set_description(self, text: str) -> None:
        """Set the label (ignored)."""

    def to(self, done: int, total: int | None = None) -> None:
        """Move to ``done`` of ``total`` (ignored): the ``progress(done, total)`` callback form."""

    def printing(self):
        """Context in which writing to stdout does not garble the bar."""
        return contextlib.nullcontext()


class _Bar(NoBar):
    """A tqdm bar on stderr."""

    def __init__(self, total, label, stream):
        from tqdm import tqdm

        self._tqdm = tqdm
        self.bar = tqdm(total=total, desc=label, file=stream, leave=False, dynamic_ncols=True,
                        mininterval=0.2, unit="")

    def __exit__(self, *exc):
        self.bar.close()
        return False

    def update(self, n: int = 1) -> None:
        self.bar.update(n)

    def set_description(self, text: str) -> None:
        self.bar.set_description(text)

    def to(self, done: int, total: int | None = None) -> None:
        if total is not None and total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def printing(self):
        return self._tqdm.external_write_mode(file=sys.stdout)


def progress_bar(total: int | None, label: str, stream=None):
    """A progress bar of ``total`` steps labelled ``label`` on stderr, or a :class:`NoBar` (see module doc).

    Use as a context manager; ``update(n)`` advances, ``to(done, total)`` is the callback form.
    """
    stream = sys.stderr if stream is None else stream
    if not wanted(stream):
        return NoBar()
    try:
        return _Bar(total, label, stream)
    except ImportError:
        return NoBar()


class working:
    """Context: for one long computation without steps (a rank), show ``label`` and the elapsed time on stderr
    after ``delay`` seconds, refreshed every half second; cleared at the end. Drawn only where
    :func:`wanted` (a terminal, not CI) and tqdm is installed.

    Examples
    --------
    >>> import io
    >>> with working("rank", stream=io.StringIO()):   # not a terminal: no thread, nothing drawn
    ...     pass
    """

    def __init__(self, label: str, stream=None, delay: float = 1.0):
        self.label, self.delay = label, delay
        self.stream = sys.stderr if stream is None else stream
        self.thread = None
        self.done = self.total = None

    def to(self, done: int, total: int | None = None) -> None:
        """The ``progress(done, total)`` callback: computations that count their steps show them too."""
        self.done, self.total = done, total

    def __enter__(self):
        if not wanted(self.stream):
            return self
        try:
            import tqdm  # noqa: F401
        except ImportError:
            return self
        import threading

        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()
        return self

    def _tick(self) -> None:
        import time

        from tqdm import tqdm

        start = time.monotonic()
        if self.stop.wait(self.delay):
            return
        bar = tqdm(total=None, desc=self.label, file=self.stream, leave=False, bar_format="{desc}")
        while True:
            steps = "" if self.done is None else (
                f" {self.done}/{self.total} ({100 * self.done // max(1, self.total)}%)," if self.total else f" {self.done},")
            bar.set_description_str(f"{self.label}:{steps} {time.monotonic() - start:.0f} s")
            if self.stop.wait(0.5):
                break
        bar.close()

    def __exit__(self, *exc):
        if self.thread is not None:
            self.stop.set()
            self.thread.join()
        return False
