"""The learning catalogue's file formats: CSV (one activity per line) and JSON (docs/catalogue-format.md).

Reading checks everything and reports each problem where it is — the CSV line and column, or the JSON
line, column and path — and returns either every activity or the problems, never some of them; the
import saves nothing while there is one problem. Unknown CSV columns are warnings, unknown JSON fields
problems (a misspelt field must not silently disappear). Writing produces what reading accepts, so an
export can be imported again unchanged (a property test checks it).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .jsonpos import JsonPositionError, parse

FORMAT = "fagdigital-learning-catalogue"
FORMAT_VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
MAX_ACTIVITIES = 2000
TITLE_MAX = 200
TEXT_MAX = 10_000
SHORT_MAX = 200
URL_MAX = 500
KEY_MAX = 100
LEVELS = (1, 2, 3, 4)

FORMATS = (
    "e_learning",
    "workshop",
    "peer_learning",
    "superuser",
    "course",
    "amu",
    "diploma",
    "micro_learning",
)
# What people write in a spreadsheet, normalised (lower case, no spaces, hyphens or underscores).
FORMAT_WORDS = {
    "elearning": "e_learning",
    "elæring": "e_learning",
    "workshop": "workshop",
    "peerlearning": "peer_learning",
    "sidemandsoplæring": "peer_learning",
    "superuser": "superuser",
    "superbruger": "superuser",
    "superbrugerforløb": "superuser",
    "course": "course",
    "kursus": "course",
    "amu": "amu",
    "amukursus": "amu",
    "diploma": "diploma",
    "diplommodul": "diploma",
    "microlearning": "micro_learning",
    "mikrolæring": "micro_learning",
}
DELIVERY_WORDS = {
    "onsite": "on_site",
    "fremmøde": "on_site",
    "online": "online",
    "blended": "blended",
    "fremmødeogonline": "blended",
    "begge": "blended",
}
LANGUAGE_WORDS = {"da": "da", "dansk": "da", "danish": "da", "en": "en", "engelsk": "en", "english": "en"}
STATUS_WORDS = {
    "published": "published",
    "udgivet": "published",
    "draft": "draft",
    "kladde": "draft",
    "archived": "archived",
    "arkiveret": "archived",
}
STATUS_NAMES = {"published": "udgivet", "draft": "kladde", "archived": "arkiveret"}
DELIVERY_NAMES = {"on_site": "fremmøde", "online": "online", "blended": "fremmøde og online"}
_KEY = re.compile(r"[a-z0-9][-a-z0-9_]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class ActivityRecord:
    """One activity as plain data: what a file holds and a form edits."""

    key: str
    title_da: str
    format: str
    duration_hours: Decimal
    competences: tuple[tuple[str, int], ...]
    title_en: str = ""
    description_da: str = ""
    description_en: str = ""
    ects: Decimal | None = None
    cost_dkk: int = 0
    language: str = "da"
    delivery: str = "on_site"
    place: str = ""
    provider_name: str = ""
    url: str = ""
    signup_url: str = ""
    status: str = "published"
    xapi_id: str = ""


@dataclass(frozen=True)
class Problem:
    """Where (line, column and what is there) and what is wrong, in the active language."""

    line: int
    column: str
    message: str

    @property
    def location(self) -> str:
        if self.line <= 0:
            return _("Filen")
        if self.column:
            return _("Linje %(line)s, %(column)s") % {"line": self.line, "column": self.column}
        return _("Linje %(line)s") % {"line": self.line}

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ReadResult:
    records: list[ActivityRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def suggest_key(title: str) -> str:
    """A key for a Danish title, as the shipped keys are written (æ → ae, ø → oe, å → aa)."""
    text = title.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:KEY_MAX].rstrip("-") or "aktivitet"


def normalise(word: str) -> str:
    return re.sub(r"[\s\-_.()]+", "", word.strip().lower())


# --- Checking one activity's values ---------------------------------------------------------------------


Report = Callable[[str, str], None]  # (field name, message)


class _Check:
    """Typed checks of one activity's raw values; each problem is reported against its field."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def text(self, name: str, value: Any, *, required: bool = False, limit: int = SHORT_MAX) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(name, _("mangler; skriv en tekst."))
            return ""
        if not isinstance(value, str):
            self.report(name, _("skal være en tekst."))
            return ""
        text = value.strip()
        if "\x00" in text or _SURROGATE.search(text):
            self.report(name, _("indeholder et ugyldigt tegn (NUL eller en halv UTF-16-kode); fjern det."))
            return ""
        if len(text) > limit:
            self.report(
                name,
                _("er %(length)s tegn lang, men må højst være %(limit)s tegn. Forkort teksten.")
                % {"length": len(text), "limit": limit},
            )
        return text

    def choice(self, name: str, value: Any, words: dict[str, str], default: str, shown: Sequence[str]) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        found: str | None = words.get(normalise(value)) if isinstance(value, str) else None
        if found is None:
            self.report(
                name,
                _("»%(value)s« kendes ikke; skriv en af: %(choices)s.")
                % {"value": value, "choices": ", ".join(shown)},
            )
            return default
        return found

    def decimal(self, name: str, value: Any, *, required: bool, high: int) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(name, _("mangler; skriv et tal, fx 7,5."))
            return None
        if isinstance(value, bool):
            self.report(name, _("skal være et tal, fx 7,5."))
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            self.report(name, _("»%(value)s« er ikke et tal; skriv fx 7,5.") % {"value": value})
            return None
        if not number.is_finite() or number < 0 or number > high:
            self.report(name, _("skal være et tal fra 0 til %(high)s.") % {"high": high})
            return None
        if number != number.quantize(Decimal("0.1")):
            self.report(name, _("må højst have én decimal, fx 7,5."))
            return None
        return number.quantize(Decimal("0.1"))

    def whole(self, name: str, value: Any, *, high: int) -> int:
        if value is None or (isinstance(value, str) and not value.strip()):
            return 0
        text = str(value).strip().replace(".", "").replace(" ", "") if isinstance(value, str) else value
        if isinstance(text, bool) or not (
            isinstance(text, int) or (isinstance(text, str) and text.isdigit())
        ):
            self.report(name, _("skal være et helt antal kroner, fx 1500."))
            return 0
        number = int(text)
        if not 0 <= number <= high:
            self.report(name, _("skal være et helt tal fra 0 til %(high)s.") % {"high": high})
            return 0
        return number

    def url(self, name: str, value: Any) -> str:
        text = self.text(name, value, limit=URL_MAX)
        if text and not re.fullmatch(r"https?://[^\s]+", text):
            self.report(
                name, _("»%(value)s« er ikke en webadresse; den skal begynde med https://.") % {"value": text}
            )
            return ""
        return text

    def iri(self, name: str, value: Any) -> str:
        text = self.text(name, value, limit=URL_MAX)
        if text and not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s]+", text):
            self.report(
                name,
                _("»%(value)s« er ikke et IRI; skriv en adresse som https://…/kursus/42.") % {"value": text},
            )
            return ""
        return text


