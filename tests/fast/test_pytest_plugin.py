"""The pytest plugin, driven through pytest's own `pytester`: catalogue claims as items, a failing claim
reported with its evidence, ERROR and INCONCLUSIVE outcomes, claim-file collection (with the loader
present, broken, or missing), option errors, and the pytest11 registration.

The inner runs are in-process (JAX is imported once for the whole file). Entry-point autoloading is
switched off in them and the plugin loaded with `-p`, so they test this checkout whether or not
`pip install -e .` has registered the entry point yet."""
from __future__ import annotations

import sys
import tomllib
import types
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
# `-p verify.pytest_plugin` asks pytest to rewrite a module this process imported already (whether it
# did depends on how the outer pytest was started); pytest then warns that it cannot. Expected here.
REWRITE_WARNING = "ignore::pytest.PytestAssertRewriteWarning"
pytestmark = pytest.mark.filterwarnings(REWRITE_WARNING)

# Claims registered by a conftest through the plugin's hook: each has one deterministic check.
FAKE_CONFTEST = '''
from verify._model import Claim, Comparison, Source, View
from verify.checks import Exact, exact
from verify.stats import Band, decide

def _wrong(ctx):
    return [exact("two plus two", 5.0, 4.0, 0.0, "as stated"), exact("one plus one", 2.0, 2.0, 0.0, "as stated")]

def _right(ctx):
    return [exact("two times two", 4.0, 4.0, 0.0, "as stated")]

def _crash(ctx):
    raise ZeroDivisionError("the check divided by zero")

def _undecided(ctx):
    band = Band(1.0, 2.0)
    return [Comparison("edge estimate", View.MONTE_CARLO, 1.5, 1.0, (0.9, 1.1), band, decide(0.9, 1.1, band),
                       1e-5, 0.2, needs=800)]

def _claim(cid, compute):
    return Claim(id=cid, group="fake", source=Source("test", "§0"), statement=f"{cid} holds", latex="",
                 reading=f"the reading of {cid}", checks=(Exact(f"{cid} check", View.NUMERIC, compute),))

def pytest_ntkverify_claims(config):
    return [_claim("fake.two-plus-two", _wrong), _claim("fake.two-times-two", _right),
            _claim("fake.crash", _crash), _claim("fake.undecided", _undecided)]
'''


@pytest.fixture(scope="module", autouse=True)
def _imports_done_once():
    """pytester restores sys.modules after every in-process run, dropping what the run imported; a
    C extension (numpy.fft, …) imported again then fails to load. Running the cheap claim once here
    imports everything a claim run needs before any inner run, so the snapshots keep it."""
    from verify import claims
    from verify._model import PROFILES
    from verify.report import _junit  # noqa: F401
    from verify.runner import run_claim

    run_claim(claims.get("shallow.param-count"), PROFILES["quick"], 0)


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    def _run(*args):
        return pytester.runpytest("-p", "verify.pytest_plugin", "-p", "no:cacheprovider", "-W", "error",
                                  "-W", REWRITE_WARNING, *args)

    return _run


