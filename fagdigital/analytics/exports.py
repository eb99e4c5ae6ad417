"""Exports of the gap dashboard: XLSX and CSV of its tables, and a PDF report per org unit.

Every figure comes from the selectors' visible cells (heatmap, top gaps, distributions, trend,
calibration), so an export can never show more than the dashboard does: a hidden cell is exported as an
empty value with a note saying why, never as a number.

Texts in an export are data a spreadsheet may interpret: unit names come from imported files, so a name
like `=HYPERLINK(...)` must stay text. XLSX cells are therefore always written with the string type, and
CSV cells that start like a formula get a leading apostrophe (OWASP, "CSV injection").
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fagdigital.core import pdf as core_pdf
from fagdigital.frameworks.models import Competence, Criticality, Framework
from fagdigital.orgs.models import OrgUnit
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

from . import selectors
from .anonymity import Reason
from .models import RollupSource

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

EXPORT_FORMATS = ("xlsx", "csv")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

Value = str | int | float | dt.date | None


# --- What an export holds ------------------------------------------------------------------------


@dataclass
class Section:
    """The dashboard's figures for one unit in view (the organisation when `unit` is None)."""

    unit: OrgUnit | None
    label: str
    heatmap: selectors.Heatmap
    gaps: list[selectors.Gap] = field(default_factory=list)
    distributions: list[selectors.Distribution] = field(default_factory=list)
    trend: list[selectors.TrendRow] = field(default_factory=list)
    calibration: list[selectors.CalibrationRow] = field(default_factory=list)

    @property
    def notice(self) -> str:
        """Why there are no figures at all, if so."""
        if self.heatmap.refused:
            return self.heatmap.refused
        if self.heatmap.framework is None:
            return _("Organisationen har ingen offentliggjort kompetenceramme endnu, så der er ingen tal.")
        return ""


@dataclass
class Report:
    organisation: Organisation
    filters: selectors.Filters
    framework: Framework | None
    sections: list[Section]
    k: int
    created: dt.datetime
    scope_label: str
    facts: list[tuple[str, str]]  # the header block: label → value

    @property
    def filename_base(self) -> str:
        """The unit's name for one unit in view, else the organisation's."""
        if len(self.sections) == 1 and self.sections[0].unit is not None:
            return self.sections[0].unit.name
        return self.organisation.name


def build_report(
    *,
    actor: Actor,
    units: Sequence[OrgUnit | None],
    filters: selectors.Filters,
    companions: bool = True,
) -> Report:
    """The heatmap (and, with `companions`, the tables beside it) for each unit in view, as on the page."""
    organisation = actor.organisation
    sections = []
    for unit in units:
        heatmap = selectors.heatmap(actor=actor, unit=unit, filters=filters)
        section = Section(unit=unit, label=unit.name if unit else organisation.name, heatmap=heatmap)
        # A refused filter shows no figures anywhere, not only in the heatmap.
        if companions and not section.notice:
            section.gaps = selectors.top_gaps(actor=actor, unit=unit, filters=filters)
            section.distributions = selectors.distributions(actor=actor, unit=unit, filters=filters)
            section.trend = selectors.trend(actor=actor, unit=unit, filters=filters)
            section.calibration = selectors.calibration(actor=actor, unit=unit, filters=filters)
        sections.append(section)
    k = sections[0].heatmap.k if sections else selectors.min_group(organisation)
    framework = sections[0].heatmap.framework if sections else None
    if list(units) == [None]:
        scope_label = _("Hele organisationen")
    else:
        scope_label = ", ".join(section.label for section in sections)
    created = timezone.localtime()
    report = Report(
        organisation=organisation,
        filters=filters,
        framework=framework,
        sections=sections,
        k=k,
        created=created,
        scope_label=scope_label,
        facts=[],
    )
    report.facts = _facts(report)
    return report


