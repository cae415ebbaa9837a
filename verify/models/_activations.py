"""Activations for the JAX models: σ and its derivative σ' (used by the structured NTK formulas).

The JAX view of the one table (derive/activations.py): σ is a jnp function (jax.nn / jax.scipy where one
exists, else the table's SymPy expression lambdified to jax.numpy) and σ' is autodiff of σ, except for the
five catalogue activations, whose hand-written σ' are kept as they were (the catalogue's numbers do not move).
At a kink σ' takes its left-hand value, the table's convention (relu'(0) = 0, as jax.nn.relu's gradient).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from derive import activations as table
from verify._jax import jax, jnp


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable
    df: Callable
    smooth: bool  # C^2: needed where a claim assumes Lipschitz gradients (Assumption 11.12)
    spec: table.Activation | None = field(default=None, compare=False, repr=False)  # the table entry it realises


def _relu_df(t):
    # σ'(0) := 0, the convention of jax.nn.relu's gradient; a null set under every law used here.
    return jnp.where(t > 0, 1.0, 0.0)


# σ (and, for the catalogue's five, σ') as jnp functions; every other σ' is autodiff of σ
_F: dict[str, Callable] = {
    "tanh": jnp.tanh,
    "erf": jax.scipy.special.erf,
    "relu": jax.nn.relu,  # not jnp.maximum(t, 0): its gradient at a tie is ½, so autodiff disagreed with σ'(0) = 0
    "sin": jnp.sin,
    "identity": lambda t: t,
    "gelu": functools.partial(jax.nn.gelu, approximate=False),
    "softplus": jax.nn.softplus,
    "sigmoid": jax.nn.sigmoid,
    "silu": jax.nn.silu,
    "cos": jnp.cos,
    "abs": lambda t: jnp.where(t > 0, t, -t),  # σ'(0) = −1, the left-hand value (jnp.abs's gradient gives +1)
    "step": lambda t: jnp.where(t > 0, 1.0, 0.0),
}
_DF: dict[str, Callable] = {
    "tanh": lambda t: 1.0 - jnp.tanh(t) ** 2,
    "erf": lambda t: 2.0 / jnp.sqrt(jnp.pi) * jnp.exp(-(t**2)),
    "relu": _relu_df,
    "sin": jnp.cos,
    "identity": lambda t: jnp.ones_like(t),
}
_JAX_FUNCTIONS = {"erf": jax.scipy.special.erf, "erfc": jax.scipy.special.erfc}  # missing from SymPy's jax printer


def _lambdified(expr: sp.Expr) -> Callable:
    fn = sp.lambdify(table.T, expr, modules=[_JAX_FUNCTIONS, "jax"])
    return lambda t: jnp.broadcast_to(jnp.asarray(fn(t), dtype=jnp.result_type(float)), jnp.shape(t))


def _autodiff(f: Callable) -> Callable:
    """σ' elementwise by jax.grad of the scalar σ, for arrays of any shape."""
    return jnp.vectorize(jax.grad(f))


def _leaky(am: float, ap: float) -> tuple[Callable, Callable]:
    return (lambda t: jnp.where(t > 0, ap, am) * t), (lambda t: jnp.where(t > 0, ap, am) * jnp.ones_like(t))


@functools.lru_cache(maxsize=None)
def from_table(spec: table.Activation) -> Activation:
    """The JAX view of a table entry (derive.activations.Activation)."""
    builtin = table.TABLE.get(spec.name) == spec
    if spec.name.startswith("leaky_relu(") and spec.params:
        f, df = _leaky(*(v for _, v in spec.params))
    elif builtin and spec.name in _F:
        f, df = _F[spec.name], _DF.get(spec.name)
    else:
        f, df = _lambdified(spec.expr), None
    return Activation(spec.name, f, df or _autodiff(f), spec.smooth, spec)


ACTIVATIONS: dict[str, Activation] = {name: from_table(table.TABLE[name]) for name in ("tanh", "erf", "relu", "sin", "identity")}
"""The catalogue's activations (the column order of its samplers); `activation` resolves every table entry."""


def leaky_relu(a_minus: float, a_plus: float) -> Activation:
    """σ(t) = (a₋1_{t<0} + a₊1_{t>0})t, named "leaky_relu(a₋,a₊)" (the name `activation` accepts back)."""
    return from_table(table.leaky_relu(a_minus, a_plus))


def activation(name) -> Activation:
    """By name (derive.activations.NAMES: tanh, erf, relu, leaky_relu(a₋,a₊), gelu, softplus, sigmoid, silu,
    sin, cos, identity, abs, step), as a SymPy expression in t, or a table entry; an Activation is returned
    unchanged."""
    if isinstance(name, Activation):
        return name
    if isinstance(name, str) and name in ACTIVATIONS:
        return ACTIVATIONS[name]
    return from_table(table.resolve(name))
