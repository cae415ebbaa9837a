"""Python claim files, and the builders they call: identity(), limit(), scaling(), psd(), law(),
moment(). Each builder takes the same fields as the TOML kind of its name and returns an ordinary
Claim. Inside a file being loaded, a builder given bad input records a ClaimFileError pointing at
the line of its call and returns None, so the rest of the file still loads; anywhere else
(a notebook) it raises the error."""
from __future__ import annotations

import contextvars
import sys
import traceback
from pathlib import Path

from verify._limits import DeadlineExceeded, deadline
from verify._model import Claim
from verify.claimfile._errors import ClaimFileError
from verify.claimfile._kinds import build_claim

# A .py claim file is executed with the user's rights (that is its point: any Python may build the
# claims), so loading it is bounded in time: a file that loops at import (`while True: pass`) becomes
# one error instead of a hung `ntkverify check` or CI job. Defining claims takes well under a second;
# 30 s leaves room for a slow import (JAX, SymPy) on a loaded 2-core machine.
LOAD_SECONDS = 30.0

_COLLECTING: contextvars.ContextVar[list | None] = contextvars.ContextVar("claimfile_collecting", default=None)


def _build(kind: str, id, statement, fields: dict) -> Claim | None:
    frame = sys._getframe(2)
    file, line = frame.f_code.co_filename, frame.f_lineno
    if "kind" in fields:
        err = ClaimFileError(f"the builder {kind}() sets the kind; remove kind={fields['kind']!r}", file=file,
                             line=line, claim=id if isinstance(id, str) else None, field="kind")
        return _fail(err)
    data = {"id": id, "kind": kind, "statement": statement, **fields}
    data = {k: v for k, v in data.items() if v is not None}  # a missing id/statement is reported, not a TypeError
    try:
        return build_claim(data, file, lambda _field: line)
    except ClaimFileError as err:
        return _fail(err)


def _fail(err: ClaimFileError):
    sink = _COLLECTING.get()
    if sink is None:
        raise err
    sink.append(err)
    return None


def identity(id: str | None = None, statement: str | None = None, **fields) -> Claim:
    """lhs = rhs identically. Fields: lhs, rhs (SymPy formulas), assumptions={sym: "positive"},
    domain={sym: (lo, hi)}, points; and latex, reading, group, note, source."""
    return _build("identity", id, statement, fields)


def limit(id: str | None = None, statement: str | None = None, **fields) -> Claim:
    """An observable's mean → expected as width → ∞. Fields: observable, params, column, expected,
    tolerance | abs_tolerance, parameters, widths, replicates, bias_order, fluctuation_exponent."""
    return _build("limit", id, statement, fields)


def scaling(id: str | None = None, statement: str | None = None, **fields) -> Claim:
    """An observable's mean ∝ width^exponent. Fields: observable, params, column, exponent, tolerance,
    parameters, widths, replicates."""
    return _build("scaling", id, statement, fields)


def psd(id: str | None = None, statement: str | None = None, **fields) -> Claim:
    """k(x, y) is symmetric positive semidefinite. Fields: kernel, dimension, domain, parameters, max_points."""
    return _build("psd", id, statement, fields)


def law(id: str | None = None, statement: str | None = None, **fields) -> Claim:
    """An observable → a law in distribution. Fields: observable, params, column, law ("normal" |
    "uniform"), mean, variance, tolerance, growth_tolerance, widths, replicates."""
    return _build("law", id, statement, fields)


def moment(id: str | None = None, statement: str | None = None, **fields) -> Claim:
    """E[observable^power] = expected at one width. Fields: observable, params, column, power,
    expected, width, tolerance | abs_tolerance, parameters, replicates."""
    return _build("moment", id, statement, fields)


def _line_in(tb, file: str) -> int | None:
    line = None
    for fs in traceback.extract_tb(tb):
        if fs.filename == file:
            line = fs.lineno
    return line


def load(path: Path, file: str) -> tuple[list[Claim], list[ClaimFileError]]:
    """Execute the file (with the caller's rights: only load files you trust) for at most
    LOAD_SECONDS; its claims are the module-level list CLAIMS if it has one, else every module-level
    Claim, in the order defined."""
    errors: list[ClaimFileError] = []
    try:
        code = compile(path.read_bytes(), file, "exec")
    except SyntaxError as exc:
        return [], [ClaimFileError(f"Python syntax error: {exc.msg}", file=file, line=exc.lineno)]
    ns: dict = {"__name__": "__ntkverify_claims__", "__file__": str(path)}
    token = _COLLECTING.set(errors)
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    try:
        with deadline(LOAD_SECONDS, f"loading {file}"):
            exec(code, ns)
    except DeadlineExceeded as exc:
        errors.append(ClaimFileError(f"did not finish loading within {LOAD_SECONDS:g} s (a .py claim file is executed "
                                     "when loaded: it should only define claims; the work is done by the check); "
                                     "claims after the stuck line are not loaded", file=file,
                                     line=_line_in(exc.__traceback__, file)))
    except SystemExit as exc:  # sys.exit() at import would end `ntkverify check` with nothing checked
        errors.append(ClaimFileError(f"called sys.exit({exc.code!r}) while loading; a claim file must define claims, "
                                     "not exit — remove the call", file=file, line=_line_in(exc.__traceback__, file)))
    except Exception as exc:  # the claims defined before the failure still count
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        errors.append(ClaimFileError(f"the file raised {type(exc).__name__}: {first}; claims after this line are "
                                     "not loaded", file=file, line=_line_in(exc.__traceback__, file)))
    finally:
        _COLLECTING.reset(token)
        if sys.path and sys.path[0] == folder:
            sys.path.pop(0)
    claims: list[Claim] = []
    if "CLAIMS" in ns:
        listed = ns["CLAIMS"]
        if not isinstance(listed, (list, tuple)):
            errors.append(ClaimFileError(f"CLAIMS must be a list of claims, got {type(listed).__name__}", file=file,
                                         field="CLAIMS"))
            listed = []
        for i, c in enumerate(listed):
            if isinstance(c, Claim):
                claims.append(c)
            elif c is not None:  # None: a builder that failed (its error is recorded)
                errors.append(ClaimFileError(f"CLAIMS[{i}] is a {type(c).__name__}, not a Claim; make claims with "
                                             "identity(), limit(), scaling(), psd(), law() or moment()", file=file,
                                             field="CLAIMS"))
    else:
        claims = [v for k, v in ns.items() if isinstance(v, Claim) and not k.startswith("_")]
    if not claims and not errors:
        errors.append(ClaimFileError("defines no claims: build them with identity(), limit(), scaling(), psd(), "
                                     "law() or moment() and list them in CLAIMS", file=file))
    return claims, errors

