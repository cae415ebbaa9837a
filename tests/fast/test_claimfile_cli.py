"""`ntkverify check` (exit 0 all PASS / 1 any not PASS / 2 bad input, results before errors,
--json, --out) and `ntkverify observables` (whatever is registered, with parameters and outputs)."""
from __future__ import annotations

import json

import pytest

from verify.cli import main
from verify.cli._common import load_results

TRUE = """
[[claim]]
id = "c.double-angle"
kind = "identity"
statement = "sin 2x = 2 sin x cos x"
lhs = "sin(2*x)"
rhs = "2*sin(x)*cos(x)"
"""
WRONG = """
[[claim]]
id = "c.wrong"
kind = "identity"
statement = "sin 2x = 2 sin x"
lhs = "sin(2*x)"
rhs = "2*sin(x)"
"""
BAD = """
[[claim]]
id = "c.bad"
kind = "scaling"
statement = "typo"
observable = "toy.sum"
parameters = { alpha = 0.5 }
exponent = "alpah - 1"
"""


def _file(tmp_path, name, *bodies):
    path = tmp_path / name
    path.write_text("".join(bodies), encoding="utf-8")
    return path


def test_all_pass_exits_0(tmp_path, capsys):
    assert main(["check", str(_file(tmp_path, "ok.toml", TRUE))]) == 0
    out = capsys.readouterr()
    assert "c.double-angle" in out.out and "PASS" in out.out and "1 claims: 1 PASS" in out.out
    assert "bad input" not in out.err and "Traceback" not in out.err


def test_a_fail_exits_1_with_evidence(tmp_path, capsys):
    assert main(["check", str(_file(tmp_path, "w.toml", TRUE, WRONG)), "--seed", "3"]) == 1
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.startswith("c.wrong"))
    assert "FAIL" in line and "residual 2*(cos(x) - 1)*sin(x)" in line
    assert "1 PASS, 1 FAIL" in out


def test_bad_input_exits_2_after_printing_the_other_results(tmp_path, capsys):
    path = _file(tmp_path, "b.toml", TRUE, BAD)
    assert main(["check", str(path), str(tmp_path / "missing.toml")]) == 2
    out = capsys.readouterr()
    assert "c.double-angle" in out.out and "PASS" in out.out and "2 bad-input errors" in out.out
    errs = [l for l in out.err.splitlines() if l.startswith("ntkverify: bad input:")]
    assert len(errs) == 2, out.err
    line = next(i + 1 for i, l in enumerate(path.read_text().splitlines()) if l.startswith("exponent"))
    assert f"{path}:{line}: claim 'c.bad', field 'exponent'" in errs[0] and "did you mean 'alpha'" in errs[0]
    assert "missing.toml: does not exist" in errs[1]
    assert "Traceback" not in out.err


def test_bad_input_wins_over_a_fail(tmp_path, capsys):
    assert main(["check", str(_file(tmp_path, "m.toml", WRONG, BAD))]) == 2


def test_json_output(tmp_path, capsys):
    assert main(["check", str(_file(tmp_path, "j.toml", TRUE, BAD)), "--json"]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["exit_code"] == 2
    assert [r["id"] for r in doc["results"]] == ["c.double-angle"] and doc["results"][0]["verdict"] == "PASS"
    (err,) = doc["errors"]
    assert err["claim"] == "c.bad" and err["field"] == "exponent" and err["line"] > 1


def test_out_writes_a_results_document(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["check", str(_file(tmp_path, "o.toml", TRUE, WRONG, BAD)), "--out", str(out)]) == 2
    doc = load_results(str(out))  # the same loader `ntkverify diff` and the reports use
    assert doc["run"]["profile"] == "quick" and doc["run"]["finished"]
    assert {c["id"]: c["verdict"] for c in doc["claims"]} == {"c.double-angle": "PASS", "c.wrong": "FAIL"}
    assert doc["claim_file_errors"][0]["claim"] == "c.bad"
    assert (out / "summary.md").exists()
    assert f"results: {out / 'results.json'}" in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["check"], ["required: FILE"]),
    (["check", "x.toml", "--profile", "quik"], ["did you mean 'quick'"]),
])
def test_bad_arguments_exit_2(argv, words, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words), err


def test_python_claim_file_through_the_cli(tmp_path, capsys):
    path = _file(tmp_path, "p.py", "from verify.claimfile import identity\n"
                                   "CLAIMS = [identity('p.one', 's', lhs='cosh(x)^2 - sinh(x)^2', rhs='1')]\n")
    assert main(["check", str(path)]) == 0
    assert "p.one" in capsys.readouterr().out


# ---- observables ---------------------------------------------------------------------------------

def test_observables_lists_models_laws_activations_and_every_observable(capsys):
    from verify.observables import REGISTRY

    assert main(["observables"]) == 0
    out = capsys.readouterr().out
    for word in ("Models:", "shallow", "toy", "Initialisations", "normal", "uniform", "Activations:", "relu (not C²)"):
        assert word in out, word
    for name, obs in REGISTRY.items():
        assert name in out
        for p in obs.params:
            assert f"param  {p}" in out
        for o in obs.outputs:
            assert o in out


def test_observables_json_and_late_registration(capsys, monkeypatch):
    from verify.observables import REGISTRY, Observable, Param

    late = Observable("later.thing", "later", "registered by a later group", {"k": Param("a knob", 3, kind="int")},
                      ("out",), lambda k: None, width=None)
    monkeypatch.setitem(REGISTRY, late.name, late)
    assert main(["observables", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    by_name = {o["name"]: o for o in doc["observables"]}
    assert set(by_name) == set(REGISTRY)
    assert by_name["later.thing"]["width"] is None and by_name["later.thing"]["params"][0] == {
        "name": "k", "doc": "a knob", "kind": "int", "default": 3, "choices": None}
    ntk = by_name["shallow.ntk_over_n"]
    assert ntk["width"] == "n" and ntk["outputs"] == ["K_n(x,z)/n"]
    assert {p["name"]: p["choices"] for p in ntk["params"]}["activation"][:3] == ["tanh", "erf", "relu"]
    assert {m["name"] for m in doc["models"]} >= {"shallow", "toy", "later"}
    assert {l["name"] for l in doc["initialisations"]} == {"normal", "uniform"}
