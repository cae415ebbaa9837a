"""model_from_table: a model spec from a plain dict (a claim file's [claim.model] table), validated field by field.

    {depth = 3, activation = "relu", parametrization = "ntk", C_W = 2.0, C_b = 0.1, law = "normal",
     widths = [1, 2, 1]}

Every problem is reported as one line `model.<field> = <value>: <why>; <the fix>`, all problems at once.
"""
from __future__ import annotations

import difflib
import math
from typing import Any

from verify.models._activations import Activation as _ActivationObject, activation as _activation
from verify.models._laws import LAWS, law as _law
from verify.models._mlp._model import Model, mlp
from verify.models._mlp._parametrization import parametrization as _parametrization

FIELDS = {
    "depth": "number of hidden layers, an integer ≥ 1 (required)",
    "activation": "σ by name, e.g. \"tanh\", \"relu\", \"leaky_relu(0.2,1)\" (required)",
    "parametrization": "\"standard\" (LeCun), \"ntk\", \"meanfield\" (μP output) or \"power(alpha)\"; default \"ntk\"",
    "output_parametrization": "the output layer's parametrisation, if not the hidden layers'",
    "C_W": "weight scale, a number > 0; default 1",
    "C_b": "bias scale, a number ≥ 0; omit for no bias",
    "law": f"base law of the weights, one of {', '.join(LAWS)}; default \"normal\"",
    "widths": "hidden widths as ratios to n, one number > 0 per hidden layer; default all n",
    "sizes": "hidden widths as fixed integers, one per hidden layer (instead of widths)",
}
REQUIRED = ("depth", "activation")


class ModelTableError(ValueError):
    """All problems of one model table; .problems lists them one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check(name: str, value: Any, problems: list[str]) -> Any:
    def bad(why: str, fix: str):
        problems.append(f"model.{name} = {value!r}: {why}; {fix}")

    if name == "depth":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return bad("the number of hidden layers must be an integer ≥ 1", "write e.g. depth = 2")
    elif name == "activation":
        if isinstance(value, _ActivationObject):  # already built (e.g. from a formula in t)
            return value
        if not isinstance(value, str):
            return bad("an activation is named by a string", "write e.g. activation = \"tanh\"")
        try:
            _activation(value)
        except (ValueError, TypeError) as e:
            return bad(f"not a known activation ({e})", "write e.g. activation = \"tanh\"")
    elif name in ("parametrization", "output_parametrization"):
        try:
            _parametrization(value)
        except ValueError:
            return bad("not a parametrisation", "choose \"standard\", \"ntk\", \"meanfield\" or \"power(alpha)\", "
                       "e.g. \"power(1/3)\"")
    elif name == "C_W":
        if not (_number(value) and value > 0):
            return bad("the weight scale must be a finite number > 0", "write e.g. C_W = 2.0")
    elif name == "C_b":
        if not (_number(value) and value >= 0):
            return bad("the bias scale must be a finite number ≥ 0", "write e.g. C_b = 0.1, or omit it for no bias")
    elif name == "law":
        if not isinstance(value, str) or value not in LAWS:
            return bad("not a base law", f"choose one of {', '.join(map(repr, LAWS))}")
        _law(value)
    elif name == "widths":
        if not (isinstance(value, (list, tuple)) and value and all(_number(v) and v > 0 for v in value)):
            return bad("hidden widths are ratios to n, a list of numbers > 0", "write e.g. widths = [1, 2]")
    elif name == "sizes":
        if not (isinstance(value, (list, tuple)) and value
                and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)):
            return bad("fixed hidden widths are a list of integers ≥ 1", "write e.g. sizes = [64, 128]")
    return value


def model_from_table(table: dict) -> Model:
    """A Model from a plain dict of the FIELDS; raises ModelTableError naming each bad field, its value, why, and
    the fix."""
    if isinstance(table, Model):
        return table
    if not isinstance(table, dict):
        raise ModelTableError([f"model = {table!r}: a model is a table of fields; write e.g. "
                               "model = {depth = 2, activation = \"tanh\"}"])
    problems: list[str] = []
    for name in table:
        if name not in FIELDS:
            near = difflib.get_close_matches(str(name), FIELDS, n=1)
            problems.append(f"model.{name} = {table[name]!r}: not a model field; "
                            + (f"did you mean {near[0]!r}? " if near else "")
                            + f"fields: {', '.join(FIELDS)}")
    for name in REQUIRED:
        if name not in table:
            problems.append(f"model.{name} is missing: {FIELDS[name]}; add it, e.g. "
                            + ("depth = 2" if name == "depth" else "activation = \"tanh\""))
    for name, value in table.items():
        if name in FIELDS:
            _check(name, value, problems)
    if "widths" in table and "sizes" in table:
        problems.append(f"model.sizes = {table['sizes']!r}: widths and sizes both given; keep one of them")
    depth = table.get("depth")
    for name in ("widths", "sizes"):
        value = table.get(name)
        if isinstance(depth, int) and depth >= 1 and isinstance(value, (list, tuple)) and value \
                and len(value) != depth:
            problems.append(f"model.{name} = {list(value)!r}: {len(value)} entries for depth = {depth}; "
                            f"give one per hidden layer ({depth})")
    if problems:
        raise ModelTableError(problems)
    return mlp(depth, table["activation"], table.get("parametrization", "ntk"), table.get("C_W", 1.0),
               table.get("C_b"), table.get("law", "normal"), widths=table.get("widths"), sizes=table.get("sizes"),
               output_parametrization=table.get("output_parametrization"))
