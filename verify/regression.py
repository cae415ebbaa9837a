"""Regression between two runs: which verdicts changed, which evidence moved, which claims came or went.

Pure functions over results.json documents (schema in verify/report/SCHEMA.md); the CLI
(`ntkverify diff`) reads the files, prints, and turns the outcome into an exit code.

Definitions
  * a verdict got *worse* when its rank rose (PASS 0 < INCONCLUSIVE 1 < FAIL 2 < ERROR 3);
  * a claim present in BASE and missing from NEW is *removed* and counts as worse — it can no
    longer be checked; a claim only in NEW is *added*, which is informational;
  * a comparison (matched by claim id, check name, comparison name) has *moved* when its BASE and
    NEW intervals are disjoint: each run's measurement lies outside the other's interval, so the
    difference is not sampling noise at the confidence the intervals were built with;
  * a comparison *differs* when any of its numbers or its decision is not bitwise the same (or it is
    in one run only): what a refactor that must not move a number is checked with.

`--fail-on` is a ladder, each level failing on everything the previous one does: worse (a verdict
got worse, a claim removed) < changed (any verdict changed) < moved (evidence moved beyond its
interval) < bits (any number differs).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from verify._model import Verdict

SCHEMA_VERSION = 1  # the results.json version this module reads (verify/report/SCHEMA.md)
FAIL_ON = ("worse", "changed", "moved", "bits")
# the fields of a comparison that `bits` holds bitwise (JSON values compared as written)
EXACT_FIELDS = ("decision", "measured", "interval", "band", "expected")


class ResultsError(ValueError):
    """A document is not a results.json this version can compare; the message names value and fix."""


@dataclass(frozen=True)
class VerdictChange:
    id: str
    base: str
    new: str
    summary: str  # NEW's one-line evidence

    @property
    def direction(self) -> str:
        return "worse" if Verdict(self.new).rank > Verdict(self.base).rank else "better"

    def as_dict(self) -> dict:
        return {**asdict(self), "direction": self.direction}


@dataclass(frozen=True)
class Moved:
    id: str
    check: str
    comparison: str
    base_measured: float | str
    base_interval: tuple[float, float]
    new_measured: float | str
    new_interval: tuple[float, float]

    def as_dict(self) -> dict:
        def side(measured, interval):
            return {"measured": _json_number(measured), "interval": [_json_number(x) for x in interval]}

        return {"id": self.id, "check": self.check, "comparison": self.comparison,
                "base": side(self.base_measured, self.base_interval), "new": side(self.new_measured, self.new_interval)}


@dataclass(frozen=True)
class Differs:
    """A comparison whose numbers are not bitwise the same; `fields` names which (or "only in BASE/NEW")."""

    id: str
    check: str
    comparison: str
    fields: tuple[str, ...]

    def as_dict(self) -> dict:
        return {**asdict(self), "fields": list(self.fields)}


@dataclass(frozen=True)
class Presence:
    """A claim found in only one of the two runs, with the verdict it had there."""

    id: str
    verdict: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Diff:
    base_run: dict
    new_run: dict
    changed: tuple[VerdictChange, ...]
    moved: tuple[Moved, ...]
    added: tuple[Presence, ...]
    removed: tuple[Presence, ...]
    unchanged: int  # claims in both runs with the same verdict
    warnings: tuple[str, ...]
    differs: tuple[Differs, ...] = ()

    @property
    def worse(self) -> tuple[VerdictChange, ...]:
        return tuple(c for c in self.changed if c.direction == "worse")

    @property
    def better(self) -> tuple[VerdictChange, ...]:
        return tuple(c for c in self.changed if c.direction == "better")

    def regressed(self, fail_on: str = "worse") -> bool:
        """True when the comparison should fail at `fail_on`'s level of the ladder (module docstring)."""
        if fail_on not in FAIL_ON:
            raise ValueError(f"fail_on={fail_on!r} is not one of {', '.join(FAIL_ON)}")
        level = FAIL_ON.index(fail_on)
        return any(level >= i and bool(found) for i, found in enumerate(
            (self.worse or self.removed, self.changed, self.moved, self.differs)))

    def as_dict(self, fail_on: str = "worse") -> dict:
        return {
            "base": self.base_run,
            "new": self.new_run,
            "warnings": list(self.warnings),
            "changed": [c.as_dict() for c in self.changed],
            "moved": [m.as_dict() for m in self.moved],
            "differs": [x.as_dict() for x in self.differs],
            "added": [p.as_dict() for p in self.added],
            "removed": [p.as_dict() for p in self.removed],
            "unchanged": self.unchanged,
            "counts": {"worse": len(self.worse), "better": len(self.better), "moved": len(self.moved),
                       "differs": len(self.differs), "added": len(self.added), "removed": len(self.removed)},
            "fail_on": fail_on,
            "regressed": self.regressed(fail_on),
        }


# ---- validation ---------------------------------------------------------------------------

_VERDICTS = {v.value for v in Verdict}


