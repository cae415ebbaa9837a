"""LaTeX to MathML for the HTML report: browsers draw MathML natively, so no script or font is fetched.

`latex2mathml` does the parsing. Its string output is not safe to paste into a page: text inside
`\\text{…}` or `\\operatorname{…}` comes out unescaped (`\\text{<script>}` stays a tag). So the
element tree it builds is serialised here instead, with an allow-list of MathML elements and
attributes and every text node escaped. Anything it cannot convert faithfully (a parse error,
unbalanced braces, a command it does not know and leaves as text) returns None, and the caller
shows the LaTeX source instead.
"""
from __future__ import annotations

import html
import re
import warnings
from xml.etree.ElementTree import Element

# MathML Core presentation elements latex2mathml emits (and a few neighbours).
_ELEMENTS = frozenset({
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "mtext", "ms", "mspace", "mstyle",
    "mfrac", "msqrt", "mroot", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mtable",
    "mtr", "mtd", "mpadded", "mphantom", "menclose", "merror",
})
_ATTRIBUTE = re.compile(r"^[a-z][a-z-]*$")
# No links, no styles (a style can name a url), no event handlers; xmlns is implied in HTML.
_DROPPED = frozenset({"href", "src", "style", "xmlns", "class", "id"})
# latex2mathml stores symbols as numeric character references inside element text.
_CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")


def _decode(text: str) -> str:
    def one(m: re.Match) -> str:
        ref = m.group(1)
        code = int(ref[1:], 16) if ref[0] == "x" else int(ref)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"

    return _CHAR_REF.sub(one, text)


class _Unfaithful(Exception):
    """The tree holds something the report will not pass on as MathML."""


def _serialise(el: Element, out: list[str]) -> None:
    if el.tag not in _ELEMENTS:
        raise _Unfaithful(f"element <{el.tag}>")
    attrs = "".join(
        f' {name}="{html.escape(_decode(str(value)), quote=True)}"'
        for name, value in el.attrib.items()
        if _ATTRIBUTE.match(name) and name not in _DROPPED and not name.startswith("on")
    )
    out.append(f"<{el.tag}{attrs}>")
    if el.text:
        # A command latex2mathml did not know survives as literal text ("\\foo", "\\"); the
        # symbols it knows are character references, so a raw backslash means "not converted".
        if "\\" in el.text:
            raise _Unfaithful(f"unconverted command in {el.text!r}")
        out.append(html.escape(_decode(el.text), quote=False))
    for child in el:
        _serialise(child, out)
        if child.tail:
            out.append(html.escape(_decode(child.tail), quote=False))
    out.append(f"</{el.tag}>")


def _balanced(latex: str) -> bool:
    depth = 0
    for m in re.finditer(r"\\.|[{}]", latex):
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def latex_to_mathml(latex: str, *, display: str = "block") -> str | None:
    """MathML markup for `latex`, safe to embed in HTML, or None when it cannot be converted.

    The LaTeX source rides along as an `application/x-tex` annotation (copyable, not drawn).
    """
    if display not in ("block", "inline"):
        raise ValueError(f"display={display!r}: must be 'block' or 'inline'")
    if not isinstance(latex, str) or not latex.strip() or not _balanced(latex):
        return None
    try:
        from latex2mathml.converter import convert_to_element

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a library warning must not turn a report into a crash
            root = convert_to_element(latex, display=display)
    except Exception:  # noqa: BLE001 — any parser failure means: show the source instead
        return None
    out: list[str] = []
    try:
        for child in root:
            _serialise(child, out)
    except _Unfaithful:
        return None
    tex = html.escape(latex, quote=False)
    return (f'<math display="{display}"><semantics><mrow>{"".join(out)}</mrow>'
            f'<annotation encoding="application/x-tex">{tex}</annotation></semantics></math>')
