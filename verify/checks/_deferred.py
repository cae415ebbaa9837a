"""A check whose design is built when it runs: its expected values come from slow closed forms (mpmath
quadrature) or its sweep depends on the profile. The catalogue imports in milliseconds; the runner
calls `prepare(profile)` before it splits the claim's false-fail budget, so the count of comparisons
is the built check's own and is never declared by hand."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from verify._model import Check, CheckResult, Context, Profile, View


@dataclass(frozen=True)
class Deferred(Check):
    name: str
    view: View
    build: Callable[[Profile], Check]  # the profile → the check to run (its name is the Deferred's)

    def prepare(self, profile: Profile) -> Check:
        return self.build(profile)

    def run(self, ctx: Context) -> CheckResult:  # used alone (tests, notebooks): build, then run
        return self.prepare(ctx.profile).run(ctx)
