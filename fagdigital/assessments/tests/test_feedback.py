"""The personal profile selector: estimates and their sources, gaps, rankings, calibration, the wheel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import feedback, services
from fagdigital.assessments.models import Campaign, Evidence, EvidenceSource, Instrument, Visibility
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Competence
from fagdigital.orgs.models import Person

pytestmark = pytest.mark.django_db


def competence(team: Team, code: str) -> Competence:
    return Competence.objects.get(framework=team.framework, code=code)


def assess(  # noqa: PLR0917 — reads like a sentence in the tests
    team: Team,
    campaign: Campaign,
    respondent: User,
    subject: Person,
    instrument: str,
    levels: dict[str, int | None],
) -> None:
    """Answer and submit a self- or leader assessment through the services, as the pages do."""
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument(instrument), respondent=respondent, subject=subject
    )
    for code, level in levels.items():
        services.answer_save(response=response, competence=competence(team, code), level=level)
    services.response_submit(response=response)


def take_test(campaign: Campaign, user: User, person: Person, correct: set[str]) -> None:
    """Take the knowledge test, answering right for the competences in `correct` and wrong elsewhere."""
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.TEST, respondent=user, subject=person
    )
    for question in services.test_start(response=response):
        right = sorted(question.item.correct_keys)
        wrong = [key for key in question.option_order if key not in question.item.correct_keys][:1]
        chosen = right if question.item.competence_code in correct else wrong
        services.test_answer_save(response=response, question=question, selected=chosen)
    services.test_submit(response=response)


def profile_of(team: Team, person: Person, **kwargs: Any) -> feedback.PersonalProfile:
    return feedback.personal_profile(
        person=person, framework=team.framework, today=timezone.localdate(), **kwargs
    )


def by_code(profile: feedback.PersonalProfile) -> dict[str, feedback.ProfileItem]:
    return {item.competence.code: item for item in profile.items}


def test_profile_covers_the_role_profile_targets_grouped_by_area(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    make_campaign()
    profile = profile_of(team, team.members[0])

    assert profile.role_profile is not None and profile.role_profile.code == "sosu-assistent"
    assert [area.area.code for area in profile.areas] == ["BK", "DS"]
    items = by_code(profile)
    assert set(items) == {"BK1", "BK5", "BK6", "BK7", "BK8", "BK9", *(f"DS{n}" for n in range(1, 9))}
    assert (items["BK1"].target_level, items["BK1"].criticality) == (3, "kritisk")
    assert (items["DS4"].target_level, items["DS4"].criticality) == (2, "vigtig")
    assert not profile.has_evidence
    assert all(item.estimate is None and item.gap is None for item in profile.items)


def test_role_profile_comes_from_the_job_without_a_campaign(team: Team) -> None:
    profile = profile_of(team, team.members[0])

    assert profile.role_profile is not None and profile.role_profile.code == "sosu-assistent"
    assert len(profile.items) == 14


def test_estimate_shows_the_source_that_counts_and_every_source_with_its_date(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    person, user = team.members[0], team.users[0]
    assess(team, campaign, user, person, "self", {"BK1": 1, "BK6": 2, "DS1": 1})
    assess(team, campaign, team.leader, person, "leader", {"BK1": 3})
    take_test(campaign, user, person, correct={"DS1"})

    items = by_code(profile_of(team, person))

    bk1 = items["BK1"]
    assert bk1.estimate is not None
    assert (bk1.estimate.level, bk1.estimate.source) == (3, EvidenceSource.LEADER)
    assert [(s.source, s.level) for s in bk1.sources] == [("leader", 3), ("self", 1)]
    assert all(s.observed_on == timezone.localdate() and s.valid for s in bk1.sources)
    assert bk1.sources[0].campaign_name == campaign.name
    assert bk1.gap == 0

    ds1 = items["DS1"]
    assert ds1.estimate is not None
    assert (ds1.estimate.level, ds1.estimate.source) == (3, EvidenceSource.TEST)  # the knowledge cap
    test_evidence = ds1.source(EvidenceSource.TEST)
    assert test_evidence is not None
    assert (test_evidence.correct, test_evidence.items) == (4, 4)
    assert ds1.gap == -1 and ds1.surplus == 1

    # A test answered wrong still counts, above the self-assessment.
    ds2 = items["DS2"]
    assert ds2.estimate is not None and (ds2.estimate.level, ds2.estimate.source) == (1, EvidenceSource.TEST)
    assert ds2.gap == 1

    assert items["BK6"].estimate is not None and items["BK6"].estimate.source == EvidenceSource.SELF
    assert items["BK7"].estimate is None and items["BK7"].gap is None


def test_development_areas_rank_gap_times_criticality_with_ties_in_area_order(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    person = team.members[0]
    # BK1: gap 2 * kritisk 3 = 6; BK6: 1 * 3 = 3; BK7 and BK8: 1 * vigtig 2 = 2; BK5 at target; BK9 above.
    assess(
        team,
        campaign,
        team.users[0],
        person,
        "self",
        {"BK1": 1, "BK6": 1, "BK7": 1, "BK8": 1, "BK5": 1, "BK9": 3},
    )

    profile = profile_of(team, person)

    assert [i.competence.code for i in profile.development] == ["BK1", "BK6", "BK7"]
    assert [i.priority for i in profile.development] == [6, 3, 2]
    assert profile.development[0].target_text.startswith("Bruger journalens data")


def test_a_small_critical_gap_outranks_a_bigger_useful_one(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    person = team.members[0]
    # DS4 (vigtig, target 2) one below: 1 * 2 = 2. BK1 (kritisk, target 3) one below: 1 * 3 = 3.
    assess(team, campaign, team.users[0], person, "self", {"DS4": 1, "BK1": 2})

    assert [i.competence.code for i in profile_of(team, person).development] == ["BK1", "DS4"]


def test_strengths_are_at_or_above_target_with_critical_ones_first(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    person = team.members[0]
    assess(team, campaign, team.users[0], person, "self", {"BK9": 4, "BK7": 2, "DS2": 3, "BK1": 2, "BK5": 1})

    profile = profile_of(team, person)

    # kritisk DS2, then vigtig BK7, then nyttig BK5 and BK9 in area order.
    assert [i.competence.code for i in profile.strengths] == ["DS2", "BK7", "BK5", "BK9"]
    assert "BK1" not in [i.competence.code for i in profile.strengths]


def test_calibration_flags_self_assessments_two_levels_from_test_or_leader(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    person, user = team.members[0], team.users[0]
    assess(team, campaign, user, person, "self", {"BK1": 4, "BK6": 2, "DS1": 1, "DS2": 2})
    assess(team, campaign, team.leader, person, "leader", {"BK1": 2, "BK6": 1})
    take_test(campaign, user, person, correct={"DS1"})

    profile = profile_of(team, person)
    notes = {(n.item.competence.code, n.other_source): n for n in profile.calibration}

    assert set(notes) == {("BK1", "leader"), ("DS1", "test")}
    assert notes[("BK1", "leader")].self_higher and notes[("BK1", "leader")].difference == 2
    assert not notes[("DS1", "test")].self_higher and notes[("DS1", "test")].other_level == 3
    items = by_code(profile)
    assert items["BK1"].calibration_flag and not items["BK6"].calibration_flag
    assert not items["DS2"].calibration_flag  # self 2, test 1: one level apart


def test_expired_evidence_is_shown_but_does_not_count(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    person = team.members[0]
    assess(team, campaign, team.users[0], person, "self", {"BK1": 2})
    later = timezone.localdate() + dt.timedelta(days=3 * 365)

    profile = feedback.personal_profile(person=person, framework=team.framework, today=later)
    bk1 = by_code(profile)["BK1"]

    assert bk1.estimate is None
    assert [(s.level, s.valid) for s in bk1.sources] == [(2, False)]
    assert profile.expired_sources


def test_leader_view_leaves_out_anonymous_campaigns(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    anonymous = make_campaign(instruments=(Instrument.SELF,), visibility=Visibility.ANONYMOUS, name="Anonym")
    development = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER), name="MUS")
    person, user = team.members[0], team.users[0]
    assess(team, anonymous, user, person, "self", {"BK1": 4, "BK6": 1})
    assess(team, development, team.leader, person, "leader", {"BK1": 2})

    own = by_code(profile_of(team, person))
    seen = by_code(profile_of(team, person, development_campaigns_only=True))

    assert [s.source for s in own["BK1"].sources] == ["leader", "self"]
    assert own["BK6"].estimate is not None and own["BK1"].calibration_flag
    assert [s.campaign_name for s in seen["BK1"].sources] == ["MUS"]
    assert seen["BK6"].sources == [] and seen["BK6"].estimate is None
    assert not seen["BK1"].calibration_flag


def test_no_role_profile_shows_the_whole_framework_without_targets(
    team: Team, make_member: Callable[..., User]
) -> None:
    person = Person.objects.create(organisation=team.organisation, employee_number="X1", name="Uden Rolle")

    profile = profile_of(team, person)

    assert profile.role_profile is None and not profile.has_targets
    assert (
        len(profile.items) == Competence.objects.filter(framework=team.framework, parent__isnull=True).count()
    )
    assert profile.development == [] and profile.strengths == []


def test_profile_takes_a_fixed_number_of_queries(
    team: Team, make_campaign: Callable[..., Campaign], django_assert_max_num_queries: Any
) -> None:
    campaign = make_campaign()
    person, user = team.members[0], team.users[0]
    assess(
        team,
        campaign,
        user,
        person,
        "self",
        {c.code: 2 for c in Competence.objects.filter(framework=team.framework)},
    )
    assess(team, campaign, team.leader, person, "leader", {"BK1": 1, "BK6": 3})
    take_test(campaign, user, person, correct={"DS1", "DS3"})
    assert Evidence.objects.filter(person=person).count() > 20

    # 10: the framework's knowledge cap, and which earlier framework versions levels carry over from.
    with django_assert_max_num_queries(10):
        profile = profile_of(team, person)
        wheel = feedback.competence_wheel(profile)
        # Everything the templates read is loaded already.
        for item in profile.items:
            _ = (item.area.t("name"), item.target_text, [s.label for s in item.sources])
    assert wheel is not None and len(wheel.spokes) == 14


def test_wheel_places_levels_on_rings_and_unmeasured_competences_at_the_centre(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    person = team.members[0]
    assess(team, campaign, team.users[0], person, "self", {"BK1": 4})

    wheel = feedback.competence_wheel(profile_of(team, person))

    assert wheel is not None
    first = wheel.spokes[0]
    assert first.item.competence.code == "BK1"
    # The first spoke points straight up: level 4 on the outer ring, target 3 three quarters out.
    assert first.estimate is not None and first.target is not None
    c = feedback.WHEEL_SIZE / 2
    assert (first.estimate.sx, first.estimate.sy) == (f"{c:.1f}", f"{c - feedback.WHEEL_RADIUS:.1f}")
    assert first.target.sy == f"{c - feedback.WHEEL_RADIUS * 3 / 4:.1f}"
    assert wheel.unmeasured == 13
    assert wheel.estimate_points.count(f"{c:.1f},{c:.1f}") == 13
    assert [ring.level for ring in wheel.rings] == [1, 2, 3, 4]
    assert "," not in first.estimate.sx  # never a Danish decimal comma in SVG


def test_wheel_needs_three_competences(team: Team) -> None:
    profile = profile_of(team, team.members[0])
    profile.areas[0].items = profile.areas[0].items[:2]
    profile.areas = profile.areas[:1]

    assert feedback.competence_wheel(profile) is None
