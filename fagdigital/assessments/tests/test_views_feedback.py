"""The profile page, its PDF, and who may see a team member's profile."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments.models import Campaign, Instrument, Visibility
from fagdigital.assessments.tests.conftest import Team, make_legacy_anonymous
from fagdigital.assessments.tests.test_feedback import assess, take_test
from fagdigital.assessments.views import feedback as views_feedback
from fagdigital.core import pdf as core_pdf
from fagdigital.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("assessments:my_profile")
PDF = reverse("assessments:my_profile_pdf")


def body(response: Any) -> str:
    return str(response.content.decode())


def member_profile_url(campaign: Campaign, person_id: int) -> str:
    return reverse("assessments:team_member_profile", args=[campaign.pk, person_id])


@pytest.fixture
def assessed(team: Team, make_campaign: Callable[..., Campaign]) -> Campaign:
    """A development-dialogue campaign in which the first member has a self-assessment, a leader
    rating and a test, and the self-assessment of BK1 is two levels above the leader's."""
    campaign = make_campaign()
    person, user = team.members[0], team.users[0]
    assess(team, campaign, user, person, "self", {"BK1": 4, "BK6": 1, "BK7": 1, "BK9": 2, "DS1": 2})
    assess(team, campaign, team.leader, person, "leader", {"BK1": 2})
    take_test(campaign, user, person, correct={"DS1", "DS2"})
    return campaign


