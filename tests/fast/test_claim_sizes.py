"""Sizes in claim files are refused before anything is allocated (issue 12), from the observable's
cost model, with the field and the largest allowed value; and a claim that gives no sizes gets a
sweep fitted to the profile's budget (issue 13)."""
from __future__ import annotations

import re
import time

import pytest

from verify.claimfile import _budget
from verify.claimfile._load import load
from verify.cli import main

VALID = """
[[claim]]
id = "z.valid"
kind = "identity"
statement = "sin 2x = 2 sin x cos x"
lhs = "sin(2*x)"
rhs = "2*sin(x)*cos(x)"
"""

HUGE = [  # (claim body, field, words in the message)
    ('kind = "limit"\nobservable = "shallow.ntk_over_n"\nexpected = 1\ntolerance = 0.1\n'
     'widths = [64, 1000, 1000000000]', "widths", ["width 1000000000", "largest width allowed in every profile"]),
    ('kind = "limit"\nobservable = "toy.sum"\ncolumn = 2\nexpected = 1\ntolerance = 0.1\n'
     'replicates = 1000000000000', "replicates", ["1000000000000 replicates", "largest number allowed here is"]),
    ('kind = "moment"\nobservable = "toy.sum"\nexpected = 0\nabs_tolerance = 0.1\nwidth = 1000000000',
     "width", ["width 1000000000", "largest width allowed in every profile"]),
    ('kind = "scaling"\nobservable = "linear3.init_laws"\nexponent = 1\nwidths = [16, 64, 1000000]\n'
     'replicates = 400', "widths", ["width 1000000", "largest width allowed in every profile"]),
    ('kind = "scaling"\nobservable = "linear3.one_step"\nexponent = 1\nwidths = [16, 64, 100000]',
     "widths", ["needs about", "GiB at once"]),
    ('kind = "limit"\nobservable = "shallow.lecun_init"\nparams = { d = 1000000000 }\nexpected = 1\n'
     'tolerance = 0.1\nwidths = [16, 32, 64]', "widths", ["largest width allowed in every profile"]),
    ('kind = "psd"\nkernel = "exp(-norm(x - y)^2)"\ndimension = 1000000000', "dimension",
     ["largest allowed value 64"]),
    ('kind = "psd"\nkernel = "x999999999*y1"', "kernel", ["dimension 999999999", "largest allowed 64"]),
    ('kind = "identity"\nlhs = "x"\nrhs = "x"\npoints = 1000000000000', "points", ["largest allowed value 10000"]),
]


@pytest.mark.parametrize("body, field, words", HUGE)
def test_huge_sizes_are_refused_before_allocating(tmp_path, capsys, body, field, words):
    path = tmp_path / "huge.toml"
    path.write_text(VALID + f'\n[[claim]]\nid = "z.huge"\nstatement = "big"\n{body}\n', encoding="utf-8")
    started = time.monotonic()
    assert main(["check", str(path)]) == 2
    assert time.monotonic() - started < 60  # the valid claim ran; nothing was drawn for the huge one
    out = capsys.readouterr()
    assert "z.valid" in out.out and "PASS" in out.out
    line = next(l for l in out.err.splitlines() if "z.huge" in l)
    assert re.search(rf"huge\.toml:\d+: claim 'z.huge', field '{field}(\.\w+)?'", line), line
    for w in words:
        assert w in line, line


def test_the_largest_allowed_width_is_allowed(tmp_path):
    """The value the message names is itself accepted (the refusal is not off by one)."""
    body = ('kind = "limit"\nobservable = "shallow.ntk_over_n"\nexpected = 1\ntolerance = 0.1\n'
            'widths = [64, 1000, {w}]')
    path = tmp_path / "c.toml"
    path.write_text(f'[[claim]]\nid = "z.c"\nstatement = "s"\n{body.format(w=10**9)}\n', encoding="utf-8")
    (err,) = load(path).errors
    top = int(re.search(r"allowed in every profile is (\d+)", str(err)).group(1))
    path.write_text(f'[[claim]]\nid = "z.c"\nstatement = "s"\n{body.format(w=top)}\n', encoding="utf-8")
    assert load(path).errors == []
    path.write_text(f'[[claim]]\nid = "z.c"\nstatement = "s"\n{body.format(w=top + 1)}\n', encoding="utf-8")
    assert load(path).errors


def test_default_sweep_is_fitted_to_the_budget(tmp_path):
    """linear3.one_step's m×m draw and products at the default scaling widths (to 4096 quick) would take minutes:
    the fitted sweep is smaller, keeps ≥ 3 widths and the first look fits the quick budget."""
    path = tmp_path / "d.toml"
    path.write_text('[[claim]]\nid = "z.d"\nstatement = "s"\nkind = "scaling"\nobservable = "linear3.one_step"\n'
                    'exponent = 0\ntolerance = 0.1\n', encoding="utf-8")
    (claim,) = load(path).claims
    (check,) = claim.checks
    quick = check.widths.quick
    assert len(quick) >= 3 and max(quick) < 4096
    assert "predicted first look" in claim.reading
    plan_seconds = float(re.search(r"≈ (\d+) s", claim.reading).group(1))
    assert plan_seconds <= _budget.BUDGET_SECONDS.quick


def test_cheap_observables_keep_the_default_sweep(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text('[[claim]]\nid = "z.e"\nstatement = "s"\nkind = "limit"\nobservable = "toy.sum"\ncolumn = 2\n'
                    'expected = 1\ntolerance = 0.05\n', encoding="utf-8")
    (claim,) = load(path).claims
    from verify.claimfile._defaults import LIMIT_WIDTHS

    assert claim.checks[0].widths == LIMIT_WIDTHS


def test_an_oversized_claim_file_is_refused_unread(tmp_path, capsys):
    from verify.claimfile._load import MAX_FILE_BYTES

    path = tmp_path / "big.toml"
    path.write_text(VALID + "#" * MAX_FILE_BYTES, encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "more than the limit" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["[" * 50000 + "]" * 50000, "{a=" * 20000 + "1" + "}" * 20000])
def test_deeply_nested_toml_is_one_line_not_a_traceback(tmp_path, capsys, value):
    path = tmp_path / "deep.toml"
    path.write_text(f'[[claim]]\nid = "z.deep"\nstatement = "s"\nkind = "identity"\nlhs = {value}\nrhs = "1"\n',
                    encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err
