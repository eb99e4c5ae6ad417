"""Small holes closed (issue 10, item 5): the autosave way back, round names, and sending that fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fagdigital.accounts.models import User
from fagdigital.assessments import services
from fagdigital.assessments.models import Campaign, Instrument, Participant, SendFailure
from fagdigital.assessments.services.rounds import has_control_characters
from fagdigital.assessments.tests.conftest import Team
from fagdigital.assessments.tests.test_views_admin import form_data

pytestmark = pytest.mark.django_db

REFUSING = "fagdigital.assessments.tests.failing_mail.RefusingBackend"


# --- The autosave form's way back ----------------------------------------------------------------


@pytest.mark.parametrize(
    "back",
    [
        "javascript:alert(1)",
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "http:/evil.example",
        " javascript:alert(1)",
        "",
    ],
)
def test_autosave_goes_back_only_to_a_path_on_this_site(
    back: str, team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    client = client_for(team.users[0])
    # An invalid level makes the save refuse, which is when the form goes back.
    response = client.post(
        reverse("assessments:self_save", args=[campaign.pk]), {"c1": "not-a-level", "back": back}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:self_start", args=[campaign.pk])


def test_autosave_goes_back_to_the_page_it_came_from(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    page = f"/maalinger/{campaign.pk}/selvvurdering/12/"
    response = client_for(team.users[0]).post(
        reverse("assessments:self_save", args=[campaign.pk]), {"c1": "x", "back": page}
    )
    assert response["Location"] == page


# --- Round names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Forår\n2026", "Forår\r\nBcc: alle@kommune.dk", "Forår\t2026", "Forår\u2028x"]
)
def test_a_round_name_with_a_line_break_or_control_character_is_refused_at_the_field(
    name: str, team: Team, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.admin).post("/maalinger/ny/", form_data(team, name=name))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Navnet må ikke indeholde linjeskift" in page
    assert not Campaign.objects.exists()


@given(st.text(max_size=30))
@hypothesis_settings(max_examples=200)
def test_control_characters_are_found_wherever_they_are(text: str) -> None:
    assert has_control_characters(f"a{text}\nb")
    assert not has_control_characters("".join(c for c in text if c.isprintable() and c != "\u2028"))


def test_an_old_round_with_a_line_break_in_its_name_still_invites_everyone(
    team: Team, make_campaign: Callable[..., Campaign], django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_campaign(open_it=False)
    Campaign.objects.filter(pk=campaign.pk).update(name="Forår\n2026")
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_open(campaign=campaign)
    invited = Participant.objects.filter(campaign=campaign, invited_at__isnull=False).count()
    assert invited == Participant.objects.filter(campaign=campaign).count() > 0
    assert all("\n" not in m.subject for m in mail.outbox)
    assert any("Forår 2026" in m.subject for m in mail.outbox)
    assert not SendFailure.objects.exists()


# --- Sending that fails is recorded, shown and retried --------------------------------------------


def test_failed_invitations_are_recorded_shown_to_hr_and_sent_on_retry(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = client_for(team.admin)
    retry_url = reverse("assessments:send_retry", args=[campaign_pk := make_campaign(open_it=False).pk])
    campaign = Campaign.objects.get(pk=campaign_pk)
    with override_settings(EMAIL_BACKEND=REFUSING):
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_open(campaign=campaign)  # queues the invitations, which fail
        assert not Participant.objects.filter(campaign=campaign, invited_at__isnull=False).exists()
        failure = SendFailure.objects.get(campaign=campaign)
        assert failure.recipients == Participant.objects.filter(campaign=campaign).count()
        assert "SMTPServerDisconnected" in failure.error
        page = admin.get(reverse("assessments:campaign_detail", args=[campaign.pk])).content.decode()
        assert "Nogle e-mails kunne ikke sendes" in page
        assert retry_url in page
        with django_capture_on_commit_callbacks(execute=True):
            admin.post(retry_url)
        # The first failure is handled; the retry failed again and says so in its place.
        assert SendFailure.objects.filter(campaign=campaign, resolved_at__isnull=True).count() == 1
        assert SendFailure.objects.filter(campaign=campaign).count() == 2
        page = admin.get(reverse("assessments:campaign_detail", args=[campaign.pk])).content.decode()
        assert "Nogle e-mails kunne ikke sendes" in page

    with django_capture_on_commit_callbacks(execute=True):
        retry = admin.post(retry_url)
    assert "sendes nu" in admin.get(retry["Location"]).content.decode()
    assert Participant.objects.filter(campaign=campaign, invited_at__isnull=True).count() == 0
    assert len(mail.outbox) == Participant.objects.filter(campaign=campaign).count()
    page = admin.get(reverse("assessments:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Nogle e-mails kunne ikke sendes" not in page


def test_resend_with_a_failing_mail_server_is_a_refusal_not_an_error_page(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
) -> None:
    campaign = make_campaign()
    participant = Participant.objects.get(campaign=campaign, person=team.outsider)
    invited_at = participant.invited_at
    with override_settings(EMAIL_BACKEND=REFUSING):
        response = client_for(team.admin).post(
            reverse("assessments:participant_resend", args=[campaign.pk, participant.pk])
        )
    assert response.status_code == 409
    assert "E-mailen kunne ikke sendes" in response.content.decode()
    participant.refresh_from_db()
    assert participant.invited_at == invited_at
    assert SendFailure.objects.filter(campaign=campaign).count() == 1


def test_failed_reminders_are_recorded_and_nobody_counts_as_reminded(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,), reminder_days=[30])
    with override_settings(EMAIL_BACKEND=REFUSING):
        assert services.reminders_send_due(today=timezone.localdate()) == 0
    assert SendFailure.objects.get(campaign=campaign).kind == "reminder"
    assert not Participant.objects.filter(campaign=campaign).exclude(reminders_sent=[]).exists()
