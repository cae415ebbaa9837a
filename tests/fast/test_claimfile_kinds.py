"""Every claim kind of a claim file, once true and once wrong: the true one PASSes, the wrong one
FAILs (never INCONCLUSIVE) with evidence that says why. Toy observables (NumPy sums) and small
sweeps keep each claim well under a second; the statistics are those of the catalogue."""
from __future__ import annotations

import textwrap

import pytest

from verify._model import PROFILES
from verify.claimfile import load_strict
from verify.runner import run_claim

QUICK = PROFILES["quick"]


def _run(tmp_path, body: str) -> dict:
    path = tmp_path / "c.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    (claim,) = load_strict(path)
    return run_claim(claim, QUICK, 0)


def _comparisons(result: dict) -> list[dict]:
    return [c for ch in result["checks"] for c in ch["comparisons"]]


# ---- identity ---------------------------------------------------------------------------------

IDENTITY = """
[[claim]]
id = "t.identity"
kind = "identity"
statement = "s"
lhs = "{lhs}"
rhs = "{rhs}"
{extra}
"""


@pytest.mark.parametrize("lhs, rhs, extra", [
    ("sin(2*x)", "2*sin(x)*cos(x)", ""),
    ("sqrt(x^2)", "x", 'assumptions = { x = "positive" }'),
    ("asin(r) + acos(r)", "pi/2", "domain = { r = [-1, 1] }"),  # SymPy's simplify alone cannot; the derivative test can
    ("integrate(t^2*exp(-t^2/2)/sqrt(2*pi), (t, -oo, oo))", "1", ""),  # no free symbol at all
])
def test_identity_true(tmp_path, lhs, rhs, extra):
    r = _run(tmp_path, IDENTITY.format(lhs=lhs, rhs=rhs, extra=extra))
    assert r["verdict"] == "PASS", r["summary"]
    assert set(r["views"]) == {"symbolic", "closed_form"}


def test_identity_wrong_names_a_counterexample_point(tmp_path):
    r = _run(tmp_path, IDENTITY.format(lhs="sin(2*x)", rhs="2*sin(x)", extra=""))
    assert r["verdict"] == "FAIL"
    numeric = next(c for c in _comparisons(r) if c["view"] == "closed_form")
    assert numeric["decision"] == "FAIL"
    assert "worst at x=" in numeric["name"] and "lhs = " in numeric["name"] and "rhs = " in numeric["name"]
    assert set(numeric["detail"]["point"]) == {"x"}
    assert numeric["measured"] > 1e-3


def test_identity_sign_lost_without_assumption_fails_at_negative_x(tmp_path):
    r = _run(tmp_path, IDENTITY.format(lhs="sqrt(x^2)", rhs="x", extra=""))
    assert r["verdict"] == "FAIL"
    numeric = next(c for c in _comparisons(r) if c["view"] == "closed_form")
    assert numeric["detail"]["point"]["x"] < 0


# ---- limit ------------------------------------------------------------------------------------

LIMIT = """
[[claim]]
id = "t.limit"
kind = "limit"
statement = "(1/n) sum xi^2 -> mean^2 + sd^2"
observable = "toy.sum"
params = {{ mean = 0.5, sd = 2.0 }}
column = "(1/n)Σξᵢ²"
expected = "{expected}"
widths = [16, 64, 256, 1024]
replicates = 1000
"""


def test_limit_true(tmp_path):
    r = _run(tmp_path, LIMIT.format(expected="mean^2 + sd^2"))
    assert r["verdict"] == "PASS", r["summary"]


def test_limit_wrong_formula_fails(tmp_path):
    r = _run(tmp_path, LIMIT.format(expected="sd^2"))  # forgot μ²: 4 instead of 4.25
    assert r["verdict"] == "FAIL"
    assert "extrapolated limit" in r["summary"] and "vs 4" in r["summary"]


# ---- scaling ----------------------------------------------------------------------------------

SCALING = """
[[claim]]
id = "t.scaling"
kind = "scaling"
statement = "E|n^-alpha sum xi| ~ n^(1/2 - alpha)"
observable = "toy.sum"
params = {{ power = "alpha" }}
column = 1
exponent = "{exponent}"
widths = [16, 64, 256, 1024]
[claim.parameters]
alpha = 0.25
"""


def test_scaling_true(tmp_path):
    r = _run(tmp_path, SCALING.format(exponent="1/2 - alpha"))
    assert r["verdict"] == "PASS", r["summary"]


def test_scaling_wrong_exponent_fails(tmp_path):
    r = _run(tmp_path, SCALING.format(exponent="1 - alpha"))
    assert r["verdict"] == "FAIL"
    (c,) = _comparisons(r)
    assert c["expected"] == pytest.approx(0.75) and abs(c["measured"] - 0.25) < 0.1
    assert c["detail"]["expected_text"] == "1 - alpha"


# ---- law ----------------------------------------------------------------------------------------

LAW = """
[[claim]]
id = "t.law"
kind = "law"
statement = "CLT"
observable = "toy.sum"
params = {{ law = "uniform" }}
column = 0
law = "normal"
mean = 0
variance = "{variance}"
widths = [8, 128]
replicates = 20000
"""


