"""Undo of the last people import: back to exactly the state before it, or a refusal that says why.

The apply stored a log of what it changed with the rows as they were (`PeopleImportLog`). Undo checks
that every row the import wrote is still as the import left it (no later import, no manual change), that
nothing outside the organisation structure refers to the rows the import created (a round's
participants, answers, evidence, a login, a job title mapped to a role profile, ...), and then, in one
transaction with the organisation locked, removes what the import created and restores what it
changed. It never writes anything but the organisation structure, so answers and evidence are never
touched; the database's foreign keys stop the whole undo if anything refers to a removed row after all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fagdigital.accounts.models import User
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
from fagdigital.tenancy.models import Organisation

ID_CHUNK = 900
EXAMPLES = 3

UNDO_MESSAGES: dict[str, Promise] = {
    "not_applied": _("Importen er ikke indlæst, så der er intet at fortryde."),
    "not_last": _(
        "En nyere import (»%(filename)s«) er indlæst efter denne. Kun den seneste import kan fortrydes."
    ),
    "busy": _("En anden import af organisationen er i gang. Vent, til den er færdig, og prøv igen."),
    "no_log": _(
        "Importen kan ikke længere fortrydes: oplysningerne om, hvordan der så ud før importen, slettes "
        "efter %(days)s dage, og når en nyere import indlæses."
    ),
    "changed_people": _(
        "%(count)s personer er ændret, efter importen blev indlæst, fx %(examples)s. Fortryd ændringerne "
        "eller importen i HR-systemet, og indlæs en ny fil i stedet."
    ),
    "changed_engagements": _(
        "%(count)s ansættelser er ændret, efter importen blev indlæst, fx for %(examples)s."
    ),
    "changed_units": _("%(count)s enheder er ændret, efter importen blev indlæst, fx %(examples)s."),
    "changed_leaders": _(
        "%(count)s lederregistreringer er ændret, efter importen blev indlæst, fx for %(examples)s."
    ),
    "linked_login": _(
        "%(count)s af de personer, importen oprettede, er nu koblet til et login, fx %(examples)s."
    ),
    "referenced": _(
        "%(count)s af de %(what)s, importen oprettede, bruges nu af %(model)s. De kan ikke fjernes uden "
        "at miste dem."
    ),
}
WHAT: dict[str, Promise] = {
    "person": _("personer"),
    "unit": _("enheder"),
    "job_function": _("stillingsbetegnelser"),
}


@dataclass(frozen=True)
class UndoProblem:
    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        values = {key: str(WHAT.get(value, value)) if key == "what" else value for key, value in self.params}
        return str(UNDO_MESSAGES[self.code]) % values if values else str(UNDO_MESSAGES[self.code])

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UndoProblem:
        return cls(code=data["code"], params=tuple((str(k), str(v)) for k, v in data["params"].items()))


def _problem(code: str, **params: object) -> UndoProblem:
    return UndoProblem(code=code, params=tuple((key, str(value)) for key, value in params.items()))


@dataclass
class UndoCheck:
    problems: list[UndoProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def possible(self) -> bool:
        return not self.problems


def undo_days() -> int:
    return int(settings.FAGDIGITAL_IMPORT_UNDO_DAYS)


def _chunks(items: Sequence[Any], size: int = ID_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rows(model: type[models.Model], ids: Sequence[int], *fields: str) -> dict[int, tuple[Any, ...]]:
    found: dict[int, tuple[Any, ...]] = {}
    for batch in _chunks(ids):
        for values in model._base_manager.filter(pk__in=batch).values_list("pk", *fields):
            found[values[0]] = tuple(values[1:])
    return found


def _date(text: str | None) -> dt.date | None:
    return parse_date(text) if text else None


def _examples(names: Iterable[str]) -> str:
    items = list(names)
    return ", ".join(items[:EXAMPLES])


def _person_names(ids: Iterable[int]) -> list[str]:
    wanted = sorted(set(ids))[:EXAMPLES]
    return [
        f"{name} ({number})"
        for name, number in Person.objects.filter(pk__in=wanted).values_list("name", "employee_number")
    ]


def people_import_undo_check(*, people_import: PeopleImport) -> UndoCheck:
    """Whether the import can be undone now, what undo would do, and if not, every reason why."""
    check = UndoCheck()
    if people_import.status != ImportStatus.DONE or people_import.applied_at is None:
        check.problems.append(_problem("not_applied"))
        return check
    organisation_imports = PeopleImport.objects.filter(organisation_id=people_import.organisation_id)
    later = (
        organisation_imports.filter(applied_at__gt=people_import.applied_at).order_by("-applied_at").first()
    )
    if later is not None:
        check.problems.append(_problem("not_last", filename=later.filename))
        return check
    if (
        organisation_imports.exclude(pk=people_import.pk)
        .filter(status__in=[ImportStatus.QUEUED, ImportStatus.APPLYING, ImportStatus.UNDOING])
        .exists()
    ):
        check.problems.append(_problem("busy"))
    log = PeopleImportLog.objects.filter(people_import=people_import).first()
    too_old = people_import.applied_at < timezone.now() - dt.timedelta(days=undo_days())
    if log is None or too_old:
        check.problems.append(_problem("no_log", days=undo_days()))
        return check
    data: dict[str, Any] = log.data
    check.counts = {
        "people_deleted": len(data.get("people_created", [])),
        "people_restored": len(data.get("people_updated", [])),
        "engagements_deleted": len(data.get("engagements_created", [])),
        "engagements_reopened": len(data.get("engagements_ended", [])),
        "units_deleted": len(data.get("units_created", [])),
        "unit_ids_restored": len(data.get("unit_ids", [])),
        "job_functions_deleted": len(data.get("job_functions_created", [])),
        "leaders_deleted": len(data.get("leaders_created", [])),
        "leaders_restored": len(data.get("leaders_removed", [])),
    }
    _check_people(data, check)
    _check_engagements(data, check)
    _check_units(data, check, people_import.organisation_id)
    _check_leaders(data, check)
    _check_references(data, check)
    return check


def _check_people(data: dict[str, Any], check: UndoCheck) -> None:
    changed: list[int] = []
    linked: list[str] = []
    created = data.get("people_created", [])
    current = _rows(Person, [row[0] for row in created], "employee_number", "name", "email", "user_id")
    for pk, number, name, email in created:
        now = current.get(pk)
        if now is None or now[:3] != (number, name, email):
            changed.append(pk)
        elif now[3] is not None:
            linked.append(f"{name} ({number})")
    updated = data.get("people_updated", [])
    current = _rows(Person, [row[0] for row in updated], "employee_number", "name", "email")
    for pk, number, _old_name, _old_email, name, email in updated:
        if current.get(pk) != (number, name, email):
            changed.append(pk)
    if changed:
        check.problems.append(
            _problem("changed_people", count=len(changed), examples=_examples(_person_names(changed)))
        )
    if linked:
        check.problems.append(_problem("linked_login", count=len(linked), examples=_examples(linked)))


def _check_engagements(data: dict[str, Any], check: UndoCheck) -> None:
    changed: list[int] = []
    created = data.get("engagements_created", [])
    current = _rows(
        Engagement,
        [row[0] for row in created],
        "person_id",
        "unit_id",
        "job_function_id",
        "start_date",
        "end_date",
        "is_primary",
    )
    for pk, person, unit, job, start in created:
        if current.get(pk) != (person, unit, job, _date(start), None, True):
            changed.append(person)
    ended = data.get("engagements_ended", [])
    current = _rows(Engagement, [row[0] for row in ended], "end_date", "person_id")
    for pk, _before, after in ended:
        now = current.get(pk)
        if now is None or now[0] != _date(after):
            changed.append(now[1] if now else 0)
    if changed:
        check.problems.append(
            _problem("changed_engagements", count=len(changed), examples=_examples(_person_names(changed)))
        )


def _check_units(data: dict[str, Any], check: UndoCheck, organisation_id: int) -> None:
    changed: list[str] = []
    created = data.get("units_created", [])
    current = _rows(OrgUnit, [row[0] for row in created], "parent_id", "name", "path", "depth", "external_id")
    for pk, parent, name, path, depth, external_id in created:
        if current.get(pk) != (parent, name, path, depth, external_id):
            changed.append(name)
    moved = data.get("unit_ids", [])
    current = _rows(OrgUnit, [row[0] for row in moved], "external_id", "name")
    for pk, _before, after in moved:
        now = current.get(pk)
        if now is None or now[0] != after:
            changed.append(now[1] if now else str(pk))
    # An id to give back must be free then: held by no other unit than those undo changes or removes.
    befores = [row[1] for row in moved if row[1]]
    ours = [row[0] for row in moved] + [row[0] for row in created]
    taken = OrgUnit.objects.filter(organisation_id=organisation_id, external_id__in=befores).exclude(
        pk__in=ours
    )
    changed.extend(taken.values_list("name", flat=True))
    if changed:
        check.problems.append(_problem("changed_units", count=len(changed), examples=_examples(changed)))


def _check_leaders(data: dict[str, Any], check: UndoCheck) -> None:
    changed: list[int] = []
    created = data.get("leaders_created", [])
    current = _rows(UnitLeader, [row[0] for row in created], "unit_id", "person_id")
    for pk, unit, person in created:
        if current.get(pk) != (unit, person):
            changed.append(person)
    removed = data.get("leaders_removed", [])
    if removed:
        back = _rows(UnitLeader, [row[0] for row in removed], "unit_id")
        pairs = {(row[1], row[2]) for row in removed}
        units = {row[1] for row in removed}
        again = {
            (unit, person)
            for unit, person in UnitLeader.objects.filter(unit_id__in=units).values_list(
                "unit_id", "person_id"
            )
        }
        for pk, unit, person, _created, _updated in removed:
            if pk in back or ((unit, person) in pairs and (unit, person) in again):
                changed.append(person)
        people = {row[2] for row in removed}
        alive_people = set(Person.objects.filter(pk__in=people).values_list("pk", flat=True))
        alive_units = set(OrgUnit.objects.filter(pk__in=units).values_list("pk", flat=True))
        changed.extend(row[2] for row in removed if row[2] not in alive_people or row[1] not in alive_units)
    if changed:
        check.problems.append(
            _problem("changed_leaders", count=len(changed), examples=_examples(_person_names(changed)))
        )


# Relations the undo handles itself: rows the import created are removed with what it created.
_HANDLED = {
    (Engagement, "person"),
    (Engagement, "unit"),
    (Engagement, "job_function"),
    (UnitLeader, "person"),
    (UnitLeader, "unit"),
    (OrgUnit, "parent"),
}


def _check_references(data: dict[str, Any], check: UndoCheck) -> None:
    """Nothing but the rows the import created may refer to the people, units and job functions it
    created: every relation to them in every app is asked (so a new app's rows count too)."""
    created_engagements = [row[0] for row in data.get("engagements_created", [])]
    created_leaders = [row[0] for row in data.get("leaders_created", [])]
    created_units = [row[0] for row in data.get("units_created", [])]
    own: dict[type[models.Model], list[int]] = {
        Engagement: created_engagements,
        UnitLeader: created_leaders,
        OrgUnit: created_units,
    }
    targets: list[tuple[str, type[models.Model], list[int]]] = [
        ("person", Person, [row[0] for row in data.get("people_created", [])]),
        ("unit", OrgUnit, created_units),
        ("job_function", JobFunction, [row[0] for row in data.get("job_functions_created", [])]),
    ]
    for what, model, ids in targets:
        if not ids:
            continue
        # Hidden relations too: most apps point at people and units with related_name="+".
        relations = [
            field
            for field in model._meta.get_fields(include_hidden=True)
            if (field.one_to_many or field.one_to_one) and field.auto_created and not field.concrete
        ]
        for relation in relations:
            related = relation.related_model
            if not isinstance(related, type) or not issubclass(related, models.Model):
                continue
            name = relation.field.name  # type: ignore[union-attr]
            count = 0
            for batch in _chunks(ids):
                rows = related._base_manager.filter(**{f"{name}__in": batch})
                if (related, name) in _HANDLED:
                    rows = rows.exclude(pk__in=own.get(related, []))
                count += rows.count()
            if count:
                model_name = (
                    _("andre rækker i organisationen")
                    if (related, name) in _HANDLED
                    else related._meta.verbose_name_plural
                )
                check.problems.append(_problem("referenced", count=count, what=what, model=model_name))


def _delete(model: type[models.Model], ids: Sequence[int]) -> None:
    """Plain DELETE, no cascade: if anything still refers to a row, the foreign key stops the undo."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for batch in _chunks(list(ids)):
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", list(batch))  # noqa: S608


def _executemany(sql: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def people_import_undo(*, people_import: PeopleImport, user: User | None) -> UndoCheck:
    """Undo the import if the check allows it (in one transaction, the organisation locked).

    Returns the check; when it has problems nothing was written.
    """
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=people_import.organisation_id).first()
        people_import = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
        if people_import.status == ImportStatus.UNDOING:
            people_import.status = ImportStatus.DONE  # the check judges it as the applied import it is
        check = people_import_undo_check(people_import=people_import)
        if not check.possible:
            return check
        data: dict[str, Any] = PeopleImportLog.objects.get(people_import=people_import).data
        _restore(data)
        now = timezone.now()
        PeopleImport.objects.filter(pk=people_import.pk).update(
            status=ImportStatus.UNDONE, undone_at=now, undone_by=user, updated_at=now, outcome={}
        )
        PeopleImportLog.objects.filter(people_import=people_import).delete()
    return check


def _restore(data: dict[str, Any]) -> None:
    now = timezone.now()
    q = connection.ops.quote_name
    _delete(UnitLeader, [row[0] for row in data.get("leaders_created", [])])
    _delete(Engagement, [row[0] for row in data.get("engagements_created", [])])
    _executemany(
        f"UPDATE {q(Engagement._meta.db_table)} SET end_date = %s, updated_at = %s WHERE id = %s",  # noqa: S608
        [(_date(before), now, pk) for pk, before, _after in data.get("engagements_ended", [])],
    )
    _executemany(
        f"UPDATE {q(Person._meta.db_table)} SET name = %s, email = %s, updated_at = %s WHERE id = %s",  # noqa: S608
        [
            (name, email, now, pk)
            for pk, _number, name, email, _new, _new_email in data.get("people_updated", [])
        ],
    )
    _delete(Person, [row[0] for row in data.get("people_created", [])])
    # Children before parents, though the deferred foreign keys would allow any order.
    # Before the ids go back: a created unit may hold one of them.
    units = sorted(data.get("units_created", []), key=lambda row: -row[4])
    _delete(OrgUnit, [row[0] for row in units])
    moved = data.get("unit_ids", [])
    for batch in _chunks([row[0] for row in moved]):
        OrgUnit.objects.filter(pk__in=batch).update(external_id="", updated_at=now)
    _executemany(
        f"UPDATE {q(OrgUnit._meta.db_table)} SET external_id = %s, updated_at = %s WHERE id = %s",  # noqa: S608
        [(before, now, pk) for pk, before, _after in moved if before],
    )
    _delete(JobFunction, [row[0] for row in data.get("job_functions_created", [])])
    removed = data.get("leaders_removed", [])
    UnitLeader.objects.bulk_create(
        [
            UnitLeader(pk=pk, organisation_id=organisation_id, unit_id=unit, person_id=person)
            for (pk, unit, person, _created, _updated), organisation_id in zip(
                removed, _organisations(removed), strict=True
            )
        ]
    )
    # bulk_create stamps the time of creation: give the registrations back their own.
    _executemany(
        f"UPDATE {q(UnitLeader._meta.db_table)} SET created_at = %s, updated_at = %s WHERE id = %s",  # noqa: S608
        [(parse_datetime(created), parse_datetime(updated), pk) for pk, _u, _p, created, updated in removed],
    )


def _organisations(removed: list[list[Any]]) -> list[int]:
    units = dict(
        OrgUnit.objects.filter(pk__in={row[1] for row in removed}).values_list("pk", "organisation_id")
    )
    return [units[row[1]] for row in removed]
