"""What a claim file's [claim.model] adds: activations written as formulas in t, and the formula
functions nngp(x, z), ntk(x, z) — the model's infinite-width kernels at the claim's inputs, by the
float64 recursion of verify.models.reference (closed forms where they exist, Gauss–Hermite otherwise;
tests hold it against the certified mpmath path to ~1e-12). The mpmath path would certify more digits
than any Monte Carlo comparison resolves, at seconds to minutes per kernel for an activation without a
closed form."""
from __future__ import annotations

import functools

import mpmath
import sympy as sp

from verify.claimfile import _expr

KERNEL_DIGITS = 12  # digits of nngp()/ntk() kept: the float64 recursion's agreement with the mpmath path
PRECISION = "f64"
FAR_WIDTH = 10**12  # where a width-dependent kernel is read off as its limit (lower orders: ~1e-12 relative)


def activation_names() -> tuple[str, ...]:
    from derive.activations import TABLE

    return tuple(TABLE)


def known_activation(name: str) -> bool:
    from derive.activations import resolve

    try:
        resolve(name)
        return True
    except ValueError:
        return False


def activation_from_formula(text: str):
    """The JAX/mpmath/SymPy activation of σ(t) = text, parsed by the formula language (never evaluated)."""
    from derive.activations import T, from_expression
    from verify.models._activations import from_table

    expr = _expr.parse(text, {"t": T})
    try:
        return from_table(from_expression(expr, name=text))
    except ValueError as exc:
        raise _expr.FormulaError(str(exc)) from None


def _point(v, subs, what: str) -> tuple[float, ...]:
    if not isinstance(v, sp.MatrixBase):
        raise _expr.FormulaError(f"{what} takes input vectors (parameters such as x and z), got {v}")
    values = [sp.N(c.xreplace(subs), 30) for c in v]
    if not all(c.is_Number for c in values):
        raise _expr.FormulaError(f"{what}: the inputs must be numbers (declared vector parameters)")
    return tuple(float(c) for c in values)


@functools.lru_cache(maxsize=256)
def kernel_limit(model, x: tuple, z: tuple, which: str) -> float:
    """lim Θ_n(x,z)/n^p (p: the model's NTK order, as the mlp.ntk observable's normalised column) or the
    NNGP E f(x)f(z) at infinite width."""
    from verify.models import reference

    d = len(x)
    if reference._width_free(model, d):
        kern = reference.nngp_ntk(model, [x, z], None, PRECISION)
        value = (kern.nngp if which == "nngp" else kern.ntk)[0][1]
        return float(value)
    kern = reference.nngp_ntk(model, [x, z], FAR_WIDTH, PRECISION)
    if which == "ntk":
        return float(mpmath.mpf(float(kern.ntk[0][1])) / mpmath.mpf(FAR_WIDTH) ** model.ntk_exponent(d))
    near = reference.nngp_ntk(model, [x, z], FAR_WIDTH // 1000, PRECISION)
    far_value, near_value = mpmath.mpf(float(kern.nngp[0][1])), mpmath.mpf(float(near.nngp[0][1]))
    if abs(far_value - near_value) > 1e-6 * max(abs(far_value), 1e-300):
        raise _expr.FormulaError(f"nngp(): the NNGP kernel of {model} depends on the width (no finite limit); "
                                 "compare the observable with a width-scaled formula instead")
    return float(far_value)


def kernel_functions(model, subs: dict) -> dict:
    """Formula functions nngp(x, z) and ntk(x, z) of `model`, numbers as soon as their inputs are."""

    def make(which: str):
        def fn(x, z):
            a, b = _point(x, subs, f"{which}()"), _point(z, subs, f"{which}()")
            if len(a) != len(b):
                raise _expr.FormulaError(f"{which}(): inputs of lengths {len(a)} and {len(b)}")
            return sp.Float(kernel_limit(model, a, b, which), KERNEL_DIGITS)
        return fn

    return {"nngp": (make("nngp"), (2,)), "ntk": (make("ntk"), (2,))}
