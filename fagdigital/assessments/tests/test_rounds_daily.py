"""Rounds in daily use (issue 11, item 6) and the resume link (issue 10, item 6), over real HTTP."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    Participant,
    Response,
    Visibility,
)
from fagdigital.assessments.tests.conftest import Team
from fagdigital.assessments.tests.test_views_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # the e-mail limits count in the cache
    yield
    cache.clear()


def _submit_self(team: Team, campaign: Campaign, index: int) -> None:
    response = services.response_get_or_create(
        campaign=campaign,
        instrument=Instrument.SELF,
        respondent=team.users[index],
        subject=team.members[index],
    )
    first = selectors.questionnaire_competences(campaign=campaign, role_profile_code="sosu-assistent")[0]
    services.answers_save(response=response, levels={first.pk: 2})
    services.response_submit(response=response)


# --- Send reminder now ---------------------------------------------------------------------------


def test_send_reminder_now_asks_first_with_the_count_then_reminds_each_non_respondent_once(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    _submit_self(team, campaign, 0)
    waiting = Participant.objects.filter(campaign=campaign).count() - 1
    admin = client_for(team.admin)
    url = reverse("assessments:reminder_now", args=[campaign.pk])
    detail = admin.get(reverse("assessments:campaign_detail", args=[campaign.pk])).content.decode()
    assert url in detail
    mail.outbox.clear()
    question = admin.get(url)
    assert question.status_code == 200
    assert f"Påmindelsen går til {waiting} personer" in question.content.decode()
    assert not mail.outbox  # asking sends nothing
    sent = admin.post(url)
    assert sent.status_code == 302
    assert f"Påmindelsen er sendt til {waiting} personer." in admin.get(sent["Location"]).content.decode()
    reminded = {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == waiting
    assert team.members[0].email not in reminded and team.users[0].email not in reminded
    assert all(m.subject.startswith("Påmindelse") for m in mail.outbox)
    # A second click the same day reminds nobody twice.
    mail.outbox.clear()
    assert "Der er ingen at minde om lige nu" in admin.get(url).content.decode()
    admin.post(url)
    assert not mail.outbox


def test_send_reminder_now_is_refused_for_a_closed_round_and_never_500s(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    services.campaign_close(campaign=campaign)
    response = client_for(team.admin).post(reverse("assessments:reminder_now", args=[campaign.pk]))
    assert response.status_code == 409
    assert "Målingen er ikke åben, så der kan ikke sendes påmindelser." in response.content.decode()


def test_send_reminder_now_in_a_small_anonymous_round_shows_no_number(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    # One person in scope: an anonymous round shows no counts below the anonymity minimum.
    campaign = make_campaign(
        instruments=(Instrument.SELF,), visibility=Visibility.ANONYMOUS, units=[(team.other_unit, False)]
    )
    assert Participant.objects.filter(campaign=campaign).count() == 1
    admin = client_for(team.admin)
    url = reverse("assessments:reminder_now", args=[campaign.pk])
    page = admin.get(url).content.decode()
    assert "antallet vises ikke" in page
    assert "Påmindelsen går til 1" not in page
    sent = admin.post(url)
    message = admin.get(sent["Location"]).content.decode()
    assert "Påmindelsen er sendt til dem, der ikke har svaret." in message
    assert "sendt til 1 person" not in message


# --- Closing ---------------------------------------------------------------------------------------


def test_no_path_reopens_a_closed_round(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    services.campaign_close(campaign=campaign)
    admin = client_for(team.admin)
    base = f"/maalinger/{campaign.pk}"
    assert admin.post(f"{base}/aabn/").status_code == 409
    assert admin.post(f"{base}/luk/").status_code == 409
    assert admin.post(f"{base}/forlaeng/", {"closes_on": "2099-01-01"}).status_code == 409
    assert admin.post(f"{base}/rediger/", form_data(team)).status_code == 409
    for call in (
        lambda: services.campaign_open(campaign=campaign),
        lambda: services.campaign_update(
            campaign=campaign,
            values=services.CampaignSettings(
                name="x",
                framework=team.framework,
                opens_on=timezone.localdate(),
                closes_on=timezone.localdate(),
                instruments=[Instrument.SELF],
                visibility=Visibility.DEVELOPMENT,
                units=[(team.root, True)],
            ),
        ),
        lambda: services.campaign_extend(
            campaign=campaign,
            closes_on=timezone.localdate() + dt.timedelta(days=30),
            today=timezone.localdate(),
        ),
    ):
        with pytest.raises(ValidationError):
            call()
    # Not even a direct save of the model.
    campaign.status = CampaignStatus.OPEN
    with pytest.raises(ValidationError, match="En lukket måling kan ikke åbnes igen"):
        campaign.save()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    # The daily run closes, it never opens.
    assert services.campaigns_close_due(today=timezone.localdate() + dt.timedelta(days=365)) == 0


# --- Anonymous rounds refuse the leader assessment --------------------------------------------------


def test_the_round_form_refuses_the_leader_assessment_in_an_anonymous_round(
    team: Team, client_for: Callable[[User], Client]
) -> None:
    data = form_data(team, instruments=["self", "leader"], visibility="anonymous")
    response = client_for(team.admin).post("/maalinger/ny/", data)
    assert response.status_code == 422
    assert "Ledervurdering kan ikke være med i en anonym måling" in response.content.decode()
    assert not Campaign.objects.exists()
    development = client_for(team.admin).post(
        "/maalinger/ny/", form_data(team, instruments=["self", "leader"])
    )
    assert development.status_code == 302


# --- A closed round's leader page is read-only ---------------------------------------------------


def test_a_closed_rounds_leader_pages_say_se_and_change_nothing(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER))
    leader = client_for(team.leader)
    member = team.members[1]
    team_url = reverse("assessments:leader_team", args=[campaign.pk])
    rate_url = reverse("assessments:leader_rate", args=[campaign.pk, member.pk])
    assert f'aria-label="Vurdér {member.name}"' in leader.get(team_url).content.decode()
    services.campaign_close(campaign=campaign)
    page = leader.get(team_url).content.decode()
    assert f'aria-label="Se din vurdering af {member.name}"' in page
    assert f'aria-label="Vurdér {member.name}"' not in page
    assert "Målingen tager ikke imod svar, så de kan ikke ændres." in page
    mine = leader.get(reverse("assessments:mine")).content.decode()
    assert "Se dine vurderinger" in mine and "Vurdér dine medarbejdere" not in mine
    rate = leader.get(rate_url)
    assert rate.status_code == 200
    assert "Indsend vurderingen" not in rate.content.decode()
    assert not Response.objects.filter(campaign=campaign, instrument=Instrument.LEADER).exists()
    assert (
        leader.post(reverse("assessments:leader_save", args=[campaign.pk, member.pk]), {}).status_code == 302
    )
    refused = leader.post(reverse("assessments:leader_submit", args=[campaign.pk, member.pk]))
    assert refused.status_code == 409
    assert "Målingen er lukket" in refused.content.decode()
    # Looking, saving and submitting after close leave no trace.
    assert not Response.objects.filter(campaign=campaign, instrument=Instrument.LEADER).exists()


# --- Resume anywhere: a new link from the login page ----------------------------------------------


def _token(body: str) -> str:
    found = re.search(r"/maalinger/link/([^/\s]+)/", body)
    assert found is not None
    return found.group(1)


def test_a_person_who_started_with_a_link_gets_a_new_one_from_the_login_page(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    invitation = next(m for m in mail.outbox if m.to == [team.outsider.email])
    old = _token(str(invitation.body))
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("assessments:new_link") in login_page
    mail.outbox.clear()
    response = client.post(reverse("assessments:new_link"), {"email": team.outsider.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:new_link_sent")
    [message] = mail.outbox
    assert message.to == [team.outsider.email]
    assert campaign.name in message.subject
    new = _token(str(message.body))
    # The new link signs in and continues the round; the old one no longer works.
    assert client.post(reverse("assessments:signin_link", args=[old])).status_code == 400
    signed_in = client.post(reverse("assessments:signin_link", args=[new]))
    assert signed_in["Location"] == reverse("assessments:self_start", args=[campaign.pk])


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    make_campaign(instruments=(Instrument.SELF,))
    mail.outbox.clear()
    known = client.post(
        reverse("assessments:new_link"), {"email": team.outsider.email}, REMOTE_ADDR="10.9.0.1"
    )
    unknown = client.post(
        reverse("assessments:new_link"), {"email": "ingen@kommune.dk"}, REMOTE_ADDR="10.9.0.2"
    )
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    # Someone with a password logs in with it: no link is sent.
    with_password = team.members[0]
    assert with_password.user is not None and with_password.user.has_usable_password()
    client.post(reverse("assessments:new_link"), {"email": with_password.email}, REMOTE_ADDR="10.9.0.3")
    assert len(mail.outbox) == 1


def test_new_links_are_limited_per_address(
    team: Team, make_campaign: Callable[..., Campaign], client: Client, settings: Any
) -> None:
    make_campaign(instruments=(Instrument.SELF,))
    mail.outbox.clear()
    limit = settings.EMAIL_REQUEST_LIMIT_PER_ADDRESS
    statuses = [
        client.post(
            reverse("assessments:new_link"), {"email": team.outsider.email}, REMOTE_ADDR=f"10.8.0.{n}"
        ).status_code
        for n in range(limit + 1)
    ]
    assert statuses == [302] * limit + [429]
    assert len(mail.outbox) == limit


def test_a_bad_address_is_refused_at_the_field(client: Client) -> None:
    response = client.post(reverse("assessments:new_link"), {"email": "ikke en adresse"})
    assert response.status_code == 422
    assert "Indtast en gyldig e-mail" in response.content.decode() or "gyldig" in response.content.decode()
