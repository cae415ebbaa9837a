"""TOML claim files: one [[claim]] table per claim. Lines are found by scanning the text, so every
message points at the table or the key. A syntax error spoils only the claim it sits in: the file
is re-read claim by claim and the others still load."""
from __future__ import annotations

import re
import tomllib

from verify._model import Claim
from verify.claimfile._errors import ClaimFileError, hint
from verify.claimfile._kinds import build_claim

_HEADER = re.compile(r"^\s*\[\[\s*claim\s*\]\]\s*(#.*)?$")
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _key_line(lines: list[str], lo: int, hi: int, key: str) -> int | None:
    pat = re.compile(rf'^\s*("{re.escape(key)}"|{re.escape(key)})\s*=')
    for i in range(lo, hi):
        if pat.match(lines[i]):
            return i + 1
    return None


def _locator(lines: list[str], lo: int, hi: int):
    """Dotted field path → 1-based line, within the claim's lines [lo, hi)."""

    def locate(path: str) -> int | None:
        if not path:
            return lo + 1
        parts = path.split(".")
        head = parts[0]
        if len(parts) > 1:
            sub = re.compile(rf"^\s*\[\s*claim\s*\.\s*{re.escape(head)}\s*\]")
            start = next((i for i in range(lo, hi) if sub.match(lines[i])), None)
            if start is not None:
                end = next((i for i in range(start + 1, hi) if lines[i].lstrip().startswith("[")), hi)
                return _key_line(lines, start + 1, end, parts[1]) or start + 1
            at = _key_line(lines, lo, hi, head)
            if at is not None:  # an inline table: point at its line, or at the line naming the key
                key = re.compile(rf"\b{re.escape(parts[1])}\s*=")
                for i in range(at - 1, hi):
                    if key.search(lines[i]):
                        return i + 1
                    if i > at - 1 and re.match(r"^\s*[A-Za-z_\"]\S*\s*=", lines[i]):
                        break
                return at
        return _key_line(lines, lo, hi, head) or lo + 1

    return locate


def _decode_error(exc: tomllib.TOMLDecodeError, file: str, offset: int) -> ClaimFileError:
    msg = str(exc)
    m = _AT_LINE.search(msg)
    line = int(m.group(1)) + offset if m else None
    text = _AT_LINE.sub("", msg).strip()
    if m:
        text += f" (column {m.group(2)})"
    return ClaimFileError(f"TOML syntax error: {text}; the claim in this table is skipped", file=file, line=line)


def _loads(text: str) -> dict:
    """tomllib.loads, with nesting deep enough to exhaust Python's recursion reported as a syntax error."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("arrays or inline tables nested too deeply") from None


def load(path, file: str) -> tuple[list[Claim], list[ClaimFileError]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [ClaimFileError(f"is not UTF-8 text ({exc.reason} at byte {exc.start})", file=file)]
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    bounds = list(zip(starts, starts[1:] + [len(lines)]))
    errors: list[ClaimFileError] = []
    tables: list[tuple[dict, int, int]] = []
    try:
        doc = _loads(text)
    except tomllib.TOMLDecodeError as exc:  # read the prefix and each [[claim]] table on its own
        doc, first = None, _decode_error(exc, file, 0)
        # part 0 is the text before the first [[claim]] (empty when the file starts with one), then one per table
        for k, (lo, hi) in enumerate([(0, starts[0] if starts else len(lines))] + bounds):
            try:
                part = _loads("\n".join(lines[lo:hi]))
            except tomllib.TOMLDecodeError as e:
                errors.append(_decode_error(e, file, lo))
                continue
            if k:
                tables.append((part.pop("claim")[0], lo, hi))
            errors += _top_level(part, lines, file)
        if not errors:
            errors.append(first)
    if doc is not None:
        errors += _top_level(doc, lines, file)
        claims = doc.get("claim", [])
        if isinstance(claims, list):
            for i, t in enumerate(claims):
                lo, hi = bounds[i] if i < len(bounds) and len(bounds) == len(claims) else (0, len(lines))
                tables.append((t, lo, hi))
    out = []
    for table, lo, hi in tables:
        try:
            out.append(build_claim(table, file, _locator(lines, lo, hi)))
        except ClaimFileError as exc:
            errors.append(exc)
    if not out and not errors:
        errors.append(ClaimFileError("holds no [[claim]] table; a claim file holds one [[claim]] table per claim",
                                     file=file, line=1))
    return out, errors


def _top_level(doc: dict, lines: list[str], file: str) -> list[ClaimFileError]:
    errors = []
    for key, value in doc.items():
        line = next((i + 1 for i, l in enumerate(lines)
                     if re.match(rf'^\s*(\[+\s*{re.escape(key)}\b|"?{re.escape(key)}"?\s*=)', l)), None)
        if key == "claim" and not isinstance(value, list):
            errors.append(ClaimFileError("write [[claim]] (double brackets) for each claim, not [claim]", file=file,
                                         line=line, field="claim"))
        elif key == "claim" and not all(isinstance(t, dict) for t in value):
            errors.append(ClaimFileError("claim must be an array of tables ([[claim]])", file=file, line=line,
                                         field="claim"))
        elif key != "claim":
            errors.append(ClaimFileError(f"unknown top-level key {key!r}; a claim file holds [[claim]] tables" +
                                         hint(key, ["claim"], "allowed"), file=file, line=line, field=key))
    return errors
