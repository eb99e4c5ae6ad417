"""The evidence rule of docs/decisions/0016: the table, the knowledge cap and the minimum number of items.

The rule is checked three ways against one oracle written from the decision's prose: the pure rule
(`evidence_rule.choose`), the per-person and bulk estimates in the database, and the SQL ordering that
analytics uses per round, run over every combination of sources and levels.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.assessments import evidence_rule as rule
from fagdigital.assessments import services
from fagdigital.assessments.models import (
    Campaign,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    FrameworkTestPolicy,
    Instrument,
)
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Competence
from fagdigital.frameworks.services import framework_new_version
from fagdigital.orgs.models import Person
from fagdigital.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

CAP = rule.DEFAULT_KNOWLEDGE_CAP
# Every combination of the four sources, each absent (None) or at a level 1..4; a test never above the cap.
COMBINATIONS = [
    dict(zip(rule.SOURCES, levels, strict=True))
    for levels in itertools.product(
        [None, *range(1, CAP + 1)],  # test
        [None, *rule.LEVELS],  # leader
        [None, *rule.LEVELS],  # learning
        [None, *rule.LEVELS],  # self
    )
]


def expected(levels: dict[str, int | None], cap: int = CAP) -> str | None:
    """The rule as decision 0016 states it, written independently of the implementation."""
    test, leader, learning, own = (levels[s] for s in rule.SOURCES)
    if leader is not None and leader > cap:
        return rule.LEADER  # above the cap only a leader's observation decides
    if test is not None:
        return rule.TEST  # inside the band the test confirms or lowers anything else
    if leader is not None:
        return rule.LEADER
    if learning is not None:
        return rule.LEARNING
    if own is not None:
        return rule.SELF
    return None


def _candidates(levels: dict[str, int | None]) -> dict[str, rule.Candidate]:
    today = dt.date(2026, 12, 1)
    return {
        source: rule.Candidate(evidence_id=n, level=level, observed_on=today)
        for n, (source, level) in enumerate(levels.items())
        if level is not None
    }


@pytest.mark.parametrize(
    "levels", COMBINATIONS, ids=lambda c: "-".join(f"{s[0]}{c[s] or 0}" for s in rule.SOURCES)
)
def test_the_evidence_rule_table(levels: dict[str, int | None]) -> None:
    assert rule.choose(_candidates(levels), CAP) == expected(levels)


@pytest.mark.parametrize("cap", [1, 2, 3, 4])
def test_the_rule_follows_the_frameworks_cap(cap: int) -> None:
    for levels in COMBINATIONS:
        assert rule.choose(_candidates(levels), cap) == expected(levels, cap)


def test_a_leader_rating_above_the_cap_outranks_any_test_and_inside_it_the_test_decides() -> None:
    assert rule.choose(_candidates({"test": 3, "leader": 4, "learning": None, "self": None}), 3) == "leader"
    assert rule.choose(_candidates({"test": 1, "leader": 4, "learning": None, "self": 4}), 3) == "leader"
    assert rule.choose(_candidates({"test": 1, "leader": 3, "learning": None, "self": None}), 3) == "test"
    # A test confirms or lowers a self-assessment, also one above the cap.
    assert rule.choose(_candidates({"test": 3, "leader": None, "learning": None, "self": 4}), 3) == "test"
    assert rule.choose(_candidates({"test": 2, "leader": None, "learning": None, "self": 1}), 3) == "test"


@pytest.mark.parametrize(("correct", "items"), [(0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (3, 3)])
def test_fewer_than_four_items_give_no_test_level(correct: int, items: int) -> None:
    assert rule.knowledge_level_for(correct=correct, items=items) is None


@given(
    items=st.integers(min_value=1, max_value=40), data=st.data(), cap=st.integers(min_value=1, max_value=4)
)
def test_a_test_level_never_exceeds_the_cap_and_needs_four_items(
    items: int, data: st.DataObject, cap: int
) -> None:
    correct = data.draw(st.integers(min_value=0, max_value=items))
    level = rule.knowledge_level_for(correct=correct, items=items, cap=cap)
    if items < rule.MIN_ITEMS_FOR_TEST_LEVEL:
        assert level is None
    else:
        assert level is not None and 1 <= level <= cap
        # More right never gives a lower level.
        if correct < items:
            higher = rule.knowledge_level_for(correct=correct + 1, items=items, cap=cap)
            assert higher is not None and higher >= level


# --- Through the services: a real test, a real leader rating ------------------------------------


def _take_test(team: Team, campaign: Campaign, *, all_right: bool) -> None:
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.TEST, respondent=team.users[0], subject=team.members[0]
    )
    for question in services.test_start(response=response):
        keys = sorted(question.item.correct_keys)
        wrong = [k for k in question.option_order if k not in question.item.correct_keys][:1]
        services.test_answer_save(response=response, question=question, selected=keys if all_right else wrong)
    services.test_submit(response=response)


def _rate(team: Team, campaign: Campaign, levels: dict[str, int]) -> None:
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.LEADER, respondent=team.leader, subject=team.members[0]
    )
    for competence in Competence.objects.filter(framework=campaign.framework, code__in=levels):
        services.answer_save(response=response, competence=competence, level=levels[competence.code])
    services.response_submit(response=response)


def test_a_two_item_test_gives_no_level_and_never_outranks_a_leader(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.LEADER, Instrument.TEST), test_items_per_competence=2)
    _rate(team, campaign, {"DS1": 2, "DS2": 4})
    _take_test(team, campaign, all_right=True)
    assert not Evidence.objects.filter(source=EvidenceSource.TEST).exists()
    estimates = {
        e.competence.code: (e.source, e.level)
        for e in CompetenceEstimate.objects.filter(person=team.members[0]).select_related("competence")
    }
    assert estimates["DS1"] == ("leader", 2)
    assert estimates["DS2"] == ("leader", 4)


def test_a_full_test_confirms_up_to_the_cap_and_a_leader_decides_above_it(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.LEADER, Instrument.TEST))
    _rate(team, campaign, {"DS1": 2, "DS2": 4})
    _take_test(team, campaign, all_right=True)
    test_levels = set(Evidence.objects.filter(source=EvidenceSource.TEST).values_list("level", flat=True))
    assert test_levels == {CAP}  # all right: the cap, never 4
    estimates = {
        e.competence.code: (e.source, e.level)
        for e in CompetenceEstimate.objects.filter(person=team.members[0]).select_related("competence")
    }
    assert estimates["DS1"] == ("test", 3)  # inside the band the test outranks the leader's 2
    assert estimates["DS2"] == ("leader", 4)  # above the cap the leader decides
    assert estimates["DS3"] == ("test", 3)


def test_a_framework_may_set_a_lower_cap(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    FrameworkTestPolicy.objects.create(
        organisation=team.organisation, framework=team.framework, knowledge_cap=2
    )
    campaign = make_campaign(instruments=(Instrument.LEADER, Instrument.TEST))
    _rate(team, campaign, {"DS1": 3})
    _take_test(team, campaign, all_right=True)
    assert set(Evidence.objects.filter(source=EvidenceSource.TEST).values_list("level", flat=True)) == {2}
    estimate = CompetenceEstimate.objects.get(person=team.members[0], competence__code="DS1")
    assert (estimate.source, estimate.level) == ("leader", 3)


def test_the_cap_is_set_only_in_a_draft_version(team: Team) -> None:
    with pytest.raises(ValidationError):
        services.framework_knowledge_cap_set(framework=team.framework, cap=2)  # published
    draft = framework_new_version(framework=team.framework)
    with pytest.raises(ValidationError):
        services.framework_knowledge_cap_set(framework=draft, cap=5)
    services.framework_knowledge_cap_set(framework=draft, cap=2)
    assert services.framework_knowledge_cap(draft.pk) == 2
    assert services.framework_knowledge_cap(team.framework.pk) == CAP
    assert services.knowledge_caps(competence_ids=[draft.competences.first().pk]) == {
        draft.competences.first().pk: 2
    }


# --- The SQL that analytics uses per round ---------------------------------------------------------


def _round_estimates_sql(campaign_id: int) -> dict[int, tuple[str, int]]:
    """Analytics' per-round estimate: the same window as analytics.services, with the exposed ordering."""
    sql = f"""
        SELECT person_id, source, level FROM (
            SELECT person_id, source, level, ROW_NUMBER() OVER (
                PARTITION BY person_id, competence_id
                ORDER BY {rule.estimate_order_sql()}, observed_on DESC, id DESC) AS rank
            FROM assessments_evidence WHERE campaign_id = %(campaign)s
        ) ranked WHERE rank = 1
    """  # noqa: S608 — the ordering is built from constants
    with connection.cursor() as cursor:
        cursor.execute(sql, {"campaign": campaign_id})
        return {person_id: (source, level) for person_id, source, level in cursor.fetchall()}


