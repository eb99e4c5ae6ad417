"""Writing the fagdigital framework JSON format: everything in `FrameworkData`, Danish and English."""

from __future__ import annotations

import json
from typing import Any

from .interchange import CompetenceData, FrameworkData, LevelData, Text
from .json_document import FORMAT, FORMAT_VERSION


def _text(text: Text) -> dict[str, str]:
    return {"da": text.da, "en": text.en}


def _level_json(level: LevelData) -> dict[str, Any]:
    result: dict[str, Any] = {
        "number": level.number,
        "name": _text(level.name),
        "digcomp_levels": list(level.digcomp_levels),
    }
    if level.moodle_values:
        result["moodle_values"] = list(level.moodle_values)
    return result


def _competence_json(item: CompetenceData) -> dict[str, Any]:
    result: dict[str, Any] = {
        "code": item.code,
        "name": _text(item.name),
        "description": _text(item.description),
        "kind": item.kind,
        "digcomp": list(item.digcomp),
        "kl_wheel": list(item.kl_wheel),
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
            "levels": [_level_json(level) for level in data.levels],
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
