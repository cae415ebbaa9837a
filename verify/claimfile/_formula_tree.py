"""The formula language's syntax tree: Python's `ast` of the text, walked node by node against a
whitelist, with SymPy objects built bottom-up. A node that is not on the list is refused by name
(attribute access, subscripts, lambdas, strings, keyword arguments…), so no formula can reach
Python's builtins, import anything or call a method."""
from __future__ import annotations

import ast
import math
import operator
from typing import Any

import sympy as sp

from verify.claimfile import _expr, _functions
from verify.claimfile._errors import nearest

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: None}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_COMPARE = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq, ast.NotEq: sp.Ne}
_REFUSED = {  # what a hostile or confused formula may try, and what to write instead
    ast.Attribute: "attribute access ('.name') is not part of the formula language",
    ast.Subscript: "indexing ('[…]') is not part of the formula language; write components x1, x2…",
    ast.Lambda: "'lambda' is a Python keyword: name the symbol lam",
    ast.keyword: "keyword arguments are not part of the formula language",
    ast.Starred: "'*' unpacking is not part of the formula language",
    ast.List: "lists are not part of the formula language",
    ast.Dict: "dicts are not part of the formula language",
    ast.Set: "sets are not part of the formula language",
    ast.JoinedStr: "strings are not part of the formula language",
    ast.BoolOp: "'and'/'or' are not part of the formula language; use Piecewise conditions",
    ast.IfExp: "'… if … else …' is not part of the formula language; use Piecewise((a, cond), (b, True))",
    ast.NamedExpr: "':=' is not part of the formula language",
}


def build(text: str, names: dict[str, Any], functions: dict, constants: dict):
    source = text.replace("^", "**")  # `^` is a power, as in the notes (the language has no xor)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        found = {t for t in ("lambda",) if t in source.split()}
        extra = "; 'lambda' is a Python keyword: name the symbol lam" if found else ""
        raise _expr.FormulaError(f"formula {text!r} does not parse (SyntaxError: {exc.msg}){extra}") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise _expr.FormulaError(f"formula {text!r} does not parse ({type(exc).__name__})") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > _expr.MAX_NODES:
        raise _expr.FormulaError(f"formula has {count} syntax nodes, more than the limit {_expr.MAX_NODES}; "
                                 "split it with [claim.parameters] or simplify it")
    return _Builder(text, names, functions, constants).node(tree.body, 0, inside=None)


