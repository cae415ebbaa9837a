"""The one error type of claim files: it names the file, the line, the claim, the field, what was
expected, and the nearest valid names. Loading collects these instead of stopping, so the other
claims of a file still run."""
from __future__ import annotations

import difflib
from typing import Iterable


class ClaimFileError(Exception):
    """Bad input in a claim file. `str()` is one line: ``file:line: claim 'id', field 'f': message``."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, claim: str | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.message, self.file, self.line, self.claim, self.field = message, file, line, claim, field

    def __str__(self) -> str:
        where = self.file or "<claims>"
        if self.line is not None:
            where += f":{self.line}"
        who = []
        if self.claim:
            who.append(f"claim {self.claim!r}")
        if self.field:
            who.append(f"field {self.field!r}")
        return f"{where}: {', '.join(who) + ': ' if who else ''}{self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "claim": self.claim, "field": self.field,
                "message": self.message, "text": str(self)}


def nearest(name: str, valid: Iterable[str], n: int = 3) -> list[str]:
    valid = [str(v) for v in valid]
    return difflib.get_close_matches(str(name), valid, n=n, cutoff=0.5)


def hint(name: str, valid: Iterable[str], what: str = "valid") -> str:
    """'; did you mean 'x'? valid: a, b, c' — the tail of a message about an unknown name."""
    valid = list(valid)
    near = nearest(name, valid)
    text = f"; did you mean {' or '.join(map(repr, near))}?" if near else ""
    shown = ", ".join(map(str, valid[:40])) + (", …" if len(valid) > 40 else "")
    return f"{text} {what}: {shown or 'none'}"
