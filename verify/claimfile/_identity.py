"""kind = "identity": lhs = rhs for all values of the symbols (within their assumptions).

Two views. SymPy decides when it can: lhs − rhs simplifies to 0 (PASS) or SymPy shows it is not
identically 0 (FAIL); otherwise its comparison is undecided. Independently, both sides are
evaluated with mpmath at 50 digits at seeded random points of the domain: a relative difference
beyond round-off is a FAIL whose counterexample is the point.
"""
from __future__ import annotations

import math
import zlib

import mpmath
import numpy as np
import sympy as sp

from verify._model import Check, Comparison, View
from verify.checks import Exact, exact, symbolic
from verify.claimfile import _expr
from verify.claimfile._defaults import IDENTITY_POINTS, IDENTITY_REL
from verify.claimfile._errors import hint
from verify.claimfile._fields import Fields, _is_number
from verify.stats import Band, Decision

FIELDS = {
    "lhs": "left-hand side, a SymPy formula, e.g. \"sin(2*x)\"",
    "rhs": "right-hand side, a SymPy formula, e.g. \"2*sin(x)*cos(x)\"",
    "assumptions": "table symbol -> assumptions, e.g. {x = \"positive\", n = \"positive integer\"} (default: real)",
    "domain": "table symbol -> [lo, hi] for the numeric view (default from the assumptions, e.g. [-4, 4])",
    "points": "random points of the numeric view (default 20 / 60 / 200 by profile)",
}
ASSUMPTIONS = ("real", "positive", "negative", "nonnegative", "nonpositive", "nonzero", "integer", "even", "odd",
               "rational")
DPS = 50


def _default_domain(a: dict) -> tuple[float, float]:
    if a.get("positive"):
        return (1.0, 8.0) if a.get("integer") else (0.1, 4.0)
    if a.get("nonnegative"):
        return (0.0, 4.0)
    if a.get("negative"):
        return (-8.0, -1.0) if a.get("integer") else (-4.0, -0.1)
    if a.get("nonpositive"):
        return (-4.0, 0.0)
    return (-6.0, 6.0) if a.get("integer") else (-4.0, 4.0)


def read_assumptions(f: Fields, name: str = "assumptions") -> dict[str, dict]:
    out = {}
    for sym, text in f.table(name, {}).items():
        words = text.replace(",", " ").split() if isinstance(text, str) else text
        if not isinstance(words, (list, tuple)) or not words or not all(isinstance(w, str) for w in words):
            raise f.error(f"{name}.{sym}", f"expected assumption names like \"positive\" or \"positive integer\", got {text!r}")
        for w in words:
            if w not in ASSUMPTIONS:
                raise f.error(f"{name}.{sym}", f"{w!r} is not a supported assumption" + hint(w, ASSUMPTIONS, "supported"))
        out[sym] = {w: True for w in words} | {"real": True}
    return out


def read_domain(f: Fields, symbols, assumptions: dict, name: str = "domain") -> dict[str, tuple[float, float]]:
    given = f.table(name, {})
    names = [s.name for s in symbols]
    for k in given:
        if k not in names:
            raise f.error(f"{name}.{k}", f"{k!r} is not a symbol of the formulas" + hint(k, names, "symbols"))
    out = {}
    for s in symbols:
        a = assumptions.get(s.name, {})
        lo, hi = _default_domain(a)
        if s.name in given:
            v = given[s.name]
            if (not isinstance(v, (list, tuple)) or len(v) != 2 or not all(_is_number(t) and math.isfinite(t) for t in v)
                    or not v[0] < v[1]):
                raise f.error(f"{name}.{s.name}", f"expected [lo, hi] with lo < hi, finite numbers; got {v!r}")
            lo, hi = float(v[0]), float(v[1])
            if (a.get("positive") or a.get("nonnegative")) and lo < 0:
                raise f.error(f"{name}.{s.name}", f"[{lo:g}, {hi:g}] includes negative values, but {s.name} is assumed "
                                                  "positive/nonnegative; start the domain at 0 or drop the assumption")
            if (a.get("negative") or a.get("nonpositive")) and hi > 0:
                raise f.error(f"{name}.{s.name}", f"[{lo:g}, {hi:g}] includes positive values, but {s.name} is assumed "
                                                  "negative/nonpositive")
        if a.get("integer") and not len(_integers(lo, hi, a)):
            raise f.error(f"{name}.{s.name}", f"[{lo:g}, {hi:g}] holds no integer allowed by the assumptions of {s.name}")
        out[s.name] = (lo, hi)
    return out


