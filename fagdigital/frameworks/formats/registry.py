"""The file formats by the names the UI and the commands use (`json`, `moodle-csv`): a reader and a writer
each."""

from __future__ import annotations

from collections.abc import Sequence

from .interchange import FrameworkData
from .json_reader import read_framework_json
from .json_writer import write_framework_json
from .limits import MAX_FILE_BYTES, MAX_FILE_MEGABYTES
from .messages import too_big_message
from .moodle import moodle_export_problems, read_moodle_csv, write_moodle_csv
from .result import FileProblem, ReadResult

JSON = "json"
MOODLE_CSV = "moodle-csv"
FILE_FORMATS = (JSON, MOODLE_CSV)
FILE_EXTENSIONS = {JSON: "json", MOODLE_CSV: "csv"}
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", MOODLE_CSV: "text/csv; charset=utf-8"}


def read_framework_file(
    raw: bytes, file_format: str, *, scale_mapping: Sequence[int] | None = None
) -> ReadResult:
    """Read a framework file in either format. Unknown formats raise ValueError (a programming error).

    `scale_mapping` is the import preview's choice of level for each value of a Moodle file's scale; it is
    ignored for JSON, whose levels are fagdigital's own.
    """
    if file_format not in FILE_FORMATS:
        raise ValueError(f"unknown framework file format {file_format!r}")
    if len(raw) > MAX_FILE_BYTES:
        return ReadResult(None, [FileProblem(too_big_message(len(raw), MAX_FILE_MEGABYTES))])
    if file_format == JSON:
        data, problems = read_framework_json(raw)
        return ReadResult(data, list(problems))
    return read_moodle_csv(raw, scale_mapping=scale_mapping)


def export_problems(data: FrameworkData, file_format: str) -> list[str]:
    """Why `data` cannot be written in `file_format` (empty when it can)."""
    if file_format == MOODLE_CSV:
        return moodle_export_problems(data)
    if file_format == JSON:
        return []
    raise ValueError(f"unknown framework file format {file_format!r}")


def write_framework_file(data: FrameworkData, file_format: str) -> bytes:
    if file_format == JSON:
        return write_framework_json(data)
    if file_format == MOODLE_CSV:
        return write_moodle_csv(data)
    raise ValueError(f"unknown framework file format {file_format!r}")


def export_filename(data: FrameworkData, file_format: str) -> str:
    """`<key>-v<version>.json` or `.csv`."""
    return f"{data.key}-v{data.version}.{FILE_EXTENSIONS[file_format]}"
