"""Reading and validating people files (no database): formats, encodings, and every problem message."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.orgs.people_import import (
    ImportProblem,
    ImportRow,
    ParseResult,
    check_rows,
    read_people_file,
)

HEADER = ["medarbejdernummer", "navn", "e-mail", "enhed", "stillingsbetegnelse", "leder"]
ROWS = [
    ["1001", "Anne Ærø", "anne@kommune.dk", "Social og Sundhed/Hjemmeplejen/Team Nord", "Teamleder", "ja"],
    ["1002", "Bo Ødegaard", "", "Social og Sundhed/Hjemmeplejen/Team Nord", "Social- og sundhedshjælper", ""],
    ["1003", "Åse Lund", "aase@kommune.dk", "Social og Sundhed", "Direktør", "x"],
]


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def read(data: bytes, filename: str = "personer.csv", **kwargs: int) -> ParseResult:
    return read_people_file(data=data, filename=filename, **kwargs)


def messages(result: ParseResult) -> list[str]:
    return [problem.message for problem in result.problems]


def only_error(result: ParseResult) -> ImportProblem:
    errors = result.errors
    assert len(errors) == 1, messages(result)
    return errors[0]


def test_a_semicolon_file_with_bom_as_danish_excel_writes_it_is_read_into_rows() -> None:
    result = read(csv_bytes(ROWS))
    assert result.is_valid, messages(result)
    assert (result.encoding, result.delimiter, result.mode) == ("utf-8-sig", ";", "path")
    assert result.rows[0] == ImportRow(
        line=2,
        employee_number="1001",
        name="Anne Ærø",
        email="anne@kommune.dk",
        unit_path=("Social og Sundhed", "Hjemmeplejen", "Team Nord"),
        unit_external_id="",
        job_function="Teamleder",
        is_leader=True,
    )
    assert [row.is_leader for row in result.rows] == [True, False, True]
    assert [row.line for row in result.rows] == [2, 3, 4]
    assert result.units == {
        ("Social og Sundhed",): "",
        ("Social og Sundhed", "Hjemmeplejen"): "",
        ("Social og Sundhed", "Hjemmeplejen", "Team Nord"): "",
    }


@pytest.mark.parametrize(
    ("delimiter", "encoding", "expected_encoding"),
    [
        (",", "utf-8", "utf-8"),
        (";", "utf-8", "utf-8"),
        (",", "utf-8-sig", "utf-8-sig"),
        (";", "cp1252", "cp1252"),
        (",", "cp1252", "cp1252"),
        ("\t", "utf-16", "utf-16"),
    ],
)
def test_delimiters_and_encodings_are_detected(delimiter: str, encoding: str, expected_encoding: str) -> None:
    result = read(csv_bytes(ROWS, delimiter=delimiter, encoding=encoding))
    assert result.is_valid, messages(result)
    assert (result.delimiter, result.encoding) == (delimiter, expected_encoding)
    assert [row.name for row in result.rows] == ["Anne Ærø", "Bo Ødegaard", "Åse Lund"]


def test_excels_sep_line_sets_the_delimiter_and_line_numbers_still_count_it() -> None:
    data = b"sep=,\r\n" + csv_bytes(ROWS, delimiter=",", encoding="utf-8")
    result = read(data)
    assert result.is_valid, messages(result)
    assert result.delimiter == ","
    assert [row.line for row in result.rows] == [3, 4, 5]


def test_english_headers_in_any_case_and_spacing_are_accepted() -> None:
    header = ["Employee_ID", " NAME ", "E-Mail", "Unit path", "Job Title", "Leader"]
    result = read(csv_bytes(ROWS, header=header, delimiter=","))
    assert result.is_valid, messages(result)
    assert result.rows[0].employee_number == "1001"
    assert result.rows[0].unit_path[-1] == "Team Nord"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ja", True), ("JA", True), ("yes", True), ("1", True), ("x", True), ("nej", False), ("no", False),
     ("0", False), ("", False)],
)  # fmt: skip
def test_leader_values(text: str, expected: bool) -> None:
    result = read(csv_bytes([["1", "A", "", "X", "Y", text]]))
    assert result.is_valid, messages(result)
    assert result.rows[0].is_leader is expected


def test_an_unknown_leader_value_is_an_error_naming_line_and_column() -> None:
    result = read(csv_bytes([["1", "A", "", "X", "Y", "måske"]]))
    assert only_error(result).message == (
        "Linje 2, kolonne »leder«: »måske« kan ikke forstås som ja eller nej. "
        "Skriv »ja« eller »nej«. Et tomt felt betyder nej."
    )


def test_missing_required_columns_are_each_named_with_the_columns_found() -> None:
    result = read(csv_bytes([["1", "A"]], header=["medarbejdernummer", "fornavn"]))
    assert not result.is_valid
    found = messages(result)
    assert any("Kolonnen »navn« mangler" in m and "»fornavn«" in m for m in found), found
    assert any("Kolonnen »stillingsbetegnelse« mangler" in m for m in found), found
    assert any("Der er ingen kolonne med medarbejderens enhed" in m for m in found), found
    assert all(problem.line == 1 for problem in result.errors)
    assert result.rows == []


def test_a_column_given_twice_is_an_error() -> None:
    result = read(
        csv_bytes(
            [["1", "A", "B", "X", "Y"]], header=["medarbejdernummer", "navn", "name", "enhed", "stilling"]
        )
    )
    error = only_error(result)
    assert error.column == "name"
    assert "»navn«" in error.message and "betyder det samme" in error.message


def test_unknown_columns_are_a_warning_and_ignored() -> None:
    result = read(csv_bytes([[*ROWS[0], "42"]], header=[*HEADER, "Lønnummer"]))
    assert result.is_valid
    assert [(p.line, p.column, p.is_error) for p in result.problems] == [(1, "Lønnummer", False)]


def test_duplicate_employee_numbers_name_both_lines() -> None:
    rows = [ROWS[0], ROWS[1], [ROWS[0][0], "Anden Person", "", "X", "Y", ""]]
    error = only_error(read(csv_bytes(rows)))
    assert error.message == (
        "Linje 4, kolonne »medarbejdernummer«: Medarbejdernummeret »1001« står også på linje 2. "
        "Hver medarbejder må kun stå på én linje. Slet den ene linje, eller ret nummeret."
    )


def test_an_invalid_email_names_line_column_value_and_fix() -> None:
    rows = [ROWS[0], ["1004", "Anne", "anne@@kommune.dk", "X", "Y", ""]]
    assert only_error(read(csv_bytes(rows))).message == (
        "Linje 3, kolonne »e-mail«: »anne@@kommune.dk« er ikke en gyldig e-mailadresse. "
        "Ret adressen, eller lad feltet være tomt."
    )


def test_required_values_must_be_filled() -> None:
    result = read(csv_bytes([["", "A", "", "X", "Y", ""], ["2", "", "", "", "", "ja"]]))
    found = {(p.line, p.column, p.code) for p in result.errors}
    assert found == {
        (2, "medarbejdernummer", "required"),
        (3, "navn", "required"),
        (3, "enhed", "required"),
        (3, "stillingsbetegnelse", "required"),
    }


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_an_error(data: bytes) -> None:
    error = only_error(read(data))
    assert error.code == "empty_file"
    assert error.message.startswith("Filen er tom.")


def test_a_header_without_rows_is_an_error_as_it_would_end_every_engagement() -> None:
    error = only_error(read(csv_bytes([])))
    assert error.code == "no_data_rows"
    assert "afslutte alle ansættelser" in error.message


def test_a_file_over_the_size_limit_is_refused_with_both_sizes() -> None:
    data = csv_bytes(ROWS)
    error = only_error(read(data, max_bytes=100))
    assert error.code == "too_large"
    assert "305\xa0bytes" in error.message and "100\xa0bytes" in error.message
    assert read(data, max_bytes=len(data)).is_valid


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_an_error() -> None:
    data = csv_bytes(ROWS, encoding="utf-8") + b"1004;Bad \x81 byte;;X;Y;\r\n"
    error = only_error(read(data))
    assert error.code == "bad_encoding"
    assert "0x81" in error.message and "linje 5" in error.message
    assert "CSV UTF-8" in error.fix


def test_binary_files_and_old_excel_files_are_refused() -> None:
    assert only_error(read(b"\x00\x01\x02abc")).code == "not_text"
    assert only_error(read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "personer.xls")).code == "old_xls"
    assert only_error(read(b"PK\x03\x04broken zip", "personer.xlsx")).code == "bad_xlsx"


def test_cells_that_look_like_formulas_are_stored_as_text_with_a_warning() -> None:
    rows = [["=1+2", "+45 Anne", "", "X", "@SUM(A1)", ""], ["1002", "-Bo", "@kommune.dk", "X", "Y", ""]]
    result = read(csv_bytes(rows))
    assert result.rows[0].employee_number == "=1+2"
    assert result.rows[0].name == "+45 Anne"
    assert result.rows[0].job_function == "@SUM(A1)"
    warnings = {(p.line, p.column) for p in result.warnings}
    assert warnings == {
        (2, "medarbejdernummer"),
        (2, "navn"),
        (2, "stillingsbetegnelse"),
        (3, "navn"),
        (3, "e-mail"),
    }
    assert all(p.code == "formula_text" for p in result.warnings)
    assert "gemmes som tekst" in result.warnings[0].message
    # The e-mail starting with "=" is still checked as an e-mail address and is the only error.
    error = only_error(result)
    assert (error.line, error.column, error.code) == (3, "e-mail", "invalid_email")


def test_an_unquoted_delimiter_inside_a_field_is_an_error() -> None:
    data = b"medarbejdernummer,navn,enhed,stillingsbetegnelse\r\n1,Hansen, Anne,X,Y\r\n"
    error = only_error(read(data))
    assert error.code == "too_many_fields"
    assert error.line == 2
    assert "5 felter" in error.message and "4" in error.message


def test_a_missing_closing_quote_is_reported_at_the_line_it_starts() -> None:
    data = b'medarbejdernummer;navn;enhed;stillingsbetegnelse\r\n1;"Anne;X;Y\r\n2;Bo;X;Y\r\n'
    result = read(data)
    assert not result.is_valid
    assert any(p.code == "newline_in_field" and p.line == 2 for p in result.errors), messages(result)


def test_an_empty_unit_name_in_a_path_is_an_error() -> None:
    error = only_error(read(csv_bytes([["1", "A", "", "Social og Sundhed//Team Nord", "Y", ""]])))
    assert (error.line, error.column, error.code) == (2, "enhed", "empty_unit_name")


def test_leading_and_trailing_slashes_and_spaces_in_paths_are_tolerated() -> None:
    result = read(csv_bytes([["1", "A", "", " /Social og Sundhed / Team Nord/ ", "Y", ""]]))
    assert result.is_valid, messages(result)
    assert result.rows[0].unit_path == ("Social og Sundhed", "Team Nord")


# --- id mode --------------------------------------------------------------------------------------------

ID_HEADER = [
    "medarbejdernummer",
    "navn",
    "enheds-id",
    "overordnet enheds-id",
    "enhed",
    "stillingsbetegnelse",
    "leder",
]


def test_id_mode_resolves_the_tree_into_paths_and_keeps_the_ids() -> None:
    rows = [
        ["1", "Anne", "T1", "H", "Team Nord", "SSA", ""],
        ["2", "Bo", "S", "", "Social og Sundhed", "Direktør", "ja"],
        ["3", "Carl", "H", "S", "Hjemmeplejen", "Centerchef", "ja"],
        ["", "", "T2", "H", "Team Syd", "", ""],  # a unit without people of its own
    ]
    result = read(csv_bytes(rows, header=ID_HEADER))
    assert result.is_valid, messages(result)
    assert result.mode == "id"
    assert [(r.unit_path, r.unit_external_id) for r in result.rows] == [
        (("Social og Sundhed", "Hjemmeplejen", "Team Nord"), "T1"),
        (("Social og Sundhed",), "S"),
        (("Social og Sundhed", "Hjemmeplejen"), "H"),
    ]
    assert result.units[("Social og Sundhed", "Hjemmeplejen", "Team Syd")] == "T2"
    assert len(result.rows) == 3


def test_id_mode_unknown_parent_names_the_line_and_the_missing_id() -> None:
    rows = [["1", "Anne", "T1", "S", "Team Nord", "SSA", ""], ["2", "Bo", "T2", "X9", "Team Syd", "SSA", ""]]
    rows.insert(0, ["3", "Carl", "S", "", "Social og Sundhed", "Direktør", ""])
    error = only_error(read(csv_bytes(rows, header=ID_HEADER)))
    assert (error.line, error.column, error.code) == (4, "overordnet enheds-id", "unknown_parent")
    assert "»X9«" in error.message and "»Team Syd«" in error.message


def test_id_mode_a_cycle_names_every_unit_and_line_in_it() -> None:
    rows = [
        ["1", "Anne", "A", "", "Top", "X", ""],
        ["2", "Bo", "B", "C", "Bee", "X", ""],
        ["3", "Carl", "C", "D", "Cee", "X", ""],
        ["4", "Dorte", "D", "B", "Dee", "X", ""],
    ]
    error = only_error(read(csv_bytes(rows, header=ID_HEADER)))
    assert error.code == "unit_cycle"
    assert error.line == 3
    assert "linje 3, 4, 5" in error.message
    for name in ("Bee (B)", "Cee (C)", "Dee (D)"):
        assert name in error.message


def test_id_mode_a_unit_that_is_its_own_parent_is_a_cycle() -> None:
    error = only_error(read(csv_bytes([["1", "A", "U", "U", "Enhed", "X", ""]], header=ID_HEADER)))
    assert error.code == "unit_cycle"


def test_id_mode_conflicting_names_or_parents_for_one_id_are_errors() -> None:
    rows = [
        ["1", "A", "S", "", "Social", "X", ""],
        ["2", "B", "T", "S", "Team", "X", ""],
        ["3", "C", "T", "", "Team Nord", "X", ""],
    ]
    result = read(csv_bytes(rows, header=ID_HEADER))
    codes = {(p.line, p.code) for p in result.errors}
    assert codes == {(4, "unit_name_conflict"), (4, "unit_parent_conflict")}


def test_id_mode_two_ids_with_the_same_name_under_one_parent_are_an_error() -> None:
    rows = [
        ["1", "A", "S", "", "Social", "X", ""],
        ["2", "B", "T1", "S", "Team", "X", ""],
        ["3", "C", "T2", "S", "Team", "X", ""],
    ]
    error = only_error(read(csv_bytes(rows, header=ID_HEADER)))
    assert (error.line, error.code) == (4, "unit_same_name")


def test_a_parent_id_column_without_an_id_column_is_an_error() -> None:
    header = ["medarbejdernummer", "navn", "overordnet enheds-id", "enhed", "stillingsbetegnelse"]
    error = only_error(read(csv_bytes([["1", "A", "", "X", "Y"]], header=header)))
    assert error.code == "parent_without_id"


def test_path_mode_with_an_id_column_must_use_one_id_per_unit() -> None:
    header = ["medarbejdernummer", "navn", "enhed", "enheds-id", "stillingsbetegnelse"]
    rows = [["1", "A", "S/T", "T1", "X"], ["2", "B", "S/T", "T2", "X"], ["3", "C", "S/U", "T1", "X"]]
    result = read(csv_bytes(rows, header=header))
    assert {(p.line, p.code) for p in result.errors} == {(3, "unit_two_ids"), (4, "unit_id_conflict")}


# --- XLSX ----------------------------------------------------------------------------------------------


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_first_sheet_is_read_with_numbers_as_text() -> None:
    data = xlsx_bytes(
        [
            HEADER,
            [1001, "Anne Ærø", "anne@kommune.dk", "Social og Sundhed/Team Nord", "Teamleder", True],
            [],
            [1002.0, "Bo", None, "Social og Sundhed/Team Nord", "SSA", "nej"],
        ]
    )
    result = read(data, "personer.xlsx")
    assert result.is_valid, messages(result)
    assert result.file_format == "xlsx"
    assert [(r.line, r.employee_number, r.is_leader, r.email) for r in result.rows] == [
        (2, "1001", True, "anne@kommune.dk"),
        (4, "1002", False, ""),
    ]


def test_an_xlsx_formula_is_stored_as_its_text_with_a_warning() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["1", "=A1&B1", "", "X", "Y", ""])
    sheet.append(["2", "Bo", "", "X", "Y", ""])
    sheet["E3"] = "=SUM(1)"
    sheet["E3"].data_type = "s"  # text that only looks like a formula
    out = io.BytesIO()
    workbook.save(out)
    result = read(out.getvalue(), "personer.xlsx")
    assert result.is_valid, messages(result)
    assert result.rows[0].name == "=A1&B1"
    assert result.rows[1].job_function == "=SUM(1)"
    assert [(p.line, p.column, p.code) for p in result.warnings] == [
        (2, "navn", "formula_cell"),
        (3, "stillingsbetegnelse", "formula_text"),
    ]


def test_an_xlsx_file_renamed_to_csv_is_still_read_as_a_spreadsheet() -> None:
    result = read(xlsx_bytes([HEADER, ROWS[0]]), "personer.csv")
    assert result.is_valid and result.file_format == "xlsx"


# --- rows from elsewhere, and stored problems -------------------------------------------------------------


def test_check_rows_finds_problems_in_rows_made_without_a_file() -> None:
    row = ImportRow(
        line=2,
        employee_number="1",
        name="A",
        email="",
        unit_path=("S",),
        unit_external_id="",
        job_function="X",
        is_leader=False,
    )
    assert check_rows([row]) == []
    bad = [row, ImportRow(3, "1", "", "nope", (), "", "X", False)]
    codes = {(p.line, p.code) for p in check_rows(bad)}
    assert codes == {(3, "duplicate_employee"), (3, "required"), (3, "invalid_email")}


def test_problems_survive_a_json_round_trip_and_format_sizes_when_shown() -> None:
    problem = read(csv_bytes(ROWS), max_bytes=10).problems[0]
    again = ImportProblem.from_json(problem.as_json())
    assert again == problem
    assert again.message == problem.message
    assert "10\xa0bytes" in again.message


# --- round trip --------------------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅé"
_name = (
    st.text(alphabet=_LETTERS + " ;,\"'.-()&", min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda text: bool(text) and text[0] not in "=+-@")
)
_unit_name = _name.filter(lambda text: "/" not in text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    units=st.lists(st.lists(_unit_name, min_size=1, max_size=4).map(tuple), min_size=1, max_size=6),
    people=st.lists(
        st.tuples(_name, _name, st.booleans(), st.integers(min_value=0, max_value=5)), min_size=1, max_size=25
    ),
    delimiter=st.sampled_from([";", ","]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_people_file_written_as_csv_reads_back_the_same(
    units: list[tuple[str, ...]],
    people: list[tuple[str, str, bool, int]],
    delimiter: str,
    encoding: str,
) -> None:
    expected = [
        ImportRow(
            line=index + 2,
            employee_number=f"{index + 1:05d}",
            name=name,
            email=f"p{index}@kommune.dk" if index % 3 else "",
            unit_path=units[unit % len(units)],
            unit_external_id="",
            job_function=job,
            is_leader=leader,
        )
        for index, (name, job, leader, unit) in enumerate(people)
    ]
    rows = [
        [
            r.employee_number,
            r.name,
            r.email,
            "/".join(r.unit_path),
            r.job_function,
            "ja" if r.is_leader else "nej",
        ]
        for r in expected
    ]
    result = read(csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    assert result.is_valid, messages(result)
    assert result.rows == expected
    assert result.problems == []
