"""The time a run has left: a prior per claim, refined by how long the finished claims took.

Prior of a claim at a profile: its time in the committed quick-profile baseline (reports/baseline.json,
seed 0) scaled by how much more sampling the profile asks of its checks (replicates × widths; for checks that
build their sizes as they run, the catalogue's time-weighted ratio of the declared ones); a claim
the baseline does not hold (a user's claim file, a claim added since) is priced by its observables'
declared cost models (verify/observables/_cost.py) and one compilation per width, else DEFAULT_SECONDS.
The priors are then multiplied by one machine factor, observed ÷ predicted seconds over the finished
claims, shrunk toward 1 while little has been observed (this machine may be slower, or loaded).
No timing is taken here: the caller passes the clock's readings, so tests inject them."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from verify._model import Claim, PerProfile, Profile
from verify.tolerances import Tol

BASELINE = Path(__file__).resolve().parent.parent / "reports" / "baseline.json"  # present in a source checkout
DEFAULT_SECONDS = Tol(5.0, "prior of a claim neither the baseline nor a cost model prices: about the median claim "
                           "of the quick baseline (2–6 s), the machine factor corrects it as the run goes")
SHRINK_SECONDS = Tol(5.0, "predicted seconds of pseudo-evidence that the machine factor is 1: one sub-second claim "
                          "(mostly start-up) cannot swing the estimate, ten seconds of claims can. Replaying the 7 "
                          "quick groups run cold under load (priors 2-6x short): mean |log(predicted/actual left)| "
                          "0.60 at 5 s, 0.82 at 20 s, 1.02 at 40 s")


def baseline_times(path: Path | None = BASELINE) -> dict[str, float]:
    """{claim id: seconds} of a quick-profile results document; {} when there is none (an installed package)
    or it is unreadable (an estimate is never worth failing a run for)."""
    try:
        doc = json.loads(Path(path).read_text())
        if doc["run"]["profile"] != "quick":
            return {}
        return {c["id"]: float(c["time_s"]) for c in doc["claims"] if isinstance(c.get("time_s"), (int, float))}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _work(claim: Claim, profile: Profile) -> float | None:
    """Replicates × widths the claim's checks draw at the first look, over the checks that declare them."""
    total, found = 0.0, False
    for check in claim.checks:
        reps = getattr(check, "replicates", None)
        if not isinstance(reps, PerProfile):
            continue
        widths = getattr(check, "widths", None)
        ws = (1,) if not isinstance(widths, PerProfile) else tuple(w or 1 for w in widths(profile))
        total += float(reps(profile)) * float(sum(ws))
        found = True
    return total if found else None


def _deferred(claim: Claim) -> bool:
    from verify.checks._deferred import Deferred

    return any(isinstance(c, Deferred) for c in claim.checks)


def profile_ratio(claim: Claim, profile: Profile, undeclared: float = 1.0) -> float:
    """How much longer the claim takes at `profile` than at quick: the ratio of the sampling its checks
    declare. A claim whose sizes are built with the profile (a Deferred check) gets `undeclared`; one of
    fixed computations only, 1. Compilation does not grow with the sampling, so this errs long; the
    machine factor absorbs the error as the run goes."""
    from verify._model import PROFILES

    at, quick = _work(claim, profile), _work(claim, PROFILES["quick"])
    if at and quick:
        return at / quick
    return undeclared if _deferred(claim) else 1.0


def undeclared_ratio(profile: Profile, baseline: dict[str, float]) -> float:
    """The profile's ratio for a claim that builds its sizes when it runs: the baseline-time-weighted ratio
    of the catalogue claims that declare theirs (quick → standard ≈ 6, → full ≈ 37 today)."""
    from verify import claims as catalogue

    weighted = [(baseline[c.id], profile_ratio(c, profile)) for c in catalogue.select(None)
                if c.id in baseline and _work(c, profile)]
    total = sum(t for t, _ in weighted)
    return sum(t * r for t, r in weighted) / total if total else 1.0


def modelled_seconds(claim: Claim, profile: Profile) -> float | None:
    """First-look seconds of the claim's Monte Carlo checks from their observables' cost models (a sampler
    built from a registered observable carries it as `sampler.bound`); None when no check declares one."""
    from verify.claimfile import _budget

    total, found = 0.0, False
    for check in claim.checks:
        bound = getattr(getattr(check, "sampler", None), "bound", None)
        reps = getattr(check, "replicates", None)
        if bound is None or not isinstance(reps, PerProfile):
            continue
        widths = getattr(check, "widths", None)
        ws = (None,) if not isinstance(widths, PerProfile) else tuple(widths(profile))
        total += (_budget.need(bound, ws, reps(profile), 1, len(_budget._outputs(bound))).seconds
                  + _budget.COMPILE_SECONDS * len(ws))
        found = True
    return total if found else None


def priors(claims: Iterable[Claim], profile: Profile, baseline: dict[str, float] | None = None) -> dict[str, float]:
    """{claim id: predicted seconds} before anything has run."""
    baseline = baseline_times() if baseline is None else baseline
    undeclared = undeclared_ratio(profile, baseline)
    out = {}
    for claim in claims:
        if claim.id in baseline:
            out[claim.id] = baseline[claim.id] * profile_ratio(claim, profile, undeclared)
        else:
            modelled = modelled_seconds(claim, profile)
            out[claim.id] = DEFAULT_SECONDS.value if modelled is None else modelled
    return out


class Estimate:
    """Remaining seconds of a run of claims with these priors, from clock readings the caller gives.
    Claims may overlap (parallel workers): each one started and not finished is counted by what is left of
    its own prediction."""

    def __init__(self, priors: dict[str, float], shrink: float = SHRINK_SECONDS.value):
        self.priors, self.shrink = dict(priors), shrink
        self.running: dict[str, float] = {}  # id → start time
        self.finished: dict[str, float] = {}  # id → observed seconds

    @property
    def predicted_total(self) -> float:
        return sum(self.priors.values())

    @property
    def factor(self) -> float:
        """Observed ÷ predicted seconds of the finished claims, shrunk toward 1 by `shrink` seconds."""
        predicted = sum(self.priors.get(i, DEFAULT_SECONDS.value) for i in self.finished)
        return (sum(self.finished.values()) + self.shrink) / (predicted + self.shrink)

    def start(self, claim_id: str, now: float) -> None:
        self.running[claim_id] = now

    def finish(self, claim_id: str, now: float) -> None:
        started = self.running.pop(claim_id, now)
        self.finished[claim_id] = max(0.0, now - started)

    def remaining(self, now: float) -> float:
        k = self.factor
        waiting = sum(t for i, t in self.priors.items() if i not in self.finished and i not in self.running)
        in_flight = sum(max(0.0, k * self.priors.get(i, DEFAULT_SECONDS.value) - (now - t0))
                        for i, t0 in self.running.items())
        return k * waiting + in_flight

    def as_dict(self, actual_s: float) -> dict:
        """The run section's record of how good the estimate was."""
        return {"predicted_s": round(self.predicted_total, 1), "actual_s": round(actual_s, 1),
                "machine_factor": round(self.factor, 3), "claims": len(self.finished)}
