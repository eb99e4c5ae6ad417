"""Published rows: what a closed round's block rows hold, checked against a plain-Python reading of the
rule (docs/decisions/0010), and republishing giving the very same rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fagdigital.analytics import services
from fagdigital.analytics.models import Rollup
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.helpers import ROLE, add_people, answer, close, competences_of
from fagdigital.assessments import evidence_rule
from fagdigital.assessments.models import Campaign, Evidence, Participant
from fagdigital.orgs.models import Person
from fagdigital.privacy.models import PartitionCell

pytestmark = pytest.mark.django_db

K = 5
FIELDS = (
    "source",
    "block",
    "unit_path",
    "direct_only",
    "role_profile_code",
    "competence_id",
    "people",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
)


def rows_of(campaign: Campaign) -> set[tuple[Any, ...]]:
    return set(Rollup.objects.filter(campaign=campaign).values_list(*FIELDS))


def expected_rows(campaign: Campaign) -> set[tuple[Any, ...]]:
    """The rule read plainly: per block, competence and source, the people with a level, published when
    at least k have one and (single sources only) the groups by which sources people have and which one
    their estimate reads (the evidence rule) are one group or all at least k."""
    block_of = {
        (cell.unit_path, cell.role_code): cell
        for cell in PartitionCell.objects.filter(partition__key=f"campaign:{campaign.pk}")
    }
    person_block = {}
    for person_id, path, role in Participant.objects.filter(campaign=campaign).values_list(
        "person_id", "unit_path", "role_profile_code"
    ):
        cell = block_of[(path, role)]
        if cell.block:
            person_block[person_id] = cell
    latest: dict[tuple[int, int, str], tuple[Any, ...]] = {}
    for row in Evidence.objects.filter(campaign=campaign).values_list(
        "person_id", "competence_id", "source", "level", "observed_on", "pk"
    ):
        key = row[:3]
        if key not in latest or row[4:] > latest[key][4:]:
            latest[key] = row
    levels: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for (person_id, competence_id, source), row in latest.items():
        levels[(person_id, competence_id)][source] = row[3]
    people: dict[tuple[int, int, str], list[int]] = defaultdict(list)  # (block, competence, source)
    patterns: dict[tuple[int, int], dict[frozenset[str], int]] = defaultdict(lambda: defaultdict(int))
    home = {}
    for (person_id, competence_id), by_source in levels.items():
        cell = person_block.get(person_id)
        if cell is None:
            continue
        home[cell.block] = cell
        for source, level in by_source.items():
            people[(cell.block, competence_id, source)].append(level)
        candidates = {
            s: evidence_rule.Candidate(0, level, campaign.closes_on) for s, level in by_source.items()
        }
        best = evidence_rule.choose(candidates, evidence_rule.DEFAULT_KNOWLEDGE_CAP)
        assert best is not None
        people[(cell.block, competence_id, "estimate")].append(by_source[best])
        patterns[(cell.block, competence_id)][frozenset(by_source) | {f"→{best}"}] += 1
    result = set()
    for (block, competence_id, source), found in people.items():
        if len(found) < K:
            continue
        sizes = list(patterns[(block, competence_id)].values())
        if source != "estimate" and len(sizes) > 1 and min(sizes) < K:
            continue
        cell = home[block]
        result.add(
            (
                source,
                block,
                cell.home_path,
                cell.direct_only,
                cell.role_code,
                competence_id,
                len(found),
                found.count(1),
                found.count(2),
                found.count(3),
                sum(1 for level in found if level >= 4),
            )
        )
    return result


LEVEL = st.sampled_from([None, 1, 2, 3, 4])  # None: "ved ikke"
ANSWERS = st.lists(LEVEL, min_size=3, max_size=3)
PEOPLE = st.lists(
    st.tuples(ANSWERS, st.one_of(st.none(), ANSWERS)),  # own answers, the leader's rating (if any)
    min_size=11,
    max_size=11,
)
# Everyone answers; the leader rates two of Nord's six: the self-assessment and the rating are then not
# published (two people's ratings would be "estimate minus self"), the estimate is.
TWO_RATED = [([3, 3, 3], [1, 1, 1] if index < 2 else None) for index in range(11)]


@pytest.fixture
def syd(team: Team) -> list[Person]:
    """Syd gets four more SOSU assistants: two blocks (Nord's seven, Syd's five)."""
    return add_people(team, team.other_unit, 4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=PEOPLE)
@example(people=TWO_RATED)
def test_published_rows_follow_the_rule_and_republishing_gives_the_same_rows(
    team: Team,
    syd: list[Person],
    make_campaign: Callable[..., Campaign],
    people: list[tuple[list[int | None], list[int | None] | None]],
) -> None:
    campaign = make_campaign()
    competences = competences_of(campaign)[:3]
    persons = [*team.members, team.outsider, *syd]
    for person, (own, rated) in zip(persons, people, strict=True):
        answer(campaign, person, dict(zip(competences, own, strict=True)).get)
        if rated is not None and person in team.members:
            answer(campaign, person, dict(zip(competences, rated, strict=True)).get, rater=team.leader)
    assert not Rollup.objects.filter(campaign=campaign).exists(), "an open round publishes nothing"
    close(campaign)
    published = rows_of(campaign)
    assert published == expected_rows(campaign)
    assert all(row[6] >= K for row in published)
    services.rollups_rebuild(organisation_id=team.organisation.pk)
    assert rows_of(campaign) == published
    assert services.round_publish(campaign_id=campaign.pk) == len(published)
    assert rows_of(campaign) == published


def test_a_row_counts_the_levels_of_a_whole_block(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    first = competences_of(campaign)[0]
    levels = [1, 2, 3, 4, 2, None]  # the sixth answers "ved ikke"
    for person, level in zip(team.members, levels, strict=True):
        answer(campaign, person, {first: level}.get)
    answer(campaign, team.outsider, {first: 4}.get)
    close(campaign)
    (row,) = Rollup.objects.filter(campaign=campaign, source="self", competence_id=first)
    assert (row.unit_path, row.role_profile_code, row.direct_only) == (team.unit.path, ROLE, True)
    assert (row.people, row.level_1, row.level_2, row.level_3, row.level_4) == (5, 1, 2, 1, 1)
    estimate = Rollup.objects.get(campaign=campaign, source="estimate", competence_id=first)
    assert (estimate.people, estimate.block) == (5, row.block)
    # Syd's one person is in no block: no row anywhere counts the level 4 they gave.
    assert Rollup.objects.filter(campaign=campaign).count() == 2
    assert not Rollup.objects.filter(campaign=campaign, unit_path__startswith=team.other_unit.path).exists()


def test_four_answers_in_a_block_of_seven_publish_nothing(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    for person in team.members[:4]:
        answer(campaign, person, 3)
    close(campaign)
    assert not Rollup.objects.filter(campaign=campaign).exists()