def rng_for(seed: int, *path) -> np.random.Generator:
    return np.random.default_rng([seed, *(zlib.crc32(str(p).encode()) for p in path)])


def _integers(lo: float, hi: float, a: dict) -> np.ndarray:
    vals = np.arange(math.ceil(lo), math.floor(hi) + 1)
    if a.get("even") or a.get("odd"):
        vals = vals[vals % 2 == (0 if a.get("even") else 1)]
    if a.get("nonzero") or a.get("positive") or a.get("negative"):
        vals = vals[vals != 0]
    return vals


def draw_point(rng: np.random.Generator, symbols, domain, assumptions) -> dict:
    point = {}
    for s in symbols:
        lo, hi = domain[s.name]
        a = assumptions.get(s.name, {})
        if a.get("integer"):
            point[s] = int(rng.choice(_integers(lo, hi, a)))
        else:
            v = float(rng.uniform(lo, hi))
            point[s] = (lo + hi) / 2 if v == 0 and (a.get("nonzero") or a.get("positive") or a.get("negative")) else v
    return point


def mp_eval(fn, point: dict, symbols):
    """fn at the point, at 50 digits; None where it is undefined (a pole, a branch cut, NaN)."""
    with mpmath.workdps(DPS):
        try:
            v = fn(*(mpmath.mpf(point[s]) for s in symbols))
            v = mpmath.mpmathify(v)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return None
        if not mpmath.isfinite(v):
            return None
        return v


def _fmt_point(point: dict) -> str:
    return ", ".join(f"{s.name}={v!r}" for s, v in point.items())


def relative_gap(a, b):
    with mpmath.workdps(DPS):
        return abs(a - b) / max(abs(a), abs(b), mpmath.mpf(1))


def _constant_zero(d, anchor: dict, domain: dict) -> bool:
    """One symbol s, d continuous on the whole interval (SymPy's continuous_domain), d' ≡ 0 and
    d = 0 at the anchor: then d ≡ 0 there. (Several symbols: no proof attempted.)"""
    from sympy.calculus.util import continuous_domain

    if len(d.free_symbols) != 1:
        return False
    (s,) = d.free_symbols
    lo, hi = (sp.nsimplify(v) for v in domain[s.name])
    try:
        if continuous_domain(d, s, sp.Interval(lo, hi)) != sp.Interval(lo, hi):
            return False
        if sp.simplify(sp.diff(d, s)) != 0:
            return False
        at = sp.simplify(d.xreplace({s: anchor[s.name] for s in d.free_symbols}))
        return at == 0
    except Exception:  # no proof
        return False


def anchor_point(symbols, domain) -> tuple[dict, dict]:
    """An exact point inside the domain box (its midpoint, as a rational), and the box."""
    mid = {s.name: sp.Rational((domain[s.name][0] + domain[s.name][1]) / 2).limit_denominator(1000) for s in symbols}
    return mid, domain


