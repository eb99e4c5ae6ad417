"""Reading people files (CSV or XLSX) into rows and problems. Pure: no database access.

`read_people_file` first checks the file's shape against the limits in `limits` (sizes, rows, columns,
cells, zip members) without parsing it, then reads it into `ImportRow`s and a list of every problem found,
each naming the file line, the column and how to fix it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal
from xml.parsers import expat

from django.conf import settings

from . import limits
from .problems import ImportProblem, make_problem
from .rows import (
    DANISH_HEADERS,
    ENGLISH_HEADERS,
    FALSE_VALUES,
    FORMULA_PREFIXES,
    HEADER_ALIASES,
    MAX_ROWS,
    TRUE_VALUES,
    ImportRow,
    normalise_header,
)
from .units import resolve_unit_ids, split_paths
from .validation import check_rows

PROGRESS_EVERY = 1000
XLSX_MAX_COLUMNS = limits.MAX_COLUMNS


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    file_format: Literal["csv", "xlsx", ""] = ""
    encoding: str = ""
    delimiter: str = ""
    mode: Literal["path", "id", ""] = ""
    # Every unit the file names (also those without employees of their own) → its enheds-id ("" if none).
    units: dict[tuple[str, ...], str] = field(default_factory=dict)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not any(p.is_error for p in self.problems)


ProgressCallback = Callable[[int, int], None]


# --- reading ----------------------------------------------------------------------------------------

# (line, cells, indexes of cells that hold a spreadsheet formula)
Record = tuple[int, list[str], frozenset[int]]
_NO_FORMULAS: frozenset[int] = frozenset()


def read_people_file(
    *, data: bytes, filename: str, max_bytes: int | None = None, progress: ProgressCallback | None = None
) -> ParseResult:
    """Read a CSV or XLSX people file; every problem is reported, nothing is stored.

    `max_bytes` defaults to settings.FAGDIGITAL_IMPORT_MAX_BYTES. `progress(done, total)` is called
    every PROGRESS_EVERY rows with the number of data rows read so far (total is an estimate until the
    end).
    """
    limit = settings.FAGDIGITAL_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    result = ParseResult()
    if len(data) > limit:
        result.problems.append(make_problem("too_large", size_bytes=len(data), limit_bytes=limit))
        return result
    if not data.strip():
        result.problems.append(make_problem("empty_file"))
        return result
    lower = filename.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        result.problems.append(make_problem("old_xls"))
        return result
    if data.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        result.file_format = "xlsx"
        shape = _xlsx_shape(data, result)
        if shape is None:
            return result
        opened = _xlsx_records(data, result, shape)
        if opened is None:
            return result
        _parse(opened[0], result, delimiter="", progress=progress, estimate=opened[1])
        return result
    result.file_format = "csv"
    text = _decode(data, result)
    if text is None:
        return result
    delimiter, skip = _sniff_delimiter(text)
    result.delimiter = delimiter
    try:
        limits.check_csv_text(text, delimiter=delimiter)
    except limits.LimitExceeded as exceeded:
        result.problems.append(exceeded.problem)
        return result
    records = _csv_records(text, result, delimiter=delimiter, skip=skip)
    _parse(records, result, delimiter=delimiter, progress=progress, estimate=text.count("\n"))
    return result


def _decode(data: bytes, result: ParseResult) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252."""
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, result.encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            result.problems.append(make_problem("not_text"))
            return None
    else:
        try:
            text = data.decode("utf-8-sig")
            result.encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        except UnicodeDecodeError as utf8_error:
            error = utf8_error
            if not data.startswith(codecs.BOM_UTF8):
                try:
                    text, result.encoding = data.decode("cp1252"), "cp1252"
                except UnicodeDecodeError as cp1252_error:
                    error = cp1252_error
            if text is None:
                bad = error.object[error.start : error.start + 1]
                line = error.object.count(b"\n", 0, error.start) + 1
                result.problems.append(
                    make_problem("bad_encoding", byte=f"0x{bad.hex().upper()}", byte_line=line)
                )
                return None
    if text is None or "\x00" in text:
        result.problems.append(make_problem("not_text"))
        return None
    return text


def _sniff_delimiter(text: str) -> tuple[str, int]:
    """The delimiter that makes the most known headers (`;`, `,` or tab), and the line to start from.

    Excel's "sep=;" hint line is honoured and skipped.
    """
    lines = text[:65536].splitlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines):
        return ";", 0
    first = lines[start].strip()
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], start + 1
    best: tuple[int, int, str] = (-1, -1, ";")
    for delimiter in (";", ",", "\t"):
        header = next(csv.reader([lines[start]], delimiter=delimiter))
        known = sum(1 for cell in header if normalise_header(cell) in HEADER_ALIASES)
        best = max(best, (known, len(header), delimiter))
    return best[2], 0


