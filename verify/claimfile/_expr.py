"""Formulas in claim files: SymPy expressions over declared names, parsed without surprises.

`^` means power, vectors are column matrices with `dot(a, b)` and `norm(a)`, and a name that is
not declared is an error that lists the declared ones (never a silent new symbol).
"""
from __future__ import annotations

import functools
import math
import re
from typing import Any

import sympy as sp
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

from verify.claimfile._errors import hint, nearest

_TRANSFORMS = standard_transformations + (convert_xor,)


def dot(a, b):
    if isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase):
        if a.shape != b.shape:
            raise ValueError(f"dot of vectors of lengths {a.shape[0]} and {b.shape[0]}")
        return a.dot(b)
    return a * b


def norm(a):
    return a.norm() if isinstance(a, sp.MatrixBase) else sp.Abs(a)


HELPERS = {"dot": dot, "norm": norm}


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


@functools.lru_cache(maxsize=1)
def _sympy_names() -> frozenset:
    namespace: dict = {}
    exec("from sympy import *", namespace)  # the names parse_expr resolves to SymPy objects
    return frozenset(namespace)


def names_in(text) -> set[str]:
    """The free names a formula's text uses (not SymPy's functions and constants, not keywords),
    found from its tokens without evaluating it (an integral is not computed twice)."""
    import io
    import keyword
    import tokenize

    if not isinstance(text, str):
        return set()
    namespace = _sympy_names()
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError):
        return set()  # the parse that follows reports it
    out = set()
    for i, tok in enumerate(toks):
        before = toks[i - 1].string if i else None
        after = toks[i + 1].string if i + 1 < len(toks) else None
        if (tok.type == tokenize.NAME and not keyword.iskeyword(tok.string) and before != "." and after != "("
                and tok.string not in namespace and tok.string not in HELPERS):
            out.add(tok.string)
    return out


def parse(text, names: dict[str, Any]) -> sp.Expr:
    """A scalar SymPy expression in `names` (and SymPy's constants/functions) from text or a number."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise FormulaError(f"expected a formula (text like \"2/pi*asin(x1)\") or a number, got {type(text).__name__} {text!r}")
    if isinstance(text, (int, float)):
        if not math.isfinite(text):
            raise FormulaError(f"expected a finite number, got {text!r}")
        return sp.nsimplify(text) if isinstance(text, int) else sp.Float(text, 30)
    if not text.strip():
        raise FormulaError("is empty; expected a formula")
    found: dict = {}

    def note_name(tokens, local_dict, global_dict):  # record every name the text uses, before auto_symbol
        from tokenize import NAME
        for kind, value in tokens:
            if kind == NAME:
                found.setdefault(value, None)
        return tokens

    local = {**HELPERS, **names}
    try:
        expr = parse_expr(text, local_dict=local, transformations=(note_name,) + _TRANSFORMS)
    except Exception as exc:  # SyntaxError, TokenError, TypeError from SymPy objects combined badly
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if type(exc).__name__ == "TokenError":
            first = "unbalanced brackets or an unfinished expression"
        first = re.sub(r"\s*\(<string>, line \d+\)", "", first)
        reserved = [n for n in found if n not in local and _is_sympy_callable(n)]
        extra = (f"; {reserved[0]!r} is SymPy's function, not a symbol: declare it as a parameter to use it as a "
                 "number" if reserved else "")
        if "lambda" in found:
            extra = "; 'lambda' is a Python keyword: name the symbol lam"
        raise FormulaError(f"formula {text!r} does not parse ({type(exc).__name__}: {first}){extra}") from None
    if isinstance(expr, sp.MatrixBase):
        raise FormulaError(f"formula {text!r} is a vector, not a number; use dot(x, z) or norm(x), or components x1, x2…")
    if not isinstance(expr, sp.Expr):
        raise FormulaError(f"formula {text!r} is a {type(expr).__name__}, not a number-valued expression")
    from sympy.core.function import AppliedUndef

    undefined = sorted({str(a.func) for a in expr.atoms(AppliedUndef)})
    if undefined:
        near = nearest(undefined[0], [n for n in _sympy_names() if n[:1].islower()])
        raise FormulaError(f"formula {text!r} calls {undefined[0]!r}, which is not a SymPy function"
                           + (f"; did you mean {' or '.join(map(repr, near))}?" if near else ""))
    if expr.has(sp.nan, sp.zoo) or expr in (sp.oo, -sp.oo):
        raise FormulaError(f"formula {text!r} is undefined: SymPy reduces it to {expr}")
    declared = {k for k, v in names.items() if isinstance(v, sp.Symbol)}
    unknown = sorted(s.name for s in expr.free_symbols if s.name not in declared)
    if unknown:
        valid = sorted(set(names))
        raise FormulaError(f"formula {text!r} uses the undeclared name {unknown[0]!r}" + hint(unknown[0], valid, "declared names"))
    return expr


def _is_sympy_callable(name: str) -> bool:
    obj = getattr(sp, name, None)
    return obj is not None and callable(obj)


def value(expr: sp.Expr, subs: dict, what: str) -> float:
    """The real, finite float value of expr at subs (30 digits, then rounded)."""
    try:
        v = sp.N(expr.xreplace(subs), 30)
    except (TypeError, ValueError, ZeroDivisionError) as exc:
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
