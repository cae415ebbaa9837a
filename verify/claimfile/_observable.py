"""What the Monte Carlo kinds share: the observable named in a claim, its validated parameters, the
column followed, declared constants, and the formula namespace they make."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from verify.claimfile import _expr, _models
from verify.claimfile._errors import hint
from verify.claimfile._fields import Fields, _is_number

KIND_TEXT = {"str": "text", "int": "an integer", "float": "a number", "vector": "a list of numbers"}


@dataclass(frozen=True)
class Bound:
    """An observable with every parameter fixed, and the column a claim follows."""

    name: str
    values: dict
    column: int
    output: str
    width_name: str | None
    base: object  # the observable's sampler(key, width, count, max_width=None)
    names: dict  # formula names: declared constants and the numeric parameters
    subs: dict
    functions: dict = None  # formula functions of the claim's model: nngp(x, z), ntk(x, z)

    def sampler(self, power: int = 1, width: int | None = None):
        """A one-column sampler: the followed output (to the power k), at the sweep's width or a fixed one."""
        base, col = self.base, self.column

        def sample(key, w, count, max_width=None):
            n = width if width is not None else w
            kw = {"max_width": max_width} if (max_width is not None and width is None) else {}
            out = np.asarray(base(key, n, count, **kw), dtype=np.float64).reshape(count, -1)[:, col]
            return (out ** power)[:, None]

        sample.bound = self  # so verify/_eta.py can price a claim by the observable's cost model
        return sample

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v!r}" if isinstance(v, (str, int, float, tuple)) else f"{k}=[{v}]"
                          for k, v in self.values.items())
        return f"{self.name}({shown}) output {self.output!r}"


def constants(f: Fields) -> dict[str, float]:
    """[claim.parameters]: named numbers the formulas (and numeric observable parameters) may use."""
    table = f.table("parameters", {})
    out = {}
    for k, v in table.items():
        if not k.isidentifier():
            raise f.error(f"parameters.{k}", f"{k!r} is not a usable name (letters, digits, _; not starting with a digit)")
        if not _is_number(v) or not math.isfinite(v):
            raise f.error(f"parameters.{k}", f"expected a finite number, got {v!r}")
        out[k] = v
    return out


def bind(f: Fields, *, needs_width: bool) -> Bound:
    from verify.observables import REGISTRY

    name = f.text("observable")
    if name not in REGISTRY:
        raise f.error("observable", f"unknown observable {name!r}" + hint(name, sorted(REGISTRY), "observables")
                      + " (`ntkverify observables` describes them)")
    obs = REGISTRY[name]
    if needs_width and obs.width is None:
        raise f.error("observable", f"observable {name!r} has no width variable; kind {f.data.get('kind')!r} "
                                    "sweeps a width. Use kind 'moment' for a fixed setting")
    consts = constants(f)
    cnames, csubs = _expr.namespace(consts)
    given = dict(f.table("params", {}))
    model_params = [k for k, p in obs.params.items() if p.kind == "model"]
    if f.has("model"):
        if not model_params:
            raise f.error("model", f"observable {name!r} has no model; the mlp.* observables take one "
                                   "(`ntkverify observables` lists them)")
        if model_params[0] in given:
            raise f.error(f"params.{model_params[0]}", "the model is given twice (params and [claim.model]); keep "
                                                      "the [claim.model] table")
        given[model_params[0]] = _model(f, f.table("model"))
    values = {}
    for k in given:
        if k not in obs.params:
            raise f.error(f"params.{k}", f"observable {name!r} has no parameter {k!r}"
                                         + hint(k, obs.params, "its parameters"))
    for k, p in obs.params.items():
        v = given.get(k, p.default)
        path = f"params.{k}"
        if k in given:
            v = _param_value(f, path, v, p, cnames, csubs)
        if p.choices is not None and v not in p.choices:
            raise f.error(path, f"{k}={v!r} is not allowed for {name!r}" + hint(str(v), map(str, p.choices), "choices"))
        values[k] = tuple(v) if isinstance(v, list) else v
    vectors = {k: len(v) for k, v in values.items() if obs.params[k].kind == "vector"}
    if len(set(vectors.values())) > 1:
        first = sorted(vectors)[-1]
        raise f.error(f"params.{first}", "vector parameters must have one common dimension d, got lengths "
                                         + ", ".join(f"{k}: {n}" for k, n in vectors.items()))
    column = f.raw("column", 0)
    if isinstance(column, bool) or not isinstance(column, (int, str)):
        raise f.error("column", f"expected an output name or index, got {column!r}")
    if isinstance(column, int):
        if not 0 <= column < len(obs.outputs):
            raise f.error("column", f"index {column} is out of range: {name!r} has outputs 0..{len(obs.outputs) - 1}: "
                                    + ", ".join(f"{i}={o!r}" for i, o in enumerate(obs.outputs)))
    else:
        if column not in obs.outputs:
            raise f.error("column", f"{name!r} has no output {column!r}" + hint(column, obs.outputs, "outputs"))
        column = obs.outputs.index(column)
    try:
        base = obs.build(**values)
    except (ValueError, TypeError) as exc:
        raise f.error("params", f"observable {name!r} rejected the parameters: {exc}") from None
    pnames, psubs = _expr.namespace({k: v for k, v in values.items() if k not in consts})
    subs = {**psubs, **csubs}
    functions = _models.kernel_functions(values[model_params[0]], subs) if model_params else {}
    return Bound(name, values, column, obs.outputs[column], obs.width, base, {**pnames, **cnames}, subs, functions)


