"""Parametrisations of a dense layer: the per-layer numbers (fan_in, w_gain², w_var, b_gain², b_var).

The forward pass of a dense layer is z = w_gain·(W a) + b_gain·b with stored parameters
W_ij = √w_var·ζ and b_i = √b_var·ζ, ζ iid from a base law 𝒟 (mean 0, variance 1). A parametrisation
is how the four numbers depend on the layer's fan-in and on C_W, C_b:

    standard  (LeCun)       w_gain = 1,                 w_var = C_W/fan_in,  b_gain = 1,    b_var = C_b
    ntk                     w_gain = √(C_W/fan_in),     w_var = 1,           b_gain = √C_b, b_var = 1
    meanfield (μP output)   w_gain = √C_W/fan_in,       w_var = 1,           b_gain = √C_b, b_var = 1
    power(α)  (seed 003 §3) w_gain = √C_W·fan_in^(−α),  w_var = 1,           b_gain = √C_b, b_var = 1

Every parametrisation gives the same forward law at init up to the factor w_gain²·w_var·fan_in
(C_W for standard and ntk); they differ in what gradients see (the tangent kernel). No bias
(C_b = None) is b_gain² = b_var = 0. numeric.kernels_f64.dense / kernels_mp.dense take exactly these
numbers. fan_in may be a traced JAX scalar (padded widths): the numbers use only arithmetic.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

KINDS = ("standard", "ntk", "meanfield", "power")


class DenseNumbers(NamedTuple):
    """What the kernel maps need of one dense layer (the keyword names of numeric.kernels_*.dense)."""

    fan_in: Any
    w_gain2: Any
    w_var: Any
    b_gain2: Any
    b_var: Any


@dataclass(frozen=True)
class Parametrization:
    kind: str
    alpha: float | None = None  # power(α) only

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"parametrization={self.kind!r} is not one of {', '.join(KINDS)}; "
                             "write e.g. 'ntk' or 'power(0.5)'")
        if (self.kind == "power") != (self.alpha is not None):
            raise ValueError(f"parametrization {self.kind!r} with alpha={self.alpha!r}: only 'power' takes an "
                             "exponent; write 'power(0.5)'")
        if self.alpha is not None:
            object.__setattr__(self, "alpha", float(self.alpha))

    def __str__(self) -> str:
        return f"power({self.alpha:g})" if self.kind == "power" else self.kind

    def numbers(self, fan_in, C_W: float, C_b: float | None) -> DenseNumbers:
        if self.kind == "standard":
            w_gain2, w_var, b_gain2, b_var = 1.0, C_W / fan_in, 1.0, C_b
        else:
            w_var, b_gain2, b_var = 1.0, C_b, 1.0
            if self.kind == "ntk":
                w_gain2 = C_W / fan_in
            elif self.kind == "meanfield":
                w_gain2 = C_W / fan_in**2
            else:
                w_gain2 = C_W * fan_in ** (-2.0 * self.alpha)
        if C_b is None:
            b_gain2 = b_var = 0.0
        return DenseNumbers(fan_in, w_gain2, w_var, b_gain2, b_var)


def _exponent(text: str, original: Any) -> float:
    try:
        return float(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"parametrization={original!r}: the exponent {text.strip()!r} is not a number; "
                         "write e.g. 'power(0.5)' or 'power(1/3)'") from None


def parametrization(value: Any) -> Parametrization:
    """A Parametrization from itself, a name ('standard', 'ntk', 'meanfield'), 'power(α)' (α a number or a
    fraction such as 1/3) or a pair ('power', α)."""
    if isinstance(value, Parametrization):
        return value
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "power":
        return Parametrization("power", float(value[1]))
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        if text.startswith("power(") and text.endswith(")"):
            return Parametrization("power", _exponent(text[len("power("):-1], value))
        if text in KINDS and text != "power":
            return Parametrization(text)
    raise ValueError(f"parametrization={value!r} is not one of 'standard', 'ntk', 'meanfield' or 'power(alpha)'; "
                     "write e.g. parametrization = \"ntk\" or \"power(1/3)\"")
