"""Applying import rows: all or nothing, with the ending and number-reuse safeguards and an undo log.

The rows come from `people_import.read_people_file`, the demo generator or an integration.
`people_import_preview` says what `people_import_apply` would do, without writing; the rules are in
`people_import.plan`. Engagements are never deleted (decision 0011).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from fagdigital.orgs.models import (
    Engagement,
    ImportStatus,
    JobFunction,
    OrgUnit,
    PeopleImport,
    PeopleImportLog,
    Person,
    UnitLeader,
)
from fagdigital.orgs.people_import import ImportProblem, ImportRow, check_rows
from fagdigital.orgs.people_import.plan import (
    EndingCheck,
    ImportSummary,
    LeaderRef,
    PersonChange,
    PersonRef,
    Plan,
    UnitPath,
    build_plan,
)
from fagdigital.tenancy.models import Organisation

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# Ids per `pk__in` statement: below SQLite's oldest limit on query parameters (the demo runs on SQLite).
ID_CHUNK = 900
# How many problems and listed changes a stored preview keeps (the counts are always complete).
PREVIEW_LIST_LIMIT = 500

ProgressCallback = Callable[[int, int], None]
T = TypeVar("T")


class ImportRowsInvalid(Exception):  # noqa: N818 - reads better at the raise site
    """The rows have errors; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the import rows")
        self.problems = problems


class ImportNeedsConfirmation(Exception):  # noqa: N818 - reads better at the raise site
    """The import ends more than the threshold without the typed number of people, or moves employee
    numbers to other people without the acknowledgement. Nothing was written."""

    def __init__(self, *, ending: EndingCheck, reused: list[PersonChange], confirmed: int | None) -> None:
        super().__init__("the import needs a confirmation")
        self.ending = ending
        self.reused = reused
        self.confirmed = confirmed


@dataclass
class ImportPreview:
    """What an apply would do now. Lists are complete; the stored JSON keeps the first few hundred."""

    summary: ImportSummary
    ending: list[PersonRef]  # people whose running engagements end (not in a full file)
    new_units: list[str]
    people: list[PersonChange]  # every new, changed and ended person with old → new values
    leaders_removed: list[LeaderRef]
    today: dt.date
    ending_check: EndingCheck = field(default_factory=EndingCheck)
    partial: bool = False

    @property
    def changed(self) -> list[PersonChange]:
        return [person for person in self.people if person.kind == "changed"]

    @property
    def number_reuse(self) -> list[PersonChange]:
        return [person for person in self.people if person.number_reused]

    def as_json(self, *, limit: int = PREVIEW_LIST_LIMIT) -> dict[str, Any]:
        """Counts and short lists; the rows per person go to PeopleImportItem (see import_store)."""
        return {
            "summary": self.summary.as_json(),
            "today": self.today.isoformat(),
            "partial": self.partial,
            "ending_count": len(self.ending),
            "ending_check": self.ending_check.as_json(),
            "reuse_count": len(self.number_reuse),
            "new_units": self.new_units[:limit],
            "new_units_count": len(self.new_units),
            "changed_count": len(self.changed),
            "leaders_removed_count": len(self.leaders_removed),
        }


def _validated(rows: Sequence[ImportRow]) -> None:
    errors = [problem for problem in check_rows(rows) if problem.is_error]
    if errors:
        raise ImportRowsInvalid(errors)


def _preview(plan: Plan) -> ImportPreview:
    return ImportPreview(
        summary=plan.summary,
        ending=plan.ending,
        new_units=plan.new_unit_paths,
        people=plan.people,
        leaders_removed=plan.leaders_removed,
        today=plan.today,
        ending_check=plan.ending_check,
        partial=plan.partial,
    )


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
    plan = build_plan(
        organisation_id=organisation.pk,
        rows=rows,
        today=today or timezone.localdate(),
        end_missing=end_missing,
        units=units or {},
    )
    return _preview(plan)


def _chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_safeguards(plan: Plan, *, confirm_ending: int | None, accept_number_reuse: bool) -> None:
    """Raise ImportNeedsConfirmation unless a large ending is confirmed with its exact number of people,
    and employee numbers that now name another person are acknowledged."""
    reused = plan.number_reuse
    ending_ok = not plan.ending_check.needs_confirmation or confirm_ending == plan.ending_check.people
    if not ending_ok or (reused and not accept_number_reuse):
        raise ImportNeedsConfirmation(ending=plan.ending_check, reused=reused, confirmed=confirm_ending)


