"""Loading claim files (good claims and bad-input errors side by side) and checking them."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from verify._model import PROFILES, Claim, Profile, Verdict
from verify.claimfile._errors import ClaimFileError, hint

SUFFIXES = (".toml", ".py")
MAX_FILE_BYTES = 1 << 20  # a claim takes ~500 bytes: 1 MiB is ~2000 claims, and a file is read whole into memory


@dataclass
class LoadResult:
    """The claims that loaded and one error per claim (or file) that did not."""

    claims: list[Claim] = field(default_factory=list)
    errors: list[ClaimFileError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def __iter__(self):  # claims, errors = load(path)
        return iter((self.claims, self.errors))


def _read(path: Path, file: str) -> tuple[list[Claim], list[ClaimFileError]]:
    if not path.exists():
        return [], [ClaimFileError("does not exist; give a .toml or .py claim file", file=file)]
    if path.is_dir():
        return [], [ClaimFileError("is a folder; give a .toml or .py claim file", file=file)]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return [], [ClaimFileError(f"is {size} bytes, more than the limit {MAX_FILE_BYTES} for a claim file; split "
                                   "it into several files", file=file)]
    if path.suffix == ".toml":
        from verify.claimfile import _toml
        return _toml.load(path, file)
    if path.suffix == ".py":
        from verify.claimfile import _python
        return _python.load(path, file)
    return [], [ClaimFileError(f"has the suffix {path.suffix or '(none)'!r}; claim files are .toml or .py", file=file)]


def load_all(paths: Iterable) -> LoadResult:
    """Load several files; an id defined twice (in one file or across files) or taken by the built-in
    catalogue is an error on the later definition."""
    from verify.claims import catalogue

    builtin = catalogue()
    out = LoadResult()
    seen: dict[str, str] = {}
    for p in paths:
        file = str(p)
        claims, errors = _read(Path(p), file)
        claims = [dataclasses.replace(c, origin=file) for c in claims]
        out.errors += sorted(errors, key=lambda e: e.line or 0)
        for c in claims:
            where = f"{c.source.file}:{_line(c)}" if _line(c) else c.source.file
            if c.id in builtin:
                out.errors.append(ClaimFileError(f"id {c.id!r} is a claim of the built-in catalogue; choose another id "
                                                 f"(e.g. 'user.{c.id}')", file=c.source.file, line=_line(c), claim=c.id,
                                                 field="id"))
            elif c.id in seen:
                out.errors.append(ClaimFileError(f"id {c.id!r} is already defined at {seen[c.id]}; ids must be unique",
                                                 file=c.source.file, line=_line(c), claim=c.id, field="id"))
            else:
                seen[c.id] = where
                out.claims.append(c)
    return out


def _line(claim: Claim) -> int | None:
    sec = claim.source.section
    return int(sec[5:]) if sec.startswith("line ") and sec[5:].isdigit() else None


def load(path) -> LoadResult:
    """One claim file (.toml or .py) → LoadResult(claims, errors). Never raises for bad input."""
    return load_all([path])


def load_strict(path) -> list[Claim]:
    """Like load, but raise the first ClaimFileError (its `.others` lists the rest)."""
    res = load(path)
    if res.errors:
        first = res.errors[0]
        first.others = res.errors[1:]
        raise first
    return res.claims


def profile_named(profile) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile not in PROFILES:
        raise ValueError(f"profile={profile!r} is not a profile" + hint(str(profile), PROFILES, "profiles"))
    return PROFILES[profile]


@dataclass
class CheckOutcome:
    """Run results (verify.runner.run_claim dicts) of the claims that loaded, and the load errors."""

    results: list[dict]
    errors: list[ClaimFileError]

    @property
    def exit_code(self) -> int:
        """2 on bad input (even if other claims ran), else 0 if every claim PASSed, else 1."""
        if self.errors:
            return 2
        return 0 if all(r["verdict"] == Verdict.PASS.value for r in self.results) else 1


def run_loaded(loaded: LoadResult, profile="quick", seed: int = 0,
               on_claim: Callable[[Claim, str], Callable[[str], None] | None] | None = None,
               executor=None) -> CheckOutcome:
    """Run each loaded claim with verify.runner.run_claim (through `executor`, verify.parallel: default
    serial, in this process); the results keep the file's order, the load errors ride along.

    on_claim(claim, "start") may return a progress callback; on_claim(claim, verdict) follows."""
    from verify.parallel import SerialExecutor, Task

    prof = profile_named(profile)
    by_id: dict[str, dict] = {}
    on_start = (lambda task: on_claim(task.claim, "start")) if on_claim else None
    for task, result in (executor or SerialExecutor()).run([Task(c, seed) for c in loaded.claims], prof, on_start):
        by_id[task.claim.id] = result
        if on_claim:
            on_claim(task.claim, result["verdict"])
    return CheckOutcome([by_id[c.id] for c in loaded.claims], list(loaded.errors))


def check_file(paths, profile="quick", seed: int = 0,
               on_claim: Callable[[Claim, str], Callable[[str], None] | None] | None = None,
               executor=None) -> CheckOutcome:
    """Load one claim file or several and run every claim that loaded."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return run_loaded(load_all(paths), profile, seed, on_claim, executor)
