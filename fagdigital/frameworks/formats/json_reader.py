"""Reading the fagdigital framework JSON format (docs/framework-format.md; the schema is
schema/framework.schema.json).

Reading validates everything and names each problem by its JSON path (e.g. `$.areas[2].competences[0].code`);
it returns either data or problems, never half a framework. Unknown keys are reported, not ignored, so a
misspelt field never silently disappears.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from fagdigital.frameworks.digcomp import DIGCOMP_COMPETENCES, DIGCOMP_LEVEL_MAX
from fagdigital.frameworks.kl_wheel import KL_WHEEL_CODES
from fagdigital.frameworks.models import LEVEL_COUNT, CompetenceKind, Criticality

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
from .json_document import FORMAT, FORMAT_VERSION
from .limits import (
    AREA_CODE_MAX,
    COMPETENCE_CODE_MAX,
    COMPETENCE_NAME_MAX,
    KEY_MAX,
    MAX_DEPTH,
    MAX_ITEMS,
    NAME_MAX,
    SCALE_VALUE_MAX,
    SLUG_MAX,
    VENDOR_MAX,
)
from .messages import (
    digcomp_message,
    is_slug,
    kl_wheel_message,
    slug_message,
    too_long_message,
    too_many_items_message,
)
from .result import JsonProblem

_SURROGATE = re.compile("[\ud800-\udfff]")
_COMPETENCE_KEYS = (
    "code",
    "name",
    "description",
    "kind",
    "digcomp",
    "kl_wheel",
    "it_system_categories",
    "descriptors",
    "children",
    "related",
)


class _Reader:
    """Typed access to parsed JSON that records a problem, with its path, for everything that is wrong."""

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


def _check_kl_wheel(value: str) -> str | None:
    return None if value in KL_WHEEL_CODES else kl_wheel_message(value)


def _check_slug(value: str) -> str | None:
    return None if is_slug(value) and len(value) <= SLUG_MAX else slug_message(value)


def _check_scale_value(value: str) -> str | None:
    """A value of a Moodle scale: Moodle keeps a scale as one comma-separated, trimmed text."""
    if not value.strip() or value != value.strip() or "," in value:
        return _(
            "»%(value)s« kan ikke være en værdi i en Moodle-skala: den må ikke være tom, indeholde komma "
            "eller begynde eller slutte med mellemrum."
        ) % {"value": value}
    if len(value) > SCALE_VALUE_MAX:
        return too_long_message(SCALE_VALUE_MAX, len(value))
    return None


def read_framework_json(raw: bytes) -> tuple[FrameworkData | None, list[JsonProblem]]:
    """Parse and validate a framework JSON file. Returns (data, []) or (None, problems)."""
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
    reader = _DocumentReader()
    root = reader.obj(
        document,
        "$",
        ("$schema", "format", "format_version", "framework", "areas", "it_systems", "role_profiles"),
    )
    if root.get("format") != FORMAT:
        reader.problem("$.format", _('skal være "%(format)s".') % {"format": FORMAT})
    if root.get("format_version") != FORMAT_VERSION:
        reader.problem("$.format_version", _("skal være %(version)s.") % {"version": FORMAT_VERSION})
    data = reader.document(root)
    if reader.problems:
        return None, reader.problems
    return data, []


class _DocumentReader(_Reader):
    """The parts of a document, in the order a later part may refer to an earlier one (codes)."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, str] = {}  # competence code → the path where it is defined
        self.items = 0

    def document(self, root: dict[str, Any]) -> FrameworkData:
        meta = self.obj(
            root.get("framework"), "$.framework", ("key", "version", "name", "description", "levels")
        )
        key = self.slug(meta, "key", "$.framework", max_length=KEY_MAX)
        version = 1
        if "version" in meta:
            version = self.integer(meta, "version", "$.framework", 1, 1_000_000)
        levels = self.levels(meta)
        areas = self.areas(root)
        self.related_exist(areas)
        return FrameworkData(
            key=key,
            version=version,
            name=self.text(meta, "name", "$.framework", max_length=NAME_MAX),
            description=self.text(meta, "description", "$.framework", required=False),
            levels=levels,
            areas=areas,
            it_systems=self.it_systems(root),
            role_profiles=self.role_profiles(root),
        )

    def levels(self, meta: dict[str, Any]) -> tuple[LevelData, ...]:
        levels = []
        for index, item in enumerate(self.array(meta.get("levels"), "$.framework.levels")):
            path = f"$.framework.levels[{index}]"
            level = self.obj(item, path, ("number", "name", "digcomp_levels", "moodle_values"))
            digcomp_levels = []
            for n_index, number in enumerate(
                self.array(level.get("digcomp_levels"), f"{path}.digcomp_levels")
            ):
                if (
                    isinstance(number, bool)
                    or not isinstance(number, int)
                    or not 1 <= number <= DIGCOMP_LEVEL_MAX
                ):
                    self.problem(
                        f"{path}.digcomp_levels[{n_index}]",
                        _("skal være et helt tal fra 1 til %(high)s (DigComps niveauer).")
                        % {"high": DIGCOMP_LEVEL_MAX},
                    )
                else:
                    digcomp_levels.append(number)
            moodle_values = self.checked_strings(level, "moodle_values", path, _check_scale_value)
            levels.append(
                LevelData(
                    number=self.integer(level, "number", path, 1, LEVEL_COUNT),
                    name=self.text(level, "name", path),
                    digcomp_levels=tuple(digcomp_levels),
                    moodle_values=moodle_values,
                )
            )
        if levels and sorted(level.number for level in levels) != list(range(1, LEVEL_COUNT + 1)):
            self.problem("$.framework.levels", _("skal have præcis ét niveau for hvert tal fra 1 til 4."))
        return tuple(sorted(levels, key=lambda lv: lv.number))

    def counted(self, path: str) -> bool:
        """Count one more area or competence; False (with one problem) once the file has too many."""
        self.items += 1
        if self.items == MAX_ITEMS + 1:
            self.problem(path, too_many_items_message(MAX_ITEMS))
        return self.items <= MAX_ITEMS

    def competence(self, item: Any, path: str, depth: int) -> CompetenceData:
        obj = self.obj(item, path, _COMPETENCE_KEYS)
        code = self.string(obj, "code", path, max_length=COMPETENCE_CODE_MAX)
        if code in self.codes:
            self.problem(
                f"{path}.code",
                _("»%(code)s« bruges også i %(other)s.") % {"code": code, "other": self.codes[code]},
            )
        elif code:
            self.codes[code] = f"{path}.code"
        kind = obj.get("kind", CompetenceKind.INTEGRATED)
        if kind not in CompetenceKind.values:
            self.problem(
                f"{path}.kind",
                _("skal være en af: %(values)s.") % {"values": ", ".join(CompetenceKind.values)},
            )
        children = self.array(obj.get("children"), f"{path}.children")
        if children and depth >= MAX_DEPTH:
            self.problem(
                f"{path}.children",
                _("kompetencer kan højst ligge %(depth)s niveauer under fokusområdet.")
                % {"depth": MAX_DEPTH},
            )
            children = []
        related = self.strings(obj, "related", path)
        if len(set(related)) != len(related):
            self.problem(f"{path}.related", _("nævner den samme kompetence flere gange."))
        if code and code in related:
            self.problem(f"{path}.related", _("en kompetence kan ikke være relateret til sig selv."))
        return CompetenceData(
            code=code,
            name=self.text(obj, "name", path, max_length=COMPETENCE_NAME_MAX),
            description=self.text(obj, "description", path, required=False),
            kind=str(kind),
            digcomp=self.checked_strings(obj, "digcomp", path, _check_digcomp),
            kl_wheel=self.checked_strings(obj, "kl_wheel", path, _check_kl_wheel),
            it_system_categories=self.checked_strings(obj, "it_system_categories", path, _check_slug),
            descriptors=self.descriptors(obj, path),
            children=tuple(
                self.competence(child, f"{path}.children[{i}]", depth + 1)
                for i, child in enumerate(children)
                if self.counted(f"{path}.children[{i}]")
            ),
            related=related,
        )

    def descriptors(self, obj: dict[str, Any], path: str) -> tuple[DescriptorData, ...]:
        descriptors = []
        seen_levels: set[int] = set()
        for index, entry in enumerate(self.array(obj.get("descriptors"), f"{path}.descriptors")):
            entry_path = f"{path}.descriptors[{index}]"
            descriptor = self.obj(entry, entry_path, ("level", "text"))
            number = self.integer(descriptor, "level", entry_path, 1, LEVEL_COUNT)
            if number in seen_levels:
                self.problem(
                    f"{entry_path}.level", _("niveau %(level)s er beskrevet to gange.") % {"level": number}
                )
            seen_levels.add(number)
            descriptors.append(DescriptorData(number, self.text(descriptor, "text", entry_path)))
        return tuple(sorted(descriptors, key=lambda d: d.level))

    def areas(self, root: dict[str, Any]) -> tuple[AreaData, ...]:
        areas = []
        area_codes: set[str] = set()
        for index, item in enumerate(self.array(root.get("areas"), "$.areas")):
            path = f"$.areas[{index}]"
            if not self.counted(path):
                break
            obj = self.obj(item, path, ("code", "name", "description", "competences"))
            code = self.string(obj, "code", path, max_length=AREA_CODE_MAX)
            if code in area_codes:
                self.problem(f"{path}.code", _("fokusområdet »%(code)s« findes to gange.") % {"code": code})
            area_codes.add(code)
            competences = self.array(obj.get("competences"), f"{path}.competences")
            areas.append(
                AreaData(
                    code=code,
                    name=self.text(obj, "name", path, max_length=NAME_MAX),
                    description=self.text(obj, "description", path, required=False),
                    competences=tuple(
                        self.competence(c, f"{path}.competences[{i}]", 1)
                        for i, c in enumerate(competences)
                        if self.counted(f"{path}.competences[{i}]")
                    ),
                )
            )
        return tuple(areas)

    def related_exist(self, areas: tuple[AreaData, ...]) -> None:
        for area in areas:
            for item in _walk(area.competences):
                if item.code not in self.codes:
                    continue
                for related in item.related:
                    if related not in self.codes:
                        self.problem(
                            self.codes[item.code].removesuffix(".code") + ".related",
                            _("kompetencen »%(code)s« findes ikke i rammen.") % {"code": related},
                        )

    def it_systems(self, root: dict[str, Any]) -> tuple[ITSystemData, ...]:
        it_systems = []
        system_codes: set[str] = set()
        for index, item in enumerate(self.array(root.get("it_systems"), "$.it_systems")):
            path = f"$.it_systems[{index}]"
            obj = self.obj(item, path, ("code", "category", "name", "vendor", "job_functions"))
            code = self.slug(obj, "code", path)
            if code in system_codes:
                self.problem(f"{path}.code", _("it-systemet »%(code)s« findes to gange.") % {"code": code})
            system_codes.add(code)
            it_systems.append(
                ITSystemData(
                    code=code,
                    category=self.slug(obj, "category", path),
                    name=self.text(obj, "name", path, max_length=NAME_MAX),
                    vendor=self.string(obj, "vendor", path, required=False, max_length=VENDOR_MAX),
                    job_functions=self.strings(obj, "job_functions", path),
                )
            )
        return tuple(it_systems)

    def role_profiles(self, root: dict[str, Any]) -> tuple[RoleProfileData, ...]:
        role_profiles = []
        role_codes: set[str] = set()
        for index, item in enumerate(self.array(root.get("role_profiles"), "$.role_profiles")):
            path = f"$.role_profiles[{index}]"
            obj = self.obj(item, path, ("code", "name", "description", "job_function_names", "targets"))
            code = self.slug(obj, "code", path)
            if code in role_codes:
                self.problem(f"{path}.code", _("rolleprofilen »%(code)s« findes to gange.") % {"code": code})
            role_codes.add(code)
            role_profiles.append(
                RoleProfileData(
                    code=code,
                    name=self.text(obj, "name", path, max_length=NAME_MAX),
                    description=self.text(obj, "description", path, required=False),
                    job_function_names=self.strings(obj, "job_function_names", path),
                    targets=self.targets(obj, path),
                )
            )
        return tuple(role_profiles)

    def targets(self, obj: dict[str, Any], path: str) -> tuple[TargetData, ...]:
        targets = []
        seen: set[str] = set()
        for target_index, entry in enumerate(self.array(obj.get("targets"), f"{path}.targets")):
            target_path = f"{path}.targets[{target_index}]"
            target = self.obj(entry, target_path, ("competence", "level", "criticality"))
            competence_code = self.string(target, "competence", target_path)
            if competence_code and competence_code not in self.codes:
                self.problem(
                    f"{target_path}.competence",
                    _("kompetencen »%(code)s« findes ikke i rammen.") % {"code": competence_code},
                )
            if competence_code in seen:
                self.problem(
                    f"{target_path}.competence",
                    _("rolleprofilen har allerede et mål for »%(code)s«.") % {"code": competence_code},
                )
            seen.add(competence_code)
            criticality = target.get("criticality")
            if criticality not in Criticality.values:
                self.problem(
                    f"{target_path}.criticality",
                    _("skal være en af: %(values)s.") % {"values": ", ".join(Criticality.values)},
                )
            targets.append(
                TargetData(
                    competence=competence_code,
                    level=self.integer(target, "level", target_path, 1, LEVEL_COUNT),
                    criticality=str(criticality),
                )
            )
        return tuple(targets)


def _walk(items: tuple[CompetenceData, ...]) -> list[CompetenceData]:
    found: list[CompetenceData] = []
    for item in items:
        found.append(item)
        found += _walk(item.children)
    return found
