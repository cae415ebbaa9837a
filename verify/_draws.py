"""Draws of jax.random.normal / uniform for a traced size: one compiled program serves every width of a sweep.

jax.random.normal(key, shape) compiles a new threefry-and-erfinv program for every shape (0.5–1 s each on this
CPU, the dearest part of an initialiser), and padding the shape instead draws other numbers: the float64 entry i
of a size-S draw is hash(i, i + S) of the key's threefry2x32 (high word ‖ low word), so it depends on S. Here S is
an argument: `standard(key, law, size, total)` returns `total` entries whose first `size` (traced) are bitwise
those of jax.random's draw of `size` entries, the rest draws of no use (mask them). Integer hashing is exact and
the float conversion repeats jax's (jax/_src/random/core.py `_uniform`, `_normal_real`) op for op;
tests/fast/test_draws.py holds them equal for both laws, several sizes, under jit and vmap."""
from __future__ import annotations

import math

import numpy as np

from verify._jax import jax, jnp

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_SQRT3 = math.sqrt(3.0)


def _threefry2x32(k1, k2, x0, x1):
    """The Threefry-2x32 hash (20 rounds) of jax's threefry2x32 PRNG on uint32 arrays (verify._jax has it in NumPy)."""
    ks = (k1, k2, k1 ^ k2 ^ jnp.uint32(0x1BD11BDA))
    x0, x1 = x0 + ks[0], x1 + ks[1]
    for i, rotations in enumerate(_ROTATIONS * 2 + _ROTATIONS[:1]):
        for r in rotations:
            x0 = x0 + x1
            x1 = x0 ^ ((x1 << jnp.uint32(r)) | (x1 >> jnp.uint32(32 - r)))
        x0, x1 = x0 + ks[(i + 1) % 3], x1 + ks[(i + 2) % 3] + jnp.uint32(i + 1)
    return x0, x1


def _bits64(key, size, total: int, offset=None):
    """(total,) uint64: entry i < size is jax.random.bits(key, (size,), uint64)[i] (non-partitionable threefry);
    with `offset`, entry i is that of index offset + i (a window of the same draw)."""
    k = jax.random.key_data(key)
    i = jnp.arange(total, dtype=jnp.uint32)
    if offset is not None:  # only here: the offset-free program stays the one it was
        i = i + jnp.asarray(offset).astype(jnp.uint32)
    hi, lo = _threefry2x32(k[0], k[1], i, i + jnp.asarray(size).astype(jnp.uint32))
    return (hi.astype(jnp.uint64) << jnp.uint64(32)) | lo.astype(jnp.uint64)


def _uniform(key, size, total: int, minval, maxval, offset=None):
    """jax.random.uniform(key, (size,), float64, minval, maxval), padded to `total` entries (jax's `_uniform`)."""
    bits = _bits64(key, size, total, offset)
    float_bits = (bits >> jnp.uint64(64 - 52)) | jnp.uint64(np.array(1.0).view(np.uint64))
    floats = jax.lax.bitcast_convert_type(float_bits, jnp.float64) - 1.0
    minval, maxval = jnp.float64(minval), jnp.float64(maxval)
    return jax.lax.max(minval, floats * (maxval - minval) + minval)


def standard(key, law: str, size, total: int, offset=None):
    """(total,) float64 draws of the base law 𝒟(0,1) (verify.models._laws): the first `size` equal
    law.sample(key, (size,)) bit for bit; `size` may be traced, `total` is static (the compiled shape).
    With `offset` (may be traced): entries [offset, offset + total) of that draw, so a draw wider than any
    compiled shape comes in windows from one program (entries at or past `size` are of no use)."""
    if law == "normal":
        u = _uniform(key, size, total, np.nextafter(-1.0, 0.0), 1.0, offset)
        return jnp.float64(np.sqrt(2)) * jax.lax.erf_inv(u)
    if law == "uniform":
        return _uniform(key, size, total, -_SQRT3, _SQRT3, offset)
    raise ValueError(f"law={law!r} has no padded sampler; choose 'normal' or 'uniform'")


def standard_rows(key, law: str, rows, cols: int, total_rows: int, first_row=None):
    """(total_rows, cols) whose first `rows` rows equal law.sample(key, (rows, cols)) bit for bit (row-major);
    with `first_row`, rows [first_row, first_row + total_rows) of that draw."""
    offset = None if first_row is None else first_row * cols
    return standard(key, law, rows * cols, total_rows * cols, offset).reshape(total_rows, cols)
