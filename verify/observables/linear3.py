"""Observables of the linear network Φ((β,A,u),x) = m^{−α}βᵀ(m^{−γ}A)u x of seed 003 §3.

Samplers:
  sweep  — one full network (β⁰, A⁰, u⁰ iid N(0,1), m² + 2m draws) and one GD step at every α of a
           fixed tuple, from the same draw: norms, gradient norms, ΔF, relative drifts, gradient
           changes. One XLA compilation per width (A is m×m: padding it to the largest width
           would cost up to 1000x the arithmetic): the materialised reference tests/ hold the exact laws
           against; no catalogue claim draws it any more.
  law, op, diag — the one-step outputs from their exact joint laws, O(m) draws per network, padded to a common
           length (one compilation per sweep): the rotation law (_law_fn) for all but three columns, the Golub–Kahan
           law (_op_law) for the two operator-norm columns, the diagonal law (_diag_law) for the median column, both on the host.
  row    — the laws at init, from what they depend on only: u⁰, one row of A⁰ and β⁰ (O(m) draws),
           padded to a fixed maximal width (linear3.init_laws' `pad`) so that one compilation serves
           every width; init_exact — the same outputs from their exact law on the host, for width sweeps.
  trajectory — T GD steps of the network and of its linearization from one draw (linear3.trajectory), A⁰ a lazy
           Gaussian matrix (verify.models._lazy_gaussian) asked only for the products the steps need, in rotated
           coordinates: O(T²) work and draws whatever m, one compilation for every width.
"""
from __future__ import annotations

import functools

import numpy as np

from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models import _lazy_gaussian as lazy_gaussian
from verify.models import linear3 as model
from verify.observables._cost import per_replicate
from verify.observables.generic import numpy_rng
from verify.observables._base import (PAD, Observable, Param, pad_length, padded_sampler, padding, register,
                                      unpadded)

SWEEP_OUTPUTS = (
    "‖u⁰‖²", "‖x₂‖² (γ=1/2)", "Φ(θ⁰,x)²", "‖∇_βΦ‖", "‖∇_uΦ‖", "‖∇_AΦ‖_F", "|ΔF|", "η‖∇_θF‖²",
    "‖Δu‖/‖u⁰‖", "‖Δβ‖/‖β⁰‖", "‖ΔA‖_F/‖A⁰‖_F", "median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ|", "‖ΔA‖_op/‖A⁰‖_op", "‖A⁰‖_op",
    "‖β⁰(u⁰)ᵀ‖_op", "‖Δ∇_βΦ‖", "‖Δ∇_uΦ‖", "‖Δ∇_AΦ‖_F", "‖Δ∇_uΦ‖/‖∇_uΦ‖",
    "|ΔF − ⟨Δθ,∇_θF(θ⁰)⟩|", "|ΔΦ − ⟨Δθ,∇_θΦ(θ⁰)⟩|", "η‖∇_θΦ‖²", "E[|F'(Φ⁰)| | A⁰,u⁰]",
    "‖Δ∇_βΦ‖/|F'(Φ⁰)|", "‖Δ∇_uΦ‖/|F'(Φ⁰)|", "‖Δ∇_AΦ‖_F/|F'(Φ⁰)|",
)
OP_COLUMNS = ("‖ΔA‖_op/‖A⁰‖_op", "‖A⁰‖_op")  # _sweep_fn: by power iteration, only when asked (_op_law: exact)
ROW_OUTPUTS = ("‖u⁰‖²", "(A⁰u⁰)₁/‖u⁰‖", "(A⁰u⁰)₂/‖u⁰‖", "((m^{-1/2}A⁰)u⁰x)₁", "m^{-α}(β⁰)ᵀx₂ / (x m^{1/2-α})",
               "‖x₂‖²/(m x²) = (‖u⁰‖²/m)·χ²(m)/m")
ELEMENTS_PER_CHUNK = 2 ** 23  # m²·chunk ≤ 8M doubles (64 MB) per A in flight
OP_ITERATIONS = 24  # power iterations for ‖A⁰‖_op: ≤ 2% low at every width, far below the exponent tolerance (tests)


