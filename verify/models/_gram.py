"""Gram matrices of wide features, the kernel of every empirical NTK here: Σ_units (m × m) products over n ≫ m units.

Two things make them fast (issue 15, target 3; benchmarks/ntk_vs_neural_tangents.py measures them):
- `over_units` walks the unit axis in blocks of `block_size(m)` units, so that the m × block intermediates
  (pre-activations, σ, σ′·v, …) stay in cache between the elementwise work and the product that consumes them;
  at n = 1e5, m = 64 the unblocked m × n arrays are 51 MB each and the formula ran at ~20% of the matmul peak.
- `gram(A)` = A Aᵀ is one product, its upper triangle mirrored. XLA has no syrk; the upper block
  triangle as row-half products (3/4 of the flops) measured no faster on this CPU (YNNPACK runs the smaller
  products slower by about the quarter saved) and cost 4 more ops per Gram, which is what a loaded machine
  punishes (n = 1e3, m = 64: 0.45 ms either way, best of 100 at load 7).

- A problem of at most one block runs as `piece_size(m)`-unit pieces, unrolled: XLA's CPU backend splits an
  elementwise loop that touches 512 KB or more into parallel tasks on two threads, and at these sizes the hand-offs
  cost more than the second thread gives (n = 1e3, m = 64, load 20: tanh(H + b) over 1000 units 50 µs as two
  tasks, 2 × 26 µs as two 500-unit pieces on one thread; σ'(H)·v 12 µs against 2 × 4.6 µs; a 4 ms stall whenever
  the second thread was not scheduled). Two pieces of 500 units took Model.ntk's Gram from 0.40 to 0.33 ms (median
  of 300, load 21) and from 0.40 to 0.35 ms of CPU per call. Longer sums keep their 2-MiB blocks (a lax.scan over 500-unit blocks
  waited on a thread hand-off every iteration: 3× slower at n = 1e5 under load).

A problem of at most `piece_size(m)` units is one call of `part` on all units: its numbers are those of the plain
formula; more units reorder the sum (round-off, ~1e-16 relative).
"""
from __future__ import annotations

import functools

from verify._jax import jax, jnp

BLOCK_ELEMENTS = 2**18  # m·block doubles per intermediate: 2 MiB, one core's L2 here (1e5-unit sweeps: 2-4× faster)
SPLIT_BYTES = 2**19  # XLA CPU (ParallelTaskAssigner): a loop over ≥ 2 × 256 KB of operands and result runs as ≥ 2 tasks


def block_size(m: int) -> int:
    """Units per block for m inputs: BLOCK_ELEMENTS / m (at least 1)."""
    return max(1, BLOCK_ELEMENTS // max(int(m), 1))


def piece_size(m: int) -> int:
    """Units per piece of a one-block problem for m inputs: a piece's elementwise passes (an m × u array and one or
    two u-vectors read, an m × u array written: 8·u·(2m + 2) bytes) stay under SPLIT_BYTES, one task each."""
    return max(1, SPLIT_BYTES // (8 * (2 * max(int(m), 1) + 2)))


def gram(A: jax.Array) -> jax.Array:
    """A Aᵀ for A of shape (m, k): one product, its upper triangle mirrored. XLA's product alone is not always
    exactly symmetric (m = 33: edge tiles sum in another order; tests/fast/test_ntk_blocks.py)."""
    return mirror_upper(A @ A.T)


@jax.jit
def mirror_upper(G):
    """G with its lower triangle replaced by its upper one, transposed: exactly symmetric. It commutes with sums and
    elementwise maps of such matrices (each lower entry repeats its upper twin's operations), so a Gram assembled
    from several products can be mirrored once, with the numbers of mirroring each product. One compiled op, so that
    lin's op-by-op calls add one compilation per m, not one per op."""
    m = G.shape[0]
    return jnp.where(jnp.arange(m)[:, None] <= jnp.arange(m)[None, :], G, G.T)


def over_units(part, columns: tuple, block: int, piece: int | None = None):
    """Σ over blocks of units of part(*columns restricted to the block), a pytree of fixed-shape arrays.

    columns: arrays whose leading axis is the unit axis (all of one length n). Full blocks go through one
    lax.scan (one compilation whatever n), the remainder (n mod block units, when n is not a multiple) through
    one more call. n ≤ block is ⌈n / piece⌉ calls on consecutive, equal (±1) pieces of the units, added in order
    (piece None or ≥ n: a single call on all units)."""
    n = columns[0].shape[0]
    bad = [c.shape for c in columns if c.shape[0] != n]
    if bad:
        raise ValueError(f"over_units: every column needs the unit axis first with one length ({n}); got shapes {bad}")
    if block < 1:
        raise ValueError(f"over_units: block={block}; give a block of at least one unit")
    if piece is not None and piece < 1:
        raise ValueError(f"over_units: piece={piece}; give a piece of at least one unit, or None for one call")
    if n <= block:
        k = 1 if piece is None else -(-n // piece)
        edges = [i * n // k for i in range(k + 1)]
        parts = [part(*(c[lo:hi] for c in columns)) if k > 1 else part(*columns) for lo, hi in zip(edges, edges[1:])]
        return functools.reduce(lambda a, b: jax.tree_util.tree_map(jnp.add, a, b), parts)
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
