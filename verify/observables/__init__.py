"""Built-in observables, registered by each model's module (claims and claim files reuse them)."""
from verify.observables._base import REGISTRY, Observable, Param, get, register
from verify.observables import shallow  # noqa: F401  (registers)
from verify.observables import lin  # noqa: F401  (registers)
from verify.observables import linear3  # noqa: F401  (registers)
from verify.observables import meanfield  # noqa: F401  (registers)
from verify.observables import chizat  # noqa: F401  (registers)
from verify.observables import randnet  # noqa: F401  (registers)
from verify.observables import generic  # noqa: F401  (registers the toy observables)
from verify.observables import mlp  # noqa: F401  (registers the generic observables over any model)

ENTRY_POINT_GROUP = "ntkverify.observables"


def load_plugins() -> list[str]:
    """Import every module another package declares in the entry-point group `ntkverify.observables`
    (its import registers models and observables). A plugin that fails to import is reported, not fatal:
    the built-in observables still work. Returns one line per failure."""
    from importlib.metadata import entry_points

    failures = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception as exc:  # another package's bug must not take the suite down
            failures.append(f"entry point {ep.name!r} ({ep.value}) of group {ENTRY_POINT_GROUP!r} failed to load: "
                            f"{type(exc).__name__}: {exc}")
    return failures


PLUGIN_ERRORS = load_plugins()

__all__ = ["ENTRY_POINT_GROUP", "PLUGIN_ERRORS", "REGISTRY", "Observable", "Param", "get", "load_plugins", "register"]
