"""Publishing a round's figures: only when it closes, as whole blocks, never changed by later events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fagdigital.analytics import selectors, services
from fagdigital.analytics.models import Rollup, RollupVersion
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.helpers import (
    ROLE,
    add_people,
    answer,
    answer_team,
    close,
    competences_of,
)
from fagdigital.assessments.models import Campaign, Instrument
from fagdigital.conftest import actor_for
from fagdigital.orgs.models import Engagement
from fagdigital.privacy.models import Partition, PartitionCell
from fagdigital.privacy.services import organisation_min_group_size_set

pytestmark = pytest.mark.django_db

FIELDS = (
    "source",
    "block",
    "unit_path",
    "competence_id",
    "people",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
)


def rows_of(campaign: Campaign) -> set[tuple[Any, ...]]:
    return set(Rollup.objects.filter(campaign=campaign).values_list(*FIELDS))


def version(team: Team) -> int:
    return (
        RollupVersion.objects.filter(pk=team.organisation.pk).values_list("version", flat=True).first() or 0
    )


def test_an_open_round_publishes_nothing_and_closing_publishes_it(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    assert not Rollup.objects.filter(campaign=campaign).exists()
    # Publishing an open round on purpose publishes nothing either.
    assert services.round_publish(campaign_id=campaign.pk) == 0
    assert not Rollup.objects.filter(campaign=campaign).exists()
    before = version(team)

    close(campaign)  # assessments' closing service calls analytics through CAMPAIGN_CLOSED_HANDLERS

    rows = Rollup.objects.filter(campaign=campaign)
    competences = competences_of(campaign)
    # Nord's block (seven participants, six answered at level 4) for every competence, self and estimate.
    assert {(r.source, r.unit_path, r.role_profile_code, r.people, r.level_4) for r in rows} == {
        ("self", team.unit.path, ROLE, 6, 6),
        ("estimate", team.unit.path, ROLE, 6, 6),
    }
    assert rows.count() == 2 * len(competences)
    assert version(team) > before, "cached dashboard figures are invalidated in the same transaction"
    partition = Partition.objects.get(key=f"campaign:{campaign.pk}")
    assert partition.k == 5
    assert set(
        PartitionCell.objects.filter(partition=partition).values_list("unit_path", "people", "block")
    ) == {
        (team.unit.path, 7, 1),
        (team.other_unit.path, 1, 0),  # Syd's one person: in no block
    }


def test_a_chiefs_survey_round_publishes_no_rows(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign(instruments=(Instrument.CHIEFS,), units=[])
    close(campaign)
    assert services.round_publish(campaign_id=campaign.pk) == 0
    assert not Rollup.objects.filter(campaign=campaign).exists()


def test_mixed_source_groups_publish_only_the_estimate(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    """The leader rated two of the six: "estimate minus self" over the block would be those two's
    ratings, so neither the self-assessments nor the ratings are published, the estimate is."""
    campaign = make_campaign()
    for index, person in enumerate(team.members):
        answer(campaign, person, 4)
        if index < 2:
            answer(campaign, person, 1, rater=team.leader)
    close(campaign)
    competences = competences_of(campaign)
    rows = Rollup.objects.filter(campaign=campaign)
    assert set(rows.values_list("source", flat=True)) == {"estimate"}
    assert rows.count() == len(competences)
    # The estimate takes the leader's rating before the self-assessment.
    assert {(r.people, r.level_1, r.level_4) for r in rows} == {(6, 2, 4)}

    actor = actor_for(team.admin, team.organisation)
    for source in ("self", "leader"):
        view = selectors.heatmap(
            actor=actor, unit=team.unit, filters=selectors.Filters(campaign=campaign, source=source)
        )
        targeted = [cell for cell in view.rows[0].cells if cell.competence.pk in competences]
        assert targeted
        assert all(cell.people is None and cell.missing == selectors.Missing.FEW for cell in targeted)
    estimate = selectors.heatmap(actor=actor, unit=team.unit, filters=selectors.Filters(campaign=campaign))
    assert {cell.people for cell in estimate.rows[0].cells if cell.competence.pk in competences} == {6}


def test_one_group_of_sources_publishes_every_source(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    for person in team.members:
        answer(campaign, person, 4)
        answer(campaign, person, 2, rater=team.leader)
    close(campaign)
    rows = Rollup.objects.filter(campaign=campaign)
    assert set(rows.values_list("source", "people", "level_2", "level_4")) == {
        ("self", 6, 0, 6),
        ("leader", 6, 6, 0),
        ("estimate", 6, 6, 0),
    }


def test_raising_k_after_publishing_leaves_out_smaller_blocks(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    syd = add_people(team, team.other_unit, 4)  # Syd: five participants, a block of its own
    campaign = make_campaign()
    answer_team(team, campaign)
    for person in syd:
        answer(campaign, person, 2)
    close(campaign)
    actor = actor_for(team.admin, team.organisation)
    filters = selectors.Filters(campaign=campaign, source="self")
    column = competences_of(campaign)[0]

    def figures() -> dict[str, tuple[int | None, str]]:
        view = selectors.heatmap(actor=actor, unit=team.root, filters=filters)
        index = [c.pk for c in view.competences].index(column)
        return {row.label: (row.cells[index].people, row.cells[index].missing) for row in view.rows}

    assert figures() == {"Kommunen": (11, ""), "Hjemmeplejen Nord": (6, ""), "Hjemmeplejen Syd": (5, "")}

    organisation_min_group_size_set(organisation=team.organisation, size=6)
    assert figures() == {
        "Kommunen": (6, ""),
        "Hjemmeplejen Nord": (6, ""),
        # Syd's block of 5 is below the new k: its people are in no figure of Syd's any more.
        "Hjemmeplejen Syd": (None, selectors.Missing.GROUPED),
    }
    # Republishing keeps the blocks formed at closing and applies the higher k.
    services.rollups_rebuild(organisation_id=team.organisation.pk)
    assert Partition.objects.get(key=f"campaign:{campaign.pk}").k == 5
    assert set(Rollup.objects.filter(campaign=campaign).values_list("unit_path", flat=True)) == {
        team.unit.path
    }
    assert min(Rollup.objects.filter(campaign=campaign).values_list("people", flat=True)) == 6

    organisation_min_group_size_set(organisation=team.organisation, size=7)
    # Nord's block has 7 participants but 6 answers: covered, with too few answers for k = 7.
    assert figures()["Kommunen"] == (None, selectors.Missing.FEW)


def test_a_move_after_closing_changes_no_published_figure(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    close(campaign)
    published = rows_of(campaign)
    actor = actor_for(team.admin, team.organisation)

    def shown() -> list[list[tuple[int | None, int | None, str]]]:
        view = selectors.heatmap(actor=actor, unit=team.root, filters=selectors.Filters())
        return [[(c.people, c.at_target, c.missing) for c in row.cells] for row in view.rows]

    current = shown()
    assert any(people for row in current for people, _at, _missing in row)
    # One of Nord's people moves to Syd; the round's blocks and rows were fixed when it closed.
    Engagement.objects.filter(person=team.members[0]).update(unit=team.other_unit)
    services.rollups_rebuild(organisation_id=team.organisation.pk)
    assert rows_of(campaign) == published
    assert shown() == current
