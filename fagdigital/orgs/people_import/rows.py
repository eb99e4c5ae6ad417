"""What a people file holds: its columns (Danish and English headers), limits from the models, and rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fagdigital.orgs.models import PATH_MAX_LENGTH, PATH_STEP

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

TRUE_VALUES = frozenset({"ja", "j", "yes", "y", "1", "x", "true", "sand"})
FALSE_VALUES = frozenset({"nej", "n", "no", "0", "", "false", "falsk"})


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
    # False when the file has no e-mail column: the person's e-mail is then left as it is (a file
    # without the column says nothing about e-mail; it must not erase every address).
    email_given: bool = True


def format_path(path: Sequence[str]) -> str:
    return " / ".join(path)
