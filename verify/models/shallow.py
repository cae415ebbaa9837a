"""The one-hidden-layer network Φ(x,w) = vᵀσ(Ux+b)+c of seeds 000/001 (Petersen–Zech §11.5).

Parameters are a `Params` named tuple (U, b, v, c) so that JAX autodiff sees the same blocks the
source writes gradients for. Everything here is a pure function of explicit arrays and keys.
"""
from __future__ import annotations

from typing import NamedTuple

from verify import _draws
from verify._jax import jax, jnp
from verify.models._activations import Activation
from verify.models._gram import block_size, gram, over_units, piece_size
from verify.models._laws import Law


class Params(NamedTuple):
    U: jax.Array  # (n, d)
    b: jax.Array  # (n,)
    v: jax.Array  # (n,)
    c: jax.Array  # ()


def param_count(params: Params) -> int:
    return sum(int(leaf.size) for leaf in jax.tree_util.tree_leaves(params))


def lecun_init(key: jax.Array, n, d: int, base: Law, pad_to: int | None = None) -> Params:
    """U₀ᵢⱼ ~ 𝒟(0,1/d), v₀ᵢ ~ 𝒟(0,1/n), b₀ = c₀ = 0 (seed 000 §11.5.2).

    With `pad_to`, the arrays have pad_to ≥ n rows and the rows past n are zero; n may then be a
    traced value, so one compilation serves every width. Zero neurons stay exactly zero under
    gradient descent for every σ with σ(0) = 0 (their gradients are σ(0), v·σ', v·σ'x, all 0),
    so the padded network is exactly the width-n one.
    """
    ku, kv = jax.random.split(key)
    rows = n if pad_to is None else pad_to
    return lecun_scale(base.sample(ku, (rows, d)), base.sample(kv, (rows,)), n, pad_to)


def lecun_scale(xu: jax.Array, xv: jax.Array, n, pad_to: int | None = None) -> Params:
    """`lecun_init` from its standardised draws ξ_U (rows, d), ξ_v (rows,): U = ξ_U/√d, v = ξ_v/√n, b = c = 0."""
    rows, d = xu.shape
    mask = 1.0 if pad_to is None else (jnp.arange(pad_to) < n).astype(jnp.float64)
    U = xu / jnp.sqrt(d) * (mask if pad_to is None else mask[:, None])
    v = xv / jnp.sqrt(n) * mask
    return Params(U, jnp.zeros(rows), v, jnp.zeros(()))


def lecun_standard(key: jax.Array, n, d: int, law_name: str, rows: int) -> tuple[jax.Array, jax.Array]:
    """The 𝒟(0,1) draws ξ_U (rows, d), ξ_v (rows,) behind `lecun_init(key, n, d, law)` (U = ξ_U/√d, v = ξ_v/√n),
    padded to `rows` ≥ n: the first n rows are bitwise lecun_init's, for a traced n (verify._draws), so one
    compilation of the sampler serves every width; the rows past n are draws of no use."""
    ku, kv = jax.random.split(key)
    return _draws.standard_rows(ku, law_name, n, d, rows), _draws.standard(kv, law_name, n, rows)


def forward(params: Params, x: jax.Array, act: Activation) -> jax.Array:
    """Φ(x,w) for one input x of shape (d,)."""
    return params.v @ act.f(params.U @ x + params.b) + params.c


def forward_batch(params: Params, X: jax.Array, act: Activation) -> jax.Array:
    """Φ(X,w) = (Φ(xᵢ,w))ᵢ for X of shape (m, d)."""
    return act.f(X @ params.U.T + params.b) @ params.v + params.c


def ntk(params: Params, x: jax.Array, z: jax.Array, act: Activation) -> jax.Array:
    """K_n(x,z) = ⟨∇_wΦ(x,w), ∇_wΦ(z,w)⟩ from the block structure, in O(n·d), no Jacobian.

    ∇_U, ∇_b give Σᵢ vᵢ²σ'(hᵢ(x))σ'(hᵢ(z))(xᵀz+1); ∇_v gives Σᵢ σ(hᵢ(x))σ(hᵢ(z)); ∇_c gives 1.
    """
    hx = params.U @ x + params.b
    hz = params.U @ z + params.b
    first = jnp.sum(params.v**2 * act.df(hx) * act.df(hz)) * (x @ z + 1.0)
    second = jnp.sum(act.f(hx) * act.f(hz))
    return first + second + 1.0


