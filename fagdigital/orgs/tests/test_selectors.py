from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from fagdigital.accounts.models import User
from fagdigital.conftest import actor_for
from fagdigital.orgs import selectors
from fagdigital.orgs.models import OrgUnit, path_step
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_path_steps_are_fixed_width_and_sort_in_child_order() -> None:
    steps = [path_step(i) for i in (1, 2, 35, 36, 37, 1295, 1296)]
    assert all(len(step) == 4 for step in steps)
    assert steps == sorted(steps)
    with pytest.raises(ValueError, match="out of range"):
        path_step(0)


def test_subtree_counts_count_each_person_once_and_skip_ended_engagements(organisation: Organisation) -> None:
    top = OrgUnitFactory(organisation=organisation)
    a = OrgUnitFactory(parent=top)
    a1 = OrgUnitFactory(parent=a)
    b = OrgUnitFactory(parent=top)
    person = PersonFactory(organisation=organisation)
    EngagementFactory(person=person, unit=a)
    EngagementFactory(person=person, unit=a1)  # same person twice in one subtree counts once
    EngagementFactory(unit=a1, person=PersonFactory(organisation=organisation))
    EngagementFactory(
        unit=b, person=PersonFactory(organisation=organisation), end_date=dt.date(2021, 1, 1)
    )  # ended: not counted

    counts = selectors.subtree_people_counts(organisation_id=organisation.pk, parent=top)

    assert counts == {a.path: 2}


def test_leader_scope_is_the_led_subtree_only(
    organisation: Organisation, make_leader: Callable[[OrgUnit], User]
) -> None:
    top = OrgUnitFactory(organisation=organisation)
    led = OrgUnitFactory(parent=top)
    inside = OrgUnitFactory(parent=led)
    sibling = OrgUnitFactory(parent=top)
    leader = make_leader(led)
    actor = actor_for(leader, organisation)

    visible = set(selectors.visible_units(actor=actor))

    assert visible == {led, inside}
    assert selectors.get_unit_for_user(actor=actor, unit_id=inside.pk) == inside
    for hidden in (top, sibling):
        with pytest.raises(Http404):
            selectors.get_unit_for_user(actor=actor, unit_id=hidden.pk)


def test_leader_sees_people_of_the_subtree_but_not_of_a_sibling(
    organisation: Organisation, make_leader: Callable[[OrgUnit], User]
) -> None:
    top = OrgUnitFactory(organisation=organisation)
    led = OrgUnitFactory(parent=top)
    sibling = OrgUnitFactory(parent=top)
    inside_person = EngagementFactory(
        unit=OrgUnitFactory(parent=led), person__organisation=organisation
    ).person
    outside_person = EngagementFactory(unit=sibling, person__organisation=organisation).person
    actor = actor_for(make_leader(led), organisation)

    assert selectors.get_person_for_user(actor=actor, person_id=inside_person.pk) == inside_person
    with pytest.raises(Http404):
        selectors.get_person_for_user(actor=actor, person_id=outside_person.pk)


def test_an_employee_sees_only_their_own_person(
    organisation: Organisation, make_member: Callable[..., User]
) -> None:
    unit = OrgUnitFactory(organisation=organisation)
    me = EngagementFactory(unit=unit, person__organisation=organisation).person
    colleague = EngagementFactory(unit=unit, person__organisation=organisation).person
    actor = actor_for(make_member(organisation, "employee", person=me), organisation)

    assert selectors.get_person_for_user(actor=actor, person_id=me.pk) == me
    with pytest.raises(Http404):
        selectors.get_person_for_user(actor=actor, person_id=colleague.pk)
    assert selectors.scope_for_actor(actor=actor).is_empty


def test_search_matches_every_word_within_the_scope(
    organisation: Organisation, make_member: Callable[..., User]
) -> None:
    unit = OrgUnitFactory(organisation=organisation)
    for name in ["Anne Marie Jensen", "Anne Hansen", "Jens Jensen"]:
        EngagementFactory(unit=unit, person=PersonFactory(organisation=organisation, name=name))
    other_org_person = PersonFactory(organisation=OrganisationFactory(), name="Anne Jensen")
    EngagementFactory(person=other_org_person)
    actor = actor_for(make_member(organisation, "competence_admin"), organisation)

    names = [p.name for p in selectors.search_people(actor=actor, query="anne jensen")]

    assert names == ["Anne Marie Jensen"]


def test_nearest_leaders_fall_back_to_the_closest_led_ancestor(
    organisation: Organisation, make_leader: Callable[[OrgUnit], User]
) -> None:
    top = OrgUnitFactory(organisation=organisation)
    middle = OrgUnitFactory(parent=top)
    leaf = OrgUnitFactory(parent=middle)
    make_leader(top)
    middle_leader = make_leader(middle)

    leaders = selectors.nearest_leaders(unit=leaf)

    assert [leader.person.user for leader in leaders] == [middle_leader]


class TestSubtreeCountsProperty(HypothesisTestCase):
    """The one-query subtree count equals counting the subtree by walking parents."""

    @settings(max_examples=15, deadline=None)
    @given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=14), st.data())
    def test_counts_equal_a_walk_of_the_tree(self, parents: list[int], data: st.DataObject) -> None:
        organisation = OrganisationFactory()
        units: list[OrgUnit] = [OrgUnitFactory(organisation=organisation)]
        for choice in parents:
            units.append(OrgUnitFactory(parent=units[choice % len(units)]))
        placements = data.draw(st.lists(st.integers(min_value=0, max_value=len(units) - 1), max_size=20))
        for index in placements:
            EngagementFactory(unit=units[index], person=PersonFactory(organisation=organisation))

        for parent in [None, *units]:
            counts = selectors.subtree_people_counts(organisation_id=organisation.pk, parent=parent)
            children = [u for u in units if u.parent_id == (parent.pk if parent else None)]
            for child in children:
                expected = sum(1 for index in placements if self._is_within(units[index], child))
                assert counts.get(child.path, 0) == expected

    @staticmethod
    def _is_within(unit: OrgUnit, ancestor: OrgUnit) -> bool:
        node: OrgUnit | None = unit
        while node is not None:
            if node.pk == ancestor.pk:
                return True
            node = node.parent
        return False
