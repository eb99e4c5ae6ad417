"""The heatmap and its companions over real rollups, with the anonymity rules applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404

from fagdigital.analytics import selectors
from fagdigital.analytics.tests.conftest import Team
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import JobFunctionMapping
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def answer_all(team: Team, campaign: Campaign, level_for: Callable[[int], int]) -> None:
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    people = list(zip(team.users, team.members, strict=True))
    for index, (user, person) in enumerate(people):
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.SELF, respondent=user, subject=person
        )
        assessment_services.answers_save(
            response=response, levels={c.pk: level_for(index) for c in competences}
        )
        assessment_services.response_submit(response=response)


def test_a_unit_of_six_shows_and_its_lone_sibling_is_hidden_with_it(
    team: Team, make_campaign: Callable[..., Campaign], django_assert_max_num_queries: Any
) -> None:
    campaign = make_campaign()
    answer_all(team, campaign, lambda index: 4)
    # The outsider in the sibling unit answers too: a group of one.
    outsider_user = UserFactory()
    team.outsider.user = outsider_user
    team.outsider.save()
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    response = assessment_services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=outsider_user, subject=team.outsider
    )
    assessment_services.answers_save(response=response, levels={c.pk: 1 for c in competences})
    assessment_services.response_submit(response=response)

    actor = actor_for(team.admin, team.organisation)
    filters = selectors.Filters(campaign=campaign, source="self")
    with django_assert_max_num_queries(12):
        view = selectors.heatmap(actor=actor, unit=team.root, filters=filters)
    rows = {row.label: row for row in view.rows}
    competence = competences[0]
    column = [c.pk for c in view.competences].index(competence.pk)
    total = rows["Kommunen"].cells[column]
    assert (total.people, total.at_target, total.hidden) == (7, 6, False)
    assert rows["Hjemmeplejen Syd"].cells[column].hidden
    assert rows["Hjemmeplejen Syd"].cells[column].reason == "small"
    # Kommunen - Nord would reveal Syd's single person, so Nord is hidden as well.
    assert rows["Hjemmeplejen Nord"].cells[column].hidden
    assert rows["Hjemmeplejen Nord"].cells[column].reason == "complement"
    assert rows["Hjemmeplejen Nord"].cells[column].people is None


def test_a_bigger_sibling_makes_both_units_visible(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    for _index in range(5):
        EngagementFactory(
            person=PersonFactory(organisation=team.organisation),
            unit=team.other_unit,
            job_function=team.members[0].engagements.get().job_function,
        )
    campaign = make_campaign()
    answer_all(team, campaign, lambda index: 1 + index % 4)
    actor = actor_for(team.admin, team.organisation)
    view = selectors.heatmap(
        actor=actor, unit=team.root, filters=selectors.Filters(campaign=campaign, source="self")
    )
    rows = {row.label: row for row in view.rows}
    answered = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    column = [c.pk for c in view.competences].index(answered[0].pk)
    assert not rows["Hjemmeplejen Nord"].cells[column].hidden
    assert rows["Hjemmeplejen Nord"].cells[column].people == 6
    # Nobody in Syd answered: a known zero, not a hidden figure.
    assert rows["Hjemmeplejen Syd"].cells[column].people == 0


def test_a_role_filter_isolating_fewer_than_k_is_refused(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    # Two teachers join the SOSU assistants' unit: a role filter on them would show two people.
    teacher_job = JobFunctionFactory(organisation=team.organisation, name="Lærer")
    JobFunctionMapping.objects.create(
        organisation=team.organisation,
        job_function=teacher_job,
        framework_key=team.framework.key,
        role_profile_code="laerer",
    )
    teachers = []
    for _index in range(2):
        person = PersonFactory(organisation=team.organisation)
        EngagementFactory(person=person, unit=team.unit, job_function=teacher_job)
        teachers.append(person)
    campaign = make_campaign()
    answer_all(team, campaign, lambda index: 3)
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="laerer"
    )
    for person in teachers:
        user = UserFactory()
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.SELF, respondent=user, subject=person
        )
        assessment_services.answers_save(response=response, levels={c.pk: 2 for c in competences})
        assessment_services.response_submit(response=response)
    actor = actor_for(team.admin, team.organisation)
    allowed = selectors.Filters(campaign=campaign, source="self", role_profile_code="sosu-assistent")
    assert not selectors.heatmap(actor=actor, unit=team.unit, filters=allowed).refused
    isolating = selectors.Filters(campaign=campaign, source="self", role_profile_code="laerer")
    view = selectors.heatmap(actor=actor, unit=team.unit, filters=isolating)
    assert "færre end 5" in view.refused
    assert view.rows == []
    nobody = selectors.Filters(campaign=campaign, source="self", role_profile_code="sygeplejerske")
    assert not selectors.heatmap(actor=actor, unit=team.unit, filters=nobody).refused


def test_a_leader_sees_only_their_own_units(team: Team) -> None:
    actor = actor_for(team.leader, team.organisation)
    assert selectors.dashboard_roots(actor=actor) == [team.unit]
    with pytest.raises(Http404):
        selectors.get_dashboard_unit_for_user(actor=actor, unit_id=team.other_unit.pk)


def test_top_gaps_rank_missing_levels_times_criticality(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    answer_all(team, campaign, lambda index: 1)
    actor = actor_for(team.admin, team.organisation)
    gaps = selectors.top_gaps(
        actor=actor, unit=team.unit, filters=selectors.Filters(campaign=campaign, source="self")
    )
    assert gaps
    assert [g.score for g in gaps] == sorted((g.score for g in gaps), reverse=True)
    assert all(g.score == g.gap_levels * g.weight for g in gaps)
