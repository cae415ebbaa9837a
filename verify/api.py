"""The notebook / Python API: run one claim or check a claim file, and look at the result.

    >>> from verify import api
    >>> r = api.run("shallow.param-count")            # a catalogue id, or a Claim object
    >>> r.verdict, r.evidence
    >>> rs = api.check("examples/claims_ntk.toml")     # every claim of a file
    >>> rs.errors                                      # bad input, one ClaimFileError per claim
    >>> st = api.stability("my_claims.toml", seeds=20) # do the verdicts hold across seeds?
    >>> st.flagged, st.exit_code
    >>> rs = api.check("big_sweep.toml", workers=4)    # claims over 4 local processes (same numbers);
    >>>                                                # scheduler="tcp://host:8786": a Dask cluster

A script that passes workers= must start under `if __name__ == "__main__":` (worker processes are spawned,
and a spawned process imports the script again); a notebook needs nothing.

A Result prints as a text table (coloured on a terminal) and shows as an HTML table in Jupyter.
"""
from __future__ import annotations

import html
import io
import sys
from pathlib import Path

from verify._model import Claim, Verdict
from verify.claimfile import ClaimFileError, load, load_all, load_strict, run_loaded

__all__ = ["Result", "Results", "run", "check", "stability", "load", "ClaimFileError"]

_COLOUR = {"PASS": "green", "FAIL": "red", "INCONCLUSIVE": "yellow", "ERROR": "magenta",
           "UNDECIDED": "yellow"}
_HTML_COLOUR = {"PASS": "#1a7f37", "FAIL": "#cf222e", "INCONCLUSIVE": "#9a6700", "ERROR": "#8250df",
                "UNDECIDED": "#9a6700"}


def _num(v) -> str:
    return f"{v:.6g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _interval(c: dict) -> str:
    lo, hi = c["interval"]
    return "" if lo == hi else f"[{_num(lo)}, {_num(hi)}]"


class Result:
    """One claim's outcome: the run_claim dict (results.json schema) with a readable face."""

    def __init__(self, data: dict):
        self.data = data

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def verdict(self) -> Verdict:
        return Verdict(self.data["verdict"])

    @property
    def evidence(self) -> str:
        return self.data["summary"]

    @property
    def comparisons(self) -> list[dict]:
        return [c | {"check": ch["check"]} for ch in self.data["checks"] for c in ch["comparisons"]]

    @property
    def passed(self) -> bool:
        return self.verdict == Verdict.PASS

    def __repr__(self) -> str:
        return f"Result(id={self.id!r}, verdict={self.verdict.value}, evidence={self.evidence!r})"

    def _rich_table(self):
        from rich.table import Table

        d = self.data
        t = Table(title=f"{d['id']}: [{_COLOUR[d['verdict']]}]{d['verdict']}[/]", title_justify="left",
                  caption=f"reading: {d['reading']}", caption_justify="left")
        for col in ("decision", "comparison", "measured", "interval", "expected"):
            t.add_column(col, overflow="fold")
        for c in self.comparisons:
            t.add_row(f"[{_COLOUR[c['decision']]}]{c['decision']}[/]", c["name"], _num(c["measured"]), _interval(c),
                      _num(c["expected"]))
        for ch in d["checks"]:
            if ch.get("error"):
                t.add_row("[magenta]ERROR[/]", ch["check"], ch["error"].strip().splitlines()[-1], "", "")
        return t

    def __str__(self) -> str:
        from rich.console import Console

        buf = io.StringIO()
        tty = sys.stdout.isatty()
        Console(file=buf, width=120, force_terminal=tty, no_color=not tty, color_system="standard" if tty else None,
                ).print(self._rich_table())
        return f"{buf.getvalue().rstrip()}\nevidence: {self.evidence}\nseed: run {self.data['seed']['run']}, " \
               f"claim {self.data['seed']['claim']}; profile {self.data['profile']}; {self.data['time_s']} s"

    def _repr_html_(self) -> str:
        d, e = self.data, html.escape
        rows = "".join(
            f"<tr><td style='color:{_HTML_COLOUR[c['decision']]}'><b>{e(c['decision'])}</b></td><td>{e(c['name'])}</td>"
            f"<td>{e(_num(c['measured']))}</td><td>{e(_interval(c))}</td><td>{e(_num(c['expected']))}</td></tr>"
            for c in self.comparisons)
        return (f"<div class='ntkverify-result'><p><b>{e(d['id'])}</b>: "
                f"<span style='color:{_HTML_COLOUR[d['verdict']]}'><b>{e(d['verdict'])}</b></span> — "
                f"{e(self.evidence)}</p><p><i>statement:</i> {e(d['statement'])}<br><i>reading:</i> "
                f"{e(d['reading'])}</p><table><thead><tr><th>decision</th><th>comparison</th><th>measured</th>"
                f"<th>interval</th><th>expected</th></tr></thead><tbody>{rows}</tbody></table>"
                f"<p><small>seed {d['seed']['run']} (claim {d['seed']['claim']}), profile {e(d['profile'])}, "
                f"{d['time_s']} s</small></p></div>")