def check_document(doc: object, label: str) -> None:
    """Raise ResultsError unless `doc` is a results document of SCHEMA_VERSION with usable claims.

    `label` names the document in the message (e.g. "BASE 'reports/a/results.json'")."""
    if not isinstance(doc, dict) or "schema_version" not in doc or "claims" not in doc:
        raise ResultsError(f"{label} is not an ntkverify results file (no schema_version/claims)")
    version = doc["schema_version"]
    if version != SCHEMA_VERSION:
        raise ResultsError(f"{label} has schema_version {version!r}, but this ntkverify reads schema_version "
                           f"{SCHEMA_VERSION}; re-run `ntkverify run` to regenerate it, or diff with the "
                           "ntkverify version that wrote it")
    claims = doc["claims"]
    if not isinstance(claims, list):
        raise ResultsError(f"{label}: 'claims' is a {type(claims).__name__}, not a list of claim results; "
                           "the file is damaged — regenerate it with `ntkverify run`")
    for i, c in enumerate(claims):
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            raise ResultsError(f"{label}: claims[{i}] has no string 'id'; the file is damaged — regenerate it "
                               "with `ntkverify run`")
        if c.get("verdict") not in _VERDICTS:
            raise ResultsError(f"{label}: claim {c['id']!r} has verdict {c.get('verdict')!r}, not one of "
                               f"{', '.join(sorted(_VERDICTS))}; the file is damaged — regenerate it with "
                               "`ntkverify run`")


# ---- comparing ----------------------------------------------------------------------------

def _number(x) -> float:
    """A JSON number or one of the strings results.json uses for non-finite floats; NaN if neither."""
    if isinstance(x, bool):
        return math.nan
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str) and x in ("inf", "-inf", "nan"):
        return float(x)
    return math.nan


def _json_number(x):
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def _interval(c: dict) -> tuple[float, float] | None:
    iv = c.get("interval")
    if not isinstance(iv, (list, tuple)) or len(iv) != 2:
        return None
    lo, hi = _number(iv[0]), _number(iv[1])
    if math.isnan(lo) or math.isnan(hi) or lo > hi:
        return None
    return lo, hi


def disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Closed intervals [a0, a1] and [b0, b1] share no point."""
    return a[1] < b[0] or b[1] < a[0]


def _by_id(doc: dict) -> dict[str, dict]:
    # a resumed run never repeats an id, but if a document does, the later result is the one that stands
    return {c["id"]: c for c in doc["claims"]}


def _comparisons(result: dict) -> dict[tuple[str, str, int], dict]:
    """(check name, comparison name, occurrence) -> comparison; the occurrence keeps repeated names apart."""
    out: dict[tuple[str, str, int], dict] = {}
    for ch in result.get("checks") or []:
        seen: dict[str, int] = {}
        for c in ch.get("comparisons") or []:
            name = str(c.get("name", ""))
            k = seen.get(name, 0)
            seen[name] = k + 1
            out[(str(ch.get("check", "")), name, k)] = c
    return out


def moved_evidence(claim_id: str, base: dict, new: dict) -> list[Moved]:
    """Comparisons present in both claim results whose intervals are disjoint.

    Comparisons without a numeric interval (or with NaN in it) cannot be judged and are left out."""
    out = []
    new_comps = _comparisons(new)
    for key, b in _comparisons(base).items():
        n = new_comps.get(key)
        if n is None:
            continue
        bi, ni = _interval(b), _interval(n)
        if bi is None or ni is None or not disjoint(bi, ni):
            continue
        out.append(Moved(claim_id, key[0], key[1], b.get("measured"), bi, n.get("measured"), ni))
    return out


def differing(claim_id: str, base: dict, new: dict) -> list[Differs]:
    """Comparisons of one claim whose EXACT_FIELDS are not all identical, or that are in one run only."""
    b, n = _comparisons(base), _comparisons(new)
    out = []
    for key in list(b) + [k for k in n if k not in b]:
        if key not in n or key not in b:
            fields = ("only in BASE",) if key not in n else ("only in NEW",)
        else:
            fields = tuple(f for f in EXACT_FIELDS if b[key].get(f) != n[key].get(f))
        if fields:
            out.append(Differs(claim_id, key[0], key[1], fields))
    return out


def _run_info(doc: dict) -> dict:
    run = doc.get("run") or {}
    return {"id": run.get("id"), "profile": run.get("profile"), "seed": run.get("seed"),
            "finished": run.get("finished"), "claims": len(doc["claims"])}


def _warnings(base: dict, new: dict) -> list[str]:
    out = []
    bp, np_ = base["profile"], new["profile"]
    if bp != np_:
        out.append(f"BASE used profile {bp!r} and NEW profile {np_!r}: sweeps and interval widths differ, so "
                   "verdict changes may come from the budget rather than the code; comparing anyway")
    for label, info in (("BASE", base), ("NEW", new)):
        if info["finished"] is None:
            out.append(f"{label} run {info['id']!r} was interrupted (finished: null); claims it did not reach "
                       "show as removed/added — finish it with `ntkverify run --resume`")
    return out


def diff(base: dict, new: dict) -> Diff:
    """Compare two validated results documents (see `check_document`)."""
    b, n = _by_id(base), _by_id(new)
    changed, moved, differs, unchanged = [], [], [], 0
    for cid, br in b.items():
        nr = n.get(cid)
        if nr is None:
            continue
        if br["verdict"] != nr["verdict"]:
            changed.append(VerdictChange(cid, br["verdict"], nr["verdict"], str(nr.get("summary", ""))))
        else:
            unchanged += 1
        moved.extend(moved_evidence(cid, br, nr))
        differs.extend(differing(cid, br, nr))
    removed = [Presence(cid, r["verdict"]) for cid, r in b.items() if cid not in n]
    added = [Presence(cid, r["verdict"]) for cid, r in n.items() if cid not in b]
    base_run, new_run = _run_info(base), _run_info(new)
    # worse first, then by id: the lines a reader must act on lead
    changed.sort(key=lambda c: (c.direction != "worse", c.id))
    return Diff(base_run, new_run, tuple(changed), tuple(moved), tuple(added), tuple(removed), unchanged,
                tuple(_warnings(base_run, new_run)), tuple(differs))
