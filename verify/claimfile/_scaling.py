"""kind = "scaling": an observable's mean ∝ width^p, p a formula (a ScalingLaw on the log-log slope)."""
from __future__ import annotations

from verify.checks import ScalingLaw, Series
from verify.claimfile import _budget
from verify.claimfile._defaults import EXPONENT, SCALING_WIDTHS, SWEEP_REPLICATES
from verify.claimfile._fields import Fields
from verify.claimfile._limit import FIELDS as LIMIT_FIELDS, given_sizes
from verify.claimfile._observable import bind, formula

FIELDS = {
    **{k: LIMIT_FIELDS[k] for k in ("observable", "params", "model", "column", "parameters", "widths",
                                          "replicates")},
    "exponent": "the claimed exponent p in mean ∝ width^p: a formula in the parameters, e.g. \"alpha - 1\"",
    "tolerance": "absolute tolerance on the exponent (default 0.1)",
}


def build(f: Fields):
    b = bind(f, needs_width=True)
    expr, p, text = formula(f, "exponent", b.names, b.subs, functions=b.functions)
    tol = f.number("tolerance", EXPONENT.value, positive=True)
    replicates = f.replicates("replicates", SWEEP_REPLICATES)
    plan = None if f.has("widths") else _budget.fitted_widths(b, SCALING_WIDTHS, replicates)
    widths = f.widths("widths", SCALING_WIDTHS) if plan is None else plan.widths
    _budget.enforce(f, b, widths=widths, replicates=replicates, given=given_sizes(f))
    series = Series(b.output, p, tol, text, "the claim's exponent, evaluated by SymPy")
    check = ScalingLaw(name=f"power law in {b.width_name} of {b.name}", sampler=b.sampler(), series=(series,),
                       widths=widths, replicates=replicates,
                       variable=b.width_name or "n")
    reading = (f"{b.describe()}: the slope of log(mean) against log {b.width_name} over widths "
               f"{', '.join(map(str, widths.quick))} (quick profile), with its interval, must lie within ±{tol:g} of "
               f"{text} = {p:.10g}. The mean must be positive." + (f" Sweep: {plan.describe()}." if plan else ""))
    return f.finish(FIELDS, (check,), reading)
