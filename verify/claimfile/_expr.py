"""Formulas in claim files: SymPy expressions over declared names, parsed without surprises.

`^` means power, vectors are column matrices with `dot(a, b)` and `norm(a)`, and a name that is
not declared is an error that lists the declared ones (never a silent new symbol).
"""
from __future__ import annotations

import functools
import math
from typing import Any

import sympy as sp

from verify.claimfile._errors import hint


def dot(a, b):
    if isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase):
        if a.shape != b.shape:
            raise ValueError(f"dot of vectors of lengths {a.shape[0]} and {b.shape[0]}")
        return a.dot(b)
    return a * b


def norm(a):
    return a.norm() if isinstance(a, sp.MatrixBase) else sp.Abs(a)


def symbol(name: str, **assumptions) -> sp.Symbol:
    return sp.Symbol(name, **(assumptions or {"real": True}))


def namespace(values: dict[str, Any], assumptions: dict[str, dict] | None = None) -> tuple[dict, dict]:
    """(names for parsing, substitutions) for numeric parameter values: a scalar `a` becomes the
    symbol a; a vector `x` of length d becomes Matrix([x1..xd]) and, if no parameter is called d,
    the symbol d = its length. Non-numeric values (activation names) are not formula names."""
    names, subs = {}, {}
    lengths = set()
    for k, v in values.items():
        if isinstance(v, bool) or isinstance(v, str):
            continue
        if isinstance(v, (int, float)):
            s = symbol(k, **(assumptions or {}).get(k, {}))
            names[k], subs[s] = s, sp.Float(v, 30) if isinstance(v, float) else sp.Integer(v)
        elif isinstance(v, (list, tuple)) and v and all(isinstance(t, (int, float)) and not isinstance(t, bool) for t in v):
            comps = [symbol(f"{k}{i + 1}") for i in range(len(v))]
            names[k] = sp.Matrix(comps)
            for s, t in zip(comps, v):
                names[s.name] = s
                subs[s] = sp.Float(t, 30)
            lengths.add(len(v))
    if len(lengths) == 1 and "d" not in names:
        d = symbol("d", positive=True, integer=True)
        names["d"], subs[d] = d, sp.Integer(lengths.pop())
    return names, subs


class FormulaError(ValueError):
    pass


# Formulas come from other people's files: they are parsed by Python's `ast` into a syntax tree,
# every node checked against the whitelist below, and the SymPy expression built node by node. No
# text ever reaches `eval`, `sympify` or `parse_expr` (those evaluate Python). The bounds keep a
# formula from hanging or exhausting memory before any SymPy work starts.
MAX_CHARS = 2000          # longer than any formula of the catalogue (the longest is ~120)
MAX_NODES = 400           # syntax-tree nodes
MAX_DEPTH = 40            # nesting of operations and calls
MAX_LITERAL_DIGITS = 40   # an integer literal; floats are limited by their finiteness
MAX_EXPONENT = 1000       # |p| in a numeric power x^p: beyond it SymPy expands or evaluates without end
MAX_DIGITS = 2000         # a power of two numbers may have at most this many decimal digits
MAX_COUNT_ARGUMENT = 1000  # factorial/binomial of an integer, the order of diff
FORMULA_SECONDS = 20.0    # wall-clock limit on building and evaluating one formula (SymPy integrals)


def _abs(a):
    return norm(a) if isinstance(a, sp.MatrixBase) else sp.Abs(a)


# name → (SymPy callable, allowed argument counts); calculus functions take (symbol, lo, hi) tuples.
FUNCTIONS: dict[str, tuple[Any, tuple[int, ...]]] = {
    **{n: (getattr(sp, n), (1,)) for n in (
        "exp", "sqrt", "cbrt", "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "sinh", "cosh",
        "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "erfinv", "sign", "floor", "ceiling", "Heaviside",
        "sinc", "gamma", "loggamma", "factorial", "re", "im")},
    "log": (sp.log, (1, 2)), "atan2": (sp.atan2, (2,)), "Abs": (_abs, (1,)), "abs": (_abs, (1,)),
    "Max": (sp.Max, tuple(range(1, 9))), "Min": (sp.Min, tuple(range(1, 9))), "binomial": (sp.binomial, (2,)),
    "beta": (sp.beta, (2,)), "root": (sp.root, (2,)),
    "Piecewise": (sp.Piecewise, tuple(range(1, 9))),
    "diff": (sp.diff, (2, 3, 4)), "integrate": (sp.integrate, (2, 3)), "Integral": (sp.Integral, (2, 3)),
    "limit": (sp.limit, (3,)), "Sum": (sp.Sum, (2,)),
    "dot": (dot, (2,)), "norm": (norm, (1,)),
}
def _extensions() -> dict:
    from verify.claimfile._functions import EXPECTATION
    return EXPECTATION


CONSTANTS = {"pi": sp.pi, "E": sp.E, "oo": sp.oo, "EulerGamma": sp.EulerGamma, "Catalan": sp.Catalan}
_TUPLE_TAKERS = {"integrate", "Integral", "Sum", "Piecewise"}
_COUNT_TAKERS = {"factorial", "binomial"}
HELPERS = {"dot": dot, "norm": norm}


