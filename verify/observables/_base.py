"""Observables: named random quantities of built-in models that claims (and users' claim files)
can sample. One contract: `build(**params)` returns a sampler `sample(key, width, count, max_width=None)` →
array (count, len(outputs)) of finite float64 numbers, a function of the key alone (the same key, the same
numbers; a different key, different numbers unless the observable is declared deterministic) and not of
max_width (the sweep's largest width, a padding hint); width is None for observables without one.
tests/fast/test_observable_contract.py holds every registered observable to it."""
from __future__ import annotations

import collections
import difflib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass(frozen=True)
class Param:
    doc: str
    default: Any = None
    choices: tuple | None = None
    kind: str = "str"  # "str" | "int" | "float" | "vector" | "model" (a verify.models.mlp.Model spec)


@dataclass(frozen=True)
class Observable:
    name: str
    model: str
    description: str
    params: dict[str, Param]
    outputs: tuple[str, ...]
    build: Callable[..., Callable]
    width: str | None = "n"  # what the sweep variable means, None if the observable has none
    tags: tuple[str, ...] = field(default=())
    # cost(params, width, count) → (flops, bytes): an estimate of the arithmetic of `count` replicates at one
    # width and of the memory one chunk of them holds, for budgeting sweeps; None: not declared
    cost: Callable[[dict, Any, int], tuple[float, float]] | None = None
    # True for an observable that draws nothing: the same numbers for every key (the registry's contract test
    # then asserts that instead of "different keys give different numbers")
    deterministic: bool = False

    def sampler(self, **given):
        unknown = set(given) - set(self.params)
        if unknown:
            name = sorted(unknown)[0]
            near = difflib.get_close_matches(name, self.params, n=2)
            raise ValueError(f"observable {self.name!r} has no parameter {name!r}; "
                             f"{'did you mean ' + ' or '.join(map(repr, near)) + '? ' if near else ''}"
                             f"parameters: {', '.join(self.params) or 'none'}")
        values = {k: given.get(k, p.default) for k, p in self.params.items()}
        for k, p in self.params.items():
            if p.choices is not None and values[k] not in p.choices:
                raise ValueError(f"parameter {k}={values[k]!r} of observable {self.name!r} is not one of "
                                 f"{', '.join(map(str, p.choices))}")
        return self.build(**values)


def unpadded(sample: Callable) -> Callable:
    """`sample` with the sweep's max_width withheld, for a registered observable whose draws depend on the array
    shape it pads to: with JAX's non-partitionable threefry (verify/_jax.py) the first n of N normals are not the
    n normals, so padding to the sweep's largest width would change the numbers at every width of the sweep (and
    extending a sweep would change them all). Each width then pads by its own rule: one compilation per width (or
    width bucket) instead of one per sweep, and the numbers a function of the key and the width alone."""

    def by_width(key, width, count, max_width=None, **kw):
        return sample(key, width, count, **kw)

    by_width.selects_columns = getattr(sample, "selects_columns", False)  # verify.checks.outputs' hint, kept
    return by_width


# The draws depend on the padded length M (threefry is not partitionable), so the sweep's max_width is withheld
# (unpadded above) and M is a declared parameter instead: 0 pads each width to itself; a sweep that pads every width
# to one M (one XLA compilation per sweep: the catalogue's numbers) passes pad=M, its largest width.
PAD = Param("padded length M ≥ every width drawn (0: each width m pads to itself)", 0, kind="int")


def pad_length(pad) -> int | None:
    """`pad` checked: None for 0 (each width pads to itself), else the common padded length."""
    if int(pad) != pad or pad < 0:
        raise ValueError(f"pad={pad!r}: the padded length must be a non-negative integer (0: no common padding)")
    return int(pad) or None


def padding(m, pad, max_width=None) -> tuple[int, int]:
    """(m, M): the width and the length M its draws pad to (`pad`, else the sweep's max_width, else m), checked."""
    m = int(m)
    M = int(pad or max_width or m)
    if m > M:
        raise ValueError(f"width m={m} exceeds the padding M={M}: build the sampler with a larger pad")
    return m, M