def test_catalogue_claim_passes_as_one_item(run):
    result = run("--ntkverify", "--ntkverify-only", "shallow.param-count", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*ntkverify::shallow.param-count PASSED*"])


def test_off_without_the_option(run, pytester):
    pytester.makefile(".toml", claims_mine="")
    result = run()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.assert_outcomes()


def test_failing_claim_fails_with_the_evidence(run, pytester):
    pytester.makeconftest(FAKE_CONFTEST)
    result = run("--ntkverify", "--ntkverify-only", "fake.two-*", "--ntkverify-seed", "11")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "fake.two-plus-two FAIL (profile quick, seed 11 -> claim seed" in out
    assert ("FAIL two plus two: measured 4 in [4, 4], expected 5, accept band [5, 5], α=0, resolution 0" in out)
    assert "one plus one" not in out  # only failing comparisons are evidence
    assert "reading:   the reading of fake.two-plus-two" in out
    assert "reproduce: pytest --ntkverify --ntkverify-profile quick --ntkverify-seed 11 -k 'fake.two-plus-two'" in out
    assert "Traceback" not in out and "ClaimFailed" not in out  # evidence, not the plugin's stack


def test_items_are_named_by_claim_id_so_k_selects(run, pytester):
    pytester.makeconftest(FAKE_CONFTEST)
    result = run("--ntkverify", "--ntkverify-only", "fake.*", "-k", "two-times", "-v")
    result.assert_outcomes(passed=1, deselected=3)
    result.stdout.fnmatch_lines(["*ntkverify::fake.two-times-two PASSED*"])


def test_error_fails_with_the_traceback(run, pytester):
    pytester.makeconftest(FAKE_CONFTEST)
    result = run("--ntkverify", "--ntkverify-only", "fake.crash")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "fake.crash ERROR" in out and "check crashed: ZeroDivisionError: the check divided by zero" in out
    assert "in _crash" in out  # the check's own traceback


def test_inconclusive_is_a_skip_saying_what_would_decide(run, pytester):
    pytester.makeconftest(FAKE_CONFTEST)
    result = run("--ntkverify", "--ntkverify-only", "fake.undecided", "-rs")
    result.assert_outcomes(skipped=1)
    out = result.stdout.str()
    assert "INCONCLUSIVE fake.undecided: edge estimate: measured 1 [0.9, 1.1] vs 1.5" in out
    assert "~800 samples per width would decide" in out and "--profile standard" in out


def test_hook_claim_clashing_with_the_catalogue_is_a_usage_error(run, pytester):
    pytester.makeconftest(FAKE_CONFTEST.replace('"fake.two-times-two"', '"shallow.param-count"'))
    result = run("--ntkverify")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([("*claim id 'shallow.param-count' from pytest_ntkverify_claims is already "
                                  "registered by the catalogue; give it another id*")])


@pytest.mark.parametrize("args,message", [
    (("--ntkverify-profile", "quik"), "--ntkverify-profile 'quik' is not a profile; did you mean 'quick'? choose one of quick, standard, full"),
    (("--ntkverify-seed", "x"), "--ntkverify-seed 'x' is not an integer"),
    (("--ntkverify-seed", "-1"), "--ntkverify-seed -1 is out of range; use 0 <= seed < 2**31"),
    (("--ntkverify-only", "shallow.parm"), "--ntkverify-only 'shallow.parm' matches no claim; nearest: shallow.param-count"),
])
def test_bad_options_are_usage_errors_naming_the_value(run, args, message):
    result = run("--ntkverify", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


# ---- claim files -------------------------------------------------------------------------

class FakeClaimFileError(ValueError):
    pass


def _fake_claimfile(claims_by_name):
    """A stand-in for verify.claimfile: `load` returns the claims registered for the file name."""
    module = types.ModuleType("verify.claimfile")
    module.ClaimFileError = FakeClaimFileError

    def load(path):
        entry = claims_by_name[Path(path).name]
        if isinstance(entry, Exception):
            raise entry
        return entry

    module.load = load
    return module


def _claim(cid, measured):
    from verify._model import Claim, Source, View
    from verify.checks import Exact, exact

    return Claim(id=cid, group="mine", source=Source("claims file", "§1"), statement=f"{cid}", latex="",
                 reading="", checks=(Exact("count", View.NUMERIC, lambda ctx: [exact("n", 3.0, measured, 0.0, "")]),))


def test_claim_files_become_items(run, pytester, monkeypatch):
    monkeypatch.setitem(sys.modules, "verify.claimfile", _fake_claimfile(
        {"claims_mine.toml": [_claim("mine.ok", 3.0), _claim("mine.off", 2.0)], "claims_more.py": [_claim("more.ok", 3.0)]}))
    pytester.makefile(".toml", claims_mine="")
    pytester.makepyfile(claims_more="")
    pytester.makefile(".toml", other="")  # not a claim file
    result = run("--ntkverify", "--ntkverify-only", "mine.*", "--ntkverify-only", "more.*", "-v")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*claims_mine.toml::mine.ok PASSED*", "*claims_mine.toml::mine.off FAILED*",
                                 "*claims_more.py::more.ok PASSED*"])
    assert "FAIL n: measured 2 in [2, 2], expected 3" in result.stdout.str()
    assert "reproduce: pytest --ntkverify --ntkverify-profile quick --ntkverify-seed 0 claims_mine.toml -k 'mine.off'" \
        in result.stdout.str()
    # --ntkverify-only selects file claims by id too
    result = run("--ntkverify", "--ntkverify-only", "mine.ok")
    result.assert_outcomes(passed=1, deselected=2)