class Results(list):
    """The Results of a claim file, in file order, and `.errors`: its bad-input ClaimFileErrors."""

    def __init__(self, results, errors=()):
        super().__init__(results)
        self.errors: list[ClaimFileError] = list(errors)

    @property
    def exit_code(self) -> int:
        """As `ntkverify check`: 2 on bad input, else 0 if every claim PASSed, else 1."""
        return 2 if self.errors else (0 if all(r.passed for r in self) else 1)

    def __str__(self) -> str:
        lines = [f"{r.id}: {r.verdict.value} — {r.evidence}" for r in self]
        return "\n".join(lines + [f"bad input: {err}" for err in self.errors])

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(f"<tr><td>{e(r.id)}</td><td style='color:{_HTML_COLOUR[r.verdict.value]}'><b>"
                       f"{r.verdict.value}</b></td><td>{e(r.evidence)}</td></tr>" for r in self)
        errs = "".join(f"<li>{e(str(err))}</li>" for err in self.errors)
        return (f"<table><thead><tr><th>id</th><th>verdict</th><th>evidence</th></tr></thead><tbody>{rows}</tbody>"
                f"</table>" + (f"<p><b>bad input</b></p><ul>{errs}</ul>" if errs else ""))


def run(claim: str | Claim, profile: str = "quick", seed: int = 0) -> Result:
    """Run one claim — a catalogue id (e.g. "shallow.param-count") or a Claim (e.g. from
    verify.claimfile.limit(...)) — and return its Result."""
    from verify.claimfile._load import LoadResult

    if isinstance(claim, str):
        from verify import claims

        claim = claims.get(claim)  # UnknownClaim (a ValueError) names the nearest ids
    elif not isinstance(claim, Claim):
        raise TypeError(f"run() takes a claim id or a Claim, got {type(claim).__name__}")
    return Result(run_loaded(LoadResult([claim]), profile, seed).results[0])


def _executor(workers: int | None, scheduler: str | None):
    from verify.parallel import executor_for

    return executor_for(workers, scheduler)  # ExecutorError names the fix (a missing extra, no scheduler)


def check(path: str | Path | list, profile: str = "quick", seed: int = 0, strict: bool = False,
          workers: int | None = None, scheduler: str | None = None) -> Results:
    """Run every claim of a claim file (or of a list of files). Bad input is kept in `.errors`
    while the good claims run; with strict=True the first ClaimFileError is raised before any run.
    workers=N spreads the claims over N local processes, scheduler=ADDRESS over a Dask cluster; the
    verdicts and numbers are those of one process."""
    loaded = load_all([path] if isinstance(path, (str, Path)) else path)
    if strict and loaded.errors:
        first = loaded.errors[0]
        first.others = loaded.errors[1:]
        raise first
    with _executor(workers, scheduler) as executor:
        outcome = run_loaded(loaded, profile, seed, executor=executor)
    return Results([Result(r) for r in outcome.results], outcome.errors)


def stability(claims, seeds: int = 20, profile: str = "quick", first_seed: int = 0, workers: int | None = None,
              scheduler: str | None = None):
    """Run claims at `seeds` consecutive seeds from `first_seed` and return a verify.stability.StabilityReport
    (.claims with verdict counts and per-comparison spreads, .flagged, .exit_code). `claims`: a catalogue id or
    glob, a Claim, a claim file path, or a list of these. A claim file with bad input raises its first
    ClaimFileError before anything runs. workers / scheduler: as in check()."""
    from verify import claims as catalogue
    from verify.stability import stability as run_stability

    chosen: list[Claim] = []
    for item in claims if isinstance(claims, (list, tuple)) else [claims]:
        if isinstance(item, Claim):
            chosen.append(item)
        elif isinstance(item, Path) or str(item).endswith((".toml", ".py")):
            chosen += load_strict(item)
        else:
            chosen += catalogue.select([str(item)])  # UnknownClaim names the nearest ids
    with _executor(workers, scheduler) as executor:
        return run_stability(chosen, seeds, profile, first_seed, executor=executor)