def _facts(report: Report) -> list[tuple[str, str]]:
    filters = report.filters
    heatmap = report.sections[0].heatmap if report.sections else None
    area_name = _("Alle fokusområder")
    if filters.area_code and heatmap is not None:
        area_name = next(
            (a.area.t("name") for a in heatmap.areas if a.area.code == filters.area_code), filters.area_code
        )
    role_name = _("Alle rolleprofiler")
    if filters.role_profile_code is not None:
        profiles = heatmap.role_profiles if heatmap is not None else []
        role_name = next(
            (rp.t("name") for rp in profiles if rp.code == filters.role_profile_code),
            filters.role_profile_code,
        )
    framework = report.framework
    return [
        (_("Organisation"), report.organisation.name),
        (_("Enhed"), report.scope_label),
        (
            _("Kompetenceramme"),
            _("%(name)s, version %(version)s") % {"name": framework.t("name"), "version": framework.version}
            if framework
            else _("Ingen offentliggjort kompetenceramme"),
        ),
        (
            _("Måling"),
            filters.campaign.name if filters.campaign else _("Nuværende niveau (seneste vurderinger)"),
        ),
        (_("Kilde"), str(RollupSource(filters.source).label)),
        (_("Fokusområde"), area_name),
        (_("Rolleprofil"), role_name),
        (_("Rækker"), _("Rolleprofiler") if filters.rows == "roles" else _("Enheder")),
        (_("Udtrukket"), created_text(report.created)),
        (_("Mindste gruppe (k)"), _("%(k)s personer") % {"k": report.k}),
        (_("Anonymitet"), anonymity_note(report.k)),
    ]


def created_text(moment: dt.datetime) -> str:
    return _("%(date)s kl. %(time)s") % {
        "date": date_format(moment, "DATE_FORMAT"),
        "time": date_format(moment, "TIME_FORMAT"),
    }


def anonymity_note(k: int) -> str:
    return _(
        "Tal for grupper på færre end %(k)s personer vises ikke. Nogle andre tal er også skjult, så et "
        "skjult tal ikke kan regnes ud ved at trække de viste tal fra hinanden. Hvor et tal er skjult, "
        "står der hvorfor i stedet for tallet. Del kun udtrækket med dem, der har brug for det."
    ) % {"k": k}


def hidden_reason(reason: str, k: int) -> str:
    """Why a figure is hidden, in full (the dashboard's wording)."""
    if reason == Reason.SMALL:
        return _("Færre end %(k)s personer") % {"k": k}
    return _("Skjult, så andre skjulte tal ikke kan regnes ud")


def hidden_label(reason: str, k: int) -> str:
    """The same, short enough for a narrow table cell; the legend and notes have the full text."""
    if reason == Reason.SMALL:
        return _("Færre end %(k)s") % {"k": k}
    return _("Skjult")


def no_target_note() -> str:
    return _("Ingen med målniveau i kompetencen")


NO_FIGURE = "\u2013"  # an en dash, as the page shows a cell without anyone in it


def legend_lines(k: int) -> list[tuple[str, str, str]]:
    """The heatmap's cell labels explained: (colour band, label, meaning)."""
    return [
        ("low", _("Under 50 %"), _("Under halvdelen er på målniveau (rød).")),
        (
            "mid",
            _("50–74 %"),  # noqa: RUF001 - a Danish range dash
            _("Halvdelen eller flere, men under tre fjerdedele, er på målniveau (gul)."),
        ),
        ("high", _("75 % og mere"), _("Mindst tre fjerdedele er på målniveau (grøn).")),
        (
            "none",
            hidden_label(Reason.SMALL, k),
            _("Tallet dækker færre end %(k)s personer og vises ikke.") % {"k": k},
        ),
        (
            "none",
            hidden_label(Reason.COMPLEMENT, k),
            _("Tallet er skjult, så andre skjulte tal ikke kan regnes ud."),
        ),
        ("empty", NO_FIGURE, _("Ingen med målniveau i kompetencen.")),
    ]


