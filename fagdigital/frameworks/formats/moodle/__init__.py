"""Moodle competency frameworks as CSV, as Moodle's `tool_lpimportcsv` writes and reads them.

One reader (reader.py) and one writer (writer.py); below them, by subdomain: the file's columns and rows,
its HTML texts, the scale and its mapping onto fagdigital's levels, the competency tree, and fagdigital's
metadata in Rule config. docs/framework-format.md describes the format; decision 0014 the choices for files
from a real Moodle.
"""

from .columns import HEADER
from .html_text import html_to_text, text_to_html
from .reader import read_moodle_csv
from .scale import TARGET_LEVEL, default_mapping, mapping_problem
from .writer import MoodleExportError, moodle_export_omissions, moodle_export_problems, write_moodle_csv

__all__ = [
    "HEADER",
    "TARGET_LEVEL",
    "MoodleExportError",
    "default_mapping",
    "html_to_text",
    "mapping_problem",
    "moodle_export_omissions",
    "moodle_export_problems",
    "read_moodle_csv",
    "text_to_html",
    "write_moodle_csv",
]
