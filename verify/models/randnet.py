"""Random deep fully connected networks of seed 004.

    z⁽¹⁾ = W⁽¹⁾x,  z⁽ℓ⁺¹⁾ = W⁽ℓ⁺¹⁾σ(z⁽ℓ⁾),  W⁽ℓ⁾ᵢⱼ ~ N(0, C_W/n_{ℓ−1}),  no biases,

with n₀ = d the input dimension, hidden widths n₁..n_L and n_{L+1} outputs.

Two ways to the same weights, from one key:
  preactivations — the Monte Carlo path: hidden layers run in a lax.scan that draws each n_max×n_max
                   weight matrix inside the loop (never all L of them at once, so depth costs time,
                   not memory) and masks it down to (n_ℓ, n_{ℓ−1}); one XLA compilation per
                   (d, n_max, L, n_out, k inputs), whatever the widths n_ℓ ≤ n_max.
  weights        — the same matrices materialised (sliced to their true shapes) for the things that
                   need θ explicitly: Hessians, per-sample gradients, GD. tests/ hold the two equal.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from verify._draws import standard
from verify._jax import jax, jnp, split_keys
from verify.models._activations import activation


@dataclass(frozen=True)
class Architecture:
    """d inputs, hidden widths n₁..n_L (the list's length is L), n_out outputs, C_W, σ by name."""

    d: int
    widths: tuple[int, ...]
    n_out: int
    C_W: float
    sigma: str

    def __post_init__(self):
        if self.d < 1 or self.n_out < 1:
            raise ValueError(f"d={self.d}, n_out={self.n_out}: both must be ≥ 1")
        if not self.widths or min(self.widths) < 1:
            raise ValueError(f"widths={self.widths!r}: give at least one hidden width, each ≥ 1")
        if not self.C_W > 0:
            raise ValueError(f"C_W={self.C_W!r}: the weight variance must be > 0")
        activation(self.sigma)  # names the choices if unknown

    @property
    def depth(self) -> int:
        return len(self.widths)

    @property
    def n_max(self) -> int:
        return max(self.widths)

    @property
    def inverse_width_sum(self) -> float:
        """Σ_ℓ 1/n_ℓ over the hidden layers: the seed's L/n for unequal widths."""
        return float(sum(1.0 / n for n in self.widths))

    def n_params(self) -> int:
        sizes = (self.d, *self.widths, self.n_out)
        return int(sum(a * b for a, b in zip(sizes[:-1], sizes[1:])))


def _layer_keys(key, depth: int):
    # one key per weight matrix W⁽¹⁾..W⁽ᴸ⁺¹⁾; both paths draw from exactly these
    return jax.random.split(key, depth + 1)


def _hidden_draw(key, n_max: int):
    return jax.random.normal(key, (n_max, n_max))


def _first_draw(key, n_max: int, d: int):
    return jax.random.normal(key, (n_max, d))


def _last_draw(key, n_out: int, n_max: int):
    return jax.random.normal(key, (n_out, n_max))


def _hidden_stack(keys, n_max: int):
    # one vmapped sampler for every hidden layer (the same draws as _hidden_draw per key): the program, and its
    # compile time, does not grow with L
    return _unfolded(jax.vmap(_hidden_draw, in_axes=(0, None))(keys, n_max))


def _unfolded(draw):
    # Under jit XLA folds the scale √(C_W/fan-in) into the sampler's own √2 (x·a·b → x·(ab), rounded differently):
    # the barrier keeps the weights of a jitted caller equal bit for bit to eager ones (tests hold them equal)
    return jax.lax.optimization_barrier(draw)


def stacked_weights(key, arch: Architecture) -> tuple:
    """`weights` of an equal-width network as (W⁽¹⁾, hidden W⁽²⁾..W⁽ᴸ⁾ stacked (L−1, n, n) or None, W⁽ᴸ⁺¹⁾), for a
    lax.scan over the hidden layers: the same numbers, bit for bit, without L slices."""
    if len(set(arch.widths)) != 1:
        raise ValueError(f"widths={arch.widths!r}: stacked_weights needs equal hidden widths; use weights")
    keys, n = _layer_keys(key, arch.depth), arch.n_max
    hidden = _hidden_stack(keys[1:arch.depth], n) * np.sqrt(arch.C_W / n) if arch.depth > 1 else None
    return (_unfolded(_first_draw(keys[0], n, arch.d)) * np.sqrt(arch.C_W / arch.d), hidden,
            _unfolded(_last_draw(keys[-1], arch.n_out, n)) * np.sqrt(arch.C_W / n))


_DRAW_MIN = 1 << 14  # the smallest padded draw of `weights`: one program serves every matrix up to 128 × 128


@functools.lru_cache(maxsize=None)
def _flat_normal_fn(total: int):
    """(key data, size) → (total,): the first `size` entries are jax.random.normal(key, (size,)) bit for bit."""
    return jax.jit(lambda data, size: standard(jax.random.wrap_key_data(data, impl="threefry2x32"), "normal", size,
                                               total))


def _normal(data, shape: tuple) -> np.ndarray:
    """jax.random.normal(key, shape) (float64) bit for bit, on the host, from one program per padded size."""
    size = int(np.prod(shape))
    total = max(_DRAW_MIN, 1 << (size - 1).bit_length())
    return np.asarray(_flat_normal_fn(total)(data, np.int32(size)))[:size].reshape(shape)


def weights(key, arch: Architecture) -> list[jax.Array]:
    """[W⁽¹⁾ (n₁×d), W⁽²⁾ (n₂×n₁), …, W⁽ᴸ⁺¹⁾ (n_out×n_L)], the matrices `preactivations` uses. Keys and scaling on the
    host, the draws by verify._draws with a traced size: one program for every architecture up to width 128 (a jitted
    draw per architecture compiled ~0.6 s each; eagerly, every draw, slice and scale compiled on its own)."""
    if isinstance(key, jax.core.Tracer):  # under vmap or jit: the keys are not on the host
        return _traced_weights(key, arch)
    keys = np.asarray(jax.random.key_data(split_keys(key, arch.depth + 1)))  # = _layer_keys(key, depth), on the host
    n, sizes = arch.n_max, (arch.d, *arch.widths, arch.n_out)
    out = [_normal(keys[0], (n, arch.d))[: sizes[1]] * np.sqrt(arch.C_W / arch.d)]
    out += [_normal(keys[ell], (n, n))[: sizes[ell + 1], : sizes[ell]] * np.sqrt(arch.C_W / sizes[ell])
            for ell in range(1, arch.depth)]
    out.append(_normal(keys[-1], (arch.n_out, n))[:, : sizes[-2]] * np.sqrt(arch.C_W / sizes[-2]))
    return [jax.device_put(w) for w in out]


@functools.partial(jax.jit, static_argnums=1)
def _traced_weights(key, arch: Architecture) -> list[jax.Array]:
    """`weights` for a traced key (the same numbers: tests hold them equal), one program per architecture."""
    keys = _layer_keys(key, arch.depth)
    n, sizes = arch.n_max, (arch.d, *arch.widths, arch.n_out)
    out = [_unfolded(_first_draw(keys[0], n, arch.d))[: sizes[1]] * np.sqrt(arch.C_W / arch.d)]
    if arch.depth > 1:
        hidden = _hidden_stack(keys[1:arch.depth], n)
        out += [hidden[ell - 1, : sizes[ell + 1], : sizes[ell]] * np.sqrt(arch.C_W / sizes[ell])
                for ell in range(1, arch.depth)]
    out.append(_unfolded(_last_draw(keys[-1], arch.n_out, n))[:, : sizes[-2]] * np.sqrt(arch.C_W / sizes[-2]))
    return out


def forward(ws: list[jax.Array], X: jax.Array, sigma: str) -> list[jax.Array]:
    """Preactivations [z⁽¹⁾, …, z⁽ᴸ⁺¹⁾] at inputs X (d×k): each n_ℓ × k."""
    f = activation(sigma).f
    zs = [ws[0] @ X]
    for w in ws[1:]:
        zs.append(w @ f(zs[-1]))
    return zs


@functools.lru_cache(maxsize=None)
def preactivation_fn(d: int, n_max: int, depth: int, n_out: int, sigma: str, keep_layers: bool):
    """The jitted (key, X, widths, C_W) → preactivations for one padded shape: callers that vmap it over many
    settings of widths ≤ n_max share this one compilation."""
    f = activation(sigma).f

    def run(key, X, widths, C_W):
        """widths: (L,) float array of n_ℓ (traced, so one compilation serves every width ≤ n_max)."""
        keys = _layer_keys(key, depth)
        rows = jnp.arange(n_max)
        mask = lambda n: (rows < n).astype(X.dtype)  # noqa: E731
        z1 = (_first_draw(keys[0], n_max, d) @ X) * jnp.sqrt(C_W / d) * mask(widths[0])[:, None]

        def layer(z, inputs):
            k, n_in, n_here = inputs
            w = _hidden_draw(k, n_max) * (mask(n_here)[:, None] * mask(n_in)[None, :])
            z_next = (w @ f(z)) * jnp.sqrt(C_W / n_in)
            return z_next, (z_next if keep_layers else None)

        z_last_hidden, hidden = jax.lax.scan(layer, z1, (keys[1:depth], widths[:-1], widths[1:]))
        w_out = _last_draw(keys[-1], n_out, n_max) * mask(widths[-1])[None, :]
        out = (w_out @ f(z_last_hidden)) * jnp.sqrt(C_W / widths[-1])
        if not keep_layers:
            return out
        return z1, hidden, out  # hidden: (L−1, n_max, k); rows ≥ n_ℓ are exactly 0

    return jax.jit(run)


def preactivations(key, X, arch: Architecture, keep_layers: bool = False):
    """z⁽ᴸ⁺¹⁾ (n_out × k) at inputs X (d × k) of one random network; with keep_layers also z⁽¹⁾ and
    the hidden z⁽²⁾..z⁽ᴸ⁾ (zero-padded to n_max rows). vmap it over keys for many networks."""
    X = jnp.asarray(X, dtype=jnp.float64)
    if X.ndim != 2 or X.shape[0] != arch.d:
        raise ValueError(f"X has shape {X.shape}; expected (d, k) = ({arch.d}, k): one input per column")
    fn = preactivation_fn(arch.d, arch.n_max, arch.depth, arch.n_out, arch.sigma, keep_layers)
    return fn(key, X, jnp.asarray(arch.widths, dtype=jnp.float64), arch.C_W)
