"""The time a run has left: a prior per claim, refined by how long the finished claims took.

Prior of a claim at a profile: its time in the committed quick-profile baseline (reports/baseline.json,
seed 0) scaled by how much more sampling the profile asks of its checks (replicates × widths; for checks that
build their sizes as they run, the catalogue's time-weighted ratio of the declared ones); a claim
the baseline does not hold (a user's claim file, a claim added since) is priced by its observables'
declared cost models (verify/observables/_cost.py) and one compilation per width, else DEFAULT_SECONDS.
A profile with measured times of its own (reports/times-<profile>.json: an idle, cold run of the catalogue at
that profile, written by `python -m verify._eta RESULTS.json`) prices the claims it holds by those times instead:
the sampling ratio ignores that a compilation does not grow with a profile and that exact laws cost O(m), and
over-predicted the standard profile 1.8x (800 s predicted, 449 s measured, 2026-12-06).
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


def profile_times(profile: Profile, folder: Path | None = BASELINE.parent) -> dict[str, float]:
    """{claim id: seconds} measured at `profile` (reports/times-<profile>.json); {} when there is none."""
    try:
        doc = json.loads((Path(folder) / f"times-{profile.name}.json").read_text())
        if doc["profile"] != profile.name:
            return {}
        return {str(k): float(v) for k, v in doc["times"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_profile_times(results: Path, folder: Path = BASELINE.parent) -> Path:
    """reports/times-<profile>.json from a results document: the claims' seconds and where they came from."""
    doc = json.loads(Path(results).read_text())
    run = doc["run"]
    out = Path(folder) / f"times-{run['profile']}.json"
    out.write_text(json.dumps({"profile": run["profile"], "seed": run["seed"], "run": run["id"],
                               "started": run.get("started"), "compilations": run.get("compilations"),
                               "times": {c["id"]: round(float(c["time_s"]), 2) for c in doc["claims"]}},
                              indent=1, ensure_ascii=False) + "\n")
    return out


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


def priors(claims: Iterable[Claim], profile: Profile, baseline: dict[str, float] | None = None,
           measured: dict[str, float] | None = None) -> dict[str, float]:
    """{claim id: predicted seconds} before anything has run: the profile's measured time, else the quick
    baseline's scaled by the sampling, else the observables' cost models, else DEFAULT_SECONDS."""
    baseline = baseline_times() if baseline is None else baseline
    measured = (profile_times(profile) if profile.name != "quick" else {}) if measured is None else measured
    undeclared = undeclared_ratio(profile, baseline)
    out = {}
    for claim in claims:
        if claim.id in measured:
            out[claim.id] = measured[claim.id]
        elif claim.id in baseline:
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


if __name__ == "__main__":
    import sys

    print(write_profile_times(Path(sys.argv[1])))
