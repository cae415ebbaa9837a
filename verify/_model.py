"""What a claim is, what a check returns, and what a verdict carries.

Plain frozen dataclasses that serialise to the JSON of results.json (schema in
verify/report/SCHEMA.md). A verdict is computed from its comparisons, never set by hand.
"""
from __future__ import annotations

import abc
import enum
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, TypeVar

from verify.stats import Band, Decision, Share


class Verdict(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"
    ERROR = "ERROR"

    @property
    def rank(self) -> int:
        """Worse verdicts rank higher: a regression is a rise in rank."""
        return {"PASS": 0, "INCONCLUSIVE": 1, "FAIL": 2, "ERROR": 3}[self.value]


class View(str, enum.Enum):
    SYMBOLIC = "symbolic"  # SymPy decides
    CLOSED_FORM = "closed_form"  # mpmath, high precision
    MONTE_CARLO = "monte_carlo"  # JAX float64 simulation, statistical
    NUMERIC = "numeric"  # deterministic float64 computation (autodiff, linear algebra)


@dataclass(frozen=True)
class Source:
    file: str  # e.g. "seeds/000_bbc3314d49521df9.txt"
    section: str  # e.g. "§11.5.3"

    def as_dict(self) -> dict:
        return {"file": self.file, "section": self.section}


T = TypeVar("T")


@dataclass(frozen=True)
class PerProfile(Generic[T]):
    quick: T
    standard: T
    full: T

    def __call__(self, profile: "Profile") -> T:
        return getattr(self, profile.name)


@dataclass(frozen=True)
class Profile:
    name: str
    looks: int  # sequential stages a Monte Carlo check may take before INCONCLUSIVE
    description: str


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("quick", 3, "CI-sized: smallest sweeps that still decide every claim"),
        Profile("standard", 4, "the default: wider sweeps, more replicates"),
        Profile("full", 5, "publication-grade: widest sweeps, most replicates"),
    )
}


