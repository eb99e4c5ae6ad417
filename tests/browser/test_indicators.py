"""The chiefs' indicators in a real browser (issue 12): the national reference figures beside the
organisation's, "ved ikke" both ways, and the chiefs' view beside the measured share at target per focus
area; axe-clean at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.accounts.models import User
from fagdigital.analytics.tests.chiefs_scenario import Chief, closed_round
from fagdigital.assessments.models import Campaign
from fagdigital.assessments.tests.conftest import Team

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"
CHIEFS: list[Chief] = [
    ("topchef", {"medarbejdere-kompetencer": 5, "bk-kompetencer": 4}),
    ("topchef", {"medarbejdere-kompetencer": 4, "bk-kompetencer": 4}),
    ("topchef", {"medarbejdere-kompetencer": 3, "bk-kompetencer": 2}),
    ("digitaliseringschef", {"medarbejdere-kompetencer": None, "bk-kompetencer": 2}),
    ("digitaliseringschef", {"medarbejdere-kompetencer": None, "bk-kompetencer": None}),
]


def test_the_indicators_show_reference_figures_and_the_chiefs_view_beside_the_measured(
    page: Page,
    *,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    make_member: Callable[..., User],
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = closed_round(team, make_campaign, make_member, CHIEFS)
    director = make_member(team.organisation, "top_management")
    director.set_password(PASSWORD)
    director.save()
    login(page, director.email, PASSWORD)
    page.goto(f"{live_server.url}/analyse/ledelsesindikatorer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ledelsesindikatorer")

    references = page.get_by_role("region", name="Tabel: landstal, jeres andel og netværkets andel")
    competences = references.get_by_role(
        "row", name="I hvor høj grad besidder medarbejderne de digitale kompetencer"
    )
    expect(competences.get_by_role("cell").nth(0)).to_have_text("15 %")
    expect(competences.get_by_role("cell").nth(1)).to_have_text("40 %")  # of all answers
    expect(competences.get_by_role("cell").nth(2)).to_have_text("67 %")  # of those who took a position
    expect(references.get_by_role("row", name="I hvor høj grad har kommunen en strategi")).to_contain_text(
        "17 %"
    )
    expect(page.get_by_text("Rambøll: IT i Praksis®, gengivet i Hanne Bak Lumholt")).to_be_visible()

    comparison = page.get_by_role("region", name="Tabel: ledelsens vurdering og det målte pr. fokusområde")
    user_competences = comparison.get_by_role("row", name="Brugerkompetencer")
    expect(user_competences).to_contain_text("50 %")
    expect(user_competences).to_contain_text("33 %")
    expect(user_competences).to_contain_text("Ledelsen 17 procentpoint over det målte")
    expect(comparison.get_by_role("row", name="Data- og informationssikkerhed")).to_contain_text("100 %")
    expect(page.get_by_text(f"Det målte er nuværende niveau fra {campaign.name}")).to_be_visible()
    expect(page.get_by_role("img", name="Diagram over ledelsens vurdering og det målte")).to_be_visible()
    assert_accessible(page)
    # The tables scroll inside their regions by keyboard: they are focusable.
    comparison.focus()
    expect(comparison).to_be_focused()
