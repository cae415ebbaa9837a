"""Observables of the meanfield group (g(u) = (1/m)Σⱼφ(uⱼ) and the two-layer net of seed 003 §4 (issue #6)).

Two models, each one jitted function of (key, m, r) padded to a fixed length M (the sweep's largest
width), so one XLA compilation serves every width of an m-sweep; `paired_step_sampler` measures each
draw at every step size of an ‖h‖-sweep (common random numbers, for checks.PairedScalingLaw):
  scalar     — u ~ N(0, I_m), φ ∈ models.meanfield.PHIS: m‖∇g‖², max|φ''|, the remainder of f = √m g's
               first-order expansion along the worst coordinate and a random direction (‖h‖ = r);
  two_layer  — uⱼ = (aⱼ, bⱼ) ~ N(0, I_{1+d}), φ(uⱼ) = aⱼσ(⟨bⱼ,x⟩) at the inputs X_INPUTS: entries and
               operator norm of Dg Dgᵀ, and a step h = r∇f/‖∇f‖ (the tangent-feature direction, ‖h‖ = r)
               for the net f at x₁: remainder, relative change of ∇f, output change.
Derivatives are JAX autodiff of g itself, never the formulas under test.
"""
from __future__ import annotations

import functools

import numpy as np

from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models import meanfield as model
from verify.observables._cost import per_replicate
from verify.observables._base import (PAD, Observable, Param, pad_length, padded_sampler, padding, register,
                                     unpadded)

SCALAR_OUTPUTS = ("m‖∇g(u⁰)‖²", "‖∇g(u⁰)‖²", "maxⱼ|φ''(u⁰ⱼ)|", "|R| worst coordinate", "|R| random direction",
                  "|R|·2√m/(‖φ''‖_∞‖h‖²) worst", "|R|·2√m/(‖φ''‖_∞‖h‖²) random")
TWO_LAYER_OUTPUTS = ("m(DgDgᵀ)₁₁", "m(DgDgᵀ)₁₂", "m(DgDgᵀ)₂₂", "m‖DgDgᵀ‖_op", "‖DgDgᵀ‖_op", "√m‖Dg‖_op",
                     "‖Dg‖_op", "‖∇f(u⁰)‖", "|R| along ∇f", "‖∇f(u⁰+h)−∇f(u⁰)‖/‖∇f(u⁰)‖", "|f(u⁰+h)−f(u⁰)|",
                     "|R| along one neuron", "√m‖DgDgᵀ‖_op")
ELEMENTS_PER_CHUNK = 2**21  # replicates × M per vmapped chunk: the two-layer Jacobian holds 6M doubles per replicate


