"""Shape checks run before a people file is parsed, so a hostile or broken file is refused in seconds.

A 2 KB spreadsheet can claim a cell at row 1,048,576, a 20 MB zip can unpack to gigabytes, one shared
string can be hundreds of megabytes, and a CSV file can be millions of empty lines. None of these are
parsed: the checks here look at the zip's directory, stream the XML parts through expat counting rows,
columns, cells and characters (never holding more than `XML_MAX_PENDING_BYTES` of one token), and count
the CSV text's lines, line lengths and cells. Every limit is far above what a municipality's HR file
needs (decision 0011 gives the numbers and the reasons) and each refusal says what was found and where.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from .problems import ImportProblem, make_problem
from .rows import MAX_ROWS

# --- the limits ----------------------------------------------------------------------------------------
# Rows: people plus room for a header that is not on the first line and for blank lines.
MAX_LINES = MAX_ROWS + 10_000
# Columns: the file has 6-8 known columns; HR exports add some of their own.
MAX_COLUMNS = 200
# Cells of the whole file (rows times columns actually present).
MAX_CELLS = 5_000_000
# One CSV line (in characters) and one cell (Excel's own limit is 32,767 characters).
MAX_LINE_CHARS = 32_768
MAX_CELL_CHARS = 32_767
# XLSX: zip members, unpacked sizes and compression ratio.
XLSX_MAX_MEMBERS = 500
XLSX_MAX_SHEET_BYTES = 256 * 1024 * 1024  # each worksheet
XLSX_MAX_SHARED_BYTES = 64 * 1024 * 1024  # the shared strings (the workbook's table of texts)
XLSX_MAX_PART_BYTES = 8 * 1024 * 1024  # every other part (styles, workbook, relationships, ...)
XLSX_MAX_TOTAL_BYTES = 512 * 1024 * 1024
XLSX_MAX_RATIO = 100  # unpacked / packed, for parts above XLSX_RATIO_FROM_BYTES
XLSX_RATIO_FROM_BYTES = 1024 * 1024
# Shared strings: how many.
XLSX_MAX_SHARED_STRINGS = 1_000_000
# Bytes expat may hold of one unfinished token (a tag with its attributes, a comment, ...).
XML_MAX_PENDING_BYTES = 1024 * 1024
XML_CHUNK = 256 * 1024

_CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class LimitExceeded(Exception):  # noqa: N818 - reads better at the raise site
    """The file breaks a limit; `problem` says which and where."""

    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def split_reference(reference: str) -> tuple[int, int] | None:
    """ "B12" → (row 12, column 2); None if it is not a cell reference."""
    found = _CELL_REFERENCE.match(reference)
    if found is None:
        return None
    return int(found.group(2)), column_number(found.group(1))


# --- CSV ---------------------------------------------------------------------------------------------


def check_csv_text(text: str, *, delimiter: str) -> None:
    """Lines, line lengths, columns and cells of a decoded CSV file, before the csv module reads it.

    Counts are upper bounds (a delimiter inside quotes counts as a column), which only matters far
    above anything an HR file has.
    """
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise LimitExceeded(make_problem("file_too_many_lines", found=lines, limit=MAX_LINES))
    cells = text.count(delimiter) + lines
    if cells > MAX_CELLS:
        raise LimitExceeded(make_problem("file_too_many_cells", limit=MAX_CELLS))
    start = 0
    number = 1
    size = len(text)
    find = text.find
    count = text.count
    while start <= size:
        end = find("\n", start)
        if end < 0:
            end = size
        if end - start > MAX_LINE_CHARS:
            raise LimitExceeded(
                make_problem("line_too_long", line=number, length=end - start, limit=MAX_LINE_CHARS)
            )
        columns = count(delimiter, start, end) + 1
        if columns > MAX_COLUMNS:
            raise LimitExceeded(
                make_problem("too_many_columns", line=number, found=columns, limit=MAX_COLUMNS)
            )
        start = end + 1
        number += 1


# --- XLSX --------------------------------------------------------------------------------------------


@dataclass
class SheetShape:
    """What the checks found in the first sheet: where its cells really end."""

    sheet_part: str
    rows: int = 0  # the number of the last row
    cells: int = 0
    shared_strings: int = 0
    parts: list[str] = field(default_factory=list)


def check_xlsx(data: IO[bytes]) -> SheetShape:
    """Zip directory, every XML part's shape, the shared strings and the first sheet, before openpyxl.

    Raises LimitExceeded (with the problem) or zipfile.BadZipFile / ValueError for a broken file.
    """
    with zipfile.ZipFile(data) as archive:
        infos = archive.infolist()
        _check_members(infos)
        names = {info.filename for info in infos}
        workbook = _workbook_part(archive, names)
        sheet, shared = _first_sheet_and_strings(archive, names, workbook)
        if sheet is None:
            raise zipfile.BadZipFile("no worksheet")
        shape = SheetShape(sheet_part=sheet, parts=sorted(names))
        big = {sheet, shared}
        for info in infos:
            lower = info.filename.lower()
            if info.filename in big or not lower.endswith((".xml", ".rels", ".vml")):
                continue
            if lower.startswith(("xl/worksheets/", "xl/chartsheets/")):
                continue  # other sheets are never read
            _scan_xml(archive, info.filename)
        if shared is not None:
            strings = _SharedStringsScan(shared)
            _scan_xml(archive, shared, strings)
            shape.shared_strings = strings.count
        cells = _SheetScan(sheet)
        _scan_xml(archive, sheet, cells)
        shape.rows, shape.cells = cells.row, cells.cells
        return shape


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > XLSX_MAX_MEMBERS:
        raise LimitExceeded(make_problem("zip_too_many_members", found=len(infos), limit=XLSX_MAX_MEMBERS))
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            raise LimitExceeded(make_problem("zip_duplicate_member", member=name))
        seen.add(name)
        lower = name.lower()
        if lower.startswith("xl/worksheets/"):
            limit = XLSX_MAX_SHEET_BYTES
        elif lower.endswith("sharedstrings.xml"):
            limit = XLSX_MAX_SHARED_BYTES
        else:
            limit = XLSX_MAX_PART_BYTES
        if info.file_size > limit:
            raise LimitExceeded(
                make_problem(
                    "zip_member_too_large", member=name, size_bytes=info.file_size, limit_bytes=limit
                )
            )
        total += info.file_size
        if total > XLSX_MAX_TOTAL_BYTES:
            raise LimitExceeded(
                make_problem("zip_total_too_large", size_bytes=total, limit_bytes=XLSX_MAX_TOTAL_BYTES)
            )
        if info.file_size > XLSX_RATIO_FROM_BYTES:
            ratio = info.file_size / max(1, info.compress_size)
            if ratio > XLSX_MAX_RATIO:
                raise LimitExceeded(
                    make_problem("zip_ratio", member=name, ratio=int(ratio), limit=XLSX_MAX_RATIO)
                )


def _small_xml(archive: zipfile.ZipFile, name: str) -> ET.Element:
    """A small part (already size-checked), scanned for a DTD before ElementTree sees it."""
    _scan_xml(archive, name)
    return ET.fromstring(archive.read(name))  # noqa: S314 - no DTD (checked above), size-limited


def _workbook_part(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "_rels/.rels" in names:
        for rel in _small_xml(archive, "_rels/.rels").iter(f"{{{_NS_PACKAGE_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
    return "xl/workbook.xml"


def _first_sheet_and_strings(
    archive: zipfile.ZipFile, names: set[str], workbook: str
) -> tuple[str | None, str | None]:
    """The parts openpyxl reads as worksheets[0] and as the shared strings."""
    folder = posixpath.dirname(workbook)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets: dict[str, tuple[str, str]] = {}
    shared: str | None = None
    if rels_name in names:
        for rel in _small_xml(archive, rels_name).iter(f"{{{_NS_PACKAGE_REL}}}Relationship"):
            target = rel.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            targets[rel.get("Id", "")] = (kind, path)
            if kind == "sharedStrings" and path in names:
                shared = path
    if shared is None and "xl/sharedStrings.xml" in names:
        shared = "xl/sharedStrings.xml"
    sheet: str | None = None
    if workbook in names:
        for element in _small_xml(archive, workbook).iter(f"{{{_NS_MAIN}}}sheet"):
            kind, path = targets.get(element.get(f"{{{_NS_REL}}}id", ""), ("", ""))
            if kind == "worksheet" and path in names:
                sheet = path
                break
    if sheet is None and "xl/worksheets/sheet1.xml" in names:
        sheet = "xl/worksheets/sheet1.xml"
    return sheet, shared


class _PartScan:
    """One streaming pass over a big part (the first sheet or the shared strings).

    Each chunk goes to an expat parser without element handlers (so it runs at C speed: it refuses a DTD,
    checks the XML and tells how far it got) and to byte-level checks on the complete tags of the chunk:
    no text or tag longer than a cell may be, and, in a sheet, the rows, columns and cells. Counting
    bytes (`bytes.count`) instead of calling Python per element keeps millions of cells to a second.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.carry = b""
        self.first = True

    def part(self, data: bytes) -> None:
        raise NotImplementedError

    def feed(self, chunk: bytes, *, final: bool) -> None:
        buffer = self.carry + chunk
        if self.first:
            self.first = False
            if buffer[:2] in {b"\xff\xfe", b"\xfe\xff"} or b"\x00" in buffer[:4]:
                raise LimitExceeded(make_problem("xml_foreign", member=self.name, what="UTF-16"))
        end = len(buffer) if final else buffer.rfind(b">") + 1
        complete, self.carry = buffer[:end], buffer[end:]
        if len(self.carry) > XML_MAX_PENDING_BYTES:
            opening = self.carry.find(b"<")
            if opening < 0 or opening > MAX_CELL_CHARS:
                self.text_too_long(buffer, end)
            raise LimitExceeded(
                make_problem("xml_token_too_large", member=self.name, limit_bytes=XML_MAX_PENDING_BYTES)
            )
        if complete:
            if b"<![CDATA[" in complete:
                raise LimitExceeded(make_problem("xml_foreign", member=self.name, what="CDATA"))
            self._runs(complete)
            self.part(complete)

    def _runs(self, data: bytes) -> None:
        """No text between two tags longer than a cell may be, and no tag longer than that either.

        A run of MAX_CELL_CHARS bytes without "<" or ">" always covers a whole aligned block of half
        that size, so only blocks without either are looked at closely (a few `find`s per block).
        """
        block = (MAX_CELL_CHARS + 1) // 2
        for start in range(0, len(data) - block + 1, block):
            end = start + block
            if data.find(b"<", start, end) >= 0 or data.find(b">", start, end) >= 0:
                continue
            before = max(data.rfind(b"<", 0, start), data.rfind(b">", 0, start))
            long_run = (
                _LONG_RUN.match(data, before) if before >= 0 else _LONG_RUN.match(b">" + data[: end + block])
            )
            if long_run is not None:
                self._long_run(data, max(before, 0), long_run.group(0)[:1] == b"<")

    def _long_run(self, data: bytes, position: int, in_tag: bool) -> None:
        if in_tag:
            end = data.find(b">", position)
            if end < 0 or end - position > MAX_TOKEN_BYTES:
                raise LimitExceeded(
                    make_problem("xml_token_too_large", member=self.name, limit_bytes=MAX_TOKEN_BYTES)
                )
            return
        end = data.find(b"<", position + 1)
        text = data[position + 1 : end if end >= 0 else len(data)]
        if len(text.decode("utf-8", "replace")) > MAX_CELL_CHARS:
            self.text_too_long(data, position)

    def text_too_long(self, data: bytes, position: int) -> None:
        del data, position
        raise LimitExceeded(make_problem("shared_string_too_long", limit=MAX_CELL_CHARS))


