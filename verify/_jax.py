"""JAX set-up, done once at import: float64 everywhere, CPU or whatever devices exist.

Every module of verify/ that touches JAX imports `jax`, `jnp` from here so that float64 is
switched on before the first array is created (a float32 array made earlier would silently
halve the precision of every Monte Carlo estimate downstream).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

def configure() -> bool:
    """Ask XLA for one host device per core, so that sharded_vmap spreads
    replicates over every core of a CPU machine (measured 2.3x on 2 cores). Only when the user has not
    chosen in XLA_FLAGS, and only before JAX starts its backends; accelerators are unaffected (their
    devices are the GPUs or TPUs themselves). Returns whether the flag was set here. Processes started
    from this one (verify.parallel's workers) inherit the flag, so they shard exactly as this one does:
    a sum over devices is then added in the same order and their numbers equal this process's bit for bit."""
    if "xla_force_host_platform_device_count" in os.environ.get("XLA_FLAGS", ""):
        return False
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                               f" --xla_force_host_platform_device_count={os.cpu_count() or 1}").strip()
    return True


_HOST_FLAG_SET_HERE = configure()

import jax  # noqa: E402
import numpy as np  # noqa: E402

jax.config.update("jax_enable_x64", True)
# The non-partitionable threefry compiles its normal sampler in ~40% of the time (seconds per new
# shape on this CPU); each key's draws are still a function of that key alone (tests hold it).
jax.config.update("jax_threefry_partitionable", False)


def _persistent_cache() -> None:
    """XLA compilations (seconds each on a CPU) are kept on disk between runs, so a second run,
    a test run after a report, or `--only ID` after a full run skips them. NTKVERIFY_XLA_CACHE
    moves the folder; set it empty to switch the cache off. A user's own JAX cache setting wins."""
    folder = os.environ.get("NTKVERIFY_XLA_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "ntkverify", "xla"))
    if not folder or jax.config.jax_compilation_cache_dir:
        return
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return  # a read-only home: run without the cache rather than fail
    jax.config.update("jax_compilation_cache_dir", folder)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.2)


_persistent_cache()

import jax.numpy as jnp  # noqa: E402  (must follow the x64 switch)

__all__ = ["jax", "jnp", "key_for", "split_keys", "host_keys", "sharded_vmap", "Settings", "settings", "device_memory", "configure"]


def device_memory(device=None) -> float:
    """Bytes one device can hold: an accelerator's own memory (its allocator's limit), or for a CPU host
    device the machine's physical memory (host devices share it). Without a device: the smallest over
    every local device, the amount each shard of a sharded_vmap chunk can count on."""
    if device is None:
        return min(device_memory(d) for d in jax.local_devices())
    if device.platform != "cpu":
        try:
            stats = device.memory_stats() or {}
        except Exception:  # a backend without statistics: fall back to the host's memory
            stats = {}
        if stats.get("bytes_limit"):
            return float(stats["bytes_limit"])
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return float(16 << 30)


@dataclass(frozen=True)
class Settings:
    """What this process's JAX runs on, read once: recorded in results.json (run.jax) and shown by the
    benchmarks, so a figure always names the hardware it came from."""

    platform: str  # "cpu", "gpu" (CUDA/ROCm) or "tpu"
    devices: int  # local devices sharded_vmap spreads replicates over
    device_kinds: tuple[str, ...]
    x64: bool  # float64 on: always True here (set above); recorded so a report can prove it
    memory_per_device: float  # device_memory(): bytes
    host_devices_forced: bool  # XLA_FLAGS host device count set by configure(), not by the user

    def as_dict(self) -> dict:
        return {"platform": self.platform, "devices": self.devices, "device_kinds": list(self.device_kinds),
                "x64": self.x64, "memory_per_device": self.memory_per_device,
                "host_devices_forced": self.host_devices_forced}


def settings() -> Settings:
    devices = jax.local_devices()
    return Settings(platform=devices[0].platform, devices=len(devices),
                    device_kinds=tuple(sorted({d.device_kind for d in devices})),
                    x64=bool(jax.config.jax_enable_x64), memory_per_device=device_memory(),
                    host_devices_forced=_HOST_FLAG_SET_HERE)


def key_for(seed: int, *path: int | str) -> jax.Array:
    """A PRNG key derived from an integer seed and a path of labels.

    String labels are hashed with a stable (non-salted) hash so that the same claim id gives the
    same key in every process; `hash()` of a str is salted per interpreter and would not.
    """
    import zlib

    # threefry, not "rbg": rbg compiles faster but its draws under vmap depend on the batch a
    # key sits in, which would make a replicate's numbers depend on chunking and device count.
    # Computed on the host, bit for bit jax.random.key(seed) and jax.random.fold_in (whose eager calls compile four
    # programs): the key of a 32-bit seed s is (0, s), and fold_in(k, v) is the Threefry hash of the pair (0, v).
    words = np.array([0, int(seed) & 0xFFFFFFFF], dtype=np.uint32)
    for part in path:
        value = zlib.crc32(part.encode()) if isinstance(part, str) else int(part)
        words = np.concatenate(_threefry2x32(*words, np.zeros(1, np.uint32),  # arrays: uint32 wraps silently
                                             np.array([value & 0xFFFFFFFF], dtype=np.uint32)))
    return jax.random.wrap_key_data(jax.device_put(words), impl="threefry2x32")