def _csv_records(text: str, result: ParseResult, *, delimiter: str, skip: int) -> Iterator[Record]:
    stream = io.StringIO(text, newline="")
    for _skipped in range(skip):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter)
    previous_end = skip
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            result.problems.append(make_problem("bad_csv", line=previous_end + 1, detail=str(error)))
            return
        line = previous_end + 1
        previous_end = reader.line_num + skip
        if previous_end > line and any("\n" in cell or "\r" in cell for cell in cells):
            result.problems.append(make_problem("newline_in_field", line=line, end_line=previous_end))
            continue
        yield line, cells, _NO_FORMULAS


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _xlsx_shape(data: bytes, result: ParseResult) -> limits.SheetShape | None:
    """The limits' check of the zip and its XML parts (see `limits`), or None with the problem added."""
    try:
        return limits.check_xlsx(io.BytesIO(data))
    except limits.LimitExceeded as exceeded:
        result.problems.append(exceeded.problem)
    except (zipfile.BadZipFile, expat.ExpatError, ValueError, KeyError, EOFError, OSError) as error:
        result.problems.append(make_problem("bad_xlsx", detail=type(error).__name__))
    return None


def _xlsx_records(
    data: bytes, result: ParseResult, shape: limits.SheetShape
) -> tuple[Iterator[Record], int] | None:
    """The first sheet's rows as text (formulas as their formula text) and its number of rows, or None
    if it cannot be opened. Rows and columns stop where the cells really end (`shape`), not where the
    sheet's own dimension says: that may be wrong in both directions."""
    import openpyxl  # noqa: PLC0415 - only XLSX uploads pay for the import

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds on broken files; all mean "cannot open"
        result.problems.append(make_problem("bad_xlsx", detail=type(error).__name__))
        return None
    if getattr(sheet, "_worksheet_path", shape.sheet_part) != shape.sheet_part:
        # openpyxl would read another part than the one the limits checked: never read it unchecked.
        workbook.close()
        result.problems.append(make_problem("bad_xlsx", detail="sheet"))
        return None
    # The limits found every row and column within bounds; the sheet's own dimension may be wrong in
    # both directions (openpyxl would stop reading at a too small one, and pad to a too large one).
    sheet.reset_dimensions()

    def records() -> Iterator[Record]:
        try:
            for line, row in enumerate(sheet.iter_rows(), start=1):
                cells = [_cell_text(cell.value) for cell in row]
                formulas = frozenset(i for i, cell in enumerate(row) if cell.data_type == "f")
                yield line, cells, formulas or _NO_FORMULAS
        except Exception as error:  # a broken sheet part shows only when it is read
            result.problems.append(make_problem("bad_xlsx", detail=type(error).__name__))
        finally:
            workbook.close()

    return records(), shape.rows


@dataclass
class Columns:
    """Which cell index holds which field, and the header as the file writes it."""

    index: dict[str, int]
    header: dict[str, str]

    def name(self, field_name: str) -> str:
        return self.header.get(field_name, DANISH_HEADERS[field_name])


def _map_header(line: int, cells: list[str], result: ParseResult) -> Columns | None:
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    for position, raw in enumerate(cells):
        text = raw.strip()
        if not text:
            continue
        name = HEADER_ALIASES.get(normalise_header(text))
        if name is None:
            result.problems.append(make_problem("unknown_column", line=line, column=text, is_error=False))
        elif name in index:
            result.problems.append(
                make_problem(
                    "duplicate_column", line=line, column=text, column_name=header[name], other_column=text
                )
            )
        else:
            index[name] = position
            header[name] = text
    found = ", ".join(f"»{c.strip()}«" for c in cells if c.strip()) or "—"
    ok = True
    for name in ("employee_number", "name", "job_function"):
        if name not in index:
            result.problems.append(
                make_problem(
                    "missing_column",
                    line=line,
                    column_name=DANISH_HEADERS[name],
                    english=ENGLISH_HEADERS[name],
                    found=found,
                )
            )
            ok = False
    if "parent_unit_id" in index and "unit_id" not in index:
        result.problems.append(make_problem("parent_without_id", line=line))
        ok = False
    elif "unit" not in index:
        if "unit_id" in index:
            result.problems.append(
                make_problem("missing_column", line=line, column_name="enhed", english="unit", found=found)
            )
        else:
            result.problems.append(make_problem("missing_unit_column", line=line, found=found))
        ok = False
    if any(p.is_error for p in result.problems):
        ok = False
    return Columns(index=index, header=header) if ok else None


