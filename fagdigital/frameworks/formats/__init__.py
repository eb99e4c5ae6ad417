"""Framework files: fagdigital JSON and Moodle's competency framework CSV (docs/framework-format.md).

Every format is one reader and one writer of the plain data in `interchange` (`FrameworkData`); `registry`
picks them by the format's name. Shared pieces sit below the formats and import none of them: the limits
(`limits`), the Danish messages (`messages`), what a reader returns (`result`) and the protection against
spreadsheet formulas (`spreadsheet`). The layers are checked by import-linter (pyproject.toml).
"""

from .interchange import FrameworkData
from .json_reader import read_framework_json
from .json_writer import write_framework_json
from .registry import (
    CONTENT_TYPES,
    FILE_EXTENSIONS,
    FILE_FORMATS,
    JSON,
    MOODLE_CSV,
    export_filename,
    export_problems,
    read_framework_file,
    write_framework_file,
)
from .result import Problem, ReadResult, ScaleInfo

__all__ = [
    "CONTENT_TYPES",
    "FILE_EXTENSIONS",
    "FILE_FORMATS",
    "JSON",
    "MOODLE_CSV",
    "FrameworkData",
    "Problem",
    "ReadResult",
    "ScaleInfo",
    "export_filename",
    "export_problems",
    "read_framework_file",
    "read_framework_json",
    "write_framework_file",
    "write_framework_json",
]
