"""Deterministic numerics of the meanfield group (seed 003 §4): autodiff of g(u) = (1/m)Σⱼφ(uⱼ) on seeded random
instances against the formulas by hand, Gauss–Hermite E[DφDφᵀ], and the operator-norm identities on random
matrices. Each function returns the worst discrepancy it saw (plain floats); verify/claims/meanfield.py states
what each must be. Randomness comes from the `rng` passed in (numpy Generator), never from a global state.
"""
from __future__ import annotations

import functools
import math

import numpy as np
from scipy.special import erf

from verify._jax import jax, jnp
from verify.models import meanfield as model


def generic_phi(v):
    """A smooth φ: ℝ³ → ℝ that is not of the two-layer form (every block entry nonzero)."""
    return jnp.sin(v[0] + 2 * v[1]) + v[0] * jnp.cos(v[2]) + v[1] ** 2 * v[2]


def block_phi(family: str, activation: str = "erf"):
    """φ: ℝ³ → ℝ of a block family: "two-layer" (aσ(⟨b,x₁⟩)) or "generic" (generic_phi)."""
    if family == "two-layer":
        X, sigma = jax.device_put(model.X_INPUTS[:1]), model.act_of(activation)  # eager jnp.asarray compiles
        return lambda uj: model.phi_two_layer(uj, X, sigma)[0]
    if family == "generic":
        return generic_phi
    raise ValueError(f"family={family!r}: choose a scalar φ ({', '.join(model.PHIS)}), 'two-layer' or 'generic'")


BLOCK_FAMILIES = ("two-layer", "generic")
JACOBIAN_ACTIVATION = "erf"  # gram_error's Dφ by hand is written for σ = erf
WIDTH = 3  # the coordinates of a row uⱼ of the program's padded array: a block family's (a, b) ∈ ℝ³, a scalar's u in
# the first (the rest zero)


def _program_branches(M: int):
    """The branches of _program, each (U (M, WIDTH), mask, m) → (∇g (M, WIDTH), D²g (M, WIDTH, M, WIDTH),
    (D²φ(uⱼ))ⱼ (M, WIDTH, WIDTH), Dg of the two-layer g at model.X_INPUTS (n, M, WIDTH)), zero where a branch has
    none: every scalar φ of model.PHIS (on U's first column), every block family, then the two-layer Jacobian."""
    n = model.X_INPUTS.shape[0]
    zeros = (jnp.zeros((M, WIDTH)), jnp.zeros((M, WIDTH, M, WIDTH)), jnp.zeros((M, WIDTH, WIDTH)),
             jnp.zeros((n, M, WIDTH)))

    def scalar(fn):
        g = lambda u, msk, m: model.g_scalar(u, msk, m, fn)

        def run(U, msk, m):
            u = U[:, 0]
            grad, H = jax.grad(g)(u, msk, m), jax.hessian(g)(u, msk, m)
            return (zeros[0].at[:, 0].set(grad), zeros[1].at[:, 0, :, 0].set(H)) + zeros[2:]

        return run

    def block(phi):
        g = lambda U, msk, m: jnp.sum(msk * jax.vmap(phi)(U)) / m
        return lambda U, msk, m: (jax.grad(g)(U, msk, m), jax.hessian(g)(U, msk, m), jax.vmap(jax.hessian(phi))(U),
                                  zeros[3])

    X = jax.device_put(model.X_INPUTS)  # device_put: eager jnp.asarray compiles a program per shape
    sigma = model.act_of(JACOBIAN_ACTIVATION)

    def jacobian(U, msk, m):
        return zeros[:3] + (jax.jacrev(model.g_two_layer)(U, msk, m, X, sigma),)

    return ([scalar(spec.fn) for spec in model.PHIS.values()] + [block(block_phi(f)) for f in BLOCK_FAMILIES]
            + [jacobian])


@functools.lru_cache(maxsize=None)
def _program():
    """A jitted (i, U, mask, m) → branch i of _program_branches (a traced switch) over a padded instance array: one
    compilation per padded length serves every scalar φ, both block families, the Jacobian of the two-layer g, every
    width and block_errors. Each row's D²φ is that row's alone, so zero rows padded below change no other row."""
    def run(i, U, msk, m):
        return jax.lax.switch(i, _program_branches(U.shape[0]), U, msk, m)

    return jax.jit(run)


def _branch(name: str) -> int:
    names = list(model.PHIS) + list(BLOCK_FAMILIES)
    if name not in names:
        raise ValueError(f"family={name!r}: choose a scalar φ ({', '.join(model.PHIS)}), 'two-layer' or 'generic'")
    return names.index(name)


def _run(index: int, U: np.ndarray, msk: np.ndarray, m: float):
    """_program's branch `index` on U (rows padded to WIDTH coordinates), as NumPy arrays."""
    rows = np.zeros((len(U), WIDTH))
    rows[:, :(1 if U.ndim == 1 else U.shape[1])] = U.reshape(len(U), -1)
    return [np.asarray(a) for a in _program()(index, jax.device_put(rows), jax.device_put(msk), float(m))]


