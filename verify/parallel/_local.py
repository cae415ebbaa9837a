"""The local executor: N worker processes on this machine (multiprocessing, 'spawn': a fresh interpreter
each, never a fork of a process whose JAX runtime holds threads and devices).

Workers are managed here rather than by concurrent.futures: a ProcessPoolExecutor whose worker dies
breaks the whole pool and fails every pending claim, where a claim must instead run again (at most
MAX_RETRIES times) on a fresh worker and, if it keeps killing its workers, end as an ERROR naming the
signal. The claim a dead worker held is known exactly, since each worker holds one task at a time."""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
from collections import deque
from multiprocessing.connection import wait

from verify.parallel._base import (MAX_RETRIES, Executor, ExecutorError, claim_ref, run_task, signal_name,
                                   worker_died_result)


def _worker(conn) -> None:
    """A worker's loop: receive (ref, profile, seed), send back the result; None ends it."""
    import signal
    import traceback

    # Ctrl-C reaches the whole process group: the parent stops the workers (and says how to resume), so a
    # worker does not print a KeyboardInterrupt traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    while True:
        try:
            job = conn.recv()
        except EOFError:  # the parent is gone
            return
        if job is None:
            return
        try:
            conn.send(("ok", run_task(*job)))
        except Exception:  # the claim could not even be found or built here: its ERROR, not the worker's end
            conn.send(("raised", traceback.format_exc()))


@contextlib.contextmanager
def _environment(changes: dict[str, str | None]):
    """os.environ changed while workers start ('spawn' copies it at start), then restored."""
    def apply(values: dict[str, str | None]) -> None:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    saved = {k: os.environ.get(k) for k in changes}
    try:
        apply(changes)
        yield
    finally:
        apply(saved)


def worker_environment() -> dict[str, str | None]:
    """What a worker changes in the environment it inherits. On a CPU nothing: it keeps this process's XLA
    host devices (verify._jax), so it shards Monte Carlo the same way and its numbers equal this process's
    bit for bit (with fewer devices, a mean over devices is summed in another order: last-digit changes).
    On an accelerator, workers share the devices and allocate memory as they go instead of each taking 75%
    of it at start (JAX's default)."""
    from verify._jax import settings

    return {} if settings().platform == "cpu" else {"XLA_PYTHON_CLIENT_PREALLOCATE": "false"}


def _receive(conn):
    """The worker's message if one is waiting, else None (a dead worker's pipe reads as end of file)."""
    try:
        return conn.recv() if conn.poll() else None
    except (EOFError, OSError):
        return None


class _Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child,), daemon=True, name="ntkverify-worker")
        self.process.start()
        child.close()
        self.task = None  # (index, task, attempt) while it runs one
        self.group = None  # the claim group it runs or ran last

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def next_index(pending, group, others) -> int:
    """Which pending task an idle worker takes: the next of the group it ran last (that process holds the
    group's compiled programs and memoised shared draws: a group split over workers compiles and draws them
    in each), else the next of a group no other worker holds, else the first."""
    for wanted in (lambda g: g == group, lambda g: g not in others):
        for i, (task, _) in enumerate(pending):
            if wanted(getattr(task.claim, "group", None)):
                return i
    return 0


class LocalExecutor(Executor):
    name = "local"

    def __init__(self, workers: int):
        if not isinstance(workers, int) or workers < 1:
            raise ExecutorError(f"workers={workers!r}: give a whole number of processes ≥ 1, e.g. --workers 2")
        self.workers = workers
        self._ctx = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []

    def describe(self) -> str:
        return f"local ({self.workers} processes)"

    def _start_worker(self) -> _Worker:
        with _environment(worker_environment()):
            return _Worker(self._ctx)

    def run(self, tasks, profile, on_start=None):
        pending = deque((task, 0) for task in tasks)
        refs = {}
        while len(self._pool) < min(self.workers, len(pending)):
            self._pool.append(self._start_worker())
        busy: dict = {}
        while pending or busy:
            for i, w in enumerate(self._pool):  # hand each idle worker a task
                if w.task is not None or not pending:
                    continue
                others = {v.group for v in self._pool if v is not w}
                i_next = next_index(pending, w.group, others)
                task, attempt = pending[i_next]
                del pending[i_next]
                if attempt == 0 and on_start:
                    on_start(task)
                ref = refs.setdefault(id(task), claim_ref(task.claim))
                if not w.process.is_alive():  # died while idle: the task goes to a fresh worker, not counted
                    w.stop()
                    w = self._pool[i] = self._start_worker()
                w.group = getattr(task.claim, "group", None)
                try:
                    w.conn.send((ref, profile.name, task.seed))
                except (pickle.PicklingError, TypeError, AttributeError) as exc:
                    result = worker_died_result(
                        task.claim, profile, task.seed,
                        f"NotSendable: define this claim in a claim file, or run it without workers: built in Python "
                        f"from parts that cannot be pickled (a lambda, a local function), it cannot be sent to a worker "
                        f"process ({type(exc).__name__}: {str(exc)[:160]})")
                    result["retried"] = 0
                    yield task, result
                    continue
                w.task = (task, attempt)
                busy[w.conn] = busy[w.process.sentinel] = w
            if not busy:
                continue  # every task handed out so far ended at once (none could be sent)
            for ready in wait(list(busy)):
                w = busy.get(ready)
                if w is None or w.task is None:
                    continue  # its message and its end came together: handled once
                task, attempt = w.task
                message = _receive(w.conn)
                if message is not None:
                    status, value = message
                    if status == "ok":
                        value["retried"] = attempt
                        result = value
                    else:
                        result = worker_died_result(task.claim, profile, task.seed,
                                                    f"the worker could not run the claim:\n{value}")
                        result["retried"] = attempt
                    w.task = None
                    del busy[w.conn], busy[w.process.sentinel]
                    yield task, result
                else:  # no message: the worker is dead (its sentinel fired or its pipe closed)
                    w.process.join()
                    why = signal_name(w.process.exitcode)
                    del busy[w.conn], busy[w.process.sentinel]
                    w.conn.close()
                    self._pool[self._pool.index(w)] = self._start_worker()
                    if attempt < MAX_RETRIES:
                        pending.appendleft((task, attempt + 1))
                    else:
                        result = worker_died_result(
                            task.claim, profile, task.seed,
                            f"WorkerDied: the worker process running this claim ended by {why} on each of "
                            f"{attempt + 1} attempts (a crash in native code, the out-of-memory killer, or a kill); "
                            f"run it alone with `ntkverify run --only {task.claim.id}` to see its own error")
                        result["retried"] = attempt
                        yield task, result

    def close(self) -> None:
        for w in self._pool:
            w.stop()
        self._pool = []
