"""What a reader returns: the data or the problems (never both), remarks, and a Moodle file's scale."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _

from .interchange import FrameworkData


class Problem(Protocol):
    """What every reader reports: where (a JSON path or a file line) and what is wrong, in Danish."""

    @property
    def location(self) -> str: ...

    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class JsonProblem:
    path: str
    message: str

    @property
    def location(self) -> str:
        return self.path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class CsvProblem:
    line: int
    message: str

    @property
    def location(self) -> str:
        return _("Linje %(line)s") % {"line": self.line}

    def __str__(self) -> str:
        return _("Linje %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class FileProblem:
    """A problem with the file as a whole (its size), before any line of it is read."""

    message: str

    @property
    def location(self) -> str:
        return _("Filen")

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True)
class ScaleInfo:
    """A Moodle file's framework scale and how its values correspond to fagdigital's four levels.

    `mapping[i]` is the level of `values[i]`. `native` is a scale fagdigital wrote itself (its metadata says
    which level each value is), which the import preview shows but does not offer to change.
    """

    values: tuple[str, ...]
    proficient: tuple[bool, ...]
    default_mapping: tuple[int, ...]
    mapping: tuple[int, ...]
    native: bool = False


@dataclass(frozen=True)
class ReadResult:
    """A parsed file: `data` is None exactly when there are problems. Warnings never block an import."""

    data: FrameworkData | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    scale: ScaleInfo | None = None
