"""The extension surface: `verify.__all__` is exactly the public set and every name resolves;
registration is idempotent for the same declaration; entry points add observables."""
from __future__ import annotations

import pytest

import verify
from verify.observables import Observable, Param, REGISTRY, load_plugins, register
from verify.observables import generic

EXPECTED = {
    "Claim", "Check", "Verdict", "View", "Profile", "PROFILES", "identity", "limit", "scaling", "psd", "law",
    "moment", "load", "ClaimFileError", "Observable", "Param", "register", "REGISTRY", "Model", "Dense",
    "Activation", "serial", "mlp", "model_from_table", "nngp_ntk", "api",
}


def test_all_is_exactly_the_public_set_and_resolves():
    assert set(verify.__all__) == EXPECTED
    for name in verify.__all__:
        assert getattr(verify, name) is not None, name
    with pytest.raises(AttributeError, match="public names"):
        verify.not_a_name  # noqa: B018


def _toy(name="user.toy", build=None):
    return Observable(name, "toy", "a test observable", {"n0": Param("offset", 0.0, kind="float")}, ("value",),
                      build or (lambda n0: generic.sum_sampler("normal", n0, 1.0, 0.5)))


def test_registering_the_same_declaration_twice_replaces_it():
    def build(n0):
        return generic.sum_sampler("normal", n0, 1.0, 0.5)

    try:
        first = register(_toy(build=build))
        second = register(_toy(build=build))  # a notebook cell run again
        assert REGISTRY["user.toy"] is second and first is not second
    finally:
        REGISTRY.pop("user.toy", None)


def test_another_observable_under_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="is taken by .*choose another name"):
        register(_toy(name="toy.sum"))


def test_entry_points_register_observables(monkeypatch, tmp_path):
    (tmp_path / "ntkv_plugin_demo.py").write_text(
        "from verify.observables import Observable, Param, register\n"
        "from verify.observables.generic import sum_sampler\n"
        "def build(n0):\n    return sum_sampler('normal', n0, 1.0, 0.5)\n"
        "register(Observable('demo.plugin', 'toy', 'from a plugin', {'n0': Param('offset', 0.0, kind='float')},"
        " ('value',), build))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from importlib.metadata import EntryPoint

    good = EntryPoint("demo", "ntkv_plugin_demo", "ntkverify.observables")
    bad = EntryPoint("broken", "ntkv_no_such_module", "ntkverify.observables")
    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: [good, bad] if group else [])
    try:
        failures = load_plugins()
        assert "demo.plugin" in REGISTRY
        assert len(failures) == 1 and "'broken'" in failures[0] and "ModuleNotFoundError" in failures[0]
    finally:
        REGISTRY.pop("demo.plugin", None)
