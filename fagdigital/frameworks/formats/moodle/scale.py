"""Moodle scales ↔ fagdigital's four levels (decision 0014).

A Moodle framework has one scale of any length, lowest value first ("Not yet competent,Competent" is Moodle's
default), and a scale configuration that marks values as default and proficient:
`[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]` — ids are 1-based positions in the scale, and a
value that is not listed is neither (competency_framework::validate_scaleconfiguration in Moodle).

Every value gets one of fagdigital's levels, never lower than the value before it. The default mapping:
a four-value scale maps value by value; any other scale puts its first proficient value on the target level
(3), spreads the values below it over the levels below, and the proficient ones over the target level and
up. The import preview lets the user change it. Writing, the levels' Moodle values (or, for a framework
that never came from Moodle, the level names) are the scale, and what is on the target level or above is
proficient.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from fagdigital.frameworks.formats.interchange import DEFAULT_LEVELS, LevelData, Text
from fagdigital.frameworks.formats.limits import SCALE_VALUE_MAX
from fagdigital.frameworks.formats.messages import too_long_message
from fagdigital.frameworks.models import LEVEL_COUNT

from .report import Report, Row
from .values import integer, load_json

# The level a scale's first proficient value corresponds to: "competent" is what role profiles usually
# target, and fagdigital's level 3 ("Erfaren") is where its bundled framework puts most targets.
TARGET_LEVEL = 3
_EXAMPLE = (
    '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}]'
)


@dataclass(frozen=True)
class Scale:
    values: tuple[str, ...]
    proficient: tuple[bool, ...]


# --- Reading ---------------------------------------------------------------------------------------------


def framework_scale(report: Report, row: Row) -> Scale | None:
    """The framework row's scale and which of its values are proficient; None (with problems) when broken."""
    values = _scale_values(report, row)
    if values is None:
        return None
    proficient = scale_configuration(report, row, len(values))
    if proficient is None:
        return None
    return Scale(values, proficient)


def _scale_values(report: Report, row: Row) -> tuple[str, ...] | None:
    raw = row.get("scalevalues")
    if not raw.strip():
        report.problem(
            row.line,
            _(
                "rammens skala (Scale values) mangler. Skriv skalaens værdier adskilt af komma, den laveste "
                "først, fx »Not yet competent,Competent«."
            ),
        )
        return None
    values = tuple(value.strip() for value in raw.split(","))
    if any(not value for value in values):
        report.problem(
            row.line,
            _("skalaen (Scale values) »%(value)s« har en tom værdi; fjern det overskydende komma.")
            % {"value": raw},
        )
        return None
    for value in values:
        if len(value) > SCALE_VALUE_MAX:
            report.problem(
                row.line,
                _("skalaværdien »%(value)s…« %(message)s")
                % {"value": value[:40], "message": too_long_message(SCALE_VALUE_MAX, len(value))},
            )
            return None
    return values


def scale_configuration(report: Report, row: Row, count: int) -> tuple[bool, ...] | None:
    """Which of the `count` scale values are proficient, checked by Moodle's own rules (at least one default
    and one proficient value); None (with problems) when the configuration is broken."""
    raw = row.get("scaleconfiguration").strip()
    if not raw:
        report.problem(
            row.line,
            _(
                "skalakonfigurationen (Scale configuration) mangler. Moodle skriver den som JSON, fx "
                "%(example)s."
            )
            % {"example": _EXAMPLE},
        )
        return None
    config, error = load_json(raw)
    if error:
        report.problem(
            row.line,
            _(
                "skalakonfigurationen (Scale configuration) er ikke gyldig JSON: %(error)s. Den skal se "
                "sådan ud: %(example)s."
            )
            % {"error": error, "example": _EXAMPLE},
        )
        return None
    if not (isinstance(config, list) and config and isinstance(config[0], dict) and "scaleid" in config[0]):
        report.problem(
            row.line,
            _(
                "skalakonfigurationen (Scale configuration) skal være en JSON-liste, der begynder "
                'med {"scaleid": ...}, fx %(example)s.'
            )
            % {"example": _EXAMPLE},
        )
        return None
    problems = len(report.problems)
    default, proficient = _configuration_flags(report, row, config[1:], count)
    if not default:
        report.problem(
            row.line,
            _(
                "skalakonfigurationen markerer ingen skalaværdi som standard "
                '("scaledefault": 1); Moodle kræver én.'
            ),
        )
    if not any(proficient):
        report.problem(
            row.line,
            _(
                "skalakonfigurationen markerer ingen skalaværdi som kompetent "
                '("proficient": 1); Moodle kræver mindst én.'
            ),
        )
    return tuple(proficient) if len(report.problems) == problems else None