def check_record(
    raw: dict[str, Any],
    *,
    competences: Sequence[tuple[Any, Any, str]],
    codes: set[str],
    report: Report,
) -> ActivityRecord | None:
    """An activity from raw values, or None when a field is wrong (each problem reported).

    `competences` are (code, level, field name to report against) as read from the file.
    """
    problems: list[str] = []

    def note(name: str, message: str) -> None:
        problems.append(name)
        report(name, message)

    check = _Check(note)
    title = check.text("title_da", raw.get("title_da"), required=True, limit=TITLE_MAX)
    key = check.text("key", raw.get("key"), limit=KEY_MAX) or (suggest_key(title) if title else "")
    if key and not _KEY.fullmatch(key):
        note(
            "key",
            _("»%(value)s« må kun indeholde a-z, tal, bindestreg og understreg, fx »%(slug)s«.")
            % {"value": key, "slug": suggest_key(key)},
        )
    form = check.choice("format", raw.get("format"), FORMAT_WORDS, "", _format_names())
    if not raw.get("format"):
        note("format", _("mangler; skriv fx »e-læring«, »kursus« eller »sidemandsoplæring«."))
    duration = check.decimal("duration_hours", raw.get("duration_hours"), required=True, high=9999)
    ects = check.decimal("ects", raw.get("ects"), required=False, high=120)
    seen: dict[str, int] = {}
    for code, level, where in competences:
        code_text = str(code).strip() if code is not None else ""
        if not code_text:
            note(where, _("en kompetence mangler sin kode, fx »DS3:3«."))
            continue
        if code_text not in codes:
            note(
                where,
                _("»%(code)s« er ikke en kompetence i rammen; brug koder som %(examples)s.")
                % {"code": code_text, "examples": ", ".join(sorted(codes)[:4]) or "DS3"},
            )
            continue
        if isinstance(level, bool) or str(level).strip() not in {str(n) for n in LEVELS}:
            note(
                where,
                _("niveauet for %(code)s skal være 1, 2, 3 eller 4, fx »%(code)s:3«.") % {"code": code_text},
            )
            continue
        if code_text in seen:
            note(where, _("%(code)s står to gange; skriv hver kompetence én gang.") % {"code": code_text})
            continue
        seen[code_text] = int(str(level).strip())
    if not competences:
        note(
            "competences",
            _("mangler; skriv de kompetencer, aktiviteten udvikler, med niveau, fx »DS3:3; DS4:2«."),
        )
    record = ActivityRecord(
        key=key,
        title_da=title,
        title_en=check.text("title_en", raw.get("title_en"), limit=TITLE_MAX),
        description_da=check.text("description_da", raw.get("description_da"), limit=TEXT_MAX),
        description_en=check.text("description_en", raw.get("description_en"), limit=TEXT_MAX),
        format=form,
        duration_hours=duration or Decimal("0.0"),
        ects=ects,
        cost_dkk=check.whole("cost_dkk", raw.get("cost_dkk"), high=10_000_000),
        language=check.choice("language", raw.get("language"), LANGUAGE_WORDS, "da", ["dansk", "engelsk"]),
        delivery=check.choice(
            "delivery", raw.get("delivery"), DELIVERY_WORDS, "on_site", list(DELIVERY_NAMES.values())
        ),
        place=check.text("place", raw.get("place")),
        provider_name=check.text("provider_name", raw.get("provider_name")),
        url=check.url("url", raw.get("url")),
        signup_url=check.url("signup_url", raw.get("signup_url")),
        status=check.choice(
            "status", raw.get("status"), STATUS_WORDS, "published", list(STATUS_NAMES.values())
        ),
        xapi_id=check.iri("xapi_id", raw.get("xapi_id")),
        competences=tuple(sorted(seen.items())),
    )
    return None if problems else record


