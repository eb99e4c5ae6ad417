"""Helpers of the analytics tests: people in units, answers through the services, closing a round.

The team fixture (assessments' conftest) has a unit "Hjemmeplejen Nord" with six SOSU assistants and
their leader (also a SOSU assistant: seven participants), and a sibling "Hjemmeplejen Syd" with one. With
k = 5 Nord's seven form a publication block in Nord; Syd's one person is passed up and, being alone with
that role profile outside Nord, is in no block and no figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fagdigital.accounts.models import User
from fagdigital.analytics.tests.conftest import Team
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument
from fagdigital.frameworks.models import JobFunctionMapping
from fagdigital.orgs.models import JobFunction, OrgUnit, Person
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
)

ROLE = "sosu-assistent"
NURSE = "sygeplejerske"

Levels = int | None | Callable[[int], int | None]  # one level for all, or per competence id


def job_for(team: Team, role_code: str) -> JobFunction:
    """A job function mapped to the role profile (the team's own for SOSU assistants)."""
    if role_code == ROLE:
        return team.members[0].engagements.get().job_function
    job = JobFunctionFactory(organisation=team.organisation, name=f"Job {role_code}")
    JobFunctionMapping.objects.get_or_create(
        organisation=team.organisation,
        job_function=job,
        framework_key=team.framework.key,
        defaults={"role_profile_code": role_code},
    )
    return job


def add_people(team: Team, unit: OrgUnit, count: int, role_code: str = ROLE) -> list[Person]:
    job = job_for(team, role_code)
    people = []
    for _index in range(count):
        person = PersonFactory(organisation=team.organisation)
        EngagementFactory(person=person, unit=unit, job_function=job)
        people.append(person)
    return people


def login_of(person: Person) -> User:
    if person.user_id is None:
        person.user = UserFactory()
        person.save(update_fields=["user"])
    assert person.user is not None
    return person.user


def competences_of(campaign: Campaign, role_code: str = ROLE) -> list[int]:
    return [
        c.pk
        for c in assessment_selectors.questionnaire_competences(
            campaign=campaign, role_profile_code=role_code
        )
    ]


def answer(
    campaign: Campaign,
    person: Person,
    levels: Levels,
    *,
    role_code: str = ROLE,
    rater: User | None = None,
) -> None:
    """Submit a self-assessment of the person (or, with `rater`, a leader's rating of them)."""
    respondent = rater or login_of(person)
    response = assessment_services.response_get_or_create(
        campaign=campaign,
        instrument=Instrument.LEADER if rater else Instrument.SELF,
        respondent=respondent,
        subject=person,
    )
    ids = competences_of(campaign, role_code)
    chosen: Mapping[int, int | None] = {pk: levels(pk) if callable(levels) else levels for pk in ids}
    assessment_services.answers_save(response=response, levels=chosen)
    assessment_services.response_submit(response=response)


def answer_team(team: Team, campaign: Campaign) -> None:
    """Nord's six answer at the top level, Syd's one person at the lowest (Syd is in no figure)."""
    for person in team.members:
        answer(campaign, person, 4)
    answer(campaign, team.outsider, 1)


def close(campaign: Campaign) -> Campaign:
    """Close the round through the service (which publishes its figures)."""
    return assessment_services.campaign_close(campaign=campaign)


def answered_round(team: Team, make_campaign: Callable[..., Campaign], **options: object) -> Campaign:
    """A round over the team, answered as in answer_team, and closed."""
    campaign = make_campaign(**options)
    answer_team(team, campaign)
    return close(campaign)


def query(campaign: Campaign | None, **extra: str) -> dict[str, str]:
    chosen = {"campaign": str(campaign.pk)} if campaign is not None else {}
    return {**chosen, "source": "self", **extra}


def row_html(html: str, label: str) -> str:
    """The <tr> of the heatmap whose row header names `label`."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        header = re.search(r"<th scope=\"row\"[^>]*>(.*?)</th>", row, flags=re.S)
        if header and label in header.group(1):
            return str(row)
    raise AssertionError(f"no heatmap row for {label}")


def cell_figures(row: str) -> list[str]:
    """Every number in a row's figure cells (tags and the coverage column stripped), apart from k in a
    reason ("færre end 5")."""
    cells = re.findall(r"<td class=\"heat-cell[^\"]*\"[^>]*>(.*?)</td>", row, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", cell) for cell in cells)
    text = re.sub(r"[Ff]ærre end [0-9]+", "", text)
    return re.findall(r"[0-9]+", text)


def coverage_html(row: str) -> str:
    found = re.search(r"<td class=\"heat-coverage\">(.*?)</td>", row, flags=re.S)
    assert found, "every heatmap row says whom its figures cover"
    return " ".join(found.group(1).split())


def grow(team: Team, units: int, people: int) -> list[OrgUnit]:
    """More units below the root, each with a team of SOSU assistants (not yet asked in any round)."""
    made = []
    for index in range(units):
        unit: OrgUnit = OrgUnitFactory(parent=team.root, name=f"Enhed {index}")
        child = OrgUnitFactory(parent=unit, name=f"Team {index}")
        add_people(team, child, people)
        made.append(child)
    return made


def count_queries(client: Client, url: str, data: dict[str, str]) -> int:
    """Queries of one request with a cold cache (figures are cached between requests)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(captured.captured_queries)
