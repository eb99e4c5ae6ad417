"""The import cannot destroy data: typed confirmation above the ending threshold, partial files, employee
numbers that now name another person, engagements never deleted, undo refusals, and file retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fagdigital.orgs.models import (
    Engagement,
    ImportMode,
    ImportStatus,
    PeopleImport,
    PeopleImportItem,
    PeopleImportLog,
    Person,
    UnitLeader,
)
from fagdigital.orgs.people_import import ImportRow, read_people_file
from fagdigital.orgs.services import (
    ImportNeedsConfirmation,
    people_import_apply,
    people_import_create,
    people_import_preview,
    people_import_purge_expired,
    people_import_queue,
    people_import_record,
    people_import_run,
    people_import_undo,
    people_import_undo_check,
)
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 10)
TEAM = ("Kommunen", "Team")
OTHER = ("Kommunen", "Andet team")


def row(number: int, name: str = "", unit: tuple[str, ...] = TEAM, **values: Any) -> ImportRow:
    return ImportRow(
        line=number + 1,
        employee_number=str(number),
        name=name or f"Person {number}",
        email=values.get("email", f"p{number}@kommune.dk"),
        unit_path=unit,
        unit_external_id="",
        job_function=values.get("job", "Assistent"),
        is_leader=values.get("leader", False),
    )


def staff(count: int) -> list[ImportRow]:
    """`count` people in one team; number 1 leads it."""
    return [row(number, leader=number == 1) for number in range(1, count + 1)]


def applied(organisation: Organisation, rows: list[ImportRow], **kwargs: Any) -> PeopleImport:
    """Apply with a history entry, as the command does (the entry goes if the apply is refused)."""
    with transaction.atomic():
        record = people_import_record(
            organisation=organisation,
            filename="fil.csv",
            mode=ImportMode.PARTIAL if kwargs.get("end_missing") is False else ImportMode.FULL,
            row_count=len(rows),
        )
        people_import_apply(
            organisation=organisation, rows=rows, today=kwargs.pop("today", TODAY), record=record, **kwargs
        )
    record.refresh_from_db()
    return record


def state(organisation: Organisation) -> tuple[list[Any], ...]:
    return (
        sorted(Person.objects.filter(organisation=organisation).values_list("id", "name", "email")),
        sorted(
            Engagement.objects.filter(organisation=organisation).values_list(
                "id", "person_id", "unit_id", "start_date", "end_date"
            )
        ),
        sorted(UnitLeader.objects.filter(organisation=organisation).values_list("unit_id", "person_id")),
    )


# --- ending people: the threshold and the typed confirmation --------------------------------------------


def test_ending_up_to_ten_per_cent_needs_no_confirmation(organisation: Organisation) -> None:
    applied(organisation, staff(20))
    preview = people_import_preview(organisation=organisation, rows=staff(20)[:18], today=TODAY)
    check = preview.ending_check
    assert (check.people, check.engagements, check.active_engagements, check.leaders) == (2, 2, 20, 0)
    assert not check.needs_confirmation
    applied(organisation, staff(20)[:18])
    assert Engagement.objects.filter(organisation=organisation, end_date__isnull=True).count() == 18


def test_ending_more_than_ten_per_cent_needs_the_typed_number_and_writes_nothing_without_it(
    organisation: Organisation,
) -> None:
    applied(organisation, staff(20))
    before = state(organisation)
    rows = staff(20)[:17]  # 3 of 20 = 15 %
    with pytest.raises(ImportNeedsConfirmation) as needed:
        applied(organisation, rows)
    assert needed.value.ending.people == 3 and needed.value.ending.percent == 15
    with pytest.raises(ImportNeedsConfirmation):
        applied(organisation, rows, confirm_ending=2)  # the wrong number
    assert state(organisation) == before
    assert PeopleImport.objects.filter(organisation=organisation).count() == 1  # refused: no history entry
    applied(organisation, rows, confirm_ending=3)
    assert Engagement.objects.filter(organisation=organisation, end_date__isnull=True).count() == 17


def test_ending_a_unit_leader_needs_confirmation_even_below_the_threshold(organisation: Organisation) -> None:
    applied(organisation, staff(20))
    rows = staff(20)[1:]  # only number 1, the leader, is missing: 5 %
    preview = people_import_preview(organisation=organisation, rows=rows, today=TODAY)
    assert preview.ending_check.leaders == 1 and preview.ending_check.needs_confirmation
    with pytest.raises(ImportNeedsConfirmation):
        applied(organisation, rows)
    applied(organisation, rows, confirm_ending=1)
    assert not UnitLeader.objects.filter(organisation=organisation).exists()


def test_a_partial_file_ends_nobody_and_keeps_the_leaders_of_people_not_in_it(
    organisation: Organisation,
) -> None:
    applied(organisation, staff(20))
    before = Engagement.objects.filter(organisation=organisation, end_date__isnull=True).count()
    changed = [row(5, "Femte Person Nyt Navn")]
    preview = people_import_preview(organisation=organisation, rows=changed, today=TODAY, end_missing=False)
    assert preview.ending == [] and not preview.ending_check.needs_confirmation
    applied(organisation, changed, end_missing=False)
    assert Engagement.objects.filter(organisation=organisation, end_date__isnull=True).count() == before
    assert UnitLeader.objects.filter(organisation=organisation, person__employee_number="1").exists()
    assert Person.objects.get(organisation=organisation, employee_number="5").name == "Femte Person Nyt Navn"


def test_the_partial_command_option_ends_nobody(organisation: Organisation, tmp_path: Any) -> None:
    applied(organisation, staff(10))
    organisation.kommunekode = "0901"
    organisation.save()
    path = tmp_path / "del.csv"
    path.write_text(
        "medarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder\n"
        "3;Person 3;p3@kommune.dk;Kommunen/Andet team;Assistent;nej\n",
        encoding="utf-8",
    )
    call_command("import_people", str(path), "--org", "0901", "--partial", stdout=_Sink(), stderr=_Sink())
    running = Engagement.objects.filter(organisation=organisation, end_date__isnull=True)
    assert running.count() == 10
    assert running.get(person__employee_number="3").unit.name == "Andet team"
    assert PeopleImport.objects.filter(organisation=organisation, mode=ImportMode.PARTIAL).exists()


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


# --- engagements are never deleted ---------------------------------------------------------------------


def test_an_engagement_started_the_same_day_is_end_dated_not_deleted(organisation: Organisation) -> None:
    applied(organisation, staff(3))
    first = {e.person.employee_number: e.pk for e in Engagement.objects.filter(organisation=organisation)}
    applied(organisation, [row(1, leader=True), row(2, unit=OTHER), row(3)])  # the same day
    applied(organisation, [row(1, leader=True), row(2, unit=OTHER)], confirm_ending=1)  # 3 leaves
    kept = Engagement.objects.in_bulk(first.values())
    assert len(kept) == 3  # nothing deleted
    yesterday = TODAY - dt.timedelta(days=1)
    # Moved or ended on the day they started: they end the day before, so they never ran a day.
    assert (kept[first["2"]].start_date, kept[first["2"]].end_date) == (TODAY, yesterday)
    assert (kept[first["3"]].start_date, kept[first["3"]].end_date) == (TODAY, yesterday)
    assert kept[first["1"]].end_date is None
    running = Engagement.objects.filter(organisation=organisation, start_date__lte=TODAY).exclude(
        end_date__lt=TODAY
    )
    assert sorted(running.values_list("person__employee_number", "unit__name")) == [
        ("1", "Team"),
        ("2", "Andet team"),
    ]


# --- employee numbers that now name another person -----------------------------------------------------


def test_a_number_whose_name_and_email_both_change_is_flagged_and_needs_acknowledgement(
    organisation: Organisation,
) -> None:
    applied(organisation, staff(20))
    rows = staff(20)
    rows[4] = row(5, "Helt Anden", email="anden@kommune.dk")  # first name, name and e-mail change
    rows[5] = row(6, "Person Seks-Holm", email="seks.holm@kommune.dk")  # married: same first name
    rows[6] = row(7, "Syvende Nyt", email="p7@kommune.dk")  # new name, same e-mail
    preview = people_import_preview(organisation=organisation, rows=rows, today=TODAY)
    assert [person.employee_number for person in preview.number_reuse] == ["5"]
    flagged = preview.number_reuse[0]
    assert [(c.field, c.old, c.new) for c in flagged.fields] == [
        ("name", "Person 5", "Helt Anden"),
        ("email", "p5@kommune.dk", "anden@kommune.dk"),
    ]
    before = state(organisation)
    with pytest.raises(ImportNeedsConfirmation) as needed:
        applied(organisation, rows)
    assert [person.employee_number for person in needed.value.reused] == ["5"]
    assert state(organisation) == before
    applied(organisation, rows, accept_number_reuse=True)
    assert Person.objects.get(organisation=organisation, employee_number="5").name == "Helt Anden"


def test_the_preview_has_old_and_new_values_of_every_changed_field(organisation: Organisation) -> None:
    applied(organisation, staff(20))
    rows = staff(20)
    rows[1] = row(2, "Person To", unit=OTHER, job="Sygeplejerske", leader=True, email="to@kommune.dk")
    preview = people_import_preview(organisation=organisation, rows=rows, today=TODAY + dt.timedelta(days=5))
    (person,) = preview.changed
    fields = {change.field: (change.old, change.new) for change in person.fields}
    assert fields["name"] == ("Person 2", "Person To")
    assert fields["email"] == ("p2@kommune.dk", "to@kommune.dk")
    assert fields["unit"] == ("Kommunen / Team", "Kommunen / Andet team")
    assert fields["job_function"] == ("Assistent", "Sygeplejerske")
    assert fields["leader"] == ("", "Kommunen / Andet team")
    assert fields["start_date"] == (TODAY.isoformat(), (TODAY + dt.timedelta(days=5)).isoformat())
    assert fields["end_date"] == ("Kommunen / Team|", (TODAY + dt.timedelta(days=4)).isoformat())


# --- undo refusals -------------------------------------------------------------------------------------


def test_only_the_last_import_can_be_undone(organisation: Organisation) -> None:
    first = applied(organisation, staff(3))
    applied(organisation, [row(1, "Første Person")], end_missing=False)
    check = people_import_undo_check(people_import=first)
    assert [problem.code for problem in check.problems] == ["not_last"]
    assert "Kun den seneste import kan fortrydes" in check.problems[0].message


def test_undo_is_refused_after_a_manual_change_and_says_who(organisation: Organisation) -> None:
    applied(organisation, staff(3))
    second = applied(organisation, [row(1, "Første Person", leader=True), row(2), row(3)])
    Person.objects.filter(organisation=organisation, employee_number="1").update(name="Rettet I Hånden")
    before = state(organisation)
    check = people_import_undo(people_import=second, user=None)
    assert [problem.code for problem in check.problems] == ["changed_people"]
    assert "Rettet I Hånden (1)" in check.problems[0].message
    assert state(organisation) == before


def test_undo_is_refused_when_a_created_person_got_a_login(organisation: Organisation) -> None:
    record = applied(organisation, staff(3))
    Person.objects.filter(organisation=organisation, employee_number="2").update(user=UserFactory())
    check = people_import_undo_check(people_import=record)
    assert [problem.code for problem in check.problems] == ["linked_login"]


def test_undo_is_refused_after_the_undo_period(organisation: Organisation) -> None:
    record = applied(organisation, staff(3))
    PeopleImport.objects.filter(pk=record.pk).update(applied_at=timezone.now() - dt.timedelta(days=31))
    record.refresh_from_db()
    assert [p.code for p in people_import_undo_check(people_import=record).problems] == ["no_log"]


def test_undo_restores_names_engagements_and_leaders_and_records_who(organisation: Organisation) -> None:
    applied(organisation, staff(5))
    before = state(organisation)
    rows = [row(1, "Første", unit=OTHER), row(2, leader=True), row(3), row(4), row(6)]
    second = applied(organisation, rows, confirm_ending=1, accept_number_reuse=True)
    assert state(organisation) != before
    user = UserFactory()
    check = people_import_undo(people_import=second, user=user)
    assert check.possible
    assert state(organisation) == before
    second.refresh_from_db()
    assert (second.status, second.undone_by) == (ImportStatus.UNDONE, user)
    assert not PeopleImportLog.objects.filter(people_import=second).exists()


# --- the uploaded file's retention ---------------------------------------------------------------------

CSV = (
    b"medarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder\r\n"
    b"1;Anne Andersen;anne@kommune.dk;Kommunen/Team;Assistent;ja\r\n"
)


def test_an_abandoned_upload_is_deleted_after_the_retention_period(organisation: Organisation) -> None:
    stored = people_import_create(organisation=organisation, uploaded_by=None, filename="p.csv", data=CSV)
    assert stored.status == ImportStatus.VALIDATED and bytes(stored.content) == CSV
    assert PeopleImportItem.objects.filter(people_import=stored).count() == 1
    assert people_import_purge_expired(now=timezone.now() + dt.timedelta(hours=23)) == 0
    touched = people_import_purge_expired(now=timezone.now() + dt.timedelta(hours=25))
    assert touched == 1
    stored.refresh_from_db()
    assert (stored.status, bytes(stored.content)) == (ImportStatus.EXPIRED, b"")
    assert not PeopleImportItem.objects.filter(people_import=stored).exists()
    assert not people_import_queue(people_import=stored)


def test_the_purge_command_deletes_abandoned_files(organisation: Organisation) -> None:
    stored = people_import_create(organisation=organisation, uploaded_by=None, filename="p.csv", data=CSV)
    PeopleImport.objects.filter(pk=stored.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    call_command("purge_people_imports", stdout=_Sink())
    stored.refresh_from_db()
    assert (stored.status, bytes(stored.content)) == (ImportStatus.EXPIRED, b"")


def test_the_problems_of_an_invalid_file_go_after_the_retention_period(organisation: Organisation) -> None:
    stored = people_import_create(
        organisation=organisation, uploaded_by=None, filename="p.csv", data=CSV + b"1;Bo;bo@@x;K;A;nej\r\n"
    )
    assert stored.status == ImportStatus.INVALID and bytes(stored.content) == b""
    assert stored.preview["problems"]
    people_import_purge_expired(now=timezone.now() + dt.timedelta(hours=25))
    stored.refresh_from_db()
    assert stored.preview["problems"] == [] and stored.preview["error_count"] == 2


def test_an_applied_file_is_deleted_with_its_preview_and_old_undo_logs_go(organisation: Organisation) -> None:
    stored = people_import_create(organisation=organisation, uploaded_by=None, filename="p.csv", data=CSV)
    people_import_queue(people_import=stored)
    people_import_run(import_id=stored.pk)
    stored.refresh_from_db()
    assert (stored.status, bytes(stored.content)) == (ImportStatus.DONE, b"")
    assert not PeopleImportItem.objects.filter(people_import=stored).exists()
    assert stored.summary["people_created"] == 1 and stored.applied_at is not None
    assert PeopleImportLog.objects.filter(people_import=stored).exists()
    people_import_purge_expired(now=timezone.now() + dt.timedelta(days=31))
    assert not PeopleImportLog.objects.filter(people_import=stored).exists()


def test_a_confirmation_that_no_longer_matches_fails_the_import_and_deletes_the_file(
    organisation: Organisation,
) -> None:
    applied(organisation, staff(20))
    data = (
        "medarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder\r\n"
        + "".join(
            f"{n};Person {n};p{n}@kommune.dk;Kommunen/Team;Assistent;{'ja' if n == 1 else 'nej'}\r\n"
            for n in range(1, 18)
        )
    ).encode()
    stored = people_import_create(organisation=organisation, uploaded_by=None, filename="p.csv", data=data)
    assert stored.preview["ending_check"]["people"] == 3
    people_import_queue(people_import=stored, confirm_ending=3)
    # Meanwhile someone else is added by hand, who is not in the file either: now 4 would end.
    applied(organisation, [*staff(20), row(21)], today=TODAY)
    outcome = people_import_run(import_id=stored.pk)
    stored.refresh_from_db()
    assert outcome["error"] == "confirmation" and stored.status == ImportStatus.FAILED
    assert bytes(stored.content) == b""
    assert Engagement.objects.filter(organisation=organisation, end_date__isnull=True).count() == 21


def test_a_file_without_an_email_column_leaves_the_addresses_alone(organisation: Organisation) -> None:
    applied(organisation, staff(3))
    data = (
        b"medarbejdernummer;navn;enhed;stillingsbetegnelse;leder\r\n"
        b"1;Person 1;Kommunen/Team;Assistent;ja\r\n2;Person To;Kommunen/Team;Assistent;nej\r\n"
        b"3;Person 3;Kommunen/Team;Assistent;nej\r\n"
    )
    parsed = read_people_file(data=data, filename="uden-mail.csv")
    assert parsed.is_valid and not any(row.email_given for row in parsed.rows)
    summary = people_import_apply(organisation=organisation, rows=parsed.rows, today=TODAY)
    assert (summary.people_updated, summary.people_unchanged) == (1, 2)
    assert dict(Person.objects.filter(organisation=organisation).values_list("employee_number", "email")) == {
        "1": "p1@kommune.dk",
        "2": "p2@kommune.dk",
        "3": "p3@kommune.dk",
    }
    # An e-mail column with an empty cell does clear that address.
    cleared = people_import_apply(
        organisation=organisation,
        rows=[row(1, leader=True), row(2, "Person To", email=""), row(3)],
        today=TODAY,
    )
    assert cleared.people_updated == 1
    assert Person.objects.get(organisation=organisation, employee_number="2").email == ""
