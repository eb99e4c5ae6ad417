"""Reading, checking and previewing people files (CSV or XLSX).

- `rows`: the columns a file may have, the limits that follow from the models, and `ImportRow`.
- `problems`: every problem's Danish text (what is wrong, how to fix it) with its line and column.
- `limits`: the shape checks run *before* a file is parsed (sizes, zip members, rows, columns, cells),
  so that a hostile or broken file is refused in seconds and bounded memory.
- `reading`: `read_people_file` turns bytes into rows and problems (no database access).
- `units`, `validation`: the unit tree and the row checks (`check_rows`).
- `plan`: what an import would change, read from the database (`build_plan`); writes nothing.

The import service (`orgs.services`) only ever applies rows from a file without errors, and checks
them again itself with `check_rows`. The format is documented for users in docs/import-format.md.
"""

from __future__ import annotations

from .problems import MESSAGES, ImportProblem, make_problem
from .reading import PROGRESS_EVERY, XLSX_MAX_COLUMNS, ParseResult, ProgressCallback, read_people_file
from .rows import (
    DANISH_HEADERS,
    ENGLISH_HEADERS,
    FORMULA_PREFIXES,
    HEADER_ALIASES,
    MAX_DEPTH,
    MAX_LENGTHS,
    MAX_ROWS,
    PATH_SEPARATOR,
    ImportRow,
    format_path,
    normalise_header,
)
from .validation import check_rows

__all__ = [
    "DANISH_HEADERS",
    "ENGLISH_HEADERS",
    "FORMULA_PREFIXES",
    "HEADER_ALIASES",
    "MAX_DEPTH",
    "MAX_LENGTHS",
    "MAX_ROWS",
    "MESSAGES",
    "PATH_SEPARATOR",
    "PROGRESS_EVERY",
    "XLSX_MAX_COLUMNS",
    "ImportProblem",
    "ImportRow",
    "ParseResult",
    "ProgressCallback",
    "check_rows",
    "format_path",
    "make_problem",
    "normalise_header",
    "read_people_file",
]
