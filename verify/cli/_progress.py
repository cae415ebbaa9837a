"""Progress of a run: a live bar on a terminal (rich), one plain line per claim otherwise."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int):
        self.total, self.done, self.t0 = total, 0, time.perf_counter()
        self.live = sys.stderr.isatty()
        self._rich = None
        self._started: dict[str, float] = {}  # by claim id: with --workers several run at once

    def __enter__(self):
        if self.live and self.total:
            from rich.progress import BarColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._rich = RichProgress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                                      TimeElapsedColumn(), TimeRemainingColumn(), transient=True)
            self._rich.__enter__()
            self._task = self._rich.add_task("starting", total=self.total)
        return self

    def __exit__(self, *exc):
        if self._rich is not None:
            self._rich.__exit__(*exc)
        return False

    def on_claim(self, claim, state: str):
        if state == "start":
            self._started[claim.id] = time.perf_counter()
            if self._rich is not None:
                self._rich.update(self._task, description=claim.id)
                return lambda phase: self._rich.update(self._task, description=f"{claim.id} · {phase}")
            return lambda phase: None
        self.done += 1
        took = time.perf_counter() - self._started.pop(claim.id, time.perf_counter())
        if self._rich is not None:
            self._rich.update(self._task, advance=1)
            self._rich.console.print(f"{state:<12} {claim.id} ({took:.1f} s)")
        else:
            print(f"[{self.done}/{self.total}] {state:<12} {claim.id} ({took:.1f} s)",
                  file=sys.stderr, flush=True)
        return None
