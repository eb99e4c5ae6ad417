"""What an import would change, computed from a few bulk reads of the organisation. Writes nothing.

`build_plan` compares the rows with the organisation's units, job functions, people, running
engagements and leaders and returns a `Plan`: the rows to create and update, every changed field of every
person with its old and new value (the preview), the numbers the ending safeguard needs, the employee
numbers that now seem to name another person, and the rows as they are before (for the undo log).

Rules (documented for users in docs/import-format.md, reasons in decisions 0005 and 0011):
- People are matched by employee number; name and e-mail are updated; `Person.user` is never touched.
- A row is the person's one primary engagement. When the unit or job function differs from the running
  primary engagement, that engagement ends and a new one starts on the import day. An engagement ends
  the day before (so on any day exactly one runs); one that started on the import day (or later) ends
  the day before it started: it never ran, and its record stays. Engagements are never deleted.
- A full file ends the running engagements of people who are not in it (and they lose their leader
  registrations); a partial file ends nobody and only changes the leaders of the people in it.
- Units are matched by their path of names from the top; missing ones are created after their existing
  siblings; an enheds-id moves to the unit that now has it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Q

from fagdigital.orgs.models import PATH_STEP, Engagement, JobFunction, OrgUnit, Person, UnitLeader, path_step

from .rows import ImportRow, format_path

UnitPath = tuple[str, ...]
ProgressCallback = Callable[[int, int], None]
# Ending people missing from the file needs a typed confirmation above this share of the active
# engagements (in per cent), or when any of them leads a unit.
ENDING_CONFIRMATION_PERCENT = 10


@dataclass
class ImportSummary:
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    people_moved: int = 0  # a new primary unit
    people_ended: int = 0  # not in a full file: their running engagements end
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
class LeaderRef:
    employee_number: str
    name: str
    unit: str  # the unit's path, formatted


@dataclass(frozen=True)
class FieldChange:
    """One field of one person, before and after. Dates are ISO dates, "" is no value."""

    field: str  # name, email, unit, job_function, leader, start_date, end_date
    old: str
    new: str


@dataclass(frozen=True)
class PersonChange:
    employee_number: str
    name: str  # the name after the import (people who are ended keep theirs)
    kind: str  # "new", "changed" or "ending"
    fields: tuple[FieldChange, ...]
    number_reused: bool = False  # name and e-mail both change: probably another person
    leader_ending: bool = False  # ended while registered as a leader

    @property
    def changes(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.fields)

    def as_json(self) -> dict[str, Any]:
        return {
            "employee_number": self.employee_number,
            "name": self.name,
            "kind": self.kind,
            "changes": [[c.field, c.old, c.new] for c in self.fields],
            "number_reused": self.number_reused,
            "leader_ending": self.leader_ending,
        }


@dataclass(frozen=True)
class EndingCheck:
    """How much a full file ends, and whether that needs the typed confirmation."""

    people: int = 0
    engagements: int = 0
    active_engagements: int = 0
    leaders: int = 0  # people ended who lead a unit

    @property
    def percent(self) -> int:
        if not self.active_engagements:
            return 0
        return round(100 * self.engagements / self.active_engagements)

    @property
    def needs_confirmation(self) -> bool:
        if not self.people:
            return False
        over_share = self.engagements * 100 > ENDING_CONFIRMATION_PERCENT * self.active_engagements
        return over_share or self.leaders > 0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "percent": self.percent, "needs_confirmation": self.needs_confirmation}


@dataclass
class RunningEngagement:
    id: int
    person_id: int
    unit_id: int
    job_function_id: int
    start_date: dt.date
    end_date: dt.date | None
    is_primary: bool


@dataclass
class Plan:
    today: dt.date
    partial: bool = False
    # False when applying: only what the safeguards and the counts need, not every field's old → new.
    detailed: bool = True
    # units: existing id by path of names, and new ones (in creation order: parents first)
    unit_ids: dict[UnitPath, int] = field(default_factory=dict)
    unit_paths_by_id: dict[int, UnitPath] = field(default_factory=dict)
    unit_path_strings: dict[int, str] = field(default_factory=dict)  # id → materialised path
    unit_external_ids: dict[int, str] = field(default_factory=dict)  # id → enheds-id before
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
    updated_people: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, e-mail after
    people_before: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # id → number, name, e-mail
    # engagements: (engagement, its new end date)
    end_engagements: list[tuple[RunningEngagement, dt.date]] = field(default_factory=list)
    new_engagements: list[tuple[str, UnitPath, str]] = field(default_factory=list)  # number, unit, job
    # leaders: removed rows as they were (id, unit, person, created, updated), and new (unit, number)
    remove_leaders: list[tuple[int, int, int, dt.datetime, dt.datetime]] = field(default_factory=list)
    ended_people: set[int] = field(default_factory=set)
    left_units: set[tuple[int, int]] = field(default_factory=set)  # (unit, person) of ended engagements
    new_leaders: list[tuple[UnitPath, str]] = field(default_factory=list)
    # the preview
    summary: ImportSummary = field(default_factory=ImportSummary)
    ending: list[PersonRef] = field(default_factory=list)
    leaders_removed: list[LeaderRef] = field(default_factory=list)
    people: list[PersonChange] = field(default_factory=list)  # every new, changed or ended person
    ending_check: EndingCheck = field(default_factory=EndingCheck)
    # per employee number: the field changes found, the name shown, the kind, and the flags
    field_changes: dict[str, list[FieldChange]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)
    ended_leaders: set[str] = field(default_factory=set)
    marked: set[str] = field(default_factory=set)  # changed, when the fields are not kept

    @property
    def new_unit_paths(self) -> list[str]:
        return [format_path(path) for path in sorted(self.new_units)]

    @property
    def number_reuse(self) -> list[PersonChange]:
        return [person for person in self.people if person.number_reused]

    @property
    def changed(self) -> list[PersonChange]:
        return [person for person in self.people if person.kind == "changed"]


def _load_units(plan: Plan, organisation_id: int) -> dict[str, int]:
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
            plan.unit_external_ids[unit_id] = external_id
    return by_external_id


def _plan_units(
    plan: Plan, organisation_id: int, rows: Sequence[ImportRow], units: Mapping[UnitPath, str]
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


def active_engagement_count(*, organisation_id: int, on: dt.date) -> int:
    return (
        Engagement.objects.filter(organisation_id=organisation_id, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .count()
    )


def build_plan(
    *,
    organisation_id: int,
    rows: Sequence[ImportRow],
    today: dt.date,
    end_missing: bool,
    units: Mapping[UnitPath, str],
    detailed: bool = True,
) -> Plan:
    """Everything applying the rows would change now. `end_missing` False is a partial file;
    `detailed` False leaves out the old → new values the apply does not need (but not the numbers)."""
    plan = Plan(today=today, partial=not end_missing, detailed=detailed)
    _plan_units(plan, organisation_id, rows, units)

    plan.job_function_ids = dict(
        JobFunction.objects.filter(organisation_id=organisation_id).values_list("name", "id")
    )
    for row in rows:
        name = row.job_function
        if name not in plan.job_function_ids and name not in plan.new_job_functions:
            plan.new_job_functions[name] = JobFunction(organisation_id=organisation_id, name=name)
    plan.summary.job_functions_created = len(plan.new_job_functions)

    people: dict[str, tuple[int, str, str]] = {
        number: (pk, name, email)
        for pk, number, name, email in Person.objects.filter(organisation_id=organisation_id).values_list(
            "id", "employee_number", "name", "email"
        )
    }
    plan.person_ids = {number: values[0] for number, values in people.items()}
    running: dict[int, list[RunningEngagement]] = defaultdict(list)
    for values in (
        Engagement.objects.filter(organisation_id=organisation_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("start_date", "id")
        .values_list("id", "person_id", "unit_id", "job_function_id", "start_date", "end_date", "is_primary")
    ):
        running[values[1]].append(RunningEngagement(*values))

    _plan_people(plan, organisation_id, rows, people, running)
    if end_missing:
        _plan_missing(plan, rows, people, running)
    _plan_leaders(plan, organisation_id, rows, people, end_missing=end_missing)
    _finish(plan, organisation_id)
    return plan


def _add(plan: Plan, number: str, change: FieldChange) -> None:
    if plan.detailed or change.field in {"name", "email"}:  # name and e-mail show a reused number
        plan.field_changes.setdefault(number, []).append(change)
    else:
        plan.marked.add(number)


def _end(plan: Plan, engagement: RunningEngagement, number: str) -> None:
    """End a running engagement the day before the import, or the day before it started if that is
    later: an engagement that never ran a day keeps its record, empty."""
    plan.left_units.add((engagement.unit_id, engagement.person_id))
    ends = max(plan.today, engagement.start_date) - dt.timedelta(days=1)
    plan.end_engagements.append((engagement, ends))
    plan.summary.engagements_ended += 1
    old = engagement.end_date.isoformat() if engagement.end_date else ""
    unit = format_path(plan.unit_paths_by_id.get(engagement.unit_id, ()))
    _add(plan, number, FieldChange("end_date", f"{unit}|{old}", ends.isoformat()))


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _another_person(name: str, email: str, new_name: str, new_email: str) -> bool:
    """The employee number seems to name another person: the name and the e-mail address both change,
    and so does the first name (a marriage or a new address keeps it: "Anne Andersen" becoming "Anne
    Holm" with a new address is the same person)."""
    if _same(name, new_name) or not email or not new_email or _same(email, new_email):
        return False
    first, new_first = name.casefold().split()[:1], new_name.casefold().split()[:1]
    return first != new_first


def _plan_people(
    plan: Plan,
    org_id: int,
    rows: Sequence[ImportRow],
    people: Mapping[str, tuple[int, str, str]],
    running: Mapping[int, list[RunningEngagement]],
) -> None:
    summary = plan.summary
    job_names = {pk: name for name, pk in plan.job_function_ids.items()}
    today = plan.today.isoformat()
    for row in rows:
        number = row.employee_number
        existing = people.get(number)
        engagement = (number, row.unit_path, row.job_function)
        plan.names[number] = row.name
        if existing is None:
            plan.new_people[number] = Person(
                organisation_id=org_id, employee_number=number, name=row.name, email=row.email
            )
            plan.new_engagements.append(engagement)
            summary.people_created += 1
            summary.engagements_started += 1
            plan.kinds[number] = "new"
            for name, value in (
                ("name", row.name),
                ("email", row.email),
                ("unit", format_path(row.unit_path)),
                ("job_function", row.job_function),
                ("start_date", today),
            ):
                _add(plan, number, FieldChange(name, "", value))
            continue
        person_id, name, email = existing
        plan.kinds[number] = "changed"
        new_email = row.email if row.email_given else email
        if name != row.name:
            _add(plan, number, FieldChange("name", name, row.name))
        if email != new_email:
            _add(plan, number, FieldChange("email", email, new_email))
        if name != row.name or email != new_email:
            plan.updated_people.append((person_id, row.name, new_email))
            plan.people_before[person_id] = (number, name, email)
            if _another_person(name, email, row.name, new_email):
                plan.reused.add(number)
        unit_id = plan.unit_ids.get(row.unit_path)
        job_function_id = plan.job_function_ids.get(row.job_function)
        primaries = [e for e in running.get(person_id, ()) if e.is_primary]
        keep = next(
            (e for e in primaries if e.unit_id == unit_id and e.job_function_id == job_function_id), None
        )
        if keep is None:
            last = primaries[-1] if primaries else None
            old_unit = format_path(plan.unit_paths_by_id.get(last.unit_id, ())) if last else ""
            if last is None or last.unit_id != unit_id:
                _add(plan, number, FieldChange("unit", old_unit, format_path(row.unit_path)))
                if last is not None:
                    summary.people_moved += 1
            if last is None or last.job_function_id != job_function_id:
                old_job = job_names.get(last.job_function_id, "") if last else ""
                _add(plan, number, FieldChange("job_function", old_job, row.job_function))
            old_start = last.start_date.isoformat() if last else ""
            _add(plan, number, FieldChange("start_date", old_start, today))
            plan.new_engagements.append(engagement)
            summary.engagements_started += 1
        for other in primaries:
            if other is not keep:
                _end(plan, other, number)


def _plan_missing(
    plan: Plan,
    rows: Sequence[ImportRow],
    people: Mapping[str, tuple[int, str, str]],
    running: Mapping[int, list[RunningEngagement]],
) -> None:
    in_file = {row.employee_number for row in rows}
    engagements = 0
    for number, (person_id, name, _email) in people.items():
        if number in in_file or person_id not in running:
            continue
        plan.names[number] = name
        plan.kinds[number] = "ending"
        for engagement in running[person_id]:
            _end(plan, engagement, number)
            engagements += 1
        plan.ending.append(PersonRef(number, name))
        plan.ended_people.add(person_id)
    plan.ending.sort(key=lambda p: (p.name, p.employee_number))
    plan.summary.people_ended = len(plan.ending)
    plan.ending_check = EndingCheck(people=len(plan.ending), engagements=engagements)


def _plan_leaders(
    plan: Plan,
    org_id: int,
    rows: Sequence[ImportRow],
    people: Mapping[str, tuple[int, str, str]],
    *,
    end_missing: bool,
) -> None:
    """Leader registrations the file sets, and those it removes: in the units a full file covers (in a
    partial file only those of its own people), where a person's engagement ends, and all of those
    who are ended."""
    ended = plan.ended_people if end_missing else set()
    covered = {row.unit_path for row in rows}
    in_file = {row.employee_number for row in rows}
    wanted = {(row.unit_path, row.employee_number) for row in rows if row.is_leader}
    numbers_by_id = {pk: number for number, pk in plan.person_ids.items()}
    existing: set[tuple[UnitPath, str]] = set()
    before: dict[str, list[str]] = defaultdict(list)
    after: dict[str, list[str]] = defaultdict(list)
    ended_leaders: set[str] = set()
    removed: list[LeaderRef] = []
    for pk, unit_id, person_id, created, updated in UnitLeader.objects.filter(
        organisation_id=org_id
    ).values_list("id", "unit_id", "person_id", "created_at", "updated_at"):
        unit_path = plan.unit_paths_by_id.get(unit_id, ())
        number = numbers_by_id.get(person_id, "")
        key = (unit_path, number)
        before[number].append(format_path(unit_path))
        stale = (unit_path in covered and (end_missing or number in in_file)) or (
            unit_id,
            person_id,
        ) in plan.left_units
        if person_id in ended or (stale and key not in wanted):
            plan.remove_leaders.append((pk, unit_id, person_id, created, updated))
            name = people[number][1] if number in people else ""
            removed.append(LeaderRef(number, name, format_path(unit_path)))
            if person_id in ended:
                ended_leaders.add(number)
        else:
            existing.add(key)
            after[number].append(format_path(unit_path))
    plan.new_leaders = [key for key in sorted(wanted) if key not in existing]
    for unit_path, number in plan.new_leaders:
        after[number].append(format_path(unit_path))
    for number in sorted(set(before) | set(after)):
        old, new = sorted(before.get(number, [])), sorted(after.get(number, []))
        if old != new and number:
            _add(plan, number, FieldChange("leader", "; ".join(old), "; ".join(new)))
            if number in people:
                plan.names.setdefault(number, people[number][1])
    plan.summary.leaders_set = len(plan.new_leaders)
    plan.summary.leaders_removed = len(plan.remove_leaders)
    plan.leaders_removed = sorted(removed, key=lambda leader: (leader.unit, leader.name))
    plan.ending_check = EndingCheck(
        people=plan.ending_check.people,
        engagements=plan.ending_check.engagements,
        leaders=len(ended_leaders),
    )
    plan.ended_leaders = ended_leaders


def _finish(plan: Plan, organisation_id: int) -> None:
    """The per-person preview, the counts of changed people, and the ending numbers."""
    summary = plan.summary
    people: list[PersonChange] = []
    numbers = {**plan.kinds, **dict.fromkeys(plan.field_changes, ""), **dict.fromkeys(plan.marked, "")}
    for number in numbers:
        kind = plan.kinds.get(number, "changed")
        fields = tuple(plan.field_changes.get(number, ()))
        if kind == "changed":
            if not fields and number not in plan.marked:
                summary.people_unchanged += 1
                continue
            summary.people_updated += 1
        if not plan.detailed and number not in plan.reused:
            continue
        people.append(
            PersonChange(
                employee_number=number,
                name=plan.names.get(number, ""),
                kind=kind,
                fields=fields,
                number_reused=number in plan.reused,
                leader_ending=number in plan.ended_leaders,
            )
        )
    people.sort(key=lambda person: (person.name, person.employee_number))
    plan.people = people
    if plan.ending_check.people:
        plan.ending_check = EndingCheck(
            people=plan.ending_check.people,
            engagements=plan.ending_check.engagements,
            active_engagements=active_engagement_count(organisation_id=organisation_id, on=plan.today),
            leaders=plan.ending_check.leaders,
        )
