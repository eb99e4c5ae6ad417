"""A leader follows the response rates of the units they lead, under the same rule as HR's rate page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.assessments import services
from fagdigital.assessments.models import Campaign, Instrument, Response, Visibility
from fagdigital.assessments.tests.conftest import Team

pytestmark = pytest.mark.django_db


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_leader_sees_the_rates_of_their_own_units_only(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign(visibility=Visibility.ANONYMOUS, instruments=(Instrument.SELF,))
    for user, person in list(zip(team.users, team.members, strict=True))[:3]:
        response = services.response_get_or_create(
            campaign=campaign, instrument=Instrument.SELF, respondent=user, subject=person
        )
        Response.objects.filter(pk=response.pk).update(status="submitted")
    client = client_for(team.leader)
    page = text(client, f"/maalinger/{campaign.pk}/mine-enheder/svarprocent/")
    # Nord's 7 (the team and its leader) are one publication block: 3 of 7 answered.
    assert "Hjemmeplejen Nord 7 7 43 % (3 af 7)" in page
    # Not the sibling the leader does not lead, nor the units above.
    assert "Hjemmeplejen Syd" not in page and "Kommunen 8" not in page
    # The dashboard links the open round for the leader.
    assert f"/maalinger/{campaign.pk}/mine-enheder/svarprocent/" in client.get("/analyse/").content.decode()


def test_someone_who_leads_no_unit_in_the_round_gets_404(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    make_leader: Callable[..., User],
) -> None:
    campaign = make_campaign(
        visibility=Visibility.ANONYMOUS, instruments=(Instrument.SELF,), units=[(team.unit, True)]
    )
    other_leader = make_leader(team.other_unit)
    assert (
        client_for(other_leader).get(f"/maalinger/{campaign.pk}/mine-enheder/svarprocent/").status_code == 404
    )
    assert (
        client_for(team.users[0]).get(f"/maalinger/{campaign.pk}/mine-enheder/svarprocent/").status_code
        == 403
    )
