"""The two layer kinds of the model contract: Dense (with its parametrisation and base law) and Activation."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from verify.models._activations import activation as _activation
from verify.models._laws import law as _law
from verify.models._mlp._parametrization import parametrization


@dataclass(frozen=True)
class Dense:
    """A dense layer z = w_gain·(W a) + b_gain·b (see _parametrization for the numbers).

    out:   None — a hidden layer of width round(ratio·n), n the sweep variable; an int — a fixed size
           (the output layer has out = 1).
    C_W:   weight scale; C_b: bias scale, None for no bias (C_b = 0.0 is a bias that starts at 0 but is trained).
    law:   the base law 𝒟 of ζ (verify.models._laws)."""

    out: int | None = None
    parametrization: Any = "ntk"
    C_W: float = 1.0
    C_b: float | None = None
    law: str = "normal"
    ratio: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "parametrization", parametrization(self.parametrization))
        if self.out is not None and (isinstance(self.out, bool) or not isinstance(self.out, int) or self.out < 1):
            raise ValueError(f"Dense(out={self.out!r}): give None (the hidden width n) or an integer ≥ 1")
        if not (isinstance(self.C_W, (int, float)) and math.isfinite(self.C_W) and self.C_W > 0):
            raise ValueError(f"Dense(C_W={self.C_W!r}): the weight scale must be a finite number > 0")
        if self.C_b is not None and not (isinstance(self.C_b, (int, float)) and math.isfinite(self.C_b)
                                         and self.C_b >= 0):
            raise ValueError(f"Dense(C_b={self.C_b!r}): the bias scale must be a finite number ≥ 0, or None "
                             "for no bias")
        if not (isinstance(self.ratio, (int, float)) and math.isfinite(self.ratio) and self.ratio > 0):
            raise ValueError(f"Dense(ratio={self.ratio!r}): a hidden width is ratio·n with ratio > 0")
        _law(self.law)  # names the choices if unknown
        object.__setattr__(self, "C_W", float(self.C_W))
        if self.C_b is not None:
            object.__setattr__(self, "C_b", float(self.C_b))

    @property
    def has_bias(self) -> bool:
        return self.C_b is not None

    def size(self, width):
        """The number of units for the hidden width n (a Python int, or a traced scalar for padded widths)."""
        if self.out is not None:
            return self.out
        if isinstance(width, int):
            return max(1, round(self.ratio * width))
        import jax.numpy as jnp

        return jnp.maximum(1.0, jnp.round(self.ratio * width))

    def padded_size(self, pad_to: int) -> int:
        return self.out if self.out is not None else max(1, math.ceil(self.ratio * pad_to))

    def numbers(self, fan_in):
        return self.parametrization.numbers(fan_in, self.C_W, self.C_b)


@dataclass(frozen=True)
class Activation:
    """An elementwise activation layer: σ by name (verify.models._activations.activation) or an activation
    object with .name, .f, .df (kept as given)."""

    spec: Any

    def __post_init__(self):
        act = self.act  # resolves now, so a bad name fails where the model is built
        if not all(hasattr(act, a) for a in ("name", "f", "df")):
            raise ValueError(f"Activation({self.spec!r}): give an activation name (e.g. 'tanh') or an object with "
                             ".name, .f (σ) and .df (σ')")

    @property
    def act(self):
        return _activation(self.spec) if isinstance(self.spec, str) else self.spec

    @property
    def name(self) -> str:
        return self.spec if isinstance(self.spec, str) else self.act.name


Layer = Dense | Activation
