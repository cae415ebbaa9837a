"""Read a registered observable by output name: the sampler a declared check follows.

The catalogue and users' claim files name what they follow (`outputs("shallow.lecun_init", ("mean ξ²
over √d·U",), law="uniform")`), never a column index. Every selection of one observable with the same
parameters shares one built sampler, so several checks reading different outputs of it share one
XLA compilation; each check still draws with its own key, so a check's numbers do not depend on
which other checks read the same observable."""
from __future__ import annotations

import functools
from typing import Callable, Sequence

import numpy as np


def _frozen(value):
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


@functools.lru_cache(maxsize=None)
def _built(observable: str, params: tuple):
    from verify.observables import get

    return get(observable).sampler(**dict(params))


def outputs(observable: str, names: Sequence[str], transform: Callable[[np.ndarray], np.ndarray] | None = None,
            **params) -> Callable[..., np.ndarray]:
    """sample(key, width, count, max_width=None) → the named outputs, shape (count, len(names)), in the
    order given; `transform` maps that array to the followed quantities (e.g. squares, ratios). A sampler with
    the attribute `selects_columns` takes `columns=` (output indices) and computes only those (the same values)."""
    from verify.observables import get

    obs = get(observable)
    missing = [n for n in names if n not in obs.outputs]
    if missing:
        raise ValueError(f"observable {observable!r} has no output {missing[0]!r}; its outputs are "
                         + ", ".join(map(repr, obs.outputs)))
    columns = [obs.outputs.index(n) for n in names]
    frozen = tuple(sorted((k, _frozen(v)) for k, v in params.items()))

    def sample(key, width, count, max_width=None):
        kw = {} if max_width is None else {"max_width": max_width}
        built = _built(observable, frozen)
        if getattr(built, "selects_columns", False):  # it computes only the outputs named, in the order given
            out = np.asarray(built(key, width, count, columns=tuple(columns), **kw)).reshape(count, len(columns))
        else:
            out = np.asarray(built(key, width, count, **kw)).reshape(count, -1)[:, columns]
        return out if transform is None else np.asarray(transform(out))

    return sample


def at_width(width, sample: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """`sample` drawn at a fixed `width`, for a check without a width sweep (MeanEquals, LawEquals call
    their sampler with width None)."""
    def fixed(key, _, count, max_width=None):
        return sample(key, width, count)

    return fixed
