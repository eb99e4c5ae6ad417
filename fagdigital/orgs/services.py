"""Writes of the organisation structure: the people import, and the stored imports' life cycle.

The import works on `ImportRow`s (from `people_import.read_people_file`, the demo generator or an
integration). `people_import_preview` says what `people_import_apply` would do, without writing;
`people_import_apply` does it, all or nothing, in one transaction.

Rules (documented for users in docs/import-format.md):
- People are matched by employee number. Name and e-mail are updated; `Person.user` (the link to a
  login) is never touched.
- A row is the person's one primary engagement. When the unit or job function differs from the
  running primary engagement, that engagement ends and a new one starts today. An engagement ends on
  the day before the import (so on any day exactly one engagement is running); one that started today
  or later is deleted instead, as it never ran a whole day.
- People of the organisation who are not in the file get all their running engagements ended
  (`end_missing`), and lose their leader registrations.
- Units are matched by their path of names from the top. Missing units are created, numbered after
  their existing siblings. An enheds-id from the file is stored on the unit (and taken from a unit that
  had it before, as ids are unique).
- Leaders: a row with leder=ja makes the person a leader of the row's unit. Leader registrations that
  the file does not repeat are removed in the units the file has people in, and in units a person's
  engagement ends in (a leader who moves on stops leading the old unit). Registrations in other units
  stay, except for people who are not in the file at all.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.tenancy.models import Organisation

from .models import (
    PATH_STEP,
    Engagement,
    ImportStatus,
    JobFunction,
    OrgUnit,
    PeopleImport,
    Person,
    UnitLeader,
    path_step,
)
from .people_import import ImportProblem, ImportRow, ParseResult, check_rows, format_path, read_people_file

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# Ids per `pk__in` statement: below SQLite's oldest limit on query parameters (the demo runs on SQLite).
ID_CHUNK = 900
# How many problems and listed changes a stored preview keeps (the counts are always complete).
PREVIEW_LIST_LIMIT = 500

ProgressCallback = Callable[[int, int], None]
UnitPath = tuple[str, ...]
T = TypeVar("T")


class ImportRowsInvalid(Exception):  # noqa: N818 - reads better at the raise site
    """The rows have errors; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the import rows")
        self.problems = problems


@dataclass
class ImportSummary:
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    engagements_started: int = 0
    engagements_ended: int = 0
    units_created: int = 0
    units_updated: int = 0  # enheds-id set or moved
    leaders_set: int = 0
    leaders_removed: int = 0
    job_functions_created: int = 0

    def as_json(self) -> dict[str, int]:
        return asdict(self)

    @property
    def has_changes(self) -> bool:
        return any(value for name, value in asdict(self).items() if name != "people_unchanged")


@dataclass(frozen=True)
class PersonRef:
    employee_number: str
    name: str


@dataclass(frozen=True)
class PersonChange:
    employee_number: str
    name: str
    # What changes: "name", "email", "unit", "job_function", "engagement" (no running engagement before).
    changes: tuple[str, ...]


@dataclass(frozen=True)
class LeaderRef:
    employee_number: str
    name: str
    unit: str  # the unit's path, formatted


@dataclass
class ImportPreview:
    """What an apply would do now. Lists are complete; the stored JSON keeps the first few hundred."""

    summary: ImportSummary
    ending: list[PersonRef]  # people whose running engagements end (not in the file)
    new_units: list[str]
    changed: list[PersonChange]
    leaders_removed: list[LeaderRef]
    today: dt.date

    def as_json(self, *, limit: int = PREVIEW_LIST_LIMIT) -> dict[str, Any]:
        return {
            "summary": self.summary.as_json(),
            "today": self.today.isoformat(),
            "ending": [asdict(p) for p in self.ending[:limit]],
            "ending_count": len(self.ending),
            "new_units": self.new_units[:limit],
            "new_units_count": len(self.new_units),
            "changed": [
                {"employee_number": c.employee_number, "name": c.name, "changes": list(c.changes)}
                for c in self.changed[:limit]
            ],
            "changed_count": len(self.changed),
            "leaders_removed": [asdict(leader) for leader in self.leaders_removed[:limit]],
            "leaders_removed_count": len(self.leaders_removed),
        }


