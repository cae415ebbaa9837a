"""Activations for the JAX models: σ and its derivative σ' (used by the structured NTK formulas)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from verify._jax import jax, jnp


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable
    df: Callable
    smooth: bool  # C^2: needed where a claim assumes Lipschitz gradients (Assumption 11.12)


def _relu_df(t):
    # σ'(0) := 0, the convention of jax.nn.relu's gradient; a null set under every law used here.
    return jnp.where(t > 0, 1.0, 0.0)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("tanh", jnp.tanh, lambda t: 1.0 - jnp.tanh(t) ** 2, True),
        Activation(
            "erf",
            jax.scipy.special.erf,
            lambda t: 2.0 / jnp.sqrt(jnp.pi) * jnp.exp(-(t**2)),
            True,
        ),
        Activation("relu", lambda t: jnp.maximum(t, 0.0), _relu_df, False),
        Activation("sin", jnp.sin, jnp.cos, True),
        Activation("identity", lambda t: t, lambda t: jnp.ones_like(t), True),
    )
}


def leaky_relu(a_minus: float, a_plus: float) -> Activation:
    """σ(t) = (a₋1_{t<0} + a₊1_{t>0})t, named "leaky_relu(a₋,a₊)" (the name `activation` accepts back)."""
    am, ap = float(a_minus), float(a_plus)
    return Activation(f"leaky_relu({am:g},{ap:g})", lambda t: jnp.where(t > 0, ap, am) * t,
                      lambda t: jnp.where(t > 0, ap, am) * jnp.ones_like(t), False)


def activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        pass
    if isinstance(name, str) and name.startswith("leaky_relu(") and name.endswith(")"):
        try:
            a_minus, a_plus = (float(v) for v in name[len("leaky_relu("):-1].split(","))
        except ValueError:
            raise ValueError(f"activation={name!r}: write a leaky ReLU as 'leaky_relu(a_minus,a_plus)' with two "
                             "numbers, e.g. 'leaky_relu(0.2,1)'") from None
        return leaky_relu(a_minus, a_plus)
    raise ValueError(
        f"activation={name!r} is not a built-in activation; choose one of {sorted(ACTIVATIONS)} "
        "or 'leaky_relu(a_minus,a_plus)'"
    )
