"""Count XLA compilations: how many, and the seconds they took, while a block of code runs.

JAX reports each backend compilation through jax.monitoring as the duration event
BACKEND_COMPILE_EVENT (dispatch.py), also when the executable is loaded from the persistent cache
(verify/_jax.py), which it reports as a cache hit besides. Tracing and lowering to MLIR come before
it and have their own events. One listener of each kind is registered at first use and feeds every
open counter, so counters nest (a run's around its claims')."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from verify._jax import jax  # noqa: F401  (float64 and the persistent cache set up first)
from jax import monitoring

# the event names of jax 0.4.36 … 0.10 (jax._src.dispatch / compiler); a version that renames them counts 0,
# which tests/fast/test_compilations.py catches
BACKEND_COMPILE = "/jax/core/compile/backend_compile_duration"
TRACE_AND_LOWER = ("/jax/core/compile/jaxpr_trace_duration", "/jax/core/compile/jaxpr_to_mlir_module_duration")
CACHE_HIT = "/jax/compilation_cache/cache_hits"


@dataclass
class Compilations:
    count: int = 0  # backend compilations, persistent-cache loads included
    seconds: float = 0.0  # their wall time
    cache_hits: int = 0  # of `count`, loaded from the persistent cache rather than compiled
    trace_lower_seconds: float = 0.0  # tracing to a jaxpr and lowering it to MLIR, before each compilation

    def as_dict(self) -> dict:
        return {"compilations": self.count, "compile_s": round(self.seconds, 3), "compile_cache_hits": self.cache_hits,
                "trace_lower_s": round(self.trace_lower_seconds, 3)}


_open: list[Compilations] = []
_lock = threading.Lock()
_registered = False


def _on_duration(event: str, duration: float, **kwargs) -> None:
    if event == BACKEND_COMPILE:
        for c in list(_open):
            c.count += 1
            c.seconds += duration
    elif event in TRACE_AND_LOWER:
        for c in list(_open):
            c.trace_lower_seconds += duration


def _on_event(event: str, **kwargs) -> None:
    if event == CACHE_HIT:
        for c in list(_open):
            c.cache_hits += 1


def _register() -> None:
    global _registered
    with _lock:
        if not _registered:
            monitoring.register_event_duration_secs_listener(_on_duration)
            monitoring.register_event_listener(_on_event)
            _registered = True


class counting:
    """`with counting() as c: ...` → c.count compilations took c.seconds."""

    def __enter__(self) -> Compilations:
        _register()
        self.counter = Compilations()
        _open.append(self.counter)
        return self.counter

    def __exit__(self, *exc) -> bool:
        _open.remove(self.counter)
        return False
