"""Reading and validating people files (CSV or XLSX). Pure: no database access, nothing is written.

`read_people_file` turns the bytes of an uploaded file into `ImportRow`s and a list of every problem
found, each naming the file line, the column and how to fix it. The import service
(`orgs.services.people_import_apply`) only ever works on rows from a file without errors, and checks the
rows again itself with `check_rows`.

The format is documented for users in docs/import-format.md.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import PATH_MAX_LENGTH, PATH_STEP

# Limits that follow from the models (see orgs/models.py).
MAX_DEPTH = PATH_MAX_LENGTH // PATH_STEP
MAX_LENGTHS = {
    "employee_number": 64,
    "name": 200,
    "email": 254,
    "unit": 200,  # one unit name
    "unit_id": 100,
    "job_function": 200,
}
# A file with more rows than any municipality has employees is a mistake (or an attack).
MAX_ROWS = 250_000
PATH_SEPARATOR = "/"
FORMULA_PREFIXES = ("=", "+", "-", "@")
PROGRESS_EVERY = 1000
XLSX_MAX_COLUMNS = 200

Field = Literal[
    "employee_number", "name", "email", "unit", "unit_id", "parent_unit_id", "job_function", "leader"
]

# The Danish header each field is documented under, and the English one that is also accepted.
DANISH_HEADERS: dict[str, str] = {
    "employee_number": "medarbejdernummer",
    "name": "navn",
    "email": "e-mail",
    "unit": "enhed",
    "unit_id": "enheds-id",
    "parent_unit_id": "overordnet enheds-id",
    "job_function": "stillingsbetegnelse",
    "leader": "leder",
}
ENGLISH_HEADERS: dict[str, str] = {
    "employee_number": "employee number",
    "name": "name",
    "email": "email",
    "unit": "unit",
    "unit_id": "unit id",
    "parent_unit_id": "parent unit id",
    "job_function": "job title",
    "leader": "leader",
}
_ALIASES: dict[str, tuple[str, ...]] = {
    "employee_number": (
        "medarbejdernummer",
        "medarbejdernr",
        "mednr",
        "medarbejderid",
        "employeenumber",
        "employeeno",
        "employeenr",
        "employeeid",
    ),
    "name": ("navn", "fuldtnavn", "name", "fullname"),
    "email": ("email", "emailadresse", "mail", "mailadresse", "emailaddress"),
    "unit": ("enhed", "enhedsnavn", "enhedssti", "unit", "unitpath", "unitname", "orgunit"),
    "unit_id": ("enhedsid", "enhedsnummer", "unitid", "orgunitid"),
    "parent_unit_id": ("overordnetenhedsid", "parentunitid", "parentid", "parentorgunitid"),
    "job_function": (
        "stillingsbetegnelse",
        "stilling",
        "jobtitel",
        "jobtitle",
        "jobfunction",
        "title",
        "position",
    ),
    "leader": ("leder", "lederjanej", "erleder", "leader", "isleader", "leaderyesno", "manager"),
}
HEADER_ALIASES: dict[str, str] = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}

_TRUE = frozenset({"ja", "j", "yes", "y", "1", "x", "true", "sand"})
_FALSE = frozenset({"nej", "n", "no", "0", "", "false", "falsk"})


def normalise_header(text: str) -> str:
    """Headers match ignoring case, spaces, hyphens and other punctuation: "E-mail" == "email"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class ImportRow:
    """One employee as the file gives them: their one primary engagement."""

    line: int  # 1-based line in the file (header is line 1)
    employee_number: str
    name: str
    email: str  # "" when absent
    unit_path: tuple[str, ...]  # names from the top unit down
    unit_external_id: str  # "" in path mode (unless the file has an enheds-id column)
    job_function: str
    is_leader: bool


# --- problems ---------------------------------------------------------------------------------------

