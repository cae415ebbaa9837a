"""Verdicts across seeds: run claims at N independent seeds and flag every claim whose verdict is not a
function of the claim alone.

A verdict that depends on the seed is not a verdict. `stability` runs each claim at the run seeds
first_seed, first_seed + 1, …, first_seed + N − 1 through verify.runner.run_claim, so the run at seed S is
exactly `ntkverify run --only ID --seed S` (the claim's keys derive from (S, id) alone: independent streams
for different S, the same numbers for the same S). Per claim it reports

- the verdict counts over the seeds;
- for every comparison, the spread of its measured value across seeds against its own interval: the
  across-seed median and SD, the typical (median) half-width of the per-seed intervals, their ratio, and
  the fraction of seeds whose interval covers the across-seed median (an interval at confidence 1 − α
  with α ~ 1e-5 should cover it at every seed; a lower coverage says the interval is narrower than the
  seed-to-seed spread);

and FLAGS a claim when its verdict changes across seeds, when any seed gives ERROR, or when any seed's
evidence holds a NaN (or an infinite measured value). A claim that FAILs at every seed is a finding, not
a flag.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Callable, Iterable

from verify._model import Claim, Verdict

__all__ = ["ClaimStability", "Spread", "StabilityReport", "nonfinite_paths", "seeds_for", "stability"]

SCHEMA_VERSION = 1


def seeds_for(count: int, first_seed: int = 0) -> list[int]:
    """The run seeds of a stability run: consecutive, so seed S of it is `ntkverify run --seed S`."""
    if not isinstance(count, int) or count < 2:
        raise ValueError(f"seeds={count!r}: a spread across seeds needs at least 2 seeds; give e.g. seeds=20")
    if not isinstance(first_seed, int) or first_seed < 0 or first_seed + count > 2**31:
        raise ValueError(f"first_seed={first_seed!r} with {count} seeds leaves 0 <= seed < 2**31; give a smaller one")
    return list(range(first_seed, first_seed + count))


def _number(value) -> float | None:
    """A JSON value as a float: numbers, and the strings "nan"/"inf"/"-inf" results.json uses; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value.strip().lower() in ("nan", "inf", "+inf", "-inf"):
        return float(value)
    return None


def nonfinite_paths(result: dict) -> list[str]:
    """Where a claim result's evidence is not finite: any NaN in a comparison (measured, interval, expected,
    detail, …) and any infinite measured value. Infinite band edges are half-lines, not breakdowns."""
    found: list[str] = []

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        else:
            x = _number(value)
            if x is not None and (math.isnan(x) or (math.isinf(x) and path.endswith(".measured"))):
                found.append(f"{path} = {value}")

    for ch in result.get("checks") or []:
        for k, c in enumerate(ch.get("comparisons") or []):
            walk(c, f"{ch.get('check')!r} / {c.get('name', k)!r}")
    return found


@dataclass
class Spread:
    """One comparison of a claim across seeds: per-seed values (None where the seed lacks it)."""

    check: str
    name: str
    seeds: list[int]
    measured: list
    intervals: list
    decisions: list
    expected: object = None  # as at the first seed that has the comparison
    band: list | None = None

    @property
    def values(self) -> list[float]:
        return [x for x in map(_number, self.measured) if x is not None and math.isfinite(x)]

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def sd(self) -> float | None:
        return statistics.stdev(self.values) if len(self.values) >= 2 else None

    @property
    def half_width(self) -> float | None:
        """The typical (median over seeds) half-width of the per-seed intervals."""
        hw = [(hi - lo) / 2 for lo, hi in (map(_number, iv) for iv in self.intervals if iv)
              if lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi)]
        return statistics.median(hw) if hw else None

    @property
    def sd_over_half_width(self) -> float | None:
        sd, hw = self.sd, self.half_width
        return sd / hw if sd is not None and hw else None

    @property
    def coverage(self) -> float | None:
        """Fraction of seeds whose interval covers the across-seed median (None for point intervals)."""
        med, hw = self.median, self.half_width
        if med is None or not hw:
            return None
        ivs = [tuple(map(_number, iv)) for iv in self.intervals if iv]
        ivs = [(lo, hi) for lo, hi in ivs if lo is not None and hi is not None]
        return sum(lo <= med <= hi for lo, hi in ivs) / len(ivs) if ivs else None

    @property
    def decision_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.decisions:
            if d is not None:
                out[d] = out.get(d, 0) + 1
        return out

    def as_dict(self) -> dict:
        return {"check": self.check, "name": self.name, "expected": self.expected, "band": self.band,
                "median": self.median, "sd": self.sd,
                "typical_half_width": self.half_width, "sd_over_half_width": self.sd_over_half_width,
                "coverage_of_median": self.coverage, "decisions": self.decision_counts,
                "per_seed": [{"seed": s, "measured": m, "interval": iv, "decision": d}
                             for s, m, iv, d in zip(self.seeds, self.measured, self.intervals, self.decisions)]}


