"""The PDF report per unit: the same sections as the dashboard, laid out for A4."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from fagdigital.analytics import selectors
from fagdigital.core import pdf as core_pdf
from fagdigital.frameworks.models import Competence
from fagdigital.privacy.release import Missing

from .report import (
    NO_FIGURE,
    Report,
    Section,
    created_text,
    criticality_label,
    hidden_label,
    hidden_reason,
    legend_lines,
    no_target_note,
)
from .tables import trend_note

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
    coverage: selectors.Coverage


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
        label, note = hidden_label(cell.missing, k), hidden_reason(cell.missing, k)
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
                coverage=row.coverage,
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
            (item, hidden_label(Missing.FEW, heatmap.k) if item.hidden else "")
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


PDF_STYLESHEET = Path(__file__).parent.parent / "static" / "analytics" / "report_pdf.css"


def render_pdf(html: str) -> bytes:
    """A PDF (A4, landscape pages where the heatmap is wide) of the report's HTML."""
    return core_pdf.render_pdf(html, stylesheet=PDF_STYLESHEET)
