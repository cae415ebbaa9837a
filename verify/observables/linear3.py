"""Observables of the linear network Φ((β,A,u),x) = m^{−α}βᵀ(m^{−γ}A)u x of seed 003 §3.

Three samplers:
  sweep  — one full network (β⁰, A⁰, u⁰ iid N(0,1), m² + 2m draws) and one GD step at every α of a
           fixed tuple, from the same draw: norms, gradient norms, ΔF, relative drifts, gradient
           changes. One XLA compilation per width (A is m×m: padding it to the largest width
           would cost up to 1000x the arithmetic), reused by every claim and every look.
  row    — the laws at init, from what they depend on only: u⁰, one row of A⁰ and β⁰ (O(m) draws),
           padded to a fixed maximal width (linear3.init_laws' `pad`) so that one compilation serves
           every width.
  trajectory — T GD steps of the network and of its linearization from one draw (linear3.trajectory), A⁰ a lazy
           Gaussian matrix (verify.models._lazy_gaussian) asked only for the products the steps need: O(mT) draws.
"""
from __future__ import annotations

import functools

import numpy as np

from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models import _lazy_gaussian as lazy_gaussian
from verify.models import linear3 as model
from verify.observables._cost import per_replicate
from verify.observables._base import PAD, Observable, Param, pad_length, padded_sampler, register, unpadded

SWEEP_OUTPUTS = (
    "‖u⁰‖²", "‖x₂‖² (γ=1/2)", "Φ(θ⁰,x)²", "‖∇_βΦ‖", "‖∇_uΦ‖", "‖∇_AΦ‖_F", "|ΔF|", "η‖∇_θF‖²",
    "‖Δu‖/‖u⁰‖", "‖Δβ‖/‖β⁰‖", "‖ΔA‖_F/‖A⁰‖_F", "median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ|", "‖ΔA‖_op/‖A⁰‖_op", "‖A⁰‖_op",
    "‖β⁰(u⁰)ᵀ‖_op", "‖Δ∇_βΦ‖", "‖Δ∇_uΦ‖", "‖Δ∇_AΦ‖_F", "‖Δ∇_uΦ‖/‖∇_uΦ‖",
    "|ΔF − ⟨Δθ,∇_θF(θ⁰)⟩|", "|ΔΦ − ⟨Δθ,∇_θΦ(θ⁰)⟩|", "η‖∇_θΦ‖²", "E[|F'(Φ⁰)| | A⁰,u⁰]",
    "‖Δ∇_βΦ‖/|F'(Φ⁰)|", "‖Δ∇_uΦ‖/|F'(Φ⁰)|", "‖Δ∇_AΦ‖_F/|F'(Φ⁰)|",
)
OP_COLUMNS = ("‖ΔA‖_op/‖A⁰‖_op", "‖A⁰‖_op")  # need the power iteration: computed only when asked
ROW_OUTPUTS = ("‖u⁰‖²", "(A⁰u⁰)₁/‖u⁰‖", "(A⁰u⁰)₂/‖u⁰‖", "((m^{-1/2}A⁰)u⁰x)₁", "m^{-α}(β⁰)ᵀx₂ / (x m^{1/2-α})",
               "‖x₂‖²/(m x²) = (‖u⁰‖²/m)·χ²(m)/m")
ELEMENTS_PER_CHUNK = 2 ** 23  # m²·chunk ≤ 8M doubles (64 MB) per A in flight
OP_ITERATIONS = 24  # power iterations for ‖A⁰‖_op: ≤ 2% low at every width, far below the exponent tolerance (tests)


