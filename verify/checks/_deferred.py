"""A check built when it runs: expected values from slow closed forms (mpmath quadrature) are
computed at run time, not when the catalogue is imported."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from verify._model import Check, CheckResult, Context, View


@dataclass(frozen=True)
class Deferred(Check):
    name: str
    view: View
    build: Callable[[], Check]
    comparisons: int = 0  # must equal the built check's: the false-fail budget is split before it exists

    def run(self, ctx: Context) -> CheckResult:
        ctx.progress(f"{self.name}: closed forms")
        check = self.build()
        if check.comparisons != self.comparisons:
            raise RuntimeError(f"Deferred {self.name!r} declared {self.comparisons} comparisons, built {check.comparisons}")
        return check.run(ctx)
