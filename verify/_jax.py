"""JAX set-up, done once at import: float64 everywhere, CPU or whatever devices exist.

Every module of verify/ that touches JAX imports `jax`, `jnp` from here so that float64 is
switched on before the first array is created (a float32 array made earlier would silently
halve the precision of every Monte Carlo estimate downstream).
"""
from __future__ import annotations

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (must follow the x64 switch)

__all__ = ["jax", "jnp", "key_for", "sharded_vmap"]


def key_for(seed: int, *path: int | str) -> jax.Array:
    """A PRNG key derived from an integer seed and a path of labels.

    String labels are hashed with a stable (non-salted) hash so that the same claim id gives the
    same key in every process; `hash()` of a str is salted per interpreter and would not.
    """
    import zlib

    key = jax.random.key(int(seed) & 0xFFFFFFFF)
    for part in path:
        value = zlib.crc32(part.encode()) if isinstance(part, str) else int(part)
        key = jax.random.fold_in(key, value & 0xFFFFFFFF)
    return key


def sharded_vmap(fn, keys: jax.Array, *args):
    """vmap `fn(key, *args)` over a batch of keys, spreading the batch over every local device.

    The random draws of replicate i depend only on keys[i], so the numbers are the same whatever
    the number of devices; the batch is padded to a multiple of the device count and trimmed.
    """
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    devices = jax.devices()
    batched = jax.vmap(fn, in_axes=(0,) + (None,) * len(args))
    if len(devices) == 1:
        return jax.jit(batched)(keys, *args)
    count = keys.shape[0]
    pad = (-count) % len(devices)
    if pad:
        keys = jnp.concatenate([keys, keys[:pad]])
    mesh = Mesh(devices, ("replicas",))
    keys = jax.device_put(keys, NamedSharding(mesh, PartitionSpec("replicas")))
    out = jax.jit(batched)(keys, *args)
    return jax.tree_util.tree_map(lambda a: a[:count], out)