def _model(f: Fields, table: dict):
    """[claim.model] → a model spec; an activation that is no table name is a formula in t (safe parser)."""
    from verify.models.mlp import ModelTableError, model_from_table

    table = dict(table)
    act = table.get("activation")
    if isinstance(act, str) and not _models.known_activation(act):
        try:
            table["activation"] = _models.activation_from_formula(act)
        except _expr.FormulaError as exc:
            raise f.error("model.activation", f"{act!r} is neither a built-in activation "
                                              f"({', '.join(_models.activation_names())}) nor a formula in t: {exc}") from None
    try:
        return model_from_table(table)
    except ModelTableError as exc:
        first = exc.problems[0]
        at = re.match(r"model\.(\w+)", first)
        more = f" (and {len(exc.problems) - 1} more problem(s) in the table)" if len(exc.problems) > 1 else ""
        raise f.error(f"model.{at.group(1)}" if at else "model", first.split(": ", 1)[-1] + more) from None


def _param_value(f: Fields, path: str, v, p, cnames, csubs):
    want = KIND_TEXT.get(p.kind, p.kind)
    if p.kind in ("int", "float") and isinstance(v, str) and p.choices is None:
        try:  # a formula in the declared constants, e.g. power = "alpha"
            v = _expr.value(_expr.parse(v, cnames), csubs, f"{path} = {v!r}")
        except _expr.FormulaError as exc:
            raise f.error(path, f"expected {want} (or a formula in [claim.parameters]), got {v!r}: {exc}") from None
        if p.kind == "int":
            if abs(v - round(v)) > 1e-12:
                raise f.error(path, f"expected {want}, the formula gives {v!r}")
            v = int(round(v))
    if p.kind == "model":
        return v  # validated by [claim.model]
    if p.kind == "str" and not isinstance(v, str):
        raise f.error(path, f"expected {want}, got {v!r}")
    if p.kind == "int" and (not isinstance(v, int) or isinstance(v, bool)):
        raise f.error(path, f"expected {want}, got {type(v).__name__} {v!r}")
    if p.kind == "float":
        if not _is_number(v) or not math.isfinite(v):
            raise f.error(path, f"expected {want}, got {type(v).__name__} {v!r}")
        v = float(v)
    if p.kind == "vector":
        if not isinstance(v, (list, tuple)) or not v or not all(_is_number(t) and math.isfinite(t) for t in v):
            raise f.error(path, f"expected {want}, e.g. [0.6, 0.8]; got {v!r}")
        v = tuple(float(t) for t in v)
    return v


def formula(f: Fields, name: str, names: dict, subs: dict, default=_expr.FormulaError,
            functions: dict | None = None) -> tuple[object, float, str]:
    """(SymPy expression, its value, the text as written) of a formula field."""
    raw = f.raw(name) if default is _expr.FormulaError else f.raw(name, default)
    try:
        expr = _expr.parse(raw, names, functions)
        return expr, _expr.value(expr, subs, f"{name} = {raw!r}"), str(raw)
    except _expr.FormulaError as exc:
        raise f.error(name, str(exc)) from None