@functools.lru_cache(maxsize=1)
def _sympy_names() -> frozenset:
    """Names a formula may use without declaring them: the allowed functions and constants."""
    return frozenset(FUNCTIONS) | frozenset(_extensions()) | frozenset(CONSTANTS)


def names_in(text) -> set[str]:
    """The free names a formula's text uses (not allowed functions or constants), from its syntax
    tree, without building anything (an integral is not computed twice)."""
    import ast

    if not isinstance(text, str) or len(text) > MAX_CHARS:
        return set()
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()  # the parse that follows reports it
    from verify.claimfile._functions import BOUND_BY

    skip = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for call in ast.walk(tree):  # E(expr in a and b, …): a and b are not free names of the formula
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in BOUND_BY and call.args:
            skip |= {id(n) for n in ast.walk(call.args[0])
                     if isinstance(n, ast.Name) and n.id in BOUND_BY[call.func.id]}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in skip and n.id not in CONSTANTS}


def parse(text, names: dict[str, Any], functions: dict[str, tuple[Any, tuple[int, ...]]] | None = None) -> sp.Expr:
    """A scalar SymPy expression in `names` (and the allowed functions/constants) from text or a number.

    `functions` adds callables for this formula (e.g. a claim model's ntk(x, z))."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise FormulaError(f"expected a formula (text like \"2/pi*asin(x1)\") or a number, got {type(text).__name__} {text!r}")
    if isinstance(text, (int, float)):
        if not math.isfinite(text):
            raise FormulaError(f"expected a finite number, got {text!r}")
        if isinstance(text, int) and len(str(abs(text))) > MAX_LITERAL_DIGITS:
            raise FormulaError(f"the integer {str(text)[:20]}… has more than {MAX_LITERAL_DIGITS} digits")
        return sp.nsimplify(text) if isinstance(text, int) else sp.Float(text, 30)
    if not text.strip():
        raise FormulaError("is empty; expected a formula")
    if len(text) > MAX_CHARS:
        raise FormulaError(f"formula of {len(text)} characters is longer than the limit {MAX_CHARS}; split it with "
                           "[claim.parameters] or simplify it")
    from verify._limits import DeadlineExceeded, deadline
    from verify.claimfile._formula_tree import build

    try:
        with deadline(FORMULA_SECONDS, f"formula {_short(text)}"):
            expr = build(text, names, {**FUNCTIONS, **_extensions(), **(functions or {})}, CONSTANTS)
    except FormulaError:
        raise
    except DeadlineExceeded as exc:
        raise FormulaError(f"{exc}; simplify the formula (a closed form instead of an integral or sum)") from None
    except RecursionError:
        raise FormulaError(f"formula {_short(text)} is nested too deeply") from None
    except Exception as exc:  # TypeError, ValueError, ShapeError: SymPy objects combined badly
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise FormulaError(f"formula {_short(text)} does not parse ({type(exc).__name__}: {first})") from None
    if isinstance(expr, sp.MatrixBase):
        raise FormulaError(f"formula {text!r} is a vector, not a number; use dot(x, z) or norm(x), or components x1, x2…")
    if not isinstance(expr, sp.Expr):
        raise FormulaError(f"formula {text!r} is a {type(expr).__name__}, not a number-valued expression")
    if expr.has(sp.nan, sp.zoo) or expr in (sp.oo, -sp.oo):
        raise FormulaError(f"formula {text!r} is undefined: SymPy reduces it to {expr}")
    declared = {k for k, v in names.items() if isinstance(v, sp.Symbol)}
    unknown = sorted(s.name for s in expr.free_symbols if s.name not in declared)
    if unknown:
        valid = sorted(set(names))
        raise FormulaError(f"formula {text!r} uses the undeclared name {unknown[0]!r}" + hint(unknown[0], valid, "declared names"))
    return expr


def _short(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _is_sympy_callable(name: str) -> bool:
    obj = getattr(sp, name, None)
    return obj is not None and callable(obj)


def value(expr: sp.Expr, subs: dict, what: str) -> float:
    """The real, finite float value of expr at subs (30 digits, then rounded)."""
    from verify._limits import DeadlineExceeded, deadline

    try:
        with deadline(FORMULA_SECONDS, what):
            v = sp.N(expr.xreplace(subs), 30)
    except DeadlineExceeded as exc:
        raise FormulaError(str(exc)) from None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as exc:
        raise FormulaError(f"{what} does not evaluate to a number ({exc})") from None
    if v.has(sp.nan):
        raise FormulaError(f"{what} evaluates to NaN")
    if v.has(sp.zoo, sp.oo):
        raise FormulaError(f"{what} evaluates to infinity")
    if v.free_symbols:
        raise FormulaError(f"{what} still depends on {', '.join(sorted(map(str, v.free_symbols)))} after substitution")
    try:
        c = complex(v)
    except (TypeError, ValueError) as exc:
        raise FormulaError(f"{what} does not evaluate to a number ({exc})") from None
    if not (math.isfinite(c.real) and math.isfinite(c.imag)):
        raise FormulaError(f"{what} evaluates to {c.real if c.imag == 0 else c} (not finite)")
    if abs(c.imag) > 1e-12 * max(1.0, abs(c.real)):
        raise FormulaError(f"{what} evaluates to the complex number {c:.6g}, not a real one")
    return c.real
