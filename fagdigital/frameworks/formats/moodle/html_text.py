"""Moodle's HTML ↔ fagdigital's plain text.

fagdigital's texts are plain text. In Moodle a description is HTML (format 1) and a short name is shown as
HTML too, so "<b>" typed in fagdigital must be written as "&lt;b&gt;". `text_to_html` escapes so that
`html_to_text` gives back exactly the same string (newlines, runs of spaces and all), while still reading
any ordinary HTML from Moodle into sensible text. Every pattern here is linear: no attribute part spans a
"<", so nothing backtracks over the rest of a long text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_HTML_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\\": "&#92;",  # PHP's fgetcsv treats a backslash before a quote as an escape; keep backslashes out
    "\n": "<br>",
    "\t": "&#9;",
    "\r": "&#13;",
    "\f": "&#12;",
}
_NAME_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\\": "&#92;"}
_RAW_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|\Z)", re.S | re.I)
# Attribute parts never span a "<", so no pattern here backtracks over the rest of a long text.
_DECLARATION = re.compile(r"<[!?][^<>]*>")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
_PARAGRAPH_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "table",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "hr",
    }
)
_LINE_TAGS = frozenset({"li", "dt", "dd", "tr"})
_CELL_TAGS = frozenset({"td", "th"})
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
DESCRIPTOR_LEVEL = re.compile(r"fagdigital-niveau-(\d+)")


@dataclass(frozen=True)
class Element:
    start: int
    end: int
    attributes: dict[str, str]
    content: str

    @property
    def classes(self) -> list[str]:
        return self.attributes.get("class", "").split()


def elements(source: str, tag: str) -> list[Element]:
    """The `<tag ...>...</tag>` elements of `source` in order, each up to the first closing tag after it.

    One pass over the text, however it is malformed (multi-language spans and our lists are not nested).
    """
    opening = re.compile(rf"<{tag}\b([^<>]*)>", re.I)
    closing = re.compile(rf"</{tag}\s*>", re.I)
    found, position = [], 0
    while (start := opening.search(source, position)) is not None:
        end = closing.search(source, start.end())
        if end is None:
            break
        attributes = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
            for m in _ATTRIBUTE.finditer(start.group(1))
        }
        found.append(Element(start.start(), end.end(), attributes, source[start.end() : end.start()]))
        position = end.end()
    return found


def text_to_html(text: str) -> str:
    """Plain text as HTML that `html_to_text` turns back into exactly `text`."""
    out = []
    last = len(text) - 1
    for index, char in enumerate(text):
        if char == " ":
            # HTML collapses runs of spaces and drops them at the edges; only a lone inner space stays raw.
            out.append(" " if 0 < index < last and text[index - 1] != " " else "&#32;")
        else:
            out.append(_HTML_ESCAPES.get(char, char))
    return "".join(out)


def html_to_text(source: str, *, line_breaks: bool = False) -> str:
    """Safe plain text from HTML: tags removed, entities decoded, paragraphs and line breaks kept as newlines.

    `line_breaks` is Moodle's auto-format (0), where a newline in the source is a line break.
    """
    if line_breaks:
        source = re.sub(r"\r\n|\r|\n", "<br>", source)
    source = _COMMENT.sub("", source)
    source = _SCRIPT.sub("", source)
    source = _DECLARATION.sub("", source)
    source = _RAW_WHITESPACE.sub(" ", source)
    pieces: list[str] = []
    buffer: list[str] = []
    pending = ""  # the strongest block boundary since the last piece of text

    def flush(boundary: str) -> None:
        nonlocal buffer, pending
        segment = "".join(buffer).strip(" ")
        buffer = []
        if segment:
            pieces.append((pending if pieces else "") + segment)
            pending = boundary
        elif len(boundary) > len(pending):
            pending = boundary

    position = 0
    for match in _TAG.finditer(source):
        buffer.append(source[position : match.start()])
        position = match.end()
        closing, name = match.group(1), match.group(2).lower()
        if name == "br":
            buffer.append("\n")
        elif name in _PARAGRAPH_TAGS:
            flush("\n\n")
        elif name in _LINE_TAGS:
            flush("\n")
            if name == "li" and not closing:
                buffer.append("- ")
        elif name in _CELL_TAGS and closing:
            buffer.append(" ")
    buffer.append(source[position:])
    flush("")
    return html.unescape("".join(pieces))


def name_to_moodle(text: str) -> str:
    """A name as Moodle shows short names (as HTML): escaped, whitespace kept as it is."""
    return "".join(_NAME_ESCAPES.get(char, char) for char in text)


def name_from_moodle(value: str) -> str:
    return html.unescape(_TAG.sub("", value))


def multilang_split(value: str) -> tuple[str, str | None]:
    """Moodle's multi-language spans (`<span lang="da" class="multilang">`) → (Danish, English or None)."""
    groups: list[tuple[int, int, dict[str, str]]] = []
    for span in elements(value, "span"):
        if "multilang" not in span.classes or not span.attributes.get("lang"):
            continue
        language = span.attributes["lang"].lower().replace("-", "_").split("_")[0]
        if groups and not value[groups[-1][1] : span.start].strip():
            start, _end, texts = groups[-1]
            texts.setdefault(language, span.content)
            groups[-1] = (start, span.end, texts)
        else:
            groups.append((span.start, span.end, {language: span.content}))
    if not groups:
        return value, None

    def pick(language: str) -> str:
        parts, position = [], 0
        for start, end, texts in groups:
            parts += [value[position:start], texts.get(language, next(iter(texts.values())))]
            position = end
        return "".join([*parts, value[position:]])

    has_english = any("en" in texts for _start, _end, texts in groups)
    return pick("da"), pick("en") if has_english else None