def _people(team: Team, count: int) -> list[Person]:
    return [PersonFactory(organisation=team.organisation) for _ in range(count)]


def test_the_sql_ordering_gives_the_rule_for_every_combination(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    competence = Competence.objects.get(framework=team.framework, code="DS1")
    combinations = [c for c in COMBINATIONS if any(v is not None for v in c.values())]
    people = _people(team, len(combinations))
    day = timezone.localdate()
    rows = [
        Evidence(
            organisation=team.organisation,
            person=person,
            competence=competence,
            source=source,
            level=level,
            observed_on=day,
            campaign=campaign,
        )
        for person, levels in zip(people, combinations, strict=True)
        for source, level in levels.items()
        if level is not None
    ]
    Evidence.objects.bulk_create(rows)
    chosen = _round_estimates_sql(campaign.pk)
    for person, levels in zip(people, combinations, strict=True):
        source = expected(levels)
        assert source is not None
        assert chosen[person.pk] == (source, levels[source]), levels


def test_the_sql_ordering_follows_the_latest_of_two_leader_ratings_and_the_frameworks_cap(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    competence = Competence.objects.get(framework=team.framework, code="DS1")
    first, second, third = _people(team, 3)
    day = timezone.localdate()

    def add(person: Person, source: str, level: int, days_ago: int = 0) -> None:
        Evidence.objects.create(
            organisation=team.organisation,
            person=person,
            competence=competence,
            source=source,
            level=level,
            observed_on=day - dt.timedelta(days=days_ago),
            campaign=campaign,
        )

    # Two leaders rated the first person: an earlier 4 and a later 2. The latest leader rating counts,
    # so inside the band the test decides, as the per-person estimate does.
    add(first, "leader", 4, days_ago=3)
    add(first, "leader", 2)
    add(first, "test", 3)
    # The later one is above the cap: it decides.
    add(second, "leader", 2, days_ago=3)
    add(second, "leader", 4)
    add(second, "test", 1)
    # With the framework's cap at 2, a leader's 3 is above it.
    add(third, "leader", 3)
    add(third, "test", 2)
    assert _round_estimates_sql(campaign.pk)[first.pk] == ("test", 3)
    assert _round_estimates_sql(campaign.pk)[second.pk] == ("leader", 4)
    assert _round_estimates_sql(campaign.pk)[third.pk] == ("test", 2)
    FrameworkTestPolicy.objects.create(
        organisation=team.organisation, framework=team.framework, knowledge_cap=2
    )
    assert _round_estimates_sql(campaign.pk)[third.pk] == ("leader", 3)
    for person in (first, second, third):
        services.estimates_recompute(person_id=person.pk, competence_ids=[competence.pk])
        estimate = CompetenceEstimate.objects.get(person=person, competence=competence)
        assert _round_estimates_sql(campaign.pk)[person.pk] == (estimate.source, estimate.level)


EVIDENCE = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),  # person index
        st.sampled_from(list(EvidenceSource.values)),
        st.integers(min_value=1, max_value=4),
        st.integers(min_value=0, max_value=40),  # days ago
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=EVIDENCE)
def test_the_rounds_sql_estimate_equals_the_per_person_rule_applied_to_the_round(
    team: Team, make_campaign: Callable[..., Campaign], rows: list[tuple[int, str, int, int]]
) -> None:
    Evidence.objects.all().delete()
    campaign = Campaign.objects.filter(organisation=team.organisation).first() or make_campaign(
        instruments=(Instrument.SELF,)
    )
    competence = Competence.objects.get(framework=team.framework, code="DS3")
    today = timezone.localdate()
    for person_index, source, level, days_ago in rows:
        Evidence.objects.create(
            organisation=team.organisation,
            person=team.members[person_index],
            competence=competence,
            source=source,
            level=min(level, CAP) if source == EvidenceSource.TEST else level,
            observed_on=today - dt.timedelta(days=days_ago),
            campaign=campaign,
        )
    by_sql = _round_estimates_sql(campaign.pk)
    for person_index in {row[0] for row in rows}:
        person = team.members[person_index]
        services.estimates_recompute(person_id=person.pk, competence_ids=[competence.pk], today=today)
        estimate = CompetenceEstimate.objects.get(person=person, competence=competence)
        assert by_sql[person.pk] == (estimate.source, estimate.level)