def _parse(
    records: Iterable[Record],
    result: ParseResult,
    *,
    delimiter: str,
    progress: ProgressCallback | None,
    estimate: int,
) -> None:
    """Header, then rows. `delimiter` is "" for spreadsheets (no field-count check there)."""
    iterator = iter(records)
    columns: Columns | None = None
    header_line = 0
    width = 0
    for line, cells, _formulas in iterator:
        if any(cell.strip() for cell in cells):
            header_line, width = line, len(cells)
            columns = _map_header(line, cells, result)
            break
    if not header_line:
        if not result.problems:
            result.problems.append(make_problem("empty_file"))
        return
    if columns is None:
        return
    id_mode = "parent_unit_id" in columns.index
    result.mode = "id" if id_mode else "path"
    index = columns.index
    fields = [(name, index[name], columns.name(name)) for name in DANISH_HEADERS if name in index]
    problems = result.problems
    add = problems.append
    read = _values(
        iterator,
        fields,
        result,
        delimiter=delimiter,
        width=width,
        progress=progress,
        first=header_line,
        estimate=estimate,
    )
    if read is None:
        return
    raw_rows, unit_rows = read
    if not raw_rows:
        if not any(p.is_error for p in problems):
            add(make_problem("no_data_rows", line=header_line))
        return

    if id_mode:
        paths = resolve_unit_ids(raw_rows, unit_rows, columns, result)
    else:
        paths = split_paths(raw_rows, unit_rows, columns, result)

    rows = result.rows
    rows.extend(_import_rows(raw_rows, paths, columns.name("leader"), result))
    if progress is not None:
        progress(len(rows), len(rows))
    header_names = {name: columns.name(name) for name in DANISH_HEADERS}
    already = {(p.line, p.column) for p in problems if p.is_error}
    for found in check_rows(rows, columns=header_names, check_units=not id_mode):
        if (found.line, found.column) not in already:
            add(found)
    problems.sort(key=lambda p: (p.line or 0, not p.is_error))
    if not result.is_valid:
        result.units = {}


def _values(
    iterator: Iterator[Record],
    fields: list[tuple[str, int, str]],
    result: ParseResult,
    *,
    delimiter: str,
    width: int,
    progress: ProgressCallback | None,
    first: int,
    estimate: int,
) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, dict[str, str]]]] | None:
    """First pass: cells → values per row (person rows, and rows that only describe a unit), with the
    formula warnings; None when the file has too many rows."""
    add = result.problems.append
    header_line = first
    # First pass: cells → values, per row; unit ids in id mode are resolved afterwards.
    raw_rows: list[tuple[int, dict[str, str]]] = []
    unit_rows: list[tuple[int, dict[str, str]]] = []  # rows that only describe a unit
    for line, cells, formulas in iterator:
        if len(raw_rows) + len(unit_rows) >= MAX_ROWS:
            add(make_problem("too_many_rows", limit=MAX_ROWS))
            return None
        if delimiter and len(cells) > width and any(cell.strip() for cell in cells[width:]):
            add(
                make_problem(
                    "too_many_fields", line=line, found=len(cells), expected=width, delimiter=delimiter
                )
            )
            continue
        values: dict[str, str] = {}
        blank = True
        for name, position, column in fields:
            value = cells[position].strip() if position < len(cells) else ""
            if value:
                blank = False
                if position in formulas:
                    add(make_problem("formula_cell", line=line, column=column, is_error=False, value=value))
                elif value[0] in FORMULA_PREFIXES:
                    add(make_problem("formula_text", line=line, column=column, is_error=False, char=value[0]))
            values[name] = value
        if blank:
            continue
        if not (values["employee_number"] or values["name"] or values["job_function"] or values.get("email")):
            unit_rows.append((line, values))
        else:
            raw_rows.append((line, values))
        if progress is not None and len(raw_rows) % PROGRESS_EVERY == 0:
            progress(len(raw_rows), max(len(raw_rows), estimate - header_line))
    return raw_rows, unit_rows


def _import_rows(
    raw_rows: list[tuple[int, dict[str, str]]],
    paths: dict[int, tuple[str, ...]],
    leader_column: str,
    result: ParseResult,
) -> list[ImportRow]:
    """Person rows with their unit path and leader flag ("ja"/"nej" and the like)."""
    add = result.problems.append
    rows: list[ImportRow] = []
    for line, values in raw_rows:
        leader_text = values.get("leader", "").casefold()
        if leader_text in TRUE_VALUES:
            is_leader = True
        elif leader_text in FALSE_VALUES:
            is_leader = False
        else:
            add(make_problem("invalid_leader", line=line, column=leader_column, value=values["leader"]))
            is_leader = False
        rows.append(
            ImportRow(
                line=line,
                employee_number=values["employee_number"],
                name=values["name"],
                email=values.get("email", ""),
                unit_path=paths.get(line, ()),
                unit_external_id=values.get("unit_id", ""),
                job_function=values["job_function"],
                is_leader=is_leader,
                email_given="email" in values,
            )
        )
    return rows