def symbolic_comparison(lhs, rhs, label: str, anchor: tuple[dict, dict] | None = None) -> Comparison:
    """SymPy's decision on lhs − rhs ≡ 0; undecided when it can neither simplify to 0 nor disprove.
    With an anchor point of a connected domain, zero partial derivatives plus a zero at the anchor
    also prove it (e.g. asin ρ + acos ρ − π/2)."""
    d = lhs - rhs
    for how, simp in (("simplify", sp.simplify), ("simplify after expand_trig", lambda e: sp.simplify(sp.expand_trig(e))),
                      ("simplify after rewrite(exp)", lambda e: sp.simplify(e.rewrite(sp.exp)))):
        try:
            r = simp(d)
        except Exception:  # a rewrite SymPy cannot do is no proof either way
            continue
        if r == 0:
            return symbolic(label, True, lhs, rhs, f"SymPy: {how}(lhs − rhs) = 0")
    residual = sp.simplify(d)
    if anchor is not None and _constant_zero(residual, *anchor):
        where = ", ".join(f"{k}={v}" for k, v in anchor[0].items())
        return symbolic(label, True, lhs, rhs, f"SymPy: lhs − rhs is continuous on the domain, its derivative "
                                               f"simplifies to 0 and it is 0 at {where}")
    try:
        eq = d.equals(0)
    except Exception:
        eq = None
    if eq is True:
        return symbolic(label, True, lhs, rhs, "SymPy: (lhs − rhs).equals(0) is True", residual=str(residual))
    if eq is False:
        return symbolic(label, False, lhs, rhs, "SymPy: (lhs − rhs).equals(0) is False (not identically zero)",
                        residual=str(residual))
    shown = " ".join(str(residual).split())
    return Comparison(label, View.SYMBOLIC, "0", f"residual {shown[:100]}", (0.0, 0.0), Band(0.0, 0.0),
                      Decision.UNDECIDED, 0.0, 0.0,
                      reference="SymPy could neither simplify lhs − rhs to 0 nor show it is nonzero",
                      detail={"derived": str(lhs), "stated": str(rhs), "residual": str(residual)})


# SymPy's simplify and mpmath's evaluation of an unevaluated integral can run for hours on a
# formula that parses in a millisecond; past this the view is undecided, never a hung run.
IDENTITY_SECONDS = 60.0
IDENTITY_MAX_POINTS = 10_000  # 50-digit evaluations: ~10⁴ take about a minute for a formula of a few dozen operations


def bounded(compute, label: str, view: View) -> Comparison:
    """compute() under the identity time limit; past it an undecided comparison that says so."""
    from verify._limits import DeadlineExceeded, deadline

    try:
        with deadline(IDENTITY_SECONDS, f"{view.value} view of {label!r}"):
            return compute()
    except DeadlineExceeded as exc:
        return Comparison(label, view, "0", "not computed", (0.0, 0.0), Band(0.0, 0.0), Decision.UNDECIDED, 0.0, 0.0,
                          reference=f"{exc}: no decision (simplify the formula, or narrow its domain)")


def numeric_comparison(ctx, lhs, rhs, symbols, domain, assumptions, count: int, label: str) -> Comparison:
    """Both sides at `count` seeded random points, 50 digits; the worst relative difference decides."""
    f_l = sp.lambdify(symbols, lhs, modules="mpmath")
    f_r = sp.lambdify(symbols, rhs, modules="mpmath")
    rng = rng_for(ctx.seed, label)
    worst, worst_pt, worst_vals, used, tried = mpmath.mpf(0), None, None, 0, 0
    while used < count and tried < 20 * count:
        tried += 1
        pt = draw_point(rng, symbols, domain, assumptions)
        a, b = mp_eval(f_l, pt, symbols), mp_eval(f_r, pt, symbols)
        if a is None and b is None:
            continue
        used += 1
        if a is None or b is None:  # defined on one side only: not the same function
            worst, worst_pt, worst_vals = mpmath.inf, pt, (a, b)
            break
        g = relative_gap(a, b)
        if worst_pt is None or g > worst:
            worst, worst_pt, worst_vals = g, pt, (a, b)
    if worst_pt is None:
        raise RuntimeError(f"neither side is defined at {tried} random points of the domain {domain}")
    a, b = worst_vals
    show = lambda v: "undefined" if v is None else mpmath.nstr(v, 20)
    name = (f"{label}: lhs − rhs at {used} random points (50 digits), worst at {_fmt_point(worst_pt)}: "
            f"lhs = {show(a)}, rhs = {show(b)}")
    measured = float(worst) if mpmath.isfinite(worst) else math.inf
    return exact(name, 0.0, measured, IDENTITY_REL.value, "relative difference |lhs − rhs|/max(|lhs|, |rhs|, 1)",
                 view=View.CLOSED_FORM, point={s.name: v for s, v in worst_pt.items()}, lhs=show(a), rhs=show(b),
                 points=used, domain=domain)