def criticality_label(weight: int) -> str:
    for value, label in Criticality.choices:
        if selectors.CRITICALITY_WEIGHT.get(value) == weight:
            return str(label)
    return str(weight)


# --- Filenames -----------------------------------------------------------------------------------

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def export_filename(prefix: str, name: str, date: dt.date, extension: str) -> str:
    """`kompetencegab-hjemmeplejen-noerre-2026-03-01.xlsx`: ASCII, so every browser and OS keeps it."""
    slug = slugify(name.translate(_DANISH_LETTERS))[:60].strip("-") or "enhed"
    return f"{slugify(prefix.translate(_DANISH_LETTERS))}-{slug}-{date.isoformat()}.{extension}"


# --- The tables, as rows of plain values (shared by XLSX and CSV) -------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # "text", "int", "percent" (a whole number 0 to 100), "decimal" or "date"
    width: int = 14


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Value]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _view_column(report: Report) -> list[Column]:
    """With several units in view (a leader of more than one), each row says which one it belongs to."""
    return [Column(_("Visning"), width=28)] if len(report.sections) > 1 else []


def _view_value(report: Report, section: Section) -> list[Value]:
    return [section.label] if len(report.sections) > 1 else []


def _row_kind(row: selectors.HeatRow) -> str:
    if row.is_total:
        return _("I alt")
    if row.key == "direct":
        return _("Placeret direkte")
    if row.unit is None:
        return _("Rolleprofil")
    return _("Underenhed")


def _area_of(heatmap: selectors.Heatmap) -> dict[int, str]:
    return {c.pk: columns.area.t("name") for columns in heatmap.areas for c in columns.competences}


def heatmap_table(report: Report) -> Table:
    """The heatmap one line per row and competence, with people and a note column (CSV and XLSX)."""
    table = Table(
        title=_("Heatmap, detaljer"),
        columns=[
            *_view_column(report),
            Column(_("Række"), width=36),
            Column(_("Rækketype"), width=16),
            Column(_("Fokusområde"), width=26),
            Column(_("Kode"), width=8),
            Column(_("Kompetence"), width=40),
            Column(_("Personer med målniveau"), "int"),
            Column(_("På eller over målniveau"), "int"),
            Column(_("Andel på eller over målniveau (%)"), "percent"),
            Column(_("Bemærkning"), width=44),
        ],
    )
    for section in report.sections:
        if section.notice:
            table.notices.append(f"{section.label}: {section.notice}")
            continue
        heatmap = section.heatmap
        area_of = _area_of(heatmap)
        for row in heatmap.rows:
            for cell in row.cells:
                if cell.hidden:
                    figures: list[Value] = [None, None, None]
                    note = hidden_reason(cell.reason, heatmap.k)
                else:
                    figures = [cell.people, cell.at_target, cell.share]
                    note = "" if cell.people else no_target_note()
                table.rows.append(
                    [
                        *_view_value(report, section),
                        row.label,
                        _row_kind(row),
                        area_of[cell.competence.pk],
                        cell.competence.code,
                        cell.competence.t("name"),
                        *figures,
                        note,
                    ]
                )
    return table


def gaps_table(report: Report) -> Table:
    table = Table(
        title=_("Største gab"),
        columns=[
            *_view_column(report),
            Column(_("Nr."), "int", 10),
            Column(_("Fokusområde"), width=26),
            Column(_("Kode"), width=8),
            Column(_("Kompetence"), width=40),
            Column(_("Personer under målniveau"), "int"),
            Column(_("Personer med målniveau"), "int"),
            Column(_("Manglende niveauer i alt"), "int"),
            Column(_("Kritikalitet"), width=12),
            Column(_("Point (manglende niveauer × vægt)"), "int", 18),  # noqa: RUF001
        ],
    )
    for section in report.sections:
        for place, gap in enumerate(section.gaps, start=1):
            table.rows.append(
                [
                    *_view_value(report, section),
                    place,
                    gap.area.t("name"),
                    gap.competence.code,
                    gap.competence.t("name"),
                    gap.people_below,
                    gap.people,
                    gap.gap_levels,
                    criticality_label(gap.weight),
                    gap.score,
                ]
            )
    table.notices.append(
        _(
            "Point er de manglende niveauer op til målniveauet lagt sammen for alle, ganget med "
            "kompetencens vægt: kritisk 3, vigtig 2, nyttig 1. Kompetencer med skjulte tal er ikke med."
        )
    )
    return table


