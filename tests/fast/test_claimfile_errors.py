"""Bad input in claim files: one ClaimFileError per bad claim naming file, line, claim, field, what
was expected and the nearest valid names; never a traceback; the file's other claims still load."""
from __future__ import annotations

import textwrap

import pytest

from verify.claimfile import ClaimFileError, load, load_strict

GOOD = """
[[claim]]
id = "e.good"
kind = "identity"
statement = "fine"
lhs = "x + x"
rhs = "2*x"
"""


def _load(tmp_path, body: str, name: str = "c.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path, load(path)


def _line_of(path, needle: str) -> int:
    """The line holding `needle`; HEADER: the [[claim]] line of the bad claim (for a field it lacks)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if needle == HEADER:
        return next(i + 1 for i, l in enumerate(lines) if l == 'id = "e.bad"') - 1
    return next(i + 1 for i, l in enumerate(lines) if l.startswith(needle))


HEADER = "[[claim]] of the bad claim"


def _only_error(tmp_path, bad: str) -> tuple:
    """A file with one good claim and one bad: the good one loads, the bad one is one error."""
    path, res = _load(tmp_path, GOOD + textwrap.dedent(bad))
    assert [c.id for c in res.claims] == ["e.good"], res.errors
    assert len(res.errors) == 1, [str(e) for e in res.errors]
    return path, res.errors[0]


# (the bad [[claim]] body, the line that must be named, field, words the message must contain)
CASES = [
    ('kind = "limt"', 'kind = "limt"', "kind", ["unknown kind 'limt'", "did you mean 'limit'", "identity"]),
    ('kind = "moment"\nobservable = "toy.sum"\nwidth = 8\nexpeted = 1', "expeted = 1", "expeted",
     ["unknown field 'expeted'", "did you mean 'expected'"]),
    ('kind = "limit"\nobservable = "toy.summ"\nexpected = 1', 'observable = "toy.summ"', "observable",
     ["unknown observable 'toy.summ'", "did you mean 'toy.sum'", "ntkverify observables"]),
    ('kind = "limit"\nobservable = "shallow.ntk_over_n"\nexpected = 1\n[claim.params]\nactivation = "erff"',
     'activation = "erff"', "params.activation", ["'erff' is not allowed", "did you mean 'erf'", "tanh"]),
    ('kind = "limit"\nobservable = "shallow.ntk_over_n"\nparams = { activaton = "erf" }\nexpected = 1',
     "params = { activaton", "params.activaton", ["no parameter 'activaton'", "did you mean 'activation'"]),
    ('kind = "limit"\nobservable = "toy.sum"\nparams = { sd = "big" }\nexpected = 1', 'params = { sd = "big" }',
     "params.sd", ["expected a number", "'big'"]),
    ('kind = "limit"\nobservable = "shallow.ntk_over_n"\nparams = { x = [1, 2], z = [1, 2, 3] }\nexpected = 1',
     "params = { x = [1, 2]", "params.z", ["one common dimension", "x: 2", "z: 3"]),
    ('kind = "scaling"\nobservable = "toy.sum"\nparameters = { alpha = 0.5 }\nexponent = "alpha - "',
     'exponent = "alpha - "', "exponent", ["'alpha - ' does not parse", "SyntaxError"]),
    ('kind = "scaling"\nobservable = "toy.sum"\nparameters = { alpha = 0.5 }\nexponent = "alpah - 1"',
     'exponent = "alpah - 1"', "exponent", ["undeclared name 'alpah'", "did you mean 'alpha'"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = "sin(mean) / mean"', 'expected = "sin(mean)',
     "expected", ["evaluates to NaN"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = "1/(sd - sd)"', 'expected = "1/', "expected",
     ["is undefined"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = "log(sd - 1)"', 'expected = "log', "expected",
     ["evaluates to infinity"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = 0', HEADER, "tolerance", ["abs_tolerance"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = 1\ncolumn = "sum"', 'column = "sum"', "column",
     ["no output 'sum'", "Σξᵢ²"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = 1\ncolumn = 9', "column = 9", "column", ["out of range", "0..3"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = 1\nwidths = [16, 64]', "widths = [16, 64]", "widths",
     ["at least 3 distinct"]),
    ('kind = "limit"\nobservable = "toy.sum"\nexpected = 1\nwidths = { quik = [1, 2, 3] }', "widths = {", "widths.quik",
     ["'quik' is not a profile", "did you mean 'quick'"]),
    ('kind = "limit"\nobservable = "toy.sum"', HEADER, "expected", ["is required", "SymPy formula"]),
    ('kind = "law"\nobservable = "toy.sum"\nlaw = "gauss"\nmean = 0\nvariance = 1', 'law = "gauss"', "law",
     ["unknown law 'gauss'", "normal"]),
    ('kind = "law"\nobservable = "toy.sum"\nlaw = "normal"\nmean = 0\nvariance = -1', "variance = -1", "variance",
     ["must be positive"]),
    ('kind = "moment"\nobservable = "toy.sum"\nexpected = 1', HEADER, "width", ["width = <integer>"]),
    ('kind = "identity"\nlhs = "gamma(-k)"\nrhs = "0"\nassumptions = { k = "positive integer" }', 'lhs = "gamma',
     "lhs", ["at every probe point", "k="]),
    ('kind = "identity"\nlhs = "sinn(2*x)"\nrhs = "0"', 'lhs = "sinn', "lhs",
     ["calls 'sinn', which is not a SymPy function", "did you mean 'sin'"]),
    ('kind = "identity"\nlhs = "x"\nrhs = "x"\nassumptions = { x = "postive" }', "assumptions = {", "assumptions.x",
     ["'postive' is not a supported assumption", "did you mean 'positive'"]),
    ('kind = "identity"\nlhs = "x"\nrhs = "x"\ndomain = { y = [0, 1] }', "domain = {", "domain.y",
     ["'y' is not a symbol", "x"]),
    ('kind = "identity"\nlhs = "sqrt(x)"\nrhs = "x"\nassumptions = { x = "positive" }\ndomain = { x = [-1, 1] }',
     "domain = {", "domain.x", ["includes negative values", "positive"]),
    ('kind = "psd"\nkernel = "exp(-(x - y)^2 / s)"', 'kernel = "exp', "kernel", ["undeclared name 's'"]),
    ('kind = "psd"\nkernel = "log(x - y - 10)"', 'kernel = "log', "kernel", ["not a finite real number"]),
    ('kind = "psd"\nkernel = "exp(-(x-y)^2)"\ndomain = [3, 1]', "domain = [3, 1]", "domain", ["lo < hi"]),
    ('kind = "psd"\nkernel = "x*y"\nparameters = { x1 = 2 }', "parameters = {", "parameters.x1",
     ["cannot name a parameter"]),
]


@pytest.mark.parametrize("bad, line_text, field, words", CASES, ids=[c[2] + ":" + c[3][0][:20] for c in CASES])
def test_bad_field_is_one_error_with_file_line_field_and_nearest(tmp_path, bad, line_text, field, words):
    path, err = _only_error(tmp_path, f'\n[[claim]]\nid = "e.bad"\nstatement = "s"\n{bad}\n')
    text = str(err)
    assert isinstance(err, ClaimFileError)
    assert err.file == str(path) and err.claim == "e.bad" and err.field == field, text
    assert err.line == _line_of(path, line_text), text
    assert text.startswith(f"{path}:{err.line}: claim 'e.bad', field '{field}': "), text
    for w in words:
        assert w in text, text
    assert "Traceback" not in text and "\n" not in text


def test_toml_syntax_error_skips_only_its_claim(tmp_path):
    path, res = _load(tmp_path, GOOD + '\n[[claim]]\nid = "e.broken"\nkind = "identity"\nlhs = "x\n' +
                      GOOD.replace("e.good", "e.after"))
    assert [c.id for c in res.claims] == ["e.good", "e.after"]
    (err,) = res.errors
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "TOML syntax error" in str(err) and lines[err.line - 1] == 'lhs = "x', str(err)


def test_missing_id_and_bad_id(tmp_path):
    path, res = _load(tmp_path, '[[claim]]\nkind = "identity"\nstatement = "s"\n\n[[claim]]\nid = "has space"\n'
                                'kind = "identity"\nstatement = "s"\n')
    texts = sorted(str(e) for e in res.errors)
    assert any("field 'id': is required" in t and ":1:" in t for t in texts), texts
    line = _line_of(path, 'id = "has space"')
    assert any("'has space'" in t and f":{line}:" in t for t in texts), texts


def test_duplicate_and_catalogue_ids(tmp_path):
    path, res = _load(tmp_path, GOOD + GOOD + GOOD.replace("e.good", "shallow.ntk-limit"))
    assert [c.id for c in res.claims] == ["e.good"]
    texts = [str(e) for e in res.errors]
    assert any("already defined at" in t and "e.good" in t for t in texts), texts
    assert any("built-in catalogue" in t and "user.shallow.ntk-limit" in t for t in texts), texts


def test_single_brackets_and_unknown_top_level(tmp_path):
    _, res = _load(tmp_path, 'title = "x"\n[claim]\nid = "a"\n')
    texts = [str(e) for e in res.errors]
    assert any("unknown top-level key 'title'" in t and ":1:" in t for t in texts), texts
    assert any("double brackets" in t for t in texts), texts


def test_file_level_errors(tmp_path):
    for name, body, words in [("missing.toml", None, "does not exist"), ("c.yaml", "a: 1", "claim files are .toml or .py"),
                              ("empty.toml", "# nothing\n", "holds no [[claim]] table")]:
        path = tmp_path / name
        if body is not None:
            path.write_text(body)
        res = load(path)
        assert not res.claims and len(res.errors) == 1 and words in str(res.errors[0]), res.errors
        assert str(res.errors[0]).startswith(str(path))


def test_load_strict_raises_the_first_error(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(GOOD + '\n[[claim]]\nid = "e.x"\nkind = "nope"\nstatement = "s"\n')
    with pytest.raises(ClaimFileError, match="unknown kind 'nope'") as info:
        load_strict(path)
    assert info.value.others == []
    res = load(path)
    claims, errors = res  # unpacks
    assert [c.id for c in claims] == ["e.good"] and len(errors) == 1


# ---- Python claim files ------------------------------------------------------------------------

PY = '''\
from verify.claimfile import identity, limit

OK = identity("p.ok", "x + x = 2x", lhs="x + x", rhs="2*x")
BAD = limit("p.bad", "typo", observable="toy.sum", expected="mean^2 + sd^2",
            colum=2)
CLAIMS = [OK, BAD, identity("p.ok2", "sin² + cos² = 1", lhs="sin(x)^2 + cos(x)^2", rhs="1")]
'''


def test_python_builder_error_names_the_call_line(tmp_path):
    path, res = _load(tmp_path, PY, "claims.py")
    assert [c.id for c in res.claims] == ["p.ok", "p.ok2"]
    (err,) = res.errors
    assert err.line == 4 and err.field == "colum" and err.claim == "p.bad"
    assert str(err).startswith(f"{path}:4: claim 'p.bad', field 'colum'") and "did you mean 'column'" in str(err)


def test_python_globals_are_collected_without_claims_list(tmp_path):
    _, res = _load(tmp_path, "from verify.claimfile import identity\nA = identity('g.a', 's', lhs='x', rhs='x')\n"
                             "B = identity('g.b', 's', lhs='2*x', rhs='x + x')\n", "g.py")
    assert [c.id for c in res.claims] == ["g.a", "g.b"] and not res.errors


def test_python_exception_keeps_earlier_claims(tmp_path):
    path, res = _load(tmp_path, "from verify.claimfile import identity\nA = identity('x.a', 's', lhs='x', rhs='x')\n"
                                "B = undefined_name + 1\n", "x.py")
    assert [c.id for c in res.claims] == ["x.a"]
    (err,) = res.errors
    assert err.line == 3 and "NameError" in str(err) and "undefined_name" in str(err)


def test_python_syntax_error_and_bad_claims_list(tmp_path):
    path, res = _load(tmp_path, "def broken(:\n", "s.py")
    assert not res.claims and res.errors[0].line == 1 and "Python syntax error" in str(res.errors[0])
    _, res = _load(tmp_path, "CLAIMS = [1]\n", "l.py")
    assert "CLAIMS[0] is a int, not a Claim" in str(res.errors[0])
    _, res = _load(tmp_path, "x = 1\n", "n.py")
    assert "defines no claims" in str(res.errors[0])


def test_builder_outside_a_file_raises(tmp_path):
    from verify.claimfile import scaling

    with pytest.raises(ClaimFileError, match=r"field 'exponent'.*undeclared name 'alpah'.*did you mean 'alpha'"):
        scaling("n.s", "s", observable="toy.sum", parameters={"alpha": 1.0}, exponent="alpah")
