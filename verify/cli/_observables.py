"""`ntkverify observables`: what a claim file can name — models, initialisations, activations and
every registered observable with its parameters, outputs and width variable."""
from __future__ import annotations

import importlib

from verify.cli._common import emit_json


def add(sub) -> None:
    p = sub.add_parser("observables", help="list models, initialisations, activations and observables for claim files")
    p.add_argument("--json", action="store_true", help="print the listing as JSON")
    p.set_defaults(func=main)


def _model_doc(name: str, registry) -> str:
    """First docstring line of verify.models.<name>, else of the module registering its observables."""
    try:
        module = importlib.import_module(f"verify.models.{name}")
    except ModuleNotFoundError:
        owner = next((o.build.__module__ for o in registry.values() if o.model == name), None)
        module = importlib.import_module(owner) if owner else None
    return ((getattr(module, "__doc__", None) or "").strip().splitlines() or [""])[0]


def _default(value):
    if isinstance(value, tuple):
        return list(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # a model spec: its one-line description


def listing() -> dict:
    from derive.activations import TABLE
    from verify.models import LAWS
    from verify.observables import REGISTRY

    models = sorted({o.model for o in REGISTRY.values()})
    return {
        "models": [{"name": m, "doc": _model_doc(m, REGISTRY)} for m in models],
        "initialisations": [{"name": l.name, "doc": l.description} for l in LAWS.values()],
        "activations": [{"name": a.name, "smooth": a.smooth} for a in TABLE.values()]
                       + [{"name": "leaky_relu(a_minus,a_plus)", "smooth": False},
                          {"name": "a formula in t (mlp.* models), e.g. t*erf(t)", "smooth": None}],
        "observables": [{
            "name": o.name, "model": o.model, "description": o.description, "width": o.width,
            "params": [{"name": k, "doc": p.doc, "kind": p.kind, "default": _default(p.default),
                        "choices": list(p.choices) if p.choices is not None else None} for k, p in o.params.items()],
            "outputs": list(o.outputs), "tags": list(o.tags)} for o in REGISTRY.values()],
    }


def main(args) -> int:
    data = listing()
    if args.json:
        emit_json(data)
        return 0
    print("Models:")
    for m in data["models"]:
        print(f"  {m['name']:<12} {m['doc']}")
    print("Initialisations (base laws 𝒟 of the LeCun init):")
    for l in data["initialisations"]:
        print(f"  {l['name']:<12} {l['doc']}")
    print("Activations:")
    print("  " + ", ".join(a["name"] + (" (not C²)" if a["smooth"] is False else "") for a in data["activations"]))
    print("Observables (name them in a claim file: observable = \"…\", params = {…}, column = output name or index):")
    for o in data["observables"]:
        width = f"width variable {o['width']}" if o["width"] else "no width"
        print(f"\n  {o['name']}  [model {o['model']}; {width}]")
        print(f"    {o['description']}")
        for p in o["params"]:
            extra = f"one of {', '.join(map(str, p['choices']))}" if p["choices"] else p["kind"]
            print(f"    param  {p['name']:<12} {p['doc']} ({extra}; default {p['default']!r})")
        for i, out in enumerate(o["outputs"]):
            print(f"    output {i}: {out}")
    return 0