def distributions_table(report: Report) -> Table:
    framework = report.framework
    level_names = [framework.level_name(n) if framework else str(n) for n in range(1, 5)]
    table = Table(
        title=_("Fordeling på niveauer"),
        columns=[
            *_view_column(report),
            Column(_("Fokusområde"), width=26),
            Column(_("Kode"), width=8),
            Column(_("Kompetence"), width=40),
            Column(_("Personer med et niveau"), "int"),
            *[
                Column(_("Niveau %(level)s: %(name)s") % {"level": n, "name": name}, "int", 16)
                for n, name in enumerate(level_names, start=1)
            ],
            Column(_("Bemærkning"), width=44),
        ],
    )
    for section in report.sections:
        area_of = _area_of(section.heatmap)
        for item in section.distributions:
            if item.hidden or item.levels is None:
                figures: list[Value] = [None] * 5
                note = hidden_reason(item.reason, report.k)
            else:
                figures = [item.people, *item.levels]
                note = ""
            table.rows.append(
                [
                    *_view_value(report, section),
                    area_of.get(item.competence.pk, ""),
                    item.competence.code,
                    item.competence.t("name"),
                    *figures,
                    note,
                ]
            )
    return table


def trend_note(point: selectors.TrendPoint) -> str:
    if point.hidden:
        return _("Vises ikke: for få personer, skjult af hensyn til anonymiteten, eller ikke med i målingen")
    if not point.people:
        return no_target_note()
    return ""


def trend_table(report: Report) -> Table:
    table = Table(
        title=_("Udvikling"),
        columns=[
            *_view_column(report),
            Column(_("Kode"), width=8),
            Column(_("Kompetence"), width=40),
            Column(_("Måling"), width=28),
            Column(_("Lukket"), "date", 12),
            Column(_("Personer med målniveau"), "int"),
            Column(_("Andel på eller over målniveau (%)"), "percent"),
            Column(_("Bemærkning"), width=44),
        ],
    )
    for section in report.sections:
        for row in section.trend:
            for point in row.points:
                table.rows.append(
                    [
                        *_view_value(report, section),
                        row.competence.code,
                        row.competence.t("name"),
                        point.label,
                        point.campaign.closes_on if point.campaign else None,
                        None if point.hidden else point.people,
                        None if point.hidden else point.share,
                        trend_note(point),
                    ]
                )
    table.notices.append(
        _("Udviklingen viser de afsluttede målinger på samme kompetenceramme, ældste først.")
    )
    return table


def calibration_table(report: Report) -> Table:
    table = Table(
        title=_("Kalibrering"),
        columns=[
            *_view_column(report),
            Column(_("Kode"), width=8),
            Column(_("Kompetence"), width=40),
            Column(_("Selvvurdering, gennemsnit"), "decimal", 16),
            Column(_("Videnstest, gennemsnit"), "decimal", 16),
            Column(_("Ledervurdering, gennemsnit"), "decimal", 16),
            Column(_("Forskel på et niveau eller mere"), width=16),
        ],
    )
    for section in report.sections:
        for row in section.calibration:
            table.rows.append(
                [
                    *_view_value(report, section),
                    row.competence.code,
                    row.competence.t("name"),
                    row.self_mean,
                    row.test_mean,
                    row.leader_mean,
                    _("Ja") if row.flagged else _("Nej"),
                ]
            )
    table.notices.append(
        _(
            "Gennemsnitligt niveau (1-4) pr. kilde. Et tomt felt betyder, at der ikke er tal nok fra kilden "
            "til at vise et gennemsnit."
        )
    )
    return table