# --- the plan: everything an import would change, computed from a few bulk reads --------------------


@dataclass
class _RunningEngagement:
    id: int
    unit_id: int
    job_function_id: int
    start_date: dt.date
    is_primary: bool


@dataclass
class _Plan:
    today: dt.date
    # units: existing id by path of names, and new ones (in creation order: parents first)
    unit_ids: dict[UnitPath, int] = field(default_factory=dict)
    unit_paths_by_id: dict[int, UnitPath] = field(default_factory=dict)
    unit_path_strings: dict[int, str] = field(default_factory=dict)  # id → materialised path
    next_child: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # parent path → last number
    new_units: dict[UnitPath, OrgUnit] = field(default_factory=dict)
    external_id_clear: set[int] = field(default_factory=set)
    external_id_set: dict[int, str] = field(default_factory=dict)
    # job functions
    job_function_ids: dict[str, int] = field(default_factory=dict)
    new_job_functions: dict[str, JobFunction] = field(default_factory=dict)
    # people
    person_ids: dict[str, int] = field(default_factory=dict)
    new_people: dict[str, Person] = field(default_factory=dict)
    updated_people: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, e-mail
    # engagements
    end_engagements: list[int] = field(default_factory=list)
    delete_engagements: list[int] = field(default_factory=list)
    new_engagements: list[tuple[str, UnitPath, str]] = field(default_factory=list)  # number, unit, job
    # leaders
    remove_leaders: list[int] = field(default_factory=list)
    ended_people: set[int] = field(default_factory=set)
    left_units: set[tuple[int, int]] = field(default_factory=set)  # (unit, person) of ended engagements
    new_leaders: list[tuple[UnitPath, str]] = field(default_factory=list)  # unit, number
    # for the preview
    summary: ImportSummary = field(default_factory=ImportSummary)
    ending: list[PersonRef] = field(default_factory=list)
    changed: list[PersonChange] = field(default_factory=list)
    leaders_removed: list[LeaderRef] = field(default_factory=list)


def _load_units(plan: _Plan, organisation_id: int) -> dict[str, int]:
    """Existing units by path of names (the first in tree order where names repeat), and per parent
    path the highest child number in use. Returns unit ids by enheds-id."""
    next_child = plan.next_child
    names_by_id = plan.unit_paths_by_id
    by_external_id: dict[str, int] = {}
    units = OrgUnit.objects.filter(organisation_id=organisation_id).order_by("path")
    for unit_id, parent_id, name, path, external_id in units.values_list(
        "id", "parent_id", "name", "path", "external_id"
    ):
        names = (*names_by_id.get(parent_id, ()), name) if parent_id else (name,)
        names_by_id[unit_id] = names
        plan.unit_path_strings[unit_id] = path
        plan.unit_ids.setdefault(names, unit_id)
        prefix, step = path[:-PATH_STEP], path[-PATH_STEP:]
        next_child[prefix] = max(next_child[prefix], int(step, 36))
        if external_id:
            by_external_id[external_id] = unit_id
    return by_external_id


