"""The catalogue's five models as instances of the contract.

Each catalogue model keeps its own parameter layout, its own draws and its structured fast paths (the
shallow block formulas, randnet's padded scan and Gram path, linear3's rank-one updates, …); here each gets
its spec and a converter from its parameters to the contract's (DenseParams per dense layer), so that the
generic path can be evaluated on the very parameters the fast path uses. tests/fast/test_mlp_model.py holds
outputs, tangent kernels and gradients of the two equal on seeded instances, and the init laws equal in law.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from verify._jax import jnp
from verify.models._mlp._layers import Activation, Dense
from verify.models._mlp._model import DenseParams, Model, serial
from verify.models._mlp._parametrization import Parametrization

_UNIT = Parametrization("power", 0.0)  # w_gain = √C_W = 1, w_var = 1: z = W a with W ~ 𝒟(0, 1)


@dataclass(frozen=True)
class Instance:
    """A catalogue model: spec(**options) → Model, to_generic(params, **options) → the contract's params."""

    name: str
    spec: Callable[..., Model]
    to_generic: Callable
    note: str


def shallow_spec(activation: str = "tanh", law: str = "normal") -> Model:
    """Φ(x,w) = vᵀσ(Ux+b)+c under LeCun init: U ~ 𝒟(0,1/d), v ~ 𝒟(0,1/n), b₀ = c₀ = 0 but trained
    (C_b = 0: a bias that starts at 0), standard parametrisation (K_n grows like n: the claims take K_n/n)."""
    return Model((Dense(None, "standard", 1.0, 0.0, law), Activation(activation), Dense(1, "standard", 1.0, 0.0, law)),
                 label=f"shallow ({activation}, LeCun, {law})")


def shallow_params(p) -> tuple:
    return DenseParams(p.U, p.b), (), DenseParams(p.v[None, :], jnp.reshape(p.c, (1,)))


def randnet_spec(arch) -> Model:
    """seed 004's deep net: W⁽ℓ⁾ ~ N(0, C_W/n_{ℓ−1}), no biases, hidden widths arch.widths (fixed sizes),
    one output (the contract's output is scalar; arch.n_out must be 1)."""
    if arch.n_out != 1:
        raise ValueError(f"n_out={arch.n_out}: the contract's models have one output; use n_out = 1")
    layers = []
    for n in arch.widths:
        layers += [Dense(int(n), "standard", arch.C_W), Activation(arch.sigma)]
    return Model((*layers, Dense(1, "standard", arch.C_W)), label=f"randnet ({arch.sigma}, L={arch.depth})")


def randnet_params(ws) -> tuple:
    out = []
    for W in ws[:-1]:
        out += [DenseParams(W, None), ()]
    return (*out, DenseParams(ws[-1], None))


def linear3_spec(alpha: float, gamma: float = 0.5) -> Model:
    """Φ = m^{−α}βᵀ(m^{−γ}A)u x, x ∈ ℝ: u the first layer (fan-in 1, gain 1), A a power(γ) layer, β a power(α)
    output layer, all N(0,1), no activations."""
    return Model((Dense(None, _UNIT), Dense(None, Parametrization("power", gamma)),
                  Dense(1, Parametrization("power", alpha))), label=f"linear3 (α={alpha:g}, γ={gamma:g})")


def linear3_params(p) -> tuple:
    return DenseParams(p.u[:, None], None), DenseParams(p.A, None), DenseParams(p.beta[None, :], None)


def two_layer_spec(activation: str) -> Model:
    """(1/√m)Σⱼ aⱼσ(⟨bⱼ,x⟩), aⱼ ~ N(0,1), bⱼ ~ N(0,I): a unit-gain hidden layer and an NTK output layer —
    the mean-field network f = √m·g of seed 003 §4 and the Chizat–Oyallon–Bach net of §5."""
    return Model((Dense(None, _UNIT), Activation(activation), Dense(1, "ntk")), label=f"two-layer ({activation})")


def meanfield_params(U) -> tuple:
    """verify.models.meanfield: rows uⱼ = (aⱼ, bⱼ) of U (m, 1+d), all unmasked."""
    return DenseParams(U[:, 1:], None), (), DenseParams(U[:, :1].T, None)


def chizat_params(w, m: int) -> tuple:
    """verify.models.chizat: w = (a, vec B), B ∈ ℝ^{m×d}."""
    return DenseParams(w[m:].reshape(m, -1), None), (), DenseParams(w[None, :m], None)


CATALOGUE: dict[str, Instance] = {i.name: i for i in (
    Instance("shallow", shallow_spec, shallow_params, "seeds 000/001 §11.5: one hidden layer, LeCun init"),
    Instance("randnet", randnet_spec, randnet_params, "seed 004: deep net, W ~ N(0, C_W/fan-in), no biases"),
    Instance("linear3", linear3_spec, linear3_params, "seed 003 §3: m^{−α}βᵀ(m^{−γ}A)u x"),
    Instance("meanfield", two_layer_spec, meanfield_params, "seed 003 §4: f = √m·g, φ(u) = aσ(⟨b,x⟩)"),
    Instance("chizat", lambda: two_layer_spec("tanh"), chizat_params, "seed 003 §5: m^{−1/2}Σ aⱼtanh(⟨bⱼ,x⟩)"),
)}
