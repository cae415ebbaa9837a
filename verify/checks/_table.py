"""A deterministic check declared as a table: a measurement gives named quantities at each setting (a width, an
initialisation), and each `Row` compares one of them with a named tolerance or bound. The check's procedure is
the measurement (a tested function of the model's module); the claim holds only data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from verify._model import Comparison, PerProfile, View
from verify.checks._exact import Exact, at_least, at_most, exact
from verify.tolerances import Tol


@dataclass(frozen=True)
class Row:
    """One comparison read off a measurement q (a dict of named quantities): q[quantity] = expected within bound
    (relation "="), or ≤ / ≥ bound. `label` is formatted with q; `scale` names a quantity the bound is relative
    to; `detail` names the quantities reported beside the verdict."""

    label: str
    quantity: str
    relation: str  # "=", "≤" or "≥"
    bound: Tol | float
    reference: str
    expected: float = 0.0
    scale: str | None = None
    detail: Sequence[str] = ()

    def __post_init__(self):
        if self.relation not in ("=", "≤", "≥"):
            raise ValueError(f"Row {self.label!r}: relation={self.relation!r} is not '=', '≤' or '≥'")

    def compare(self, q: dict) -> Comparison:
        bound = self.bound.value if isinstance(self.bound, Tol) else self.bound
        bound = bound * q[self.scale] if self.scale else bound
        name, detail = self.label.format(**q), {k: q[k] for k in self.detail}
        if self.relation == "=":
            return exact(name, self.expected, q[self.quantity], bound, self.reference, **detail)
        return (at_most if self.relation == "≤" else at_least)(name, q[self.quantity], bound, self.reference, **detail)


def table(name: str, measure: Callable[..., dict], settings: Sequence | PerProfile,
          rows: Sequence[Row] | Callable[[dict], Sequence[Row]], then: Callable[[dict], list[Comparison]] | None = None,
          names: Sequence[str] = ("n", "j"), view: View = View.NUMERIC) -> Exact:
    """An Exact check: at each setting s (a value or tuple; a PerProfile of them), q = measure(ctx, *s) with the
    setting under `names` (q["n"], q["j"]), and every row compared on q. `rows` may be a function of q (a
    measurement that finds nothing to bound); `then(q by setting)` adds comparisons across settings."""
    def compute(ctx):
        out, seen = [], {}
        for s in settings(ctx.profile) if isinstance(settings, PerProfile) else settings:
            s = s if isinstance(s, tuple) else (s,)
            q = seen[s] = {**dict(zip(names, s)), **measure(ctx, *s)}
            out += [row.compare(q) for row in (rows(q) if callable(rows) else rows)]
        return out + (then(seen) if then else [])

    return Exact(name, view, compute)
