"""The dask executor: claims spread over a dask.distributed cluster (`--scheduler ADDRESS`). Dask is an
optional extra (`pip install 'ntkverify[dask]'`), imported only when this executor is asked for.

Every worker of the cluster needs ntkverify installed and, for claims of claim files, the files at the
same absolute paths (a shared folder); catalogue claims travel as their ids. A worker that dies is
handled by the scheduler: it runs the claim again elsewhere up to its `allowed-failures` (Dask's default
3), then gives up with KilledWorker, which ends the claim as an ERROR here, never dropped."""
from __future__ import annotations

from verify.parallel._base import Executor, ExecutorError, claim_ref, run_task, worker_died_result

INSTALL = "pip install 'ntkverify[dask]'"


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ExecutorError(f"--scheduler needs dask.distributed, which is not installed here; install it with "
                            f"`{INSTALL}` (and on every worker of the cluster)") from None
    return distributed


class DaskExecutor(Executor):
    name = "dask"

    def __init__(self, scheduler, timeout: float = 30.0):
        """`scheduler`: an address ("tcp://host:8786") or a dask.distributed Client/LocalCluster to use."""
        distributed = _distributed()
        self._own = not isinstance(scheduler, distributed.Client)
        if isinstance(scheduler, distributed.Client):
            self.client = scheduler
        else:
            try:
                self.client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ExecutorError(f"--scheduler {getattr(scheduler, 'scheduler_address', scheduler)!r}: no Dask "
                                    f"scheduler answered within {timeout:g} s ({type(exc).__name__}: "
                                    f"{str(exc).strip()[:200]}); start one with `dask scheduler` and workers with "
                                    "`dask worker ADDRESS`, or run without --scheduler") from None
        self.address = self.client.scheduler.address

    def describe(self) -> str:
        return f"dask ({self.address})"

    def run(self, tasks, profile, on_start=None):
        distributed = _distributed()
        futures = {}
        for i, task in enumerate(tasks):
            if on_start:
                on_start(task)
            # pure=False: the same claim at the same seed is run again if asked (a resume), not cached
            fut = self.client.submit(run_task, claim_ref(task.claim), profile.name, task.seed, pure=False,
                                     key=f"ntkverify-{task.claim.id}-s{task.seed}-{i}")
            futures[fut] = task
        for fut in distributed.as_completed(list(futures)):
            task = futures.pop(fut)
            try:
                result = fut.result()
                result["retried"] = 0  # the scheduler's own retries are not reported to the client
            except distributed.KilledWorker as exc:
                result = worker_died_result(task.claim, profile, task.seed,
                                            f"WorkerDied: every Dask worker that ran this claim died "
                                            f"(KilledWorker: {str(exc)[:160]})")
                import dask

                result["retried"] = int(dask.config.get("distributed.scheduler.allowed-failures", 3))
            except Exception as exc:  # the claim could not be found or built on the worker
                result = worker_died_result(task.claim, profile, task.seed,
                                            f"the Dask worker could not run the claim: {type(exc).__name__}: {exc}")
                result["retried"] = 0
            yield task, result

    def close(self) -> None:
        if self._own:
            self.client.close()
