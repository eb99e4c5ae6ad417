"""Checks of import rows however they were made (a file, the demo generator, an integration)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from .problems import ImportProblem, make_problem
from .rows import DANISH_HEADERS, MAX_LENGTHS, PATH_SEPARATOR, ImportRow
from .units import unit_path_problems

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
                add(make_problem("required", line=line, column=names[name]))
            elif len(value) > MAX_LENGTHS[name]:
                add(
                    make_problem(
                        "too_long", line=line, column=names[name], length=len(value), limit=MAX_LENGTHS[name]
                    )
                )
        if row.email:
            if len(row.email) > MAX_LENGTHS["email"]:
                add(
                    make_problem(
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
                    add(make_problem("invalid_email", line=line, column=names["email"], value=row.email))
        if row.employee_number:
            first = seen_numbers.setdefault(row.employee_number, line)
            if first != line:
                add(
                    make_problem(
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
            found = unit_path_problems(path, PATH_SEPARATOR.join(path), line, names["unit"])
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
            make_problem(
                "too_long", line=line, column=column, length=len(external_id), limit=MAX_LENGTHS["unit_id"]
            )
        )
        return
    known_id = path_ids.setdefault(path, (external_id, line))
    if known_id[0] != external_id:
        add(
            make_problem(
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
            make_problem(
                "unit_id_conflict",
                line=line,
                column=column,
                value=external_id,
                other_path=PATH_SEPARATOR.join(known_path[0]),
                other_line=known_path[1],
            )
        )