def _chunk(M: int) -> int:
    return int(max(16, min(256, ELEMENTS_PER_CHUNK // M)))


@functools.lru_cache(maxsize=None)
def _scalar_fn(M: int, phi_name: str):
    """key, m, r → SCALAR_OUTPUTS. R(h) = f(u+h) − f(u) − ⟨∇f(u), h⟩, ∇f by autodiff; the worst coordinate
    is j* = argmaxⱼ|φ''(uⱼ)| (h = r e_{j*}: the direction in which the O(‖h‖²/√m) bound is attained)."""
    spec = model.phi_of(phi_name)
    phi, d2 = spec.fn, model.second_derivative(spec.fn)

    def one(key, m, r):
        ku, kh = jax.random.split(key)
        msk = model.mask(M, m)
        u = jax.random.normal(ku, (M,)) * msk
        f = lambda v: model.f_scalar(v, msk, m, phi)
        grad_g = jax.grad(model.g_scalar)(u, msk, m, phi)
        n2 = grad_g @ grad_g
        curv = jnp.abs(d2(u)) * msk
        star = jnp.argmax(curv)
        f0, grad_f = f(u), jax.grad(f)(u)
        h_worst = r * jax.nn.one_hot(star, M)
        z = jax.random.normal(kh, (M,)) * msk
        h_rand = r * z / jnp.linalg.norm(z)
        rem = lambda h: jnp.abs(f(u + h) - f0 - grad_f @ h)
        rw, rr = rem(h_worst), rem(h_rand)
        scale = spec.sup_second * r**2 / (2 * jnp.sqrt(m))
        return jnp.stack([m * n2, n2, jnp.max(curv), rw, rr, rw / scale, rr / scale])

    return one


@functools.lru_cache(maxsize=None)
def _two_layer_fn(M: int, activation: str):
    """key, m, r → TWO_LAYER_OUTPUTS (d = 2, n = 2 inputs)."""
    sigma = model.act_of(activation)
    X = jax.device_put(model.X_INPUTS)  # device_put (here and below): eager jnp.asarray compiles per shape
    d = X.shape[1]

    def one(key, m, r):
        ka, kb = jax.random.split(key)
        msk = model.mask(M, m)
        U = jnp.concatenate([jax.random.normal(ka, (M, 1)), jax.random.normal(kb, (M, d))], axis=1) * msk[:, None]
        D = jax.jacrev(model.g_two_layer)(U, msk, m, X, sigma).reshape(X.shape[0], -1)  # n × (1+d)M
        G = D @ D.T
        op = jnp.max(jnp.linalg.eigvalsh(G))
        f = lambda V: model.f_two_layer(V, msk, m, X[0], sigma)
        f0, grad_f = f(U), jax.grad(f)(U)
        gn = jnp.linalg.norm(grad_f)
        h = r * grad_f / gn
        f1 = f(U + h)
        rem = jnp.abs(f1 - f0 - jnp.sum(grad_f * h))
        tangent = jnp.linalg.norm(jax.grad(f)(U + h) - grad_f) / gn
        # one neuron: h = r·v on u₁, v the eigenvector of D²φ(u₁) of largest |λ| (where O(‖h‖²/√m) is attained)
        lam, vec = jnp.linalg.eigh(jax.hessian(model.phi_two_layer)(U[0], X[:1], sigma)[0])
        v = vec[:, jnp.argmax(jnp.abs(lam))]
        h1 = jnp.zeros_like(U).at[0].set(r * v)
        rem1 = jnp.abs(f(U + h1) - f0 - jnp.sum(grad_f * h1))
        return jnp.stack([m * G[0, 0], m * G[0, 1], m * G[1, 1], m * op, op, jnp.sqrt(m * op), jnp.sqrt(op),
                          gn, rem, tangent, jnp.abs(f1 - f0), rem1, jnp.sqrt(m) * op])

    return one


def _sampler(fn_for, r: float, pad: int | None):
    """sample(key, m, count, max_width=None) at ‖h‖ = r, padded to `pad`, else the sweep's max_width, else m."""
    if not (isinstance(r, (int, float)) and np.isfinite(r) and r > 0):
        raise ValueError(f"r={r!r}: the step size ‖h‖ must be a positive finite number")
    return padded_sampler(fn_for, pad, jax.device_put(np.float64(r)), chunk=_chunk)


def scalar_sampler(phi: str = "sin", r: float = 0.5, *, pad: int | None = None):
    model.phi_of(phi)
    return _sampler(lambda M: _scalar_fn(M, phi), r, pad)


def two_layer_sampler(activation: str = "erf", r: float = 1.0, *, pad: int | None = None):
    model.act_of(activation)
    return _sampler(lambda M: _two_layer_fn(M, activation), r, pad)


def paired_step_sampler(kind: str, name: str, m: int, steps: tuple, r_scale: float, columns: tuple,
                        pad: int | None = None):
    """sample(key, None, count) → (count, len(columns)·len(steps)), column-major: each replicate is one u⁰
    at width m, measured at every ‖h‖ = k/r_scale for k in steps (for checks.PairedScalingLaw). The same keys
    at every ‖h‖ give the same u⁰ (common random numbers), through the width-sweep program of this padding (‖h‖
    is traced): a `pad` equal to the m-sweep's compiles nothing new."""
    outputs = SCALAR_OUTPUTS if kind == "scalar" else TWO_LAYER_OUTPUTS
    if kind == "scalar":
        model.phi_of(name)
    elif kind == "two_layer":
        model.act_of(name)
    else:
        raise ValueError(f"kind={kind!r}: choose 'scalar' or 'two_layer'")
    for c in columns:
        if c not in outputs:
            raise ValueError(f"column {c!r} is not an output of the {kind} sampler; outputs: {', '.join(outputs)}")
    idx = [outputs.index(c) for c in columns]
    m, M = padding(m, pad)
    fn = (_scalar_fn if kind == "scalar" else _two_layer_fn)(M, name)
    rs = [jax.device_put(np.float64(k / float(r_scale))) for k in steps]

    def sample(key, w, count, max_width=None):
        keys, width = split_keys(key, count), jax.device_put(np.float64(m))
        out = np.stack([np.asarray(sharded_vmap(fn, keys, width, r, chunk=_chunk(M))) for r in rs], axis=1)
        return out[:, :, idx].transpose(0, 2, 1).reshape(count, -1)  # (count, k, outputs) → column-major

    return sample


def _M(values: dict, m) -> float:
    """The length a replicate computes on: its padding, else its width."""
    return max(float(m), float(values.get("pad") or 0))


register(Observable(
    "meanfield.scalar", "meanfield",
    "g(u)=(1/m)Σφ(uⱼ), uⱼ iid N(0,1), f=√m g: m‖∇g‖², ‖∇g‖², maxⱼ|φ''(uⱼ)| (= m‖D²g‖_op), and the remainder "
    "|f(u+h)−f(u)−⟨∇f(u),h⟩| at ‖h‖=r along the coordinate of largest |φ''| and along a random direction "
    "(also divided by the Taylor bound ‖φ''‖_∞‖h‖²/(2√m))",
    {"phi": Param("φ", "sin", choices=tuple(model.PHIS)), "r": Param("‖h‖", 0.5, kind="float"), "pad": PAD},
    SCALAR_OUTPUTS,
    lambda phi, r, pad: unpadded(scalar_sampler(phi, float(r), pad=pad_length(pad))),
    width="m",
    cost=per_replicate(lambda v, m: 40 * _M(v, m), lambda v, m: 8 * _M(v, m), 256),
))
register(Observable(
    "meanfield.two_layer", "meanfield",
    "the net f=(1/√m)Σaⱼσ(⟨bⱼ,x⟩)=√m g, aⱼ, bⱼ iid N(0,1), d=2, inputs x₁=(0.6,0.8), x₂=(−0.8,0.9): entries and "
    "operator norm of Dg Dgᵀ (n=2), and under the step h=r∇f/‖∇f‖ at x₁: ‖∇f‖, the remainder of the "
    "first-order expansion, the relative change of ∇f, the output change",
    {"activation": Param("σ", "erf", choices=tuple(model.ACTIVATIONS)), "r": Param("‖h‖", 1.0, kind="float"),
     "pad": PAD},
    TWO_LAYER_OUTPUTS,
    lambda activation, r, pad: unpadded(two_layer_sampler(activation, float(r), pad=pad_length(pad))),
    width="m",
    cost=per_replicate(lambda v, m: 400 * _M(v, m), lambda v, m: 60 * _M(v, m), 64),
))
