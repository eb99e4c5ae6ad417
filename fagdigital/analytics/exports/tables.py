"""The export tables as rows of plain values, shared by the XLSX and CSV writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fagdigital.analytics import selectors

from .report import Report, Section, criticality_label, hidden_reason

Value = str | int | float | dt.date | None


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
            Column(_("Deltagere i rækken"), "int"),
            Column(_("Heraf med i tallene"), "int"),
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
                if cell.people is None:
                    figures: list[Value] = [None, None, None]
                    note = hidden_reason(cell.missing, heatmap.k)
                else:
                    figures = [cell.people, cell.at_target, cell.share]
                    note = ""
                table.rows.append(
                    [
                        *_view_value(report, section),
                        row.label,
                        _row_kind(row),
                        area_of[cell.competence.pk],
                        cell.competence.code,
                        cell.competence.t("name"),
                        *figures,
                        row.coverage.participants,
                        row.coverage.covered,
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
            Column(_("Point (manglende niveauer × vægt)"), "int", 18),
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
                note = _("Ingen tal: færre end %(k)s svar, eller personerne tælles med højere oppe.") % {
                    "k": report.k
                }
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
        return _("Ingen tal: for få svar her, personerne tælles med højere oppe, eller ikke med i målingen")
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