def _chunk(m: int) -> int:
    return int(max(2, min(256, ELEMENTS_PER_CHUNK // (m * m))))


def _one_step_columns(m, beta, u, Au, Atb, AAtb, AtAu, nA, med, a_op):
    """α → SWEEP_OUTPUTS from the vectors of one network at init (a = 2α − 1, x = 1, y = 1), written only with
    inner products of β, u, A⁰u⁰, A⁰ᵀβ⁰, A⁰A⁰ᵀβ⁰, A⁰ᵀA⁰u⁰: the same code serves the vectors in ℝ^m of a drawn A⁰
    (_sweep_fn) and their coordinates in ℝ³ under the exact law (_law_fn). med: median_i |βᵢuᵢ|/|A⁰ᵢᵢ|.

    θ¹ = θ⁰ − s∇_θΦ(θ⁰) with s = ηF'(Φ⁰); with c = x m^{−α−1/2}: β¹ = β − scAu, u¹ = u − scAᵀβ,
    A¹ = A − scβuᵀ (rank-one update). Everything at θ¹ follows from the four products above
    (A¹u¹ = Au¹ − scβ(uᵀu¹), A¹ᵀβ¹ = Aᵀβ¹ − scu(βᵀβ¹), ‖β¹u¹ᵀ − βuᵀ‖_F² from inner products).
    """
    x = model.X_INPUT
    nu2, nb2 = u @ u, beta @ beta
    nu, nb = jnp.sqrt(nu2), jnp.sqrt(nb2)
    bAu = beta @ Au
    hidden2 = (Au @ Au) / m * x**2
    nAu, nAtb = jnp.sqrt(Au @ Au), jnp.sqrt(Atb @ Atb)

    def per_alpha(alpha):
        a = 2.0 * alpha - 1.0
        c = x * m ** (-alpha - 0.5)
        phi0 = c * bAu
        g_b, g_u, g_A = c * nAu, c * nAtb, c * nb * nu
        sc = m**a * model.dloss(phi0) * c
        fp = jnp.abs(model.dloss(phi0))
        # Φ⁰ | A⁰, u⁰ ~ N(0, σ²), σ = c‖A⁰u⁰‖ (β⁰ integrated out): E|Φ⁰ − y| in closed form (Rao–Blackwell)
        sig, y = c * nAu, model.Y_TARGET
        abs_fprime = 2 * sig * jax.scipy.stats.norm.pdf(y / sig) + y * (2 * jax.scipy.stats.norm.cdf(y / sig) - 1)
        b1, u1 = beta - sc * Au, u - sc * Atb
        A1u1 = (Au - sc * AAtb) - sc * beta * (u @ u1)
        A1tb1 = (Atb - sc * AtAu) - sc * u * (beta @ b1)
        phi1 = c * (b1 @ A1u1)
        dF = model.loss(phi1) - model.loss(phi0)
        lin = m**a * model.dloss(phi0) ** 2 * (g_b**2 + g_u**2 + g_A**2)
        dA_F = jnp.abs(sc) * nb * nu  # ΔA = −scβuᵀ is rank one: ‖ΔA‖_op = ‖ΔA‖_F
        dg_b = c * jnp.linalg.norm(A1u1 - Au)
        dg_u = c * jnp.linalg.norm(A1tb1 - Atb)
        dg_A = c * jnp.sqrt(jnp.maximum((b1 @ b1) * (u1 @ u1) - 2 * (b1 @ beta) * (u1 @ u) + nb2 * nu2, 0.0))
        return jnp.stack([
            nu2, hidden2, phi0**2, g_b, g_u, g_A, jnp.abs(dF), lin,
            jnp.abs(sc) * nAtb / nu, jnp.abs(sc) * nAu / nb, dA_F / nA, jnp.abs(sc) * med, dA_F / a_op, a_op,
            nb * nu, dg_b, dg_u, dg_A, dg_u / g_u,
            jnp.abs(dF + lin), jnp.abs(phi1 - phi0 + sc / c * (g_b**2 + g_u**2 + g_A**2)),
            m**a * (g_b**2 + g_u**2 + g_A**2), abs_fprime, dg_b / fp, dg_u / fp, dg_A / fp,
        ])

    return per_alpha


@functools.lru_cache(maxsize=None)
def _sweep_fn(m: int, n_alpha: int):
    """key, alphas (n_alpha,) → (n_alpha, len(SWEEP_OUTPUTS)) on one drawn network: the m×m work is the draw of A⁰
    and four matrix-vector products shared by every α (_one_step_columns). tests/ hold it against model.gd_step /
    model.gradients on materialised matrices."""

    def one(key, alphas, op_iterations):
        kp, kv = jax.random.split(key)
        beta, A, u = model.init(kp, m)
        nA = jnp.linalg.norm(A)
        Au, Atb = A @ u, A.T @ beta
        diag = jnp.abs(jnp.diagonal(A))
        # op_iterations is traced (0: the column is NaN), so one compilation serves both uses
        a_op = model.op_norm(A, jax.random.normal(kv, (m,)), op_iterations)
        a_op = jnp.where(op_iterations > 0, a_op, jnp.nan)
        med = jnp.median(jnp.abs(beta * u) / diag)  # |ΔAᵢᵢ|/|Aᵢᵢ| = |sc|·|βᵢuᵢ|/|Aᵢᵢ|
        return jax.vmap(_one_step_columns(m, beta, u, Au, Atb, A @ Atb, A.T @ Au, nA, med, a_op))(alphas)

    return one


# The columns the exact law gives: all but the three that need ‖A⁰‖_F, A⁰'s spectrum or its diagonal entries
LAW_OUTPUTS = tuple(o for o in SWEEP_OUTPUTS if o not in OP_COLUMNS + ("median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ|", "‖ΔA‖_F/‖A⁰‖_F"))
_LAW_COLUMNS = [SWEEP_OUTPUTS.index(o) for o in LAW_OUTPUTS]
LAW_MIN_WIDTH = 3  # the law below draws χ²(m − 2)
LAW_CHUNK = 256


@functools.lru_cache(maxsize=None)
def _law_fn(M: int, n_alpha: int):
    """key, m, alphas → (n_alpha, len(LAW_OUTPUTS)) for a width m ≤ M: the one-step outputs from their exact joint
    law, 6M + 2 normal draws per network instead of m² + 2m (m is traced: one compilation per padded length M).

    Every output is a function of the inner products of β, u, Au, Aᵀβ, AAᵀβ, AᵀAu, all invariant under A → FᵀAE
    with F, E orthogonal. Take F's first column β/‖β‖ and E's u/‖u‖: A' = FᵀAE is iid N(0,1) independent of
    (β, u), Au = ‖u‖F c (c = A'e₁ = (a₁₁, c̃)) and Aᵀβ = ‖β‖E r (r = A'ᵀe₁ = (a₁₁, r̃)). Then A'r = (‖r‖²,
    a₁₁c̃ + Br̃) and A'ᵀc = (‖c‖², a₁₁r̃ + Bᵀc̃) with B the lower (m−1)×(m−1) block, independent of c̃, r̃; rotating B
    the same way (first column r̃/‖r̃‖ on the right, c̃/‖c̃‖ on the left) gives Br̃ = ‖r̃‖g, Bᵀc̃ = ‖c̃‖h with g, h
    the first column and row of an iid N(0,1) matrix, sharing g₁ = h₁. So in three coordinates on each side:
      β = ‖β‖(1,0,0), Au = ‖u‖(a₁₁, ‖c̃‖, 0), AAᵀβ = ‖β‖(a₁₁² + ‖r̃‖², a₁₁‖c̃‖ + ‖r̃‖g₁, ‖r̃‖‖g₂:‖),
      u = ‖u‖(1,0,0), Aᵀβ = ‖β‖(a₁₁, ‖r̃‖, 0), AᵀAu = ‖u‖(a₁₁² + ‖c̃‖², a₁₁‖r̃‖ + ‖c̃‖g₁, ‖c̃‖‖h₂:‖),
    with ‖u‖², ‖β‖² ~ χ²(m), ‖c̃‖², ‖r̃‖² ~ χ²(m−1), ‖g₂:‖², ‖h₂:‖² ~ χ²(m−2), a₁₁, g₁ ~ N(0,1), all independent.
    Each χ²(k) is a sum of k squared normals of a row padded to M (JAX's gamma sampler would compile 5x longer).
    tests/ hold the law against _sweep_fn's drawn networks column by column."""
    lengths = jnp.asarray([0.0, 0.0, 1.0, 1.0, 2.0, 2.0])  # χ²(m − lengthsᵢ)

    def one(key, m, alphas):
        kc, kn = jax.random.split(key)
        z = jax.random.normal(kc, (6, M)) * (jnp.arange(M)[None, :] < (m - lengths)[:, None])
        nu2, nb2, c2, r2, g2, h2 = jnp.sum(z * z, axis=1)
        a11, g1 = jax.random.normal(kn, (2,))
        nu, nb, nc, nr = jnp.sqrt(nu2), jnp.sqrt(nb2), jnp.sqrt(c2), jnp.sqrt(r2)
        e1, zero = jnp.array([1.0, 0.0, 0.0]), jnp.zeros(())
        beta, u = nb * e1, nu * e1
        Au, Atb = nu * jnp.stack([a11, nc, zero]), nb * jnp.stack([a11, nr, zero])
        AAtb = nb * jnp.stack([a11**2 + r2, a11 * nc + nr * g1, nr * jnp.sqrt(g2)])
        AtAu = nu * jnp.stack([a11**2 + c2, a11 * nr + nc * g1, nc * jnp.sqrt(h2)])
        nan = jnp.asarray(jnp.nan)
        out = jax.vmap(_one_step_columns(m, beta, u, Au, Atb, AAtb, AtAu, nan, nan, nan))(alphas)
        return out[:, jnp.asarray(_LAW_COLUMNS)]

    return one


def law_sampler(alphas: tuple, pad: int | None = None):
    """sample(key, m, count) → (count, len(alphas)·len(LAW_OUTPUTS)), α-major, from the exact law (_law_fn), padded
    to `pad` (else m itself)."""
    alphas = tuple(float(a) for a in alphas)
    draw = padded_sampler(lambda M: _law_fn(M, len(alphas)), pad, jnp.asarray(alphas), chunk=LAW_CHUNK)

    def sample(key, m, count, max_width=None):
        if int(m) != m or m < LAW_MIN_WIDTH:
            raise ValueError(f"width m={m!r}: the exact one-step law needs an integer m ≥ {LAW_MIN_WIDTH} "
                             "(linear3.one_step draws smaller networks)")
        return draw(key, m, count, max_width).reshape(count, -1)

    return sample


def sweep_sampler(alphas: tuple, with_op: bool = False):
    """sample(key, m, count) → (count, len(alphas)·len(SWEEP_OUTPUTS)), α-major."""
    alphas = tuple(float(a) for a in alphas)

    def sample(key, m, count, max_width=None):
        m = int(m)
        fn = _sweep_fn(m, len(alphas))
        out = sharded_vmap(fn, split_keys(key, count), jnp.asarray(alphas),
                           jnp.asarray(OP_ITERATIONS if with_op else 0), chunk=_chunk(m))
        return np.asarray(out).reshape(count, -1)

    return sample


def sweep_column(alphas: tuple, alpha, output: str) -> int:
    return list(alphas).index(alpha) * len(SWEEP_OUTPUTS) + SWEEP_OUTPUTS.index(output)


TRAJECTORY_OUTPUTS = (
    "|F(Φᵀ) − F(Φ⁰) − ⟨θᵀ−θ⁰,∇_θF(Φ⁰)⟩|", "|Φᵀ − Φ⁰ − ⟨θᵀ−θ⁰,∇_θΦ(θ⁰)⟩|", "max_t |Φ(θᵗ) − Φ^lin(θ̄ᵗ)|",
    "‖θᵀ−θ̄ᵀ‖/‖θᵀ−θ⁰‖", "‖uᵀ−u⁰‖/‖u⁰‖", "‖βᵀ−β⁰‖/‖β⁰‖", "‖Aᵀ−A⁰‖_F/‖A⁰‖_F",
    "‖∇_θΦ(θᵀ)−∇_θΦ(θ⁰)‖/‖∇_θΦ(θ⁰)‖", "|Φᵀ − Φ⁰|", "|Φᵀ − y|",
)
TRAJECTORY_STEPS = 8
TRAJECTORY_ETA_SCALE = 0.25  # η = m^{2α−1}/4: ηK(θ⁰) ≈ 3/4, so GD on the square loss contracts (with
# η = m^{2α−1}, ηK ≈ 3 and Φ − y is multiplied by ≈ −2 each step: one step is fine, T steps diverge)


def _rank_ones_norm(w, left, right):
    """‖Σᵢ wᵢ leftᵢ rightᵢᵀ‖_F from Gram matrices: O(k²m), never an m×m matrix."""
    gram = (left @ left.T) * (right @ right.T)
    return jnp.sqrt(jnp.maximum(w @ gram @ w, 0.0))


def trajectory_capacity(n_alpha: int, steps: int) -> int:
    """New directions each side of the lazy A⁰ takes: u⁰ (β⁰), then u¹…uᵀ (β¹…βᵀ) at every α (re-asking u⁰ at an α's
    first step adds none)."""
    return 1 + n_alpha * steps


def trajectory_outputs(beta0, u0, lazy, m, alphas, eta_scale, steps: int, source=lazy_gaussian.gaussian):
    """(lazy, (n_alpha, len(TRAJECTORY_OUTPUTS))) with ‖Aᵀ−A⁰‖_F in place of ‖Aᵀ−A⁰‖_F/‖A⁰‖_F (the caller draws
    ‖A⁰‖_F from the returned state, lazy_gaussian.frobenius_sq or _parts): T GD steps of the network and of its
    linearization Φ^lin from θ⁰ = (β⁰, A⁰, u⁰) at every α (a = 2α − 1, x = 1, y = 1); A⁰ is the lazy Gaussian matrix `lazy`
    (verify.models._lazy_gaussian), asked only for products, which `source` answers (drawn; tests: a given matrix).

    Aᵗ = A⁰ + Σ_{s<t} wₛ βˢ(uˢ)ᵀ with wₛ = −ηF'(Φₛ)c: each step asks A⁰uᵗ and A⁰ᵀβᵗ (2 per step per α) plus O(Tm),
    and every norm of an A-block is a Gram-matrix sum of rank-ones; ‖A⁰‖_F is drawn last, jointly with every answer.
    The α share one A⁰ (the state is carried from one α to the next), as they would share a drawn matrix.
    tests/ hold it against model.gd_trajectory on materialised matrices.
    """
    x = model.X_INPUT
    M = beta0.shape[0]

    def per_alpha(lazy, alpha):
        a = 2.0 * alpha - 1.0
        c, eta = x * m ** (-alpha - 0.5), eta_scale * m**a

        def step(carry, t):  # t = 0…T: the products at θᵗ, then the step (the one at t = T is dropped)
            lazy, beta, u, w, bs, us = carry
            lazy, A0u = lazy_gaussian.matvec(lazy, u, source)
            lazy, A0tb = lazy_gaussian.rmatvec(lazy, beta, source)
            Au, Atb = A0u + (w * (us @ u)) @ bs, A0tb + (w * (bs @ beta)) @ us  # Aᵗu and (Aᵗ)ᵀβ
            phi = c * (beta @ Au)
            s = eta * model.dloss(phi)
            carry = (lazy, beta - s * c * Au, u - s * c * Atb, w.at[t].set(-s * c), bs.at[t].set(beta),
                     us.at[t].set(u))
            return carry, (phi, beta, u, Au, Atb)

        # one loop of T + 1 products (not T steps and a last product): two query sites in the program, not four
        zeros = jnp.zeros((steps + 1, M))
        (lazy, _, _, w, bs, us), (phis, betas, uss, Aus, Atbs) = jax.lax.scan(
            step, (lazy, beta0, u0, jnp.zeros(steps + 1), zeros, zeros), jnp.arange(steps + 1))
        w, bs, us = w[:steps], bs[:steps], us[:steps]
        bT, uT, phiT = betas[steps], uss[steps], phis[steps]
        A0u0, A0tb0, AuT, AtbT = Aus[0], Atbs[0], Aus[steps], Atbs[steps]  # A⁰ = A at t = 0
        g0_b, g0_u = c * A0u0, c * A0tb0
        k0 = g0_b @ g0_b + g0_u @ g0_u + c**2 * (beta0 @ beta0) * (u0 @ u0)
        lin_phis, coeff = model.linearized_trajectory(phis[0], k0, eta, steps)
        db, du = bT - beta0, uT - u0
        dA = _rank_ones_norm(w, bs, us)
        first_order = db @ g0_b + du @ g0_u + c * (w @ ((bs @ beta0) * (us @ u0)))
        d_norm = jnp.sqrt(db @ db + du @ du + dA**2)
        # θᵀ − θ̄ᵀ = Δθ + coeff·∇_θΦ(θ⁰); its A-block adds the rank-one coeff·c·β⁰(u⁰)ᵀ
        gap = jnp.sqrt(jnp.sum((db + coeff * g0_b) ** 2) + jnp.sum((du + coeff * g0_u) ** 2)
                       + _rank_ones_norm(jnp.append(w, coeff * c), jnp.vstack([bs, beta0]),
                                         jnp.vstack([us, u0])) ** 2)
        feature = jnp.sqrt(c**2 * jnp.sum((AuT - A0u0) ** 2) + c**2 * jnp.sum((AtbT - A0tb0) ** 2)
                           + _rank_ones_norm(jnp.array([c, -c]), jnp.stack([bT, beta0]),
                                             jnp.stack([uT, u0])) ** 2)
        phi0 = phis[0]
        return lazy, jnp.stack([
            jnp.abs(model.loss(phiT) - model.loss(phi0) - model.dloss(phi0) * first_order),
            jnp.abs(phiT - phi0 - first_order),
            jnp.max(jnp.abs(phis - lin_phis)),
            gap / d_norm,
            jnp.linalg.norm(du) / jnp.linalg.norm(u0), jnp.linalg.norm(db) / jnp.linalg.norm(beta0), dA,
            feature / jnp.sqrt(k0),
            jnp.abs(phiT - phi0), jnp.abs(phiT - model.Y_TARGET),
        ])

    return jax.lax.scan(per_alpha, lazy, alphas)


_DRIFT_A = TRAJECTORY_OUTPUTS.index("‖Aᵀ−A⁰‖_F/‖A⁰‖_F")


@functools.lru_cache(maxsize=None)
def _trajectory_fn(M: int, n_alpha: int, steps: int):
    """key, m, alphas, eta_scale → (n_alpha·len(TRAJECTORY_OUTPUTS) + 2,) for a width m ≤ M: β⁰, u⁰ iid N(0,1)
    padded with zeros to M and A⁰ a lazy Gaussian matrix (O(M·capacity) draws, not m²), trajectory_outputs, then
    ‖A⁰‖_F² = seen + χ²(df) as (seen, df): trajectory_sampler draws the χ² in one program for every width."""
    capacity = trajectory_capacity(n_alpha, steps)

    def one(key, m, alphas, eta_scale):
        kb, ku, ka = jax.random.split(key, 3)
        mask = (jnp.arange(M) < m).astype(jnp.float64)
        beta0, u0 = jax.random.normal(kb, (M,)) * mask, jax.random.normal(ku, (M,)) * mask
        lazy, out = trajectory_outputs(beta0, u0, lazy_gaussian.init(ka, m, M, capacity), m, alphas, eta_scale,
                                       steps)
        return jnp.concatenate([out.ravel(), jnp.stack(lazy_gaussian.frobenius_parts(lazy))])

    return one


CHI_SQUARE_CHUNK = 320  # the rest of ‖A⁰‖_F², drawn apart: one compilation for every width and sweep


def _trajectory_chunk(capacity: int):
    """Networks per vmapped chunk: ~2²² doubles of lazy state in flight, a multiple of the 40 batch means."""
    return lambda M: int(max(40, min(320, 40 * (2**22 // (capacity * M * 40)))))


def trajectory_sampler(alphas: tuple, steps: int = TRAJECTORY_STEPS, eta_scale: float = TRAJECTORY_ETA_SCALE,
                       pad: int | None = None):
    """sample(key, m, count) → (count, len(alphas)·len(TRAJECTORY_OUTPUTS)), α-major, padded to `pad` (else m)."""
    alphas = tuple(float(a) for a in alphas)
    if steps < 1:
        raise ValueError(f"steps={steps}: give at least one GD step")
    draw = padded_sampler(lambda M: _trajectory_fn(M, len(alphas), int(steps)), pad, jnp.asarray(alphas),
                          jnp.asarray(float(eta_scale)), chunk=_trajectory_chunk(trajectory_capacity(len(alphas),
                                                                                                   int(steps))))

    def sample(key, m, count, max_width=None):
        if int(m) != m or m < 1:
            raise ValueError(f"width m={m!r}: give a positive integer width")
        raw = draw(key, m, count, max_width)
        out, seen, df = raw[:, :-2].reshape(count, len(alphas), -1), raw[:, -2], raw[:, -1]
        # the networks' keys are the first `count` of 2·count: the χ² take the rest
        rest = sharded_vmap(lazy_gaussian.unseen_norm_sq, split_keys(key, 2 * count)[count:], jnp.asarray(df), batched=(0,),
                            chunk=CHI_SQUARE_CHUNK)
        out[:, :, _DRIFT_A] /= np.sqrt(seen + rest)[:, None]
        return out.reshape(count, -1)

    return sample


def trajectory_column(alphas: tuple, alpha, output: str) -> int:
    return list(alphas).index(alpha) * len(TRAJECTORY_OUTPUTS) + TRAJECTORY_OUTPUTS.index(output)


@functools.lru_cache(maxsize=None)
def _row_fn(m_max: int):
    """key, m → ROW_OUTPUTS for width m ≤ m_max (zero padding past m). The output uses the exact
    conditional law βᵀAu | β, u ~ N(0, ‖β‖²‖u‖²) of a Gaussian A (A integrated out), and the last
    column the exact representation ‖A⁰u⁰‖² = ‖u⁰‖²·χ²(m) with the χ² independent of u⁰."""

    def one(key, m):
        ku, ka, kc, kb, kw, kz = jax.random.split(key, 6)
        mask = (jnp.arange(m_max) < m).astype(jnp.float64)
        u = jax.random.normal(ku, (m_max,)) * mask
        row1 = jax.random.normal(ka, (m_max,)) * mask  # the first two rows of A⁰
        row2 = jax.random.normal(kc, (m_max,)) * mask
        beta = jax.random.normal(kb, (m_max,)) * mask
        nu2 = u @ u
        h1, h2 = row1 @ u, row2 @ u  # (A⁰u⁰)₁, (A⁰u⁰)₂
        x = model.X_INPUT
        out_std = jnp.sqrt(beta @ beta) * jnp.sqrt(nu2) * jax.random.normal(kw) / m  # m^{-α-1/2}xβᵀAu / (x m^{1/2-α})
        z = jax.random.normal(kz, (m_max,)) * mask  # (A⁰u⁰)/‖u⁰‖ has iid N(0,1) entries independent of u⁰
        return jnp.stack([nu2, h1 / jnp.sqrt(nu2), h2 / jnp.sqrt(nu2), h1 * x / jnp.sqrt(m), out_std,
                          (nu2 / m) * (z @ z) / m])

    return one


def row_sampler(m_max: int | None = None):
    """sample(key, m, count) → (count, len(ROW_OUTPUTS)); one compilation per padded width: m_max,
    else the sweep's max_width, else m itself."""
    return padded_sampler(_row_fn, m_max, chunk=1024)


ONE_STEP_ALPHAS = (0.25, 0.5, 0.75, 0.875, 1.0)  # the α of the registered observables' outputs (their names carry
# them): every α the catalogue reads, from one draw per network (the per-α work is O(m) beside the m×m draw)
TRAJECTORY_ALPHAS = (0.75, 1.0)


def _declared(name: str, alphas, declared: tuple) -> tuple:
    """The α of a registered observable: its output names carry them, so other α would be mislabelled columns
    (and another count of them)."""
    given = tuple(float(a) for a in alphas)
    if given != declared:
        raise ValueError(f"alphas={tuple(alphas)!r}: the outputs of {name} are named for α = "
                         f"{', '.join(f'{a:g}' for a in declared)} (α-major), so alphas must be {list(declared)}; for "
                         "other α call verify.observables.linear3.sweep_sampler / trajectory_sampler, whose columns "
                         "sweep_column / trajectory_column locate")
    return given


register(Observable(
    "linear3.one_step", "linear3",
    "Φ((β,A,u),x)=m^{-α}βᵀ(m^{-1/2}A)u x, β,A,u iid N(0,1), x=1, square loss F(t)=(t−1)²/2, one GD step "
    "with η=m^{2α−1}: norms, gradient norms, |ΔF|, relative drifts, gradient changes (per α, α-major)",
    {"alphas": Param("α values (those of the output names)", ONE_STEP_ALPHAS, kind="vector"),
     "with_op": Param("‖A⁰‖_op by power iteration; 0 skips it (cheaper; the two ‖·‖_op outputs are then NaN)", 1,
                      kind="int")},
    tuple(f"α={a:g}: {o}" for a in ONE_STEP_ALPHAS for o in SWEEP_OUTPUTS),
    lambda alphas, with_op: sweep_sampler(_declared("linear3.one_step", alphas, ONE_STEP_ALPHAS), bool(with_op)),
    width="m",
    cost=per_replicate(lambda v, m: 12 * m * m * len(v['alphas']) * (1 + 20 * v['with_op']), lambda v, m: 4 * m * m, 1),
))
register(Observable(
    "linear3.one_step_law", "linear3",
    "the outputs of linear3.one_step (the same network, loss and step) but ‖A⁰‖_F, ‖A⁰‖_op and the diagonal median, "
    "drawn from their exact joint law: a rotation reduces β⁰, A⁰, u⁰ to six χ² and two normal variables, O(m) "
    "draws per network instead of m² (m ≥ 3; per α, α-major)",
    {"alphas": Param("α values (those of the output names)", ONE_STEP_ALPHAS, kind="vector"), "pad": PAD},
    tuple(f"α={a:g}: {o}" for a in ONE_STEP_ALPHAS for o in LAW_OUTPUTS),
    lambda alphas, pad: unpadded(law_sampler(_declared("linear3.one_step_law", alphas, ONE_STEP_ALPHAS),
                                             pad_length(pad))),
    width="m",
    cost=per_replicate(lambda v, m: 12 * max(m, v["pad"]) + 400 * len(v['alphas']),
                       lambda v, m: 6 * max(m, v["pad"]) + 30 * len(v['alphas']), LAW_CHUNK),
))
register(Observable(
    "linear3.init_laws", "linear3",
    "laws at init from O(m) draws: ‖u⁰‖², (A⁰u⁰)₁/‖u⁰‖, (A⁰u⁰)₂/‖u⁰‖, ((m^{-1/2}A⁰)u⁰x)₁, the output "
    "standardised by x m^{1/2−α} (exact conditional law given β⁰, u⁰) and ‖x₂‖²/(m x²) (exact representation)",
    {"pad": PAD},
    ROW_OUTPUTS,
    lambda pad: unpadded(row_sampler(pad_length(pad))),
    width="m",
    cost=per_replicate(lambda v, m: 20 * max(m, v["pad"]), lambda v, m: 6 * max(m, v["pad"]), 1024),
))
register(Observable(
    "linear3.trajectory", "linear3",
    "the same network trained by T GD steps (square loss, x=1, y=1, η=eta_scale·m^{2α−1}) against its "
    "linearization Φ^lin trained the same way from the same θ⁰: remainders of the first-order models, the linear "
    "model's error, relative drifts, relative feature change, output change, residual (per α, α-major)",
    {"alphas": Param("α values (those of the output names)", TRAJECTORY_ALPHAS, kind="vector"),
     "steps": Param("T, the number of GD steps", TRAJECTORY_STEPS, kind="int"),
     "eta_scale": Param("η = eta_scale·m^{2α−1} (≲ 0.6 keeps GD stable: ηK(θ⁰) ≈ 3·eta_scale)",
                        TRAJECTORY_ETA_SCALE, kind="float"),
     "pad": PAD},
    tuple(f"α={a:g}: {o}" for a in TRAJECTORY_ALPHAS for o in TRAJECTORY_OUTPUTS),
    lambda alphas, steps, eta_scale, pad: unpadded(trajectory_sampler(
        _declared("linear3.trajectory", alphas, TRAJECTORY_ALPHAS), int(steps), float(eta_scale), pad_length(pad))),
    width="m",
    # A⁰ is lazy (verify.models._lazy_gaussian): K = 1 + n_α·T directions a side, ~20 K² M flops and 4 K M cells
    cost=per_replicate(
        lambda v, m: 20 * trajectory_capacity(len(v['alphas']), v['steps']) ** 2 * max(m, v["pad"]),
        lambda v, m: 4 * trajectory_capacity(len(v['alphas']), v['steps']) * max(m, v["pad"]),
        lambda v, m: _trajectory_chunk(trajectory_capacity(len(v['alphas']), v['steps']))(max(int(m), v["pad"]))),
))