def _plan_units(
    plan: _Plan,
    organisation_id: int,
    rows: Sequence[ImportRow],
    units: Mapping[UnitPath, str],
) -> None:
    by_external_id = _load_units(plan, organisation_id)
    next_child = plan.next_child
    wanted: dict[UnitPath, str] = {}
    for row in rows:
        path = row.unit_path
        if path not in wanted:
            for depth in range(1, len(path)):
                wanted.setdefault(path[:depth], "")
            wanted[path] = ""
        if row.unit_external_id:
            wanted[path] = row.unit_external_id
    for names, external_id in units.items():
        for depth in range(1, len(names)):
            wanted.setdefault(names[:depth], "")
        if external_id or names not in wanted:
            wanted[names] = external_id or wanted.get(names, "")

    paths_by_unit_path: dict[UnitPath, str] = {}
    for depth in range(1, max((len(p) for p in wanted), default=0) + 1):
        for names, external_id in wanted.items():
            if len(names) != depth:
                continue
            unit_id = plan.unit_ids.get(names)
            if unit_id is None:
                parent_path = ""
                if depth > 1:
                    parent_id = plan.unit_ids.get(names[:-1])
                    parent_path = (
                        paths_by_unit_path[names[:-1]]
                        if parent_id is None
                        else plan.unit_path_strings[parent_id]
                    )
                next_child[parent_path] += 1
                materialised = parent_path + path_step(next_child[parent_path])
                paths_by_unit_path[names] = materialised
                plan.new_units[names] = OrgUnit(
                    organisation_id=organisation_id,
                    name=names[-1],
                    path=materialised,
                    depth=depth,
                    external_id=external_id,
                )
            if external_id:
                holder = by_external_id.get(external_id)
                if holder is not None and holder != unit_id:
                    plan.external_id_clear.add(holder)
                if unit_id is not None and holder != unit_id:
                    plan.external_id_set[unit_id] = external_id
    plan.summary.units_created = len(plan.new_units)
    plan.summary.units_updated = len(plan.external_id_set)


