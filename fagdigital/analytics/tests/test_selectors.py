"""The heatmap and its companions: sums of published blocks, each row saying whom its figures cover."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.http import Http404

from fagdigital.analytics import selectors
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.helpers import (
    NURSE,
    ROLE,
    add_people,
    answer,
    answer_team,
    close,
    competences_of,
)
from fagdigital.assessments.models import Campaign
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import Competence, RoleProfile, RoleTarget
from fagdigital.frameworks.services import framework_new_version, framework_publish, role_target_set
from fagdigital.tenancy.actor import Actor

pytestmark = pytest.mark.django_db

Missing = selectors.Missing


def admin(team: Team) -> Actor:
    return actor_for(team.admin, team.organisation)


def column(view: selectors.Heatmap, competence_id: int) -> int:
    return [c.pk for c in view.competences].index(competence_id)


def by_label(view: selectors.Heatmap) -> dict[str, selectors.HeatRow]:
    return {row.label: row for row in view.rows}


def cover(row: selectors.HeatRow) -> tuple[int, int]:
    return (row.coverage.covered, row.coverage.participants)


# --- What a unit shows ---------------------------------------------------------------------------


def test_a_unit_shows_its_blocks_and_the_lone_person_is_in_no_figure(
    team: Team, make_campaign: Callable[..., Campaign], django_assert_num_queries: Any
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    close(campaign)
    filters = selectors.Filters(campaign=campaign, source="self")
    actor = admin(team)
    cache.clear()
    # The version's competences and targets, its areas, columns and role profiles, the rollup version
    # (the cache key), the grouped rows, the blocks, the child units and which of them have children:
    # a fixed number, whatever the size of the tree.
    with django_assert_num_queries(10):
        view = selectors.heatmap(actor=actor, unit=team.root, filters=filters)
    # Cached under the rollup version: the grouped rows and the blocks are not read again.
    with django_assert_num_queries(8):
        assert selectors.heatmap(actor=actor, unit=team.root, filters=filters) == view
    rows = by_label(view)
    assert list(rows) == ["Kommunen", "Hjemmeplejen Nord", "Hjemmeplejen Syd"]
    index = column(view, competences_of(campaign)[0])
    total, nord, syd = (rows[name].cells[index] for name in rows)
    # Nord's block: six of its seven answered at level 4. Syd's one person is alone with the role
    # profile outside Nord, so is in no block: Kommunen's figure is Nord's, and nothing can be subtracted.
    assert (total.people, total.at_target, total.share, total.missing) == (6, 6, 100, "")
    assert (nord.people, nord.at_target) == (6, 6)
    assert (syd.people, syd.at_target, syd.share, syd.missing) == (None, None, None, Missing.GROUPED)
    assert syd.hidden
    assert [cover(rows[name]) for name in rows] == [(7, 8), (7, 7), (0, 1)]
    # A competence nobody has a target in: no figure, and nothing hidden either.
    untargeted = next(c for c in view.competences if c.pk not in competences_of(campaign))
    assert rows["Kommunen"].cells[column(view, untargeted.pk)].missing == Missing.NOBODY


def test_a_passed_up_role_group_leaves_the_others_with_their_coverage_and_an_across_row(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    """Three nurses in each unit are too few in either: together they form a block in Kommunen."""
    nurses = add_people(team, team.unit, 3, NURSE) + add_people(team, team.other_unit, 3, NURSE)
    syd = add_people(team, team.other_unit, 4)
    campaign = make_campaign()
    answer_team(team, campaign)
    for person in syd:
        answer(campaign, person, 2)
    for person in nurses:
        answer(campaign, person, 1, role_code=NURSE)
    close(campaign)
    shared = competences_of(campaign)[0]
    assert shared in competences_of(campaign, NURSE)

    view = selectors.heatmap(
        actor=admin(team), unit=team.root, filters=selectors.Filters(campaign=campaign, source="self")
    )
    rows = by_label(view)
    assert list(rows) == [
        "Kommunen",
        "Hjemmeplejen Nord",
        "Hjemmeplejen Syd",
        "Samlet på tværs af underenhederne",
    ]
    index = column(view, shared)
    people = {name: rows[name].cells[index].people for name in rows}
    assert people == {
        "Kommunen": 17,
        "Hjemmeplejen Nord": 6,  # the SOSU assistants only: Nord's three nurses are counted across
        "Hjemmeplejen Syd": 5,
        "Samlet på tværs af underenhederne": 6,
    }
    # The parts add up to the whole, figure by figure.
    for cell_index in range(len(view.competences)):
        parts = [row.cells[cell_index] for row in view.rows[1:]]
        whole = view.rows[0].cells[cell_index]
        assert (whole.people or 0) == sum(c.people or 0 for c in parts)
        assert (whole.at_target or 0) == sum(c.at_target or 0 for c in parts)
    assert {name: cover(rows[name]) for name in rows} == {
        "Kommunen": (18, 18),
        "Hjemmeplejen Nord": (7, 10),
        "Hjemmeplejen Syd": (5, 8),
        "Samlet på tværs af underenhederne": (6, 6),
    }
    # Nord on its own page: the same figure, saying it covers seven of its ten.
    nord = selectors.heatmap(
        actor=admin(team), unit=team.unit, filters=selectors.Filters(campaign=campaign, source="self")
    )
    assert nord.rows[0].cells[index].people == 6
    assert cover(nord.rows[0]) == (7, 10)
    # Filtered on nurses, Nord has none in a figure of its own.
    nurse_view = selectors.heatmap(
        actor=admin(team),
        unit=team.root,
        filters=selectors.Filters(campaign=campaign, source="self", role_profile_code=NURSE),
    )
    nurse_rows = by_label(nurse_view)
    assert nurse_rows["Kommunen"].cells[index].people == 6
    assert nurse_rows["Hjemmeplejen Nord"].cells[index].missing == Missing.GROUPED
    assert cover(nurse_rows["Hjemmeplejen Nord"]) == (0, 3)
    assert nurse_rows["Samlet på tværs af underenhederne"].cells[index].people == 6


@pytest.mark.parametrize(("direct", "across"), [(2, None), (4, 5)])
def test_people_placed_directly_in_a_unit_with_children_are_never_a_figure_below_k(
    team: Team, make_campaign: Callable[..., Campaign], direct: int, across: int | None
) -> None:
    """Two (or four) SOSU assistants placed in Kommunen itself: with Syd's one they pass up (three: in
    no figure) or form one block with Syd's person (five): never a "placed directly" figure."""
    placed = add_people(team, team.root, direct)
    campaign = make_campaign()
    answer_team(team, campaign)
    for person in placed:
        answer(campaign, person, 1)
    close(campaign)
    view = selectors.heatmap(
        actor=admin(team), unit=team.root, filters=selectors.Filters(campaign=campaign, source="self")
    )
    rows = by_label(view)
    index = column(view, competences_of(campaign)[0])
    direct_row = rows["Placeret direkte i Kommunen"]
    assert direct_row.cells[index].people is None
    assert direct_row.cells[index].missing == Missing.GROUPED
    assert all(cell.people is None for cell in direct_row.cells)
    assert cover(direct_row) == (0, direct)
    across_row = rows.get("Samlet på tværs af underenhederne")
    if across is None:
        assert across_row is None
        assert rows["Kommunen"].cells[index].people == rows["Hjemmeplejen Nord"].cells[index].people == 6
    else:
        assert across_row is not None
        assert across_row.cells[index].people == across
        assert cover(across_row) == (across, across)
        assert rows["Kommunen"].cells[index].people == 6 + across
        assert rows["Hjemmeplejen Syd"].cells[index].missing == Missing.GROUPED


