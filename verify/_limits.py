"""Bounds on untrusted work: a wall-clock deadline for code that might not return (a SymPy
simplification of a hostile formula, the import of a Python claim file).

The deadline is a SIGALRM timer, so it can interrupt pure-Python loops; it is only available in the
main thread of a POSIX process. Elsewhere (a worker thread, Windows) it is a no-op and the static
bounds of the formula parser are the only guard — say so rather than pretend.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time


class DeadlineExceeded(BaseException):
    """Raised inside the guarded block when its time is up. A BaseException (like KeyboardInterrupt)
    so that the broad `except Exception` of library code (SymPy has many) cannot swallow it."""

    def __init__(self, what: str, seconds: float):
        super().__init__(f"{what} did not finish within {seconds:g} s")
        self.what, self.seconds = what, seconds


def deadline_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


REFIRE_SECONDS, REFIRE_LIMIT = 0.25, 40  # a lost expiry fires again every 0.25 s, for at most 10 s more


@contextlib.contextmanager
def deadline(seconds: float, what: str):
    """Run the block for at most `seconds` (wall clock); raise DeadlineExceeded(what) past it.

    Nested deadlines keep the earlier expiry: an inner block cannot extend an outer limit, and the
    outer timer resumes with what it had left."""
    if seconds is None or seconds <= 0 or not deadline_available():
        yield
        return
    previous_handler = signal.getsignal(signal.SIGALRM)
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left <= seconds:  # the outer limit comes first: leave it in charge
        yield
        return

    state = {"fired": 0, "ended": False}

    def expire(signum, frame):
        if state["ended"]:
            return
        state["fired"] += 1
        if state["fired"] < REFIRE_LIMIT:
            # the interpreter swallows a raise that lands in a GC or weakref callback (seen in CI inside SymPy):
            # fire again until one reaches the block
            signal.setitimer(signal.ITIMER_REAL, REFIRE_SECONDS)
        raise DeadlineExceeded(what, seconds)

    started = time.monotonic()
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
        if state["fired"]:  # every raise was swallowed, yet the block ended past its time
            raise DeadlineExceeded(what, seconds)
    finally:
        state["ended"] = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(1e-3, outer_left - (time.monotonic() - started)))
