"""The fagdigital framework JSON format (docs/framework-format.md, schema in schema/framework.schema.json).

Reading validates everything and names each problem by its JSON path (e.g. `$.areas[2].competences[0].code`);
it returns either data or problems, never half a framework. Unknown keys are reported, not ignored, so a
misspelt field never silently disappears.

The module also holds what both file formats share: the limits of the database fields, the DigComp 2.2
references, and the dispatch from a format name (`json`, `moodle-csv`) to its reader and writer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .digcomp import DIGCOMP_COMPETENCES, DIGCOMP_LEVEL_MAX
from .interchange import (
    AreaData,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    ITSystemData,
    LevelData,
    RoleProfileData,
    TargetData,
    Text,
)
from .models import LEVEL_COUNT, CompetenceKind, Criticality

FORMAT = "fagdigital-framework"
FORMAT_VERSION = 1

# The database's limits (models.py), checked before writing, so a long text is a problem, not a crash.
KEY_MAX = 100
NAME_MAX = 200
COMPETENCE_NAME_MAX = 300
AREA_CODE_MAX = 50
COMPETENCE_CODE_MAX = 100
SLUG_MAX = 100
VENDOR_MAX = 200
# Competences may be nested this deep below their area (Moodle frameworks are trees; this keeps them sane).
MAX_DEPTH = 20
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Problem(Protocol):
    """What every reader reports: where (a JSON path or a file line) and what is wrong, in Danish."""

    @property
    def location(self) -> str: ...

    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class JsonProblem:
    path: str
    message: str

    @property
    def location(self) -> str:
        return self.path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class ReadResult:
    """A parsed file: `data` is None exactly when there are problems. Warnings never block an import."""

    data: FrameworkData | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def is_slug(value: str) -> bool:
    return bool(_SLUG.fullmatch(value))


def suggest_slug(value: str) -> str:
    """A slug for a Danish name, the way the shipped keys are written (æ → ae, ø → oe, å → aa)."""
    danish = value.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return slugify(danish)


def slug_message(value: str) -> str:
    suggestion = suggest_slug(value)
    if suggestion:
        return _(
            "»%(value)s« må kun indeholde bogstaverne a-z, tal, bindestreg og understreg, fx »%(slug)s«."
        ) % {
            "value": value,
            "slug": suggestion,
        }
    return _("»%(value)s« må kun indeholde bogstaverne a-z, tal, bindestreg og understreg.") % {
        "value": value
    }


def too_long_message(limit: int, length: int) -> str:
    return _("er %(length)s tegn lang, men må højst være %(limit)s tegn. Forkort teksten.") % {
        "length": length,
        "limit": limit,
    }


def digcomp_message(value: str) -> str:
    return _(
        "»%(value)s« er ikke en DigComp 2.2-kompetence; "
        "brug en af 1.1-1.3, 2.1-2.6, 3.1-3.4, 4.1-4.4, 5.1-5.4."
    ) % {"value": value}


class _Reader:
    def __init__(self) -> None:
        self.problems: list[JsonProblem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(JsonProblem(path, message))

    def obj(self, value: Any, path: str, allowed: Iterable[str] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, _("skal være et objekt ({...})."))
            return {}
        allowed = set(allowed)
        if allowed:
            for key, item in value.items():
                if item is None and key in allowed:
                    self.problem(
                        f"{path}.{key}", _("må ikke være null; udelad feltet, eller skriv en værdi.")
                    )
                elif key not in allowed:
                    self.problem(
                        f"{path}.{key}",
                        _(
                            "»%(key)s« er ikke et kendt felt. Ret stavningen, eller fjern feltet "
                            "(kendte felter: %(known)s)."
                        )
                        % {"key": key, "known": ", ".join(sorted(allowed))},
                    )
        return value

    def characters(self, value: str, path: str) -> None:
        """NUL and lone surrogates cannot be stored (PostgreSQL refuses them), so they are problems here."""
        if "\x00" in value or _SURROGATE.search(value):
            self.problem(path, _("indeholder et ugyldigt tegn (NUL eller en halv UTF-16-kode); fjern det."))

    def array(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, _("skal være en liste ([...])."))
            return []
        return value

    def string(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = True,
        max_length: int | None = None,
    ) -> str:
        value = parent.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{path}.{key}", _("mangler; skriv en tekst."))
            return ""
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", _("skal være en tekst i anførselstegn."))
            return ""
        self.characters(value, f"{path}.{key}")
        if max_length is not None and len(value) > max_length:
            self.problem(f"{path}.{key}", too_long_message(max_length, len(value)))
        return value

    def slug(self, parent: dict[str, Any], key: str, path: str, *, max_length: int = SLUG_MAX) -> str:
        value = self.string(parent, key, path, max_length=max_length)
        if value and not is_slug(value):
            self.problem(f"{path}.{key}", slug_message(value))
        return value

    def integer(self, parent: dict[str, Any], key: str, path: str, low: int, high: int) -> int:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                f"{path}.{key}",
                _("skal være et helt tal fra %(low)s til %(high)s.") % {"low": low, "high": high},
            )
            return low
        return value

    def text(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = True,
        max_length: int | None = None,
    ) -> Text:
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(f"{path}.{key}", _('mangler; skriv {"da": "...", "en": "..."}.'))
            return Text("")
        if isinstance(value, str):
            self.characters(value, f"{path}.{key}")
            if required and not value:
                self.problem(f"{path}.{key}", _("mangler; skriv en tekst."))
            if max_length is not None and len(value) > max_length:
                self.problem(f"{path}.{key}", too_long_message(max_length, len(value)))
            return Text(value)
        texts = self.obj(value, f"{path}.{key}", ("da", "en"))
        da = self.string(texts, "da", f"{path}.{key}", required=required, max_length=max_length)
        en = self.string(texts, "en", f"{path}.{key}", required=False, max_length=max_length)
        return Text(da, en)

    def strings(self, parent: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        items = self.array(parent.get(key), f"{path}.{key}")
        result = []
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.problem(f"{path}.{key}[{index}]", _("skal være en tekst."))
            else:
                self.characters(item, f"{path}.{key}[{index}]")
                result.append(item)
        return tuple(result)

    def checked_strings(
        self, parent: dict[str, Any], key: str, path: str, check: Callable[[str], str | None]
    ) -> tuple[str, ...]:
        values = self.strings(parent, key, path)
        for index, value in enumerate(values):
            message = check(value)
            if message:
                self.problem(f"{path}.{key}[{index}]", message)
        return values


def _check_digcomp(value: str) -> str | None:
    return None if value in DIGCOMP_COMPETENCES else digcomp_message(value)


def _check_slug(value: str) -> str | None:
    return None if is_slug(value) and len(value) <= SLUG_MAX else slug_message(value)


def read_framework_json(raw: bytes) -> tuple[FrameworkData | None, list[JsonProblem]]:
    """Parse and validate a framework JSON file. Returns (data, []) or (None, problems)."""
    reader = _Reader()
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            JsonProblem(
                "$",
                _(
                    "Filen er ikke gemt som UTF-8 (første fejl i linje %(line)s). Gem den igen med "
                    "tegnsættet UTF-8."
                )
                % {"line": line},
            )
        ]
    except json.JSONDecodeError as error:
        return None, [
            JsonProblem(
                "$",
                _("Ikke gyldig JSON i linje %(line)s, kolonne %(column)s: %(message)s")
                % {"line": error.lineno, "column": error.colno, "message": error.msg},
            )
        ]
    except (ValueError, RecursionError):  # thousands of nested lists, or a number with thousands of digits
        return None, [
            JsonProblem(
                "$",
                _("Filen kan ikke læses: den er indlejret for dybt eller har et tal med for mange cifre."),
            )
        ]
    root = reader.obj(
        document,
        "$",
        ("$schema", "format", "format_version", "framework", "areas", "it_systems", "role_profiles"),
    )
    if root.get("format") != FORMAT:
        reader.problem("$.format", _('skal være "%(format)s".') % {"format": FORMAT})
    if root.get("format_version") != FORMAT_VERSION:
        reader.problem("$.format_version", _("skal være %(version)s.") % {"version": FORMAT_VERSION})
    data = _read_document(reader, root)
    if reader.problems:
        return None, reader.problems
    return data, []


def _read_document(reader: _Reader, root: dict[str, Any]) -> FrameworkData:
    meta = reader.obj(
        root.get("framework"), "$.framework", ("key", "version", "name", "description", "levels")
    )
    key = reader.slug(meta, "key", "$.framework", max_length=KEY_MAX)
    version = 1
    if "version" in meta:
        version = reader.integer(meta, "version", "$.framework", 1, 1_000_000)
    levels = []
    for index, item in enumerate(reader.array(meta.get("levels"), "$.framework.levels")):
        path = f"$.framework.levels[{index}]"
        level = reader.obj(item, path, ("number", "name", "digcomp_levels"))
        digcomp_levels = []
        for n_index, number in enumerate(reader.array(level.get("digcomp_levels"), f"{path}.digcomp_levels")):
            if (
                isinstance(number, bool)
                or not isinstance(number, int)
                or not 1 <= number <= DIGCOMP_LEVEL_MAX
            ):
                reader.problem(
                    f"{path}.digcomp_levels[{n_index}]",
                    _("skal være et helt tal fra 1 til %(high)s (DigComps niveauer).")
                    % {"high": DIGCOMP_LEVEL_MAX},
                )
            else:
                digcomp_levels.append(number)
        levels.append(
            LevelData(
                number=reader.integer(level, "number", path, 1, LEVEL_COUNT),
                name=reader.text(level, "name", path),
                digcomp_levels=tuple(digcomp_levels),
            )
        )
    if levels and sorted(level.number for level in levels) != list(range(1, LEVEL_COUNT + 1)):
        reader.problem("$.framework.levels", _("skal have præcis ét niveau for hvert tal fra 1 til 4."))

    codes: dict[str, str] = {}

    def competence(item: Any, path: str, depth: int) -> CompetenceData:
        obj = reader.obj(
            item,
            path,
            (
                "code",
                "name",
                "description",
                "kind",
                "digcomp",
                "it_system_categories",
                "descriptors",
                "children",
                "related",
            ),
        )
        code = reader.string(obj, "code", path, max_length=COMPETENCE_CODE_MAX)
        if code in codes:
            reader.problem(
                f"{path}.code",
                _("»%(code)s« bruges også i %(other)s.") % {"code": code, "other": codes[code]},
            )
        elif code:
            codes[code] = f"{path}.code"
        kind = obj.get("kind", CompetenceKind.INTEGRATED)
        if kind not in CompetenceKind.values:
            reader.problem(
                f"{path}.kind",
                _("skal være en af: %(values)s.") % {"values": ", ".join(CompetenceKind.values)},
            )
        descriptors = []
        seen_levels: set[int] = set()
        for index, entry in enumerate(reader.array(obj.get("descriptors"), f"{path}.descriptors")):
            entry_path = f"{path}.descriptors[{index}]"
            descriptor = reader.obj(entry, entry_path, ("level", "text"))
            number = reader.integer(descriptor, "level", entry_path, 1, LEVEL_COUNT)
            if number in seen_levels:
                reader.problem(
                    f"{entry_path}.level", _("niveau %(level)s er beskrevet to gange.") % {"level": number}
                )
            seen_levels.add(number)
            descriptors.append(DescriptorData(number, reader.text(descriptor, "text", entry_path)))
        children = reader.array(obj.get("children"), f"{path}.children")
        if children and depth >= MAX_DEPTH:
            reader.problem(
                f"{path}.children",
                _("kompetencer kan højst ligge %(depth)s niveauer under fokusområdet.")
                % {"depth": MAX_DEPTH},
            )
            children = []
        related = reader.strings(obj, "related", path)
        if len(set(related)) != len(related):
            reader.problem(f"{path}.related", _("nævner den samme kompetence flere gange."))
        if code and code in related:
            reader.problem(f"{path}.related", _("en kompetence kan ikke være relateret til sig selv."))
        return CompetenceData(
            code=code,
            name=reader.text(obj, "name", path, max_length=COMPETENCE_NAME_MAX),
            description=reader.text(obj, "description", path, required=False),
            kind=str(kind),
            digcomp=reader.checked_strings(obj, "digcomp", path, _check_digcomp),
            it_system_categories=reader.checked_strings(obj, "it_system_categories", path, _check_slug),
            descriptors=tuple(sorted(descriptors, key=lambda d: d.level)),
            children=tuple(
                competence(child, f"{path}.children[{i}]", depth + 1) for i, child in enumerate(children)
            ),
            related=related,
        )

    areas = []
    area_codes: set[str] = set()
    for index, item in enumerate(reader.array(root.get("areas"), "$.areas")):
        path = f"$.areas[{index}]"
        obj = reader.obj(item, path, ("code", "name", "description", "competences"))
        code = reader.string(obj, "code", path, max_length=AREA_CODE_MAX)
        if code in area_codes:
            reader.problem(f"{path}.code", _("fokusområdet »%(code)s« findes to gange.") % {"code": code})
        area_codes.add(code)
        areas.append(
            AreaData(
                code=code,
                name=reader.text(obj, "name", path, max_length=NAME_MAX),
                description=reader.text(obj, "description", path, required=False),
                competences=tuple(
                    competence(c, f"{path}.competences[{i}]", 1)
                    for i, c in enumerate(reader.array(obj.get("competences"), f"{path}.competences"))
                ),
            )
        )

    for area in areas:
        for item in _walk(area.competences):
            if item.code not in codes:
                continue
            for related in item.related:
                if related not in codes:
                    reader.problem(
                        codes[item.code].removesuffix(".code") + ".related",
                        _("kompetencen »%(code)s« findes ikke i rammen.") % {"code": related},
                    )

    it_systems = []
    system_codes: set[str] = set()
    for index, item in enumerate(reader.array(root.get("it_systems"), "$.it_systems")):
        path = f"$.it_systems[{index}]"
        obj = reader.obj(item, path, ("code", "category", "name", "vendor", "job_functions"))
        code = reader.slug(obj, "code", path)
        if code in system_codes:
            reader.problem(f"{path}.code", _("it-systemet »%(code)s« findes to gange.") % {"code": code})
        system_codes.add(code)
        it_systems.append(
            ITSystemData(
                code=code,
                category=reader.slug(obj, "category", path),
                name=reader.text(obj, "name", path, max_length=NAME_MAX),
                vendor=reader.string(obj, "vendor", path, required=False, max_length=VENDOR_MAX),
                job_functions=reader.strings(obj, "job_functions", path),
            )
        )

    role_profiles = []
    role_codes: set[str] = set()
    for index, item in enumerate(reader.array(root.get("role_profiles"), "$.role_profiles")):
        path = f"$.role_profiles[{index}]"
        obj = reader.obj(item, path, ("code", "name", "description", "job_function_names", "targets"))
        code = reader.slug(obj, "code", path)
        if code in role_codes:
            reader.problem(f"{path}.code", _("rolleprofilen »%(code)s« findes to gange.") % {"code": code})
        role_codes.add(code)
        targets = []
        seen: set[str] = set()
        for target_index, entry in enumerate(reader.array(obj.get("targets"), f"{path}.targets")):
            target_path = f"{path}.targets[{target_index}]"
            target = reader.obj(entry, target_path, ("competence", "level", "criticality"))
            competence_code = reader.string(target, "competence", target_path)
            if competence_code and competence_code not in codes:
                reader.problem(
                    f"{target_path}.competence",
                    _("kompetencen »%(code)s« findes ikke i rammen.") % {"code": competence_code},
                )
            if competence_code in seen:
                reader.problem(
                    f"{target_path}.competence",
                    _("rolleprofilen har allerede et mål for »%(code)s«.") % {"code": competence_code},
                )
            seen.add(competence_code)
            criticality = target.get("criticality")
            if criticality not in Criticality.values:
                reader.problem(
                    f"{target_path}.criticality",
                    _("skal være en af: %(values)s.") % {"values": ", ".join(Criticality.values)},
                )
            targets.append(
                TargetData(
                    competence=competence_code,
                    level=reader.integer(target, "level", target_path, 1, LEVEL_COUNT),
                    criticality=str(criticality),
                )
            )
        role_profiles.append(
            RoleProfileData(
                code=code,
                name=reader.text(obj, "name", path, max_length=NAME_MAX),
                description=reader.text(obj, "description", path, required=False),
                job_function_names=reader.strings(obj, "job_function_names", path),
                targets=tuple(targets),
            )
        )

    return FrameworkData(
        key=key,
        version=version,
        name=reader.text(meta, "name", "$.framework", max_length=NAME_MAX),
        description=reader.text(meta, "description", "$.framework", required=False),
        levels=tuple(sorted(levels, key=lambda lv: lv.number)),
        areas=tuple(areas),
        it_systems=tuple(it_systems),
        role_profiles=tuple(role_profiles),
    )


def _walk(items: tuple[CompetenceData, ...]) -> list[CompetenceData]:
    found: list[CompetenceData] = []
    for item in items:
        found.append(item)
        found += _walk(item.children)
    return found


def _text(text: Text) -> dict[str, str]:
    return {"da": text.da, "en": text.en}


def _competence_json(item: CompetenceData) -> dict[str, Any]:
    result: dict[str, Any] = {
        "code": item.code,
        "name": _text(item.name),
        "description": _text(item.description),
        "kind": item.kind,
        "digcomp": list(item.digcomp),
        "it_system_categories": list(item.it_system_categories),
        "descriptors": [{"level": d.level, "text": _text(d.text)} for d in item.descriptors],
    }
    if item.children:
        result["children"] = [_competence_json(child) for child in item.children]
    if item.related:
        result["related"] = list(item.related)
    return result


def write_framework_json(data: FrameworkData) -> bytes:
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "framework": {
            "key": data.key,
            "version": data.version,
            "name": _text(data.name),
            "description": _text(data.description),
            "levels": [
                {"number": lv.number, "name": _text(lv.name), "digcomp_levels": list(lv.digcomp_levels)}
                for lv in data.levels
            ],
        },
        "it_systems": [
            {
                "code": s.code,
                "category": s.category,
                "name": _text(s.name),
                "vendor": s.vendor,
                "job_functions": list(s.job_functions),
            }
            for s in data.it_systems
        ],
        "areas": [
            {
                "code": area.code,
                "name": _text(area.name),
                "description": _text(area.description),
                "competences": [_competence_json(c) for c in area.competences],
            }
            for area in data.areas
        ],
        "role_profiles": [
            {
                "code": role.code,
                "name": _text(role.name),
                "description": _text(role.description),
                "job_function_names": list(role.job_function_names),
                "targets": [
                    {"competence": t.competence, "level": t.level, "criticality": t.criticality}
                    for t in role.targets
                ],
            }
            for role in data.role_profiles
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


# --- The file formats, by the names the UI and the commands use ------------------------------------------

JSON = "json"
MOODLE_CSV = "moodle-csv"
FILE_FORMATS = (JSON, MOODLE_CSV)
FILE_EXTENSIONS = {JSON: "json", MOODLE_CSV: "csv"}
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", MOODLE_CSV: "text/csv; charset=utf-8"}


def read_framework_file(raw: bytes, file_format: str) -> ReadResult:
    """Read a framework file in either format. Unknown formats raise ValueError (a programming error)."""
    if file_format == JSON:
        data, problems = read_framework_json(raw)
        return ReadResult(data, list(problems))
    if file_format == MOODLE_CSV:
        from .moodle_csv import read_moodle_csv  # noqa: PLC0415 (moodle_csv imports this module)

        return read_moodle_csv(raw)
    raise ValueError(f"unknown framework file format {file_format!r}")


def export_problems(data: FrameworkData, file_format: str) -> list[str]:
    """Why `data` cannot be written in `file_format` (empty when it can)."""
    if file_format == MOODLE_CSV:
        from .moodle_csv import moodle_export_problems  # noqa: PLC0415

        return moodle_export_problems(data)
    if file_format == JSON:
        return []
    raise ValueError(f"unknown framework file format {file_format!r}")


def write_framework_file(data: FrameworkData, file_format: str) -> bytes:
    if file_format == JSON:
        return write_framework_json(data)
    if file_format == MOODLE_CSV:
        from .moodle_csv import write_moodle_csv  # noqa: PLC0415

        return write_moodle_csv(data)
    raise ValueError(f"unknown framework file format {file_format!r}")


def export_filename(data: FrameworkData, file_format: str) -> str:
    """`<key>-v<version>.json` or `.csv`."""
    return f"{data.key}-v{data.version}.{FILE_EXTENSIONS[file_format]}"
