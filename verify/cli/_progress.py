"""Progress of a run: a live bar on a terminal (rich), one plain line per claim otherwise."""
from __future__ import annotations

import sys
import time


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Progress:
    def __init__(self, total: int, estimate=None):
        """estimate: a verify._eta.Estimate of the claims to run (None: the time left is not shown)."""
        self.total, self.done, self.t0 = total, 0, time.perf_counter()
        self.estimate = estimate
        self.live = sys.stderr.isatty()
        self._rich = None
        self._started: dict[str, float] = {}  # by claim id: with --workers several run at once

    def left(self) -> str:
        """The predicted time left, e.g. "~0:03:12 left" ("" without an estimate)."""
        return "" if self.estimate is None else f"~{_clock(self.estimate.remaining(time.perf_counter()))} left"

    def __enter__(self):
        if self.live and self.total:
            from rich.progress import BarColumn, Progress as RichProgress, ProgressColumn, TextColumn, TimeElapsedColumn
            from rich.text import Text

            progress = self

            class TimeLeft(ProgressColumn):  # rich's TimeRemainingColumn knows only claim counts: -:--:--
                def render(self, task):
                    return Text(progress.left(), style="progress.remaining")

            self._rich = RichProgress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                                      TimeElapsedColumn(), TimeLeft(), transient=True)
            self._rich.__enter__()
            self._task = self._rich.add_task("starting", total=self.total)
        return self

    def __exit__(self, *exc):
        if self._rich is not None:
            self._rich.__exit__(*exc)
        return False

    def on_claim(self, claim, state: str):
        if state == "start":
            now = time.perf_counter()
            self._started[claim.id] = now
            if self.estimate is not None:
                self.estimate.start(claim.id, now)
            if self._rich is not None:
                self._rich.update(self._task, description=claim.id)
                return lambda phase: self._rich.update(self._task, description=f"{claim.id} · {phase}")
            return lambda phase: None
        self.done += 1
        now = time.perf_counter()
        if self.estimate is not None:
            self.estimate.finish(claim.id, now)
        took = now - self._started.pop(claim.id, now)
        if self._rich is not None:
            self._rich.update(self._task, advance=1)
            self._rich.console.print(f"{state:<12} {claim.id} ({took:.1f} s)")
        else:
            print(f"[{self.done}/{self.total}] {state:<12} {claim.id} ({took:.1f} s)"
                  + (f" {self.left()}" if self.estimate is not None and self.done < self.total else ""),
                  file=sys.stderr, flush=True)
        return None