def _format_names() -> list[str]:
    return [
        "e-læring",
        "workshop",
        "sidemandsoplæring",
        "superbrugerforløb",
        "kursus",
        "amu",
        "diplommodul",
        "mikrolæring",
    ]


def _duplicate_keys(records: Iterable[tuple[ActivityRecord, Callable[[str], None]]]) -> None:
    seen: set[str] = set()
    for record, report in records:
        if record.key in seen:
            report(
                _("nøglen »%(key)s« bruges af en aktivitet tidligere i filen; giv hver aktivitet sin egen.")
                % {"key": record.key}
            )
        seen.add(record.key)


# --- CSV ---------------------------------------------------------------------------------------------------


# field → (the header written, other headers accepted)
CSV_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "key": ("nøgle", ("key", "id")),
    "title_da": ("titel", ("title", "titel (dansk)", "navn")),
    "title_en": ("titel (engelsk)", ("title (english)", "english title")),
    "format": ("form", ("format", "type")),
    "duration_hours": ("varighed (timer)", ("varighed", "timer", "duration", "duration hours", "hours")),
    "competences": ("kompetencer", ("competences", "kompetencer og niveauer")),
    "description_da": ("beskrivelse", ("description", "beskrivelse (dansk)")),
    "description_en": ("beskrivelse (engelsk)", ("description (english)",)),
    "ects": ("ects", ("ects-point",)),
    "cost_dkk": ("pris (kr.)", ("pris", "pris kr", "cost", "price")),
    "language": ("sprog", ("language",)),
    "delivery": ("sted", ("delivery", "fremmøde/online")),
    "place": ("adresse", ("by", "place", "address")),
    "provider_name": ("udbyder", ("provider",)),
    "url": ("link", ("url", "webadresse")),
    "signup_url": ("tilmeldingslink", ("tilmelding", "signup url", "sign-up url")),
    "status": ("status", ()),
    "xapi_id": ("xapi-id", ("xapi", "xapi activity id", "aktivitets-id")),
}
REQUIRED_COLUMNS = ("title_da", "format", "duration_hours", "competences")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decode(content: bytes) -> str | None:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return None