def ntk_matrix(params: Params, X: jax.Array, act: Activation, block: int | None = None) -> jax.Array:
    """(K_n(xᵢ,xⱼ))ᵢⱼ for X of shape (m, d), structured as `ntk`: O(m²·n) memory-free of P.

    With H = XUᵀ + b, K = (σ'(H)v)(σ'(H)v)ᵀ ⊙ (XXᵀ + 1) + σ(H)σ(H)ᵀ + 1; both Gram products are summed over
    blocks of hidden units (`block`, default `_gram.block_size(m)`; one block in `_gram.piece_size(m)`-unit pieces)
    and use their symmetry (`_gram.gram`)."""
    X = jnp.asarray(X)

    def part(U, b, v):
        H = X @ U.T + b  # (m, units of the block)
        return gram(act.df(H) * v), gram(act.f(H))

    m = X.shape[0]
    dd, ss = over_units(part, (params.U, params.b, params.v), block_size(m) if block is None else block, piece_size(m))
    return dd * (X @ X.T + 1.0) + ss + 1.0


def ntk_dense(params: Params, x: jax.Array, z: jax.Array, act: Activation) -> jax.Array:
    """K_n by materialising both gradients: the reference the structured formula is tested against."""
    gx = jax.grad(forward)(params, x, act)
    gz = jax.grad(forward)(params, z, act)
    return sum(jnp.vdot(a, b) for a, b in zip(jax.tree_util.tree_leaves(gx), jax.tree_util.tree_leaves(gz)))


def square_loss(params: Params, X: jax.Array, y: jax.Array, act: Activation) -> jax.Array:
    """f(w) = Σᵢ (Φ(xᵢ,w) − yᵢ)² (seed 000 §11.5.4: a sum, not a mean)."""
    r = forward_batch(params, X, act) - y
    return r @ r


def flat(params: Params) -> jax.Array:
    return jnp.concatenate([jnp.ravel(a) for a in params])


def weighted_gradient(params: Params, X: jax.Array, r: jax.Array, act: Activation) -> Params:
    """Σᵢ rᵢ∇_wΦ(xᵢ,w) from the block formulas (O(m·n·d), no Jacobian): with H = XUᵀ + b,
    ∇_v = σ(H)ᵀr, ∇_U = ((r ⊗ v)⊙σ'(H))ᵀX, ∇_b = Σᵢ (rᵢv⊙σ'(Hᵢ)), ∇_c = Σᵢ rᵢ."""
    H = X @ params.U.T + params.b
    gH = (r[:, None] * params.v[None, :]) * act.df(H)
    return Params(gH.T @ X, gH.sum(0), act.f(H).T @ r, r.sum())


def _tangent(params0: Params, X: jax.Array, delta: Params, act: Activation) -> jax.Array:
    """∇_wΦ(X,w₀)·δ, the directional derivative of the outputs (what Φ^lin adds to Φ(X,w₀))."""
    H = X @ params0.U.T + params0.b
    return ((X @ delta.U.T + delta.b) * act.df(H)) @ params0.v \
        + act.f(H) @ delta.v + delta.c


def linearized(params0: Params, X: jax.Array, p: Params, act: Activation, phi0: jax.Array | None = None) -> jax.Array:
    """Φ^lin(X,p) = Φ(X,w₀) + ∇_wΦ(X,w₀)(p − w₀), structured (no Jacobian). Inside a training loop
    pass phi0 = Φ(X,w₀), computed once, so that each step does not recompute it."""
    if phi0 is None:
        phi0 = forward_batch(params0, X, act)
    return phi0 + _tangent(params0, X, _sub(p, params0), act)


def _sub(a: Params, b: Params) -> Params:
    return jax.tree_util.tree_map(jnp.subtract, a, b)


def axpy(a: Params, h, g: Params) -> Params:
    return jax.tree_util.tree_map(lambda p, q: p - h * q, a, g)


