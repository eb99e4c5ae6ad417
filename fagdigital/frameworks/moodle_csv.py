"""Moodle competency frameworks as CSV, as written and read by Moodle's `tool_lpimportcsv`.

The file has a header row and one row per item: first the framework itself (Is framework = 1), then every
competency with the ID number of its parent. Mapping (docs/framework-format.md has the details):

- the framework row → the framework's key (ID number), name (Short name), description and levels (the
  scale must have exactly 4 values, one per fagdigital level; the scale configuration is validated);
- competencies on the top level → focus areas; deeper competencies → competences with children;
- Cross-referenced competency ID numbers → related competences;
- descriptions → plain text. Moodle's HTML is turned into text (tags removed, entities decoded); fagdigital
  writes its texts as HTML that decodes to exactly the same text;
- level descriptors → a definition list (`<dl class="fagdigital-niveauer">`) appended to the description,
  so Moodle users see them and they survive a trip through Moodle;
- what Moodle has no place for (English texts, competence kind, DigComp references, IT system categories,
  English level names, the DigComp levels of each level) → a small JSON object in the Rule config column.
  Moodle ignores Rule config when Rule type is empty, so the file still imports cleanly into Moodle.

Role profiles and IT systems cannot be represented and are left out of the export.

Reading never raises for bad input: it returns problems that name the line (the file's physical line, so
a text spanning lines still points at where its row begins) and warnings for Moodle data that fagdigital
has no place for (completion rules, relations to top-level competencies). Nothing is half-read.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .digcomp import DIGCOMP_COMPETENCES, DIGCOMP_LEVEL_MAX
from .interchange import (
    DEFAULT_LEVELS,
    AreaData,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    LevelData,
    Text,
)
from .json_format import (
    AREA_CODE_MAX,
    COMPETENCE_CODE_MAX,
    COMPETENCE_NAME_MAX,
    KEY_MAX,
    MAX_DEPTH,
    NAME_MAX,
    SLUG_MAX,
    Problem,
    ReadResult,
    digcomp_message,
    is_slug,
    slug_message,
    too_long_message,
)
from .models import LEVEL_COUNT, CompetenceKind

# The header Moodle's exporter writes (its English language strings), in its fixed column order.
HEADER = (
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
)
COLUMNS = (
    "parentidnumber",
    "idnumber",
    "shortname",
    "description",
    "descriptionformat",
    "scalevalues",
    "scaleconfiguration",
    "ruletype",
    "ruleoutcome",
    "ruleconfig",
    "relatedidnumbers",
    "exportid",
    "isframework",
    "taxonomy",
)
OPTIONAL_COLUMNS = frozenset({"ruletype", "ruleoutcome", "ruleconfig", "relatedidnumbers", "exportid"})
# Header spellings, after lower-casing and removing "(optional)" and everything but letters and digits.
_ALIASES = {
    **{column: column for column in COLUMNS},
    "parentid": "parentidnumber",
    "scaleconfig": "scaleconfiguration",
    "ruleconfiguration": "ruleconfig",
    "crossreferencedcompetencyidnumbers": "relatedidnumbers",
    "crossreferencedidnumbers": "relatedidnumbers",
    "relatedcompetencyidnumbers": "relatedidnumbers",
    "exportedid": "exportid",
    "taxonomies": "taxonomy",
}
DELIMITERS = (",", ";", "\t")
# Moodle's description formats: 0 Moodle auto-format, 1 HTML, 2 plain text, 4 Markdown.
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = "0", "1", "2", "4"
DESCRIPTION_FORMATS = (FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN)
METADATA_KEY = "fagdigital"
METADATA_VERSION = 1
# Which levels count as proficient in the scale configuration fagdigital writes (Moodle needs at least one).
PROFICIENT_FROM_LEVEL = 2
MAX_PROBLEMS = 200
# Moodle keeps at most 100 characters of a short name (and of an ID number).
MOODLE_NAME_MAX = 100

_TRUE = frozenset({"1", "true", "yes", "ja"})
_FALSE = frozenset({"", "0", "false", "no", "nej"})


@dataclass(frozen=True)
class CsvProblem:
    line: int
    message: str

    @property
    def location(self) -> str:
        return _("Linje %(line)s") % {"line": self.line}

    def __str__(self) -> str:
        return _("Linje %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class MoodleExportError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- Text ↔ HTML ------------------------------------------------------------------------------------------
#
# fagdigital's texts are plain text. In Moodle a description is HTML (format 1) and a short name is shown as
# HTML too, so "<b>" typed in fagdigital must be written as "&lt;b&gt;". `text_to_html` escapes so that
# `html_to_text` gives back exactly the same string (newlines, runs of spaces and all), while still reading
# any ordinary HTML from Moodle into sensible text.

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
_DESCRIPTOR_LEVEL = re.compile(r"fagdigital-niveau-(\d+)")


@dataclass(frozen=True)
class _Element:
    start: int
    end: int
    attributes: dict[str, str]
    content: str

    @property
    def classes(self) -> list[str]:
        return self.attributes.get("class", "").split()


def _elements(source: str, tag: str) -> list[_Element]:
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
        found.append(_Element(start.start(), end.end(), attributes, source[start.end() : end.start()]))
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


def _multilang_split(value: str) -> tuple[str, str | None]:
    """Moodle's multi-language spans (`<span lang="da" class="multilang">`) → (Danish, English or None)."""
    groups: list[tuple[int, int, dict[str, str]]] = []
    for span in _elements(value, "span"):
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


# --- Reading -----------------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class _Item:
    """A competency row on its way to becoming an area or a competence."""

    row: _Row
    code: str
    parent: str | None
    depth: int = 0
    children: list[_Item] = field(default_factory=list)