def test_bad_claim_file_is_a_one_line_collection_error(run, pytester, monkeypatch):
    monkeypatch.setitem(sys.modules, "verify.claimfile", _fake_claimfile(
        {"claims_bad.toml": FakeClaimFileError("line 3: claim has no 'id'; add id = \"group.name\"")}))
    pytester.makefile(".toml", claims_bad="")
    result = run("--ntkverify", "--ntkverify-only", "shallow.param-count")
    result.assert_outcomes(errors=1)  # a collection error stops the session, as for a broken test module
    assert result.ret == pytest.ExitCode.INTERRUPTED
    out = result.stdout.str()
    assert "claims_bad.toml: line 3: claim has no 'id'; add id = \"group.name\"" in out
    assert "Traceback" not in out and "def load" not in out


def test_claim_file_with_good_and_bad_claims_runs_the_good_ones(run, pytester, monkeypatch):
    """The loader may also return good claims and one error per bad claim (an object with .claims and
    .errors): the good claims run, each bad one is a failing item showing the loader's line."""
    bad_claim = FakeClaimFileError("claims_mixed.toml:7: claim 'mixed.bad', field 'kind': 'limt' is not a kind")
    bad_claim.claim = "mixed.bad"  # the loader names the claim an error belongs to, when it knows it
    bad_file = FakeClaimFileError("claims_mixed.toml:1: expected '=' after a key")
    loaded = types.SimpleNamespace(claims=[_claim("mixed.ok", 3.0)], errors=[bad_claim, bad_file])
    monkeypatch.setitem(sys.modules, "verify.claimfile", _fake_claimfile({"claims_mixed.toml": loaded}))
    pytester.makefile(".toml", claims_mixed="")
    result = run("--ntkverify", "--ntkverify-only", "mixed.*", "--ntkverify-only", "load-error-*", "-v")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*claims_mixed.toml::mixed.ok PASSED*", "*claims_mixed.toml::mixed.bad FAILED*",
                                 "*claims_mixed.toml::load-error-2 FAILED*"])
    out = result.stdout.str()
    assert "claims_mixed.toml:7: claim 'mixed.bad', field 'kind': 'limt' is not a kind" in out
    assert "Traceback" not in out and "raise self.error" not in out


def test_claim_files_skip_clearly_while_the_loader_is_missing(run, pytester, monkeypatch):
    monkeypatch.setitem(sys.modules, "verify.claimfile", None)  # import raises ModuleNotFoundError
    pytester.makefile(".toml", claims_mine="")
    result = run("--ntkverify", "--ntkverify-only", "shallow.param-count", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    assert "claims_mine.toml: claim files need verify.claimfile, which this ntkverify does not have yet" in \
        result.stdout.str()


# ---- registration ------------------------------------------------------------------------

def test_registered_as_a_pytest11_entry_point():
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"]["pytest11"] == {"ntkverify": "verify.pytest_plugin"}


def test_entry_point_loads_the_plugin_when_installed(pytester):
    from importlib.metadata import entry_points

    if not any(e.name == "ntkverify" for e in entry_points(group="pytest11")):
        pytest.skip("the pytest11 entry point is not installed in this environment; run `pip install -e .`")
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*--ntkverify *collect the claim catalogue*", "*--ntkverify-only=GLOB*"])


def test_library_packages_are_not_assertion_rewritten(pytester):
    """pytest marks every package of a distribution with a pytest11 entry point for rewriting; the
    plugin undoes that for derive/numeric/verify (else `vars(derive)` gains `@py_builtins`)."""
    import derive
    from verify.pytest_plugin import _keep_library_unrewritten

    config = pytester.parseconfig()
    hook = config.pluginmanager.rewrite_hook
    where = [str(Path(derive.__file__).parents[1])]
    hook.mark_rewrite("derive")
    assert hook.find_spec("derive", where) is not None  # marked: pytest would rewrite it
    _keep_library_unrewritten(config.pluginmanager)
    assert hook.find_spec("derive", where) is None
    assert "@py_builtins" not in vars(derive)
