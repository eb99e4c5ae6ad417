"""Cells a spreadsheet would run as a formula ("CSV injection", OWASP), made harmless and read back exactly.

A CSV file exported for Moodle is often opened in Excel or LibreOffice first. A cell that starts with `=`,
`+`, `-`, `@`, a tab or a carriage return is taken as a formula there, so the writer never lets a cell start
with one (as the dashboard exports do, analytics/exports.py):

- a plain-text cell (ID numbers, scale values) gets a leading apostrophe, which spreadsheets hide and which
  the reader removes again — also from a cell that itself started with apostrophes before such a character,
  so every text reads back as it was written;
- an HTML cell (short names, descriptions) starts with the character reference instead (`&#61;` for `=`),
  which Moodle shows as the character itself and the reader decodes like any other entity.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_APOSTROPHE = "'"


def looks_like_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS)


def neutralise(cell: str) -> str:
    """A plain-text cell that no spreadsheet runs: a leading apostrophe before what would be a formula.

    Apostrophes already in front of such a cell get one more, so `restore` is always the exact inverse.
    """
    if looks_like_formula(cell.lstrip(_APOSTROPHE)):
        return _APOSTROPHE + cell
    return cell


def restore(cell: str) -> str:
    """The text `neutralise` was given: one leading apostrophe removed when a formula character follows."""
    if cell.startswith(_APOSTROPHE) and looks_like_formula(cell.lstrip(_APOSTROPHE)):
        return cell[1:]
    return cell


def neutralise_html(cell: str) -> str:
    """An HTML cell that no spreadsheet runs: its first character as a numeric character reference."""
    if looks_like_formula(cell):
        return f"&#{ord(cell[0])};{cell[1:]}"
    return cell
