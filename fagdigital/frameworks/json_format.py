"""The fagdigital framework JSON format (docs/framework-format.md, schema in schema/framework.schema.json).

Reading validates everything and names each problem by its JSON path (e.g. `$.areas[2].competences[0].code`);
it returns either data or problems, never half a framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class JsonProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class _Reader:
    def __init__(self) -> None:
        self.problems: list[JsonProblem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(JsonProblem(path, message))

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, _("skal være et objekt ({...})."))
            return {}
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, _("skal være en liste ([...])."))
            return []
        return value

    def string(self, parent: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = parent.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{path}.{key}", _("mangler; skriv en tekst."))
            return ""
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", _("skal være en tekst i anførselstegn."))
            return ""
        return value

    def integer(self, parent: dict[str, Any], key: str, path: str, low: int, high: int) -> int:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                f"{path}.{key}", _("skal være et helt tal fra %(low)s til %(high)s.") % {"low": low, "high": high}
            )
            return low
        return value

    def text(self, parent: dict[str, Any], key: str, path: str, *, required: bool = True) -> Text:
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(f"{path}.{key}", _("mangler; skriv {\"da\": \"...\", \"en\": \"...\"}."))
            return Text("")
        if isinstance(value, str):
            return Text(value)
        texts = self.obj(value, f"{path}.{key}")
        da = self.string(texts, "da", f"{path}.{key}", required=required)
        en = self.string(texts, "en", f"{path}.{key}", required=False)
        return Text(da, en)

    def strings(self, parent: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        items = self.array(parent.get(key), f"{path}.{key}")
        result = []
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.problem(f"{path}.{key}[{index}]", _("skal være en tekst."))
            else:
                result.append(item)
        return tuple(result)


def read_framework_json(raw: bytes) -> tuple[FrameworkData | None, list[JsonProblem]]:
    """Parse and validate a framework JSON file. Returns (data, []) or (None, problems)."""
    reader = _Reader()
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [JsonProblem("$", _("Filen er ikke gemt som UTF-8. Gem den igen som UTF-8."))]
    except json.JSONDecodeError as error:
        return None, [
            JsonProblem(
                "$",
                _("Ikke gyldig JSON i linje %(line)s, kolonne %(column)s: %(message)s")
                % {"line": error.lineno, "column": error.colno, "message": error.msg},
            )
        ]
    root = reader.obj(document, "$")
    if root.get("format") != FORMAT:
        reader.problem("$.format", _("skal være \"%(format)s\".") % {"format": FORMAT})
    if root.get("format_version") != FORMAT_VERSION:
        reader.problem("$.format_version", _("skal være %(version)s.") % {"version": FORMAT_VERSION})
    data = _read_document(reader, root)
    if reader.problems:
        return None, reader.problems
    return data, []


def _read_document(reader: _Reader, root: dict[str, Any]) -> FrameworkData:
    meta = reader.obj(root.get("framework"), "$.framework")
    key = reader.string(meta, "key", "$.framework")
    levels = []
    for index, item in enumerate(reader.array(meta.get("levels"), "$.framework.levels")):
        path = f"$.framework.levels[{index}]"
        level = reader.obj(item, path)
        levels.append(
            LevelData(
                number=reader.integer(level, "number", path, 1, LEVEL_COUNT),
                name=reader.text(level, "name", path),
                digcomp_levels=tuple(
                    n for n in reader.array(level.get("digcomp_levels"), f"{path}.digcomp_levels") if isinstance(n, int)
                ),
            )
        )
    if levels and sorted(level.number for level in levels) != list(range(1, LEVEL_COUNT + 1)):
        reader.problem("$.framework.levels", _("skal have præcis ét niveau for hvert tal fra 1 til 4."))

    codes: dict[str, str] = {}

    def competence(item: Any, path: str) -> CompetenceData:
        obj = reader.obj(item, path)
        code = reader.string(obj, "code", path)
        if code in codes:
            reader.problem(f"{path}.code", _("»%(code)s« bruges også i %(other)s.") % {"code": code, "other": codes[code]})
        codes[code] = f"{path}.code"
        kind = obj.get("kind", CompetenceKind.INTEGRATED)
        if kind not in CompetenceKind.values:
            reader.problem(f"{path}.kind", _("skal være en af: %(values)s.") % {"values": ", ".join(CompetenceKind.values)})
        descriptors = []
        seen_levels: set[int] = set()
        for index, entry in enumerate(reader.array(obj.get("descriptors"), f"{path}.descriptors")):
            entry_path = f"{path}.descriptors[{index}]"
            descriptor = reader.obj(entry, entry_path)
            number = reader.integer(descriptor, "level", entry_path, 1, LEVEL_COUNT)
            if number in seen_levels:
                reader.problem(f"{entry_path}.level", _("niveau %(level)s er beskrevet to gange.") % {"level": number})
            seen_levels.add(number)
            descriptors.append(DescriptorData(number, reader.text(descriptor, "text", entry_path)))
        return CompetenceData(
            code=code,
            name=reader.text(obj, "name", path),
            description=reader.text(obj, "description", path, required=False),
            kind=str(kind),
            digcomp=reader.strings(obj, "digcomp", path),
            it_system_categories=reader.strings(obj, "it_system_categories", path),
            descriptors=tuple(sorted(descriptors, key=lambda d: d.level)),
            children=tuple(
                competence(child, f"{path}.children[{i}]")
                for i, child in enumerate(reader.array(obj.get("children"), f"{path}.children"))
            ),
            related=reader.strings(obj, "related", path),
        )

    areas = []
    area_codes: set[str] = set()
    for index, item in enumerate(reader.array(root.get("areas"), "$.areas")):
        path = f"$.areas[{index}]"
        obj = reader.obj(item, path)
        code = reader.string(obj, "code", path)
        if code in area_codes:
            reader.problem(f"{path}.code", _("fokusområdet »%(code)s« findes to gange.") % {"code": code})
        area_codes.add(code)
        areas.append(
            AreaData(
                code=code,
                name=reader.text(obj, "name", path),
                description=reader.text(obj, "description", path, required=False),
                competences=tuple(
                    competence(c, f"{path}.competences[{i}]")
                    for i, c in enumerate(reader.array(obj.get("competences"), f"{path}.competences"))
                ),
            )
        )

    for area in areas:
        for item in _walk(area.competences):
            for related in item.related:
                if related not in codes:
                    reader.problem(codes[item.code].removesuffix(".code") + ".related",
                                   _("kompetencen »%(code)s« findes ikke i rammen.") % {"code": related})  # fmt: skip

    it_systems = []
    for index, item in enumerate(reader.array(root.get("it_systems"), "$.it_systems")):
        path = f"$.it_systems[{index}]"
        obj = reader.obj(item, path)
        it_systems.append(
            ITSystemData(
                code=reader.string(obj, "code", path),
                category=reader.string(obj, "category", path),
                name=reader.text(obj, "name", path),
                vendor=reader.string(obj, "vendor", path, required=False),
                job_functions=reader.strings(obj, "job_functions", path),
            )
        )

    role_profiles = []
    role_codes: set[str] = set()
    for index, item in enumerate(reader.array(root.get("role_profiles"), "$.role_profiles")):
        path = f"$.role_profiles[{index}]"
        obj = reader.obj(item, path)
        code = reader.string(obj, "code", path)
        if code in role_codes:
            reader.problem(f"{path}.code", _("rolleprofilen »%(code)s« findes to gange.") % {"code": code})
        role_codes.add(code)
        targets = []
        seen: set[str] = set()
        for target_index, entry in enumerate(reader.array(obj.get("targets"), f"{path}.targets")):
            target_path = f"{path}.targets[{target_index}]"
            target = reader.obj(entry, target_path)
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
                name=reader.text(obj, "name", path),
                description=reader.text(obj, "description", path, required=False),
                job_function_names=reader.strings(obj, "job_function_names", path),
                targets=tuple(targets),
            )
        )

    return FrameworkData(
        key=key,
        name=reader.text(meta, "name", "$.framework"),
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
                    {"competence": t.competence, "level": t.level, "criticality": t.criticality} for t in role.targets
                ],
            }
            for role in data.role_profiles
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
