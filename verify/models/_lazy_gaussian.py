"""A lazy m×m Gaussian matrix: A with iid N(0,1) entries, drawn only where it is looked at.

Contract. `init(key, m, M, capacity)` is a matrix A that has not been drawn; `matvec(state, v)` → (state, A v)
and `rmatvec(state, w)` → (state, Aᵀw) answer products in any order (each answer may depend on the previous ones:
GD queries A at the iterates it computes), and `frobenius_sq(state)` draws ‖A‖_F². Jointly, all answers have
exactly the law they would have with A drawn in full beforehand. Vectors live in ℝ^M with zeros past m (m traced,
M static: one compilation serves every m ≤ M). `capacity` bounds the number of new directions on each side (a
query already in the span of the previous ones on its side adds none); the cost is O(M·capacity) per query and
O(M·capacity) draws per side, instead of M² for the full matrix. Jit- and vmap-safe: fixed shapes, masked slots.

Derivation. A is white noise for the Frobenius inner product ⟨A, X⟩ = tr(AᵀX): for orthonormal X₁, X₂, … the
⟨A, Xₖ⟩ are iid N(0,1). The state keeps orthonormal bases E = (e₁ … e_p) (right: the directions queried by A v)
and F = (f₁ … f_q) (left: by Aᵀw) with the known images aⱼ = A eⱼ and bᵢ = Aᵀfᵢ; together they reveal ⟨A, X⟩ for
X in S = span{x eⱼᵀ} + span{fᵢ yᵀ}, and nothing else. To answer A v: split v = E(Eᵀv) + r. If r = 0 (v in
span E), A v = Σⱼ aⱼ(eⱼᵀv) is known. Else ê = r/‖r‖ ⊥ E and, for any g, gᵀAê = ⟨A, g êᵀ⟩ with g êᵀ =
(FFᵀg)êᵀ + ((I − FFᵀ)g)êᵀ: the first part lies in S (it is Σᵢ fᵢ(fᵢᵀg)êᵀ), so FFᵀAê = F(Bᵀê) with B = (b₁ …
b_q) is known; the second is orthogonal to S (ê ⊥ eⱼ, (I − FFᵀ)g ⊥ fᵢ), so (I − FFᵀ)Aê is white noise on the
complement of span F, independent of everything seen: (I − FFᵀ)ξ with ξ ~ N(0, I_m) fresh. Then ê joins E, Aê
joins the aⱼ, and A v = Σⱼ aⱼ(eⱼᵀv). Aᵀw is the same with the roles of the sides exchanged (Aᵀf̂ = E(A_Eᵀf̂) +
(I − EEᵀ)ζ). Queries chosen from earlier answers do not spoil this: each fresh part is independent of the past
given the past (the sequential form of the argument). Finally ‖A‖_F² = ‖AE‖_F² + ‖FᵀA(I − EEᵀ)‖_F² +
‖(I − FFᵀ)A(I − EEᵀ)‖_F²: the first two are known (‖(aⱼ)‖_F² and ‖B‖_F² − ‖EᵀB‖_F²), the last is the
squared norm of white noise on an (m − q)(m − p)-dimensional complement of S, a fresh χ²((m − p)(m − q)).

`Source` supplies the unseen parts: `gaussian` draws them (the lazy matrix); tests plug in a materialised A
(`materialised(A)`: the fresh part of Aê is then (I − FFᵀ)Aê itself and the rest ‖(I − FFᵀ)A(I − EEᵀ)‖_F²), so
the bookkeeping must reproduce A v and ‖A‖_F exactly (tests/fast/test_lazy_gaussian.py).

Rotated coordinates (`rotated`). Every answer lies in the span of the directions seen on its side, so a caller that
reads only inner products and norms (functions invariant under A → PAQᵀ, P, Q orthogonal) may keep each side in
coordinates of an orthonormal basis built as directions appear: ℝ^D, D = 1 + capacity, whatever m. Given the past,
the law of what is to come is invariant under rotations of each side that fix the directions seen there (the unseen
part of A is white noise on the complement of S, the fresh ξ are N(0, I_m)), so a fresh ξ, split along the k
coordinates in use on its side (k iid N(0,1)) and off them (norm² ~ χ²(m − k), independent, direction uniform on the
complement), may be written with the off part along coordinate k. k is known in advance: the answers to the other
side's queries are the only new directions, so k = 1 + that side's count before the query (the 1: a given N(0, I_m)
vector on each side, e.g. β⁰ and u⁰). A query costs O(D²), m enters only through the χ² degrees of freedom
(`rotated_df`, drawn by the caller: on the host they cost no compilation), and one compiled program serves every m.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from verify._jax import chi_square, jax, jnp

IN_SPAN = 1e-8  # ‖r‖ ≤ IN_SPAN·‖v‖: v is in the span (after two Gram–Schmidt passes round-off leaves ~1e-15·‖v‖;
# a genuine component this small would change A v by ≤ 1e-8 relative, far below any Monte Carlo resolution)


class Side(NamedTuple):
    basis: jax.Array  # (capacity, M): orthonormal rows, zero past `count`
    images: jax.Array  # (capacity, M): row j = A e_j (right side) or Aᵀ f_j (left side)
    count: jax.Array  # int: rows in use


class State(NamedTuple):
    right: Side  # E and A E: the directions A v has been asked about
    left: Side  # F and Aᵀ F: those of Aᵀ w
    m: jax.Array  # the width (float; entries past it are zero)
    noise: jax.Array  # (2, capacity, M): the fresh ξ of each side's next direction (row `count`), drawn up front
    # so that the program draws twice, not once per query site (XLA compile time)
    key: jax.Array  # the draw of the unseen rest of ‖A‖_F²


class Source(NamedTuple):
    """fresh(state, transpose, d) → a vector whose projection off the other side's span is the unseen part of
    A d (Aᵀd if transpose); rest(state) → ‖(I − FFᵀ)A(I − EEᵀ)‖_F²."""
    fresh: Callable
    rest: Callable


def _gaussian_fresh(state, transpose, d):
    side = state.left if transpose else state.right
    return state.noise[int(transpose), jnp.minimum(side.count, side.basis.shape[0] - 1)]


def unseen_norm_sq(key: jax.Array, df) -> jax.Array:
    """χ²(df), 0 at df = 0 (every direction of a side asked): the rest of ‖A‖_F² given (seen, df)."""
    return jnp.where(df > 0, chi_square(key, jnp.maximum(df, 1.0)), 0.0)


def _gaussian_rest(state):
    return unseen_norm_sq(state.key, frobenius_parts(state)[1])


gaussian = Source(_gaussian_fresh, _gaussian_rest)


def materialised(A: jax.Array) -> Source:
    """The unseen parts read from a given matrix A (M×M, zero past m): the lazy bookkeeping then reproduces A."""
    def fresh(state, transpose, d):
        return (A.T if transpose else A) @ d

    def rest(state):
        E, F = state.right.basis, state.left.basis
        R = A - F.T @ (F @ A)
        return jnp.sum((R - (R @ E.T) @ E) ** 2)

    return Source(fresh, rest)


def init(key: jax.Array, m, M: int, capacity: int) -> State:
    """An undrawn m×m Gaussian matrix in ℝ^{M×M} (m ≤ M) that can take `capacity` new directions per side."""
    empty = Side(jnp.zeros((capacity, M)), jnp.zeros((capacity, M)), jnp.zeros((), dtype=jnp.int32))
    k_noise, k_rest = jax.random.split(key)
    mask = (jnp.arange(M) < m).astype(jnp.float64)
    return State(empty, empty, jnp.asarray(m, dtype=jnp.float64),
                 jax.random.normal(k_noise, (2, capacity, M)) * mask, k_rest)


def rotated_df(m: int, capacity: int) -> np.ndarray:
    """The degrees of freedom of `rotated`'s χ² (0: the χ² is 0): m, m (the given vectors' ‖·‖²), then per side
    and slot j the off part of the fresh ξ of the side's j-th new direction, χ²(m − 1 − j) (1 + j coordinates of the
    other side in use; 0 once m are: a side has m dimensions)."""
    off = np.maximum(m - 1.0 - np.arange(capacity), 0.0)
    return np.concatenate([[float(m), float(m)], off, off])


def rotated(key: jax.Array, m, capacity: int, chi2: jax.Array) -> tuple[State, jax.Array, jax.Array]:
    """(state, left0, right0): an undrawn m×m Gaussian A (m may be traced) that can take `capacity` new directions
    per side, and a N(0, I_m) vector on each side independent of A, in rotated coordinates ℝ^D, D = 1 + capacity
    (module doc): left0 = ‖left0‖e₀, right0 = ‖right0‖e₀, and every answer in the same coordinates. chi2: independent
    χ²(rotated_df(m, capacity)) draws. Jointly they have the law of (P·left0, PAQᵀ, Q·right0) for random orthogonal
    P, Q: exact for every function invariant under those rotations."""
    D = 1 + capacity
    k_noise, k_rest = jax.random.split(key)
    m = jnp.asarray(m, dtype=jnp.float64)
    coordinate, slot = jnp.arange(D), jnp.arange(capacity)
    in_use = (coordinate[None, :] <= slot[:, None]) & (coordinate[None, :] < m)  # slot j: 1 + j coordinates
    off = jnp.sqrt(chi2[2:]).reshape(2, capacity, 1) * (coordinate[None, :] == slot[:, None] + 1)
    noise = jax.random.normal(k_noise, (2, capacity, D)) * in_use + off
    empty = Side(jnp.zeros((capacity, D)), jnp.zeros((capacity, D)), jnp.zeros((), dtype=jnp.int32))
    first = (coordinate == 0).astype(jnp.float64)
    return State(empty, empty, m, noise, k_rest), jnp.sqrt(chi2[0]) * first, jnp.sqrt(chi2[1]) * first


def _query(state: State, v: jax.Array, transpose: bool, source: Source):
    own, other = (state.left, state.right) if transpose else (state.right, state.left)
    Q = own.basis
    coef = Q @ v
    r = v - Q.T @ coef
    coef2 = Q @ r  # the second Gram–Schmidt pass keeps the basis orthonormal to round-off
    r, coef = r - Q.T @ coef2, coef + coef2  # v = Qᵀcoef + r
    norm = jnp.linalg.norm(r)
    capacity = Q.shape[0]
    new = (norm > IN_SPAN * jnp.linalg.norm(v)) & (own.count < capacity)
    d = jnp.where(new, r / jnp.where(new, norm, 1.0), 0.0)
    P, P_images = other.basis, other.images
    xi = source.fresh(state, transpose, d)
    # A d: its part in the other side's span, P(P_images d), is known; the rest is ξ off that span
    image = jnp.where(new, xi + P.T @ (P_images @ d - P @ xi), 0.0)
    slot = jnp.minimum(own.count, capacity - 1)
    answer = own.images.T @ coef + norm * image  # A v = Σⱼ aⱼ(eⱼᵀv) + ‖r‖ A d (image = 0 unless new)
    own = Side(Q.at[slot].set(jnp.where(new, d, Q[slot])), own.images.at[slot].set(
        jnp.where(new, image, own.images[slot])), own.count + new.astype(jnp.int32))
    return state._replace(**{"left" if transpose else "right": own}), answer


def matvec(state: State, v: jax.Array, source: Source = gaussian):
    """(state, A v)."""
    return _query(state, v, False, source)


def rmatvec(state: State, w: jax.Array, source: Source = gaussian):
    """(state, Aᵀ w)."""
    return _query(state, w, True, source)


def frobenius_parts(state: State) -> tuple[jax.Array, jax.Array]:
    """(seen, df): ‖A‖_F² = seen + χ²(df), the χ² independent of every answer given so far (a caller that draws
    many networks can draw the χ² in one separate program: JAX's gamma sampler compiles in ~1 s)."""
    E, AE, B = state.right.basis, state.right.images, state.left.images
    seen = jnp.sum(AE**2) + jnp.sum(B**2) - jnp.sum((B @ E.T) ** 2)
    return seen, (state.m - state.right.count) * (state.m - state.left.count)


def frobenius_sq(state: State, source: Source = gaussian) -> jax.Array:
    """‖A‖_F², jointly with every answer given so far (its unseen part drawn once: call it once, at the end)."""
    return frobenius_parts(state)[0] + source.rest(state)
