"""Exports of the gap dashboard: XLSX and CSV of its tables, and a PDF report per org unit.

Every figure comes from the selectors' visible cells (heatmap, top gaps, distributions, trend,
calibration), so an export can never show more than the dashboard does: a hidden cell is exported as an
empty value with a note saying why, never as a number.

Texts in an export are data a spreadsheet may interpret: unit names come from imported files, so a name
like `=HYPERLINK(...)` must stay text. XLSX cells are therefore always written with the string type, and
CSV cells that start like a formula get a leading apostrophe (OWASP, "CSV injection").
"""

from .pdf import render_pdf, report_html
from .report import EXPORT_FORMATS, Report, Section, build_report, export_filename
from .spreadsheet import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, neutralise, write_csv, write_xlsx

__all__ = [
    "CSV_CONTENT_TYPE",
    "EXPORT_FORMATS",
    "XLSX_CONTENT_TYPE",
    "Report",
    "Section",
    "build_report",
    "export_filename",
    "neutralise",
    "render_pdf",
    "report_html",
    "write_csv",
    "write_xlsx",
]