def test_law_true(tmp_path):
    r = _run(tmp_path, LAW.format(variance="sd^2"))
    assert r["verdict"] == "PASS", r["summary"]
    names = [c["name"] for c in _comparisons(r)]
    assert any("Kolmogorov distance to normal" in n for n in names)
    assert any("at width 128 minus at width 8" in n for n in names)


def test_law_wrong_variance_fails(tmp_path):
    r = _run(tmp_path, LAW.format(variance="2"))
    assert r["verdict"] == "FAIL"
    assert "Kolmogorov distance" in r["summary"]


# ---- moment ---------------------------------------------------------------------------------

MOMENT = """
[[claim]]
id = "t.moment"
kind = "moment"
statement = "E[(n^-1/2 sum eps)^4] = 3 - 2/n"
observable = "toy.sum"
params = {{ law = "rademacher" }}
power = 4
width = 4
expected = "{expected}"
tolerance = 0.1
replicates = 40000
[claim.parameters]
n = 4
"""


def test_moment_true(tmp_path):
    r = _run(tmp_path, MOMENT.format(expected="3 - 2/n"))
    assert r["verdict"] == "PASS", r["summary"]


def test_moment_wrong_fails(tmp_path):
    r = _run(tmp_path, MOMENT.format(expected="3"))  # the Gaussian value: no O(1/n) cumulant
    assert r["verdict"] == "FAIL"


# ---- psd --------------------------------------------------------------------------------------

PSD = """
[[claim]]
id = "t.psd"
kind = "psd"
statement = "a kernel"
kernel = "{kernel}"
{extra}
"""


@pytest.mark.parametrize("kernel, extra", [
    ("exp(-norm(x - y)^2 / (2*s^2))", "dimension = 2\ndomain = [-2, 2]\nparameters = { s = [0.3, 2.0] }"),
    ("sin(a*(x - y)) / (pi*(x - y))", "parameters = { a = [0.5, 2.0] }"),  # 0/0 on the diagonal: a limit
    ("(x1*y1 + x2*y2 + 1)^p", "parameters = { p = [1, 3] }"),  # integer range
])
def test_psd_true_rests_on_the_search(tmp_path, kernel, extra):
    r = _run(tmp_path, PSD.format(kernel=kernel, extra=extra))
    assert r["verdict"] == "PASS", r["summary"]
    search = _comparisons(r)[0]
    assert "no negative Gram eigenvalue" in search["name"]
    assert "random sets" in search["reference"] and "hypothesis" in search["reference"] and "seed" in search["reference"]


@pytest.mark.parametrize("kernel, extra", [
    ("exp(norm(x - y)^2 / (2*s^2))", "dimension = 2\ndomain = [-2, 2]\nparameters = { s = [0.5, 2.0] }"),
    ("exp(abs(x - y))", ""),
    ("(a*x*y + 1)^2", "parameters = { a = [-1.0, 1.0] }"),  # α ∈ ℝ as the source says: negative α breaks it
])
def test_psd_wrong_gives_points_and_a_50_digit_eigenvalue(tmp_path, kernel, extra):
    r = _run(tmp_path, PSD.format(kernel=kernel, extra=extra))
    assert r["verdict"] == "FAIL"
    c = _comparisons(r)[0]
    assert c["decision"] == "FAIL" and c["name"].startswith("counterexample:")
    assert "(50 digits)" in c["name"] and c["measured"] < -1e-6
    assert 2 <= len(c["detail"]["points"]) <= 8
    assert float(c["detail"]["lambda_rel_50_digits"]) < -1e-6


def test_psd_asymmetric_kernel_fails_on_symmetry(tmp_path):
    r = _run(tmp_path, PSD.format(kernel="exp(-(x - y)^2) * (1 + x^2)", extra=""))
    assert r["verdict"] == "FAIL"
    sym = [c for c in _comparisons(r) if c["name"].startswith("k(x, y) = k(y, x)")]
    assert sym and all(c["decision"] == "FAIL" for c in sym)


# ---- the shallow network itself -----------------------------------------------------------------

NTK = """
[[claim]]
id = "t.ntk"
kind = "limit"
statement = "K_n/n -> E[erf erf] (Williams)"
observable = "shallow.ntk_over_n"
params = {{ activation = "erf", law = "normal", x = [0.6, 0.8], z = [0.6, 0.8] }}
expected = "{expected}"
widths = [64, 256, 1024]
replicates = 400
"""


def test_ntk_limit_sigma_not_sigma_prime(tmp_path):
    """The catalogue's headline finding, stated by a user in five lines: E[σσ] PASSes, E[σ'σ'] FAILs."""
    williams = "2/pi*asin(2*dot(x, z)/d / sqrt((1 + 2*dot(x, x)/d)*(1 + 2*dot(z, z)/d)))"
    derivative = "4/pi / sqrt((1 + 2*dot(x, x)/d)*(1 + 2*dot(z, z)/d) - 4*dot(x, z)^2/d^2)"
    right = _run(tmp_path, NTK.format(expected=williams))
    assert right["verdict"] == "PASS", right["summary"]
    wrong = _run(tmp_path, NTK.format(expected=derivative))
    assert wrong["verdict"] == "FAIL" and "extrapolated limit" in wrong["summary"]
