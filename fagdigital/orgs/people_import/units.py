"""The unit tree a people file describes: paths of names, or enheds-id with overordnet enheds-id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .problems import ImportProblem, make_problem
from .rows import MAX_DEPTH, MAX_LENGTHS, PATH_SEPARATOR

if TYPE_CHECKING:
    from .reading import Columns, ParseResult


@dataclass
class _UnitDef:
    name: str
    parent: str
    line: int


def split_paths(
    raw_rows: list[tuple[int, dict[str, str]]],
    unit_rows: list[tuple[int, dict[str, str]]],
    columns: Columns,
    result: ParseResult,
) -> dict[int, tuple[str, ...]]:
    """Path mode: "A/B/C" → ("A", "B", "C"). Unit problems of person rows are left to check_rows."""
    cache: dict[str, tuple[str, ...]] = {}
    paths: dict[int, tuple[str, ...]] = {}

    def split(text: str) -> tuple[str, ...]:
        found = cache.get(text)
        if found is None:
            found = tuple(part.strip() for part in text.strip(PATH_SEPARATOR).split(PATH_SEPARATOR))
            if found == ("",):
                found = ()
            cache[text] = found
        return found

    for line, values in raw_rows:
        paths[line] = split(values["unit"])
    # Rows that only name a unit: create it (and record its enheds-id) even without people in it.
    unit_rows_paths: list[tuple[int, tuple[str, ...], str]] = []
    for line, values in unit_rows:
        path = split(values["unit"])
        problems = unit_path_problems(path, values["unit"], line, columns.name("unit"))
        if not path:
            problems.append(make_problem("required", line=line, column=columns.name("employee_number")))
        result.problems.extend(problems)
        if not problems:
            unit_rows_paths.append((line, path, values.get("unit_id", "")))
    for line, values in raw_rows:
        path = paths[line]
        if path and all(path) and len(path) <= MAX_DEPTH:
            for depth in range(1, len(path)):
                result.units.setdefault(path[:depth], "")
            external_id = values.get("unit_id", "")
            if not result.units.get(path):
                result.units[path] = external_id
    for _line, path, external_id in unit_rows_paths:
        for depth in range(1, len(path)):
            result.units.setdefault(path[:depth], "")
        if not result.units.get(path):
            result.units[path] = external_id
    return paths


def unit_path_problems(path: tuple[str, ...], text: str, line: int, column: str) -> list[ImportProblem]:
    if not path:
        return [make_problem("required", line=line, column=column)]
    problems = []
    if not all(path):
        problems.append(make_problem("empty_unit_name", line=line, column=column, value=text))
    for part in path:
        if len(part) > MAX_LENGTHS["unit"]:
            problems.append(
                make_problem(
                    "too_long", line=line, column=column, length=len(part), limit=MAX_LENGTHS["unit"]
                )
            )
            break
    if len(path) > MAX_DEPTH:
        problems.append(make_problem("too_deep", line=line, column=column, depth=len(path), limit=MAX_DEPTH))
    return problems


def resolve_unit_ids(
    raw_rows: list[tuple[int, dict[str, str]]],
    unit_rows: list[tuple[int, dict[str, str]]],
    columns: Columns,
    result: ParseResult,
) -> dict[int, tuple[str, ...]]:
    """Id mode: the tree from (enheds-id, overordnet enheds-id, enhed) on each row, as paths of names.

    Conflicting definitions, unknown parents, cycles and same-named siblings are errors naming the
    lines involved; rows in units that cannot be placed get no path.
    """
    columns_named = (columns.name("unit_id"), columns.name("parent_unit_id"), columns.name("unit"))
    units = _unit_definitions([*raw_rows, *unit_rows], columns_named, result)
    resolved = _resolve_chains(units, columns_named[1], result)
    return _unique_paths(units, resolved, raw_rows, columns_named, result)


def _unit_definitions(
    rows: list[tuple[int, dict[str, str]]], columns_named: tuple[str, str, str], result: ParseResult
) -> dict[str, _UnitDef]:
    """Each enheds-id's name and parent, as its first line gives them; conflicts on later lines."""
    add = result.problems.append
    id_column, parent_column, name_column = columns_named
    units: dict[str, _UnitDef] = {}
    for line, values in sorted(rows):
        unit_id, parent, name = values["unit_id"], values["parent_unit_id"], values["unit"]
        if not unit_id:
            add(make_problem("required", line=line, column=id_column))
            continue
        if len(unit_id) > MAX_LENGTHS["unit_id"]:
            add(
                make_problem(
                    "too_long", line=line, column=id_column, length=len(unit_id), limit=MAX_LENGTHS["unit_id"]
                )
            )
        if not name:
            add(make_problem("required", line=line, column=name_column))
            continue
        if len(name) > MAX_LENGTHS["unit"]:
            add(
                make_problem(
                    "too_long", line=line, column=name_column, length=len(name), limit=MAX_LENGTHS["unit"]
                )
            )
        known = units.get(unit_id)
        if known is None:
            units[unit_id] = _UnitDef(name=name, parent=parent, line=line)
            continue
        if known.name != name:
            add(
                make_problem(
                    "unit_name_conflict",
                    line=line,
                    column=name_column,
                    value=unit_id,
                    other_name=known.name,
                    other_line=known.line,
                    unit_name=name,
                )
            )
        if known.parent != parent:
            add(
                make_problem(
                    "unit_parent_conflict",
                    line=line,
                    column=parent_column,
                    value=unit_id,
                    other_parent=known.parent or "—",
                    other_line=known.line,
                    parent=parent or "—",
                )
            )
    return units


