"""Deterministic checks: symbolic identities (SymPy decides) and float64 / mpmath comparisons.

These spend no false-fail rate: a deterministic comparison fails only if the mathematics or the
code is wrong, up to the named round-off tolerance it is given.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable

from verify._model import Check, CheckResult, Comparison, Context, Figure, View
from verify.stats import Band, Decision, decide


def exact(name: str, expected: float, measured: float, tol: float, reference: str,
          view: View = View.NUMERIC, **detail) -> Comparison:
    """|measured − expected| ≤ tol, with `tol` a named round-off tolerance (see verify/tolerances.py)."""
    band = Band.around(float(expected), tol)
    m = float(measured)
    return Comparison(name, view, float(expected), m, (m, m), band, decide(m, m, band), 0.0, tol,
                      reference=reference, detail=dict(detail))


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def symbolic(name: str, holds: bool, derived: str, stated: str, reference: str, residual: str = "", **detail) -> Comparison:
    """A SymPy decision: `holds` is the result of an exact simplification, not a float test.

    Shown as 'residual derived − stated'; the full expressions stay in `detail`."""
    shown = "0" if holds else _short(residual or "≠ 0")
    return Comparison(name, View.SYMBOLIC, "0", f"residual {shown}", (0.0, 0.0), Band(0.0, 0.0),
                      Decision.PASS if holds else Decision.FAIL, 0.0, 0.0, reference=reference,
                      detail={"derived": str(derived), "stated": str(stated), "residual": str(residual), **detail})


def _one_sided(name, measured, band: Band, expected, tol, reference, view, samples, detail) -> Comparison:
    m = float(measured)
    if not math.isfinite(m):  # a diverged run (NaN, ±inf) is never evidence for a bound: a FAIL
        detail = {**detail, "non_finite": str(measured)}
        m = math.inf if math.isinf(band.lo) else -math.inf
    return Comparison(name, view, expected, m, (m, m), band, decide(m, m, band), 0.0, tol,
                      reference=reference, samples=samples, detail=dict(detail))


def at_most(name: str, measured: float, upper: float, reference: str, view: View = View.NUMERIC, *,
            slack: float = 0.0, floor: float = -math.inf, samples: int | None = None, **detail) -> Comparison:
    """A deterministic bound: PASS iff measured ≤ upper + slack (slack: a named round-off tolerance).
    floor: the band's lower edge for a quantity that cannot be below it (a ratio of norms ≥ 0);
    samples: how many runs `measured` is the worst of."""
    return _one_sided(name, measured, Band(floor, float(upper) + slack), f"≤ {upper:.6g}", slack or None,
                      reference, view, samples, detail)


def at_least(name: str, measured: float, lower: float, reference: str, view: View = View.NUMERIC, *,
             slack: float = 0.0, samples: int | None = None, **detail) -> Comparison:
    """A deterministic bound: PASS iff measured ≥ lower − slack (slack: a named round-off tolerance)."""
    return _one_sided(name, measured, Band(float(lower) - slack, math.inf), f"≥ {lower:.6g}", slack or None,
                      reference, view, samples, detail)


def derived(results, reference: str, **detail) -> list[Comparison]:
    """SymPy results of derive/ (each with name, holds, derived, stated, residual, detail) as comparisons."""
    return [symbolic(r.name, r.holds, r.derived, r.stated, reference, residual=r.residual,
                     **{"detail": r.detail, **detail}) for r in results]


@dataclass(frozen=True)
class Exact(Check):
    """A check whose comparisons come from a deterministic function of the context."""

    name: str
    view: View
    compute: Callable[[Context], Iterable[Comparison] | tuple[Iterable[Comparison], Iterable[Figure]]]
    note: str = ""
    comparisons: int = 0

    def run(self, ctx: Context) -> CheckResult:
        out = self.compute(ctx)
        figures: tuple = ()
        if isinstance(out, tuple) and len(out) == 2 and not isinstance(out[0], Comparison):
            out, figures = out
        return CheckResult(self.name, self.view, tuple(out), tuple(figures), self.note)
