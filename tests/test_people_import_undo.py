"""Undo of a people import, across apps: import A, import B, undo → exactly the state after A, and the
answers, evidence and estimates people gave are untouched. A property test over random files A and B
(renames, new e-mails, moves, new units and job titles, leaders, people ended, unit ids, same day or
later), against PostgreSQL, in an organisation with an open round and submitted answers.

It lives outside the apps because it builds answers with the assessments app, which the orgs app's
own tests may not import (the layers contract)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.accounts.models import User
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    CompetenceEstimate,
    Evidence,
    Instrument,
    Participant,
    Response,
)
from fagdigital.assessments.tests.conftest import Team, make_campaign, team  # noqa: F401
from fagdigital.conftest import (  # noqa: F401
    make_leader,
    make_member,
    organisation,
)
from fagdigital.orgs.models import (
    Engagement,
    ImportMode,
    ImportStatus,
    JobFunction,
    OrgUnit,
    PeopleImport,
    Person,
    UnitLeader,
)
from fagdigital.orgs.people_import import ImportRow
from fagdigital.orgs.services import (
    people_import_apply,
    people_import_record,
    people_import_undo,
    people_import_undo_check,
)

pytestmark = pytest.mark.django_db

UNITS = (
    ("Kommunen", "Hjemmeplejen Nord"),
    ("Kommunen", "Hjemmeplejen Syd"),
    ("Kommunen", "Ny enhed"),
    ("Kommunen", "Ny enhed", "Team 1"),
    ("Andet område",),
)
NAMES = ("Anne Andersen", "Bo Berg", "Carl Holm", "Dorte Dahl", "Eva Ek")
EMAILS = ("", "a@kommune.dk", "b@kommune.dk", "c@kommune.dk")
JOBS = ("Social- og sundhedsassistent", "Sygeplejerske", "Teamleder")
NEW_NUMBERS = ("n1", "n2", "n3", "n4")


class Rollback(Exception):  # noqa: N818
    """Ends an example's savepoint, so every example starts from the same organisation."""


