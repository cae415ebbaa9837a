"""Where claims run: one executor contract (verify.parallel._base.Executor) and small implementations
behind a registry — `serial` (in this process, the default), `local` (N spawned processes on this
machine) and `dask` (a dask.distributed cluster; an optional extra). Every executor runs the same
`run_task` and every claim's seed is a function of (run seed, claim id) only, so verdicts and numbers
do not depend on where or in which order claims run."""
from __future__ import annotations

from verify.parallel._base import (MAX_RETRIES, Executor, ExecutorError, Task, claim_ref, resolve, run_task,
                                   worker_died_result)
from verify.parallel._dask import DaskExecutor
from verify.parallel._local import LocalExecutor
from verify.parallel._serial import SerialExecutor

EXECUTORS: dict[str, type[Executor]] = {e.name: e for e in (SerialExecutor, LocalExecutor, DaskExecutor)}

__all__ = ["EXECUTORS", "MAX_RETRIES", "DaskExecutor", "Executor", "ExecutorError", "LocalExecutor", "SerialExecutor",
           "Task", "claim_ref", "executor_for", "resolve", "run_task", "worker_died_result"]


def executor_for(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor the CLI options ask for: `scheduler` → dask at that address; `workers` > 1 → that many
    local processes; otherwise serial (in this process)."""
    if scheduler is not None and workers not in (None, 1):
        raise ExecutorError(f"workers={workers} with scheduler={scheduler!r}: a Dask cluster has its own workers; "
                            "give one of the two")
    if scheduler is not None:
        return DaskExecutor(scheduler)
    if workers is not None and workers > 1:
        return LocalExecutor(workers)
    return SerialExecutor()