def _configuration_flags(report: Report, row: Row, items: list[Any], count: int) -> tuple[bool, list[bool]]:
    """Whether any value is the default, and which values are proficient, from the configuration's items."""
    proficient = [False] * count
    default = False
    seen: set[int] = set()
    for index, item in enumerate(items, start=2):
        number = integer(item.get("id")) if isinstance(item, dict) else None
        if not isinstance(item, dict) or number is None or not 1 <= number <= count:
            report.problem(
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
            report.problem(
                row.line, _("skalakonfigurationen beskriver skalaværdi %(id)s to gange.") % {"id": number}
            )
        seen.add(number)
        flags = {name: integer(item.get(name, 0)) for name in ("scaledefault", "proficient")}
        for name, flag in flags.items():
            if flag not in (0, 1):
                report.problem(
                    row.line,
                    _("skalakonfigurationens »%(name)s« for skalaværdi %(id)s skal være 0 eller 1.")
                    % {"name": name, "id": number},
                )
        default = default or flags["scaledefault"] == 1
        proficient[number - 1] = flags["proficient"] == 1
    return default, proficient


def competence_scale(report: Report, row: Row, framework_values: tuple[str, ...] | None) -> None:
    """A competency's own scale: fagdigital has one set of levels per framework, so it is a remark."""
    raw = row.get("scalevalues")
    if not raw.strip():
        return
    values = tuple(value.strip() for value in raw.split(","))
    if not all(values):
        report.problem(
            row.line,
            _("skalaen (Scale values) »%(value)s« har en tom værdi; fjern det overskydende komma.")
            % {"value": raw},
        )
        return
    scale_configuration(report, row, len(values))
    if values != framework_values:
        report.warning(
            row.line,
            _(
                "kompetencen har sin egen skala i Moodle (»%(value)s«). I fagdigital har alle kompetencer "
                "rammens fire niveauer, så kompetencens egen skala kommer ikke med."
            )
            % {"value": ", ".join(values)},
        )


# --- Mapping values onto levels --------------------------------------------------------------------------


def default_mapping(proficient: Sequence[bool]) -> tuple[int, ...]:
    """The level of each scale value: see the module docstring. Never decreasing, always 1 to 4."""
    count = len(proficient)
    if count == LEVEL_COUNT:
        return tuple(range(1, LEVEL_COUNT + 1))
    first = next((index for index, flag in enumerate(proficient) if flag), count - 1)
    above = count - first
    below_levels = [1 + (index * (TARGET_LEVEL - 1)) // first for index in range(first)]
    span = LEVEL_COUNT - TARGET_LEVEL + 1
    above_levels = [TARGET_LEVEL + (index * span) // above for index in range(above)]
    return tuple(below_levels + above_levels)


def mapping_problem(mapping: Sequence[int], values: Sequence[str]) -> str | None:
    """Why `mapping` cannot be the levels of `values` (None when it can)."""
    if len(mapping) != len(values) or any(not 1 <= level <= LEVEL_COUNT for level in mapping):
        return _("Vælg et niveau fra 1 til 4 for hver af skalaens værdier.")
    for index in range(1, len(mapping)):
        if mapping[index] < mapping[index - 1]:
            return _(
                "»%(value)s« står højere i Moodles skala end »%(previous)s« og kan derfor ikke få et lavere "
                "niveau. Vælg niveau %(level)s eller højere for »%(value)s«."
            ) % {"value": values[index], "previous": values[index - 1], "level": mapping[index - 1]}
    return None


def levels_from_mapping(values: Sequence[str], mapping: Sequence[int]) -> tuple[LevelData, ...]:
    """fagdigital's four levels for a scale from Moodle: each with the values mapped onto it.

    Only a four-value scale mapped value by value can name the levels; otherwise they keep fagdigital's
    standard names, since two values cannot name four levels.
    """
    by_value = len(values) == LEVEL_COUNT and tuple(mapping) == tuple(range(1, LEVEL_COUNT + 1))
    return tuple(
        LevelData(
            standard.number,
            Text(values[standard.number - 1]) if by_value else standard.name,
            standard.digcomp_levels,
            tuple(value for value, level in zip(values, mapping, strict=True) if level == standard.number),
        )
        for standard in DEFAULT_LEVELS
    )


def native_levels(values: tuple[str, ...], known: dict[int, LevelData]) -> tuple[LevelData, ...] | None:
    """The levels of a file fagdigital wrote, from its metadata (`known`); None when the scale no longer
    matches the metadata (the file was edited), so that the scale is read as one from Moodle."""
    if any(level.moodle_values for level in known.values()):
        if sorted(known) != list(range(1, LEVEL_COUNT + 1)):
            return None
        expected = tuple(value for number in sorted(known) for value in known[number].moodle_values)
        return tuple(known[number] for number in sorted(known)) if expected == values else None
    if len(values) != LEVEL_COUNT:
        return None
    levels = []
    for number, value in enumerate(values, start=1):
        level = known.get(number)
        if level is None:
            levels.append(LevelData(number, Text(value), DEFAULT_LEVELS[number - 1].digcomp_levels))
        else:
            # The scale shows the Danish name; the metadata keeps what a scale cannot (commas, English).
            da = level.name.da if scale_value(level.name.da) == value else value
            levels.append(LevelData(number, Text(da, level.name.en), level.digcomp_levels))
    return tuple(levels)


def mapping_of(levels: Sequence[LevelData], values: Sequence[str]) -> tuple[int, ...]:
    """The level of each value, read back from levels that carry Moodle values (or name one value each)."""
    if any(level.moodle_values for level in levels):
        return tuple(level.number for level in levels for _value in level.moodle_values)
    return tuple(range(1, len(values) + 1))


# --- Writing ---------------------------------------------------------------------------------------------


def scale_value(name: str) -> str:
    """A level name as one value of a Moodle scale, which is a comma-separated list of trimmed values."""
    return name.replace(",", ";").replace("\\", "/").strip()


def export_scale(levels: Sequence[LevelData]) -> tuple[list[str], str]:
    """The scale values and the scale configuration (JSON) for a framework's levels.

    Values on the target level and above are proficient; the first of them is Moodle's default, the value
    a competency gets when a course or rule completes it.
    """
    ordered = sorted(levels, key=lambda level: level.number)
    if any(level.moodle_values for level in ordered):
        pairs = [(value, level.number) for level in ordered for value in level.moodle_values]
    else:
        pairs = [(scale_value(level.name.da), level.number) for level in ordered]
    proficient = [level >= TARGET_LEVEL for _value, level in pairs]
    if not any(proficient):
        proficient[-1] = True
    default = proficient.index(True)
    configuration = [
        {"scaleid": "1"},
        *(
            {"id": index, "scaledefault": int(index - 1 == default), "proficient": int(flag)}
            for index, flag in enumerate(proficient, start=1)
        ),
    ]
    return [value for value, _level in pairs], json.dumps(configuration, separators=(",", ":"))
