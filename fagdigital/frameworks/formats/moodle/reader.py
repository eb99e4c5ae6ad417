"""Reading a Moodle competency framework CSV (`tool_lpimportcsv`) into `FrameworkData`.

The file has a header row and one row per item: the framework itself (Is framework = 1) and every competency
with the ID number of its parent. Any valid Moodle file is read (decision 0014): its scale, whatever its
length, is mapped onto fagdigital's four levels; its tree, however deep, becomes focus areas and
competences; its cross-references become related competences. A file fagdigital wrote comes back exactly.

Reading never raises for bad input: it returns problems that name the line (the file's physical line, so
a text spanning lines still points at where its row begins) and remarks for what fagdigital has no place
for (completion rules, competencies' own scales). Nothing is half-read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from fagdigital.frameworks.digcomp import DIGCOMP_COMPETENCES
from fagdigital.frameworks.formats.interchange import (
    AreaData,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    LevelData,
    Text,
)
from fagdigital.frameworks.formats.limits import (
    AREA_CODE_MAX,
    COMPETENCE_CODE_MAX,
    COMPETENCE_NAME_MAX,
    KEY_MAX,
    MAX_DEPTH,
    NAME_MAX,
    SLUG_MAX,
)
from fagdigital.frameworks.formats.messages import (
    digcomp_message,
    is_slug,
    kl_wheel_message,
    slug_message,
    suggest_slug,
    too_long_message,
)
from fagdigital.frameworks.formats.result import CsvProblem, Problem, ReadResult, ScaleInfo
from fagdigital.frameworks.kl_wheel import KL_WHEEL_CODES
from fagdigital.frameworks.models import CompetenceKind

from .columns import FALSE_VALUES, TRUE_VALUES
from .fields import FieldReader
from .metadata import MetadataReader
from .report import Report, Row
from .rows import read_rows
from .scale import (
    Scale,
    competence_scale,
    default_mapping,
    framework_scale,
    levels_from_mapping,
    mapping_of,
    mapping_problem,
    native_levels,
)
from .tree import Item, Placed, build_tree, flattened

_FRAMEWORK_META = {"version", "name_en", "description_en", "levels"}
_AREA_META = {"name_en", "description_en"}
_COMPETENCE_META = {
    "name_en",
    "description_en",
    "kind",
    "digcomp",
    "kl_wheel",
    "it_system_categories",
    "descriptors_en",
}
# The line that keeps a flattened competency's place in the Moodle tree, in each language's description.
PATH_PREFIX = Text("Placering i Moodle: ", "Place in Moodle: ")
PATH_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark
FALLBACK_KEY = "moodle-ramme"


def read_moodle_csv(raw: bytes, *, scale_mapping: Sequence[int] | None = None) -> ReadResult:
    """Parse and validate a Moodle competency framework CSV file (UTF-8, with or without BOM).

    `scale_mapping` is the level of each value of the framework's scale, as chosen in the import preview;
    without it (or for a file fagdigital wrote) the default mapping is used.
    """
    report = Report()
    rows = read_rows(report, raw)
    data, scale = None, None
    if not report.problems:
        if rows:
            data, scale = _FrameworkReader(report, scale_mapping).read(rows)
        else:
            report.problem(
                2, _("filen har kun en overskrift og ingen rækker. Eksportér rammen fra Moodle igen.")
            )
    problems: list[Problem] = [*sorted(report.problems, key=_line)]
    warnings: list[Problem] = [*sorted(report.warnings, key=_line)]
    if problems:
        return ReadResult(None, problems, warnings)
    return ReadResult(data, [], warnings, scale)


def _line(problem: CsvProblem) -> int:
    return problem.line


@dataclass(frozen=True)
class _Head:
    """What the framework row gives."""

    key: str
    version: int
    name: Text
    description: Text
    levels: tuple[LevelData, ...]
    scale: ScaleInfo


class _FrameworkReader:
    def __init__(self, report: Report, scale_mapping: Sequence[int] | None) -> None:
        self.report = report
        self.scale_mapping = scale_mapping
        self.meta = MetadataReader(report)
        self.fields = FieldReader(report, ())
        self.names: dict[str, tuple[str, str]] = {}
        self.area_codes: set[str] = set()
        self.framework_values: tuple[str, ...] | None = None

    def read(self, rows: list[Row]) -> tuple[FrameworkData | None, ScaleInfo | None]:
        head_row, competence_rows = self.split(rows)
        if head_row is None:
            return None, None
        meta = self.meta.metadata(head_row, _FRAMEWORK_META)
        native = meta is not None  # written by fagdigital: its trees are kept as they are
        roots, items = build_tree(
            self.report,
            competence_rows,
            head_row.get("idnumber").strip(),
            max_depth=MAX_DEPTH + 1 if native else None,
        )
        self.fields = FieldReader(self.report, items)
        head = self.framework_row(head_row, meta)
        if native:
            self.area_codes = {root.code for root in roots}
            areas = tuple(self.area(root, competences=None) for root in roots)
            if areas and not any(area.competences for area in areas):
                self.report.warning(
                    head_row.line,
                    _(
                        "rammen har kun kompetencer på øverste niveau. De bliver til fokusområder uden "
                        "kompetencer; læg kompetencerne under et overordnet emne i Moodle, hvis det ikke er "
                        "meningen."
                    ),
                )
        else:
            if not self.report.problems:
                self.report.warning(
                    head_row.line,
                    _(
                        "filen kommer ikke fra fagdigital, så den har ingen engelske tekster, "
                        "kompetencetyper, "
                        "DigComp-referencer eller it-systemkategorier. Kompetencerne får typen »integreret«; "
                        "resten kan du udfylde efter indlæsningen."
                    ),
                )
            areas = self.moodle_areas(head_row, head, roots, items)
        if self.report.problems or head is None:
            return None, None
        data = FrameworkData(
            key=head.key,
            version=head.version,
            name=head.name,
            description=head.description,
            levels=head.levels,
            areas=areas,
        )
        return data, head.scale

    def split(self, rows: list[Row]) -> tuple[Row | None, list[Row]]:
        """The framework row and the competency rows."""
        framework_rows, competence_rows = [], []
        for row in rows:
            flag = row.get("isframework").strip().lower()
            if flag in TRUE_VALUES:
                framework_rows.append(row)
            elif flag in FALSE_VALUES:
                competence_rows.append(row)
            else:
                self.report.problem(
                    row.line,
                    _(
                        "»Is framework« skal være 1 for rammen og tom eller 0 for kompetencer, ikke "
                        "»%(value)s«."
                    )
                    % {"value": row.get("isframework")},
                )
        if not framework_rows:
            self.report.problem(
                rows[0].line,
                _(
                    "filen har ingen række for selve rammen (»Is framework« = 1). Moodle skriver den som "
                    "første række efter overskriften; eksportér rammen fra Moodle igen."
                ),
            )
            return None, []
        for extra in framework_rows[1:]:
            self.report.problem(
                extra.line,
                _("filen har allerede rammen i linje %(first)s; en fil kan kun indeholde én ramme.")
                % {"first": framework_rows[0].line},
            )
        return framework_rows[0], competence_rows

    # The framework row --------------------------------------------------------------------------------------

    def framework_row(self, row: Row, meta: dict[str, Any] | None) -> _Head | None:
        line = row.line
        if row.get("parentidnumber").strip():
            self.report.problem(
                line, _("rammen kan ikke have et overordnet ID-nummer; lad »Parent ID number« være tom.")
            )
        if row.get("relatedidnumbers").strip():
            self.report.warning(
                line,
                _(
                    "rammen kan ikke have relaterede kompetencer; »Cross-referenced competency ID numbers« "
                    "springes over for rammen."
                ),
            )
        name = self.fields.name(row, NAME_MAX)
        description = self.fields.description(row, descriptors_allowed=False)[0]
        key = self.key(row, name[0])
        scale = framework_scale(self.report, row)
        version = 1
        english_name = english_description = ""
        meta_levels: dict[int, LevelData] = {}
        if meta is not None:
            version = self.meta.meta_int(meta, "version", line, 1, 1_000_000) or 1
            english_name = self.meta.meta_text(meta, "name_en", line, NAME_MAX)
            english_description = self.meta.meta_text(meta, "description_en", line)
            meta_levels = self.meta.meta_levels(meta, line)
        if scale is None:
            return None
        self.framework_values = scale.values
        levels, info = self.levels(row, scale, meta_levels if meta is not None else None)
        return _Head(
            key=key,
            version=version,
            name=Text(name[0], english_name or name[1]),
            description=Text(description[0], english_description or description[1]),
            levels=levels,
            scale=info,
        )

    def key(self, row: Row, name: str) -> str:
        """The framework's key: its ID number, or (Moodle allows any text there) a key made from it."""
        idnumber = row.get("idnumber").strip()
        if idnumber and is_slug(idnumber) and len(idnumber) <= KEY_MAX:
            return idnumber
        key = (suggest_slug(idnumber) or suggest_slug(name) or FALLBACK_KEY)[:KEY_MAX].strip(
            "-_"
        ) or FALLBACK_KEY
        if idnumber:
            message = _(
                "rammens ID-nummer »%(idnumber)s« kan ikke bruges som nøgle i fagdigital: %(why)s Nøglen "
                "bliver »%(key)s«; en senere fil med samme ID-nummer bliver en ny version af samme ramme."
            ) % {
                "idnumber": idnumber,
                "why": slug_message(idnumber)
                if len(idnumber) <= KEY_MAX
                else too_long_message(KEY_MAX, len(idnumber)),
                "key": key,
            }
        else:
            message = _("rammen har intet ID-nummer, så nøglen i fagdigital bliver »%(key)s«.") % {"key": key}
        self.report.warning(row.line, message)
        return key

    def levels(
        self, row: Row, scale: Scale, known: dict[int, LevelData] | None
    ) -> tuple[tuple[LevelData, ...], ScaleInfo]:
        """fagdigital's four levels from the scale: from fagdigital's metadata when it wrote the file,
        otherwise by the preview's mapping (or the default one)."""
        if known is not None:
            levels = native_levels(scale.values, known)
            if levels is not None:
                mapping = mapping_of(levels, scale.values)
                return levels, ScaleInfo(scale.values, scale.proficient, mapping, mapping, native=True)
            self.report.warning(
                row.line,
                _(
                    "skalaen (Scale values) passer ikke til fagdigitals oplysninger om niveauerne i »Rule "
                    "config«, så den er ændret efter eksporten. Dens værdier er fordelt på fagdigitals fire "
                    "niveauer som for en skala fra Moodle."
                ),
            )
        default = default_mapping(scale.proficient)
        mapping = default
        if self.scale_mapping is not None and mapping_problem(self.scale_mapping, scale.values) is None:
            mapping = tuple(self.scale_mapping)
        levels = levels_from_mapping(scale.values, mapping)
        return levels, ScaleInfo(scale.values, scale.proficient, default, mapping)

    # Areas and competences ----------------------------------------------------------------------------------

    def item_name(self, item: Item, max_length: int) -> tuple[str, str]:
        if item.code not in self.names:
            self.names[item.code] = self.fields.name(item.row, max_length)
        return self.names[item.code]

    def moodle_areas(
        self, head_row: Row, head: _Head | None, roots: list[Item], items: dict[str, Item]
    ) -> tuple[AreaData, ...]:
        """A tree from Moodle, flattened: see tree.py."""
        if roots and not any(root.children for root in roots):
            return (self.one_area(head_row, head, roots, items),)
        self.area_codes = {root.code for root in roots}
        used: set[str] = set(items)
        areas = []
        for root in roots:
            if not root.children:
                self.report.warning(
                    root.row.line,
                    _(
                        "»%(code)s« ligger på øverste niveau uden kompetencer under sig og bliver et "
                        "fokusområde uden kompetencer."
                    )
                    % {"code": root.code},
                )
            areas.append(self.area(root, competences=flattened(root), used=used))
        return tuple(areas)

    def one_area(
        self, head_row: Row, head: _Head | None, roots: list[Item], items: dict[str, Item]
    ) -> AreaData:
        """A Moodle framework with only top-level competencies: one focus area, named as the framework."""
        name = head.name if head is not None else Text("")
        code = _unique_code((head.key if head is not None else FALLBACK_KEY)[:AREA_CODE_MAX], set(items))
        self.report.warning(
            head_row.line,
            _(
                "rammen har kun kompetencer på øverste niveau. De er samlet i ét fokusområde, »%(name)s« "
                "(kode "
                "»%(code)s«), så de kan vurderes; omdøb det gerne efter indlæsningen."
            )
            % {"name": name.da, "code": code},
        )
        return AreaData(
            code=code,
            name=Text(name.da[:NAME_MAX], name.en[:NAME_MAX]),
            competences=tuple(self.competence(root, ancestors=None, children=False) for root in roots),
        )

    def area(self, item: Item, *, competences: list[Placed] | None, used: set[str] | None = None) -> AreaData:
        """A top-level item as a focus area: with its own tree (`competences` None) or flattened."""
        row, line = item.row, item.row.line
        code = item.code
        if len(code) > AREA_CODE_MAX:
            if used is None:
                self.report.problem(
                    line,
                    _("ID-nummeret for et fokusområde (øverste niveau) %(message)s")
                    % {"message": too_long_message(AREA_CODE_MAX, len(code))},
                )
            else:
                code = _unique_code(code[:AREA_CODE_MAX], used)
                self.report.warning(
                    line,
                    _(
                        "ID-nummeret »%(code)s« er for langt til et fokusområde (højst %(max)s tegn), så "
                        "fokusområdet får koden »%(short)s«."
                    )
                    % {"code": item.code, "max": AREA_CODE_MAX, "short": code},
                )
        name = self.item_name(item, NAME_MAX)
        description = self.fields.description(row, descriptors_allowed=False)[0]
        competence_scale(self.report, row, self.framework_values)
        meta = self.meta.metadata(row, _AREA_META)
        english_name = english_description = ""
        if meta is not None:
            english_name = self.meta.meta_text(meta, "name_en", line, NAME_MAX)
            english_description = self.meta.meta_text(meta, "description_en", line)
        if self.fields.related(row, item.code):
            self.report.warning(
                line,
                _(
                    "fokusområder (øverste niveau) kan ikke have relaterede kompetencer i fagdigital; "
                    "relationerne springes over."
                ),
            )
        if competences is None:
            items = tuple(self.competence(child, ancestors=None, children=True) for child in item.children)
        else:
            items = tuple(
                self.competence(placed.item, ancestors=(item, *placed.ancestors), children=False)
                for placed in competences
            )
        return AreaData(
            code=code,
            name=Text(name[0], english_name or name[1]),
            description=Text(description[0], english_description or description[1]),
            competences=items,
        )

    def competence(self, item: Item, *, ancestors: tuple[Item, ...] | None, children: bool) -> CompetenceData:
        """A competency as a competence: with its children (a fagdigital tree), or flattened below its area
        (`ancestors` from the area down, the path kept in the description when there are any in between)."""
        row, line = item.row, item.row.line
        if len(item.code) > COMPETENCE_CODE_MAX:
            self.report.problem(
                line,
                _("ID-nummeret %(message)s")
                % {"message": too_long_message(COMPETENCE_CODE_MAX, len(item.code))},
            )
        name = self.item_name(item, COMPETENCE_NAME_MAX)
        (description, english_description), descriptors = self.fields.description(
            row, descriptors_allowed=True
        )
        competence_scale(self.report, row, self.framework_values)
        meta = self.competence_meta(row)
        for level in meta.descriptors_en:
            if level not in descriptors[0]:
                self.report.problem(
                    line,
                    _(
                        "»descriptors_en« i »Rule config« har en engelsk tekst for niveau %(level)s, men "
                        "beskrivelsen har ingen dansk niveaubeskrivelse for niveau %(level)s."
                    )
                    % {"level": level},
                )
        description_text = Text(description, meta.description_en or english_description)
        if ancestors is not None and len(ancestors) > 1:
            description_text = self.with_path(description_text, [*ancestors, item])
        da_descriptors, en_descriptors = descriptors
        return CompetenceData(
            code=item.code,
            name=Text(name[0], meta.name_en or name[1]),
            description=description_text,
            kind=meta.kind,
            digcomp=meta.digcomp,
            kl_wheel=meta.kl_wheel,
            it_system_categories=meta.categories,
            descriptors=tuple(
                DescriptorData(
                    level, Text(text, meta.descriptors_en.get(level) or en_descriptors.get(level, ""))
                )
                for level, text in sorted(da_descriptors.items())
            ),
            children=tuple(self.competence(child, ancestors=None, children=True) for child in item.children)
            if children
            else (),
            related=tuple(self.related(row, item.code)),
        )

    def with_path(self, description: Text, path: list[Item]) -> Text:
        """The description with a last paragraph saying where the competency sits in the Moodle tree."""
        names = [self.names.get(item.code, (item.code, "")) for item in path]
        da_path = PATH_PREFIX.da + PATH_SEPARATOR.join(da for da, _en in names)
        da = f"{description.da}\n\n{da_path}" if description.da else da_path
        en = description.en
        if en:
            en += "\n\n" + PATH_PREFIX.en + PATH_SEPARATOR.join(en_name or da for da, en_name in names)
        return Text(da, en)

    def related(self, row: Row, code: str) -> list[str]:
        related = []
        for other in self.fields.related(row, code):
            if other in self.area_codes:
                self.report.warning(
                    row.line,
                    _(
                        "»%(code)s« er et fokusområde (øverste niveau), og fokusområder kan ikke være "
                        "relaterede kompetencer i fagdigital; relationen springes over."
                    )
                    % {"code": other},
                )
            else:
                related.append(other)
        return related

    def competence_meta(self, row: Row) -> _CompetenceMeta:
        """fagdigital's metadata of a competency row, checked; defaults when the row has none."""
        line = row.line
        meta = self.meta.metadata(row, _COMPETENCE_META)
        if meta is None:
            return _CompetenceMeta()
        digcomp = self.meta.meta_strings(meta, "digcomp", line)
        for value in digcomp:
            if value not in DIGCOMP_COMPETENCES:
                self.report.problem(
                    line, _("»digcomp« i »Rule config«: %(message)s") % {"message": digcomp_message(value)}
                )
        kl_wheel = self.meta.meta_strings(meta, "kl_wheel", line)
        for value in kl_wheel:
            if value not in KL_WHEEL_CODES:
                self.report.problem(
                    line, _("»kl_wheel« i »Rule config«: %(message)s") % {"message": kl_wheel_message(value)}
                )
        categories = self.meta.meta_strings(meta, "it_system_categories", line)
        for value in categories:
            if not is_slug(value) or len(value) > SLUG_MAX:
                self.report.problem(
                    line,
                    _("»it_system_categories« i »Rule config«: %(message)s")
                    % {"message": slug_message(value)},
                )
        return _CompetenceMeta(
            name_en=self.meta.meta_text(meta, "name_en", line, COMPETENCE_NAME_MAX),
            description_en=self.meta.meta_text(meta, "description_en", line),
            kind=self.meta.meta_kind(meta, line),
            digcomp=digcomp,
            kl_wheel=kl_wheel,
            categories=categories,
            descriptors_en=self.meta.meta_descriptors(meta, line),
        )


@dataclass(frozen=True)
class _CompetenceMeta:
    name_en: str = ""
    description_en: str = ""
    kind: str = CompetenceKind.INTEGRATED.value
    digcomp: tuple[str, ...] = ()
    kl_wheel: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    descriptors_en: dict[int, str] = field(default_factory=dict)


def _unique_code(code: str, used: set[str]) -> str:
    """`code`, or with a number added, so that it differs from every ID number in the file."""
    candidate, number = code, 1
    while candidate in used:
        suffix = f"-{number}"
        candidate, number = code[: AREA_CODE_MAX - len(suffix)] + suffix, number + 1
    used.add(candidate)
    return candidate
