"""pytest plugin: theory claims as test items (registered through the `pytest11` entry point).

Off unless `--ntkverify` is given; then
  * every catalogue claim becomes an item `ntkverify::<claim id>` (so `-k param-count` works),
    narrowed by `--ntkverify-only GLOB` (repeatable);
  * conftest files may add claims by implementing the hook `pytest_ntkverify_claims(config)`,
    returning a list of `verify._model.Claim`; they join the catalogue items;
  * files named `claims_*.toml` / `claims_*.py` under the test paths are read with
    `verify.claimfile.load(path)` and each claim in them becomes an item `<file>::<claim id>`.
    `--ntkverify-only` narrows these too: it selects claims by id, wherever they come from.

Each item runs `verify.runner.run_claim(claim, profile, seed)` with `--ntkverify-profile`
(default quick) and `--ntkverify-seed` (default 0, as `ntkverify run`). PASS passes; FAIL and
ERROR fail with the evidence (summary, every failing comparison with measured value, interval,
band, α, resolution; the traceback for ERROR). INCONCLUSIVE is a *skip*, not an xfail: the
claim was neither confirmed nor refuted at this budget, while xfail would assert it is known to
be false (and an XPASS would invert the meaning); the skip reason says what budget would decide.

Nothing heavy is imported unless `--ntkverify` is given: the plugin loads in every pytest run.
"""
from __future__ import annotations

import fnmatch
import importlib

import pytest

_CLAIM_FILE_GLOBS = ("claims_*.toml", "claims_*.py")
_CATALOGUE_NODE = "ntkverify"


class _Hookspecs:
    @pytest.hookspec
    def pytest_ntkverify_claims(self, config):
        """Return a list of verify._model.Claim to run alongside the catalogue (conftest use)."""


# The packages of this distribution (pyproject.toml, [tool.setuptools.packages.find]).
_LIBRARY_PACKAGES = ("derive", "numeric", "verify")


def _keep_library_unrewritten(pluginmanager) -> None:
    """Undo pytest's assertion rewriting of this distribution's packages.

    pytest marks *every* top-level package of a distribution that declares a pytest11 entry point
    for assertion rewriting, before loading the plugin. That would rewrite derive/, numeric/ and
    verify/ in every pytest run of the project, adding `@py_builtins`/`@pytest_ar` to their
    namespaces (breaking `__all__`-is-the-public-surface tests) and changing library code under
    test. Only the plugin module, already imported by now, needs pytest's machinery. pytest has no
    public way to unmark, so this edits the hook's marks; if they are absent (another pytest, or
    --assert=plain) nothing is done.
    """
    hook = getattr(pluginmanager, "rewrite_hook", None)
    marks, cache = getattr(hook, "_must_rewrite", None), getattr(hook, "_marked_for_rewrite_cache", None)
    if not isinstance(marks, set) or not isinstance(cache, dict):
        return
    marks.difference_update(_LIBRARY_PACKAGES)
    cache.clear()


def pytest_addhooks(pluginmanager) -> None:
    pluginmanager.add_hookspecs(_Hookspecs)
    _keep_library_unrewritten(pluginmanager)  # runs as the plugin registers, before conftests import anything


def pytest_addoption(parser) -> None:
    group = parser.getgroup("ntkverify", "theory claims as test items")
    group.addoption("--ntkverify", action="store_true", default=False,
                    help="collect the claim catalogue and claims_*.toml / claims_*.py files as test items; "
                         "a .py claim file is executed with your rights: only collect files you trust "
                         "(TOML files never execute code)")
    group.addoption("--ntkverify-only", action="append", default=None, metavar="GLOB",
                    help="run only claims whose id matches GLOB (repeatable), e.g. 'shallow.*'")
    group.addoption("--ntkverify-profile", default="quick", metavar="PROFILE",
                    help="quick (default) | standard | full")
    group.addoption("--ntkverify-seed", default="0", metavar="SEED",
                    help="run seed; each claim's seed derives from it (default 0)")


def _enabled(config) -> bool:
    return bool(config.getoption("ntkverify"))


