"""Bytes → rows: the encoding, the separator, the header (by name, or by position as Moodle reads it), and
every row with the file line it begins on."""

from __future__ import annotations

import codecs
import csv
import io
import re

from django.utils.translation import gettext as _

from fagdigital.frameworks.formats.limits import MAX_ITEMS, MAX_PROBLEMS
from fagdigital.frameworks.formats.messages import too_many_items_message
from fagdigital.frameworks.formats.spreadsheet import restore

from .columns import ALIASES, COLUMNS, DELIMITERS, HEADER, HTML_COLUMNS, OPTIONAL_COLUMNS, normalise
from .report import Report, Row


def read_rows(report: Report, raw: bytes) -> list[Row]:
    """The file's rows (without the header and blank lines); empty, with problems, when it cannot be read."""
    text = _decode(report, raw)
    if text is None:
        return []
    header = _header(report, text)
    if header is None or report.problems:
        return []
    delimiter, columns = header
    return _rows(report, text, delimiter, columns)


def _decode(report: Report, raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        for number, line in enumerate(re.split(rb"\r\n|\r|\n", raw), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                column = len(line[: error.start].decode("utf-8", errors="replace")) + 1
                report.problem(
                    number,
                    _(
                        "teksten er ikke gyldig UTF-8 (tegn nr. %(column)s). Gem filen med tegnsættet "
                        "UTF-8, fx som »CSV UTF-8« i Excel, eller eksportér den igen fra Moodle."
                    )
                    % {"column": column},
                )
                if len(report.problems) >= MAX_PROBLEMS:
                    break
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        report.problem(line, _("filen indeholder NUL-tegn og er ikke en tekstfil. Vælg den rigtige CSV-fil."))
        return None
    if not text.strip():
        report.problem(1, _("filen er tom. Eksportér rammen fra Moodle igen."))
        return None
    return text


def _header(report: Report, text: str) -> tuple[str, list[str | None]] | None:
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        names = [ALIASES.get(normalise(cell)) for cell in cells]
        known = sum(name is not None for name in names)
        if len(cells) > 1 and (known >= 3 or len(cells) == len(COLUMNS)):
            return delimiter, _columns(report, cells, names)
    report.problem(
        1,
        _(
            "første linje skal være Moodles kolonneoverskrifter adskilt af komma: %(header)s. Eksportér "
            "rammen fra Moodle igen, eller ret overskriften."
        )
        % {"header": ", ".join(HEADER)},
    )
    return None


def _columns(report: Report, cells: list[str], names: list[str | None]) -> list[str | None]:
    known = [name for name in names if name is not None]
    positional = len(cells) == len(COLUMNS) and all(
        name in (None, COLUMNS[index]) for index, name in enumerate(names)
    )
    if positional and len(known) <= len(cells) // 2:
        # Moodle reads columns by position, so a header in another language is still a Moodle file.
        report.warning(
            1,
            _(
                "overskrifterne er ikke Moodles engelske, så kolonnerne er læst i Moodles faste "
                "rækkefølge: %(header)s."
            )
            % {"header": ", ".join(HEADER)},
        )
        return list(COLUMNS)
    result: list[str | None] = []
    for cell, name in zip(cells, names, strict=True):
        if name is None:
            report.problem(
                1,
                _("kolonnen »%(column)s« kendes ikke. Moodles kolonner er: %(header)s.")
                % {"column": cell, "header": ", ".join(HEADER)},
            )
        elif name in result:
            report.problem(1, _("kolonnen »%(column)s« står der to gange. Slet den ene.") % {"column": cell})
        result.append(name)
    for column, title in zip(COLUMNS, HEADER, strict=True):
        if column not in result and column not in OPTIONAL_COLUMNS:
            report.problem(
                1,
                _("kolonnen »%(column)s« mangler. Tilføj den, eller eksportér rammen fra Moodle igen.")
                % {"column": title},
            )
    return result


def _rows(report: Report, text: str, delimiter: str, columns: list[str | None]) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    try:
        next(reader)
    except csv.Error:
        report.problem(
            1, _("overskriftslinjen har anførselstegn, der ikke passer sammen. Ret eller slet dem.")
        )
        return []
    while len(report.problems) < MAX_PROBLEMS:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            _unreadable(report, line, error)
            break
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, or the empty rows spreadsheets add at the end
        if len(cells) != len(columns):
            report.problem(
                line,
                _(
                    "linjen har %(found)s felter, men overskriften har %(expected)s. Tjek at tekster med "
                    "komma står i anførselstegn."
                )
                % {"found": len(cells), "expected": len(columns)},
            )
            continue
        if len(rows) == MAX_ITEMS + 1:  # the framework row and MAX_ITEMS competencies
            report.problem(line, too_many_items_message(MAX_ITEMS))
            break
        rows.append(Row(line, _cells(columns, cells)))
    return rows


def _cells(columns: list[str | None], cells: list[str]) -> dict[str, str]:
    """Cells by column; plain-text cells that fagdigital protected against spreadsheets are restored."""
    return {
        name: cell if name in HTML_COLUMNS else restore(cell)
        for name, cell in zip(columns, cells, strict=True)
        if name is not None
    }


def _unreadable(report: Report, line: int, error: csv.Error) -> None:
    if "field larger than field limit" in str(error):
        report.problem(
            line,
            _("et felt i linjen er over %(limit)s tegn langt. Forkort beskrivelsen, eller del den op.")
            % {"limit": csv.field_size_limit()},
        )
        return
    report.problem(
        line,
        _(
            "linjen kan ikke læses som CSV. Tjek at tekster med komma, linjeskift eller anførselstegn står i "
            "anførselstegn, og at anførselstegn inde i teksten er skrevet to gange."
        ),
    )
