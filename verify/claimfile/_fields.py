"""The fields of one claim, as read from a TOML table or from keyword arguments, with the line each
came from. Every accessor validates and raises a ClaimFileError naming the field; `finish` rejects
fields no kind knows and assembles the ordinary verify._model.Claim."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from verify._model import Check, Claim, PerProfile, Source
from verify.claimfile._errors import ClaimFileError, hint

COMMON = {
    "id": "stable identifier, e.g. 'mine.ntk-erf' (letters, digits, '.', '-', '_')",
    "kind": "identity | limit | scaling | psd | law | moment",
    "statement": "the claim as you state it (plain text)",
    "latex": "the claim in LaTeX (optional)",
    "reading": "the operational reading that is checked (optional: generated from the fields)",
    "group": "report group (default 'user')",
    "note": "anything a reader should know (optional)",
    "source": "where the statement comes from, e.g. 'seed 003 §3' (optional; default the file and line)",
}
PROFILE_NAMES = ("quick", "standard", "full")
_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
MISSING = object()


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass
class Fields:
    data: dict
    file: str
    locate: Callable[[str], int | None]  # dotted field path -> line in the file (None: unknown)
    claim: str | None = None
    used: set = field(default_factory=set)
    docs: dict = field(default_factory=dict)  # the kind's field descriptions, for "is required" messages

    # ---- errors ---------------------------------------------------------------------------
    def error(self, name: str | None, message: str) -> ClaimFileError:
        return ClaimFileError(message, file=self.file, line=self.locate(name or ""), claim=self.claim, field=name)

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default=MISSING):
        self.used.add(name)
        if name not in self.data:
            if default is MISSING:
                raise self.error(name, f"is required here; expected {self._doc(name)}")
            return default
        return self.data[name]

    def _doc(self, name: str) -> str:
        return self.docs.get(name) or COMMON.get(name) or "a value"

    # ---- typed accessors ------------------------------------------------------------------
    def text(self, name: str, default=MISSING) -> str:
        v = self.raw(name, default)
        if v is not default and not isinstance(v, str):
            raise self.error(name, f"expected text (a quoted string), got {type(v).__name__} {v!r}")
        return v

    def number(self, name: str, default=MISSING, *, positive: bool = False) -> float:
        v = self.raw(name, default)
        if v is default:
            return v
        if not _is_number(v) or not math.isfinite(v):
            raise self.error(name, f"expected a finite number, got {type(v).__name__} {v!r}")
        if positive and v <= 0:
            raise self.error(name, f"expected a positive number, got {v!r}")
        return float(v)

    def integer(self, name: str, default=MISSING, *, minimum: int = 0, maximum: int | None = None) -> int:
        v = self.raw(name, default)
        if v is default:
            return v
        if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
            raise self.error(name, f"expected an integer ≥ {minimum}, got {v!r}")
        if maximum is not None and v > maximum:
            raise self.error(name, f"{v} is more than the largest allowed value {maximum}")
        return v

    def table(self, name: str, default=MISSING) -> dict:
        v = self.raw(name, default)
        if v is default:
            return v
        if not isinstance(v, dict):
            raise self.error(name, f"expected a table (TOML [claim.{name}] or {{key = value}}; Python dict), "
                                   f"got {type(v).__name__} {v!r}")
        return v

    def per_profile(self, name: str, default: PerProfile, parse: Callable[[Any, str], Any]) -> PerProfile:
        """One value for every profile, or a table {quick = …, standard = …, full = …}."""
        v = self.raw(name, None)
        if v is None:
            return default
        if isinstance(v, dict):
            bad = [k for k in v if k not in PROFILE_NAMES]
            if bad:
                raise self.error(f"{name}.{bad[0]}", f"{bad[0]!r} is not a profile" + hint(bad[0], PROFILE_NAMES, "profiles"))
            return PerProfile(*(parse(v[p], f"{name}.{p}") if p in v else default(_P(p)) for p in PROFILE_NAMES))
        one = parse(v, name)
        return PerProfile(one, one, one)

    def widths(self, name: str, default: PerProfile) -> PerProfile:
        def parse(v, path):
            if (not isinstance(v, (list, tuple)) or len(v) < 3 or
                    not all(isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in v) or len(set(v)) < 3):
                raise self.error(path, f"expected a list of at least 3 distinct positive integer widths "
                                       f"(a line fit needs 3 points), e.g. [64, 256, 1024]; got {v!r}")
            return tuple(sorted(set(v)))
        return self.per_profile(name, default, parse)

    def replicates(self, name: str, default: PerProfile) -> PerProfile:
        def parse(v, path):
            if not isinstance(v, int) or isinstance(v, bool) or v < 80:
                raise self.error(path, f"expected an integer ≥ 80 (40 batch means of ≥ 2 replicates), got {v!r}")
            return v
        return self.per_profile(name, default, parse)

    # ---- the claim ------------------------------------------------------------------------
    def finish(self, kind_fields: dict[str, str], checks: tuple[Check, ...], reading: str) -> Claim:
        known = {**COMMON, **kind_fields}
        for name in self.data:
            if name not in known:
                raise self.error(name, f"unknown field {name!r} for kind {self.data.get('kind')!r}"
                                       + hint(name, known, "fields"))
        source = self.text("source", "")
        line = self.locate("")
        return Claim(
            id=self.claim, group=self.text("group", "user"),
            source=Source(self.file, source or (f"line {line}" if line else "")),
            statement=self.text("statement"), latex=self.text("latex", ""),
            reading=self.text("reading", "") or reading, checks=checks, note=self.text("note", ""))


@dataclass(frozen=True)
class _P:  # a stand-in Profile for PerProfile lookup by name
    name: str


def start(data: dict, file: str, locate: Callable[[str], int | None]) -> Fields:
    """Read and validate id, kind and statement first: every later message names the claim."""
    f = Fields(dict(data), file, locate)
    cid = f.raw("id", None)
    if cid is None:
        raise f.error("id", "is required: every claim needs an id, e.g. id = \"mine.ntk-erf\"")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise f.error("id", f"expected an id of letters, digits, '.', '-', '_' (e.g. \"mine.ntk-erf\"), got {cid!r}")
    f.claim = cid
    f.text("statement")
    return f
