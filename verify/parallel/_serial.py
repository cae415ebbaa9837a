"""The serial executor: each claim in this process, one after the other (the default)."""
from __future__ import annotations

from verify.parallel._base import Executor


class SerialExecutor(Executor):
    name = "serial"

    def run(self, tasks, profile, on_start=None):
        from verify.runner import run_claim

        for task in tasks:
            progress = (on_start(task) if on_start else None) or (lambda phase: None)
            result = run_claim(task.claim, profile, task.seed, progress)
            result["retried"] = 0
            yield task, result