def gd_versus_linearized(params0: Params, X: jax.Array, y: jax.Array, act: Activation, h: jax.Array,
                         steps: int, with_linearized: bool = True) -> dict:
    """Run w_{k+1} = w_k − h∇f(w_k) and p_{k+1} = p_k − h∇f^lin(p_k) from w₀ = p₀ side by side.

    Every gradient of U is a combination of the inputs' rows (∇_U = S ᵀX, `weighted_gradient`), so U never
    needs forming: with U_k = U₀ + B_kᵀX the run carries the pre-activations H = XUᵀ + b (m×n) and the
    coefficients B, updated through the m×m Gram G = XXᵀ + 1 (H ← H − h·G S). One product G S per step
    gives both the new H and the step's norm, ‖∇_U‖² + ‖∇_b‖² = ⟨S, G S⟩, in O(m²n) instead of O(m·n·d).
    Φ^lin moves only by its outputs, Φ^lin(X,p_k) = Φ(X,w₀) + K₀α_k with p_k − w₀ = J₀ᵀα_k (K₀ = J₀J₀ᵀ), so
    the linearised run carries α (m numbers). No m×P Jacobian is formed; tests/ hold one step of each
    against JAX autodiff. Returns per-step traces (entry k is after step k+1): losses, ‖w_k − p_k‖,
    ‖w_k − w₀‖, ‖w_k − w_{k−1}‖ and maxᵢ|Φ(xᵢ,w_k) − Φ^lin(xᵢ,p_k)|.
    """
    G = X @ X.T + 1.0
    H0 = X @ params0.U.T + params0.b
    Z0 = act.f(H0)
    D0 = act.df(H0) * params0.v  # row i: ∇_bΦ(xᵢ,w₀); J₀ᵀα has U, b-coefficients α ⊗ D0
    phi0 = Z0 @ params0.v + params0.c
    K0 = (D0 @ D0.T) * G + Z0 @ Z0.T + 1.0

    def sq(a):
        return jnp.sum(a * a)

    def norm_ub(S):  # ‖SᵀX‖² + ‖1ᵀS‖² for U, b displaced by coefficients S (m×n)
        return jnp.sum(S * (G @ S))

    def measure(state, out_w):
        H, B, v, c, alpha = state
        rec = {"loss": sq(out_w - y),
               "drift": jnp.sqrt(jnp.maximum(jnp.sum(B * (H - H0)) + sq(v - params0.v) + (c - params0.c) ** 2, 0.0))}
        if with_linearized:
            out_p = phi0 + K0 @ alpha
            rec.update(loss_lin=sq(out_p - y),
                       param_gap=jnp.sqrt(norm_ub(B - alpha[:, None] * D0) + sq(v - params0.v - Z0.T @ alpha)
                                          + (c - params0.c - jnp.sum(alpha)) ** 2),
                       output_gap=jnp.max(jnp.abs(out_w - out_p)))
        return rec

    def step(state, _):
        H, B, v, c, alpha = state
        Z = act.f(H)
        out_w = Z @ v + c
        rec = measure(state, out_w)  # of w_k, p_k: shifted by one below
        r = 2.0 * (out_w - y)
        S = r[:, None] * v[None, :] * act.df(H)  # ∇_U = SᵀX, ∇_b = 1ᵀS
        gv, gc, GS = Z.T @ r, jnp.sum(r), G @ S
        rec["step"] = h * jnp.sqrt(jnp.sum(S * GS) + sq(gv) + gc**2)
        if with_linearized:
            alpha = alpha - h * 2.0 * (phi0 + K0 @ alpha - y)
        return (H - h * GS, B - h * S, v - h * gv, c - h * gc, alpha), rec

    start = (H0, jnp.zeros_like(H0), params0.v, params0.c, jnp.zeros_like(y))
    last, trace = jax.lax.scan(step, start, None, length=steps)
    final = measure(last, act.f(last[0]) @ last[2] + last[3])
    loss0 = trace["loss"][0]
    trace = {k: (v if k == "step" else jnp.concatenate([v[1:], final[k][None]])) for k, v in trace.items()}
    trace["loss0"] = loss0
    return trace