def people_import_apply(
    *,
    organisation: Organisation,
    rows: Sequence[ImportRow],
    today: dt.date | None = None,
    end_missing: bool = True,
    progress: ProgressCallback | None = None,
    units: Mapping[UnitPath, str] | None = None,
    confirm_ending: int | None = None,
    accept_number_reuse: bool = False,
    safeguards: bool = True,
    record: PeopleImport | None = None,
) -> ImportSummary:
    """Create and update units, job functions, people, engagements and leaders from the rows.

    All or nothing in one transaction; the organisation row is locked so two imports (or an import and
    an undo) of the same organisation run one after the other. The rows are checked again first
    (ImportRowsInvalid), and the plan is made inside the transaction, so the safeguards judge exactly
    what is written: a full file that ends more than 10 % of the active engagements or any unit leader
    needs `confirm_ending` equal to the number of people it ends, and employee numbers whose name and
    e-mail both change need `accept_number_reuse` (ImportNeedsConfirmation otherwise). `safeguards`
    False is for rows the platform generates itself (the demo), never for a file.

    `units` names further units to create or give an enheds-id (path → id, "" for none). `record` is the
    stored import being applied: it gets the counts, the applied time and the undo log, in the same
    transaction. `progress(done, total)` is called as the work goes (in rows; planning 10 %, people
    30 %, engagements 40 %, leaders 20 %), inside the transaction.
    """
    _validated(rows)
    day = today or timezone.localdate()
    total = len(rows)

    def report(fraction: float) -> None:
        if progress is not None:
            progress(min(total, round(total * fraction)), total)

    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        plan = build_plan(
            organisation_id=organisation.pk,
            rows=rows,
            today=day,
            end_missing=end_missing,
            units=units or {},
            detailed=False,
        )
        if safeguards:
            check_safeguards(plan, confirm_ending=confirm_ending, accept_number_reuse=accept_number_reuse)
        report(0.1)
        log = _Log()
        _write_units(plan, log)
        _write_people(plan, log, lambda share: report(0.1 + 0.3 * share))
        _write_engagements(plan, organisation.pk, log, lambda share: report(0.4 + 0.4 * share))
        _write_leaders(plan, organisation.pk, log)
        if record is not None:
            _record(record, plan, log)
        report(1.0)
    logger.info("people import applied", extra={"organisation_id": organisation.pk, **plan.summary.as_json()})
    return plan.summary


@dataclass
class _Log:
    """What the writes changed, with the rows as they were: the undo log's data (see import_undo)."""

    data: dict[str, list[list[Any]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, *values: Any) -> None:
        self.data[kind].append([_json(value) for value in values])


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _record(record: PeopleImport, plan: Plan, log: _Log) -> None:
    """Counts and undo log of the applied import; older logs go (only the last import can be undone)."""
    now = timezone.now()
    PeopleImportLog.objects.filter(people_import__organisation_id=record.organisation_id).delete()
    PeopleImportLog.objects.create(people_import=record, data={"today": plan.today.isoformat(), **log.data})
    PeopleImport.objects.filter(pk=record.pk).update(
        status=ImportStatus.DONE, summary=plan.summary.as_json(), applied_at=now, updated_at=now
    )
    record.status, record.summary, record.applied_at = ImportStatus.DONE, plan.summary.as_json(), now


def _write_units(plan: Plan, log: _Log) -> None:
    now = timezone.now()
    if plan.external_id_clear or plan.external_id_set:
        # Free every id that moves first, so the unique constraint holds at every statement.
        moving = sorted(plan.external_id_clear | set(plan.external_id_set))
        for pk in moving:
            log.add("unit_ids", pk, plan.unit_external_ids.get(pk, ""), plan.external_id_set.get(pk, ""))
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
    for unit in plan.new_units.values():
        log.add("units_created", unit.pk, unit.parent_id, unit.name, unit.path, unit.depth, unit.external_id)
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
    for job_function in job_functions:
        log.add("job_functions_created", job_function.pk, job_function.name)


def _write_people(plan: Plan, log: _Log, report: Callable[[float], None]) -> None:
    new_people = list(plan.new_people.values())
    steps = max(1, len(new_people) + len(plan.updated_people))
    done = 0
    for batch in _chunks(new_people):
        Person.objects.bulk_create(batch)
        done += len(batch)
        report(done / steps)
    plan.person_ids.update({person.employee_number: person.pk for person in new_people})
    for person in new_people:
        log.add("people_created", person.pk, person.employee_number, person.name, person.email)
    for pk, name, email in plan.updated_people:
        number, old_name, old_email = plan.people_before[pk]
        log.add("people_updated", pk, number, old_name, old_email, name, email)
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


def _write_engagements(plan: Plan, organisation_id: int, log: _Log, report: Callable[[float], None]) -> None:
    """End engagements (never delete them), then start the new ones."""
    now = timezone.now()
    by_end: dict[dt.date, list[int]] = defaultdict(list)
    for engagement, ends in plan.end_engagements:
        by_end[ends].append(engagement.id)
        before = engagement.end_date.isoformat() if engagement.end_date else None
        log.add("engagements_ended", engagement.id, before, ends)
    for ends, ids in by_end.items():
        for batch in _chunks(ids, ID_CHUNK):
            Engagement.objects.filter(pk__in=batch).update(end_date=ends, updated_at=now)
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
    for created in new:
        log.add(
            "engagements_created",
            created.pk,
            created.person_id,
            created.unit_id,
            created.job_function_id,
            created.start_date,
        )


def _write_leaders(plan: Plan, organisation_id: int, log: _Log) -> None:
    for pk, unit_id, person_id, created, updated in plan.remove_leaders:
        log.add("leaders_removed", pk, unit_id, person_id, created, updated)
    for batch in _chunks([row[0] for row in plan.remove_leaders], ID_CHUNK):
        UnitLeader.objects.filter(pk__in=batch).delete()
    leaders = [
        UnitLeader(
            organisation_id=organisation_id,
            unit_id=plan.unit_ids[unit_path],
            person_id=plan.person_ids[number],
        )
        for unit_path, number in plan.new_leaders
    ]
    UnitLeader.objects.bulk_create(leaders, batch_size=BATCH_SIZE)
    for leader in leaders:
        log.add("leaders_created", leader.pk, leader.unit_id, leader.person_id)