# The longest tag (name and attributes) a part may have.
MAX_TOKEN_BYTES = 4 * MAX_CELL_CHARS
# A run of more than a cell's characters (in bytes: at least that many) after a "<" or a ">".
_LONG_RUN = re.compile(rb"[<>][^<>]{%d}" % MAX_CELL_CHARS)
_TAG_ENDS = (b" ", b">", b"/>", b"\t", b"\n", b"\r")
_ALL_BUT_MARKERS = bytes(byte for byte in range(256) if byte not in {1, 2})
_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?(?:worksheet|sst)[\s>]")


class _Patterns:
    """The sheet's patterns for the namespace prefix it uses ("" as Excel writes it, or e.g. "x:").

    Each starts with a literal ("<row", ' r="', ...), which the regular expression engine finds fast.
    """

    def __init__(self, prefix: bytes) -> None:
        lt = b"<" + re.escape(prefix)
        self.cells = [b"<" + prefix + b"c" + end for end in _TAG_ENDS]
        self.rows = [b"<" + prefix + b"row" + end for end in _TAG_ENDS]
        self.strings = [b"<" + prefix + b"si" + end for end in _TAG_ENDS]
        self.sheet_data = b"<" + prefix + b"sheetData"
        self.dimension = re.compile(lt + rb"""dimension\s[^>]*?\bref\s*=\s*["']([^"']{1,64})["']""")
        self.row = re.compile(lt + rb"row[\s/>]")
        self.row_number = re.compile(rb"""\sr\s*=\s*["']0*(\d{1,10})["']""")
        self.numbered_row = re.compile(lt + rb"""row\s[^>]*?\br\s*=\s*["']\d""")
        # Row numbers from 260,000 (MAX_LINES) up: seven digits or more, or six from 260000.
        self.big_row = re.compile(
            lt + rb"""row\s[^>]*?\br\s*=\s*["']0*([1-9]\d{6,}|2[6-9]\d{4}|[3-9]\d{5})["']"""
        )
        # A reference beyond column GR (200): three letters, H-Z and a letter, or G and S-Z.
        # (Starting with the literal ' r=' lets the engine skip to candidates; other spacing is rare.)
        self.far_reference = re.compile(
            rb""" r=["']\$?((?:[A-Za-z]{3,}|[H-Zh-z][A-Za-z]|[Gg][S-Zs-z])\$?\d{1,7})["']"""
            rb"""|\sr\s+=\s*["']\$?((?:[A-Za-z]{3,}|[H-Zh-z][A-Za-z]|[Gg][S-Zs-z])\$?\d{1,7})["']"""
            rb"""|\sr=\s+["']\$?((?:[A-Za-z]{3,}|[H-Zh-z][A-Za-z]|[Gg][S-Zs-z])\$?\d{1,7})["']"""
        )
        self.cell = re.compile(
            lt + rb"""c(?:\s(?:[^>]*?\br\s*=\s*["']\$?([A-Za-z]{1,3}\$?\d{1,7})["'])?[^>]*)?/?>"""
        )
        self.reference_before = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,3}\$?\d{1,7})["']""")

    def count(self, data: bytes, starts: list[bytes], start: int = 0, end: int | None = None) -> int:
        stop = len(data) if end is None else end
        return sum(data.count(item, start, stop) for item in starts)

    def references(self, data: bytes) -> int:
        """How many elements name their reference or number (the attribute r on cells and rows)."""
        return sum(data.count(b" r" + eq) for eq in (b'="', b"='", b' = "', b" = '"))