def probe(f: Fields, field: str, expr, symbols, domain, assumptions) -> None:
    """A side that is undefined (NaN, a pole) at every one of 8 probe points is bad input, not a FAIL."""
    fn = sp.lambdify(symbols, expr, modules="mpmath")
    rng = rng_for(0, "probe", field)
    pts = [draw_point(rng, symbols, domain, assumptions) for _ in range(8)]
    if all(mp_eval(fn, p, symbols) is None for p in pts):
        raise f.error(field, f"{str(expr)!r} evaluates to NaN, infinity or a complex number at every probe point, "
                             f"e.g. {_fmt_point(pts[0]) or 'no symbols'}; check the formula and the domain")


def parse_sides(f: Fields, names: dict, fields=("lhs", "rhs"), assumptions: dict | None = None):
    """Parse formulas whose free names become real symbols (with the declared assumptions)."""
    assumptions = assumptions or {}
    raw = [f.raw(k) for k in fields]
    seen: set[str] = set().union(*(_expr.names_in(text) for text in raw))
    for k in assumptions:
        if k not in seen:
            raise f.error(f"assumptions.{k}", f"{k!r} does not occur in the formulas" + hint(k, sorted(seen), "symbols"))
    syms = {n: _expr.symbol(n, **{**assumptions.get(n, {}), "real": True}) for n in sorted(seen) if n not in names}
    exprs = []
    for k, text in zip(fields, raw):
        try:
            exprs.append(_expr.parse(text, {**names, **syms}))
        except _expr.FormulaError as exc:
            raise f.error(k, str(exc)) from None
    symbols = sorted({s for e in exprs for s in e.free_symbols}, key=lambda s: s.name)
    return exprs, symbols


def build(f: Fields):
    assumptions = read_assumptions(f)
    (lhs, rhs), symbols = parse_sides(f, {}, assumptions=assumptions)
    domain = read_domain(f, symbols, assumptions)
    points = f.integer("points", None, minimum=1, maximum=IDENTITY_MAX_POINTS)
    count = IDENTITY_POINTS if points is None else type(IDENTITY_POINTS)(points, points, points)
    probe(f, "lhs", lhs, symbols, domain, assumptions)
    probe(f, "rhs", rhs, symbols, domain, assumptions)
    label = f"{f.raw('lhs')} = {f.raw('rhs')}"
    checks: tuple[Check, ...] = (
        Exact("SymPy simplification", View.SYMBOLIC,
              lambda ctx: [bounded(lambda: symbolic_comparison(lhs, rhs, label, anchor_point(symbols, domain)),
                                   label, View.SYMBOLIC)]),
        Exact("50-digit evaluation at random points", View.CLOSED_FORM,
              lambda ctx: [bounded(lambda: numeric_comparison(ctx, lhs, rhs, symbols, domain, assumptions,
                                                              count(ctx.profile), label), label, View.CLOSED_FORM)]),
    )
    dom = ", ".join(f"{k} ∈ [{lo:g}, {hi:g}]" for k, (lo, hi) in domain.items()) or "no symbols"
    reading = (f"lhs − rhs ≡ 0 for real symbols{' with ' + str({k: sorted(v) for k, v in assumptions.items()}) if assumptions else ''}: "
               f"SymPy simplifies lhs − rhs (PASS at 0, FAIL if SymPy shows it nonzero); independently both sides at "
               f"seeded random points ({dom}) with mpmath at {DPS} digits must agree to a relative "
               f"{IDENTITY_REL.value:g} (a larger gap is a counterexample).")
    return f.finish(FIELDS, checks, reading)