def _clean(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, non-finite floats to strings JSON can carry."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            value = value.tolist()
            return _clean(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


@dataclass(frozen=True)
class Comparison:
    """One expected-vs-measured comparison and its decision: the unit of evidence."""

    name: str
    view: View
    expected: float | str
    measured: float | str
    interval: tuple[float, float]  # for `measured`, at confidence 1 − false_fail_rate
    band: Band  # accept region for `measured`
    decision: Decision
    false_fail_rate: float  # 0 for deterministic comparisons
    resolution: float | None  # smallest |truth − expected| detected with prob. POWER
    reference: str = ""  # how `expected` was obtained
    samples: int | None = None
    widths: tuple[int, ...] | None = None
    needs: int | None = None  # samples that would decide an UNDECIDED comparison
    detail: dict = field(default_factory=dict)

    @property
    def abs_error(self) -> float | None:
        if isinstance(self.expected, (int, float)) and isinstance(self.measured, (int, float)):
            return abs(float(self.measured) - float(self.expected))
        return None

    @property
    def rel_error(self) -> float | None:
        a = self.abs_error
        if a is None or self.expected == 0:
            return None
        return a / abs(float(self.expected))

    def as_dict(self) -> dict:
        return _clean(
            {
                "name": self.name,
                "view": self.view.value,
                "expected": self.expected,
                "measured": self.measured,
                "interval": list(self.interval),
                "band": self.band.as_list(),
                "abs_error": self.abs_error,
                "rel_error": self.rel_error,
                "decision": self.decision.value,
                "false_fail_rate": self.false_fail_rate,
                "resolution": self.resolution,
                "reference": self.reference,
                "samples": self.samples,
                "widths": list(self.widths) if self.widths else None,
                "needs_samples": self.needs,
                "detail": self.detail,
            }
        )


@dataclass(frozen=True)
class Figure:
    """Data for a figure; the report layer draws it (checks stay free of plotting)."""

    kind: str  # "loglog_fit" | "convergence" | "curves"
    title: str
    data: dict

    def as_dict(self) -> dict:
        return _clean({"kind": self.kind, "title": self.title, "data": self.data})


@dataclass(frozen=True)
class CheckResult:
    check: str
    view: View
    comparisons: tuple[Comparison, ...]
    figures: tuple[Figure, ...] = ()
    note: str = ""
    looks: int = 1

    @property
    def error(self) -> str | None:
        """Non-finite evidence, named: a NaN or an infinite measured value means the computation broke
        down (an overflow, 0/0), which is an ERROR with its cause — never silently a non-decision."""
        where = [f"{c.name!r}: {what}" for c in self.comparisons for what in _nonfinite(c)]
        if not where:
            return None
        return (f"NonFiniteEvidence: check {self.check!r} produced non-finite evidence (NaN or ±inf is an error, "
                f"not a measurement): " + "; ".join(where))

    @property
    def verdict(self) -> Verdict:
        if self.error is not None:
            return Verdict.ERROR
        return verdict_of(c.decision for c in self.comparisons)

    def as_dict(self) -> dict:
        out = {
            "check": self.check,
            "view": self.view.value,
            "verdict": self.verdict.value,
            "looks": self.looks,
            "note": self.note,
            "comparisons": [c.as_dict() for c in self.comparisons],
            "figures": [f.as_dict() for f in self.figures],
        }
        if self.error is not None:
            out["error"] = self.error
        return out


def _nonfinite(c: "Comparison") -> list[str]:
    """Where a comparison's evidence is not finite: a NaN or ±inf measured value, a NaN in its expected
    value, interval or detail. (Infinite band edges and interval ends are half-lines, not breakdowns.)"""
    out = []
    m = c.measured.item() if hasattr(c.measured, "item") else c.measured
    if isinstance(m, (int, float)) and not isinstance(m, bool) and not math.isfinite(m):
        out.append(f"measured = {m}")
    if _has_nan(c.expected):
        out.append("expected = nan")
    if _has_nan(list(c.interval)):
        out.append(f"interval = [{c.interval[0]}, {c.interval[1]}]")
    return out + [f"detail[{k!r}] contains nan" for k, v in c.detail.items() if _has_nan(v)]


def _has_nan(value) -> bool:
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_nan(v) for v in value)
    if hasattr(value, "dtype") and hasattr(value, "shape"):  # a NumPy/JAX array or scalar
        import numpy as np

        arr = np.asarray(value)
        return arr.dtype.kind in "fc" and bool(np.isnan(arr).any())
    return isinstance(value, float) and math.isnan(value)


def verdict_of(decisions) -> Verdict:
    decisions = list(decisions)
    if not decisions:
        raise ValueError("a verdict needs at least one comparison; a check that compares nothing is a defect")
    if any(d == Decision.FAIL for d in decisions):
        return Verdict.FAIL
    if any(d == Decision.UNDECIDED for d in decisions):
        return Verdict.INCONCLUSIVE
    return Verdict.PASS


@dataclass(frozen=True)
class Context:
    """What a check gets: its own seed and key, the profile, and its false-fail share."""

    claim_id: str
    seed: int
    profile: Profile
    share: Share
    progress: Callable[[str], None] = lambda phase: None
    run_seed: int | None = None  # the run's seed, for keys several claims share (see key)

    def key(self, *path, scope: str | None = None):
        """A JAX PRNG key for this claim and a path of labels (Monte Carlo draws). scope: a name replacing the
        claim (its id and seed) for a draw several claims share: a function of (run seed, scope, path) only, so
        the same numbers whether a claim runs alone or after the others."""
        from verify._jax import key_for

        if scope is None:
            return key_for(self.seed, self.claim_id, *path)
        if self.run_seed is None:
            raise ValueError(f"key(scope={scope!r}) needs the run's seed: build the Context with run_seed=<int>")
        return key_for(self.run_seed, scope, *path)

    def rng(self, *path):
        """A NumPy generator for deterministic checks' random instances, from the claim seed and a
        path of labels (stable hashes: the same instances in every process)."""
        import zlib

        import numpy as np

        return np.random.default_rng([self.seed, *(zlib.crc32(str(p).encode()) for p in path)])


class Check(abc.ABC):
    """One way of testing a claim. `comparisons` is the number of stochastic comparisons made
    at each look (0 for deterministic checks), counted by the prepared check itself: the claim's
    false-fail rate is split by it."""

    name: str
    view: View
    comparisons: int = 0

    def prepare(self, profile: Profile) -> "Check":
        """The check that will run at this profile (a Deferred builds its design here). The runner
        prepares every check of a claim before splitting its false-fail rate by their comparisons."""
        return self

    @abc.abstractmethod
    def run(self, ctx: Context) -> CheckResult: ...


@dataclass(frozen=True)
class Claim:
    id: str
    group: str
    source: Source
    statement: str  # as the source states it (plain text, typos and all)
    latex: str  # as the source writes it
    reading: str  # the operational reading that is checked
    checks: tuple[Check, ...]
    corrects: str | None = None  # for a `<id>.corrected` companion: the id it corrects
    note: str = ""  # why a companion corrects the original, or what is left unchecked
    # the claim file it was loaded from, as given (None: the catalogue or built in Python): a worker process
    # of verify.parallel loads it again rather than receive the claim's functions pickled
    origin: str | None = field(default=None, compare=False, repr=False)

    @property
    def summary(self) -> str:
        s = " ".join(self.statement.split())
        return s if len(s) <= 100 else s[:97] + "..."