def text_of_pdf(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, so its objects (pages, metadata) can be searched."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_string(value: str) -> list[bytes]:
    """How a PDF may write a text string: literal, or UTF-16BE with a byte-order mark (hex or raw)."""
    utf16 = b"\xfe\xff" + value.encode("utf-16-be")
    return [value.encode("latin-1", "ignore"), utf16.hex().encode(), utf16.hex().upper().encode(), utf16]


# --- My profile ----------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    for url in [PROFILE, PDF]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/log-ind/")


def test_profile_page_shows_wheel_table_strengths_development_and_calibration(
    team: Team, assessed: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.users[0]).get(PROFILE)

    assert response.status_code == 200
    html = body(response)
    assert html.count("<h1") == 1
    assert "Min kompetenceprofil" in html
    # The wheel: an accessible inline SVG with the target and current polygons, no style attributes.
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg"\n') :]
    svg = svg[: svg.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="profile-wheel-title profile-wheel-desc"' in svg
    assert '<title id="profile-wheel-title">' in svg and '<desc id="profile-wheel-desc">' in svg
    assert 'stroke-dasharray="10 6"' in svg and svg.count("<circle") >= 1
    assert "style=" not in html and "<script>" not in html
    assert "Det samme som tabel" in html
    assert "Omsorgsjournal og dokumentation i pleje og omsorg" in html
    # Development areas carry what to aim for: the target level's descriptor.
    assert "De vigtigste udviklingsområder" in html
    assert "Bruger journalens data" in html  # BK1 is at level 2 (leader) against target 3
    assert "Du har vurderet dig selv til niveau 4, og din leder har vurderet dig til niveau 2." in html
    assert "4 af 4 rigtige" in html  # the test's score detail among all sources
    assert PDF in html and "Hent som PDF" in html
    assert "Næste skridt" in html and "læringsaktiviteter" in html


def test_profile_page_without_evidence_links_to_my_campaigns(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    make_campaign()

    response = client_for(team.users[1]).get(PROFILE)

    assert response.status_code == 200
    html = body(response)
    assert "Du har ingen resultater endnu" in html
    assert f'href="{reverse("assessments:mine")}"' in html
    assert "<svg" not in html and "Hent som PDF" not in html


def test_profile_page_without_an_employee_record_explains_it(
    team: Team, make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = make_member(team.organisation, "employee")

    response = client_for(user).get(PROFILE)

    assert response.status_code == 200
    assert "ikke registreret som medarbejder" in body(response)


def test_profile_page_takes_a_fixed_number_of_queries(
    team: Team, assessed: Campaign, client_for: Callable[[User], Client], django_assert_max_num_queries: Any
) -> None:
    client = client_for(team.users[0])
    # 21: the framework's knowledge cap, and the published version and its earlier versions.
    with django_assert_max_num_queries(21):
        assert client.get(PROFILE).status_code == 200


def test_profile_pdf_is_an_a4_document_with_the_persons_name(
    team: Team, assessed: Campaign, client_for: Callable[[User], Client]
) -> None:
    person = team.members[0]

    response = client_for(team.users[0]).get(PDF)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"{timezone.localdate().isoformat()}.pdf" in disposition
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = response.content
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000
    inflated = text_of_pdf(data)
    pages = re.findall(rb"/Type\s*/Page\b", inflated)
    assert 1 <= len(pages) <= 10
    assert b"/MediaBox [0 0 595" in inflated  # A4 width in points
    title = f"Kompetenceprofil for {person.name}"
    assert any(candidate in inflated for candidate in pdf_string(title))


def test_profile_pdf_without_results_goes_back_to_the_page(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    make_campaign()

    response = client_for(team.users[1]).get(PDF)

    assert response.status_code == 302
    assert response["Location"] == PROFILE


def test_profile_pdf_without_an_employee_record_goes_back_to_the_page(
    team: Team, make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    response = client_for(make_member(team.organisation, "employee")).get(PDF)

    assert response.status_code == 302
    assert response["Location"] == PROFILE


def test_pdf_filename_is_ascii_with_danish_letters_spelt_out() -> None:
    assert views_feedback.pdf_filename("Søren Ærø Åby", "2026-03-01") == (
        "kompetenceprofil-soeren-aeroe-aaby-2026-03-01.pdf"
    )


def test_pdf_never_fetches_from_the_network() -> None:
    for url in ["https://example.com/evil.css", "http://127.0.0.1:8000/static/x.png", "file:///etc/passwd"]:
        with pytest.raises(ValueError, match="Refused"):
            core_pdf.pdf_url_fetcher().fetch(url)


def test_pdf_render_ignores_remote_resources_in_the_html() -> None:
    html = '<html><body><img src="https://example.com/x.png"><p>Hej</p></body></html>'

    assert views_feedback.render_pdf(html).startswith(b"%PDF")


# --- A leader's view of a team member ------------------------------------------------------------


def test_leader_sees_a_team_members_profile_in_a_development_campaign(
    team: Team, assessed: Campaign, client_for: Callable[[User], Client]
) -> None:
    person = team.members[0]

    response = client_for(team.leader).get(member_profile_url(assessed, person.pk))

    assert response.status_code == 200
    html = body(response)
    assert f"Kompetenceprofil for {person.name}" in html
    assert "Selvvurdering niveau 4, ledervurdering niveau 2." in html
    assert 'role="img"' in html
    assert "Hent som PDF" not in html


def test_leader_sees_a_friendly_note_for_a_team_member_without_results(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    person = team.members[2]

    response = client_for(team.leader).get(member_profile_url(campaign, person.pk))

    assert response.status_code == 200
    assert f"{person.name} har ingen resultater endnu" in body(response)
    assert "<svg" not in body(response)


def test_leader_is_refused_in_an_anonymous_campaign(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    # Anonymous rounds refuse the leader assessment now; rounds from before may still have it.
    campaign = make_legacy_anonymous(make_campaign())
    person = team.members[0]
    assess(team, campaign, team.users[0], person, "self", {"BK1": 3})

    response = client_for(team.leader).get(member_profile_url(campaign, person.pk))

    assert response.status_code == 404


def test_leader_view_leaves_out_results_from_anonymous_campaigns(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    anonymous = make_campaign(
        instruments=(Instrument.SELF,), visibility=Visibility.ANONYMOUS, name="Anonym runde"
    )
    development = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER), name="MUS-runde")
    person = team.members[0]
    assess(team, anonymous, team.users[0], person, "self", {"BK1": 4})
    assess(team, development, team.leader, person, "leader", {"BK6": 2})

    html = body(client_for(team.leader).get(member_profile_url(development, person.pk)))

    assert "MUS-runde" in html
    assert "Anonym runde" not in html
    assert "Kun resultaterne fra målingen »MUS-runde« er med her." in html


def test_leader_is_refused_for_a_person_outside_their_units(
    team: Team, assessed: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.leader).get(member_profile_url(assessed, team.outsider.pk))

    assert response.status_code == 404


def test_employee_cannot_see_a_colleagues_profile(
    team: Team, assessed: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.users[1]).get(member_profile_url(assessed, team.members[0].pk))

    assert response.status_code == 404


def test_another_organisations_user_gets_404(
    team: Team, assessed: Campaign, make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    stranger = make_member(OrganisationFactory(), "employee", "leader", "competence_admin")

    client = client_for(stranger)

    assert client.get(member_profile_url(assessed, team.members[0].pk)).status_code == 404
    own = client.get(PROFILE)
    assert own.status_code == 200
    assert team.members[0].name not in body(own)