def _parse_competences(text: str) -> list[tuple[str, str]]:
    """ "DS3:3; DS4:2" → [("DS3", "3"), ("DS4", "2")] ("DS3=3" and commas work too)."""
    pairs = []
    for piece in re.split(r"[;,\n]", text):
        part = piece.strip()
        if not part:
            continue
        match = re.fullmatch(r"(.*?)\s*[:=]\s*(.*)", part)
        pairs.append((match.group(1), match.group(2)) if match else (part, ""))
    return pairs


def read_csv(content: bytes, *, codes: set[str]) -> ReadResult:
    result = ReadResult()
    if len(content) > MAX_BYTES:
        result.problems.append(
            Problem(
                0,
                "",
                _("Filen fylder mere end %(mb)s MB; del kataloget op i flere filer.")
                % {"mb": MAX_BYTES // 1024 // 1024},
            )
        )
        return result
    text = _decode(content)
    if text is None:
        result.problems.append(
            Problem(
                0,
                "",
                _(
                    "Filen kan ikke læses som tekst: den er hverken UTF-8 eller Windows-1252. "
                    "Gem den igen fra Excel "
                    "som »CSV UTF-8 (kommasepareret)«."
                ),
            )
        )
        return result
    lines = text.splitlines(keepends=True)
    first = 0
    delimiter = None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        first = 1
    body = "".join(lines[first:])
    if not body.strip():
        result.problems.append(
            Problem(0, "", _("Filen er tom; den skal have en overskriftslinje og en linje pr. aktivitet."))
        )
        return result
    header_line = body.splitlines()[0]
    if delimiter is None:
        counts = {d: header_line.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        result.problems.append(
            Problem(
                reader.line_num + first,
                "",
                _("Linjen kan ikke læses som CSV (%(detail)s).") % {"detail": error},
            )
        )
        return result
    header = rows[0]
    lookup = {
        normalise(name): key
        for key, (written, accepted) in CSV_COLUMNS.items()
        for name in (written, *accepted)
    }
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = lookup.get(normalise(name))
        label = _("kolonne %(letter)s (»%(name)s«)") % {"letter": _column_letter(index), "name": name.strip()}
        if key is None:
            if name.strip():
                result.warnings.append(Problem(first + 1, label, _("kolonnen kendes ikke og springes over.")))
            continue
        if key in columns:
            result.problems.append(Problem(first + 1, label, _("kolonnen står to gange; slet den ene.")))
            continue
        columns[key] = index
    missing = [CSV_COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        result.problems.append(
            Problem(
                first + 1,
                "",
                _("Overskriftslinjen mangler kolonnen/kolonnerne %(names)s.")
                % {"names": ", ".join(f"»{name}«" for name in missing)},
            )
        )
        return result
    data_rows = rows[1:]
    if len(data_rows) > MAX_ACTIVITIES:
        result.problems.append(
            Problem(
                0, "", _("Filen har mere end %(limit)s aktiviteter; del den op.") % {"limit": MAX_ACTIVITIES}
            )
        )
        return result
    # csv.reader does not tell where each row began (a quoted cell may span lines): count them.
    starts = _row_lines(body, delimiter)
    checked: list[tuple[ActivityRecord, Callable[[str], None]]] = []
    for number, row in enumerate(data_rows):
        line = first + starts[number + 1]
        if not any(cell.strip() for cell in row):
            continue
        raw = {key: (row[index] if index < len(row) else "") for key, index in columns.items()}

        def report(name: str, message: str, line: int = line) -> None:
            index = columns.get(name, columns["title_da"])
            label = _("kolonne %(letter)s (»%(name)s«)") % {
                "letter": _column_letter(index),
                "name": header[index].strip(),
            }
            result.problems.append(Problem(line, label, message))

        pairs = _parse_competences(raw.get("competences", ""))
        record = check_record(
            raw,
            competences=[(code, level, "competences") for code, level in pairs],
            codes=codes,
            report=report,
        )
        if record is not None:
            checked.append((record, functools.partial(report, "key")))
    _duplicate_keys(checked)
    if not checked and not result.problems:
        result.problems.append(Problem(0, "", _("Filen har en overskriftslinje, men ingen aktiviteter.")))
    if not result.problems:
        result.records = [record for record, _report in checked]
    return result


def _row_lines(body: str, delimiter: str) -> list[int]:
    """The physical line (1-based, within `body`) on which each CSV row starts."""
    starts = []
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    previous = 0
    for _row in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    return starts


def write_csv(records: Sequence[ActivityRecord]) -> bytes:
    """The activities as CSV with semicolons, UTF-8 with BOM (what Danish Excel opens directly)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([written for written, _accepted in CSV_COLUMNS.values()])
    for record in records:
        values = {
            "key": record.key,
            "title_da": record.title_da,
            "title_en": record.title_en,
            "format": record.format,
            "duration_hours": _number(record.duration_hours),
            "competences": "; ".join(f"{code}:{level}" for code, level in record.competences),
            "description_da": record.description_da,
            "description_en": record.description_en,
            "ects": _number(record.ects) if record.ects is not None else "",
            "cost_dkk": str(record.cost_dkk),
            "language": record.language,
            "delivery": record.delivery,
            "place": record.place,
            "provider_name": record.provider_name,
            "url": record.url,
            "signup_url": record.signup_url,
            "status": record.status,
            "xapi_id": record.xapi_id,
        }
        writer.writerow([_safe_cell(values[key]) for key in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _safe_cell(value: str) -> str:
    """Text Excel would run as a formula (=, +, -, @ first) is written with a leading space, so opening the
    export never runs anything; reading strips the space again."""
    return f" {value}" if value[:1] in {"=", "+", "-", "@"} else value


# --- JSON --------------------------------------------------------------------------------------------------


ACTIVITY_KEYS = {
    "key",
    "title",
    "description",
    "format",
    "duration_hours",
    "ects",
    "cost_dkk",
    "language",
    "delivery",
    "place",
    "provider_name",
    "url",
    "signup_url",
    "status",
    "xapi_id",
    "competences",
}
# A JSON field → the record field problems are reported against.
_JSON_PATH = {
    "title_da": "title.da",
    "title_en": "title.en",
    "description_da": "description.da",
    "description_en": "description.en",
}


def read_json(content: bytes, *, codes: set[str], framework_key: str) -> ReadResult:
    result = ReadResult()
    if len(content) > MAX_BYTES:
        result.problems.append(
            Problem(
                0,
                "",
                _("Filen fylder mere end %(mb)s MB; del kataloget op i flere filer.")
                % {"mb": MAX_BYTES // 1024 // 1024},
            )
        )
        return result
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problems.append(Problem(0, "", _("JSON-filen skal være UTF-8.")))
        return result
    try:
        parsed = parse(text)
    except JsonPositionError as error:
        result.problems.append(
            Problem(
                error.line,
                _("kolonne %(column)s") % {"column": error.column},
                _("Filen er ikke gyldig JSON: %(detail)s.") % {"detail": error.message},
            )
        )
        return result

    def at(path: str, message: str) -> None:
        line, column = parsed.where(path)
        result.problems.append(
            Problem(line, _("kolonne %(column)s (%(path)s)") % {"column": column, "path": path}, message)
        )

    document = parsed.value
    if not isinstance(document, dict):
        at(
            "$",
            _(
                "skal være et objekt med felterne »format«, »format_version«, »framework_key« "
                "og »activities«."
            ),
        )
        return result
    for key in document:
        if key not in {"format", "format_version", "framework_key", "activities"}:
            at(
                f"$.{key}",
                _("»%(key)s« er ikke et kendt felt; ret stavningen, eller fjern feltet.") % {"key": key},
            )
    if document.get("format") != FORMAT:
        at("$.format", _("skal være »%(format)s«.") % {"format": FORMAT})
    if document.get("format_version") != FORMAT_VERSION:
        at("$.format_version", _("skal være %(version)s.") % {"version": FORMAT_VERSION})
    if document.get("framework_key") not in (None, framework_key):
        at(
            "$.framework_key",
            _("filen er til rammen »%(theirs)s«, men kataloget bruger »%(ours)s«.")
            % {"theirs": document.get("framework_key"), "ours": framework_key},
        )
    activities = document.get("activities")
    if not isinstance(activities, list):
        at("$.activities", _("skal være en liste af aktiviteter ([...])."))
        return result
    if len(activities) > MAX_ACTIVITIES:
        at(
            "$.activities",
            _("Filen har mere end %(limit)s aktiviteter; del den op.") % {"limit": MAX_ACTIVITIES},
        )
        return result
    checked: list[tuple[ActivityRecord, Callable[[str], None]]] = []
    for index, item in enumerate(activities):
        path = f"$.activities[{index}]"
        if not isinstance(item, dict):
            at(path, _("skal være et objekt ({...}) med aktivitetens felter."))
            continue
        for key in item:
            if key not in ACTIVITY_KEYS:
                at(
                    f"{path}.{key}",
                    _("»%(key)s« er ikke et kendt felt (kendte felter: %(known)s).")
                    % {"key": key, "known": ", ".join(sorted(ACTIVITY_KEYS))},
                )
        raw = dict(item)
        for name in ("title", "description"):
            value = item.get(name)
            if isinstance(value, dict):
                for language in value:
                    if language not in {"da", "en"}:
                        at(f"{path}.{name}.{language}", _("kun »da« og »en« kendes."))
                raw[f"{name}_da"] = value.get("da")
                raw[f"{name}_en"] = value.get("en")
            elif value is not None:
                at(f"{path}.{name}", _('skal være et objekt med »da« (og gerne »en«), fx {"da": "…"}.'))
        competences: list[tuple[Any, Any, str]] = []
        listed = item.get("competences")
        if isinstance(listed, list):
            for number, entry in enumerate(listed):
                where = f"{path}.competences[{number}]"
                if not isinstance(entry, dict) or set(entry) - {"code", "level"}:
                    at(where, _('skal være et objekt med »code« og »level«, fx {"code": "DS3", "level": 3}.'))
                    continue
                competences.append((entry.get("code"), entry.get("level"), where))
        elif listed is not None:
            at(f"{path}.competences", _('skal være en liste, fx [{"code": "DS3", "level": 3}].'))

        def report(name: str, message: str, path: str = path) -> None:
            if name.startswith("$"):
                at(name, message)
            else:
                at(f"{path}.{_JSON_PATH.get(name, name)}", message)

        record = check_record(raw, competences=competences, codes=codes, report=report)
        if record is not None:
            checked.append((record, functools.partial(report, "key")))
    _duplicate_keys(checked)
    if not activities:
        at("$.activities", _("listen er tom; der er ingen aktiviteter at indlæse."))
    if not result.problems:
        result.records = [record for record, _report in checked]
    return result


def as_json_data(record: ActivityRecord) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": record.key,
        "title": {"da": record.title_da, **({"en": record.title_en} if record.title_en else {})},
        "format": record.format,
        "duration_hours": float(record.duration_hours),
        "competences": [{"code": code, "level": level} for code, level in record.competences],
        "cost_dkk": record.cost_dkk,
        "language": record.language,
        "delivery": record.delivery,
        "status": record.status,
    }
    if record.description_da or record.description_en:
        data["description"] = {
            "da": record.description_da,
            **({"en": record.description_en} if record.description_en else {}),
        }
    if record.ects is not None:
        data["ects"] = float(record.ects)
    for name in ("place", "provider_name", "url", "signup_url", "xapi_id"):
        value = getattr(record, name)
        if value:
            data[name] = value
    return data


def write_json(records: Sequence[ActivityRecord], *, framework_key: str) -> bytes:
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "framework_key": framework_key,
        "activities": [as_json_data(record) for record in records],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
