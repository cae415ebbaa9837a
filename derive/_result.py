"""The outcome of one symbolic check: what was derived, what the source states, and whether SymPy
proves them equal.

Every field is a plain `str` or `bool` so that a result serialises to JSON unchanged
(`dataclasses.asdict(result)` or `result.as_dict()`). `holds` is computed from an exact SymPy test
by the function that builds the result (see `is_zero`); it is never set by assumption.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sympy as sp

__all__ = ["SymbolicResult", "is_zero", "residual_of"]


@dataclass(frozen=True)
class SymbolicResult:
    """One symbolic identity `derived == stated`, checked by SymPy.

    name:     claim id and the case checked, e.g. "shallow.gradients[b] n=3 d=2".
    holds:    True iff SymPy reduced `derived - stated` to exactly zero (and shapes agree).
    derived:  the expression obtained by differentiation / counting, as `str`.
    stated:   the expression the source writes, built from the same symbols, as `str`.
    residual: the simplified `derived - stated` ("0", or a zero matrix, when the identity holds).
    detail:   how the check was done, its scope (which sizes, which σ), and any limitation.
    """

    name: str
    holds: bool
    derived: str
    stated: str
    residual: str
    detail: str

    def __post_init__(self) -> None:
        if not isinstance(self.holds, bool):
            raise TypeError(
                f"holds={self.holds!r} has type {type(self.holds).__name__}; it must be a Python bool "
                "decided by an exact SymPy test (use derive._result.is_zero), not a SymPy Boolean"
            )
        for field in ("name", "derived", "stated", "residual", "detail"):
            value = getattr(self, field)
            if not isinstance(value, str):
                raise TypeError(
                    f"{field}={value!r} has type {type(value).__name__}; SymbolicResult fields are "
                    "strings so that results serialise to JSON: pass str(expr) or sympy.latex(expr)"
                )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def residual_of(expr: sp.Basic) -> sp.Basic:
    """`expr` reduced as far as the exact routines below get it: 0 proves an identity.

    Cheap exact reductions first (expand, then expand after `doit` turns unevaluated `Subs` /
    `Derivative` / `Sum` objects into their values), `simplify` last. All are exact rewrites; none
    is numerical, so a zero residual is a proof and a non-zero one is (at worst) "not proved".
    """
    if isinstance(expr, sp.MatrixBase):
        return sp.ImmutableMatrix(expr.shape[0], expr.shape[1], [residual_of(e) for e in expr])
    for step in (sp.expand, lambda e: sp.expand(e.doit()), lambda e: sp.simplify(e.doit())):
        reduced = step(expr)
        if reduced == 0:
            return sp.S.Zero
    return reduced


def is_zero(residual: sp.Basic) -> bool:
    """True iff `residual` (a value of `residual_of`) is exactly zero, entry by entry."""
    if isinstance(residual, sp.MatrixBase):
        return all(entry == 0 for entry in residual)
    return bool(residual == 0)