def _derivatives(family: str):
    """(U, mask, m) → (∇g, D²g) by autodiff. family: a scalar φ name, or a block family of block_phi (d = 3)."""
    index, scalar = _branch(family), family in model.PHIS  # an unknown family fails here, with the choices

    def derivatives(U, msk, m):
        grad, H, _, _ = _run(index, U, msk, m)
        return (grad[:, 0], H[:, 0, :, 0]) if scalar else (grad, H)

    return derivatives


def instances(rng, family: str, widths: tuple, per_width: int, shape: tuple = ()):
    """[(U, ∇g, D²g)] by autodiff, `per_width` draws U iid N(0,1) at each m in widths, trimmed to m (one padded
    length max(widths) for all)."""
    M = max(widths)
    fn = _derivatives(family)
    out = []
    for m in widths:
        msk = (np.arange(M) < m).astype(np.float64)
        for _ in range(per_width):
            U = rng.normal(size=(M,) + shape) * msk.reshape((M,) + (1,) * len(shape))
            grad, H = fn(U, msk, float(m))
            n = int(np.prod(shape, dtype=int))  # coordinates per uⱼ
            out.append((U[:m], grad[:m], H.reshape(M * n, M * n)[:m * n, :m * n]))
    return out


def gradient_errors(inst, phi: str) -> dict:
    """Over scalar instances: max |m∂g/∂uⱼ − φ'(uⱼ)| ("grad") and max relative |‖∇g‖² − (1/m²)Σφ'(uⱼ)²| ("norm")."""
    spec = model.phi_of(phi)
    worst_g = worst_n = 0.0
    for u, grad, _ in inst:
        m = len(u)
        worst_g = max(worst_g, float(np.max(np.abs(grad * m - spec.first(u)))))
        stated = float(np.sum(spec.first(u) ** 2)) / m**2
        worst_n = max(worst_n, abs(float(grad @ grad) - stated) / stated)
    return {"grad": worst_g, "norm": worst_n}


def hessian_errors(inst, phi: str) -> dict:
    """Over scalar instances, D²g against diag(φ''(uⱼ)/m): max m·|off-diagonal| ("off"), max |m·D²gⱼⱼ − φ''(uⱼ)|
    ("diag"), max |m‖D²g‖_op − maxⱼ|φ''(uⱼ)|| ("eq"), max m‖D²g‖_op − ‖φ''‖_∞ ("slack"), the largest m‖D²g‖_op
    ("best") and per m ("per_m")."""
    spec = model.phi_of(phi)
    off = diag = eq = 0.0
    best, slack = -math.inf, -math.inf
    per_m: dict = {}
    for u, _, H in inst:
        m = len(u)
        off = max(off, float(np.max(np.abs(H - np.diag(np.diag(H))))) * m)
        diag = max(diag, float(np.max(np.abs(np.diag(H) * m - spec.second(u)))))
        op = float(np.linalg.norm(H, 2)) * m
        eq = max(eq, abs(op - float(np.max(np.abs(spec.second(u))))))
        slack = max(slack, op - spec.sup_second)
        best = max(best, op)
        per_m[m] = max(per_m.get(m, 0.0), op)
    return {"off": off, "diag": diag, "eq": eq, "slack": slack, "best": best, "per_m": per_m}


def _block_hessians(family: str, U: np.ndarray) -> np.ndarray:
    """(D²φ(uⱼ))ⱼ for the rows of U (padded to the instances' length), by the instances' own compiled program."""
    return _run(_branch(family), U, np.ones(len(U)), float(len(U)))[2]


def block_errors(inst, family: str) -> dict:
    """Over d = 3 block instances, relative to max|D²g|: the largest off-diagonal block entry ("off"), diagonal block
    minus (1/m)D²φ(uⱼ) ("blocks"), the two-layer block against [[0, σ'xᵀ], [σ'x, aσ''xxᵀ]] by hand ("explicit",
    0 for other families); the largest relative excess of ‖D²g‖_op over (1/m)maxⱼ‖D²φ(uⱼ)‖_op ("excess") and the
    smallest ratio of the two ("ratio_min")."""
    M = max(len(U) for U, _, _ in inst)
    off = blocks = excess = explicit = 0.0
    ratio_min = math.inf
    for U, _, H in inst:
        m = len(U)
        scale = max(float(np.max(np.abs(H))), 1e-300)
        per = _block_hessians(family, np.pad(U, ((0, M - m), (0, 0))))[:m] / m
        mask = np.kron(np.eye(m), np.ones((3, 3)))
        off = max(off, float(np.max(np.abs(H * (1 - mask)))) / scale)
        blocks = max(blocks, max(float(np.max(np.abs(H[3 * j:3 * j + 3, 3 * j:3 * j + 3] - per[j])))
                                 for j in range(m)) / scale)
        if family == "two-layer":
            x = model.X_INPUTS[0]
            d1, d2 = model.erf_derivatives(U[:, 1:] @ x)
            for j in range(m):
                want = np.block([[np.zeros((1, 1)), d1[j] * x[None, :]],
                                 [d1[j] * x[:, None], U[j, 0] * d2[j] * np.outer(x, x)]])
                explicit = max(explicit, float(np.max(np.abs(per[j] * m - want))) / (scale * m))
        op = float(np.linalg.norm(H, 2))
        bound = max(float(np.linalg.norm(p, 2)) for p in per)
        excess = max(excess, (op - bound) / bound)
        ratio_min = min(ratio_min, op / bound)
    return {"off": off, "blocks": blocks, "explicit": explicit, "excess": excess, "ratio_min": ratio_min}


