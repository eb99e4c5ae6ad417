"""Campaign life cycle, invitations and links, knowledge tests, and the evidence → estimate rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    Instrument,
    Participant,
    TestItem,
    Visibility,
)
from fagdigital.assessments.tests.conftest import Team
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import Competence
from fagdigital.testing.factories import EngagementFactory, OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _settings(team: Team, **overrides: Any) -> services.CampaignSettings:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "Forår",
        "framework": team.framework,
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=10),
        "instruments": [Instrument.SELF],
        "visibility": Visibility.ANONYMOUS,
        "units": [(team.root, True)],
    }
    values.update(overrides)
    return services.CampaignSettings(**values)


# --- Campaigns -----------------------------------------------------------------------------------


def test_invalid_settings_are_refused_field_by_field_and_nothing_is_created(team: Team) -> None:
    today = timezone.localdate()
    bad = _settings(
        team,
        name=" ",
        closes_on=today - dt.timedelta(days=1),
        instruments=[Instrument.SELF, Instrument.TEST],
        test_area_codes=["XX"],
        reminder_days=[-1],
    )
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=actor_for(team.admin, team.organisation), values=bad)
    assert set(error.value.message_dict) == {"name", "closes_on", "test_area_codes", "reminder_days"}
    assert not Campaign.objects.exists()


def test_scope_and_instruments_are_fixed_once_open(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    with pytest.raises(ValidationError, match="åbnet"):
        services.campaign_update(campaign=campaign, values=_settings(team, name="Ny"))
    campaign.refresh_from_db()
    assert campaign.name == "Måling 2026"


def test_opening_fixes_the_participants_of_the_scope(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    only_unit = make_campaign(units=[(team.unit, False)], instruments=(Instrument.SELF,))
    people = set(Participant.objects.filter(campaign=only_unit).values_list("person_id", flat=True))
    assert people == {p.pk for p in team.members} | {team.leader.persons.get().pk}
    assert all(
        code == "sosu-assistent"
        for code in Participant.objects.filter(campaign=only_unit, person__in=team.members).values_list(
            "role_profile_code", flat=True
        )
    )
    # A person hired after the opening is not added.
    EngagementFactory(person=PersonFactory(organisation=team.organisation), unit=team.unit)
    assert Participant.objects.filter(campaign=only_unit).count() == len(people)


def test_a_role_profile_filter_narrows_the_scope(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign(role_profile_codes=["sosu-assistent"], instruments=(Instrument.SELF,))
    # The six, the outsider and the leader are SOSU assistants; the admin has no engagement.
    assert Participant.objects.filter(campaign=campaign).count() == len(team.members) + 2
    other_profile = make_campaign(
        role_profile_codes=["laerer"], instruments=(Instrument.SELF,), open_it=False
    )
    with pytest.raises(ValidationError, match="ingen medarbejdere"):
        services.campaign_open(campaign=other_profile)


def test_a_scope_without_people_cannot_open(team: Team) -> None:
    empty = OrgUnitFactory(parent=team.root, name="Tom enhed")
    campaign = services.campaign_create(
        actor=actor_for(team.admin, team.organisation), values=_settings(team, units=[(empty, True)])
    )
    with pytest.raises(ValidationError, match="ingen medarbejdere"):
        services.campaign_open(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_due_campaigns_close(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    assert services.campaigns_close_due(today=campaign.closes_on) == 0
    assert services.campaigns_close_due(today=campaign.closes_on + dt.timedelta(days=1)) == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


# --- Invitations, reminders and sign-in links ----------------------------------------------------


def _link_token(message: mail.EmailMessage) -> str:
    match = re.search(r"/maalinger/link/([^/\s]+)/", str(message.body))
    assert match, message.body
    return match.group(1)


def test_invitations_go_out_once_with_a_link_only_for_people_without_a_password(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    make_campaign()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert team.outsider.email in by_address  # no login yet: gets a sign-in link
    assert "/maalinger/link/" in str(by_address[team.outsider.email].body)
    with_password = team.users[0]
    with_password.set_password("hemmeligt-kodeord")
    with_password.save()
    assert "/maalinger/link/" in str(by_address[team.outsider.email].body)
    sent = len(mail.outbox)
    assert services.invitations_send(campaign_id=Campaign.objects.get().pk) == 0
    assert len(mail.outbox) == sent


def test_a_sign_in_link_works_once_and_creates_the_login(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    make_campaign()
    message = next(m for m in mail.outbox if m.to == [team.outsider.email])
    token = _link_token(message)
    user, participant = services.signin_link_use(token=token)
    assert participant.person == team.outsider
    team.outsider.refresh_from_db()
    assert team.outsider.user == user
    assert not user.has_usable_password()
    assert user.memberships.get(organisation=team.organisation).roles == ["employee"]
    with pytest.raises(services.SignInLinkInvalidError):
        services.signin_link_use(token=token)


def test_a_resent_invitation_replaces_the_old_link(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    make_campaign()
    participant = Participant.objects.get(person=team.outsider)
    old = _link_token(next(m for m in mail.outbox if m.to == [team.outsider.email]))
    assert services.invitation_resend(participant=participant)
    new = _link_token(mail.outbox[-1])
    with pytest.raises(services.SignInLinkInvalidError):
        services.signin_link_use(token=old)
    services.signin_link_use(token=new)


@override_settings(SIGNIN_LINK_MAX_AGE_DAYS=-1)
def test_an_expired_link_is_refused(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    make_campaign()
    token = _link_token(next(m for m in mail.outbox if m.to == [team.outsider.email]))
    with pytest.raises(services.SignInLinkInvalidError, match="udløbet"):
        services.signin_link_use(token=token)


def test_a_link_to_a_closed_campaign_is_refused(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    token = _link_token(next(m for m in mail.outbox if m.to == [team.outsider.email]))
    services.campaign_close(campaign=campaign)
    with pytest.raises(services.SignInLinkInvalidError, match="lukket"):
        services.signin_link_use(token=token)


def test_reminders_go_once_per_reminder_day_to_those_who_have_not_submitted(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,), reminder_days=[7, 2])
    answered = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=team.users[0], subject=team.members[0]
    )
    services.response_submit(response=answered)
    participants = Participant.objects.filter(campaign=campaign).count()
    mail.outbox.clear()
    assert services.reminders_send_due(today=campaign.closes_on - dt.timedelta(days=8)) == 0
    assert services.reminders_send_due(today=campaign.closes_on - dt.timedelta(days=7)) == participants - 1
    assert services.reminders_send_due(today=campaign.closes_on - dt.timedelta(days=6)) == 0
    assert services.reminders_send_due(today=campaign.closes_on - dt.timedelta(days=2)) == participants - 1
    assert team.members[0].email not in {m.to[0] for m in mail.outbox}
    assert all("Påmindelse" in m.subject for m in mail.outbox)


# --- Knowledge tests -----------------------------------------------------------------------------


def _test_response(team: Team, campaign: Campaign) -> Any:
    return services.response_get_or_create(
        campaign=campaign, instrument=Instrument.TEST, respondent=team.users[0], subject=team.members[0]
    )


def test_items_are_drawn_once_per_person_spread_over_difficulty(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(test_items_per_competence=3)
    response = _test_response(team, campaign)
    questions = services.test_start(response=response)
    by_competence: dict[str, list[int]] = {}
    for question in questions:
        by_competence.setdefault(question.item.competence_code, []).append(question.item.difficulty)
    ds_codes = set(
        Competence.objects.filter(framework=campaign.framework, area__code="DS").values_list(
            "code", flat=True
        )
    )
    assert set(by_competence) == ds_codes
    pools = {
        p.competence.code: p for p in services.draw_pools(campaign=campaign, person_id=team.members[0].pk)
    }
    for code, difficulties in by_competence.items():
        assert len(difficulties) == 3
        # One of each difficulty in turn: as many different ones as the role's items have (at most 3).
        available = {item.difficulty for item in pools[code].fresh}
        assert len(set(difficulties)) == min(3, len(available))
    assert [q.pk for q in services.test_start(response=response)] == [q.pk for q in questions]


def test_scoring_counts_right_answers_and_caps_the_level_at_the_knowledge_cap(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    response = _test_response(team, campaign)
    questions = services.test_start(response=response)
    first_code = questions[0].item.competence_code
    for question in questions:
        right = sorted(question.item.correct_keys)
        wrong = sorted(set(question.option_order) - question.item.correct_keys)[:1]
        services.test_answer_save(
            response=response,
            question=question,
            selected=right if question.item.competence_code == first_code else wrong,
        )
    services.test_submit(response=response)
    levels = dict(Evidence.objects.filter(response=response).values_list("competence__code", "level"))
    assert levels.pop(first_code) == 3  # all right: the knowledge cap, never level 4
    assert set(levels.values()) == {1}
    detail = Evidence.objects.get(response=response, competence__code=first_code).detail
    assert detail == {"correct": 4, "items": 4, "cap": 3}
    # Submitting again changes nothing; answers can no longer change.
    assert not services.test_submit(response=response).applied
    with pytest.raises(services.AnswerRefusedError):
        services.test_answer_save(response=response, question=questions[0], selected=[])


@pytest.mark.parametrize(
    ("share", "cap", "level"),
    [
        (0.0, 3, 1),
        (0.49, 3, 1),
        (0.5, 3, 2),
        (0.74, 3, 2),
        (0.75, 3, 3),
        (1.0, 3, 3),
        (1.0, 2, 2),
        (0.74, 2, 1),
        (1.0, 1, 1),
        (0.89, 4, 3),
        (0.9, 4, 4),
    ],
)
def test_test_level_thresholds(share: float, cap: int, level: int) -> None:
    assert services.test_level(share, cap) == level


def test_a_single_choice_item_takes_one_option(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    response = _test_response(team, campaign)
    question = next(q for q in services.test_start(response=response) if q.item.kind == "single")
    with pytest.raises(services.AnswerRefusedError):
        services.test_answer_save(response=response, question=question, selected=question.option_order[:2])
    with pytest.raises(services.AnswerRefusedError):
        services.test_answer_save(response=response, question=question, selected=["zz"])


def test_the_bundled_item_bank_installs_once(team: Team) -> None:
    assert services.item_bank_install(organisation=team.organisation, framework_key=team.framework.key) > 40
    assert services.item_bank_install(organisation=team.organisation, framework_key=team.framework.key) == 0
    per_competence = {
        code: TestItem.objects.filter(competence_code=code).count()
        for code in Competence.objects.filter(framework=team.framework).values_list("code", flat=True)
    }
    assert min(per_competence.values()) >= 2
    assert TestItem.objects.filter(competence_code__startswith="DS").count() >= 40


# --- Evidence → estimate -------------------------------------------------------------------------


def _evidence(team: Team, competence: Competence, source: str, level: int, days_ago: int) -> Evidence:
    return Evidence.objects.create(
        organisation=team.organisation,
        person=team.members[0],
        competence=competence,
        source=source,
        level=level,
        observed_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def test_the_estimate_follows_the_source_order_then_recency(team: Team) -> None:
    competence = Competence.objects.filter(framework=team.framework).first()
    assert competence is not None
    person = team.members[0]

    def estimate() -> CompetenceEstimate:
        services.estimates_recompute(person_id=person.pk, competence_ids=[competence.pk])
        return CompetenceEstimate.objects.get(person=person, competence=competence)

    _evidence(team, competence, EvidenceSource.SELF, 2, days_ago=30)
    assert (estimate().level, estimate().source) == (2, "self")
    _evidence(team, competence, EvidenceSource.SELF, 3, days_ago=1)
    assert estimate().level == 3
    leader = _evidence(team, competence, EvidenceSource.LEADER, 2, days_ago=60)
    assert (estimate().source, estimate().evidence_id) == ("leader", leader.pk)
    test = _evidence(team, competence, EvidenceSource.TEST, 1, days_ago=90)
    assert (estimate().source, estimate().evidence_id, estimate().level) == ("test", test.pk, 1)
    assert estimate().calibration_flag  # self 3 against test 1


def test_expired_evidence_no_longer_counts(team: Team) -> None:
    competence = Competence.objects.filter(framework=team.framework).first()
    assert competence is not None
    _evidence(team, competence, EvidenceSource.TEST, 4, days_ago=800)
    _evidence(team, competence, EvidenceSource.SELF, 2, days_ago=10)
    services.estimates_recompute(person_id=team.members[0].pk, competence_ids=[competence.pk])
    estimate = CompetenceEstimate.objects.get(person=team.members[0], competence=competence)
    assert (estimate.source, estimate.level, estimate.calibration_flag) == ("self", 2, False)


EVIDENCE = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),  # person index
        st.integers(min_value=0, max_value=3),  # competence index
        st.sampled_from(list(EvidenceSource.values)),
        st.integers(min_value=1, max_value=4),
        st.integers(min_value=0, max_value=900),  # days ago
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=EVIDENCE)
def test_the_bulk_rebuild_equals_the_incremental_estimates(
    team: Team, rows: list[tuple[int, int, str, int, int]]
) -> None:
    Evidence.objects.all().delete()
    CompetenceEstimate.objects.all().delete()
    competences = list(Competence.objects.filter(framework=team.framework).order_by("pk")[:4])
    for person_index, competence_index, source, level, days_ago in rows:
        row = Evidence.objects.create(
            organisation=team.organisation,
            person=team.members[person_index],
            competence=competences[competence_index],
            source=source,
            level=level,
            observed_on=timezone.localdate() - dt.timedelta(days=days_ago),
        )
        services.estimates_recompute(person_id=row.person_id, competence_ids=[row.competence_id])
    fields = ("person_id", "competence_id", "level", "source", "evidence_id", "calibration_flag")
    incremental = set(CompetenceEstimate.objects.values_list(*fields))
    services.estimates_rebuild(organisation_id=team.organisation.pk)
    assert set(CompetenceEstimate.objects.values_list(*fields)) == incremental


# --- Response rates ------------------------------------------------------------------------------


def test_anonymous_response_rates_are_sums_of_publication_blocks(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(visibility=Visibility.ANONYMOUS, instruments=(Instrument.SELF,))
    rows = {
        row.unit.name: row for row in selectors.response_rates(campaign=campaign, instrument=Instrument.SELF)
    }
    # Syd's one assistant is too few with that role profile anywhere: in no block, so in no rate.
    assert rows["Hjemmeplejen Syd"].suppressed
    assert (rows["Hjemmeplejen Nord"].participants, rows["Hjemmeplejen Nord"].invited) == (7, 7)
    # The municipality's rate covers the same 7 of its 8 participants: root minus Nord says nothing of Syd.
    assert (rows["Kommunen"].participants, rows["Kommunen"].invited) == (8, 7)
    assert selectors.campaign_counts(campaign=campaign)["covered"] == 7


def test_development_campaign_rates_are_shown_per_unit(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(visibility=Visibility.DEVELOPMENT, instruments=(Instrument.SELF,))
    rows = {
        row.unit.name: row for row in selectors.response_rates(campaign=campaign, instrument=Instrument.SELF)
    }
    assert rows["Hjemmeplejen Syd"].invited == 1
    assert not rows["Hjemmeplejen Nord"].suppressed


def test_a_campaign_opened_ahead_of_its_date_invites_on_the_date(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    start = timezone.localdate() + dt.timedelta(days=3)
    campaign = make_campaign(opens_on=start, closes_on=start + dt.timedelta(days=14))
    assert mail.outbox == []
    assert services.invitations_send_due(today=start - dt.timedelta(days=1)) == 0
    participants = Participant.objects.filter(campaign=campaign).count()
    assert services.invitations_send_due(today=start) == participants
    assert services.invitations_send_due(today=start) == 0


def test_resending_to_someone_without_an_address_does_not_mark_them_invited(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    team.outsider.email = ""
    team.outsider.save()
    make_campaign()
    participant = Participant.objects.get(person=team.outsider)
    assert participant.invited_at is None
    assert not services.invitation_resend(participant=participant)
    participant.refresh_from_db()
    assert participant.invited_at is None
