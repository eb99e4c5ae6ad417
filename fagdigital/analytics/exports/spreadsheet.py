"""CSV and XLSX writers of the export tables.

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
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from fagdigital.privacy.texts import coverage_text

from .report import NO_FIGURE, Report, hidden_label, hidden_reason, legend_lines
from .tables import (
    Table,
    Value,
    calibration_table,
    distributions_table,
    gaps_table,
    heatmap_table,
    trend_table,
)

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

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
    _header_row(sheet, 1, [""], first_column=column)
    _header_row(sheet, 2, [_("Med i tallene (deltagere)")], first_column=column)
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
                    _put(sheet, row_index, offset, hidden_label(cell.missing, heatmap.k))
                    target.fill = PatternFill("solid", fgColor=HIDDEN_FILL)
                    target.font = Font(italic=True)
                    target.comment = Comment(hidden_reason(cell.missing, heatmap.k), "fagdigital")
                elif cell.share is None:
                    _put(sheet, row_index, offset, NO_FIGURE)
                else:
                    _put(sheet, row_index, offset, cell.share, "percent")
                    target.fill = PatternFill("solid", fgColor=BAND_FILLS[cell.band])
                    if row.is_total:
                        target.font = Font(bold=True)
                target.alignment = Alignment(horizontal="center", wrap_text=True)
            _put(
                sheet,
                row_index,
                len(row.cells) + 2,
                coverage_text(row.coverage.covered, row.coverage.participants),
            )
            row_index += 1
    _widths(sheet, [40] + [12] * len(first.competences) + [22])
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
