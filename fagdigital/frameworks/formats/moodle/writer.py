"""Writing a framework as a Moodle competency framework CSV, which Moodle imports and fagdigital reads back
exactly.

- the framework row → ID number (the key), short name, description and the scale (scale.py);
- focus areas → top-level competencies; competences → competencies below them, their trees kept;
- related competences → Cross-referenced competency ID numbers (a comma in an ID number as `%2C`);
- level descriptors → a definition list (`<dl class="fagdigital-niveauer">`) after the description, so Moodle
  users see them and they survive Moodle's editor;
- what Moodle has no place for → fagdigital's metadata in Rule config (metadata.py);
- no cell starts like a spreadsheet formula (spreadsheet.py).

Role profiles and IT systems cannot be represented and are left out (`moodle_export_omissions` says so).
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from fagdigital.frameworks.formats.interchange import (
    DEFAULT_LEVELS,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    LevelData,
    Text,
)
from fagdigital.frameworks.formats.limits import MOODLE_NAME_MAX
from fagdigital.frameworks.formats.spreadsheet import neutralise, neutralise_html
from fagdigital.frameworks.models import LEVEL_COUNT

from .columns import COLUMNS, FORMAT_HTML, HEADER, HTML_COLUMNS
from .html_text import name_to_moodle, text_to_html
from .metadata import metadata_json
from .scale import export_scale, scale_value


class MoodleExportError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


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
    if not any(level.moodle_values for level in levels):
        for level in levels:
            if not scale_value(level.name.da):
                problems.append(
                    _(
                        "Niveau %(number)s har intet dansk navn, så det kan ikke blive en værdi i Moodles "
                        "skala."
                    )
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


def _english(name: str, description: str) -> dict[str, Any]:
    result = {}
    if name:
        result["name_en"] = name
    if description:
        result["description_en"] = description
    return result


def _level_metadata(level: LevelData) -> dict[str, Any]:
    result: dict[str, Any] = {
        "number": level.number,
        "name": {"da": level.name.da, "en": level.name.en},
        "digcomp_levels": list(level.digcomp_levels),
    }
    if level.moodle_values:
        result["moodle_values"] = list(level.moodle_values)
    return result


def _framework_row(data: FrameworkData, levels: list[LevelData]) -> list[str]:
    depth = 1 + max((_depth(area.competences) for area in data.areas), default=0)
    scale, scale_configuration = export_scale(levels)
    meta: dict[str, Any] = {"version": data.version, **_english(data.name.en, data.description.en)}
    meta["levels"] = [_level_metadata(level) for level in levels]
    return [
        "",
        data.key,
        name_to_moodle(data.name.da),
        _description_html(data.description.da, (), {}),
        FORMAT_HTML,
        ",".join(scale),
        scale_configuration,
        "",
        "",
        metadata_json(meta),
        "",
        "",
        "1",
        ",".join(["domain", *(["competency"] * (depth - 1))]),
    ]


def _item_row(
    *, parent: str, code: str, name: str, description: str, meta: dict[str, Any], related: str
) -> list[str]:
    return [
        parent,
        code,
        name,
        description,
        FORMAT_HTML,
        "",
        "",
        "",
        "0",
        metadata_json(meta),
        related,
        "",
        "",
        "",
    ]


def _competence_rows(
    items: tuple[CompetenceData, ...], parent: str, level_names: dict[int, str]
) -> list[list[str]]:
    rows = []
    for item in items:
        meta: dict[str, Any] = {**_english(item.name.en, item.description.en), "kind": item.kind}
        if item.digcomp:
            meta["digcomp"] = list(item.digcomp)
        if item.kl_wheel:
            meta["kl_wheel"] = list(item.kl_wheel)
        if item.it_system_categories:
            meta["it_system_categories"] = list(item.it_system_categories)
        english_descriptors = {str(d.level): d.text.en for d in item.descriptors if d.text.en}
        if english_descriptors:
            meta["descriptors_en"] = english_descriptors
        rows.append(
            _item_row(
                parent=parent,
                code=item.code,
                name=name_to_moodle(item.name.da),
                description=_description_html(item.description.da, item.descriptors, level_names),
                meta=meta,
                related=",".join(code.replace(",", "%2C") for code in item.related),
            )
        )
        rows += _competence_rows(item.children, item.code, level_names)
    return rows


def _safe(row: list[str]) -> list[str]:
    """The row with no cell that a spreadsheet would run as a formula."""
    return [
        neutralise_html(cell) if column in HTML_COLUMNS else neutralise(cell)
        for column, cell in zip(COLUMNS, row, strict=True)
    ]


def write_moodle_csv(data: FrameworkData) -> bytes:
    """The framework as a Moodle competency framework CSV (UTF-8 with BOM, comma-separated, CRLF).

    Raises MoodleExportError when `moodle_export_problems` finds something Moodle cannot hold.
    """
    problems = moodle_export_problems(data)
    if problems:
        raise MoodleExportError(problems)
    levels = sorted(data.levels or DEFAULT_LEVELS, key=lambda level: level.number)
    level_names = {level.number: level.name.da for level in levels}
    rows: list[list[str]] = [_framework_row(data, levels)]
    for area in data.areas:
        rows.append(
            _item_row(
                parent="",
                code=area.code,
                name=name_to_moodle(area.name.da),
                description=_description_html(area.description.da, (), level_names),
                meta=_english(area.name.en, area.description.en),
                related="",
            )
        )
        rows += _competence_rows(area.competences, area.code, level_names)
    output = io.StringIO(newline="")
    csv.writer(output, lineterminator="\r\n").writerows([list(HEADER), *(_safe(row) for row in rows)])
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")