def _resolve_chains(
    units: dict[str, _UnitDef], parent_column: str, result: ParseResult
) -> dict[str, tuple[str, ...]]:
    """Each placeable enheds-id's path of names, following parents; unknown parents and cycles are
    errors naming the lines involved."""
    add = result.problems.append
    resolved: dict[str, tuple[str, ...]] = {}
    broken: set[str] = set()
    for start in units:
        chain: list[str] = []
        on_chain: set[str] = set()
        current = start
        failed = False
        while current and current not in resolved:
            if current in broken:
                failed = True
                break
            if current in on_chain:
                cycle = chain[chain.index(current) :]
                lines = sorted(units[c].line for c in cycle)
                first = min(cycle, key=lambda c: units[c].line)
                add(
                    make_problem(
                        "unit_cycle",
                        line=units[first].line,
                        column=parent_column,
                        cycle=" → ".join(f"{units[c].name} ({c})" for c in [*cycle, cycle[0]]),
                        lines=", ".join(str(n) for n in lines),
                    )
                )
                failed = True
                break
            if current not in units:
                child = chain[-1]
                add(
                    make_problem(
                        "unknown_parent",
                        line=units[child].line,
                        column=parent_column,
                        value=current,
                        unit_name=units[child].name,
                    )
                )
                failed = True
                break
            chain.append(current)
            on_chain.add(current)
            current = units[current].parent
        if failed:
            broken.update(chain)
            continue
        path = resolved[current] if current else ()
        for unit_id in reversed(chain):
            path = (*path, units[unit_id].name)
            resolved[unit_id] = path
    return resolved


def _unique_paths(
    units: dict[str, _UnitDef],
    resolved: dict[str, tuple[str, ...]],
    raw_rows: list[tuple[int, dict[str, str]]],
    columns_named: tuple[str, str, str],
    result: ParseResult,
) -> dict[int, tuple[str, ...]]:
    """No two ids with one path; the file's units and each person row's path."""
    add = result.problems.append
    _id_column, parent_column, name_column = columns_named
    by_path: dict[tuple[str, ...], str] = {}
    for unit_id, path in resolved.items():
        other = by_path.get(path)
        if other is not None:
            first, second = sorted((other, unit_id), key=lambda u: units[u].line)
            add(
                make_problem(
                    "unit_same_name",
                    line=units[second].line,
                    column=name_column,
                    value=second,
                    other_value=first,
                    other_line=units[first].line,
                    unit_name=units[second].name,
                )
            )
            continue
        by_path[path] = unit_id
        if len(path) > MAX_DEPTH:
            add(
                make_problem(
                    "too_deep",
                    line=units[unit_id].line,
                    column=parent_column,
                    depth=len(path),
                    limit=MAX_DEPTH,
                )
            )
    result.units = dict(sorted(by_path.items()))
    return {line: resolved.get(values["unit_id"], ()) for line, values in raw_rows}