def _threefry2x32(k1, k2, x0, x1):
    """The Threefry-2x32 hash (20 rounds) of jax's threefry2x32 PRNG, in NumPy uint32 arithmetic (wraps mod 2³²)."""
    ks = (np.uint32(k1), np.uint32(k2), np.uint32(k1) ^ np.uint32(k2) ^ np.uint32(0x1BD11BDA))
    x0, x1 = x0 + ks[0], x1 + ks[1]
    for i, rotations in enumerate(((13, 15, 26, 6), (17, 29, 16, 24)) * 2 + ((13, 15, 26, 6),)):
        for r in rotations:
            x0 = x0 + x1
            x1 = x0 ^ ((x1 << np.uint32(r)) | (x1 >> np.uint32(32 - r)))
        x0, x1 = x0 + ks[(i + 1) % 3], x1 + ks[(i + 2) % 3] + np.uint32(i + 1)
    return x0, x1


def split_keys(key: jax.Array, count: int) -> jax.Array:
    """jax.random.split(key, count) bit for bit, computed on the host: JAX compiles a threefry program for every new
    count (0.2–0.5 s each on this CPU), and thinned sweep widths and sequential looks meet several. For the
    non-partitionable threefry set above (split = the hash of the counter pairs (i, i + count)); any other key
    falls back to jax.random.split. tests/ hold the two equal."""
    if (jax.config.jax_threefry_partitionable or not jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key)
            or str(jax.random.key_impl(key)) != "threefry2x32"):
        return jax.random.split(key, count)
    k1, k2 = np.asarray(jax.random.key_data(key), dtype=np.uint32)
    counts = np.arange(2 * int(count), dtype=np.uint32)
    words = np.concatenate(_threefry2x32(k1, k2, counts[:count], counts[count:]))
    return jax.random.wrap_key_data(words.reshape(int(count), 2), impl="threefry2x32")


def host_keys(keys: jax.Array, index) -> jax.Array:
    """keys[index] (an int, a slice, an index array) taken on the host from the keys' raw data: eager indexing,
    slicing or unpacking of a key array compiles a program per shape and offset. The same keys bit for bit."""
    data = np.asarray(jax.random.key_data(keys))[index]
    return jax.random.wrap_key_data(jax.device_put(data), impl=jax.random.key_impl(keys))


def chi_square(key: jax.Array, df, shape: tuple = ()) -> jax.Array:
    """Exact χ²(df) draws, 2·Gamma(df/2), for any real df > 0 (traced: one compilation serves every df). Where df is
    the square of a width — ‖B‖_F² of an unqueried k×k Gaussian block — one draw replaces k² normals. JAX's gamma
    sampler compiles in ~1 s on this CPU: call it once per program, not per width."""
    df = jnp.asarray(df, dtype=jnp.float64)
    return 2.0 * jax.random.gamma(key, df / 2.0, shape or df.shape, dtype=jnp.float64)


_BATCHED: dict = {}


def sharded_vmap(fn, keys: jax.Array, *args, chunk: int = 256, batched: tuple[int, ...] = ()):
    """vmap `fn(key, *args)` over a batch of keys, in fixed-size chunks, each chunk spread over
    every local device.

    Fixed chunks keep one compiled shape however many replicates a sequential look asks for
    (XLA compiles a new shape in seconds on this CPU). The draws of replicate i depend only on
    keys[i], so the numbers are the same whatever the device count or chunking; the last chunk
    is padded with repeated keys and trimmed. `batched` lists the positions of `args` that carry
    a leading replicate axis like `keys` (the rest are shared by every replicate). Returns NumPy arrays
    (the outputs' tree), gathered on the host.
    """
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    devices = jax.local_devices()  # this process's CPUs or GPUs (a Dask worker shards over its own)
    chunk = int(-(-chunk // len(devices)) * len(devices))
    vm = _BATCHED.get(fn)
    if vm is None:
        axes = (0,) + tuple(0 if i in batched else None for i in range(len(args)))
        vm = _BATCHED[fn] = jax.jit(jax.vmap(fn, in_axes=axes))
    sharding = NamedSharding(Mesh(devices, ("replicas",)), PartitionSpec("replicas")) if len(devices) > 1 else None
    count = keys.shape[0]
    # Chunks are cut, padded, trimmed and joined on the host (NumPy): the same values as on a device, but
    # eager jnp slicing, padding and concatenation compile once per shape and offset (~100 small
    # compilations per claim measured); only `vm` compiles, once per chunk shape.
    typed = jax.dtypes.issubdtype(keys.dtype, jax.dtypes.prng_key)
    impl = jax.random.key_impl(keys) if typed else None
    host_keys = np.asarray(jax.random.key_data(keys) if typed else keys)
    host_args = [jax.tree_util.tree_map(np.asarray, a) if i in batched else None for i, a in enumerate(args)]
    outs = []

    def piece(a, start):
        part = a[start:start + chunk]
        if part.shape[0] < chunk:
            part = np.concatenate([part, np.broadcast_to(part[:1], (chunk - part.shape[0],) + part.shape[1:])])
        return jnp.asarray(part) if sharding is None else jax.device_put(part, sharding)

    for start in range(0, count, chunk):
        real = min(chunk, count - start)
        call = [jax.tree_util.tree_map(lambda x: piece(x, start), host_args[i]) if i in batched else a
                for i, a in enumerate(args)]
        part_keys = piece(host_keys, start)
        out = vm(jax.random.wrap_key_data(part_keys, impl=impl) if typed else part_keys, *call)
        outs.append(jax.tree_util.tree_map(lambda a: np.asarray(a)[:real], out))
    return jax.tree_util.tree_map(lambda *a: np.concatenate(a), *outs)
