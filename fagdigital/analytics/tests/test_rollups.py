"""Rollups kept current per submission always equal a rebuild from scratch."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.analytics import services
from fagdigital.analytics.models import Rollup
from fagdigital.analytics.tests.conftest import Team
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument

pytestmark = pytest.mark.django_db

FIELDS = (
    "campaign_id",
    "source",
    "unit_id",
    "role_profile_code",
    "competence_id",
    "people",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "with_target",
    "at_target",
    "gap_sum",
)


def snapshot(team: Team) -> set[tuple[Any, ...]]:
    return set(Rollup.objects.filter(organisation=team.organisation).values_list(*FIELDS))


SUBMISSIONS = st.lists(
    st.tuples(
        st.sampled_from(["self", "leader"]),
        st.integers(min_value=0, max_value=5),  # which member
        st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=4)), min_size=3, max_size=3),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(submissions=SUBMISSIONS)
def test_incremental_rollups_equal_a_rebuild(
    team: Team, make_campaign: Callable[..., Campaign], submissions: list[tuple[str, int, list[int | None]]]
) -> None:
    campaign = Campaign.objects.filter(organisation=team.organisation).first() or make_campaign()
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    for instrument, index, levels in submissions:
        respondent = team.leader if instrument == "leader" else team.users[index]
        response = assessment_services.response_get_or_create(
            campaign=campaign,
            instrument=Instrument(instrument),
            respondent=respondent,
            subject=team.members[index],
        )
        assessment_services.answers_save(
            response=response, levels={c.pk: level for c, level in zip(competences, levels, strict=False)}
        )
        assessment_services.response_submit(response=response)
    incremental = snapshot(team)
    # (All answers may be "ved ikke": then both are empty, which must agree too.)
    services.rollups_rebuild(organisation_id=team.organisation.pk)
    assert snapshot(team) == incremental


def test_a_rollup_counts_levels_and_targets(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    competence = competences[0]
    target = assessment_services.role_target_levels(
        role_profile_code="sosu-assistent", framework=campaign.framework
    )[competence.pk].level
    for index, level in enumerate([1, 2, 3, 4, target]):
        response = assessment_services.response_get_or_create(
            campaign=campaign,
            instrument=Instrument.SELF,
            respondent=team.users[index],
            subject=team.members[index],
        )
        assessment_services.answer_save(response=response, competence=competence, level=level)
        assessment_services.response_submit(response=response)
    row = Rollup.objects.get(campaign=campaign, source="self", competence=competence, unit=team.unit)
    levels = [1, 2, 3, 4, target]
    assert (row.people, row.level_1, row.level_2, row.level_3, row.level_4) == (
        5,
        levels.count(1),
        levels.count(2),
        levels.count(3),
        levels.count(4),
    )
    assert row.with_target == 5
    assert row.at_target == sum(1 for level in levels if level >= target)
    assert row.gap_sum == sum(target - level for level in levels if level < target)
    combined = Rollup.objects.get(campaign=campaign, source="estimate", competence=competence, unit=team.unit)
    assert combined.people == 5
    current = Rollup.objects.get(campaign=None, source="estimate", competence=competence, unit=team.unit)
    assert current.people == 5


@pytest.mark.django_db(transaction=True)
def test_people_of_one_unit_submitting_at_once_keep_the_rollups_exact(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    """Concurrent submissions rewrite the same cells; the unit lock keeps them from colliding."""
    campaign = make_campaign()
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    responses = []
    for user, person in zip(team.users, team.members, strict=True):
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.SELF, respondent=user, subject=person
        )
        assessment_services.answers_save(response=response, levels={c.pk: 2 for c in competences})
        responses.append(response)

    def submit(response: Any) -> None:
        try:
            assessment_services.response_submit(response=response)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(submit, responses))
    incremental = snapshot(team)
    services.rollups_rebuild(organisation_id=team.organisation.pk)
    assert snapshot(team) == incremental
    assert Rollup.objects.filter(campaign=campaign, source="self", unit=team.unit).first().people == 6