# A padded program shares one compilation across a sweep but draws M rows at every width: past this many wasted draws
# the width's own compilation is cheaper (a Gram-path program compiles in ~1.6 s of CPU; a float64 normal draw costs
# ~16 ns: 1e8 draws ≈ one compilation; measured 2026-12-06 on this 2-core CPU, under load).
PAD_WASTE_DRAWS = 1e8


def worth_padding(m: int, M: int, count: int, draws_per_row: float) -> int:
    """The length to draw width m at: M (share the sweep's compilation) while (M − m)·count·draws_per_row wasted
    normal draws cost less than a compilation, else m itself. A function of (m, M, count) alone, so a claim run
    alone draws what the full run draws. The quick profile's sweeps stay padded; the standard profile's wide,
    deep sweeps get a program per width and draw ~half as much."""
    m, M = int(m), int(M)
    return M if (M - m) * int(count) * float(draws_per_row) <= PAD_WASTE_DRAWS else m


def padded_sampler(fn_for: Callable[[int], Callable], pad: int | None, *args, chunk: int | Callable[[int], int]):
    """sample(key, m, count, max_width=None) → array (count, …): `fn_for(M)(key, m, *args)` (m a float64 scalar, the
    arguments shared by every replicate) vmapped over `count` keys split from `key`, in chunks of `chunk` (or
    chunk(M)), M from `padding`. A masked fn_for(M) then compiles once per M, not once per width."""

    def sample(key, m, count, max_width=None):
        from verify._jax import jax, sharded_vmap, split_keys

        m, M = padding(m, pad, max_width)  # device_put, not jnp.asarray: eagerly that compiles a program
        out = sharded_vmap(fn_for(M), split_keys(key, count), jax.device_put(np.float64(m)), *args,
                           chunk=chunk(M) if callable(chunk) else chunk)
        return np.asarray(out)

    return sample


REGISTRY: dict[str, Observable] = {}


def _origin(obs: Observable) -> tuple[str, str]:
    return getattr(obs.build, "__module__", "?"), getattr(obs.build, "__qualname__", "?")


def register(obs: Observable) -> Observable:
    """Add an observable. Registering the same declaration again (a module or claim file loaded twice,
    as in a notebook) replaces it; another observable under a taken name is an error."""
    old = REGISTRY.get(obs.name)
    if old is not None and _origin(old) != _origin(obs):
        raise ValueError(f"observable name {obs.name!r} is taken by {'.'.join(_origin(old))}; "
                         f"{'.'.join(_origin(obs))} must choose another name (e.g. 'mypackage.{obs.name.split('.')[-1]}')")
    REGISTRY[obs.name] = obs
    return obs


def get(name: str) -> Observable:
    try:
        return REGISTRY[name]
    except KeyError:
        near = difflib.get_close_matches(name, REGISTRY, n=3, cutoff=0.4)
        raise ValueError(f"unknown observable {name!r}; nearest: {', '.join(near) or 'none'} "
                         "(`ntkverify observables` lists them)") from None


def memoised(sample, size: int = 8):
    """sample, remembering its last `size` results by (key bits, width, count, max_width): a check that several
    claims share under one key scope is drawn once per run. The results are read-only (shared by every reader)."""
    from verify._jax import jax

    memo: collections.OrderedDict = collections.OrderedDict()

    def run(key, w, count, max_width=None):
        at = (np.asarray(jax.random.key_data(key), dtype=np.uint32).tobytes(), w, int(count), max_width)
        if at in memo:
            memo.move_to_end(at)
            return memo[at]
        out = np.array(sample(key, w, count, max_width=max_width))
        out.flags.writeable = False
        memo[at] = out
        if len(memo) > size:
            memo.popitem(last=False)
        return out

    run.memo = memo  # what is held, for tests
    return run