def _settings(config):
    """(Profile, seed) from the options, or a UsageError naming the value and the fix."""
    import argparse

    from verify.cli._common import profile_arg, seed_arg

    try:  # the CLI's validators, their messages renamed to this plugin's options
        profile = profile_arg(config.getoption("ntkverify_profile"))
        seed = seed_arg(config.getoption("ntkverify_seed"))
    except argparse.ArgumentTypeError as exc:
        message = str(exc).replace("--profile", "--ntkverify-profile").replace("--seed", "--ntkverify-seed")
        raise pytest.UsageError(message) from None
    return profile, seed


def pytest_configure(config) -> None:
    if _enabled(config):
        _settings(config)  # fail fast on a bad profile or seed, before any collection


class ClaimFailed(Exception):
    """Raised by a claim item whose verdict is FAIL or ERROR; `repr_failure` prints the evidence."""

    def __init__(self, result: dict):
        super().__init__(f"{result['id']}: {result['verdict']}")
        self.result = result


def _failure_text(result: dict, source: str) -> str:
    from verify.report._junit import evidence_text

    run_seed, claim_seed = result["seed"]["run"], result["seed"]["claim"]
    lines = [(f"{result['id']} {result['verdict']} (profile {result['profile']}, seed {run_seed} -> claim seed "
              f"{claim_seed}): {result['summary']}"),
             f"statement: {' '.join(str(result.get('statement', '')).split())}",
             f"reading:   {' '.join(str(result.get('reading', '')).split())}"]
    if result["verdict"] == "ERROR":
        lines.append((result.get("error") or "").rstrip())
    else:
        lines.append(evidence_text(result, ("FAIL",)))
    lines.append(source)
    return "\n".join(lines)


class ClaimItem(pytest.Item):
    """One claim run as one test; its name is the claim id."""

    def __init__(self, *, claim, source: str, **kwargs):
        super().__init__(**kwargs)
        self.claim = claim
        self.source = source  # how to reproduce it outside pytest
        self.result: dict | None = None

    def runtest(self) -> None:
        from verify.report._junit import undecided_hint
        from verify.runner import run_claim

        profile, seed = _settings(self.config)
        result = run_claim(self.claim, profile, seed)
        self.result = result
        self.user_properties += [("verdict", result["verdict"]), ("profile", profile.name), ("seed", seed),
                                 ("claim_seed", result["seed"]["claim"])]
        if result["verdict"] == "PASS":
            return
        if result["verdict"] == "INCONCLUSIVE":
            from verify.report._junit import evidence_text

            pytest.skip(f"INCONCLUSIVE {result['id']}: {result['summary']}; {undecided_hint(result)}\n"
                        + evidence_text(result, ("UNDECIDED",)))
        raise ClaimFailed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ClaimFailed):
            return _failure_text(excinfo.value.result, self.source)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"ntkverify claim {self.name}"


class _Catalogue(pytest.Collector):
    """The virtual node `ntkverify` that holds catalogue (and conftest-registered) claims."""

    def __init__(self, *, claims, **kwargs):
        super().__init__(**kwargs)
        self.claims = claims

    def collect(self):
        for claim, source in self.claims:
            yield ClaimItem.from_parent(self, name=claim.id, claim=claim, source=source)


class BadClaimItem(pytest.Item):
    """A claim a claim file states wrongly: it fails with the loader's one-line message, while the
    file's good claims still run as their own items."""

    def __init__(self, *, error: Exception, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo, style=None):
        if excinfo.value is self.error:
            return _one_line(self.error, self.path)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"claim file error {self.name}"


def _one_line(error: Exception, path) -> str:
    text = " ".join(str(error).split())
    return text if path.name in text else f"{path}: {text}"


