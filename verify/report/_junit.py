"""junit.xml: a run as JUnit XML, so CI systems show claims as test cases.

testsuites > testsuite (one per claim group, in run order) > testcase (one per claim;
classname = group, name = claim id, time = time_s). FAIL → <failure> with the failing
comparisons, ERROR → <error> with the traceback, INCONCLUSIVE → <skipped> saying what budget
would decide it, PASS → an empty testcase. Run seed, profile and tool versions are properties
of every suite.

The evidence formatters here (`comparison_line`, `evidence_text`, `undecided_hint`) are shared
with the pytest plugin, so a claim reads the same in junit.xml and in a pytest failure.
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from verify.report._atomic import write_atomic

_PROFILE_ORDER = ("quick", "standard", "full")  # verify._model.PROFILES, cheapest first

# characters XML 1.0 cannot carry at all (ElementTree would write them and produce a file no parser
# reads): C0 controls other than tab/newline/CR, surrogates, U+FFFE/U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _num(x) -> str:
    if isinstance(x, float):
        return f"{x:.6g}" if math.isfinite(x) else str(x)
    return str(x)


def _pair(p) -> str:
    if isinstance(p, (list, tuple)) and len(p) == 2:
        return f"[{_num(p[0])}, {_num(p[1])}]"
    return str(p)


def comparison_line(c: dict) -> str:
    """One comparison as a person reads it: decision, name, measured and interval, band, α, resolution."""
    alpha = c.get("false_fail_rate")
    alpha_text = f"{alpha:.2g}" if isinstance(alpha, (int, float)) else str(alpha)
    text = (f"{c.get('decision')} {c.get('name')}: measured {_num(c.get('measured'))} in {_pair(c.get('interval'))}, "
            f"expected {_num(c.get('expected'))}, accept band {_pair(c.get('band'))}, α={alpha_text}, "
            f"resolution {_num(c.get('resolution'))}")
    if c.get("decision") == "UNDECIDED" and c.get("needs_samples"):
        text += f"; ~{c['needs_samples']} samples would decide"
    return text


def evidence_text(result: dict, decisions: tuple[str, ...] = ("FAIL",)) -> str:
    """The comparisons of a claim result whose decision is in `decisions`, one line each, under their check."""
    lines = []
    for ch in result.get("checks") or []:
        comps = [c for c in ch.get("comparisons") or [] if c.get("decision") in decisions]
        if comps:
            lines.append(f"[{ch.get('verdict')}] {ch.get('check')} ({ch.get('view')})")
            lines += [f"    {comparison_line(c)}" for c in comps]
    return "\n".join(lines)


def reproduce_command(result: dict) -> str:
    seed = (result.get("seed") or {}).get("run")
    return f"ntkverify run --only {result.get('id')} --seed {seed} --profile {result.get('profile')}"


def undecided_hint(result: dict) -> str:
    """What budget would decide an INCONCLUSIVE claim: replicates at the present estimate, and a larger profile."""
    needs = [c["needs_samples"] for ch in result.get("checks") or [] for c in ch.get("comparisons") or []
             if c.get("decision") == "UNDECIDED" and isinstance(c.get("needs_samples"), int)]
    parts = []
    if needs:
        parts.append(f"~{max(needs)} samples per width would decide at the present estimate")
    profile = result.get("profile")
    if profile in _PROFILE_ORDER and profile != _PROFILE_ORDER[-1]:
        bigger = _PROFILE_ORDER[_PROFILE_ORDER.index(profile) + 1]
        parts.append(f"rerun with --profile {bigger} (more looks and replicates)")
    elif profile == _PROFILE_ORDER[-1]:
        parts.append("already at the largest profile: the claim sits within resolution of its band edge")
    return "; ".join(parts) or "no budget estimate recorded"


def _testcase(parent: ET.Element, r: dict) -> Counter:
    case = ET.SubElement(parent, "testcase", classname=_xml_text(r.get("group", "")), name=_xml_text(r["id"]),
                         time=f"{float(r.get('time_s') or 0.0):.3f}")
    verdict = r["verdict"]
    summary = _xml_text(r.get("summary", ""))
    if verdict == "FAIL":
        node = ET.SubElement(case, "failure", message=summary, type="FAIL")
        node.text = _xml_text(f"{evidence_text(r, ('FAIL',))}\nreproduce: {reproduce_command(r)}")
    elif verdict == "ERROR":
        trace = r.get("error") or "\n".join(ch["error"] for ch in r.get("checks") or [] if ch.get("error"))
        node = ET.SubElement(case, "error", message=summary, type="ERROR")
        node.text = _xml_text(f"{trace}\nreproduce: {reproduce_command(r)}")
    elif verdict == "INCONCLUSIVE":
        node = ET.SubElement(case, "skipped", message=_xml_text(f"INCONCLUSIVE: {r.get('summary', '')}; "
                                                                f"{undecided_hint(r)}"), type="INCONCLUSIVE")
        node.text = _xml_text(evidence_text(r, ("UNDECIDED",)))
    return Counter({verdict: 1})


def _properties(parent: ET.Element, doc: dict) -> None:
    run = doc.get("run") or {}
    props = ET.SubElement(parent, "properties")
    items = [("run_id", run.get("id")), ("seed", run.get("seed")), ("profile", run.get("profile")),
             ("claim_false_fail_rate", run.get("claim_false_fail_rate")),
             ("run_false_fail_rate", run.get("run_false_fail_rate")),
             ("schema_version", doc.get("schema_version"))]
    items += [(f"version.{k}", v) for k, v in (doc.get("tool") or {}).items()]
    for name, value in items:
        ET.SubElement(props, "property", name=_xml_text(name), value=_xml_text(value))


def _counts(el: ET.Element, counts: Counter, time_s: float) -> None:
    el.set("tests", str(sum(counts.values())))
    el.set("failures", str(counts["FAIL"]))
    el.set("errors", str(counts["ERROR"]))
    el.set("skipped", str(counts["INCONCLUSIVE"]))
    el.set("time", f"{time_s:.3f}")


def junit_tree(doc: dict) -> ET.ElementTree:
    run = doc.get("run") or {}
    root = ET.Element("testsuites", name=_xml_text(f"ntkverify {run.get('id', '')}".strip()))
    groups: dict[str, list[dict]] = {}
    for r in doc["claims"]:
        groups.setdefault(r.get("group", ""), []).append(r)
    total, total_time = Counter(), 0.0
    for group, results in groups.items():
        suite = ET.SubElement(root, "testsuite", name=_xml_text(group))
        if run.get("started"):
            suite.set("timestamp", _xml_text(run["started"]))
        _properties(suite, doc)
        counts, time_s = Counter(), 0.0
        for r in results:
            counts += _testcase(suite, r)
            time_s += float(r.get("time_s") or 0.0)
        _counts(suite, counts, time_s)
        total += counts
        total_time += time_s
    _counts(root, total, total_time)
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(doc: dict, path: Path | str) -> Path:
    """Write junit.xml atomically: a temporary file in the same folder, then a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = junit_tree(doc)
    write_atomic(path, lambda fh: tree.write(fh, encoding="utf-8", xml_declaration=True), binary=True)
    return path