def test_k_people_placed_directly_with_no_one_passed_up_are_a_figure_of_their_own(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    nurses = add_people(team, team.root, 5, NURSE)
    campaign = make_campaign()
    answer_team(team, campaign)
    for person in nurses:
        answer(campaign, person, 3, role_code=NURSE)
    close(campaign)
    view = selectors.heatmap(
        actor=admin(team), unit=team.root, filters=selectors.Filters(campaign=campaign, source="self")
    )
    rows = by_label(view)
    index = column(view, competences_of(campaign)[0])
    assert rows["Placeret direkte i Kommunen"].cells[index].people == 5
    assert cover(rows["Placeret direkte i Kommunen"]) == (5, 5)
    assert rows["Kommunen"].cells[index].people == 11


def test_role_profiles_as_rows_cover_each_profiles_blocks(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    nurses = add_people(team, team.unit, 5, NURSE)
    campaign = make_campaign()
    answer_team(team, campaign)
    for person in nurses:
        answer(campaign, person, 1, role_code=NURSE)
    close(campaign)
    view = selectors.heatmap(
        actor=admin(team),
        unit=None,
        filters=selectors.Filters(campaign=campaign, source="self", rows="roles"),
    )
    names = {rp.code: rp.t("name") for rp in RoleProfile.objects.filter(framework=team.framework)}
    rows = by_label(view)
    assert list(rows) == [team.organisation.name, names[ROLE], names[NURSE]]
    assert [cover(row) for row in view.rows] == [(12, 13), (7, 8), (5, 5)]
    index = column(view, competences_of(campaign)[0])
    assert rows[names[ROLE]].cells[index].people == 6
    assert rows[names[NURSE]].cells[index].people == 5
    assert rows[team.organisation.name].cells[index].people == 11
    # A role profile nobody has: no rows but the total, and it has nobody.
    teachers = selectors.heatmap(
        actor=admin(team),
        unit=None,
        filters=selectors.Filters(campaign=campaign, source="self", rows="roles", role_profile_code="laerer"),
    )
    assert len(teachers.rows) == 1
    assert {cell.missing for cell in teachers.rows[0].cells} == {Missing.NOBODY}


# --- Rounds: open, closed, current level ---------------------------------------------------------


def test_an_open_round_shows_nothing_and_its_figures_appear_when_it_closes(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    actor = admin(team)
    assert selectors.dashboard_campaigns(actor=actor) == []
    with pytest.raises(Http404):
        selectors.get_dashboard_campaign_for_user(actor=actor, campaign_id=campaign.pk)
    current = selectors.heatmap(actor=actor, unit=team.root, filters=selectors.Filters())
    assert current.basis.campaign is None
    assert current.rows == []
    # Even asked for directly, an open round's figures are not there.
    asked = selectors.heatmap(actor=actor, unit=team.root, filters=selectors.Filters(campaign=campaign))
    assert all(cell.people is None for row in asked.rows for cell in row.cells)

    close(campaign)
    assert selectors.dashboard_campaigns(actor=actor) == [campaign]
    current = selectors.heatmap(actor=actor, unit=team.root, filters=selectors.Filters())
    assert current.basis.campaign == campaign
    assert current.basis.current
    index = column(current, competences_of(campaign)[0])
    assert current.rows[0].cells[index].people == 6


def test_current_level_reads_the_latest_closed_round_against_the_published_version(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    older = make_campaign(name="Forår")
    for person in team.members:
        answer(older, person, 1)
    close(older)
    campaign = make_campaign(name="Efterår")
    competence = Competence.objects.get(framework=team.framework, code="DS1")
    target = RoleTarget.objects.get(
        role_profile__framework=team.framework, role_profile__code=ROLE, competence=competence
    )
    assert target.level == 2
    for person in team.members:
        answer(campaign, person, 2)  # exactly at the target
    close(campaign)
    actor = admin(team)
    before = selectors.heatmap(actor=actor, unit=None, filters=selectors.Filters())
    assert before.basis.campaign == campaign  # the latest closed round, not the older one
    cell = before.rows[0].cells[column(before, competence.pk)]
    assert (cell.people, cell.at_target, cell.share) == (6, 6, 100)

    # A new version raises the SOSU assistants' target in DS1 to 3 and is published.
    draft = framework_new_version(framework=team.framework)
    role_target_set(
        role_profile=RoleProfile.objects.get(framework=draft, code=ROLE),
        competence=Competence.objects.get(framework=draft, code="DS1"),
        level=3,
        criticality=target.criticality,
    )
    published = framework_publish(framework=draft)

    after = selectors.heatmap(actor=actor, unit=None, filters=selectors.Filters())
    assert after.basis.framework == published
    assert after.basis.campaign == campaign
    assert after.framework is not None and after.framework.version == 2
    moved = Competence.objects.get(framework=published, code="DS1")
    cell = after.rows[0].cells[column(after, moved.pk)]
    assert (cell.people, cell.at_target, cell.share) == (6, 0, 0)
    # Every other competence reads as before: the same people against unchanged targets.
    unchanged = {
        c.competence.code: (c.people, c.at_target) for c in before.rows[0].cells if c.competence.code != "DS1"
    }
    assert unchanged == {
        c.competence.code: (c.people, c.at_target) for c in after.rows[0].cells if c.competence.code != "DS1"
    }
    # The round itself still reads against its own version's targets.
    own = selectors.heatmap(actor=actor, unit=None, filters=selectors.Filters(campaign=campaign))
    assert own.rows[0].cells[column(own, competence.pk)].at_target == 6


def test_the_trend_has_a_point_per_closed_round_against_its_own_targets(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    first = make_campaign(name="Forår")
    for person in team.members:
        answer(first, person, 1)
    close(first)
    second = make_campaign(name="Efterår")
    for person in team.members[:3]:
        answer(second, person, 1)
    for person in team.members[3:]:
        answer(second, person, 3)
    close(second)
    running = make_campaign(name="Næste")
    answer_team(team, running)
    rows = selectors.trend(actor=admin(team), unit=team.unit, filters=selectors.Filters(source="self"))
    ds1 = next(row for row in rows if row.competence.code == "DS1")
    assert [(p.label, p.people, p.share) for p in ds1.points] == [("Forår", 6, 0), ("Efterår", 6, 50)]


def test_distributions_and_gaps_sum_the_same_blocks(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    for index, person in enumerate(team.members):
        answer(campaign, person, 1 + index % 4)  # levels 1, 2, 3, 4, 1, 2
    answer(campaign, team.outsider, 4)
    close(campaign)
    filters = selectors.Filters(campaign=campaign, source="self")
    actor = admin(team)
    ds1 = Competence.objects.get(framework=team.framework, code="DS1")
    distributions = {
        d.competence.code: d for d in selectors.distributions(actor=actor, unit=team.root, filters=filters)
    }
    assert (distributions["DS1"].people, distributions["DS1"].levels) == (6, [2, 2, 1, 1])
    assert distributions["DL1"].hidden  # nobody here has a level in it
    heat = selectors.heatmap(actor=actor, unit=team.root, filters=filters)
    cell = heat.rows[0].cells[column(heat, ds1.pk)]
    assert (cell.people, cell.at_target) == (6, 4)  # target 2: levels 2, 3, 4, 2
    gaps = selectors.top_gaps(actor=actor, unit=team.root, filters=filters)
    assert gaps
    assert [g.score for g in gaps] == sorted((g.score for g in gaps), reverse=True)
    assert all(g.score == g.gap_levels * g.weight for g in gaps)
    gap = next(g for g in gaps if g.competence.code == "DS1")
    assert (gap.people_below, gap.people, gap.gap_levels) == (2, 6, 2)


def test_calibration_compares_sources_only_where_both_are_published(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    for person in team.members:
        answer(campaign, person, 4)
        answer(campaign, person, 2, rater=team.leader)
    close(campaign)
    rows = selectors.calibration(
        actor=admin(team), unit=team.unit, filters=selectors.Filters(campaign=campaign)
    )
    ds1 = next(row for row in rows if row.competence.code == "DS1")
    assert (ds1.self_mean, ds1.leader_mean, ds1.test_mean, ds1.flagged) == (4.0, 2.0, None, True)

    partly = make_campaign(name="Kun to vurderet")
    for index, person in enumerate(team.members):
        answer(partly, person, 4)
        if index < 2:
            answer(partly, person, 2, rater=team.leader)
    close(partly)
    assert (
        selectors.calibration(actor=admin(team), unit=team.unit, filters=selectors.Filters(campaign=partly))
        == []
    )


# --- Who may look -----------------------------------------------------------------------------------


def test_a_leader_sees_only_their_own_units(team: Team) -> None:
    actor = actor_for(team.leader, team.organisation)
    assert selectors.dashboard_roots(actor=actor) == [team.unit]
    with pytest.raises(Http404):
        selectors.get_dashboard_unit_for_user(actor=actor, unit_id=team.other_unit.pk)
    with pytest.raises(Http404):
        selectors.get_dashboard_unit_for_user(actor=actor, unit_id=team.root.pk)
    assert selectors.get_dashboard_unit_for_user(actor=actor, unit_id=team.unit.pk) == team.unit