def gram_error(rng, widths: tuple, per_width: int, activation: str = "erf") -> float:
    """max relative |DgDgᵀ − (1/m²)ΣⱼDφ(uⱼ)Dφ(uⱼ)ᵀ|: Dg by jax.jacrev of the two-layer g, Dφ by hand (σ = erf)."""
    if activation != JACOBIAN_ACTIVATION:
        raise ValueError(f"activation={activation!r}: Dφ by hand is written for σ = erf only")
    X, M = model.X_INPUTS, max(widths)
    jacobian = len(model.PHIS) + len(BLOCK_FAMILIES)  # _program's last branch
    worst = 0.0
    for m in widths:
        msk = (np.arange(M) < m).astype(np.float64)
        for _ in range(per_width):
            U = rng.normal(size=(M, 1 + X.shape[1])) * msk[:, None]
            D = _run(jacobian, U, msk, float(m))[3].reshape(X.shape[0], -1)
            U = U[:m]
            z = U[:, 1:] @ X.T  # (m, n)
            ds, _ = model.erf_derivatives(z)
            dphi = np.concatenate([erf(z)[:, :, None], (U[:, :1] * ds)[:, :, None] * X[None]], axis=2)  # (m, n, 1+d)
            stated = np.einsum("jki,jli->kl", dphi, dphi) / m**2
            worst = max(worst, float(np.max(np.abs(D @ D.T - stated))) / float(np.max(np.abs(stated))))
    return worst


def gram_quadrature(nodes: int = 80) -> np.ndarray:
    """E[DφDφᵀ] for φ = aσ(⟨b,x⟩), σ = erf, at the inputs model.X_INPUTS, by a nodes×nodes Gauss–Hermite rule on
    b ∈ ℝ² (E[a²] = 1): the independent check of the closed forms of model.gram_limit."""
    t, w = np.polynomial.hermite.hermgauss(nodes)
    B = np.sqrt(2) * np.stack(np.meshgrid(t, t, indexing="ij"), axis=-1).reshape(-1, 2)
    W = np.outer(w, w).reshape(-1) / np.pi
    X = model.X_INPUTS
    z = B @ X.T
    s, (ds, _) = erf(z), model.erf_derivatives(z)
    return np.einsum("p,pk,pl->kl", W, s, s) + np.einsum("p,pk,pl->kl", W, ds, ds) * (X @ X.T)


def opnorm_errors(rng, shapes: tuple, per_shape: int = 8, probes: int = 256) -> dict:
    """Relative errors of ‖A‖_op² = ‖AᵀA‖_op ("sq"), ‖A‖_op = ‖Aᵀ‖_op ("t"), and for S = A₊ + A₊ᵀ (A₊ the leading
    square block) ‖S‖_op = max|λ(S)| ("sym") and |vᵀSv| = ‖S‖_op at the extreme eigenvector ("attain"), over
    `per_shape` Gaussian A per shape at scales 1e-3…1e3; "exceed": the largest |xᵀSx|/‖S‖_op − 1 over `probes`
    random unit x."""
    worst = {"sq": 0.0, "t": 0.0, "sym": 0.0, "attain": 0.0}
    exceed = -math.inf
    for shape in shapes:
        for _ in range(per_shape):
            A = rng.normal(size=shape) * rng.choice([1e-3, 1.0, 1e3])
            op = float(np.linalg.norm(A, 2))
            worst["sq"] = max(worst["sq"], abs(op**2 - float(np.linalg.norm(A.T @ A, 2))) / op**2)
            worst["t"] = max(worst["t"], abs(op - float(np.linalg.norm(A.T, 2))) / op)
            k = min(shape)
            S = A[:k, :k] + A[:k, :k].T
            lam, vec = np.linalg.eigh(S)
            s_op = float(np.linalg.norm(S, 2))
            v = vec[:, np.argmax(np.abs(lam))]
            worst["sym"] = max(worst["sym"], abs(s_op - float(np.max(np.abs(lam)))) / s_op)
            worst["attain"] = max(worst["attain"], abs(s_op - abs(float(v @ S @ v))) / s_op)
            x = rng.normal(size=(probes, k))
            x /= np.linalg.norm(x, axis=1, keepdims=True)
            exceed = max(exceed, float(np.max(np.abs(np.einsum("pi,ij,pj->p", x, S, x)))) / s_op - 1.0)
    return {**worst, "exceed": exceed}
