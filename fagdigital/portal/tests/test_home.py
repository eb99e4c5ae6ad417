"""Every role's home page leads somewhere: open rounds with deadlines, the profile, what the role can do."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.assessments.models import Campaign, Instrument, Visibility
from fagdigital.assessments.tests.conftest import Team
from fagdigital.tenancy.models import OrganisationKind
from fagdigital.tenancy.services import network_ensure
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MakeCampaign = Callable[..., Campaign]
LINK = re.compile(r'<a [^>]*href="(/[^"#]*)')


def links(body: str) -> list[str]:
    return sorted(set(LINK.findall(body)))


def assert_links_answer(client: Client, body: str) -> list[str]:
    """Every internal link on the page answers 200 to the same reader (after any redirect)."""
    found = links(body)
    for url in found:
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
    return found


def test_the_employee_sees_the_open_round_with_its_deadline_and_next_step(
    client_for: Callable[[User], Client], team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.TEST))
    client = client_for(team.users[0])
    body = client.get("/").content.decode()
    assert "Dine målinger" in body and campaign.name in body
    assert f"Svar senest {campaign.closes_on.day}." in body and "14 dage tilbage" in body
    assert f'href="/maalinger/{campaign.pk}/selvvurdering/">Besvar' in body
    assert f'href="/maalinger/{campaign.pk}/videnstest/">Besvar' in body
    assert "Din kompetenceprofil" in body and "bliver til, når du har svaret" in body
    # Opening the self-assessment starts it: the home page then says "Fortsæt".
    client.get(f"/maalinger/{campaign.pk}/selvvurdering/")
    body = client.get("/").content.decode()
    assert f'href="/maalinger/{campaign.pk}/selvvurdering/">Fortsæt' in body
    assert_links_answer(client, body)


def test_the_leader_sees_their_units_and_the_team_to_rate(
    client_for: Callable[[User], Client], team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign()
    client = client_for(team.leader)
    body = client.get("/").content.decode()
    assert "Som leder" in body and "Hjemmeplejen Nord" in body
    assert "6 medarbejdere at vurdere" in body
    assert f'href="/maalinger/{campaign.pk}/ledervurdering/">Vurdér dine medarbejdere' in body
    found = assert_links_answer(client, body)
    assert f"/struktur/enheder/{team.unit.pk}/" in found


def test_hr_sees_what_to_administer_and_every_link_answers(
    client_for: Callable[[User], Client], team: Team, make_campaign: MakeCampaign
) -> None:
    make_campaign()
    client = client_for(team.admin)
    body = client.get("/").content.decode()
    assert "Som kompetencekonsulent/HR" in body and "1 åben måling." in body
    found = assert_links_answer(client, body)
    assert {"/maalinger/", "/struktur/roller/", "/struktur/import/", "/rammer/"} <= set(found)
    # No employee record: no rounds, profile or own pages, and "Min side" explains instead of a 404.
    assert "Dine målinger" not in body and "Din kompetenceprofil" not in body
    assert client.get("/struktur/mig/").status_code == 200


def test_top_management_sees_the_organisations_figures(
    client_for: Callable[[User], Client], make_member: Callable[..., User], team: Team
) -> None:
    client = client_for(make_member(team.organisation, "top_management"))
    body = client.get("/").content.decode()
    assert "Som direktion" in body
    found = assert_links_answer(client, body)
    assert "/analyse/" in found and "/analyse/ledelsesindikatorer/" in found


def test_an_education_provider_gets_a_workplace_demand_and_the_catalogue() -> None:
    provider = OrganisationFactory(kind=OrganisationKind.EDUCATION_PROVIDER, kommunekode=None, name="UCX")
    user = MembershipFactory(organisation=provider, roles=["education_provider"]).user
    client = Client()
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Som uddannelsesudbyder" in body and "Det kommer:" not in body
    assert "I er ikke med i noget netværk endnu." in body
    found = assert_links_answer(client, body)
    assert "/struktur/mig/" in found  # the menu's "Min side", which explains there is no record
    assert {"/udvikling/udbyder/", "/udvikling/efterspoergsel/", "/udvikling/katalog/"} <= set(found)


def test_a_network_coordinator_gets_the_networks_pages_their_role_opens() -> None:
    operator = OrganisationFactory(kind=OrganisationKind.NETWORK_OPERATOR, kommunekode=None, name="Netop")
    members = [OrganisationFactory() for _index in range(3)]
    network_ensure(name="Testnetværket", coordinator=operator, members=members)
    user = MembershipFactory(organisation=operator, roles=["network_coordinator"]).user
    client = Client()
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Som netværkskoordinator" in body and "Testnetværket: 3 medlemmer." in body
    found = assert_links_answer(client, body)
    assert {"/analyse/benchmark/", "/udvikling/netvaerk/", "/udvikling/efterspoergsel/"} <= set(found)


def test_the_platform_administrator_reaches_the_platform_and_status_pages(
    client_for: Callable[[User], Client], make_member: Callable[..., User], team: Team
) -> None:
    client = client_for(make_member(team.organisation, "platform_admin"))
    body = client.get("/").content.decode()
    assert "Som platformadministrator" in body
    found = assert_links_answer(client, body)
    assert {"/platform/", "/driftsstatus/"} <= set(found)


def test_a_leader_reaches_a_team_members_profile_from_their_person_page_in_a_development_round(
    client_for: Callable[[User], Client], team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign()
    member = team.members[0]
    client = client_for(team.leader)
    body = client.get(f"/struktur/personer/{member.pk}/").content.decode()
    url = f"/maalinger/{campaign.pk}/ledervurdering/{member.pk}/profil/"
    assert f'href="{url}"' in body
    assert client.get(url).status_code == 200
    # The person sees their own; HR sees no one's.
    own = client_for(team.users[0]).get(f"/struktur/personer/{member.pk}/").content.decode()
    assert 'href="/maalinger/min-profil/"' in own
    hr = client_for(team.admin).get(f"/struktur/personer/{member.pk}/").content.decode()
    assert "/profil/" not in hr and "min-profil" not in hr


def test_an_anonymous_round_gives_the_leader_no_profile_link(
    client_for: Callable[[User], Client], team: Team, make_campaign: MakeCampaign
) -> None:
    make_campaign(visibility=Visibility.ANONYMOUS)
    body = client_for(team.leader).get(f"/struktur/personer/{team.members[0].pk}/").content.decode()
    assert "/profil/" not in body


def test_users_without_an_organisation_get_a_page_not_an_error(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 403
    assert "ikke tilknyttet en organisation" in response.content.decode()


def test_the_menu_offers_only_what_the_reader_may_open(
    client_for: Callable[[User], Client], make_member: Callable[..., User], team: Team, settings: Any
) -> None:
    employee_menu = client_for(team.users[0]).get("/").content.decode().split("</nav>")[0]
    assert "/maalinger/mine/" in employee_menu and "/struktur/roller/" not in employee_menu
    assert "/platform/" not in employee_menu and "/analyse/" not in employee_menu
    hr_menu = client_for(team.admin).get("/").content.decode().split("</nav>")[0]
    assert "/struktur/roller/" in hr_menu and "/maalinger/" in hr_menu
