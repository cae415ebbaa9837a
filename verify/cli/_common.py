"""Shared pieces of the CLI: the one-line user error and argument validators."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path


class UserError(Exception):
    """Bad input: printed as one line naming the value and the fix, exit code 2, no traceback."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run, carrying the command that continues it (with this run's folder and --out)."""

    def __init__(self, resume: str):
        super().__init__(resume)
        self.resume = resume


# one folder name: no separators, no "." or "..", nothing hidden (.latest-tmp), not too long for a file system
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# reports/latest/ is the mirror of the newest run: the next run would replace a run of that name
RESERVED_RUN_IDS = ("latest",)


def check_run_id(option: str, value: str) -> str:
    """A run id names one folder directly under --out: refuse anything that could escape or nest."""
    if value in RESERVED_RUN_IDS:
        why = "is reserved: reports/latest/ mirrors the newest run, so the next run would overwrite it"
    elif not _RUN_ID.fullmatch(value):
        why = ("is not one folder name: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or "
               "digit (no '/', no '..')")
    else:
        return value
    raise UserError(f"{option} {value!r}: {why}; choose another, e.g. {option} ci-1")


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: one line, exit 2
        raise UserError(f"{message} (see `{self.prog} --help`)")


def int_arg(flag: str, lo: int, hi: int, give: str, out_of_range: str):
    """An argparse type for an integer flag in [lo, hi]: the message names the flag, the value and the fix."""

    def parse(text: str) -> int:
        try:
            value = int(text, 0)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} {text!r} is not an integer; {give}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{flag} {value} is out of range; {out_of_range}")
        return value

    return parse


seed_arg = int_arg("--seed", 0, 2**31 - 1, "give one, e.g. --seed 0", "use 0 <= seed < 2**31")


def profile_arg(text: str):
    from verify._model import PROFILES

    if text not in PROFILES:
        import difflib

        near = difflib.get_close_matches(text, PROFILES, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise argparse.ArgumentTypeError(f"--profile {text!r} is not a profile; {hint}choose one of {', '.join(PROFILES)}")
    return PROFILES[text]


workers_arg = int_arg("--workers", 1, 2**31 - 1, "give a number of processes, e.g. --workers 2",
                      "give 1 (this process, the default) or more, e.g. --workers 2")


def add_executor_args(p) -> None:
    """--workers / --scheduler: where claims run (verify.parallel). Results and numbers do not depend on it."""
    p.add_argument("--workers", type=workers_arg, metavar="N",
                   help="run claims in N local processes (default 1: in this process); verdicts and numbers are "
                        "the same as with one")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run claims on a Dask cluster, e.g. tcp://host:8786 (needs pip install 'ntkverify[dask]')")


def executor_from(args):
    """The executor of --workers/--scheduler, its start-up problems as one-line user errors."""
    from verify.parallel import ExecutorError, executor_for

    if args.scheduler is not None and args.workers not in (None, 1):
        raise UserError(f"--workers {args.workers} with --scheduler {args.scheduler!r}: the Dask cluster's own "
                        "workers run the claims; drop --workers")
    try:
        return executor_for(args.workers, args.scheduler)
    except ExecutorError as exc:
        raise UserError(str(exc)) from None


def writable_dir(path: Path) -> Path:
    """Create `path` if needed and prove it writable before any work is done."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-probe"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UserError(f"output folder {str(path)!r} cannot be written ({exc.strerror or exc}); "
                        "choose another with --out") from None
    return path


def load_results(path_text: str) -> dict:
    path = Path(path_text)
    if path.is_dir():
        path = path / "results.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"results file {str(path)!r} does not exist; give a results.json or a report folder") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"results file {str(path)!r} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(doc, dict) or "schema_version" not in doc or "claims" not in doc:
        raise UserError(f"{str(path)!r} is not an ntkverify results file (no schema_version/claims)")
    return doc


_RESULT_KEYS = ("id", "verdict", "summary", "checks")


def damage(doc: dict) -> str | None:
    """What makes a results document unusable for a report (a hand-edited or truncated-and-repaired
    file), in words; None when its claims hold what the reports read."""
    from verify._model import Verdict

    if not isinstance(doc.get("claims"), list):
        return "its 'claims' is not a list"
    for i, c in enumerate(doc["claims"]):
        if not isinstance(c, dict):
            return f"claims[{i}] is not a claim result"
        missing = [k for k in _RESULT_KEYS if k not in c]
        if missing:
            return f"claims[{i}] has no {', '.join(map(repr, missing))}"
        if c["verdict"] not in {v.value for v in Verdict}:
            return f"claims[{i}] ({c['id']!r}) has verdict {c['verdict']!r}"
        if not isinstance(c["checks"], list) or not all(isinstance(ch, dict) and isinstance(ch.get("figures", []), list)
                                                       for ch in c["checks"]):
            return f"claims[{i}] ({c['id']!r}) has damaged 'checks'"
    return None


def emit_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
