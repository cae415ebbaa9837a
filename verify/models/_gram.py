"""Gram matrices of wide features, the kernel of every empirical NTK here: Σ_units (m × m) products over n ≫ m units.

Two things make them fast (issue 15, target 3; benchmarks/ntk_vs_neural_tangents.py measures them):
- `over_units` walks the unit axis in blocks of `block_size(m)` units, so that the m × block intermediates
  (pre-activations, σ, σ′·v, …) stay in cache between the elementwise work and the product that consumes them;
  at n = 1e5, m = 64 the unblocked m × n arrays are 51 MB each and the formula ran at ~20% of the matmul peak.
- `gram(A)` = A Aᵀ is one product, its upper triangle mirrored. XLA has no syrk; the upper block
  triangle as row-half products (3/4 of the flops) measured no faster on this CPU (YNNPACK runs the smaller
  products slower by about the quarter saved) and cost 4 more ops per Gram, which is what a loaded machine
  punishes (n = 1e3, m = 64: 0.45 ms either way, best of 100 at load 7).

A problem of at most one block is one call of `part` on all units: its numbers are those of the plain formula.
"""
from __future__ import annotations

from verify._jax import jax, jnp

BLOCK_ELEMENTS = 2**18  # m·block doubles per intermediate: 2 MiB, one core's L2 here (1e5-unit sweeps: 2-4× faster)


def block_size(m: int) -> int:
    """Units per block for m inputs: BLOCK_ELEMENTS / m (at least 1)."""
    return max(1, BLOCK_ELEMENTS // max(int(m), 1))


def gram(A: jax.Array) -> jax.Array:
    """A Aᵀ for A of shape (m, k): one product, its upper triangle mirrored. XLA's product alone is not always
    exactly symmetric (m = 33: edge tiles sum in another order; tests/fast/test_ntk_blocks.py)."""
    return _mirror_upper(A @ A.T)


@jax.jit
def _mirror_upper(G):
    """One compiled op, so that lin's op-by-op calls add one compilation per m, not one per op."""
    m = G.shape[0]
    return jnp.where(jnp.arange(m)[:, None] <= jnp.arange(m)[None, :], G, G.T)


def over_units(part, columns: tuple, block: int):
    """Σ over blocks of units of part(*columns restricted to the block), a pytree of fixed-shape arrays.

    columns: arrays whose leading axis is the unit axis (all of one length n). Full blocks go through one
    lax.scan (one compilation whatever n), the remainder (n mod block units, when n is not a multiple) through
    one more call; n ≤ block is a single call on all units."""
    n = columns[0].shape[0]
    bad = [c.shape for c in columns if c.shape[0] != n]
    if bad:
        raise ValueError(f"over_units: every column needs the unit axis first with one length ({n}); got shapes {bad}")
    if block < 1:
        raise ValueError(f"over_units: block={block}; give a block of at least one unit")
    if n <= block:
        return part(*columns)
    full = n // block
    k = full * block

    def step(total, cols):
        return jax.tree_util.tree_map(jnp.add, total, part(*cols)), None

    stacked = tuple(c[:k].reshape(full, block, *c.shape[1:]) for c in columns)
    first = part(*(c[0] for c in stacked))
    total, _ = jax.lax.scan(step, first, tuple(c[1:] for c in stacked))
    if k < n:
        total = jax.tree_util.tree_map(jnp.add, total, part(*(c[k:] for c in columns)))
    return total