# code → (what is wrong, how to fix it). Texts are formatted with the problem's params when shown, in
# the language active then, so a stored preview reads in whichever language the user has chosen.
MESSAGES: dict[str, tuple[Promise, Promise]] = {
    "empty_file": (
        _("Filen er tom."),
        _("Vælg den rigtige fil, eller gem filen igen fra Excel eller HR-systemet."),
    ),
    "no_data_rows": (
        _("Filen har en overskriftslinje, men ingen medarbejdere."),
        _(
            "Tilføj en linje pr. medarbejder under overskriftslinjen. En fil uden medarbejdere ville "
            "afslutte alle ansættelser, så den indlæses ikke."
        ),
    ),
    "too_large": (
        _("Filen fylder %(size_bytes)s, men der er højst plads til %(limit_bytes)s."),
        _(
            "Fjern kolonner, der ikke bruges, eller gem filen som CSV, som fylder mindre end et "
            "Excel-regneark. Del ikke filen op: en import afslutter ansættelserne for dem, der ikke "
            "står i filen."
        ),
    ),
    "too_many_rows": (
        _("Filen har mere end %(limit)s rækker."),
        _("Kontroller, at det er den rigtige fil. Kontakt platformens administrator, hvis den er."),
    ),
    "bad_encoding": (
        _(
            "Filen kan ikke læses som tekst: den er hverken UTF-8 eller Windows-1252 (ugyldig byte "
            "%(byte)s på linje %(byte_line)s)."
        ),
        _("Gem filen igen fra Excel som »CSV UTF-8 (kommasepareret)« eller som Excel-projektmappe (.xlsx)."),
    ),
    "not_text": (
        _("Filen er hverken en CSV-fil eller et Excel-regneark."),
        _("Gem filen som »CSV UTF-8 (kommasepareret)« eller som Excel-projektmappe (.xlsx)."),
    ),
    "old_xls": (
        _("Filen er i Excels gamle format (.xls), som ikke kan læses."),
        _("Åbn filen i Excel, og gem den som Excel-projektmappe (.xlsx) eller som »CSV UTF-8«."),
    ),
    "bad_xlsx": (
        _("Excel-filen kan ikke åbnes: den er beskadiget eller ikke et Excel-regneark (%(detail)s)."),
        _(
            "Åbn filen i Excel, og gem den igen som Excel-projektmappe (.xlsx), eller gem den som "
            "»CSV UTF-8«."
        ),
    ),
    "bad_csv": (
        _("Linjen kan ikke læses som CSV (%(detail)s)."),
        _(
            "Kontroller anførselstegnene på linjen. Et felt, der indeholder semikolon eller komma, skal "
            "stå i anførselstegn."
        ),
    ),
    "newline_in_field": (
        _("Feltet indeholder et linjeskift og fortsætter til linje %(end_line)s."),
        _(
            "Der mangler formentlig et afsluttende anførselstegn. Ret feltet, så det står på én linje "
            "med anførselstegn i begge ender."
        ),
    ),
    "missing_column": (
        _("Kolonnen »%(column_name)s« mangler."),
        _(
            "Tilføj en kolonne med overskriften »%(column_name)s« (eller på engelsk »%(english)s«) i "
            "første linje. Filens kolonner er: %(found)s."
        ),
    ),
    "missing_unit_column": (
        _("Der er ingen kolonne med medarbejderens enhed."),
        _(
            "Tilføj kolonnen »enhed« med enhedens sti, fx »Social og Sundhed/Hjemmeplejen/Team Nord«, "
            "eller kolonnerne »enheds-id«, »overordnet enheds-id« og »enhed« (enhedens navn). Filens "
            "kolonner er: %(found)s."
        ),
    ),
    "parent_without_id": (
        _("Kolonnen »overordnet enheds-id« kræver også kolonnen »enheds-id«."),
        _(
            "Tilføj kolonnen »enheds-id«, eller fjern kolonnen »overordnet enheds-id« og skriv hele "
            "enhedens sti i kolonnen »enhed«."
        ),
    ),
    "duplicate_column": (
        _("Kolonnen »%(column_name)s« og kolonnen »%(other_column)s« betyder det samme."),
        _("Slet den ene af de to kolonner."),
    ),
    "unknown_column": (
        _("Kolonnen kendes ikke og bliver ikke indlæst."),
        _(
            "Det er i orden, hvis kolonnen ikke skal bruges. Ellers ret overskriften til et af de "
            "kendte navne, fx »medarbejdernummer« eller »stillingsbetegnelse«."
        ),
    ),
    "too_many_fields": (
        _("Linjen har %(found)s felter, men overskriftslinjen har %(expected)s."),
        _(
            "Sæt anførselstegn om felter, der indeholder »%(delimiter)s«, eller gem filen igen fra "
            "Excel, som gør det selv."
        ),
    ),
    "required": (
        _("Feltet er tomt."),
        _("Udfyld feltet. Slet linjen, hvis den ikke er en medarbejder."),
    ),
    "too_long": (
        _("Teksten er %(length)s tegn lang, men der er højst plads til %(limit)s."),
        _("Forkort teksten."),
    ),
    "invalid_email": (
        _("»%(value)s« er ikke en gyldig e-mailadresse."),
        _("Ret adressen, eller lad feltet være tomt."),
    ),
    "invalid_leader": (
        _("»%(value)s« kan ikke forstås som ja eller nej."),
        _("Skriv »ja« eller »nej«. Et tomt felt betyder nej."),
    ),
    "duplicate_employee": (
        _("Medarbejdernummeret »%(value)s« står også på linje %(other_line)s."),
        _("Hver medarbejder må kun stå på én linje. Slet den ene linje, eller ret nummeret."),
    ),
    "empty_unit_name": (
        _("Stien »%(value)s« har et tomt enhedsnavn."),
        _("Fjern den overflødige skråstreg, så stien har formen »Social og Sundhed/Hjemmeplejen/Team Nord«."),
    ),
    "too_deep": (
        _("Enheden ligger %(depth)s niveauer nede, men der kan højst være %(limit)s niveauer."),
        _("Ret enhedens sti eller overordnede enhed, så træet bliver mindre dybt."),
    ),
    "unknown_parent": (
        _("Den overordnede enhed »%(value)s« (for enheden »%(unit_name)s«) findes ikke i filen."),
        _(
            "Ret det overordnede enheds-id, eller tilføj en linje for enheden med enheds-id "
            "»%(value)s«. Lad feltet være tomt for en enhed øverst i organisationen."
        ),
    ),
    "unit_cycle": (
        _("Enhederne er hinandens overordnede i ring: %(cycle)s (linje %(lines)s)."),
        _(
            "Ret det overordnede enheds-id for mindst én af enhederne, så ringen brydes. Enheden "
            "øverst i organisationen har ingen overordnet enhed."
        ),
    ),
    "unit_name_conflict": (
        _("Enheds-id »%(value)s« hedder »%(other_name)s« på linje %(other_line)s, men »%(unit_name)s« her."),
        _("Brug samme navn for enheden på alle linjer."),
    ),
    "unit_parent_conflict": (
        _(
            "Enheds-id »%(value)s« har den overordnede enhed »%(other_parent)s« på linje "
            "%(other_line)s, men »%(parent)s« her."
        ),
        _("Brug samme overordnede enheds-id for enheden på alle linjer."),
    ),
    "unit_same_name": (
        _(
            "Enhederne med enheds-id »%(value)s« og »%(other_value)s« (linje %(other_line)s) har begge "
            "navnet »%(unit_name)s« og samme overordnede enhed."
        ),
        _("Giv enhederne forskellige navne, eller brug samme enheds-id, hvis de er samme enhed."),
    ),
    "unit_id_conflict": (
        _("Enheds-id »%(value)s« bruges også for enheden »%(other_path)s« på linje %(other_line)s."),
        _("Hver enhed skal have sit eget enheds-id. Ret det ene af dem."),
    ),
    "unit_two_ids": (
        _("Enheden »%(path)s« har enheds-id »%(other_value)s« på linje %(other_line)s, men »%(value)s« her."),
        _("Brug samme enheds-id for enheden på alle linjer."),
    ),
    "formula_text": (
        _("Feltet begynder med »%(char)s«. Det gemmes som tekst og bliver aldrig regnet ud som en formel."),
        _("Det er i orden, hvis teksten er rigtig. Ellers ret feltet i filen."),
    ),
    "formula_cell": (
        _("Cellen indeholder formlen »%(value)s«. Formlen gemmes som tekst; dens resultat indlæses ikke."),
        _(
            "Erstat formlen med dens værdi i Excel (Kopiér, og Indsæt speciel som Værdier), hvis det er "
            "værdien, der skal indlæses."
        ),
    ),
}


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong with the file, where it is and how to fix it. Warnings do not stop the import."""

    line: int | None  # None: the whole file
    column: str  # the column's header as the file writes it; "" when it concerns a line or the file
    code: str
    params: tuple[tuple[str, str], ...] = ()
    is_error: bool = True

    def _format(self, template: Promise) -> str:
        values: dict[str, str] = {}
        for key, value in self.params:
            values[key] = filesizeformat(int(value)) if key.endswith("_bytes") else value
        return str(template) % values if values else str(template)

    @property
    def problem(self) -> str:
        return self._format(MESSAGES[self.code][0])

    @property
    def fix(self) -> str:
        return self._format(MESSAGES[self.code][1])

    @property
    def where(self) -> str:
        if self.line is not None and self.column:
            return gettext("Linje %(line)s, kolonne »%(column)s«") % {
                "line": self.line,
                "column": self.column,
            }
        if self.line is not None:
            return gettext("Linje %(line)s") % {"line": self.line}
        return ""

    @property
    def message(self) -> str:
        """The whole message: where, what and how to fix it."""
        text = f"{self.problem} {self.fix}"
        return f"{self.where}: {text}" if self.where else text

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "params": dict(self.params),
            "is_error": self.is_error,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportProblem:
        return cls(
            line=data["line"],
            column=data["column"],
            code=data["code"],
            params=tuple((str(k), str(v)) for k, v in data.get("params", {}).items()),
            is_error=bool(data.get("is_error", True)),
        )


def _problem(
    code: str, *, line: int | None = None, column: str = "", is_error: bool = True, **params: object
) -> ImportProblem:
    return ImportProblem(
        line=line,
        column=column,
        code=code,
        params=tuple((key, str(value)) for key, value in params.items()),
        is_error=is_error,
    )


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
        result.problems.append(_problem("too_large", size_bytes=len(data), limit_bytes=limit))
        return result
    if not data.strip():
        result.problems.append(_problem("empty_file"))
        return result
    lower = filename.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        result.problems.append(_problem("old_xls"))
        return result
    if data.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        result.file_format = "xlsx"
        opened = _xlsx_records(data, result)
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
            result.problems.append(_problem("not_text"))
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
                    _problem("bad_encoding", byte=f"0x{bad.hex().upper()}", byte_line=line)
                )
                return None
    if text is None or "\x00" in text:
        result.problems.append(_problem("not_text"))
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
            result.problems.append(_problem("bad_csv", line=previous_end + 1, detail=str(error)))
            return
        line = previous_end + 1
        previous_end = reader.line_num + skip
        if previous_end > line and any("\n" in cell or "\r" in cell for cell in cells):
            result.problems.append(_problem("newline_in_field", line=line, end_line=previous_end))
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


def _xlsx_records(data: bytes, result: ParseResult) -> tuple[Iterator[Record], int] | None:
    """The first sheet's rows as text (formulas as their formula text) and the number of rows it says
    it has, or None if it cannot be opened."""
    import openpyxl  # noqa: PLC0415 - only XLSX uploads pay for the import

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds on broken files; all mean "cannot open"
        result.problems.append(_problem("bad_xlsx", detail=type(error).__name__))
        return None

    def records() -> Iterator[Record]:
        try:
            for line, row in enumerate(sheet.iter_rows(max_col=XLSX_MAX_COLUMNS), start=1):
                cells = [_cell_text(cell.value) for cell in row]
                formulas = frozenset(i for i, cell in enumerate(row) if cell.data_type == "f")
                yield line, cells, formulas or _NO_FORMULAS
        except Exception as error:  # a broken sheet part shows only when it is read
            result.problems.append(_problem("bad_xlsx", detail=type(error).__name__))
        finally:
            workbook.close()

    return records(), sheet.max_row or 0


@dataclass
class _Columns:
    """Which cell index holds which field, and the header as the file writes it."""

    index: dict[str, int]
    header: dict[str, str]

    def name(self, field_name: str) -> str:
        return self.header.get(field_name, DANISH_HEADERS[field_name])


def _map_header(line: int, cells: list[str], result: ParseResult) -> _Columns | None:
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    for position, raw in enumerate(cells):
        text = raw.strip()
        if not text:
            continue
        name = HEADER_ALIASES.get(normalise_header(text))
        if name is None:
            result.problems.append(_problem("unknown_column", line=line, column=text, is_error=False))
        elif name in index:
            result.problems.append(
                _problem(
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
                _problem(
                    "missing_column",
                    line=line,
                    column_name=DANISH_HEADERS[name],
                    english=ENGLISH_HEADERS[name],
                    found=found,
                )
            )
            ok = False
    if "parent_unit_id" in index and "unit_id" not in index:
        result.problems.append(_problem("parent_without_id", line=line))
        ok = False
    elif "unit" not in index:
        if "unit_id" in index:
            result.problems.append(
                _problem("missing_column", line=line, column_name="enhed", english="unit", found=found)
            )
        else:
            result.problems.append(_problem("missing_unit_column", line=line, found=found))
        ok = False
    if any(p.is_error for p in result.problems):
        ok = False
    return _Columns(index=index, header=header) if ok else None


@dataclass
class _UnitDef:
    name: str
    parent: str
    line: int


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
    columns: _Columns | None = None
    header_line = 0
    width = 0
    for line, cells, _formulas in iterator:
        if any(cell.strip() for cell in cells):
            header_line, width = line, len(cells)
            columns = _map_header(line, cells, result)
            break
    if not header_line:
        if not result.problems:
            result.problems.append(_problem("empty_file"))
        return
    if columns is None:
        return
    id_mode = "parent_unit_id" in columns.index
    result.mode = "id" if id_mode else "path"
    index = columns.index
    fields = [(name, index[name], columns.name(name)) for name in DANISH_HEADERS if name in index]
    problems = result.problems
    add = problems.append

    # First pass: cells → values, per row; unit ids in id mode are resolved afterwards.
    raw_rows: list[tuple[int, dict[str, str]]] = []
    unit_rows: list[tuple[int, dict[str, str]]] = []  # rows that only describe a unit
    for line, cells, formulas in iterator:
        if len(raw_rows) + len(unit_rows) >= MAX_ROWS:
            add(_problem("too_many_rows", limit=MAX_ROWS))
            return
        if delimiter and len(cells) > width and any(cell.strip() for cell in cells[width:]):
            add(_problem("too_many_fields", line=line, found=len(cells), expected=width, delimiter=delimiter))
            continue
        values: dict[str, str] = {}
        blank = True
        for name, position, column in fields:
            value = cells[position].strip() if position < len(cells) else ""
            if value:
                blank = False
                if position in formulas:
                    add(_problem("formula_cell", line=line, column=column, is_error=False, value=value))
                elif value[0] in FORMULA_PREFIXES:
                    add(_problem("formula_text", line=line, column=column, is_error=False, char=value[0]))
            values[name] = value
        if blank:
            continue
        if not (values["employee_number"] or values["name"] or values["job_function"] or values.get("email")):
            unit_rows.append((line, values))
        else:
            raw_rows.append((line, values))
        if progress is not None and len(raw_rows) % PROGRESS_EVERY == 0:
            progress(len(raw_rows), max(len(raw_rows), estimate - header_line))
    if not raw_rows:
        if not any(p.is_error for p in problems):
            add(_problem("no_data_rows", line=header_line))
        return

    if id_mode:
        paths = _resolve_unit_ids(raw_rows, unit_rows, columns, result)
    else:
        paths = _split_paths(raw_rows, unit_rows, columns, result)

    leader_column = columns.name("leader")
    rows = result.rows
    for line, values in raw_rows:
        leader_text = values.get("leader", "").casefold()
        if leader_text in _TRUE:
            is_leader = True
        elif leader_text in _FALSE:
            is_leader = False
        else:
            add(_problem("invalid_leader", line=line, column=leader_column, value=values["leader"]))
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
            )
        )
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


def _split_paths(
    raw_rows: list[tuple[int, dict[str, str]]],
    unit_rows: list[tuple[int, dict[str, str]]],
    columns: _Columns,
    result: ParseResult,
) -> dict[int, tuple[str, ...]]:
    """Path mode: "A/B/C" → ("A", "B", "C"). Unit problems of person rows are left to check_rows."""
    cache: dict[str, tuple[str, ...]] = {}
    paths: dict[int, tuple[str, ...]] = {}

    def split(text: str) -> tuple[str, ...]:
        found = cache.get(text)
        if found is None:
            found = tuple(part.strip() for part in text.strip(PATH_SEPARATOR).split(PATH_SEPARATOR))
            if found == ("",):
                found = ()
            cache[text] = found
        return found

    for line, values in raw_rows:
        paths[line] = split(values["unit"])
    # Rows that only name a unit: create it (and record its enheds-id) even without people in it.
    unit_rows_paths: list[tuple[int, tuple[str, ...], str]] = []
    for line, values in unit_rows:
        path = split(values["unit"])
        problems = _unit_path_problems(path, values["unit"], line, columns.name("unit"))
        if not path:
            problems.append(_problem("required", line=line, column=columns.name("employee_number")))
        result.problems.extend(problems)
        if not problems:
            unit_rows_paths.append((line, path, values.get("unit_id", "")))
    for line, values in raw_rows:
        path = paths[line]
        if path and all(path) and len(path) <= MAX_DEPTH:
            for depth in range(1, len(path)):
                result.units.setdefault(path[:depth], "")
            external_id = values.get("unit_id", "")
            if not result.units.get(path):
                result.units[path] = external_id
    for _line, path, external_id in unit_rows_paths:
        for depth in range(1, len(path)):
            result.units.setdefault(path[:depth], "")
        if not result.units.get(path):
            result.units[path] = external_id
    return paths


def _unit_path_problems(path: tuple[str, ...], text: str, line: int, column: str) -> list[ImportProblem]:
    if not path:
        return [_problem("required", line=line, column=column)]
    problems = []
    if not all(path):
        problems.append(_problem("empty_unit_name", line=line, column=column, value=text))
    for part in path:
        if len(part) > MAX_LENGTHS["unit"]:
            problems.append(
                _problem("too_long", line=line, column=column, length=len(part), limit=MAX_LENGTHS["unit"])
            )
            break
    if len(path) > MAX_DEPTH:
        problems.append(_problem("too_deep", line=line, column=column, depth=len(path), limit=MAX_DEPTH))
    return problems


def _resolve_unit_ids(
    raw_rows: list[tuple[int, dict[str, str]]],
    unit_rows: list[tuple[int, dict[str, str]]],
    columns: _Columns,
    result: ParseResult,
) -> dict[int, tuple[str, ...]]:
    """Id mode: the tree from (enheds-id, overordnet enheds-id, enhed) on each row, as paths of names.

    Conflicting definitions, unknown parents, cycles and same-named siblings are errors naming the
    lines involved; rows in units that cannot be placed get no path.
    """
    add = result.problems.append
    id_column, parent_column, name_column = (
        columns.name("unit_id"),
        columns.name("parent_unit_id"),
        columns.name("unit"),
    )
    units: dict[str, _UnitDef] = {}
    for line, values in sorted([*raw_rows, *unit_rows]):
        unit_id, parent, name = values["unit_id"], values["parent_unit_id"], values["unit"]
        if not unit_id:
            add(_problem("required", line=line, column=id_column))
            continue
        if len(unit_id) > MAX_LENGTHS["unit_id"]:
            add(
                _problem(
                    "too_long", line=line, column=id_column, length=len(unit_id), limit=MAX_LENGTHS["unit_id"]
                )
            )
        if not name:
            add(_problem("required", line=line, column=name_column))
            continue
        if len(name) > MAX_LENGTHS["unit"]:
            add(
                _problem(
                    "too_long", line=line, column=name_column, length=len(name), limit=MAX_LENGTHS["unit"]
                )
            )
        known = units.get(unit_id)
        if known is None:
            units[unit_id] = _UnitDef(name=name, parent=parent, line=line)
            continue
        if known.name != name:
            add(
                _problem(
                    "unit_name_conflict",
                    line=line,
                    column=name_column,
                    value=unit_id,
                    other_name=known.name,
                    other_line=known.line,
                    unit_name=name,
                )
            )
        if known.parent != parent:
            add(
                _problem(
                    "unit_parent_conflict",
                    line=line,
                    column=parent_column,
                    value=unit_id,
                    other_parent=known.parent or "—",
                    other_line=known.line,
                    parent=parent or "—",
                )
            )

    resolved: dict[str, tuple[str, ...]] = {}
    broken: set[str] = set()
    for start in units:
        chain: list[str] = []
        on_chain: set[str] = set()
        current = start
        failed = False
        while current and current not in resolved:
            if current in broken:
                failed = True
                break
            if current in on_chain:
                cycle = chain[chain.index(current) :]
                lines = sorted(units[c].line for c in cycle)
                first = min(cycle, key=lambda c: units[c].line)
                add(
                    _problem(
                        "unit_cycle",
                        line=units[first].line,
                        column=parent_column,
                        cycle=" → ".join(f"{units[c].name} ({c})" for c in [*cycle, cycle[0]]),
                        lines=", ".join(str(n) for n in lines),
                    )
                )
                failed = True
                break
            if current not in units:
                child = chain[-1]
                add(
                    _problem(
                        "unknown_parent",
                        line=units[child].line,
                        column=parent_column,
                        value=current,
                        unit_name=units[child].name,
                    )
                )
                failed = True
                break
            chain.append(current)
            on_chain.add(current)
            current = units[current].parent
        if failed:
            broken.update(chain)
            continue
        path = resolved[current] if current else ()
        for unit_id in reversed(chain):
            path = (*path, units[unit_id].name)
            resolved[unit_id] = path

    by_path: dict[tuple[str, ...], str] = {}
    for unit_id, path in resolved.items():
        other = by_path.get(path)
        if other is not None:
            first, second = sorted((other, unit_id), key=lambda u: units[u].line)
            add(
                _problem(
                    "unit_same_name",
                    line=units[second].line,
                    column=name_column,
                    value=second,
                    other_value=first,
                    other_line=units[first].line,
                    unit_name=units[second].name,
                )
            )
            continue
        by_path[path] = unit_id
        if len(path) > MAX_DEPTH:
            add(
                _problem(
                    "too_deep",
                    line=units[unit_id].line,
                    column=parent_column,
                    depth=len(path),
                    limit=MAX_DEPTH,
                )
            )
    result.units = dict(sorted(by_path.items()))
    return {line: resolved.get(values["unit_id"], ()) for line, values in raw_rows}


_email_validator = EmailValidator()


def check_rows(
    rows: Sequence[ImportRow], *, columns: Mapping[str, str] | None = None, check_units: bool = True
) -> list[ImportProblem]:
    """Problems in rows however they were made (from a file, a generator or an integration).

    Required values, lengths, e-mail addresses, duplicate employee numbers, unit paths and the
    consistency of enheds-id and unit path. `columns` names the file's headers for the messages.
    """
    names = {**DANISH_HEADERS, **(columns or {})}
    problems: list[ImportProblem] = []
    add = problems.append
    seen_numbers: dict[str, int] = {}
    path_ids: dict[tuple[str, ...], tuple[str, int]] = {}
    id_paths: dict[str, tuple[tuple[str, ...], int]] = {}
    path_problems_cache: dict[tuple[str, ...], bool] = {}
    validate_email = _email_validator
    for row in rows:
        line = row.line
        for name, value in (
            ("employee_number", row.employee_number),
            ("name", row.name),
            ("job_function", row.job_function),
        ):
            if not value:
                add(_problem("required", line=line, column=names[name]))
            elif len(value) > MAX_LENGTHS[name]:
                add(
                    _problem(
                        "too_long", line=line, column=names[name], length=len(value), limit=MAX_LENGTHS[name]
                    )
                )
        if row.email:
            if len(row.email) > MAX_LENGTHS["email"]:
                add(
                    _problem(
                        "too_long",
                        line=line,
                        column=names["email"],
                        length=len(row.email),
                        limit=MAX_LENGTHS["email"],
                    )
                )
            else:
                try:
                    validate_email(row.email)
                except ValidationError:
                    add(_problem("invalid_email", line=line, column=names["email"], value=row.email))
        if row.employee_number:
            first = seen_numbers.setdefault(row.employee_number, line)
            if first != line:
                add(
                    _problem(
                        "duplicate_employee",
                        line=line,
                        column=names["employee_number"],
                        value=row.employee_number,
                        other_line=first,
                    )
                )
        if not check_units:
            continue
        path = row.unit_path
        ok = path_problems_cache.get(path)
        if ok is None or not ok:
            found = _unit_path_problems(path, PATH_SEPARATOR.join(path), line, names["unit"])
            problems.extend(found)
            ok = not found
            path_problems_cache[path] = ok
        if ok and row.unit_external_id:
            _check_unit_id(row, names, path_ids, id_paths, add)
    return problems


def _check_unit_id(
    row: ImportRow,
    names: Mapping[str, str],
    path_ids: dict[tuple[str, ...], tuple[str, int]],
    id_paths: dict[str, tuple[tuple[str, ...], int]],
    add: Callable[[ImportProblem], None],
) -> None:
    external_id, path, line = row.unit_external_id, row.unit_path, row.line
    column = names.get("unit_id", DANISH_HEADERS["unit_id"])
    if len(external_id) > MAX_LENGTHS["unit_id"]:
        add(
            _problem(
                "too_long", line=line, column=column, length=len(external_id), limit=MAX_LENGTHS["unit_id"]
            )
        )
        return
    known_id = path_ids.setdefault(path, (external_id, line))
    if known_id[0] != external_id:
        add(
            _problem(
                "unit_two_ids",
                line=line,
                column=column,
                path=PATH_SEPARATOR.join(path),
                other_value=known_id[0],
                other_line=known_id[1],
                value=external_id,
            )
        )
        return
    known_path = id_paths.setdefault(external_id, (path, line))
    if known_path[0] != path:
        add(
            _problem(
                "unit_id_conflict",
                line=line,
                column=column,
                value=external_id,
                other_path=PATH_SEPARATOR.join(known_path[0]),
                other_line=known_path[1],
            )
        )


def format_path(path: Sequence[str]) -> str:
    return " / ".join(path)