def structure(organisation_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the organisation's structure, every column an import or an undo writes."""
    org = {"organisation_id": organisation_id}
    return {
        "units": sorted(
            OrgUnit.objects.filter(**org).values_list(
                "id", "parent_id", "name", "path", "depth", "external_id"
            )
        ),
        "job_functions": sorted(JobFunction.objects.filter(**org).values_list("id", "name")),
        "people": sorted(
            Person.objects.filter(**org).values_list("id", "employee_number", "name", "email", "user_id")
        ),
        "engagements": sorted(
            Engagement.objects.filter(**org).values_list(
                "id", "person_id", "unit_id", "job_function_id", "start_date", "end_date", "is_primary"
            )
        ),
        "leaders": sorted(
            UnitLeader.objects.filter(**org).values_list(
                "id", "unit_id", "person_id", "created_at", "updated_at"
            )
        ),
    }


def answers(organisation_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Everything people answered and what it became, every column."""
    org = {"organisation_id": organisation_id}
    return {
        model.__name__: sorted(tuple(row.values()) for row in model.objects.filter(**org).values())
        for model in (Participant, Response, Answer, Evidence, CompetenceEstimate)
    }


person = st.tuples(
    st.sampled_from(NAMES),
    st.sampled_from(EMAILS),
    st.sampled_from(UNITS),
    st.sampled_from(JOBS),
    st.booleans(),
)


def files(numbers: tuple[str, ...]) -> st.SearchStrategy[tuple[list[ImportRow], dict[tuple[str, ...], str]]]:
    """A people file: some of the organisation's people and some new ones, and unit ids on some units."""

    def build(
        people: dict[str, tuple[str, str, tuple[str, ...], str, bool]], ids: list[str]
    ) -> tuple[list[ImportRow], dict[tuple[str, ...], str]]:
        unit_ids = {unit: unit_id for unit, unit_id in zip(UNITS, ids, strict=True) if unit_id}
        rows = [
            ImportRow(
                line=line,
                employee_number=number,
                name=name,
                email=email,
                unit_path=unit,
                unit_external_id=unit_ids.get(unit, ""),
                job_function=job,
                is_leader=leader,
            )
            for line, (number, (name, email, unit, job, leader)) in enumerate(sorted(people.items()), start=2)
        ]
        return rows, unit_ids

    return st.builds(
        build,
        st.dictionaries(st.sampled_from(numbers + NEW_NUMBERS), person, min_size=1, max_size=10),
        st.permutations(["U1", "U2", "", "", ""]),
    )


def applied(
    municipality: Any,
    rows: list[ImportRow],
    units: dict[tuple[str, ...], str],
    *,
    day: dt.date,
    partial: bool,
) -> PeopleImport:
    record = people_import_record(
        organisation=municipality,
        filename="fil.csv",
        mode=ImportMode.PARTIAL if partial else ImportMode.FULL,
        row_count=len(rows),
    )
    people_import_apply(
        organisation=municipality,
        rows=rows,
        units=units,
        today=day,
        end_missing=not partial,
        safeguards=False,  # the safeguards have their own tests; here any file must be undoable
        record=record,
    )
    record.refresh_from_db()
    return record


@pytest.fixture
def answered(team: Team, make_campaign: Callable[..., Campaign]) -> Team:  # noqa: F811
    """An open round in which two of the team answered and submitted their self-assessment."""
    campaign = make_campaign(instruments=(Instrument.SELF,))
    competences = list(campaign.framework.competences.order_by("pk")[:3])
    for member, user in list(zip(team.members, team.users, strict=True))[:2]:
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.SELF, respondent=user, subject=member
        )
        for level, competence in enumerate(competences, start=1):
            assessment_services.answer_save(response=response, competence=competence, level=level)
        assessment_services.response_submit(response=response)
    assert Evidence.objects.filter(organisation=team.organisation).count() == 6
    return team


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_import_a_then_b_then_undo_gives_exactly_the_state_after_a_and_answers_untouched(
    answered: Team, data: st.DataObject
) -> None:
    municipality = answered.organisation
    numbers = tuple(
        sorted(Person.objects.filter(organisation=municipality).values_list("employee_number", flat=True))
    )
    rows_a, units_a = data.draw(files(numbers), label="file A")
    rows_b, units_b = data.draw(files(numbers), label="file B")
    partial_a, partial_b = (
        data.draw(st.booleans(), label="A partial"),
        data.draw(st.booleans(), label="B partial"),
    )
    later = data.draw(st.integers(min_value=0, max_value=3), label="days from A to B")
    day = timezone.localdate()
    answers_before = answers(municipality.pk)
    try:
        with transaction.atomic():
            applied(municipality, rows_a, units_a, day=day, partial=partial_a)
            after_a = structure(municipality.pk)
            import_b = applied(
                municipality, rows_b, units_b, day=day + dt.timedelta(days=later), partial=partial_b
            )
            assert import_b.status == ImportStatus.DONE
            check = people_import_undo(people_import=import_b, user=None)
            assert check.possible, [problem.message for problem in check.problems]
            assert structure(municipality.pk) == after_a
            assert answers(municipality.pk) == answers_before
            import_b.refresh_from_db()
            assert import_b.status == ImportStatus.UNDONE
            assert not people_import_undo_check(people_import=import_b).possible
            raise Rollback
    except Rollback:
        pass


def test_undo_is_refused_when_a_round_now_uses_a_person_the_import_created(
    answered: Team,
    make_campaign: Callable[..., Campaign],  # noqa: F811
) -> None:
    municipality = answered.organisation
    numbers = list(Person.objects.filter(organisation=municipality).values_list("employee_number", flat=True))
    rows = [
        ImportRow(
            line=index + 2,
            employee_number=number,
            name=name,
            email=email,
            unit_path=("Kommunen", "Hjemmeplejen Nord"),
            unit_external_id="",
            job_function="Social- og sundhedsassistent",
            is_leader=False,
        )
        for index, (number, name, email) in enumerate(
            Person.objects.filter(organisation=municipality).values_list("employee_number", "name", "email")
        )
    ]
    rows.append(
        ImportRow(
            line=len(rows) + 2,
            employee_number="ny-1",
            name="Nanna Ny",
            email="",
            unit_path=("Kommunen", "Hjemmeplejen Nord"),
            unit_external_id="",
            job_function="Social- og sundhedsassistent",
            is_leader=False,
        )
    )
    assert "ny-1" not in numbers
    record = applied(municipality, rows, {}, day=timezone.localdate(), partial=False)
    make_campaign(instruments=(Instrument.SELF,), name="Ny måling")  # its participants include Nanna
    before, answers_before = structure(municipality.pk), answers(municipality.pk)
    check = people_import_undo(people_import=record, user=None)
    assert not check.possible
    assert any(problem.code == "referenced" for problem in check.problems)
    assert structure(municipality.pk) == before and answers(municipality.pk) == answers_before
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE
    assert isinstance(answered.admin, User)