def _patterns(data: bytes) -> _Patterns:
    found = _ROOT_PREFIX.search(data)
    return _Patterns(found.group(1) or b"" if found else b"")


class _SharedStringsScan(_PartScan):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.count = 0
        self.patterns: _Patterns | None = None

    def part(self, data: bytes) -> None:
        if self.patterns is None:
            self.patterns = _patterns(data)
        self.count += self.patterns.count(data, self.patterns.strings)
        if self.count > XLSX_MAX_SHARED_STRINGS:
            raise LimitExceeded(make_problem("too_many_shared_strings", limit=XLSX_MAX_SHARED_STRINGS))


class _SheetScan(_PartScan):
    """Rows, columns and cells as the sheet's XML gives them, refused the moment one is out of bounds.

    Excel names every row's number and every cell's reference; then only the rows and references the
    patterns find out of bounds are looked at in Python. Sheets that leave them out (each row or cell
    is then the one after the previous) are counted from a one-byte-per-element outline of the part.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.row = 0
        self.row_cells = 0
        self.cells = 0
        self.patterns: _Patterns | None = None
        self.in_sheet_data = False

    def part(self, data: bytes) -> None:
        if self.patterns is None:
            self.patterns = _patterns(data)
        patterns = self.patterns
        if not self.in_sheet_data:
            found = patterns.dimension.search(data)
            if found is not None:
                self._dimension(found.group(1).decode("ascii", "replace"))
            self.in_sheet_data = patterns.sheet_data in data
        cells = patterns.count(data, patterns.cells)
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise LimitExceeded(make_problem("file_too_many_cells", limit=MAX_CELLS))
        far = patterns.far_reference.search(data)
        if far is not None:
            reference = next(group for group in far.groups() if group)
            self._far_cell(reference.decode("ascii", "replace"))
        rows = patterns.count(data, patterns.rows)
        numbered = patterns.numbered_row.subn(b"", data)[1] if rows else 0
        referenced = patterns.references(data) - numbered
        if numbered not in {0, rows} or referenced not in {0, cells}:
            self._slow(data)  # some rows or cells name themselves, others do not: one by one
            return
        if numbered:
            for big in patterns.big_row.finditer(data):
                self._row(int(big.group(1)))
        if referenced == cells:
            self._last_row(data, rows, numbered)
            self.row_cells = 0
            return
        self._outline(data, rows, numbered)

    def _last_row(self, data: bytes, rows: int, numbered: int) -> None:
        patterns = self.patterns
        assert patterns is not None
        if not rows:
            return
        if not numbered:
            self._row(self.row + rows)
            return
        last = max(data.rfind(start) for start in patterns.rows)
        number = patterns.row_number.search(data, last, data.find(b">", last))
        self._row(int(number.group(1)) if number else self.row + 1)

    def _outline(self, data: bytes, rows: int, numbered: int) -> None:
        """No cell names its reference: each is the column after the previous. The widths of the rows
        come from the part reduced to one byte per row start and cell start (all of it in C)."""
        patterns = self.patterns
        assert patterns is not None
        marked = data
        for start in patterns.rows:
            marked = marked.replace(start, b"\x01")
        for start in patterns.cells:
            marked = marked.replace(start, b"\x02")
        widths = list(map(len, marked.translate(None, _ALL_BUT_MARKERS).split(b"\x01")))
        widths[0] += self.row_cells
        widest = max(widths)
        if widest > MAX_COLUMNS:
            if numbered:
                self._slow(data)  # finds the row's number and refuses there
            self._row(self.row + widths.index(widest))
            self.row_cells = widest
            self._column_bound()
        self._last_row(data, rows, numbered)
        self.row_cells = widths[-1]

    def _slow(self, data: bytes) -> None:
        patterns = self.patterns
        assert patterns is not None
        position = 0
        for row in patterns.row.finditer(data):
            self._row_cells(data, position, row.start())
            tag_end = data.find(b">", row.start())
            number = patterns.row_number.search(data, row.start(), tag_end if tag_end >= 0 else len(data))
            self._row(int(number.group(1)) if number else self.row + 1)
            self.row_cells = 0
            position = row.start()
        self._row_cells(data, position, len(data))

    def _row_cells(self, data: bytes, start: int, end: int) -> None:
        """The columns of the row's cells: a cell without a reference is the one after the previous."""
        patterns = self.patterns
        assert patterns is not None
        for cell in patterns.cell.finditer(data, start, end):
            found = split_reference(cell.group(1).decode("ascii", "replace")) if cell.group(1) else None
            self.row_cells = found[1] if found is not None else self.row_cells + 1
            self._column_bound()

    def _column_bound(self) -> None:
        if self.row_cells > MAX_COLUMNS:
            raise LimitExceeded(
                make_problem(
                    "sheet_column_bound",
                    line=self.row,
                    cell=f"{_letters(self.row_cells)}{self.row}",
                    column_number=self.row_cells,
                    limit=MAX_COLUMNS,
                    limit_letters=_letters(MAX_COLUMNS),
                )
            )

    def _row(self, row: int) -> None:
        self.row = row
        if row > MAX_LINES:
            raise LimitExceeded(make_problem("sheet_row_bound", row=row, limit=MAX_LINES))

    def _far_cell(self, reference: str) -> None:
        reference = reference.replace("$", "").upper()
        found = split_reference(reference)
        row, column = found if found is not None else (self.row, MAX_COLUMNS + 1)
        if column <= MAX_COLUMNS:
            return
        raise LimitExceeded(
            make_problem(
                "sheet_column_bound",
                line=row,
                cell=reference,
                column_number=column,
                limit=MAX_COLUMNS,
                limit_letters=_letters(MAX_COLUMNS),
            )
        )

    def _dimension(self, ref: str) -> None:
        last = ref.rsplit(":", maxsplit=1)[-1].replace("$", "")
        found = split_reference(last)
        if found is None:
            return
        row, column = found
        if row > MAX_LINES or column > MAX_COLUMNS:
            raise LimitExceeded(
                make_problem(
                    "sheet_dimension",
                    cell=last.upper(),
                    rows=MAX_LINES,
                    columns=MAX_COLUMNS,
                    limit_letters=_letters(MAX_COLUMNS),
                )
            )

    def text_too_long(self, data: bytes, position: int) -> None:
        patterns = self.patterns or _patterns(data)
        before = list(patterns.reference_before.finditer(data, max(0, position - 4096), position))
        reference = before[-1].group(1).decode("ascii", "replace").replace("$", "").upper() if before else "?"
        found = split_reference(reference)
        raise LimitExceeded(
            make_problem(
                "cell_too_long", line=found[0] if found else None, cell=reference, limit=MAX_CELL_CHARS
            )
        )


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _expat(name: str) -> Any:
    """A parser that refuses a DTD (entity bombs, external entities) and otherwise just checks the XML."""
    parser = expat.ParserCreate()

    def refuse_dtd(*_args: object) -> None:
        raise LimitExceeded(make_problem("xml_foreign", member=name, what="DTD"))

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    return parser


def _scan_xml(archive: zipfile.ZipFile, name: str, scan: _PartScan | None = None) -> None:
    """Stream one part through expat (and `scan`), never holding more than one unfinished token."""
    parser = _expat(name)
    fed = 0
    with archive.open(name) as stream:
        while chunk := stream.read(XML_CHUNK):
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - parser.CurrentByteIndex > XML_MAX_PENDING_BYTES:
                raise LimitExceeded(
                    make_problem("xml_token_too_large", member=name, limit_bytes=XML_MAX_PENDING_BYTES)
                )
            if scan is not None:
                scan.feed(chunk, final=False)
        parser.Parse(b"", True)
        if scan is not None:
            scan.feed(b"", final=True)
