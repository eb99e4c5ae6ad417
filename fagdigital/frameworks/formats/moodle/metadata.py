"""fagdigital's metadata in Moodle's "Rule config" column (docs/framework-format.md).

What Moodle has no column for (English texts, kinds, DigComp references, IT system categories, the levels'
English names, DigComp levels and Moodle values) travels as a small JSON object in Rule config, with Rule
type empty: Moodle only reads Rule config when Rule type names a rule, so it imports the file cleanly and
ignores the object. A file with the object on its framework row was written by fagdigital.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

from fagdigital.frameworks.digcomp import DIGCOMP_LEVEL_MAX
from fagdigital.frameworks.formats.interchange import LevelData, Text
from fagdigital.frameworks.formats.limits import SCALE_VALUE_MAX
from fagdigital.frameworks.formats.messages import too_long_message
from fagdigital.frameworks.models import LEVEL_COUNT, CompetenceKind

from .report import Report, Row
from .values import has_bad_characters, integer, load_json

METADATA_KEY = "fagdigital"
METADATA_VERSION = 1


def metadata_json(value: dict[str, Any]) -> str:
    """The object as compact JSON for Rule config, safe for PHP's fgetcsv (which Moodle reads with)."""
    text = json.dumps({METADATA_KEY: METADATA_VERSION, **value}, ensure_ascii=False, separators=(",", ":"))
    # No backslash-quote pairs: PHP's fgetcsv would misread them. \u0022 is the same JSON string.
    return re.sub(r"\\(.)", lambda m: "\\u0022" if m.group(1) == '"' else m.group(0), text)


class MetadataReader:
    """Reads and checks the metadata object of a row; every problem names the row's line."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def metadata(self, row: Row, allowed: set[str]) -> dict[str, Any] | None:
        rule_type = row.get("ruletype").strip()
        config = row.get("ruleconfig").strip()
        if rule_type:
            self.report.warning(
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
        value, error = load_json(config)
        if error:
            self.report.problem(
                row.line,
                _("»Rule config« er ikke gyldig JSON: %(error)s. Ret feltet, eller gør det tomt.")
                % {"error": error},
            )
            return None
        if has_bad_characters(value):
            self.report.problem(
                row.line, _("»Rule config« indeholder et ugyldigt tegn (NUL eller en halv UTF-16-kode).")
            )
            return None
        if not isinstance(value, dict) or METADATA_KEY not in value:
            self.report.warning(
                row.line, _("»Rule config« bruges ikke uden en regel (Rule type) og springes over.")
            )
            return None
        if value[METADATA_KEY] != METADATA_VERSION:
            self.report.problem(
                row.line,
                _(
                    "»Rule config« har fagdigital-version »%(version)s«; denne version af fagdigital læser "
                    "version %(expected)s."
                )
                % {"version": value[METADATA_KEY], "expected": METADATA_VERSION},
            )
            return None
        for key in sorted(set(value) - allowed - {METADATA_KEY}):
            self.report.problem(
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
            self.report.problem(line, _("»%(key)s« i »Rule config« skal være en tekst.") % {"key": key})
            return ""
        if max_length is not None and len(value) > max_length:
            self.report.problem(
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
            self.report.problem(
                line,
                _("»%(key)s« i »Rule config« skal være et helt tal fra %(low)s til %(high)s.")
                % {"key": key, "low": low, "high": high},
            )
            return None
        return int(value)

    def meta_strings(self, meta: dict[str, Any], key: str, line: int) -> tuple[str, ...]:
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.report.problem(
                line, _("»%(key)s« i »Rule config« skal være en liste af tekster.") % {"key": key}
            )
            return ()
        return tuple(value)

    def meta_kind(self, meta: dict[str, Any], line: int) -> str:
        kind = meta.get("kind", CompetenceKind.INTEGRATED.value)
        if kind not in CompetenceKind.values:
            self.report.problem(
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
            self.report.problem(
                line, _('»descriptors_en« i »Rule config« skal være et objekt som {"1": "..."}.')
            )
            return result
        for key, text in value.items():
            level = integer(key)
            if level is None or not 1 <= level <= LEVEL_COUNT or not isinstance(text, str):
                self.report.problem(
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
            self.report.problem(line, message)
            return result
        for item in value:
            if not isinstance(item, dict) or set(item) - {
                "number",
                "name",
                "digcomp_levels",
                "moodle_values",
            }:
                self.report.problem(line, message)
                continue
            number, name = item.get("number"), item.get("name")
            digcomp, moodle_values = item.get("digcomp_levels", []), item.get("moodle_values", [])
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
                and _scale_values(moodle_values)
            )
            if not valid:
                self.report.problem(line, message)
                continue
            assert isinstance(number, int) and isinstance(name, dict)  # for mypy; checked above
            result[number] = LevelData(
                number, Text(name["da"], name.get("en", "")), tuple(digcomp), tuple(moodle_values)
            )
        return result


def _scale_values(value: Any) -> bool:
    """A list of values a Moodle scale can hold: trimmed, non-empty, without commas."""
    return isinstance(value, list) and all(
        isinstance(item, str)
        and item.strip() == item
        and item
        and "," not in item
        and len(item) <= SCALE_VALUE_MAX
        for item in value
    )