# --- CSV -----------------------------------------------------------------------------------------

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made plain text by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value: Value, kind: str = "text") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Danish Excel reads a decimal comma.
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value)


def write_csv(report: Report) -> bytes:
    """The header block and the heatmap (one line per row and competence), for Danish Excel.

    UTF-8 with a byte-order mark (else Excel reads æøå as Windows-1252), semicolons (Danish Excel's list
    separator) and CRLF line ends.
    """
    table = heatmap_table(report)
    output = io.StringIO(newline="")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    for label, value in report.facts:
        writer.writerow([_csv_value(label), _csv_value(value)])
    for notice in table.notices:
        writer.writerow([_csv_value(_("Bemærkning")), _csv_value(notice)])
    writer.writerow([])
    writer.writerow([_csv_value(column.header) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_value(value, column.kind) for value, column in zip(row, table.columns, strict=True)]
        )
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")


# --- XLSX ----------------------------------------------------------------------------------------

BAND_FILLS = {"low": "F6C9C6", "mid": "FCE3A7", "high": "C5E6CF"}
HIDDEN_FILL = "E3E3E3"
HEADER_FILL = "DCE6F0"


def _put(sheet: Worksheet, row: int, column: int, value: Value, kind: str = "text") -> Cell:
    """Write one cell; text is always stored as text, never as a formula, whatever it starts with."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell  # noqa: PLC0415 - see write_xlsx

    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell), "written cells are never inside a merged range"
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        return cell
    # Empty cells of a number column get its format too, so the column reads alike throughout.
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "dd-mm-yyyy"
    elif kind == "percent":
        cell.value = None if value is None else value / 100
        cell.number_format = "0%"
    elif kind == "decimal":
        cell.value = value
        cell.number_format = "0.0"
    else:
        cell.value = value
    return cell


def _header_row(sheet: Worksheet, row: int, headers: Sequence[str], first_column: int = 1) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415

    for index, header in enumerate(headers):
        cell = _put(sheet, row, first_column + index, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _notices(sheet: Worksheet, row: int, notices: Sequence[str]) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415

    for offset, notice in enumerate(notices):
        _put(sheet, row + offset, 1, notice).font = Font(italic=True)


def _table_sheet(sheet: Worksheet, table: Table) -> None:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    _header_row(sheet, 1, [column.header for column in table.columns])
    sheet.row_dimensions[1].height = 45
    for row_index, row in enumerate(table.rows, start=2):
        for column_index, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
            _put(sheet, row_index, column_index, value, column.kind)
    _widths(sheet, [column.width for column in table.columns])
    sheet.freeze_panes = "A2"
    last = len(table.rows) + 1
    if table.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{last}"
    _notices(sheet, last + 2, table.notices)


def _about_sheet(sheet: Worksheet, report: Report) -> None:
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    title = _put(sheet, 1, 1, _("Kompetencegab: andel på eller over målniveau"))
    title.font = Font(bold=True, size=14)
    row = 3
    for label, value in report.facts:
        _put(sheet, row, 1, label).font = Font(bold=True)
        _put(sheet, row, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=1).alignment = Alignment(vertical="top")
        row += 1
    row += 1
    _put(sheet, row, 1, _("Sådan læses heatmappet")).font = Font(bold=True)
    row += 1
    _put(
        sheet,
        row,
        1,
        _(
            "Hvert felt er andelen af personerne med et målniveau i kompetencen, som er på eller over "
            "målniveauet."
        ),
    )
    for _band, label, meaning in legend_lines(report.k):
        row += 1
        _put(sheet, row, 1, label)
        _put(sheet, row, 2, meaning)
    _widths(sheet, [26, 100])


def _heatmap_sheet(sheet: Worksheet, report: Report) -> None:
    """The heatmap as on the page: rows by competences grouped by focus area, colour and number."""
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    heatmaps = [section.heatmap for section in report.sections if not section.notice]
    first = heatmaps[0] if heatmaps else None
    if first is None:
        _put(sheet, 1, 1, _("Der er ingen tal at vise.")).font = Font(bold=True)
        _notices(sheet, 2, [f"{s.label}: {s.notice}" for s in report.sections if s.notice])
        _widths(sheet, [60])
        return
    row_header = _("Rolleprofil") if report.filters.rows == "roles" else _("Enhed")
    _header_row(sheet, 1, [_("Fokusområde")])
    _header_row(sheet, 2, [row_header])
    column = 2
    for area in first.areas:
        _header_row(sheet, 1, [area.area.t("name")], first_column=column)
        if len(area.competences) > 1:
            sheet.merge_cells(
                start_row=1, start_column=column, end_row=1, end_column=column + len(area.competences) - 1
            )
        for competence in area.competences:
            _header_row(sheet, 2, [f"{competence.code} {competence.t('name')}"], first_column=column)
            column += 1
    sheet.row_dimensions[2].height = 75
    row_index = 3
    for section in report.sections:
        if section.notice:
            continue
        heatmap = section.heatmap
        if len(report.sections) > 1 and row_index > 3:
            row_index += 1  # a blank line between the units in view
        for row in heatmap.rows:
            label = _put(sheet, row_index, 1, row.label)
            label.alignment = Alignment(wrap_text=True, vertical="top")
            if row.is_total:
                label.font = Font(bold=True)
            for offset, cell in enumerate(row.cells, start=2):
                target = sheet.cell(row=row_index, column=offset)
                if cell.hidden:
                    _put(sheet, row_index, offset, hidden_label(cell.reason, heatmap.k))
                    target.fill = PatternFill("solid", fgColor=HIDDEN_FILL)
                    target.font = Font(italic=True)
                    target.comment = Comment(hidden_reason(cell.reason, heatmap.k), "fagdigital")
                elif cell.share is None:
                    _put(sheet, row_index, offset, NO_FIGURE)
                else:
                    _put(sheet, row_index, offset, cell.share, "percent")
                    target.fill = PatternFill("solid", fgColor=BAND_FILLS[cell.band])
                    if row.is_total:
                        target.font = Font(bold=True)
                target.alignment = Alignment(horizontal="center", wrap_text=True)
            row_index += 1
    _widths(sheet, [40] + [12] * len(first.competences))
    sheet.freeze_panes = "B3"
    notes = [
        _("Tallene er andelen på eller over målniveau. Antal personer står på arket «%(sheet)s».")
        % {"sheet": _("Heatmap, detaljer")},
        *[f"{label}: {meaning}" for _band, label, meaning in legend_lines(report.k)],
        *[f"{s.label}: {s.notice}" for s in report.sections if s.notice],
    ]
    _notices(sheet, row_index + 1, notes)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:2"


def write_xlsx(report: Report) -> bytes:
    """A workbook: about the export, the heatmap as on the page, and one sheet per table beside it."""
    # Imported here so that only requests for a workbook pay for loading openpyxl.
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook()
    workbook.properties.creator = "fagdigital"
    workbook.properties.title = _("Kompetencegab: %(scope)s") % {"scope": report.scope_label}
    about = workbook.worksheets[0]
    about.title = _("Om udtrækket")
    _about_sheet(about, report)
    _heatmap_sheet(workbook.create_sheet(_("Heatmap")), report)
    for table in (
        heatmap_table(report),
        gaps_table(report),
        distributions_table(report),
        trend_table(report),
        calibration_table(report),
    ):
        _table_sheet(workbook.create_sheet(table.title[:31]), table)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


@dataclass
class PdfCell:
    share: int | None
    people: int | None
    at_target: int | None
    band: str  # "low", "mid", "high"; "none" for a hidden cell, "empty" for one without anyone
    hidden: bool
    label: str  # short text for a hidden or empty cell
    note: str  # the full reason


@dataclass
class PdfRow:
    label: str
    is_total: bool
    cells: list[PdfCell]


@dataclass
class AreaTable:
    """The heatmap's columns of one focus area, so that a table fits the page's width."""

    name: str
    competences: list[Competence]
    rows: list[PdfRow]


@dataclass
class TrendTable:
    campaigns: list[str]
    rows: list[tuple[Competence, list[tuple[selectors.TrendPoint, str]]]]


@dataclass
class PdfSection:
    section: Section
    area_tables: list[AreaTable]
    wide: bool  # the heatmap goes on landscape pages
    trend: TrendTable
    trend_wide: bool
    gaps: list[tuple[selectors.Gap, str]]  # with the criticality's name
    distributions: list[tuple[selectors.Distribution, str]]  # with why a hidden one is hidden


# More competences than this in one focus area (or campaigns in the trend): the part turns to landscape.
PORTRAIT_MAX_COLUMNS = 5
PORTRAIT_MAX_CAMPAIGNS = 4


def _pdf_cell(cell: selectors.HeatCell, k: int) -> PdfCell:
    if cell.hidden:
        label, note = hidden_label(cell.reason, k), hidden_reason(cell.reason, k)
    elif cell.share is None:
        label, note = NO_FIGURE, no_target_note()
    else:
        label, note = "", ""
    return PdfCell(
        share=cell.share,
        people=cell.people,
        at_target=cell.at_target,
        band="empty" if not cell.hidden and cell.share is None else cell.band,
        hidden=cell.hidden,
        label=label,
        note=note,
    )


def pdf_section(section: Section) -> PdfSection:
    heatmap = section.heatmap
    tables = []
    start = 0
    for area in heatmap.areas:
        end = start + len(area.competences)
        rows = [
            PdfRow(
                label=row.label,
                is_total=row.is_total,
                cells=[_pdf_cell(cell, heatmap.k) for cell in row.cells[start:end]],
            )
            for row in heatmap.rows
        ]
        tables.append(AreaTable(name=area.area.t("name"), competences=area.competences, rows=rows))
        start = end
    campaigns = [point.label for point in section.trend[0].points] if section.trend else []
    trend = TrendTable(
        campaigns=campaigns,
        rows=[
            (row.competence, [(point, trend_note(point)) for point in row.points]) for row in section.trend
        ],
    )
    wide = max((len(area.competences) for area in heatmap.areas), default=0) > PORTRAIT_MAX_COLUMNS
    return PdfSection(
        section=section,
        area_tables=tables,
        wide=wide,
        trend=trend,
        trend_wide=len(campaigns) > PORTRAIT_MAX_CAMPAIGNS,
        gaps=[(gap, criticality_label(gap.weight)) for gap in section.gaps],
        distributions=[
            (item, hidden_reason(item.reason, heatmap.k) if item.hidden else "")
            for item in section.distributions
        ],
    )


def report_html(report: Report, request: HttpRequest | None = None) -> str:
    framework = report.framework
    context: dict[str, Any] = {
        "report": report,
        "sections": [pdf_section(section) for section in report.sections],
        "level_names": [framework.level_name(n) if framework else str(n) for n in range(1, 5)],
        "created": created_text(report.created),
        "legend": legend_lines(report.k),
    }
    return render_to_string("analytics/report_pdf.html", context, request=request)


PDF_STYLESHEET = Path(__file__).parent / "static" / "analytics" / "report_pdf.css"


def render_pdf(html: str) -> bytes:
    """A PDF (A4, landscape pages where the heatmap is wide) of the report's HTML."""
    return core_pdf.render_pdf(html, stylesheet=PDF_STYLESHEET)