def _build_plan(
    *,
    organisation: Organisation,
    rows: Sequence[ImportRow],
    today: dt.date,
    end_missing: bool,
    units: Mapping[UnitPath, str],
    progress: ProgressCallback | None = None,
    progress_total: int = 0,
) -> _Plan:
    org_id = organisation.pk
    plan = _Plan(today=today)
    _plan_units(plan, org_id, rows, units)

    plan.job_function_ids = dict(JobFunction.objects.filter(organisation_id=org_id).values_list("name", "id"))
    for row in rows:
        name = row.job_function
        if name not in plan.job_function_ids and name not in plan.new_job_functions:
            plan.new_job_functions[name] = JobFunction(organisation_id=org_id, name=name)
    plan.summary.job_functions_created = len(plan.new_job_functions)

    people: dict[str, tuple[int, str, str]] = {
        number: (pk, name, email)
        for pk, number, name, email in Person.objects.filter(organisation_id=org_id).values_list(
            "id", "employee_number", "name", "email"
        )
    }
    plan.person_ids = {number: values[0] for number, values in people.items()}
    running: dict[int, list[_RunningEngagement]] = defaultdict(list)
    for pk, person_id, unit_id, job_function_id, start_date, is_primary in (
        Engagement.objects.filter(organisation_id=org_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("start_date", "id")
        .values_list("id", "person_id", "unit_id", "job_function_id", "start_date", "is_primary")
    ):
        running[person_id].append(_RunningEngagement(pk, unit_id, job_function_id, start_date, is_primary))

    if progress is not None:
        progress(progress_total // 10, progress_total)
    _plan_people(plan, org_id, rows, people, running)
    if end_missing:
        _plan_missing(plan, rows, people, running)
    _plan_leaders(plan, org_id, rows, end_missing=end_missing)
    return plan


def _end(plan: _Plan, engagement: _RunningEngagement, person_id: int) -> None:
    plan.left_units.add((engagement.unit_id, person_id))
    if engagement.start_date < plan.today:
        plan.end_engagements.append(engagement.id)
    else:
        plan.delete_engagements.append(engagement.id)
    plan.summary.engagements_ended += 1


def _plan_people(
    plan: _Plan,
    org_id: int,
    rows: Sequence[ImportRow],
    people: Mapping[str, tuple[int, str, str]],
    running: Mapping[int, list[_RunningEngagement]],
) -> None:
    summary = plan.summary
    for row in rows:
        number = row.employee_number
        existing = people.get(number)
        engagement = (number, row.unit_path, row.job_function)
        if existing is None:
            plan.new_people[number] = Person(
                organisation_id=org_id, employee_number=number, name=row.name, email=row.email
            )
            plan.new_engagements.append(engagement)
            summary.people_created += 1
            summary.engagements_started += 1
            continue
        person_id, name, email = existing
        changes: list[str] = []
        if name != row.name:
            changes.append("name")
        if email != row.email:
            changes.append("email")
        if changes:
            plan.updated_people.append((person_id, row.name, row.email))
        unit_id = plan.unit_ids.get(row.unit_path)
        job_function_id = plan.job_function_ids.get(row.job_function)
        primaries = [e for e in running.get(person_id, ()) if e.is_primary]
        keep = next(
            (e for e in primaries if e.unit_id == unit_id and e.job_function_id == job_function_id), None
        )
        if keep is None:
            if primaries:
                if primaries[-1].unit_id != unit_id:
                    changes.append("unit")
                if primaries[-1].job_function_id != job_function_id:
                    changes.append("job_function")
            else:
                changes.append("engagement")
            plan.new_engagements.append(engagement)
            summary.engagements_started += 1
        for other in primaries:
            if other is not keep:
                _end(plan, other, person_id)
        if changes:
            summary.people_updated += 1
            plan.changed.append(PersonChange(number, row.name, tuple(changes)))
        else:
            summary.people_unchanged += 1


def _plan_missing(
    plan: _Plan,
    rows: Sequence[ImportRow],
    people: Mapping[str, tuple[int, str, str]],
    running: Mapping[int, list[_RunningEngagement]],
) -> None:
    in_file = {row.employee_number for row in rows}
    for number, (person_id, name, _email) in people.items():
        if number in in_file or person_id not in running:
            continue
        for engagement in running[person_id]:
            _end(plan, engagement, person_id)
        plan.ending.append(PersonRef(number, name))
        plan.ended_people.add(person_id)
    plan.ending.sort(key=lambda p: (p.name, p.employee_number))


def _plan_leaders(plan: _Plan, org_id: int, rows: Sequence[ImportRow], *, end_missing: bool) -> None:
    ended = plan.ended_people if end_missing else set()
    covered = {row.unit_path for row in rows}
    wanted = {(row.unit_path, row.employee_number) for row in rows if row.is_leader}
    numbers_by_id = {pk: number for number, pk in plan.person_ids.items()}
    existing: set[tuple[UnitPath, str]] = set()
    for pk, unit_id, person_id, person_name in UnitLeader.objects.filter(organisation_id=org_id).values_list(
        "id", "unit_id", "person_id", "person__name"
    ):
        unit_path = plan.unit_paths_by_id.get(unit_id, ())
        key = (unit_path, numbers_by_id.get(person_id, ""))
        stale = unit_path in covered or (unit_id, person_id) in plan.left_units
        if person_id in ended or (stale and key not in wanted):
            plan.remove_leaders.append(pk)
            plan.leaders_removed.append(LeaderRef(key[1], person_name, format_path(unit_path)))
        else:
            existing.add(key)
    plan.new_leaders = [key for key in sorted(wanted) if key not in existing]
    plan.summary.leaders_set = len(plan.new_leaders)
    plan.summary.leaders_removed = len(plan.remove_leaders)
    plan.leaders_removed.sort(key=lambda leader: (leader.unit, leader.name))


# --- public services ----------------------------------------------------------------------------------


def _validated(rows: Sequence[ImportRow]) -> None:
    errors = [problem for problem in check_rows(rows) if problem.is_error]
    if errors:
        raise ImportRowsInvalid(errors)


def people_import_preview(
    *,
    organisation: Organisation,
    rows: Sequence[ImportRow],
    today: dt.date | None = None,
    end_missing: bool = True,
    units: Mapping[UnitPath, str] | None = None,
) -> ImportPreview:
    """What `people_import_apply` would do with these rows now. Writes nothing.

    Raises ImportRowsInvalid when the rows have errors.
    """
    _validated(rows)
    day = today or timezone.localdate()
    plan = _build_plan(
        organisation=organisation, rows=rows, today=day, end_missing=end_missing, units=units or {}
    )
    return ImportPreview(
        summary=plan.summary,
        ending=plan.ending,
        new_units=[format_path(path) for path in sorted(plan.new_units)],
        changed=plan.changed,
        leaders_removed=plan.leaders_removed,
        today=day,
    )


def _chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def people_import_apply(
    *,
    organisation: Organisation,
    rows: Sequence[ImportRow],
    today: dt.date | None = None,
    end_missing: bool = True,
    progress: ProgressCallback | None = None,
    units: Mapping[UnitPath, str] | None = None,
) -> ImportSummary:
    """Create and update units, job functions, people, engagements and leaders from the rows.

    All or nothing in one transaction; the organisation row is locked so two imports into the same
    organisation run one after the other. The rows are checked again first (ImportRowsInvalid). `units`
    names further units to create or give an enheds-id (path → id, "" for none), such as units without
    people of their own from a file in id mode. `progress(done, total)` is called as the work goes:
    total is the number of rows, and done the share of the work finished, in rows (planning 10%,
    people 30%, engagements 40%, leaders 20%). The calls happen inside the transaction.
    """
    _validated(rows)
    day = today or timezone.localdate()
    total = len(rows)

    def report(fraction: float) -> None:
        if progress is not None:
            progress(min(total, round(total * fraction)), total)

    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        plan = _build_plan(
            organisation=organisation,
            rows=rows,
            today=day,
            end_missing=end_missing,
            units=units or {},
            progress=progress,
            progress_total=total,
        )
        _write_units(plan)
        _write_people(plan, lambda share: report(0.1 + 0.3 * share))
        _write_engagements(plan, organisation.pk, lambda share: report(0.4 + 0.4 * share))
        _write_leaders(plan, organisation.pk)
        report(1.0)
    logger.info("people import applied", extra={"organisation_id": organisation.pk, **plan.summary.as_json()})
    return plan.summary


def _write_units(plan: _Plan) -> None:
    now = timezone.now()
    if plan.external_id_clear or plan.external_id_set:
        # Free every id that moves first, so the unique constraint holds at every statement.
        moving = sorted(plan.external_id_clear | set(plan.external_id_set))
        for ids_batch in _chunks(moving, ID_CHUNK):
            OrgUnit.objects.filter(pk__in=ids_batch).update(external_id="", updated_at=now)
    ids = dict(plan.unit_ids)
    for depth in sorted({len(path) for path in plan.new_units}):
        batch = [unit for path, unit in plan.new_units.items() if len(path) == depth]
        for path, unit in plan.new_units.items():
            if len(path) == depth and depth > 1:
                unit.parent_id = ids[path[:-1]]
        OrgUnit.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        ids.update({path: unit.pk for path, unit in plan.new_units.items() if len(path) == depth})
    if plan.external_id_set:
        OrgUnit.objects.bulk_update(
            [OrgUnit(id=pk, external_id=value, updated_at=now) for pk, value in plan.external_id_set.items()],
            ["external_id", "updated_at"],
            batch_size=BATCH_SIZE,
        )
    plan.unit_ids = ids
    job_functions = list(plan.new_job_functions.values())
    JobFunction.objects.bulk_create(job_functions, batch_size=BATCH_SIZE)
    plan.job_function_ids.update({jf.name: jf.pk for jf in job_functions})


def _write_people(plan: _Plan, report: Callable[[float], None]) -> None:
    new_people = list(plan.new_people.values())
    steps = max(1, len(new_people) + len(plan.updated_people))
    done = 0
    for batch in _chunks(new_people):
        Person.objects.bulk_create(batch)
        done += len(batch)
        report(done / steps)
    plan.person_ids.update({person.employee_number: person.pk for person in new_people})
    # One parameterised UPDATE per person, sent in bulk: Django's bulk_update builds a CASE expression
    # per row and field, which takes tens of seconds for tens of thousands of people.
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"UPDATE {table} SET name = %s, email = %s, updated_at = %s WHERE id = %s"  # noqa: S608
    now = timezone.now()
    with connection.cursor() as cursor:
        for updates in _chunks(plan.updated_people):
            cursor.executemany(sql, [(name, email, now, pk) for pk, name, email in updates])
            done += len(updates)
            report(done / steps)


def _write_engagements(plan: _Plan, organisation_id: int, report: Callable[[float], None]) -> None:
    now = timezone.now()
    for batch in _chunks(plan.end_engagements, ID_CHUNK):
        Engagement.objects.filter(pk__in=batch).update(
            end_date=plan.today - dt.timedelta(days=1), updated_at=now
        )
    for batch in _chunks(plan.delete_engagements, ID_CHUNK):
        Engagement.objects.filter(pk__in=batch).delete()
    new = [
        Engagement(
            organisation_id=organisation_id,
            person_id=plan.person_ids[number],
            unit_id=plan.unit_ids[unit_path],
            job_function_id=plan.job_function_ids[job_function],
            start_date=plan.today,
            is_primary=True,
        )
        for number, unit_path, job_function in plan.new_engagements
    ]
    steps = max(1, len(new))
    for number, chunk in enumerate(_chunks(new), start=1):
        Engagement.objects.bulk_create(chunk)
        report(min(1.0, number * BATCH_SIZE / steps))


def _write_leaders(plan: _Plan, organisation_id: int) -> None:
    for batch in _chunks(plan.remove_leaders, ID_CHUNK):
        UnitLeader.objects.filter(pk__in=batch).delete()
    UnitLeader.objects.bulk_create(
        [
            UnitLeader(
                organisation_id=organisation_id,
                unit_id=plan.unit_ids[unit_path],
                person_id=plan.person_ids[number],
            )
            for unit_path, number in plan.new_leaders
        ],
        batch_size=BATCH_SIZE,
    )


# --- stored imports (upload → preview → apply) ----------------------------------------------------------


def _problems_json(problems: Iterable[ImportProblem]) -> list[dict[str, Any]]:
    return [problem.as_json() for problem in problems]


def _parse_json(parse: ParseResult) -> dict[str, Any]:
    errors = parse.errors
    warnings = parse.warnings
    # Errors first: they are what must be fixed; warnings fill what room is left.
    shown = sorted(
        [*errors[:PREVIEW_LIST_LIMIT], *warnings[: max(0, PREVIEW_LIST_LIMIT - len(errors))]],
        key=lambda p: (p.line or 0, not p.is_error),
    )
    return {
        "format": parse.file_format,
        "encoding": parse.encoding,
        "delimiter": parse.delimiter,
        "mode": parse.mode,
        "problems": _problems_json(shown),
        "error_count": len(errors),
        "warning_count": len(warnings),
    }


def people_import_create(
    *, organisation: Organisation, uploaded_by: User | None, filename: str, data: bytes
) -> PeopleImport:
    """Read and check an uploaded file and store it with its preview (status validated or invalid).

    The file's content is kept only when it can be applied; an invalid file keeps just its problems.
    """
    parse = read_people_file(data=data, filename=filename)
    preview = _parse_json(parse)
    status = ImportStatus.INVALID
    if parse.is_valid:
        try:
            found = people_import_preview(organisation=organisation, rows=parse.rows, units=parse.units)
        except ImportRowsInvalid as invalid:  # the reader and check_rows disagree: never apply
            preview["problems"] = _problems_json(invalid.problems[:PREVIEW_LIST_LIMIT])
            preview["error_count"] = len(invalid.problems)
        else:
            preview.update(found.as_json())
            status = ImportStatus.VALIDATED
    return PeopleImport.objects.create(
        organisation=organisation,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        content=data if status == ImportStatus.VALIDATED else b"",
        status=status,
        row_count=len(parse.rows),
        preview=preview,
    )


def people_import_queue(*, people_import: PeopleImport) -> bool:
    """Mark a checked import as queued for the task that applies it. False if it cannot be applied.

    The stored file is read and checked again first; an import that failed may be queued again.
    """
    if people_import.status not in {ImportStatus.VALIDATED, ImportStatus.FAILED}:
        return False
    parse = read_people_file(data=bytes(people_import.content), filename=people_import.filename)
    if not parse.is_valid:
        people_import.status = ImportStatus.INVALID
        people_import.preview = {**people_import.preview, **_parse_json(parse)}
        people_import.content = b""
        people_import.save(update_fields=["status", "preview", "content", "updated_at"])
        return False
    updated = PeopleImport.objects.filter(
        pk=people_import.pk, status__in=[ImportStatus.VALIDATED, ImportStatus.FAILED]
    ).update(status=ImportStatus.QUEUED, processed=0, outcome={}, updated_at=timezone.now())
    people_import.refresh_from_db()
    return updated == 1


def people_import_cancel(*, people_import: PeopleImport) -> bool:
    """Throw away an import that has not been applied (and the personal data in its file)."""
    if people_import.status not in {ImportStatus.VALIDATED, ImportStatus.INVALID, ImportStatus.FAILED}:
        return False
    people_import.delete()
    return True


def _set_progress(import_id: int, *, phase: str, processed: int, **extra: Any) -> None:
    PeopleImport.objects.filter(pk=import_id).update(
        processed=processed, outcome={"phase": phase, **extra}, updated_at=timezone.now()
    )


def people_import_run(*, import_id: int) -> dict[str, Any]:
    """Apply a queued import (the body of the background task). Returns the stored outcome.

    Progress is stored in phases that other requests can see: "reading" counts the rows read and
    checked (outside the transaction, so each update is visible at once), then "writing" covers the
    single transaction that applies everything, which other connections cannot see into until it
    commits; the page shows that phase as work in progress without a count.
    """
    claimed = PeopleImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.APPLYING, processed=0, updated_at=timezone.now()
    )
    if not claimed:
        return {"skipped": True}
    people_import = PeopleImport.objects.select_related("organisation").get(pk=import_id)
    started = timezone.now()
    last_reported = 0

    def reading(done: int, total: int) -> None:
        nonlocal last_reported
        if done - last_reported >= 1000 or done == total:
            last_reported = done
            _set_progress(import_id, phase="reading", processed=done, started_at=started.isoformat())

    try:
        _set_progress(import_id, phase="reading", processed=0, started_at=started.isoformat())
        parse = read_people_file(
            data=bytes(people_import.content), filename=people_import.filename, progress=reading
        )
        if not parse.is_valid:
            outcome: dict[str, Any] = {"error": "invalid", **_parse_json(parse)}
            PeopleImport.objects.filter(pk=import_id).update(
                status=ImportStatus.FAILED, outcome=outcome, updated_at=timezone.now()
            )
            return outcome
        _set_progress(import_id, phase="writing", processed=len(parse.rows), started_at=started.isoformat())
        summary = people_import_apply(
            organisation=people_import.organisation, rows=parse.rows, units=parse.units
        )
    except Exception:
        logger.exception("people import failed", extra={"import_id": import_id})
        PeopleImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED,
            outcome={"error": "exception", "started_at": started.isoformat()},
            updated_at=timezone.now(),
        )
        raise
    finished = timezone.now()
    outcome = {
        "summary": summary.as_json(),
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
        "seconds": round((finished - started).total_seconds(), 1),
    }
    # The applied file is no longer needed: keep the outcome, not the personal data.
    PeopleImport.objects.filter(pk=import_id).update(
        status=ImportStatus.DONE,
        processed=len(parse.rows),
        outcome=outcome,
        content=b"",
        updated_at=finished,
    )
    return outcome


@transaction.atomic
def person_link_user(*, organisation: Organisation, employee_number: str, user: User) -> Person:
    """Link a login to the organisation's person with this employee number (and to no other person there)."""
    people = Person.objects.filter(organisation=organisation)
    person = people.select_for_update().get(employee_number=employee_number)
    people.filter(user=user).exclude(pk=person.pk).update(user=None)
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return person
