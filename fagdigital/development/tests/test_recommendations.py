"""Recommendations: the ranking (gap × criticality × level fit) and its reasons in words, for a person and
for a unit from published figures only."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from fagdigital.analytics.demand import RoleLevels, UnitLevels
from fagdigital.analytics.selectors.levels import Basis
from fagdigital.assessments import feedback
from fagdigital.development.selectors import recommendations
from fagdigital.development.selectors.plans import reader_profile
from fagdigital.development.selectors.recommendations import (
    Offer,
    PersonGap,
    level_fit,
    person_recommendations,
    rank_for_person,
    rank_for_unit,
)
from fagdigital.frameworks.models import Competence, RoleTarget
from fagdigital.orgs.models import Person

from .conftest import Dev, closed_round, set_level

pytestmark = pytest.mark.django_db


def _profile(person: Person) -> feedback.PersonalProfile:
    framework = feedback.profile_framework(person=person)
    return feedback.personal_profile(person=person, framework=framework, today=timezone.localdate())


def _target(dev: Dev, code: str) -> RoleTarget:
    return RoleTarget.objects.get(
        role_profile__framework=dev.team.framework, role_profile__code="sosu-assistent", competence__code=code
    )


def test_level_fit_is_one_for_exactly_the_target_half_for_half_way_and_halved_per_level_beyond() -> None:
    assert level_fit(current=2, target=3, level=3) == 1
    assert level_fit(current=1, target=3, level=2) == 0.5
    assert level_fit(current=2, target=3, level=4) == 0.5
    assert level_fit(current=1, target=2, level=4) == 0.25
    assert level_fit(current=3, target=3, level=4) == 0
    assert level_fit(current=2, target=3, level=2) == 0


@given(current=st.integers(1, 4), target=st.integers(1, 4), level=st.integers(1, 4))
def test_level_fit_is_between_zero_and_one_and_zero_exactly_when_nothing_is_gained(
    current: int, target: int, level: int
) -> None:
    fit = level_fit(current=current, target=target, level=level)
    assert 0 <= fit <= 1
    assert (fit == 0) == (level <= current or target <= current)


def test_person_ranking_follows_gap_times_criticality_times_fit_with_the_reason_in_words(dev: Dev) -> None:
    person = dev.team.members[0]
    # A SOSU assistant's role needs DS3 at 2 (kritisk) and DS4 at 2 (vigtig).
    assert (_target(dev, "DS3").level, _target(dev, "DS3").criticality) == (2, "kritisk")
    assert (_target(dev, "DS4").level, _target(dev, "DS4").criticality) == (2, "vigtig")
    set_level(person, "DS3", 1)
    set_level(person, "DS4", 1)
    with translation.override("da"):
        ranked = person_recommendations(profile=_profile(person))
        texts = {p.gap.competence.code: p.text for p in ranked[0].parts}
        arithmetic = [p.arithmetic for p in ranked[0].parts]
    assert [(r.activity.key, r.score) for r in ranked] == [
        ("ds3-ds4", 1 * 3 * 1.0 + 1 * 2 * 1.0),
        ("ds3-kursus", 1 * 3 * 1.0),
        ("ds3-diplom", 1 * 3 * 0.25),  # to level 4: two levels beyond the role's 2
    ]
    assert (
        texts["DS3"] == "Du er på niveau 1 i DS3, din rolle kræver 2; dette forløb udvikler DS3 til niveau 2."
    )
    assert arithmetic == ["gab 1 × betydning 3 × niveaupas 1 = 3", "gab 1 × betydning 2 × niveaupas 1 = 2"]


def test_reason_texts_for_overshoot_and_partial_steps_in_danish_and_english(dev: Dev) -> None:
    competence = Competence.objects.get(framework=dev.team.framework, code="DS3")
    overshoot = recommendations.ReasonPart(
        gap=PersonGap(competence=competence, current=2, target=3, criticality="kritisk"), level=4, fit=0.5
    )
    partial = recommendations.ReasonPart(
        gap=PersonGap(competence=competence, current=1, target=3, criticality="vigtig"), level=2, fit=0.5
    )
    with translation.override("da"):
        assert overshoot.text == (
            "Du er på niveau 2 i DS3, din rolle kræver 3; dette forløb udvikler DS3 til niveau 4, altså mere "
            "end din rolle kræver."
        )
        assert partial.text.endswith("til niveau 2, et skridt på vejen.")
        assert overshoot.weight_text == "DS3 er kritisk for din rolle."
        assert overshoot.arithmetic == "gab 1 × betydning 3 × niveaupas 0,5 = 1,5"
    with translation.override("en"):
        assert overshoot.text == (
            "You are at level 2 in DS3, your role requires 3; this activity develops DS3 to level 4, "
            "more than "
            "your role requires."
        )
        assert overshoot.arithmetic == "gap 1 × importance 3 × level fit 0.5 = 1.5"


def test_person_without_gaps_or_levels_gets_no_recommendations(dev: Dev) -> None:
    person = dev.team.members[1]
    assert person_recommendations(profile=_profile(person)) == []  # no level at all
    set_level(person, "DS3", 4)
    assert person_recommendations(profile=_profile(person)) == []


def test_leader_view_of_a_profile_leaves_out_anonymous_rounds(dev: Dev) -> None:
    person = dev.team.members[2]
    anonymous = closed_round(dev.team, visibility="anonymous")
    set_level(person, "DS3", 1, campaign=anonymous)
    own = reader_profile(person=person, for_leader=False, today=timezone.localdate())
    theirs = reader_profile(person=person, for_leader=True, today=timezone.localdate())
    assert person_recommendations(profile=own)
    assert person_recommendations(profile=theirs) == []


def test_ties_go_to_the_cheaper_then_shorter_activity(dev: Dev) -> None:
    competence = Competence.objects.get(framework=dev.team.framework, code="DS3")
    gap = PersonGap(competence=competence, current=2, target=3, criticality="kritisk")
    cheap = dev.activities["ds3-kursus"]
    dear = dev.activities["ds3-ds4"]
    ranked = rank_for_person([gap], [Offer(dear, {"DS3": 3}), Offer(cheap, {"DS3": 3})])
    assert [r.activity for r in ranked] == [cheap, dear]


def _levels(dev: Dev, rows: dict[str, list[RoleLevels]]) -> UnitLevels:
    competences = list(Competence.objects.filter(framework=dev.team.framework, code__in=rows))
    return UnitLevels(
        basis=Basis(framework=dev.team.framework, campaign=None, current=True),
        competences=competences,
        by_competence={c.pk: rows[c.code] for c in competences},
    )


def test_unit_ranking_counts_the_people_below_target_each_activity_lifts(dev: Dev) -> None:
    levels = _levels(
        dev,
        {
            # 4 at level 1 and 3 at level 2 below a target of 3 (kritisk); 5 at target.
            "DS3": [RoleLevels("sosu-assistent", 3, "kritisk", (4, 3, 5, 0))],
            "BK1": [RoleLevels("sosu-assistent", 3, "vigtig", (0, 2, 10, 0))],
        },
    )
    offers = [
        Offer(dev.activities["ds3-kursus"], {"DS3": 3}),
        Offer(dev.activities["bk1"], {"BK1": 3}),
        Offer(dev.activities["ds3-diplom"], {"DS3": 2}),
    ]
    ranked = rank_for_unit(levels, offers)
    assert [r.activity.key for r in ranked] == ["ds3-kursus", "ds3-diplom", "bk1"]
    first = ranked[0].parts[0]
    assert (first.below, first.reached) == (7, 7)
    # Level 1 people: gap 2 × weight 3 × fit 1; level 2 people: gap 1 × 3 × 1.
    assert first.score == 4 * 2 * 3 + 3 * 1 * 3
    partial = ranked[1].parts[0]
    assert (partial.below, partial.reached) == (7, 4)  # only those at level 1 are lifted to 2
    with translation.override("da"):
        assert first.text == (
            "I enheden er 7 under målniveauet i DS3; dette forløb udvikler DS3 til niveau 3 og når 7 af dem."
        )


def test_a_unit_without_published_figures_gets_no_team_recommendations(dev: Dev) -> None:
    assert rank_for_unit(_levels(dev, {"DS3": []}), [Offer(dev.activities["ds3-kursus"], {"DS3": 3})]) == []
