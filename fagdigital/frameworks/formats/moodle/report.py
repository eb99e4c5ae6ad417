"""Where the Moodle reader collects what it finds: problems (which block the import) and remarks (which do
not)."""

from __future__ import annotations

from dataclasses import dataclass

from fagdigital.frameworks.formats.result import CsvProblem


@dataclass
class Row:
    """One row of the file: its physical line (where the row begins) and its cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


class Report:
    def __init__(self) -> None:
        self.problems: list[CsvProblem] = []
        self.warnings: list[CsvProblem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(CsvProblem(line, message))

    def warning(self, line: int, message: str) -> None:
        self.warnings.append(CsvProblem(line, message))