class ClaimFile(pytest.File):
    """A user's claims_*.toml / claims_*.py file, read by verify.claimfile.load.

    `load(path)` may return a list of claims (raising ClaimFileError on bad input: a collection
    error showing its one line), or an object with `.claims` and `.errors` (good claims and one
    ClaimFileError per bad one: the good ones run, each bad one is a failing BadClaimItem)."""

    _error_type: type | None = None

    def collect(self):
        try:
            claimfile = importlib.import_module("verify.claimfile")
        except ModuleNotFoundError as exc:
            if exc.name != "verify.claimfile":
                raise
            pytest.skip(f"{self.path.name}: claim files need verify.claimfile, which this ntkverify does not "
                        "have yet; catalogue claims still run")
        if not callable(getattr(claimfile, "load", None)):  # e.g. a package still being written
            pytest.skip(f"{self.path.name}: verify.claimfile has no load(path) yet; catalogue claims still run")
        self._error_type = getattr(claimfile, "ClaimFileError", None)
        loaded = claimfile.load(self.path)
        if hasattr(loaded, "claims") and hasattr(loaded, "errors"):
            claims, errors = list(loaded.claims), list(loaded.errors)
        else:
            claims, errors = list(loaded), []
        names = set()
        for claim in claims:
            names.add(claim.id)
            yield ClaimItem.from_parent(self, name=claim.id, claim=claim,
                                        source=_reproduce(self.config, claim.id, catalogue=False, path=self.nodeid))
        for k, error in enumerate(errors, 1):
            name = getattr(error, "claim", None)
            name = name if isinstance(name, str) and name and name not in names else f"load-error-{k}"
            names.add(name)
            yield BadClaimItem.from_parent(self, name=name, error=error)

    def repr_failure(self, excinfo):
        if self._error_type is not None and isinstance(excinfo.value, self._error_type):
            return _one_line(excinfo.value, self.path)  # the loader's message, no traceback
        return super().repr_failure(excinfo)


def pytest_collect_file(file_path, parent):
    if not _enabled(parent.config):
        return None
    if any(fnmatch.fnmatchcase(file_path.name, g) for g in _CLAIM_FILE_GLOBS):
        return ClaimFile.from_parent(parent, path=file_path)
    return None


def _reproduce(config, claim_id: str, catalogue: bool, path: str = "") -> str:
    """The command that reruns one claim with the same profile and seed: `ntkverify run` for a
    catalogue claim, pytest for one a conftest or a claim file (at `path`) contributes."""
    profile, seed = _settings(config)
    if catalogue:
        return f"reproduce: ntkverify run --only {claim_id} --seed {seed} --profile {profile.name}"
    return " ".join(["reproduce: pytest --ntkverify", f"--ntkverify-profile {profile.name}",
                     f"--ntkverify-seed {seed}", *([path] if path else []), f"-k '{claim_id}'"])


def _registered(config) -> list:
    """(claim, reproduce line) for the catalogue and for claims conftest files add through the hook."""
    from verify import claims as catalogue

    out = [(c, _reproduce(config, c.id, catalogue=True)) for c in catalogue.catalogue().values()]
    seen = {c.id: "the catalogue" for c, _ in out}
    for extra in config.hook.pytest_ntkverify_claims(config=config):
        for claim in extra or ():
            if claim.id in seen:
                raise pytest.UsageError(f"claim id {claim.id!r} from pytest_ntkverify_claims is already registered "
                                        f"by {seen[claim.id]}; give it another id")
            seen[claim.id] = "a pytest_ntkverify_claims hook"
            out.append((claim, _reproduce(config, claim.id, catalogue=False)))
    return out


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection, so those apply to claim items too
def pytest_collection_modifyitems(session, config, items) -> None:
    if not _enabled(config):
        return
    globs = config.getoption("ntkverify_only")
    registered = _registered(config)
    file_items = [i for i in items if isinstance(i, (ClaimItem, BadClaimItem))]
    if globs:
        ids = [c.id for c, _ in registered] + [i.name for i in file_items]
        for g in globs:
            if not any(fnmatch.fnmatchcase(i, g) for i in ids):
                import difflib

                near = difflib.get_close_matches(g, ids, n=3, cutoff=0.4)
                raise pytest.UsageError(f"--ntkverify-only {g!r} matches no claim; nearest: "
                                        f"{', '.join(near) or 'none'} (`ntkverify list` shows the catalogue)")

        def wanted(cid: str) -> bool:
            return any(fnmatch.fnmatchcase(cid, g) for g in globs)

        registered = [(c, s) for c, s in registered if wanted(c.id)]
        dropped = [i for i in file_items if not wanted(i.name)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            gone = {id(i) for i in dropped}
            items[:] = [i for i in items if id(i) not in gone]
    node = _Catalogue.from_parent(session, name=_CATALOGUE_NODE, nodeid=_CATALOGUE_NODE, claims=registered)
    new = list(node.collect())
    # report the virtual node's collection like any other, so "collected N items" counts claims
    config.hook.pytest_collectreport(report=pytest.CollectReport(node.nodeid, "passed", None, new))
    items.extend(new)