class _Builder:
    def __init__(self, text, names, functions, constants):
        self.text, self.names, self.functions, self.constants = text, names, functions, constants

    def fail(self, why: str):
        raise _expr.FormulaError(f"formula {self.text!r}: {why}")

    def node(self, n, depth: int, inside: str | None):
        if depth > _expr.MAX_DEPTH:
            self.fail(f"nested more than {_expr.MAX_DEPTH} levels deep")
        if type(n) in _REFUSED:
            self.fail(_REFUSED[type(n)])
        if isinstance(n, ast.Constant):
            return self.constant(n.value)
        if isinstance(n, ast.Name):
            return self.name(n.id)
        if isinstance(n, ast.BinOp) and type(n.op) in _BINARY:
            a, b = self.node(n.left, depth + 1, inside), self.node(n.right, depth + 1, inside)
            return self.power(a, b) if isinstance(n.op, ast.Pow) else _BINARY[type(n.op)](a, b)
        if isinstance(n, ast.UnaryOp) and type(n.op) in _UNARY:
            return _UNARY[type(n.op)](self.node(n.operand, depth + 1, inside))
        if isinstance(n, ast.Compare) and len(n.ops) == 1 and type(n.ops[0]) in _COMPARE:
            return _COMPARE[type(n.ops[0])](self.node(n.left, depth + 1, inside),
                                            self.node(n.comparators[0], depth + 1, inside))
        if isinstance(n, ast.Tuple):
            if inside not in _expr._TUPLE_TAKERS:
                self.fail("a tuple (…, …) is only allowed as a limit (t, lo, hi) of integrate/Integral/Sum or a "
                          "(value, condition) pair of Piecewise")
            return tuple(self.node(e, depth + 1, None) for e in n.elts)
        if isinstance(n, ast.Call):
            return self.call(n, depth)
        what = type(n).__name__
        if isinstance(n, ast.BinOp):
            what = f"the operator {type(n.op).__name__}"
        self.fail(f"{what} is not part of the formula language (numbers, declared names, + - * / ^, "
                  "comparisons, and the listed functions)")

    def constant(self, v):
        if isinstance(v, bool):
            return sp.true if v else sp.false
        if isinstance(v, int):
            if len(str(abs(v))) > _expr.MAX_LITERAL_DIGITS:
                self.fail(f"the integer {str(v)[:20]}… has more than {_expr.MAX_LITERAL_DIGITS} digits")
            return sp.Integer(v)
        if isinstance(v, float):
            if not math.isfinite(v):
                self.fail(f"the number {v!r} is not finite")
            return sp.Float(v, 30)
        self.fail(f"{type(v).__name__} literals are not part of the formula language")

    def name(self, name: str):
        if name.startswith("_"):
            self.fail(f"the name {name!r} starts with '_'; names are letters and digits (e.g. x1, alpha)")
        if name in self.names:
            return self.names[name]
        if name in self.constants:
            return self.constants[name]
        if name in self.functions:
            self.fail(f"{name!r} is a function: call it, e.g. {name}(x)")
        return _expr.symbol(name)  # undeclared: reported with the declared names after the build

    def power(self, base, exponent):
        if isinstance(exponent, sp.Number) and exponent.is_finite and abs(exponent) > _expr.MAX_EXPONENT:
            self.fail(f"the exponent {_sci(exponent)} is larger in magnitude than the limit {_expr.MAX_EXPONENT}")
        if isinstance(base, sp.Number) and isinstance(exponent, sp.Number) and base != 0:
            digits = abs(float(exponent)) * abs(math.log10(abs(float(base)))) if base.is_finite else 0.0
            if digits > _expr.MAX_DIGITS:
                self.fail(f"{_sci(base)}^{_sci(exponent)} has about {digits:.3g} digits, more than the limit "
                          f"{_expr.MAX_DIGITS}")
        return base ** exponent

    def call(self, n: ast.Call, depth: int):
        if n.keywords:
            self.fail(_REFUSED[ast.keyword])
        if not isinstance(n.func, ast.Name):
            self.fail("only the listed functions may be called, by name (e.g. sin(x))")
        fname = n.func.id
        if fname in self.names:
            self.fail(f"{fname!r} is a declared name, not a function")
        if fname not in self.functions:
            near = nearest(fname, list(self.functions))
            self.fail(f"calls {fname!r}, which is not a SymPy function of the formula language"
                      + (f"; did you mean {' or '.join(map(repr, near))}?" if near else "")
                      + f" allowed: {', '.join(sorted(self.functions))}")
        fn, arities = self.functions[fname]
        if len(n.args) not in arities:
            self.fail(f"{fname}() takes {' or '.join(map(str, arities))} arguments, got {len(n.args)}")
        bound = _functions.BOUND_BY.get(fname)
        if bound:  # E(expr in a and b, …): a and b are bound inside the first argument only
            inner = _Builder(self.text, {**self.names, **bound}, self.functions, self.constants)
            args = [inner.node(n.args[0], depth + 1, fname)] + [self.node(a, depth + 1, fname) for a in n.args[1:]]
        else:
            args = [self.node(a, depth + 1, fname) for a in n.args]
        if fname in _expr._COUNT_TAKERS or fname == "diff":
            counts = args if fname != "diff" else args[1:]
            for a in counts:
                if isinstance(a, sp.Number) and abs(a) > _expr.MAX_COUNT_ARGUMENT:
                    self.fail(f"{fname}() of {_sci(a)} is beyond the limit {_expr.MAX_COUNT_ARGUMENT}")
        return fn(*args)


def _sci(v) -> str:
    text = str(v)
    return text if len(text) <= 20 else f"{float(v):.3g}"