class _Reading:
    def __init__(self) -> None:
        self.problems: list[CsvProblem] = []
        self.warnings: list[CsvProblem] = []
        self.known_codes: dict[str, _Item] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(CsvProblem(line, message))

    def warning(self, line: int, message: str) -> None:
        self.warnings.append(CsvProblem(line, message))

    # Bytes → rows ------------------------------------------------------------------------------------------

    def decode(self, raw: bytes) -> str | None:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            for number, line in enumerate(re.split(rb"\r\n|\r|\n", raw), start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as error:
                    column = len(line[: error.start].decode("utf-8", errors="replace")) + 1
                    self.problem(
                        number,
                        _(
                            "teksten er ikke gyldig UTF-8 (tegn nr. %(column)s). Gem filen med tegnsættet "
                            "UTF-8, fx som »CSV UTF-8« i Excel, eller eksportér den igen fra Moodle."
                        )
                        % {"column": column},
                    )
                    if len(self.problems) >= MAX_PROBLEMS:
                        break
            return None
        if "\x00" in text:
            line = text[: text.index("\x00")].count("\n") + 1
            self.problem(
                line, _("filen indeholder NUL-tegn og er ikke en tekstfil. Vælg den rigtige CSV-fil.")
            )
            return None
        if not text.strip():
            self.problem(1, _("filen er tom. Eksportér rammen fra Moodle igen."))
            return None
        return text

    def header(self, text: str) -> tuple[str, list[str | None]] | None:
        first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
        for delimiter in DELIMITERS:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
            names = [_ALIASES.get(_normalise(cell)) for cell in cells]
            known = sum(name is not None for name in names)
            if len(cells) > 1 and (known >= 3 or len(cells) == len(COLUMNS)):
                return delimiter, self.columns(cells, names)
        self.problem(
            1,
            _(
                "første linje skal være Moodles kolonneoverskrifter adskilt af komma: %(header)s. Eksportér "
                "rammen fra Moodle igen, eller ret overskriften."
            )
            % {"header": ", ".join(HEADER)},
        )
        return None

    def columns(self, cells: list[str], names: list[str | None]) -> list[str | None]:
        known = [name for name in names if name is not None]
        positional = len(cells) == len(COLUMNS) and all(
            name in (None, COLUMNS[index]) for index, name in enumerate(names)
        )
        if positional and len(known) <= len(cells) // 2:
            # Moodle reads columns by position, so a header in another language is still a Moodle file.
            self.warning(
                1,
                _(
                    "overskrifterne er ikke Moodles engelske, så kolonnerne er læst i Moodles faste "
                    "rækkefølge: %(header)s."
                )
                % {"header": ", ".join(HEADER)},
            )
            return list(COLUMNS)
        result: list[str | None] = []
        for cell, name in zip(cells, names, strict=True):
            if name is None:
                self.problem(
                    1,
                    _("kolonnen »%(column)s« kendes ikke. Moodles kolonner er: %(header)s.")
                    % {"column": cell, "header": ", ".join(HEADER)},
                )
            elif name in result:
                self.problem(
                    1, _("kolonnen »%(column)s« står der to gange. Slet den ene.") % {"column": cell}
                )
            result.append(name)
        for column, title in zip(COLUMNS, HEADER, strict=True):
            if column not in result and column not in OPTIONAL_COLUMNS:
                self.problem(
                    1,
                    _("kolonnen »%(column)s« mangler. Tilføj den, eller eksportér rammen fra Moodle igen.")
                    % {"column": title},
                )
        return result

    def rows(self, raw: bytes) -> list[_Row]:
        text = self.decode(raw)
        if text is None:
            return []
        header = self.header(text)
        if header is None or self.problems:
            return []
        delimiter, columns = header
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        rows: list[_Row] = []
        try:
            next(reader)
        except csv.Error:
            self.problem(
                1, _("overskriftslinjen har anførselstegn, der ikke passer sammen. Ret eller slet dem.")
            )
            return []
        while len(self.problems) < MAX_PROBLEMS:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                if "field larger than field limit" in str(error):
                    self.problem(
                        line,
                        _(
                            "et felt i linjen er over %(limit)s tegn langt. Forkort beskrivelsen, eller del "
                            "den op."
                        )
                        % {"limit": csv.field_size_limit()},
                    )
                    break
                self.problem(
                    line,
                    _(
                        "linjen kan ikke læses som CSV. Tjek at tekster med komma, linjeskift eller "
                        "anførselstegn står i anførselstegn, og at anførselstegn inde i teksten er skrevet "
                        "to gange."
                    ),
                )
                break
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, or the empty rows spreadsheets add at the end
            if len(cells) != len(columns):
                self.problem(
                    line,
                    _(
                        "linjen har %(found)s felter, men overskriften har %(expected)s. Tjek at tekster med "
                        "komma står i anførselstegn."
                    )
                    % {"found": len(cells), "expected": len(columns)},
                )
                continue
            rows.append(
                _Row(
                    line, {name: cell for name, cell in zip(columns, cells, strict=True) if name is not None}
                )
            )
        return rows

    # Rows → framework --------------------------------------------------------------------------------------

    def framework(self, rows: list[_Row]) -> FrameworkData | None:
        framework_rows, competence_rows = [], []
        for row in rows:
            flag = row.get("isframework").strip().lower()
            if flag in _TRUE:
                framework_rows.append(row)
            elif flag in _FALSE:
                competence_rows.append(row)
            else:
                self.problem(
                    row.line,
                    _(
                        "»Is framework« skal være 1 for rammen og tom eller 0 for kompetencer, ikke "
                        "»%(value)s«."
                    )
                    % {"value": row.get("isframework")},
                )
        if not framework_rows:
            self.problem(
                rows[0].line if rows else 2,
                _(
                    "filen har ingen række for selve rammen (»Is framework« = 1). Moodle skriver den som "
                    "første række efter overskriften; eksportér rammen fra Moodle igen."
                ),
            )
            return None
        for extra in framework_rows[1:]:
            self.problem(
                extra.line,
                _("filen har allerede rammen i linje %(first)s; en fil kan kun indeholde én ramme.")
                % {"first": framework_rows[0].line},
            )
        head = framework_rows[0]
        key = head.get("idnumber").strip()
        items = self.tree(competence_rows, key)
        meta = self.metadata(head, {"version", "name_en", "description_en", "levels"})
        framework = self.framework_row(head, key, meta)
        areas = tuple(self.area(item) for item in items)
        if meta is None and not self.problems:
            self.warning(
                head.line,
                _(
                    "filen kommer ikke fra fagdigital, så den har ingen engelske tekster, kompetencetyper, "
                    "DigComp-referencer eller it-systemkategorier. Kompetencerne får typen »integreret«; "
                    "resten kan du udfylde efter indlæsningen."
                ),
            )
        if areas and not any(area.competences for area in areas):
            self.warning(
                head.line,
                _(
                    "rammen har kun kompetencer på øverste niveau. De bliver til fokusområder uden "
                    "kompetencer; læg kompetencerne under et overordnet emne i Moodle, hvis det ikke er "
                    "meningen."
                ),
            )
        if self.problems or framework is None:
            return None
        return FrameworkData(
            key=framework.key,
            version=framework.version,
            name=framework.name,
            description=framework.description,
            levels=framework.levels,
            areas=areas,
        )

    def framework_row(self, row: _Row, key: str, meta: dict[str, Any] | None) -> FrameworkData | None:
        line = row.line
        if not key:
            self.problem(
                line, _("rammen mangler et ID-nummer. Det bliver rammens nøgle i fagdigital, fx »digcomp«.")
            )
        elif len(key) > KEY_MAX:
            self.problem(
                line, _("rammens ID-nummer %(message)s") % {"message": too_long_message(KEY_MAX, len(key))}
            )
        elif not is_slug(key):
            self.problem(
                line,
                _("rammens ID-nummer bruges som nøgle i fagdigital: %(message)s Ret ID-nummeret.")
                % {"message": slug_message(key)},
            )
        if row.get("parentidnumber").strip():
            self.problem(
                line, _("rammen kan ikke have et overordnet ID-nummer; lad »Parent ID number« være tom.")
            )
        if row.get("relatedidnumbers").strip():
            self.warning(
                line,
                _(
                    "rammen kan ikke have relaterede kompetencer; »Cross-referenced competency ID numbers« "
                    "springes over for rammen."
                ),
            )
        name = self.name(row, NAME_MAX)
        description = self.description(row, descriptors_allowed=False)[0]
        scale = self.scale_values(row)
        if scale is not None:
            self.scale_configuration(row, len(scale))
        if scale is not None and len(scale) != LEVEL_COUNT:
            self.problem(
                line,
                _(
                    "rammens skala (Scale values) har %(count)s værdier, men fagdigital har 4 niveauer. Brug "
                    "en skala med 4 værdier, fx »Begynder,Selvstændig,Erfaren,Ressourceperson«."
                )
                % {"count": len(scale)},
            )
        version = 1
        english_name = english_description = ""
        meta_levels: dict[int, LevelData] = {}
        if meta is not None:
            version = self.meta_int(meta, "version", line, 1, 1_000_000) or 1
            english_name = self.meta_text(meta, "name_en", line, NAME_MAX)
            english_description = self.meta_text(meta, "description_en", line)
            meta_levels = self.meta_levels(meta, line)
        if scale is None or len(scale) != LEVEL_COUNT:
            return None
        levels = []
        for number, value in enumerate(scale, start=1):
            known = meta_levels.get(number)
            if known is not None:
                # The scale shows the Danish name; the metadata keeps what a scale cannot (commas, English).
                da = known.name.da if scale_value(known.name.da) == value else value
                levels.append(LevelData(number, Text(da, known.name.en), known.digcomp_levels))
            else:
                levels.append(LevelData(number, Text(value), DEFAULT_LEVELS[number - 1].digcomp_levels))
        return FrameworkData(
            key=key,
            version=version,
            name=Text(name[0], english_name or name[1]),
            description=Text(description[0], english_description or description[1]),
            levels=tuple(levels),
        )

    def tree(self, rows: list[_Row], key: str) -> list[_Item]:
        """Check ID numbers, parents and cycles; the top-level items with their children, in file order."""
        items: dict[str, _Item] = {}
        for row in rows:
            code = row.get("idnumber").strip()
            if not code:
                self.problem(
                    row.line, _("ID-nummer mangler. Giv kompetencen et ID-nummer, der er entydigt i filen.")
                )
            elif code in items:
                self.problem(
                    row.line,
                    _(
                        "ID-nummeret »%(code)s« bruges også i linje %(other)s. Giv hver kompetence sit eget "
                        "ID-nummer."
                    )
                    % {"code": code, "other": items[code].row.line},
                )
            else:
                items[code] = _Item(row, code, row.get("parentidnumber").strip() or None)
        broken: set[str] = set()
        for item in items.values():
            if item.parent is not None and item.parent not in items:
                broken.add(item.code)
                if item.parent == key:
                    self.problem(
                        item.row.line,
                        _(
                            "overordnet ID-nummer »%(parent)s« er rammens eget ID-nummer. Lad »Parent ID "
                            "number« være tom for kompetencer på øverste niveau."
                        )
                        % {"parent": item.parent},
                    )
                else:
                    self.problem(
                        item.row.line,
                        _(
                            "overordnet ID-nummer »%(parent)s« findes ikke i filen. Ret ID-nummeret, eller "
                            "tilføj kompetencen."
                        )
                        % {"parent": item.parent},
                    )
        # Depth of every item; a chain of parents that returns to itself is a cycle.
        for item in items.values():
            chain: list[_Item] = []
            in_chain: set[str] = set()
            current: _Item | None = item
            while current is not None and current.depth == 0 and current.code not in broken:
                if current.code in in_chain:
                    cycle = chain[[c.code for c in chain].index(current.code) :]
                    first = min(cycle, key=lambda c: c.row.line)
                    self.problem(
                        first.row.line,
                        _(
                            "kompetencerne danner en løkke af overordnede: %(cycle)s. Giv én af dem en anden "
                            "overordnet, eller lad dens »Parent ID number« være tom."
                        )
                        % {"cycle": " → ".join(f"»{c.code}«" for c in [*cycle, cycle[0]])},
                    )
                    broken.update(in_chain)
                    break
                chain.append(current)
                in_chain.add(current.code)
                current = items[current.parent] if current.parent is not None else None
            else:
                if current is not None and current.code in broken:
                    broken.update(in_chain)  # hangs below an item with an error of its own
                    continue
                base = 0 if current is None else current.depth
                for depth, member in enumerate(reversed(chain), start=base + 1):
                    member.depth = depth
        roots = []
        for item in items.values():
            if item.code in broken:
                continue
            if item.depth > MAX_DEPTH + 1:
                if items[item.parent or ""].depth == MAX_DEPTH + 1:
                    self.problem(
                        item.row.line,
                        _("kompetencen ligger %(depth)s niveauer nede; fagdigital tillader højst %(max)s.")
                        % {"depth": item.depth, "max": MAX_DEPTH + 1},
                    )
                continue
            if item.parent is None:
                roots.append(item)
            else:
                items[item.parent].children.append(item)
        self.known_codes = items
        return roots

    def area(self, item: _Item) -> AreaData:
        row, line = item.row, item.row.line
        if len(item.code) > AREA_CODE_MAX:
            self.problem(
                line,
                _("ID-nummeret for et fokusområde (øverste niveau) %(message)s")
                % {"message": too_long_message(AREA_CODE_MAX, len(item.code))},
            )
        name = self.name(row, NAME_MAX)
        description = self.description(row, descriptors_allowed=False)[0]
        self.competence_scale(row)
        meta = self.metadata(row, {"name_en", "description_en"})
        english_name = english_description = ""
        if meta is not None:
            english_name = self.meta_text(meta, "name_en", line, NAME_MAX)
            english_description = self.meta_text(meta, "description_en", line)
        if self.related(row, item.code):
            self.warning(
                line,
                _(
                    "fokusområder (øverste niveau) kan ikke have relaterede kompetencer i fagdigital; "
                    "relationerne springes over."
                ),
            )
        return AreaData(
            code=item.code,
            name=Text(name[0], english_name or name[1]),
            description=Text(description[0], english_description or description[1]),
            competences=tuple(self.competence(child) for child in item.children),
        )

    def competence(self, item: _Item) -> CompetenceData:
        row, line = item.row, item.row.line
        if len(item.code) > COMPETENCE_CODE_MAX:
            self.problem(
                line,
                _("ID-nummeret %(message)s")
                % {"message": too_long_message(COMPETENCE_CODE_MAX, len(item.code))},
            )
        name = self.name(row, COMPETENCE_NAME_MAX)
        description, descriptors = self.description(row, descriptors_allowed=True)
        self.competence_scale(row)
        meta = self.metadata(
            row, {"name_en", "description_en", "kind", "digcomp", "it_system_categories", "descriptors_en"}
        )
        english_name = english_description = ""
        kind = CompetenceKind.INTEGRATED.value
        digcomp: tuple[str, ...] = ()
        categories: tuple[str, ...] = ()
        english_descriptors: dict[int, str] = {}
        if meta is not None:
            english_name = self.meta_text(meta, "name_en", line, COMPETENCE_NAME_MAX)
            english_description = self.meta_text(meta, "description_en", line)
            kind = self.meta_kind(meta, line)
            digcomp = self.meta_strings(meta, "digcomp", line)
            for value in digcomp:
                if value not in DIGCOMP_COMPETENCES:
                    self.problem(
                        line,
                        _("»digcomp« i »Rule config«: %(message)s") % {"message": digcomp_message(value)},
                    )
            categories = self.meta_strings(meta, "it_system_categories", line)
            for value in categories:
                if not is_slug(value) or len(value) > SLUG_MAX:
                    self.problem(
                        line,
                        _("»it_system_categories« i »Rule config«: %(message)s")
                        % {"message": slug_message(value)},
                    )
            english_descriptors = self.meta_descriptors(meta, line)
        for level in english_descriptors:
            if level not in descriptors[0]:
                self.problem(
                    line,
                    _(
                        "»descriptors_en« i »Rule config« har en engelsk tekst for niveau %(level)s, men "
                        "beskrivelsen har ingen dansk niveaubeskrivelse for niveau %(level)s."
                    )
                    % {"level": level},
                )
        related = []
        for code in self.related(row, item.code):
            target = self.known_codes.get(code)
            if target is not None and target.parent is None:
                self.warning(
                    line,
                    _(
                        "»%(code)s« er et fokusområde (øverste niveau), og fokusområder kan ikke være "
                        "relaterede kompetencer i fagdigital; relationen springes over."
                    )
                    % {"code": code},
                )
            else:
                related.append(code)
        da_descriptors, en_descriptors = descriptors
        return CompetenceData(
            code=item.code,
            name=Text(name[0], english_name or name[1]),
            description=Text(description[0], english_description or description[1]),
            kind=kind,
            digcomp=digcomp,
            it_system_categories=categories,
            descriptors=tuple(
                DescriptorData(
                    level, Text(text, english_descriptors.get(level) or en_descriptors.get(level, ""))
                )
                for level, text in sorted(da_descriptors.items())
            ),
            children=tuple(self.competence(child) for child in item.children),
            related=tuple(related),
        )

    # Fields ----------------------------------------------------------------------------------------------

    def name(self, row: _Row, max_length: int) -> tuple[str, str]:
        da_html, en_html = _multilang_split(row.get("shortname"))
        da = name_from_moodle(da_html)
        en = name_from_moodle(en_html) if en_html is not None else ""
        if not da.strip():
            self.problem(row.line, _("navnet (Short name) mangler. Skriv et navn."))
        for text in (da, en):
            if len(text) > max_length:
                self.problem(
                    row.line,
                    _("navnet (Short name) %(message)s")
                    % {"message": too_long_message(max_length, len(text))},
                )
        return da, en

    def description(
        self, row: _Row, *, descriptors_allowed: bool
    ) -> tuple[tuple[str, str], tuple[dict[int, str], dict[int, str]]]:
        """((Danish, English), (Danish descriptors, English descriptors)) of a row's description."""
        value = row.get("description")
        description_format = row.get("descriptionformat").strip()
        if description_format and description_format not in DESCRIPTION_FORMATS:
            self.problem(
                row.line,
                _(
                    "beskrivelsesformatet (Description format) er »%(value)s«; det skal være 1 (HTML), 0 "
                    "(Moodle-format), 2 (ren tekst) eller 4 (Markdown)."
                )
                % {"value": description_format},
            )
            return ("", ""), ({}, {})
        if not value:
            return ("", ""), ({}, {})
        if not description_format:
            self.problem(
                row.line,
                _(
                    "beskrivelsesformatet (Description format) mangler; skriv 1 (HTML), 0 (Moodle-format), 2 "
                    "(ren tekst) eller 4 (Markdown)."
                ),
            )
            return ("", ""), ({}, {})
        if description_format in (FORMAT_PLAIN, FORMAT_MARKDOWN):
            return (value, ""), ({}, {})
        line_breaks = description_format == FORMAT_MOODLE
        da_html, en_html = _multilang_split(value)
        da_text, da_descriptors = self.descriptor_list(row, da_html, line_breaks=line_breaks)
        en_text, en_descriptors = "", dict[int, str]()
        if en_html is not None:
            en_text, en_descriptors = self.descriptor_list(row, en_html, line_breaks=line_breaks)
        if (da_descriptors or en_descriptors) and not descriptors_allowed:
            self.problem(
                row.line,
                _(
                    "rammen og fokusområder (øverste niveau) kan ikke have niveaubeskrivelser; flyt dem til "
                    "en kompetence."
                ),
            )
        return (da_text, en_text), (da_descriptors, en_descriptors)

    def descriptor_list(self, row: _Row, source: str, *, line_breaks: bool) -> tuple[str, dict[int, str]]:
        match = next((dl for dl in _elements(source, "dl") if "fagdigital-niveauer" in dl.classes), None)
        if match is None:
            return html_to_text(source, line_breaks=line_breaks), {}
        descriptors: dict[int, str] = {}
        for item in _elements(match.content, "dd"):
            level_class = next(filter(None, (_DESCRIPTOR_LEVEL.fullmatch(c) for c in item.classes)), None)
            if level_class is None:
                continue
            level = int(level_class.group(1))
            if not 1 <= level <= LEVEL_COUNT:
                self.problem(
                    row.line,
                    _("niveaubeskrivelsen for niveau %(level)s passer ikke til rammens 4 niveauer.")
                    % {"level": level},
                )
            elif level in descriptors:
                self.problem(
                    row.line, _("niveau %(level)s er beskrevet to gange i beskrivelsen.") % {"level": level}
                )
            else:
                descriptors[level] = html_to_text(item.content, line_breaks=line_breaks)
        rest = source[: match.start] + source[match.end :]
        return html_to_text(rest, line_breaks=line_breaks), descriptors

    def scale_values(self, row: _Row) -> list[str] | None:
        raw = row.get("scalevalues")
        if not raw.strip():
            self.problem(
                row.line,
                _(
                    "rammens skala (Scale values) mangler. Skriv de 4 niveauer adskilt af komma, fx "
                    "»Begynder,Selvstændig,Erfaren,Ressourceperson«."
                ),
            )
            return None
        values = [value.strip() for value in raw.split(",")]
        if any(not value for value in values):
            self.problem(
                row.line,
                _("skalaen (Scale values) »%(value)s« har en tom værdi; fjern det overskydende komma.")
                % {"value": raw},
            )
            return None
        return values

    def competence_scale(self, row: _Row) -> None:
        """Moodle competencies may have their own scale; fagdigital has one scale for the whole framework."""
        raw = row.get("scalevalues")
        if raw.strip():
            self.problem(
                row.line,
                _(
                    "kompetencen har sin egen skala (Scale values) »%(value)s«, men i fagdigital har alle "
                    "kompetencer rammens 4 niveauer. Fjern skalaen fra kompetencen i Moodle, så den bruger "
                    "rammens."
                )
                % {"value": raw},
            )
        elif row.get("scaleconfiguration").strip():
            self.scale_configuration(row, LEVEL_COUNT)

    def scale_configuration(self, row: _Row, count: int) -> None:
        raw = row.get("scaleconfiguration").strip()
        example = '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},' + (
            '{"id":2,"scaledefault":0,"proficient":1}]'
        )
        if not raw:
            self.problem(
                row.line,
                _(
                    "skalakonfigurationen (Scale configuration) mangler. Moodle skriver den som JSON, fx "
                    "%(example)s."
                )
                % {"example": example},
            )
            return
        config, error = _load_json(raw)
        if error:
            self.problem(
                row.line,
                _(
                    "skalakonfigurationen (Scale configuration) er ikke gyldig JSON: %(error)s. Den skal se "
                    "sådan ud: %(example)s."
                )
                % {"error": error, "example": example},
            )
            return
        if not (
            isinstance(config, list) and config and isinstance(config[0], dict) and "scaleid" in config[0]
        ):
            self.problem(
                row.line,
                _(
                    "skalakonfigurationen (Scale configuration) skal være en JSON-liste, der begynder "
                    'med {"scaleid": ...}, fx %(example)s.'
                )
                % {"example": example},
            )
            return
        seen: set[int] = set()
        default = proficient = False
        for index, item in enumerate(config[1:], start=2):
            number = _integer(item.get("id")) if isinstance(item, dict) else None
            if not isinstance(item, dict) or number is None or not 1 <= number <= count:
                self.problem(
                    row.line,
                    _(
                        'skalakonfigurationens punkt %(index)s skal være {"id": N, "scaledefault": 0 eller '
                        "1, "
                        '"proficient": 0 eller 1} med et id fra 1 til %(count)s (ét pr. skalaværdi).'
                    )
                    % {"index": index, "count": count},
                )
                continue
            if number in seen:
                self.problem(
                    row.line, _("skalakonfigurationen beskriver skalaværdi %(id)s to gange.") % {"id": number}
                )
            seen.add(number)
            flags = {name: _integer(item.get(name, 0)) for name in ("scaledefault", "proficient")}
            for name, flag in flags.items():
                if flag not in (0, 1):
                    self.problem(
                        row.line,
                        _("skalakonfigurationens »%(name)s« for skalaværdi %(id)s skal være 0 eller 1.")
                        % {"name": name, "id": number},
                    )
            default = default or flags["scaledefault"] == 1
            proficient = proficient or flags["proficient"] == 1
        if not default:
            self.problem(
                row.line,
                _(
                    "skalakonfigurationen markerer ingen skalaværdi som standard "
                    '("scaledefault": 1); Moodle kræver én.'
                ),
            )
        if not proficient:
            self.problem(
                row.line,
                _(
                    "skalakonfigurationen markerer ingen skalaværdi som kompetent "
                    '("proficient": 1); Moodle kræver mindst én.'
                ),
            )

    def related(self, row: _Row, code: str) -> list[str]:
        raw = row.get("relatedidnumbers")
        result: list[str] = []
        for part in raw.split(","):
            other = part.replace("%2C", ",").replace("%2c", ",").strip()
            if not other or other in result:
                continue
            if other == code:
                self.problem(
                    row.line,
                    _(
                        "kompetencen kan ikke være relateret til sig selv; fjern »%(code)s« fra "
                        "»Cross-referenced competency ID numbers«."
                    )
                    % {"code": code},
                )
            elif other not in self.known_codes:
                self.problem(
                    row.line,
                    _(
                        "den relaterede kompetence »%(code)s« (Cross-referenced competency ID numbers) "
                        "findes ikke i filen. Ret ID-nummeret, eller fjern det."
                    )
                    % {"code": other},
                )
            else:
                result.append(other)
        return result

    # fagdigital's metadata in Rule config --------------------------------------------------------------

    def metadata(self, row: _Row, allowed: set[str]) -> dict[str, Any] | None:
        rule_type = row.get("ruletype").strip()
        config = row.get("ruleconfig").strip()
        if rule_type:
            self.warning(
                row.line,
                _(
                    "Moodles fuldførelsesregel »%(rule)s« (Rule type) findes ikke i fagdigital og springes "
                    "over."
                )
                % {"rule": rule_type},
            )
            return None
        if config in ("", "null"):
            return None
        value, error = _load_json(config)
        if error:
            self.problem(
                row.line,
                _("»Rule config« er ikke gyldig JSON: %(error)s. Ret feltet, eller gør det tomt.")
                % {"error": error},
            )
            return None
        if _has_bad_characters(value):
            self.problem(
                row.line, _("»Rule config« indeholder et ugyldigt tegn (NUL eller en halv UTF-16-kode).")
            )
            return None
        if not isinstance(value, dict) or METADATA_KEY not in value:
            self.warning(row.line, _("»Rule config« bruges ikke uden en regel (Rule type) og springes over."))
            return None
        if value[METADATA_KEY] != METADATA_VERSION:
            self.problem(
                row.line,
                _(
                    "»Rule config« har fagdigital-version »%(version)s«; denne version af fagdigital læser "
                    "version %(expected)s."
                )
                % {"version": value[METADATA_KEY], "expected": METADATA_VERSION},
            )
            return None
        for key in sorted(set(value) - allowed - {METADATA_KEY}):
            self.problem(
                row.line,
                _(
                    "»Rule config« har feltet »%(key)s«, som fagdigital ikke kender her (kendte felter: "
                    "%(known)s)."
                )
                % {"key": key, "known": ", ".join(sorted(allowed))},
            )
        return value

    def meta_text(self, meta: dict[str, Any], key: str, line: int, max_length: int | None = None) -> str:
        value = meta.get(key, "")
        if not isinstance(value, str):
            self.problem(line, _("»%(key)s« i »Rule config« skal være en tekst.") % {"key": key})
            return ""
        if max_length is not None and len(value) > max_length:
            self.problem(
                line,
                _("»%(key)s« i »Rule config« %(message)s")
                % {"key": key, "message": too_long_message(max_length, len(value))},
            )
        return value

    def meta_int(self, meta: dict[str, Any], key: str, line: int, low: int, high: int) -> int | None:
        if key not in meta:
            return None
        value = meta[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                line,
                _("»%(key)s« i »Rule config« skal være et helt tal fra %(low)s til %(high)s.")
                % {"key": key, "low": low, "high": high},
            )
            return None
        return int(value)

    def meta_strings(self, meta: dict[str, Any], key: str, line: int) -> tuple[str, ...]:
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(line, _("»%(key)s« i »Rule config« skal være en liste af tekster.") % {"key": key})
            return ()
        return tuple(value)

    def meta_kind(self, meta: dict[str, Any], line: int) -> str:
        kind = meta.get("kind", CompetenceKind.INTEGRATED.value)
        if kind not in CompetenceKind.values:
            self.problem(
                line,
                _("»kind« i »Rule config« skal være en af: %(values)s.")
                % {"values": ", ".join(CompetenceKind.values)},
            )
            return CompetenceKind.INTEGRATED.value
        return str(kind)

    def meta_descriptors(self, meta: dict[str, Any], line: int) -> dict[int, str]:
        value = meta.get("descriptors_en", {})
        result: dict[int, str] = {}
        if not isinstance(value, dict):
            self.problem(line, _('»descriptors_en« i »Rule config« skal være et objekt som {"1": "..."}.'))
            return result
        for key, text in value.items():
            level = _integer(key)
            if level is None or not 1 <= level <= LEVEL_COUNT or not isinstance(text, str):
                self.problem(
                    line,
                    _(
                        "»descriptors_en« i »Rule config« skal have niveauerne 1-4 som nøgler og tekster som "
                        "værdier."
                    ),
                )
                continue
            result[level] = text
        return result

    def meta_levels(self, meta: dict[str, Any], line: int) -> dict[int, LevelData]:
        value = meta.get("levels", [])
        message = _(
            "»levels« i »Rule config« skal være en liste med de 4 niveauer som "
            '{"number": 1, "name": {"da": "...", "en": "..."}, "digcomp_levels": [1, 2]}.'
        )
        result: dict[int, LevelData] = {}
        if not isinstance(value, list):
            self.problem(line, message)
            return result
        for item in value:
            if not isinstance(item, dict) or set(item) - {"number", "name", "digcomp_levels"}:
                self.problem(line, message)
                continue
            number, name, digcomp = item.get("number"), item.get("name"), item.get("digcomp_levels", [])
            valid = (
                isinstance(number, int)
                and not isinstance(number, bool)
                and 1 <= number <= LEVEL_COUNT
                and number not in result
                and isinstance(name, dict)
                and not set(name) - {"da", "en"}
                and isinstance(name.get("da"), str)
                and isinstance(name.get("en", ""), str)
                and isinstance(digcomp, list)
                and all(
                    isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= DIGCOMP_LEVEL_MAX
                    for n in digcomp
                )
            )
            if not valid:
                self.problem(line, message)
                continue
            assert isinstance(number, int) and isinstance(name, dict)  # for mypy; checked above
            result[number] = LevelData(number, Text(name["da"], name.get("en", "")), tuple(digcomp))
        return result


def _load_json(text: str) -> tuple[Any, str]:
    """(value, "") or (None, what is wrong) — never an exception, however the text is broken."""
    try:
        return json.loads(text), ""
    except json.JSONDecodeError as error:
        return None, _("%(error)s (tegn %(column)s)") % {"error": error.msg, "column": error.pos + 1}
    except (ValueError, RecursionError):  # a number with thousands of digits, or thousands of nested lists
        return None, _("for dybt indlejret eller med et tal med for mange cifre")


def _has_bad_characters(value: Any) -> bool:
    """NUL or lone surrogates anywhere in parsed JSON (PostgreSQL refuses them)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item or any("\ud800" <= char <= "\udfff" for char in item):
                return True
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return False


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower().replace("(optional)", ""))


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _line(problem: CsvProblem) -> int:
    return problem.line


def read_moodle_csv(raw: bytes) -> ReadResult:
    """Parse and validate a Moodle competency framework CSV file (UTF-8, with or without BOM)."""
    reading = _Reading()
    rows = reading.rows(raw)
    data = None
    if not reading.problems:
        if rows:
            data = reading.framework(rows)
        else:
            reading.problem(
                2, _("filen har kun en overskrift og ingen rækker. Eksportér rammen fra Moodle igen.")
            )
    problems: list[Problem] = [*sorted(reading.problems, key=_line)]
    warnings: list[Problem] = [*sorted(reading.warnings, key=_line)]
    if problems:
        return ReadResult(None, problems, warnings)
    return ReadResult(data, [], warnings)


# --- Writing -----------------------------------------------------------------------------------------------


def scale_value(name: str) -> str:
    """A level name as one value of a Moodle scale, which is a comma-separated list of trimmed values."""
    return name.replace(",", ";").replace("\\", "/").strip()


def moodle_export_problems(data: FrameworkData) -> list[str]:
    """What stops `data` from being written as a Moodle file that reads back the same (empty when nothing)."""
    problems = []
    area_codes = {area.code for area in data.areas}
    competences = data.all_competences()
    for item in competences:
        if item.code in area_codes:
            problems.append(
                _(
                    "Koden »%(code)s« bruges både af et fokusområde og en kompetence, men Moodle kræver, at "
                    "alle ID-numre i en ramme er forskellige. Giv den ene en anden kode."
                )
                % {"code": item.code}
            )
    for code in [*area_codes, *(item.code for item in competences)]:
        if code != code.strip() or "%2c" in code.lower() or "\\" in code:
            problems.append(
                _(
                    "Koden »%(code)s« kan ikke skrives i en Moodle-fil: den må ikke begynde eller slutte med "
                    "mellemrum eller indeholde »%%2C« eller »\\«. Ret koden."
                )
                % {"code": code}
            )
    levels = data.levels or DEFAULT_LEVELS
    if sorted(level.number for level in levels) != list(range(1, LEVEL_COUNT + 1)):
        problems.append(
            _("Rammen skal have præcis ét niveau for hvert tal fra 1 til 4 for at kunne skrives til Moodle.")
        )
    for level in levels:
        if not scale_value(level.name.da):
            problems.append(
                _("Niveau %(number)s har intet dansk navn, så det kan ikke blive en værdi i Moodles skala.")
                % {"number": level.number}
            )
    return problems


def moodle_export_omissions(data: FrameworkData) -> list[str]:
    """What a Moodle file leaves out (the export still works)."""
    notes = []
    if data.role_profiles:
        notes.append(
            _("Moodle-filen har ikke rammens %(count)s rolleprofiler; brug JSON-formatet for at få dem med.")
            % {"count": len(data.role_profiles)}
        )
    if data.it_systems:
        notes.append(
            _("Moodle-filen har ikke rammens %(count)s it-systemer; brug JSON-formatet for at få dem med.")
            % {"count": len(data.it_systems)}
        )
    named: list[tuple[str, Text]] = [(area.code, area.name) for area in data.areas]
    named += [(item.code, item.name) for item in data.all_competences()]
    long_names = [code for code, name in named if len(name.da) > MOODLE_NAME_MAX]
    if long_names:
        notes.append(
            _("Moodle forkorter navne til %(max)s tegn; det gælder %(codes)s.")
            % {"max": MOODLE_NAME_MAX, "codes": ", ".join(long_names)}
        )
    return notes


def _metadata_json(value: dict[str, Any]) -> str:
    text = json.dumps({METADATA_KEY: METADATA_VERSION, **value}, ensure_ascii=False, separators=(",", ":"))
    # No backslash-quote pairs: PHP's fgetcsv (Moodle) would misread them. \u0022 is the same JSON string.
    return re.sub(r"\\(.)", lambda m: "\\u0022" if m.group(1) == '"' else m.group(0), text)


def _description_html(
    description: str, descriptors: tuple[DescriptorData, ...], levels: dict[int, str]
) -> str:
    result = f"<p>{text_to_html(description)}</p>" if description else ""
    if descriptors:
        items = "".join(
            f'<dt class="fagdigital-niveau-{d.level}">'
            f"{text_to_html(f'Niveau {d.level}: {levels.get(d.level, str(d.level))}')}</dt>"
            f'<dd class="fagdigital-niveau-{d.level}">{text_to_html(d.text.da)}</dd>'
            for d in descriptors
        )
        result += f'<dl class="fagdigital-niveauer">{items}</dl>'
    return result


def _depth(items: tuple[CompetenceData, ...]) -> int:
    return max((1 + _depth(item.children) for item in items), default=0)


def write_moodle_csv(data: FrameworkData) -> bytes:
    """The framework as a Moodle competency framework CSV (UTF-8 with BOM, comma-separated, CRLF).

    Raises MoodleExportError when `moodle_export_problems` finds something Moodle cannot hold.
    """
    problems = moodle_export_problems(data)
    if problems:
        raise MoodleExportError(problems)
    levels = sorted(data.levels or DEFAULT_LEVELS, key=lambda level: level.number)
    level_names = {level.number: level.name.da for level in levels}
    depth = 1 + max((_depth(area.competences) for area in data.areas), default=0)
    scale_configuration = json.dumps(
        [
            {"scaleid": "1"},
            *(
                {
                    "id": level.number,
                    "scaledefault": int(level.number == 1),
                    "proficient": int(level.number >= PROFICIENT_FROM_LEVEL),
                }
                for level in levels
            ),
        ],
        separators=(",", ":"),
    )
    framework_meta: dict[str, Any] = {"version": data.version}
    if data.name.en:
        framework_meta["name_en"] = data.name.en
    if data.description.en:
        framework_meta["description_en"] = data.description.en
    framework_meta["levels"] = [
        {
            "number": level.number,
            "name": {"da": level.name.da, "en": level.name.en},
            "digcomp_levels": list(level.digcomp_levels),
        }
        for level in levels
    ]
    rows: list[list[str]] = [
        list(HEADER),
        [
            "",
            data.key,
            name_to_moodle(data.name.da),
            _description_html(data.description.da, (), level_names),
            FORMAT_HTML,
            ",".join(scale_value(level.name.da) for level in levels),
            scale_configuration,
            "",
            "",
            _metadata_json(framework_meta),
            "",
            "",
            "1",
            ",".join(["domain", *(["competency"] * (depth - 1))]),
        ],
    ]

    def english(name: str, description: str) -> dict[str, Any]:
        result = {}
        if name:
            result["name_en"] = name
        if description:
            result["description_en"] = description
        return result

    def competence_rows(items: tuple[CompetenceData, ...], parent: str) -> None:
        for item in items:
            meta: dict[str, Any] = {**english(item.name.en, item.description.en), "kind": item.kind}
            if item.digcomp:
                meta["digcomp"] = list(item.digcomp)
            if item.it_system_categories:
                meta["it_system_categories"] = list(item.it_system_categories)
            english_descriptors = {str(d.level): d.text.en for d in item.descriptors if d.text.en}
            if english_descriptors:
                meta["descriptors_en"] = english_descriptors
            rows.append(
                [
                    parent,
                    item.code,
                    name_to_moodle(item.name.da),
                    _description_html(item.description.da, item.descriptors, level_names),
                    FORMAT_HTML,
                    "",
                    "",
                    "",
                    "0",
                    _metadata_json(meta),
                    ",".join(code.replace(",", "%2C") for code in item.related),
                    "",
                    "",
                    "",
                ]
            )
            competence_rows(item.children, item.code)

    for area in data.areas:
        rows.append(
            [
                "",
                area.code,
                name_to_moodle(area.name.da),
                _description_html(area.description.da, (), level_names),
                FORMAT_HTML,
                "",
                "",
                "",
                "0",
                _metadata_json(english(area.name.en, area.description.en)),
                "",
                "",
                "",
                "",
            ]
        )
        competence_rows(area.competences, area.code)
    output = io.StringIO(newline="")
    csv.writer(output, lineterminator="\r\n").writerows(rows)
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")
