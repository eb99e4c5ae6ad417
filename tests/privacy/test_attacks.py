"""One test per attack of issue 9: each builds its layout through the services, reads what a reader can
get, checks that the pages show exactly what the oracle derives, and that no combination determines a
group of fewer than k people (exact rank over the rationals)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.core.exceptions import ValidationError

from fagdigital.accounts.models import User
from fagdigital.analytics import selectors
from fagdigital.analytics.models import Rollup
from fagdigital.analytics.services import rollups_rebuild
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Instrument, Visibility
from fagdigital.conftest import actor_for
from fagdigital.orgs.models import OrgUnit
from fagdigital.privacy.services import organisation_min_group_size_set
from fagdigital.tenancy.models import Organisation
from fagdigital.tenancy.services import network_ensure, network_member_sharing_set

from . import layouts, oracle
from .disclosure import LEVELS, check, in_span

pytestmark = pytest.mark.django_db


def assert_view_is_shown_and_safe(view: oracle.View, shown: dict[oracle.Key, dict[str, int]], k: int) -> None:
    for key, values in view.values.items():
        page = shown.get(key, {})
        if values["with_target"]:
            assert (page.get("with_target"), page.get("at_target")) == (
                values["with_target"],
                values["at_target"],
            ), key
        if key[1] == oracle.TOTAL:
            assert page.get("people") == values["people"], key
            assert [page.get(f"level_{n}") for n in LEVELS] == [values[f"level_{n}"] for n in LEVELS], key
    extra = {key for key, values in shown.items() if key not in view.values and values.get("with_target")}
    assert not extra, f"figures the rule does not publish: {sorted(extra, key=repr)[:5]}"
    result = check(view.rows, k=k, targets=view.targets, sizes=view.sizes)
    assert result.disclosures == [], result.disclosures[:5]


def all_units(layout: layouts.Layout) -> list[OrgUnit | None]:
    return [None, *layout.units.values()]


def test_the_whole_unit_by_role_table_determines_nobody(organisation: Organisation) -> None:
    # Three people placed directly in the top unit, one per role profile, above two departments: two role
    # totals minus one department's total used to give the two directly placed people exactly.
    people = [
        ("dx", "Top", "sosu-hjaelper"),
        ("dy", "Top", "sosu-assistent"),
        ("dz", "Top", "sygeplejerske"),
        *[(f"x{i}", "D1", "sosu-hjaelper") for i in range(6)],
        *[(f"y{i}", "D1", "sosu-assistent") for i in range(6)],
        *[(f"z{i}", "D2", "sygeplejerske") for i in range(6)],
    ]
    layout = layouts.build(organisation, units=[("Top", None), ("D1", "Top"), ("D2", "Top")], people=people)
    campaign = layouts.open_round(layout)
    layouts.answer_self(layout, campaign, [p[0] for p in people], layouts.random_levels(1))
    layouts.close(campaign)
    rnd = oracle.load_round(campaign)
    view = oracle.view_of(rnd, roots=None, targets_framework=layout.framework, family="r1")
    shown = oracle.shown(layout.actor(layout.admin), campaign, all_units(layout))
    assert_view_is_shown_and_safe(view, shown, rnd.k)
    # The two directly placed people are too few with their role profiles anywhere: they are in no figure.
    for name in ("dx", "dy"):
        assert view.groups_of(layout.people[name].pk) == []


def test_an_open_round_shows_nothing_and_a_closed_one_never_changes(organisation: Organisation) -> None:
    names = [f"p{i}" for i in range(7)]
    layout = layouts.build(
        organisation, units=[("Team", None)], people=[(n, "Team", "sosu-hjaelper") for n in names]
    )
    campaign = layouts.open_round(layout)
    actor = layout.actor(layout.admin)
    layouts.answer_self(layout, campaign, names[:6], layouts.random_levels(2))
    before = oracle.shown(actor, campaign, all_units(layout), sources=("estimate",))
    layouts.answer_self(layout, campaign, names[6:], layouts.random_levels(2))
    after = oracle.shown(actor, campaign, all_units(layout), sources=("estimate",))
    # Nothing of an open round is shown, before or after one more person answered.
    assert before == after == {}
    assert campaign not in selectors.dashboard_campaigns(actor=actor)
    assert not Rollup.objects.filter(campaign=campaign).exists()
    layouts.close(campaign)
    published = sorted(
        Rollup.objects.filter(campaign=campaign).values_list(
            "block", "source", "competence_id", "people", "level_1", "level_2", "level_3", "level_4"
        )
    )
    assert published
    shown = oracle.shown(actor, campaign, all_units(layout), sources=("estimate",))
    # No one can answer after the close, and publishing again gives the same figures.
    with pytest.raises(ValidationError):
        layouts.answer_self(layout, campaign, names[:1], layouts.random_levels(3))
    rollups_rebuild(organisation_id=organisation.pk)
    assert published == sorted(
        Rollup.objects.filter(campaign=campaign).values_list(
            "block", "source", "competence_id", "people", "level_1", "level_2", "level_3", "level_4"
        )
    )
    assert shown == oracle.shown(actor, campaign, all_units(layout), sources=("estimate",))


def test_estimate_minus_self_does_not_give_the_one_rated_persons_self_assessment(
    organisation: Organisation,
) -> None:
    names = [f"p{i}" for i in range(7)]
    layout = layouts.build(
        organisation,
        units=[("Team", None)],
        people=[*[(n, "Team", "sosu-hjaelper") for n in names], ("boss", "Team", "leder")],
        leaders=[("Team", "boss")],
    )
    campaign = layouts.open_round(
        layout, visibility=Visibility.DEVELOPMENT, instruments=(Instrument.SELF, Instrument.LEADER)
    )
    layouts.answer_self(layout, campaign, names, layouts.random_levels(4))
    layouts.rate(layout, campaign, layout.leaders["Team"], names[:1], layouts.random_levels(5))
    layouts.close(campaign)
    rnd = oracle.load_round(campaign)
    view = oracle.view_of(rnd, roots=None, targets_framework=layout.framework, family="r1")
    shown = oracle.shown(layout.actor(layout.admin), campaign, all_units(layout))
    assert_view_is_shown_and_safe(view, shown, rnd.k)
    # The leader knows their own rating; even with it, p0's self-assessment is not determined.
    p0 = layout.people["p0"].pk
    for group in view.groups_of(p0):
        assert view.sizes[group] == 1  # p0 alone has both sources: exactly the person to protect
        competence = group[1]
        known = [{(group, ("r1", "leader", competence), level): 1} for level in LEVELS]
        for level in LEVELS:
            assert not in_span([*view.rows, *known], {(group, ("r1", "self", competence), level): 1})
    # Only the estimate is published for the team: the sources cannot be told apart there.
    team_sources = set(Rollup.objects.filter(campaign=campaign).values_list("source", flat=True))
    assert team_sources == {"estimate"}


def test_a_move_changes_no_current_level_figure(organisation: Organisation) -> None:
    people = [
        *[(f"a{i}", "A", "sosu-hjaelper") for i in range(6)],
        *[(f"b{i}", "B", "sosu-hjaelper") for i in range(6)],
    ]
    layout = layouts.build(organisation, units=[("Top", None), ("A", "Top"), ("B", "Top")], people=people)
    campaign = layouts.open_round(layout)
    layouts.answer_self(layout, campaign, [p[0] for p in people], layouts.random_levels(6))
    layouts.close(campaign)
    actor = layout.actor(layout.admin)
    before = oracle.shown(actor, None, all_units(layout), sources=("estimate",))
    assert before
    layouts.move(layout, "a0", "B")
    rollups_rebuild(organisation_id=organisation.pk)
    assert oracle.shown(actor, None, all_units(layout), sources=("estimate",)) == before


def test_raising_k_after_publishing_drops_the_smaller_blocks(organisation: Organisation) -> None:
    people = [
        *[(f"a{i}", "A", "sosu-hjaelper") for i in range(5)],
        *[(f"b{i}", "B", "sosu-hjaelper") for i in range(8)],
    ]
    layout = layouts.build(organisation, units=[("Top", None), ("A", "Top"), ("B", "Top")], people=people)
    campaign = layouts.open_round(layout)
    layouts.answer_self(layout, campaign, [p[0] for p in people], layouts.random_levels(7))
    layouts.close(campaign)
    organisation_min_group_size_set(organisation=organisation, size=7)
    organisation.refresh_from_db()
    rnd = oracle.load_round(campaign)
    assert rnd.k == 7
    view = oracle.view_of(rnd, roots=None, targets_framework=layout.framework, family="r1")
    shown = oracle.shown(layout.actor(layout.admin), campaign, all_units(layout))
    assert_view_is_shown_and_safe(view, shown, rnd.k)
    # A's block of 5 is below the new k: only B's 8 are in any figure.
    assert shown
    assert all(
        values.get("people", 8) == 8 and values.get("with_target", 8) == 8 for values in shown.values()
    )


def leaders_view(
    layout: layouts.Layout, unit: str, rnd: oracle.Round, campaign: object
) -> tuple[oracle.View, dict[oracle.Key, dict[str, int]]]:
    actor = layout.actor(layout.leaders[unit])
    roots = selectors.dashboard_roots(actor=actor) or []
    units: Sequence[OrgUnit] = [
        u for u in layout.units.values() if any(u.path.startswith(r.path) for r in roots)
    ]
    view = oracle.view_of(rnd, roots=roots, targets_framework=layout.framework, family="r1")
    return view, oracle.shown(actor, campaign, units)  # type: ignore[arg-type]


def test_a_leader_sees_sums_of_whole_blocks_of_their_own_units(organisation: Organisation) -> None:
    people = [
        *[(f"a{i}", "A", "sosu-hjaelper") for i in range(6)],
        *[(f"n{i}", "A", "sygeplejerske") for i in range(2)],
        *[(f"b{i}", "B", "sosu-hjaelper") for i in range(4)],
        *[(f"m{i}", "B", "sygeplejerske") for i in range(3)],
        ("head", "Area", "leder"),
    ]
    layout = layouts.build(
        organisation,
        units=[("Area", None), ("A", "Area"), ("B", "Area")],
        people=people,
        leaders=[("Area", "head")],
    )
    campaign = layouts.open_round(layout)
    layouts.answer_self(layout, campaign, [p[0] for p in people], layouts.random_levels(8))
    layouts.close(campaign)
    rnd = oracle.load_round(campaign)
    view, shown = leaders_view(layout, "Area", rnd, campaign)
    assert_view_is_shown_and_safe(view, shown, rnd.k)
    # B's four assistants and the nurses of A and B are pooled in the area, not shown per team.
    area = layout.units["Area"].path
    assert (area, oracle.ACROSS, None, "estimate") in {key[:4] for key in shown}
    assert not any(key[1] == layout.units["B"].path and key[2] == "sosu-hjaelper" for key in shown)


def test_response_rates_determine_nobodys_answering(organisation: Organisation) -> None:
    # People placed directly in a unit with child units, two small siblings, and the organisation's own
    # raised k: the rates used to ignore direct members (parent minus children showed who answered), let
    # two hidden siblings be derived together, and use the installation's k.
    organisation_min_group_size_set(organisation=organisation, size=6)
    organisation.refresh_from_db()
    people = [
        *[(f"d{i}", "Dept", "sosu-hjaelper") for i in range(2)],
        *[(f"a{i}", "A", "sosu-hjaelper") for i in range(7)],
        *[(f"b{i}", "B", "sosu-hjaelper") for i in range(3)],
        *[(f"c{i}", "C", "sosu-hjaelper") for i in range(2)],
    ]
    layout = layouts.build(
        organisation, units=[("Dept", None), ("A", "Dept"), ("B", "Dept"), ("C", "Dept")], people=people
    )
    campaign = layouts.open_round(layout)
    answered = ["d0", "a0", "a1", "a2", "b0", "c1"]
    layouts.answer_self(layout, campaign, answered, layouts.random_levels(9))
    rows = assessment_selectors.response_rates(campaign=campaign, instrument=Instrument.SELF)
    homes = assessment_selectors.block_homes(campaign=campaign)
    placed = {layout.people[n].pk: (layout.units[u].path, r) for n, u, r in people}
    answers = {layout.people[n].pk for n in answered}
    # Each rate row as a linear figure of "answered" indicators, checked against what the page shows.
    figures = []
    for row in rows:
        counted = [
            p
            for p, cell in placed.items()
            if (home := homes.get(cell)) is not None and home.startswith(row.unit.path)
        ]
        if row.invited is None:
            assert counted == []
            continue
        assert (row.invited, row.submitted) == (len(counted), len(answers & set(counted)))
        figures.append({(p, "svar", 1): 1 for p in counted})
    assert check(figures, k=6).disclosures == []
    # The two placed directly in Dept and the small units B and C pool into one block of 7 at Dept; A's 7
    # are a block of their own. Dept's rate covers both, so Dept minus A is a group of 7, never of 2.
    by_name = {row.unit.name: row for row in rows}
    assert (by_name["Dept"].participants, by_name["Dept"].invited) == (14, 14)
    assert by_name["B"].suppressed and by_name["C"].suppressed
    # The notice respondents read states the organisation's own k.
    assert "mindst 6 personer" in campaign.visibility_text


def test_chiefs_answers_and_network_figures_follow_the_rule(
    organisation: Organisation, make_member: Callable[..., User]
) -> None:
    from fagdigital.analytics import benchmark, chiefs  # noqa: PLC0415
    from fagdigital.analytics.tests.test_benchmark import member, network_of, row_for  # noqa: PLC0415

    # Four chiefs answer: no count per answer is shown for the round, closed or not.
    layout = layouts.build(organisation, units=[("Top", None)], people=[("p0", "Top", "leder")])
    campaign = layouts.open_round(layout, instruments=(Instrument.CHIEFS,))
    items = list(campaign.survey_items.all())
    for _n in range(4):
        chief = make_member(organisation, "top_management")
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.CHIEFS, respondent=chief, subject=None
        )
        assessment_services.survey_respondent_type_set(response=response, respondent_type="topchef")
        assessment_services.survey_answer_save(response=response, item=items[0], value=5)
        assessment_services.response_submit(response=response)
    actor = layout.actor(layout.admin)
    assert chiefs.chiefs_indicators(actor=actor).campaign is None  # open: nothing shown
    layouts.close(campaign)
    data = chiefs.chiefs_indicators(actor=actor)
    assert data.too_few and all(item.tally is None for item in data.items)
    # A benchmark with exactly 5 organisations: the other 4 give no quartiles (they would be members' own).
    own = member("Egen")
    own.put("DS1", 10, 5)
    others = [member() for _n in range(5)]
    for other, at in zip(others, (1, 3, 4, 8, 9), strict=True):
        other.put("DS1", 10, at)
    network, _operator = network_of([own.organisation, *(o.organisation for o in others[:4])])
    reader = actor_for(make_member(own.organisation, "competence_admin"), own.organisation)
    assert row_for(benchmark.benchmark(actor=reader), "DS1").median is None
    # With a fifth, the spread is shown, and no figure equals one other organisation's own share.
    network_ensure(name=network.name, coordinator=network.coordinator, members=[others[4].organisation])
    row = row_for(benchmark.benchmark(actor=reader), "DS1")
    shares = {at / 10 for at in (1, 3, 4, 8, 9)}
    assert row.median is not None
    assert not {row.q1, row.median, row.q3} & shares
    # A member may keep its figures out altogether: then there are only 4 others again.
    network_member_sharing_set(
        organisation=others[0].organisation, network=network, contributes=False, named=False
    )
    assert row_for(benchmark.benchmark(actor=reader), "DS1").median is None