@dataclass
class ClaimStability:
    """One claim over the seeds: its verdicts, the spread of every comparison, and its flags."""

    id: str
    group: str
    statement: str
    seeds: list[int] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    comparisons: list[Spread] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (seed, one line)
    nonfinite: list[tuple[int, str]] = field(default_factory=list)  # (seed, where)
    _index: dict = field(default_factory=dict, repr=False)  # (check, position) → Spread

    @property
    def counts(self) -> dict[str, int]:
        return {v.value: self.verdicts.count(v.value) for v in Verdict if v.value in self.verdicts}

    @property
    def verdict(self) -> str:
        """The verdict if every seed agrees, else "UNSTABLE"."""
        return self.verdicts[0] if len(set(self.verdicts)) == 1 else "UNSTABLE"

    @property
    def flags(self) -> list[str]:
        out = []
        if len(set(self.verdicts)) > 1:
            out.append("verdict changes across seeds: " + ", ".join(f"{n} {v}" for v, n in self.counts.items())
                       + " (" + "; ".join(f"{v} at seed{'s' * (len(s) > 1)} {_seed_list(s)}"
                                          for v, s in self._seeds_by_verdict().items()) + ")")
        if self.errors:
            seeds = sorted({s for s, _ in self.errors})
            out.append(f"ERROR at seed{'s' * (len(seeds) > 1)} {_seed_list(seeds)}: {self.errors[0][1]}")
        if self.nonfinite:
            seeds = sorted({s for s, _ in self.nonfinite})
            out.append(f"NaN/inf in the evidence at seed{'s' * (len(seeds) > 1)} {_seed_list(seeds)}: "
                       f"{self.nonfinite[0][1]}" + (f" (+{len(self.nonfinite) - 1} more)" if len(self.nonfinite) > 1
                                                    else ""))
        return out

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def _seeds_by_verdict(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for s, v in zip(self.seeds, self.verdicts):
            out.setdefault(v, []).append(s)
        return out

    def add(self, seed: int, result: dict) -> None:
        """Record one seed's run_claim result. Comparisons are matched across seeds by check and position
        in the check (their names may carry seed-dependent numbers); one a seed lacks (its check crashed)
        is None there."""
        self.seeds.append(seed)
        self.verdicts.append(result["verdict"])
        self.summaries.append(result.get("summary", ""))
        if result["verdict"] == Verdict.ERROR.value:
            self.errors.append((seed, _error_line(result)))
        self.nonfinite += [(seed, where) for where in nonfinite_paths(result)]
        row = {(ch.get("check", ""), pos): c for ch in result.get("checks") or []
               for pos, c in enumerate(ch.get("comparisons") or [])}
        for key in row:
            if key not in self._index:
                self._index[key] = Spread(key[0], row[key].get("name", ""), self.seeds[:-1],
                                          *([None] * (len(self.seeds) - 1) for _ in range(3)),
                                          expected=row[key].get("expected"), band=row[key].get("band"))
                self.comparisons.append(self._index[key])
        for key, spread in self._index.items():
            c = row.get(key, {})
            spread.seeds.append(seed)
            spread.measured.append(c.get("measured"))
            spread.intervals.append(c.get("interval"))
            spread.decisions.append(c.get("decision"))

    def as_dict(self) -> dict:
        return {"id": self.id, "group": self.group, "statement": self.statement, "verdict": self.verdict,
                "counts": self.counts, "flagged": self.flagged, "flags": self.flags,
                "per_seed": [{"seed": s, "verdict": v, "summary": t}
                             for s, v, t in zip(self.seeds, self.verdicts, self.summaries)],
                "comparisons": [c.as_dict() for c in self.comparisons]}


def _seed_list(seeds: list[int], most: int = 8) -> str:
    shown = ", ".join(map(str, seeds[:most]))
    return shown + (f", … ({len(seeds)} in all)" if len(seeds) > most else "")


def _error_line(result: dict) -> str:
    text = result.get("error") or next((ch["error"] for ch in result.get("checks") or [] if ch.get("error")), "")
    lines = str(text).strip().splitlines()
    return (lines[-1] if lines else result.get("summary", "ERROR"))[:240]


@dataclass
class StabilityReport:
    profile: str
    seeds: list[int]
    claims: list[ClaimStability]
    errors: list = field(default_factory=list)  # claim-file load errors (bad input), if any

    @property
    def flagged(self) -> list[ClaimStability]:
        return [c for c in self.claims if c.flagged]

    @property
    def exit_code(self) -> int:
        """2 on bad input, else 1 if any claim is flagged, else 0."""
        return 2 if self.errors else (1 if self.flagged else 0)

    def as_dict(self) -> dict:
        return {"schema_version": SCHEMA_VERSION, "profile": self.profile, "seeds": self.seeds,
                "claims": [c.as_dict() for c in self.claims],
                "flagged": [c.id for c in self.flagged],
                "claim_file_errors": [e.as_dict() if hasattr(e, "as_dict") else str(e) for e in self.errors],
                "exit_code": self.exit_code}


def stability(claims: Iterable[Claim], seeds: int = 20, profile="quick", first_seed: int = 0,
              on_run: Callable[[Claim, int, str], Callable[[str], None] | None] | None = None,
              on_result: Callable[[Claim, int, dict], None] | None = None,
              on_claim: Callable[[StabilityReport], None] | None = None, executor=None) -> StabilityReport:
    """Run every claim at `seeds` consecutive run seeds from `first_seed`, claim by claim, and report the
    spread of its verdict and evidence.

    on_run(claim, seed, "start") may return a progress callback, on_run(claim, seed, verdict) follows;
    on_result(claim, seed, result) gets each run_claim result as it ends; on_claim(report) gets the report
    so far after each claim (to save partial results of a long run). `executor` (verify.parallel; default
    serial) spreads the (claim, seed) runs; the report is built in claim and seed order whatever order
    they end in, so it is the same as the serial one."""
    from verify.claimfile._load import profile_named
    from verify.parallel import SerialExecutor, Task

    prof = profile_named(profile)
    report = StabilityReport(prof.name, seeds_for(seeds, first_seed), [])
    claims = list(claims)
    tasks = [Task(claim, seed) for claim in claims for seed in report.seeds]
    ended: dict[tuple[int, int], dict] = {}  # (claim position, seed) → result, until the claim is complete
    index = {id(t): (i // len(report.seeds), t.seed) for i, t in enumerate(tasks)}
    on_start = (lambda task: on_run(task.claim, task.seed, "start")) if on_run else None
    for task, result in (executor or SerialExecutor()).run(tasks, prof, on_start):
        ended[index[id(task)]] = result
        if on_result:
            on_result(task.claim, task.seed, result)
        if on_run:
            on_run(task.claim, task.seed, result["verdict"])
        while len(report.claims) < len(claims) and all((len(report.claims), s) in ended for s in report.seeds):
            claim = claims[len(report.claims)]  # the next claim in order has all its seeds: add it
            cs = ClaimStability(claim.id, claim.group, claim.statement)
            for seed in report.seeds:
                cs.add(seed, ended.pop((len(report.claims), seed)))
            report.claims.append(cs)
            if on_claim:
                on_claim(report)
    return report
