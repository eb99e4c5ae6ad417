"""The limits every framework file is checked against, in one place (docs/framework-format.md).

Field lengths are the database's (models.py), so a long text is a problem naming where it is, never a
crash when the rows are written. The file and item limits keep one upload from tying up a worker.
"""

from __future__ import annotations

# The whole file: the upload form, the import command and the readers all refuse bigger files.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILE_MEGABYTES = MAX_FILE_BYTES // (1024 * 1024)
# Areas and competences in one file (the bundled framework has 26; big Moodle frameworks a few hundred).
MAX_ITEMS = 20_000
# Problems reported for one file; a file with more is broken throughout and the first ones show how.
MAX_PROBLEMS = 200

# Field lengths (models.py).
KEY_MAX = 100
NAME_MAX = 200
COMPETENCE_NAME_MAX = 300
AREA_CODE_MAX = 50
COMPETENCE_CODE_MAX = 100
SLUG_MAX = 100
VENDOR_MAX = 200
# A Moodle scale value, kept as a level's `moodle_values` (Moodle stores a scale as one text).
SCALE_VALUE_MAX = 255
# Competences may be nested this deep below their area (fagdigital's own trees; Moodle trees are flattened).
MAX_DEPTH = 20

# Moodle keeps at most 100 characters of a short name (and of an ID number).
MOODLE_NAME_MAX = 100
