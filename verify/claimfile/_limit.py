"""kind = "limit": an observable's mean tends to a formula as the width → ∞ (a LimitSweep)."""
from __future__ import annotations

from verify.checks import LimitSweep, Series
from verify.claimfile import _budget
from verify.claimfile._defaults import FLUCTUATION, LIMIT_REL, LIMIT_WIDTHS, SWEEP_REPLICATES
from verify.claimfile._fields import Fields
from verify.claimfile._observable import bind, formula

FIELDS = {
    "observable": "a registered observable, e.g. \"shallow.ntk_over_n\" (`ntkverify observables` lists them)",
    "params": "table of the observable's parameters, e.g. {activation = \"erf\", x = [0.6, 0.8]}",
    "model": "[claim.model]: the network of an mlp.* observable, e.g. {depth = 2, activation = \"relu\", "
             "parametrization = \"ntk\", C_W = 2} (activation: a name or a formula in t)",
    "column": "output name or index (default 0)",
    "expected": "the claimed limit: a SymPy formula in the numeric parameters (vectors: dot(x, z), x1, d) or a number",
    "tolerance": "relative tolerance on the limit (default 0.02)",
    "abs_tolerance": "absolute tolerance on the limit (overrides tolerance; needed when the limit is 0)",
    "parameters": "table of named constants the formulas may use, e.g. {alpha = 0.5}",
    "widths": "widths of the sweep: a list, or {quick = [...], standard = [...], full = [...]}",
    "replicates": "replicates per width at the first look (an integer or a per-profile table)",
    "bias_order": "the finite-width correction is fitted as c·n^-bias_order (default 1)",
    "fluctuation_exponent": "Var(observable) ∝ n^this (default -1, the CLT rate of an average over n units)",
}


def tolerance(f: Fields, value: float, default_rel: float) -> tuple[float, str]:
    rel = f.number("tolerance", default_rel, positive=True)
    absolute = f.number("abs_tolerance", None, positive=True)
    if absolute is not None:
        return absolute, f"±{absolute:g}"
    if value == 0:
        raise f.error("tolerance", "the expected value is 0, so a relative tolerance accepts nothing; "
                                   "give abs_tolerance = <largest accepted |error|>")
    return rel * abs(value), f"±{rel:g} relative"


def given_sizes(f: Fields) -> tuple[str, ...]:
    """The size fields the claim itself gave (the others are ours, fitted to the budget)."""
    return tuple(k for k in ("widths", "width", "replicates") if f.has(k))


def build(f: Fields):
    b = bind(f, needs_width=True)
    expr, value, text = formula(f, "expected", b.names, b.subs, functions=b.functions)
    tol, tol_text = tolerance(f, value, LIMIT_REL.value)
    replicates = f.replicates("replicates", SWEEP_REPLICATES)
    plan = None if f.has("widths") else _budget.fitted_widths(b, LIMIT_WIDTHS, replicates)
    widths = f.widths("widths", LIMIT_WIDTHS) if plan is None else plan.widths
    _budget.enforce(f, b, widths=widths, replicates=replicates, given=given_sizes(f))
    fluct = f.number("fluctuation_exponent", -1.0)
    bias_order = f.number("bias_order", 1.0, positive=True)
    series = Series(b.output, value, tol, text, "the claim's formula, evaluated by SymPy at 30 digits")
    check = LimitSweep(name=f"width sweep of {b.name}", sampler=b.sampler(), series=(series,), widths=widths,
                       replicates=replicates, bias_order=bias_order,
                       fluctuation_exponent=fluct, exponent_tol=FLUCTUATION.value)
    reading = (f"{b.describe()}: the mean over replicates at widths {b.width_name} = {', '.join(map(str, widths.quick))} "
               f"(quick profile) is fitted by L + c·{b.width_name}^-{bias_order:g}; the extrapolated L must equal "
               f"{text} = {value:.10g} within {tol_text}, and the variance must scale like "
               f"{b.width_name}^{fluct:g} (±{FLUCTUATION.value:g})." + (f" Sweep: {plan.describe()}." if plan else ""))
    return f.finish(FIELDS, (check,), reading)