def _chunk(m: int) -> int:
    return int(max(2, min(256, ELEMENTS_PER_CHUNK // (m * m))))


def _step_scale(m, alpha, bAu):
    """(c, Φ⁰, sc) of one GD step at α from βᵀA⁰u: c = x m^{−α−1/2}, Φ⁰ = cβᵀA⁰u, sc = ηF'(Φ⁰)c with η = m^{2α−1}
    (θ¹ = θ⁰ − s∇_θΦ, every block of ∇_θΦ carries the factor c; ΔA = −scβuᵀ)."""
    c = model.X_INPUT * m ** (-alpha - 0.5)
    phi0 = c * bAu
    return c, phi0, m ** (2.0 * alpha - 1.0) * model.dloss(phi0) * c


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
        c, phi0, sc = _step_scale(m, alpha, bAu)
        g_b, g_u, g_A = c * nAu, c * nAtb, c * nb * nu
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


def _host_chi_squares(rng: np.random.Generator, df: np.ndarray) -> np.ndarray:
    """Independent exact χ²(df) draws (0 where df ≤ 0), NumPy's gamma sampler on the host: no XLA program to
    compile (an exact in-program sampler, a rejection loop, compiled in ~1 s and once per program that held it)."""
    df = np.asarray(df, dtype=np.float64)
    out = np.zeros(df.shape)
    live = df > 0
    out[live] = rng.chisquare(df[live])
    return out


def _chi_draws(key, df_row: np.ndarray, count: int):
    """(count, len(df_row)) host χ² for `count` networks, from a NumPy generator seeded by the sampler's key (the
    networks' JAX keys are split from that key: another generator, so independent of them)."""
    return jax.device_put(_host_chi_squares(numpy_rng(key), np.broadcast_to(df_row, (count, len(df_row)))))


MEDIAN_COLUMN = "median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ|"
# The columns the exact law gives: all but the three that need A⁰'s spectrum or its diagonal entries (_op_law and
# _diag_law draw those from their own exact laws)
LAW_OUTPUTS = tuple(o for o in SWEEP_OUTPUTS if o not in OP_COLUMNS + (MEDIAN_COLUMN,))
_LAW_COLUMNS = [SWEEP_OUTPUTS.index(o) for o in LAW_OUTPUTS]
LAW_MIN_WIDTH = 3  # the law below draws χ²(m − 2)
LAW_CHUNK = 256


@functools.lru_cache(maxsize=None)
def _law_fn(M: int, n_alpha: int):
    """key, m, alphas, chi2 → (n_alpha, len(LAW_OUTPUTS)) for a width m ≤ M: the one-step outputs from their exact
    joint law, 6M + 2 normal draws and one χ² per network instead of m² + 2m (m is traced: one compilation per
    padded length M).

    Every output is a function of the inner products of β, u, Au, Aᵀβ, AAᵀβ, AᵀAu, all invariant under A → FᵀAE
    with F, E orthogonal. Take F's first column β/‖β‖ and E's u/‖u‖: A' = FᵀAE is iid N(0,1) independent of
    (β, u), Au = ‖u‖F c (c = A'e₁ = (a₁₁, c̃)) and Aᵀβ = ‖β‖E r (r = A'ᵀe₁ = (a₁₁, r̃)). Then A'r = (‖r‖²,
    a₁₁c̃ + Br̃) and A'ᵀc = (‖c‖², a₁₁r̃ + Bᵀc̃) with B the lower (m−1)×(m−1) block, independent of c̃, r̃; rotating B
    the same way (first column r̃/‖r̃‖ on the right, c̃/‖c̃‖ on the left) gives Br̃ = ‖r̃‖g, Bᵀc̃ = ‖c̃‖h with g, h
    the first column and row of an iid N(0,1) matrix, sharing g₁ = h₁. So in three coordinates on each side:
      β = ‖β‖(1,0,0), Au = ‖u‖(a₁₁, ‖c̃‖, 0), AAᵀβ = ‖β‖(a₁₁² + ‖r̃‖², a₁₁‖c̃‖ + ‖r̃‖g₁, ‖r̃‖‖g₂:‖),
      u = ‖u‖(1,0,0), Aᵀβ = ‖β‖(a₁₁, ‖r̃‖, 0), AᵀAu = ‖u‖(a₁₁² + ‖c̃‖², a₁₁‖r̃‖ + ‖c̃‖g₁, ‖c̃‖‖h₂:‖),
    with ‖u‖², ‖β‖² ~ χ²(m), ‖c̃‖², ‖r̃‖² ~ χ²(m−1), ‖g₂:‖², ‖h₂:‖² ~ χ²(m−2), a₁₁, g₁ ~ N(0,1), all independent.
    ‖A⁰‖_F² = ‖A'‖_F² adds up the entries named so far and the (m−2)×(m−2) block of the rotated B, unseen by every
    product above: a₁₁² + ‖c̃‖² + ‖r̃‖² + g₁² + ‖g₂:‖² + ‖h₂:‖² + χ²((m−2)²), the last independent of the rest.
    Each χ²(m − k) is a sum of squared normals of a row padded to M; χ²((m−2)²) the argument `chi2` (drawn on the
    host, _chi_draws). tests/ hold the law against _sweep_fn's
    drawn networks column by column."""
    lengths = jax.device_put(np.array([0.0, 0.0, 1.0, 1.0, 2.0, 2.0]))  # χ²(m − lengthsᵢ); device_put: eager jnp compiles

    def one(key, m, alphas, chi2):
        kc, kn = jax.random.split(key)
        z = jax.random.normal(kc, (6, M)) * (jnp.arange(M)[None, :] < (m - lengths)[:, None])
        nu2, nb2, c2, r2, g2, h2 = jnp.sum(z * z, axis=1)
        a11, g1 = jax.random.normal(kn, (2,))
        nA = jnp.sqrt(a11**2 + c2 + r2 + g1**2 + g2 + h2 + chi2[0])
        nu, nb, nc, nr = jnp.sqrt(nu2), jnp.sqrt(nb2), jnp.sqrt(c2), jnp.sqrt(r2)
        e1, zero = jnp.array([1.0, 0.0, 0.0]), jnp.zeros(())
        beta, u = nb * e1, nu * e1
        Au, Atb = nu * jnp.stack([a11, nc, zero]), nb * jnp.stack([a11, nr, zero])
        AAtb = nb * jnp.stack([a11**2 + r2, a11 * nc + nr * g1, nr * jnp.sqrt(g2)])
        AtAu = nu * jnp.stack([a11**2 + c2, a11 * nr + nc * g1, nc * jnp.sqrt(h2)])
        nan = jnp.asarray(jnp.nan)
        out = jax.vmap(_one_step_columns(m, beta, u, Au, Atb, AAtb, AtAu, nA, nan, nan))(alphas)
        return out[:, jnp.asarray(_LAW_COLUMNS)]

    return one


def _op_df(m: int, M: int) -> np.ndarray:
    """The χ² of _op_law's network (0: none past the width): d_k², e_k² (k < M), ‖u‖², ‖β̃₂:‖²."""
    i = np.arange(M, dtype=np.float64)
    return np.maximum(np.concatenate([m - i, m - 1.0 - i, [m, m - 1.0]]), 0.0)


def _law_df(m: int, M: int) -> np.ndarray:
    """The χ² of _law_fn's network: the rest of ‖A⁰‖_F², χ²((m−2)²)."""
    return np.array([(m - 2.0) ** 2])


def _op_law(rng: np.random.Generator, m: int, alphas: np.ndarray, count: int) -> np.ndarray:
    """(count, n_alpha·len(OP_COLUMNS)), α-major: ‖ΔA‖_op/‖A⁰‖_op and ‖A⁰‖_op after one step at width m, from their
    exact joint law: 2m + 1 χ² and one normal per network and O(m) work, NumPy and LAPACK on the host (no XLA
    program: a sequential multisection loop compiled in ~1 s).

    They read ‖β⁰‖, ‖u⁰‖, Φ⁰ ∝ β⁰ᵀA⁰u⁰ (through sc) and ‖A⁰‖_op (ΔA = −scβ⁰u⁰ᵀ is rank one: ‖ΔA‖_op = |sc|‖β⁰‖‖u⁰‖).
    Golub–Kahan bidiagonalisation of an iid N(0,1) m×m A started from v₁ = u/‖u‖ (Dumitriu–Edelman 2002, the
    β-Laguerre model at β = 1): a left Householder reflection maps A v₁ to d₁e₁, d₁ = ‖Av₁‖ ~ χ_m, and leaves the
    other columns iid Gaussian, independent of d₁; a right reflection on columns 2…m maps the rest of the first row
    to e₁e₁, e₁ ~ χ_{m−1}; and so on. So A = UBVᵀ with V e₁ = v₁ and B upper bidiagonal with independent diagonal
    d_k ~ χ_{m−k+1} (χ_m, …, χ₁) and superdiagonal e_k ~ χ_{m−k} (χ_{m−1}, …, χ₁), independent of u (A's law is
    invariant under A → AQ). β independent of (A, u) gives β̃ = Uᵀβ ~ N(0, I_m) independent of (B, u). Hence
    Au = ‖u‖UBe₁ = ‖u‖d₁Ue₁, βᵀA⁰u⁰ = ‖u‖d₁β̃₁, ‖β‖² = β̃₁² + χ²(m−1), and ‖A⁰‖_op = σ_max(B) = √λ_max(BᵀB),
    BᵀB tridiagonal with diagonal d_k² + e_{k−1}² and off-diagonal d_k e_k: λ_max by LAPACK's bisection on its
    Sturm sequence (stebz, the largest eigenvalue only), exact to round-off, where linear3.one_step's 24 power
    iterations on the m×m A⁰ read ~1–2% low. tests/ hold the law against drawn networks (KS, every column)."""
    from scipy.linalg import eigvalsh_tridiagonal

    x2 = _host_chi_squares(rng, np.broadcast_to(_op_df(m, m), (count, 2 * m + 2)))
    d2, e2, nu2, rest2 = x2[:, :m], x2[:, m:2 * m], x2[:, 2 * m], x2[:, 2 * m + 1]
    b1 = rng.standard_normal(count)
    diag = d2 + np.concatenate([np.zeros((count, 1)), e2[:, :-1]], axis=1)
    off = np.sqrt(d2 * e2)[:, :-1]
    a_op = np.sqrt([eigvalsh_tridiagonal(diag[i], off[i], select="i", select_range=(m - 1, m - 1),
                                         lapack_driver="stebz")[0] for i in range(count)])
    bAu = np.sqrt(nu2 * d2[:, 0]) * b1
    outer = np.sqrt((b1**2 + rest2) * nu2)  # ‖β⁰‖‖u⁰‖ = ‖ΔA‖_op/|sc|
    sc = _step_scale(m, alphas[None, :], bAu[:, None])[2]  # (count, n_alpha)
    return np.stack([np.abs(sc) * (outer / a_op)[:, None], np.broadcast_to(a_op[:, None], sc.shape)],
                    axis=2).reshape(count, -1)


DIAG_CELLS = 2 ** 20  # networks × m per host chunk of _diag_law (three such arrays: ~24 MB)


def _diag_law(rng: np.random.Generator, m: int, alphas: np.ndarray, count: int) -> np.ndarray:
    """(count, n_alpha): median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ| = |sc|·median_i |βᵢuᵢ|/|A⁰ᵢᵢ| after one step at width m, from its
    exact law with 3m + 1 normal draws per network, NumPy on the host (no XLA program: a sort compiled in ~1 s).

    It reads β⁰, u⁰, the diagonal of A⁰ and Φ⁰ ∝ β⁰ᵀA⁰u⁰ (through sc). Given β, u and diag(A⁰), βᵀA⁰u =
    Σᵢ βᵢuᵢA⁰ᵢᵢ + Σ_{i≠j} βᵢA⁰ᵢⱼuⱼ, and the off-diagonal entries are iid N(0,1) independent of the rest, so the
    second sum is exactly N(0, Σ_{i≠j} βᵢ²uⱼ²) = N(0, ‖β‖²‖u‖² − Σᵢ βᵢ²uᵢ²). tests/ hold it against drawn networks."""
    parts = []
    for start in range(0, count, max(1, DIAG_CELLS // m)):
        n = min(max(1, DIAG_CELLS // m), count - start)
        beta, u, diag = rng.standard_normal((3, n, m))
        bu = beta * u
        rest = np.sum(beta * beta, 1) * np.sum(u * u, 1) - np.sum(bu * bu, 1)
        bAu = np.sum(bu * diag, 1) + np.sqrt(np.maximum(rest, 0.0)) * rng.standard_normal(n)
        med = np.median(np.abs(bu) / np.abs(diag), axis=1)
        parts.append(np.abs(_step_scale(m, alphas[None, :], bAu[:, None])[2]) * med[:, None])
    return np.concatenate(parts)


def _exact_sampler(fn_for, alphas: tuple, pad: int | None, chunk: int, min_width: int, law: str, chi_df=None):
    """sample(key, m, count) → (count, len(alphas)·outputs), α-major, from `fn_for(M, len(alphas))`, padded to `pad`
    (else m itself); chi_df(m, M): the degrees of freedom of the χ² each network takes as its last argument (drawn on
    the host, _chi_draws)."""
    alphas = tuple(float(a) for a in alphas)
    shared = jax.device_put(np.asarray(alphas))

    def sample(key, m, count, max_width=None):
        if int(m) != m or m < min_width:
            raise ValueError(f"width m={m!r}: the exact {law} needs an integer m ≥ {min_width} "
                             "(linear3.one_step draws any network)")
        m, M = padding(m, pad, max_width)
        chi2 = () if chi_df is None else (_chi_draws(key, chi_df(m, M), count),)
        out = sharded_vmap(fn_for(M, len(alphas)), split_keys(key, count), jax.device_put(np.float64(m)), shared,
                           *chi2, batched=(2,) if chi2 else (), chunk=chunk)
        return np.asarray(out).reshape(count, -1)

    return sample


def law_sampler(alphas: tuple, pad: int | None = None):
    """The one-step outputs LAW_OUTPUTS from their exact law (_law_fn)."""
    return _exact_sampler(_law_fn, alphas, pad, LAW_CHUNK, LAW_MIN_WIDTH, "one-step law", _law_df)


def _host_sampler(law, alphas: tuple, pad: int | None, what: str):
    """sample(key, m, count) → law(rng, m, alphas, count), rng a NumPy generator seeded by the key; `pad` only bounds
    the width (host draws do not depend on it: nothing is compiled)."""
    alphas = np.asarray(tuple(float(a) for a in alphas))

    def sample(key, m, count, max_width=None):
        if int(m) != m or m < 1:
            raise ValueError(f"width m={m!r}: the exact {what} needs an integer m ≥ 1 (linear3.one_step draws any "
                             "network)")
        m, _ = padding(m, pad, max_width)
        return law(numpy_rng(key), m, alphas, int(count))

    return sample


def op_sampler(alphas: tuple, pad: int | None = None):
    """OP_COLUMNS from their exact law (_op_law, on the host)."""
    return _host_sampler(_op_law, alphas, pad, "law of the operator norms")


def diag_sampler(alphas: tuple, pad: int | None = None):
    """MEDIAN_COLUMN from its exact law (_diag_law, on the host)."""
    return _host_sampler(_diag_law, alphas, pad, "law of the diagonal median")


def sweep_sampler(alphas: tuple, with_op: bool = False):
    """sample(key, m, count) → (count, len(alphas)·len(SWEEP_OUTPUTS)), α-major."""
    alphas = tuple(float(a) for a in alphas)

    def sample(key, m, count, max_width=None):
        m = int(m)
        fn = _sweep_fn(m, len(alphas))
        out = sharded_vmap(fn, split_keys(key, count), jax.device_put(np.asarray(alphas)),
                           jax.device_put(OP_ITERATIONS if with_op else 0), chunk=_chunk(m))
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
def _trajectory_fn(n_alpha: int, steps: int):
    """key, m, alphas, eta_scale, chi2 → (n_alpha·len(TRAJECTORY_OUTPUTS) + 2,) for any width m (traced): β⁰, A⁰, u⁰
    in rotated coordinates (lazy_gaussian.rotated: ℝ^{1+K}, K = trajectory_capacity, whatever m; chi2 its χ²), exact
    since every output is invariant under β → Pβ, A → PAQᵀ, u → Qu; trajectory_outputs, then ‖A⁰‖_F² = seen +
    χ²(df) as (seen, df): trajectory_sampler draws the χ² on the host. One compilation for every width and sweep."""
    capacity = trajectory_capacity(n_alpha, steps)

    def one(key, m, alphas, eta_scale, chi2):
        lazy, beta0, u0 = lazy_gaussian.rotated(key, m, capacity, chi2)
        lazy, out = trajectory_outputs(beta0, u0, lazy, m, alphas, eta_scale, steps)
        return jnp.concatenate([out.ravel(), jnp.stack(lazy_gaussian.frobenius_parts(lazy))])

    return one


TRAJECTORY_CHUNK = 320  # networks per vmapped chunk (~4K² doubles of state each): the 40 batch means divide it


def trajectory_sampler(alphas: tuple, steps: int = TRAJECTORY_STEPS, eta_scale: float = TRAJECTORY_ETA_SCALE):
    """sample(key, m, count) → (count, len(alphas)·len(TRAJECTORY_OUTPUTS)), α-major."""
    alphas = tuple(float(a) for a in alphas)
    if steps < 1:
        raise ValueError(f"steps={steps}: give at least one GD step")
    fn, capacity = _trajectory_fn(len(alphas), int(steps)), trajectory_capacity(len(alphas), int(steps))
    shared = jax.device_put(np.asarray(alphas)), jax.device_put(float(eta_scale))

    def sample(key, m, count, max_width=None):
        if int(m) != m or m < 1:
            raise ValueError(f"width m={m!r}: give a positive integer width")
        raw = np.asarray(sharded_vmap(fn, split_keys(key, count), jax.device_put(np.float64(m)), *shared,
                                      _chi_draws(key, lazy_gaussian.rotated_df(int(m), capacity), count),
                                      batched=(3,), chunk=TRAJECTORY_CHUNK))
        out, seen, df = raw[:, :-2].reshape(count, len(alphas), -1), raw[:, -2], raw[:, -1]
        # the rest of ‖A⁰‖_F² from a generator of its own (the key folded: not the stream of the χ² above)
        rest = _host_chi_squares(numpy_rng(np.append(np.asarray(jax.random.key_data(key)).ravel(), 1)), df)
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


def exact_row_sampler():
    """sample(key, m, count) → (count, len(ROW_OUTPUTS)) from their exact joint law, on the host (NumPy, seeded by the
    key: no XLA program, O(1) draws per network whatever m). A⁰ Gaussian is rotation invariant, so given u⁰ the
    entries (A⁰u⁰)ᵢ/‖u⁰‖ are iid N(0,1) independent of u⁰ (what linear3.hidden-law checks on drawn rows), and
    βᵀA⁰u | β, u ~ N(0, ‖β‖²‖u‖²): the outputs are functions of ‖u⁰‖², ‖β⁰‖², ‖A⁰u⁰‖²/‖u⁰‖² (three independent
    χ²(m)) and three independent N(0,1). For width sweeps; the laws at one width draw rows (row_sampler)."""
    def sample(key, m, count, max_width=None):
        if int(m) != m or m < 1:
            raise ValueError(f"width m={m!r}: give a positive integer width")
        rng = numpy_rng(key)
        nu2, nb2, chi = rng.chisquare(int(m), size=(3, count))
        z1, z2, w = rng.standard_normal((3, count))
        nu, x = np.sqrt(nu2), model.X_INPUT
        return np.column_stack([nu2, z1, z2, nu * z1 * x / np.sqrt(m), np.sqrt(nb2) * nu * w / m,
                                (nu2 / m) * chi / m])

    return sample


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
def _exact_observable(name: str, description: str, columns: tuple, sampler, cost):
    """Register one of the exact laws of linear3.one_step's columns: per α (α-major), padded to `pad`."""
    register(Observable(
        name, "linear3", description,
        {"alphas": Param("α values (those of the output names)", ONE_STEP_ALPHAS, kind="vector"), "pad": PAD},
        tuple(f"α={a:g}: {o}" for a in ONE_STEP_ALPHAS for o in columns),
        lambda alphas, pad: unpadded(sampler(_declared(name, alphas, ONE_STEP_ALPHAS), pad_length(pad))),
        width="m", cost=cost))


_exact_observable(
    "linear3.one_step_law",
    "the outputs of linear3.one_step (the same network, loss and step) but ‖A⁰‖_op and the diagonal median, "
    "drawn from their exact joint law: a rotation reduces β⁰, A⁰, u⁰ to seven χ² and two normal variables, O(m) "
    "draws per network instead of m² (m ≥ 3; per α, α-major)",
    LAW_OUTPUTS, law_sampler,
    per_replicate(lambda v, m: 12 * max(m, v["pad"]) + 400 * len(v['alphas']),
                  lambda v, m: 6 * max(m, v["pad"]) + 30 * len(v['alphas']), LAW_CHUNK))
_exact_observable(
    "linear3.one_step_op",
    "‖ΔA‖_op/‖A⁰‖_op and ‖A⁰‖_op of linear3.one_step (the same network, loss and step) from their exact joint law: "
    "A⁰'s Golub–Kahan bidiagonal form started from u⁰ (2m independent χ), ‖A⁰‖_op its largest singular value by "
    "LAPACK's Sturm bisection (exact to round-off; linear3.one_step's power iteration reads ~1–2% low), O(m) per network "
    "(per α, α-major)",
    OP_COLUMNS, op_sampler,
    per_replicate(lambda v, m: 100 * m, lambda v, m: 12 * m, 1))
_exact_observable(
    "linear3.one_step_diag",
    "median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ| of linear3.one_step (the same network, loss and step) from its exact law: β⁰, u⁰ and "
    "diag A⁰ drawn, β⁰ᵀA⁰u⁰ given them Gaussian (the off-diagonal entries integrated out), 3m + 1 normal draws per "
    "network (per α, α-major)",
    (MEDIAN_COLUMN,), diag_sampler,
    per_replicate(lambda v, m: 40 * m, lambda v, m: 8 * m, lambda v, m: max(1, DIAG_CELLS // m)))
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
    "linear3.init_exact", "linear3",
    "the outputs of linear3.init_laws from their exact joint law (three χ²(m) and three N(0,1) per network, drawn on "
    "the host: no compilation, O(1) whatever m)",
    {},
    ROW_OUTPUTS,
    lambda: exact_row_sampler(),
    width="m",
    cost=per_replicate(lambda v, m: 60, lambda v, m: 6, 1024),
))
register(Observable(
    "linear3.trajectory", "linear3",
    "the same network trained by T GD steps (square loss, x=1, y=1, η=eta_scale·m^{2α−1}) against its "
    "linearization Φ^lin trained the same way from the same θ⁰: remainders of the first-order models, the linear "
    "model's error, relative drifts, relative feature change, output change, residual (per α, α-major)",
    {"alphas": Param("α values (those of the output names)", TRAJECTORY_ALPHAS, kind="vector"),
     "steps": Param("T, the number of GD steps", TRAJECTORY_STEPS, kind="int"),
     "eta_scale": Param("η = eta_scale·m^{2α−1} (≲ 0.6 keeps GD stable: ηK(θ⁰) ≈ 3·eta_scale)",
                        TRAJECTORY_ETA_SCALE, kind="float")},
    tuple(f"α={a:g}: {o}" for a in TRAJECTORY_ALPHAS for o in TRAJECTORY_OUTPUTS),
    lambda alphas, steps, eta_scale: trajectory_sampler(
        _declared("linear3.trajectory", alphas, TRAJECTORY_ALPHAS), int(steps), float(eta_scale)),
    width="m",
    # A⁰ is lazy in rotated coordinates (verify.models._lazy_gaussian.rotated): K = 1 + n_α·T directions a side,
    # 2(T + 1)n_α queries of ~20 K² flops, 4 K² cells, whatever m
    cost=per_replicate(
        lambda v, m: 40 * (v['steps'] + 1) * len(v['alphas']) * trajectory_capacity(len(v['alphas']), v['steps']) ** 2,
        lambda v, m: 4 * trajectory_capacity(len(v['alphas']), v['steps']) ** 2, TRAJECTORY_CHUNK),
))
