"""The people import's writes: units, people, engagements, leaders; preview vs apply; stored imports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from fagdigital.orgs import services
from fagdigital.orgs.models import (
    Engagement,
    ImportStatus,
    JobFunction,
    OrgUnit,
    PeopleImport,
    PeopleImportItem,
    Person,
    UnitLeader,
    path_step,
)
from fagdigital.orgs.people_import import ImportRow
from fagdigital.orgs.services import (
    ImportRowsInvalid,
    importing,
    people_import_apply,
    people_import_create,
    people_import_preview,
    people_import_queue,
    people_import_run,
)
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UnitLeaderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 10)
YESTERDAY = TODAY - dt.timedelta(days=1)
NORTH = ("Social og Sundhed", "Hjemmeplejen", "Team Nord")
SOUTH = ("Social og Sundhed", "Hjemmeplejen", "Team Syd")
TOP = ("Social og Sundhed",)


def row(
    number: str,
    name: str = "",
    unit: tuple[str, ...] = NORTH,
    job: str = "Social- og sundhedsassistent",
    *,
    email: str = "",
    leader: bool = False,
    unit_id: str = "",
    line: int = 0,
) -> ImportRow:
    return ImportRow(
        line=line or int(number) % 100_000 + 1,
        employee_number=number,
        name=name or f"Person {number}",
        email=email,
        unit_path=unit,
        unit_external_id=unit_id,
        job_function=job,
        is_leader=leader,
    )


def first_file() -> list[ImportRow]:
    return [
        row("1", "Dorte Direktør", TOP, "Direktør", leader=True),
        row("2", "Anne Andersen", NORTH, "Teamleder", leader=True, email="anne@kommune.dk"),
        row("3", "Bo Berg", NORTH),
        row("4", "Carl Carlsen", SOUTH, "Sygeplejerske"),
    ]


def apply(organisation: Organisation, rows: list[ImportRow], **kwargs: Any) -> services.ImportSummary:
    return people_import_apply(
        organisation=organisation, rows=rows, today=kwargs.pop("today", TODAY), **kwargs
    )


def running(organisation: Organisation, number: str) -> list[Engagement]:
    return list(
        Engagement.objects.filter(
            person__organisation=organisation, person__employee_number=number, end_date=None
        )
    )


def snapshot() -> dict[str, tuple[Any, ...]]:
    """Row counts, highest ids and latest changes: equal snapshots mean nothing was written."""
    state = {}
    for model in (OrgUnit, JobFunction, Person, Engagement, UnitLeader):
        found = model.objects.aggregate(top=Max("pk"), changed=Max("updated_at"))
        state[model.__name__] = (model.objects.count(), found["top"], found["changed"])
    return state


def test_a_first_import_creates_the_tree_people_engagements_and_leaders(organisation: Organisation) -> None:
    summary = apply(organisation, first_file())
    assert summary.as_json() == {
        "people_created": 4,
        "people_updated": 0,
        "people_unchanged": 0,
        "people_moved": 0,
        "people_ended": 0,
        "engagements_started": 4,
        "engagements_ended": 0,
        "units_created": 4,
        "units_updated": 0,
        "leaders_set": 2,
        "leaders_removed": 0,
        "job_functions_created": 4,
    }
    units = {unit.name: unit for unit in OrgUnit.objects.filter(organisation=organisation)}
    top, care, north, south = (
        units[n] for n in ("Social og Sundhed", "Hjemmeplejen", "Team Nord", "Team Syd")
    )
    assert (top.parent, top.path, top.depth) == (None, path_step(1), 1)
    assert (care.parent, care.path, care.depth) == (top, path_step(1) + path_step(1), 2)
    assert (north.parent, north.depth) == (care, 3)
    assert {north.path, south.path} == {care.path + path_step(1), care.path + path_step(2)}
    anne = Person.objects.get(organisation=organisation, employee_number="2")
    assert (anne.name, anne.email, anne.user) == ("Anne Andersen", "anne@kommune.dk", None)
    engagement = anne.engagements.get()
    assert (engagement.unit, engagement.job_function.name, engagement.start_date, engagement.end_date) == (
        north,
        "Teamleder",
        TODAY,
        None,
    )
    assert engagement.is_primary
    leaders = set(
        UnitLeader.objects.filter(organisation=organisation).values_list("unit__name", "person__name")
    )
    assert leaders == {("Social og Sundhed", "Dorte Direktør"), ("Team Nord", "Anne Andersen")}


def test_new_units_are_numbered_after_existing_siblings_and_existing_units_are_matched_by_path(
    organisation: Organisation,
) -> None:
    top = OrgUnitFactory(organisation=organisation, name="Social og Sundhed")
    OrgUnitFactory(organisation=organisation, name="Børn og Unge")
    care = OrgUnitFactory(parent=top, name="Hjemmeplejen")
    OrgUnitFactory(parent=care, name="Team Vest")
    summary = apply(organisation, [row("1", unit=NORTH), row("2", unit=("Borgerservice",))])
    assert summary.units_created == 2
    north = OrgUnit.objects.get(organisation=organisation, name="Team Nord")
    assert north.parent == care
    assert north.path == care.path + path_step(2)
    assert OrgUnit.objects.get(organisation=organisation, name="Borgerservice").path == path_step(3)


def test_the_preview_writes_nothing_and_says_what_apply_then_does(organisation: Organisation) -> None:
    apply(organisation, first_file())
    person = Person.objects.get(organisation=organisation, employee_number="3")
    before = snapshot()
    rows = [
        row("1", "Dorte Direktør", TOP, "Direktør", leader=True),
        row("2", "Anne Andersen", SOUTH, "Teamleder", leader=True, email="anne@kommune.dk"),
        row("4", "Carl Carlsen", SOUTH, "Sygeplejerske"),
        row("5", "Eva Ny", ("Borgerservice",), "Borgerservicemedarbejder"),
    ]
    preview = people_import_preview(organisation=organisation, rows=rows, today=TODAY)
    assert snapshot() == before
    assert preview.ending == [services.PersonRef(employee_number="3", name=person.name)]
    assert preview.new_units == ["Borgerservice"]
    assert [(c.employee_number, c.changes) for c in preview.changed] == [
        ("2", ("unit", "start_date", "end_date", "leader"))
    ]
    assert [(leader.name, leader.unit) for leader in preview.leaders_removed] == [
        ("Anne Andersen", "Social og Sundhed / Hjemmeplejen / Team Nord")
    ]
    assert preview.ending_check.needs_confirmation  # 1 of 4 engagements is over 10 %
    summary = apply(organisation, rows, confirm_ending=1)
    assert summary == preview.summary
    assert summary.engagements_ended == 2 and summary.leaders_removed == 1 and summary.leaders_set == 1


def test_reimport_upserts_by_employee_number_and_keeps_unchanged_people_untouched(
    organisation: Organisation,
) -> None:
    apply(organisation, first_file())
    carl_before = Person.objects.get(organisation=organisation, employee_number="4")
    rows = first_file()
    rows[1] = row("2", "Anne Andersen-Holm", NORTH, "Teamleder", leader=True, email="anne.holm@kommune.dk")
    summary = apply(organisation, rows, today=TODAY + dt.timedelta(days=7))
    assert (summary.people_created, summary.people_updated, summary.people_unchanged) == (0, 1, 3)
    assert (summary.engagements_started, summary.engagements_ended) == (0, 0)
    anne = Person.objects.get(organisation=organisation, employee_number="2")
    assert (anne.name, anne.email) == ("Anne Andersen-Holm", "anne.holm@kommune.dk")
    assert Person.objects.filter(organisation=organisation).count() == 4
    carl_after = Person.objects.get(organisation=organisation, employee_number="4")
    assert carl_after.updated_at == carl_before.updated_at


def test_a_changed_unit_or_job_ends_the_old_engagement_yesterday_and_starts_a_new_one_today(
    organisation: Organisation,
) -> None:
    apply(organisation, first_file(), today=TODAY - dt.timedelta(days=30))
    rows = first_file()
    rows[2] = row("3", "Bo Berg", SOUTH)
    rows[3] = row("4", "Carl Carlsen", SOUTH, "Sygeplejerske og koordinator")
    summary = apply(organisation, rows)
    assert (summary.engagements_started, summary.engagements_ended, summary.people_updated) == (2, 2, 2)
    for number in ("3", "4"):
        history = Engagement.objects.filter(person__employee_number=number, person__organisation=organisation)
        ended = history.get(end_date__isnull=False)
        current = history.get(end_date__isnull=True)
        assert ended.end_date == YESTERDAY
        assert current.start_date == TODAY
    assert running(organisation, "3")[0].unit.name == "Team Syd"
    assert running(organisation, "4")[0].job_function.name == "Sygeplejerske og koordinator"


def test_a_change_on_the_day_an_engagement_started_ends_it_before_it_ran_and_keeps_it(
    organisation: Organisation,
) -> None:
    apply(organisation, first_file())
    rows = first_file()
    rows[2] = row("3", "Bo Berg", SOUTH)
    apply(organisation, rows)
    engagements = Engagement.objects.filter(
        person__employee_number="3", person__organisation=organisation
    ).order_by("pk")
    # Never deleted: the first one ends the day before it started (it never ran a day), so only one
    # engagement runs on any day.
    assert [(e.unit.name, e.start_date, e.end_date) for e in engagements] == [
        ("Team Nord", TODAY, YESTERDAY),
        ("Team Syd", TODAY, None),
    ]
    assert [e.unit.name for e in running(organisation, "3")] == ["Team Syd"]


def test_people_missing_from_the_file_get_their_running_engagements_ended(organisation: Organisation) -> None:
    apply(organisation, first_file(), today=TODAY - dt.timedelta(days=30))
    bo = Person.objects.get(organisation=organisation, employee_number="3")
    EngagementFactory(person=bo, unit=OrgUnit.objects.get(name="Team Syd"), is_primary=False)
    summary = apply(organisation, [r for r in first_file() if r.employee_number != "3"], confirm_ending=1)
    assert summary.engagements_ended == 2
    assert not running(organisation, "3")
    assert set(bo.engagements.values_list("end_date", flat=True)) == {YESTERDAY}
    assert Person.objects.filter(pk=bo.pk).exists()  # the record and its history stay


def test_end_missing_false_leaves_people_missing_from_the_file_alone(organisation: Organisation) -> None:
    apply(organisation, first_file())
    summary = apply(organisation, first_file()[:2], end_missing=False)
    assert summary.engagements_ended == 0
    assert running(organisation, "3") and running(organisation, "4")


def test_leaders_are_set_and_removed_only_in_units_the_file_covers(organisation: Organisation) -> None:
    apply(organisation, first_file())
    elsewhere = OrgUnitFactory(organisation=organisation, name="Borgerservice")
    outsider = PersonFactory(organisation=organisation, employee_number="99")
    EngagementFactory(person=outsider, unit=elsewhere)
    UnitLeaderFactory(
        unit=elsewhere, person=Person.objects.get(organisation=organisation, employee_number="1")
    )
    rows = first_file()
    rows[1] = row("2", "Anne Andersen", NORTH, "Teamleder", leader=False, email="anne@kommune.dk")
    rows[2] = row("3", "Bo Berg", NORTH, leader=True)
    apply(organisation, [*rows, row("99", outsider.name, ("Borgerservice",))])
    leaders = set(
        UnitLeader.objects.filter(organisation=organisation).values_list("unit__name", "person__name")
    )
    # Anne is no longer leader of Team Nord; Bo is. The file has people in Borgerservice but no leader
    # row for Dorte there, so that registration goes too.
    assert leaders == {("Social og Sundhed", "Dorte Direktør"), ("Team Nord", "Bo Berg")}


def test_leaders_of_units_not_in_the_file_survive_a_reimport(organisation: Organisation) -> None:
    apply(organisation, first_file())
    elsewhere: OrgUnit = OrgUnitFactory(organisation=organisation, name="Borgerservice")
    dorte = Person.objects.get(organisation=organisation, employee_number="1")
    UnitLeaderFactory(unit=elsewhere, person=dorte)
    summary = apply(organisation, first_file())
    assert summary.leaders_removed == 0
    assert UnitLeader.objects.filter(unit=elsewhere, person=dorte).exists()


def test_people_who_leave_lose_their_leader_registrations(organisation: Organisation) -> None:
    apply(organisation, first_file())
    elsewhere = OrgUnitFactory(organisation=organisation, name="Borgerservice")
    anne = Person.objects.get(organisation=organisation, employee_number="2")
    UnitLeaderFactory(unit=elsewhere, person=anne)
    apply(organisation, [r for r in first_file() if r.employee_number != "2"], confirm_ending=1)
    assert not UnitLeader.objects.filter(person=anne).exists()


def test_the_link_to_a_login_survives_every_reimport(organisation: Organisation) -> None:
    apply(organisation, first_file())
    user = UserFactory()
    Person.objects.filter(organisation=organisation, employee_number="2").update(user=user)
    rows = first_file()
    rows[1] = row("2", "Anne Nyt Navn", SOUTH, "Teamleder", email="ny@kommune.dk")
    apply(organisation, rows)
    apply(organisation, rows, today=TODAY + dt.timedelta(days=1))
    anne = Person.objects.get(organisation=organisation, employee_number="2")
    assert anne.user == user
    assert anne.name == "Anne Nyt Navn"


def test_unit_ids_are_stored_and_move_to_the_unit_that_now_has_them(organisation: Organisation) -> None:
    apply(organisation, [row("1", unit=NORTH, unit_id="U-1"), row("2", unit=SOUTH, unit_id="U-2")])
    north = OrgUnit.objects.get(organisation=organisation, name="Team Nord")
    assert north.external_id == "U-1"
    # The HR system swapped the ids: both move, the unique constraint holds throughout.
    summary = apply(organisation, [row("1", unit=NORTH, unit_id="U-2"), row("2", unit=SOUTH, unit_id="U-1")])
    assert summary.units_updated == 2
    ids = dict(OrgUnit.objects.filter(organisation=organisation).values_list("name", "external_id"))
    assert (ids["Team Nord"], ids["Team Syd"]) == ("U-2", "U-1")


def test_extra_units_without_people_are_created_with_their_ids(organisation: Organisation) -> None:
    apply(organisation, [row("1", unit=NORTH)], units={(*TOP, "Tom enhed"): "T-9", NORTH: "N-1"})
    assert OrgUnit.objects.get(organisation=organisation, name="Tom enhed").external_id == "T-9"
    assert OrgUnit.objects.get(organisation=organisation, name="Team Nord").external_id == "N-1"


def test_other_organisations_are_never_touched(organisation: Organisation) -> None:
    other: Organisation = OrganisationFactory()
    theirs = EngagementFactory(person=PersonFactory(organisation=other, employee_number="3"))
    UnitLeaderFactory(unit=theirs.unit, person=theirs.person)
    apply(organisation, first_file())
    apply(organisation, first_file()[:1], confirm_ending=3)
    theirs.refresh_from_db()
    assert theirs.end_date is None
    assert UnitLeader.objects.filter(organisation=other).count() == 1
    assert Person.objects.filter(organisation=organisation, employee_number="3").exists()


def test_invalid_rows_are_refused_and_nothing_is_written(organisation: Organisation) -> None:
    before = snapshot()
    with pytest.raises(ImportRowsInvalid) as refused:
        apply(organisation, [row("1"), row("1", line=3), row("2", email="not-an-address")])
    assert {p.code for p in refused.value.problems} == {"duplicate_employee", "invalid_email"}
    assert snapshot() == before


def test_a_failure_half_way_rolls_everything_back(
    organisation: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply(organisation, first_file())
    before = snapshot()

    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(importing, "_write_leaders", explode)
    rows = [*first_file()[:2], row("5", "Eva Ny", ("Borgerservice",))]
    with pytest.raises(RuntimeError):
        apply(organisation, rows, confirm_ending=2)
    assert snapshot() == before


def test_apply_needs_no_queries_per_row(organisation: Organisation) -> None:
    def queries(count: int, org: Organisation) -> int:
        rows = [row(str(1000 + i), unit=(NORTH if i % 2 else SOUTH), leader=i == 0) for i in range(count)]
        with CaptureQueriesContext(connection) as captured:
            apply(org, rows)
        return len(captured)

    assert queries(300, organisation) == queries(30, OrganisationFactory())


def test_progress_is_reported_up_to_the_total(organisation: Organisation) -> None:
    seen: list[tuple[int, int]] = []
    apply(organisation, first_file(), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


# --- stored imports ----------------------------------------------------------------------------------------

GOOD_CSV = (
    "\ufeffmedarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder\r\n"
    "1;Dorte Direktør;;Social og Sundhed;Direktør;ja\r\n"
    "2;Anne Andersen;anne@kommune.dk;Social og Sundhed/Hjemmeplejen/Team Nord;Teamleder;ja\r\n"
).encode()


def test_an_uploaded_valid_file_is_stored_with_its_preview_and_nothing_else_is_written(
    organisation: Organisation,
) -> None:
    before = snapshot()
    stored = people_import_create(
        organisation=organisation, uploaded_by=None, filename="p.csv", data=GOOD_CSV
    )
    assert snapshot() == before
    assert (stored.status, stored.row_count, bytes(stored.content)) == (ImportStatus.VALIDATED, 2, GOOD_CSV)
    assert stored.preview["summary"]["people_created"] == 2
    assert stored.preview["new_units_count"] == 3


def test_an_uploaded_invalid_file_keeps_only_its_problems(organisation: Organisation) -> None:
    data = GOOD_CSV + b"2;Bo;bo@@kommune.dk;X;Y;nej\r\n"
    stored = people_import_create(organisation=organisation, uploaded_by=None, filename="p.csv", data=data)
    assert stored.status == ImportStatus.INVALID
    assert bytes(stored.content) == b""
    assert stored.preview["error_count"] == 2
    assert {(p["line"], p["code"]) for p in stored.preview["problems"]} == {
        (4, "invalid_email"),
        (4, "duplicate_employee"),
    }


def test_queue_then_run_applies_the_stored_file_and_drops_its_content(organisation: Organisation) -> None:
    stored = people_import_create(
        organisation=organisation, uploaded_by=None, filename="p.csv", data=GOOD_CSV
    )
    assert people_import_queue(people_import=stored)
    assert stored.status == ImportStatus.QUEUED
    outcome = people_import_run(import_id=stored.pk)
    stored.refresh_from_db()
    assert stored.status == ImportStatus.DONE
    assert stored.processed == 2
    assert bytes(stored.content) == b""
    assert stored.outcome["summary"] == outcome["summary"]
    assert outcome["summary"]["people_created"] == 2
    assert Person.objects.filter(organisation=organisation).count() == 2
    # Running it again (a retried task) does nothing.
    assert people_import_run(import_id=stored.pk) == {"skipped": True}
    assert not people_import_queue(people_import=stored)


def test_a_failing_run_is_marked_failed_and_writes_nothing(
    organisation: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = people_import_create(
        organisation=organisation, uploaded_by=None, filename="p.csv", data=GOOD_CSV
    )
    people_import_queue(people_import=stored)
    before = snapshot()

    def explode(*args: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing, "_write_engagements", explode)
    with pytest.raises(RuntimeError):
        people_import_run(import_id=stored.pk)
    stored.refresh_from_db()
    assert stored.status == ImportStatus.FAILED
    assert stored.outcome["error"] == "exception"
    assert snapshot() == before
    # The file with personal data is deleted when the import fails: it is uploaded again to retry.
    assert bytes(stored.content) == b""
    assert not PeopleImportItem.objects.filter(people_import=stored).exists()
    assert not people_import_queue(people_import=stored)


def test_cancel_deletes_the_file_and_preview_of_an_import_that_was_not_applied(
    organisation: Organisation,
) -> None:
    stored = people_import_create(
        organisation=organisation, uploaded_by=None, filename="p.csv", data=GOOD_CSV
    )
    assert PeopleImportItem.objects.filter(people_import=stored).count() == 2
    assert services.people_import_cancel(people_import=stored)
    stored.refresh_from_db()
    assert (stored.status, bytes(stored.content)) == (ImportStatus.CANCELLED, b"")
    assert not PeopleImportItem.objects.filter(people_import=stored).exists()
    done = PeopleImport.objects.create(organisation=organisation, filename="x.csv", status=ImportStatus.DONE)
    assert not services.people_import_cancel(people_import=done)


def test_job_functions_are_reused_by_exact_name(organisation: Organisation) -> None:
    JobFunctionFactory(organisation=organisation, name="Teamleder")
    summary = apply(organisation, first_file())
    assert summary.job_functions_created == 3
    assert JobFunction.objects.filter(organisation=organisation, name="Teamleder").count() == 1
