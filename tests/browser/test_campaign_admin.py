"""HR's campaign pages, the chiefs' survey and the management pages in a real browser, axe-clean at both
widths: creating a round (with the error summary and the live unit search), opening it, and the follow-up
pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.assessments.models import Campaign, Instrument
from fagdigital.assessments.tests.conftest import Team
from fagdigital.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def login_admin(page: Page, live_server: Any, team: Team) -> None:
    admin = team.admin
    admin.set_password(PASSWORD)
    admin.save()
    membership_grant(user=admin, organisation=team.organisation, roles=["top_management"])
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")


def test_hr_creates_opens_and_follows_a_round(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    login_admin(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/")
    assert_accessible(page)
    page.get_by_role("link", name="Opret måling").click()
    assert_accessible(page)

    page.get_by_label("Navn", exact=True).fill("")
    page.get_by_role("button", name="Opret målingen som kladde").click()
    expect(page.locator("[data-module=error-summary]")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Navn", exact=True).fill("Efterårsmåling")
    page.get_by_label("Udviklingssamtale").check()
    page.get_by_label("Find en enhed").fill("hjemme")
    expect(page.locator("#unit-results")).to_contain_text("Hjemmeplejen Nord")
    page.get_by_label("Hjemmeplejen Nord").check()
    page.get_by_role("button", name="Føj de valgte enheder til målingen").click()
    expect(page.get_by_role("status").first).to_contain_text("1 enhed")
    assert_accessible(page)
    page.get_by_role("button", name="Opret målingen som kladde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Efterårsmåling")
    assert_accessible(page)
    page.get_by_role("button", name="Åbn målingen og send invitationerne").click()
    expect(page.get_by_role("status").first).to_contain_text("er åbnet")
    assert_accessible(page)
    campaign = Campaign.objects.get(name="Efterårsmåling")
    assert campaign.status == "open"

    other = make_campaign(visibility="anonymous")
    for path in ("svarprocent/", "deltagere/", "ledelsesmaaling/spoergsmaal/", "ledelsesmaaling/resultater/"):
        page.goto(f"{live_server.url}/maalinger/{other.pk}/{path}")
        assert_accessible(page)


def test_top_management_answers_the_chiefs_survey_and_sees_the_indicators(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.CHIEFS,))
    login_admin(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledelsesmaaling/")
    assert_accessible(page)
    page.get_by_label("Digitaliserings- eller it-chef").check()
    expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    for group in page.eval_on_selector_all(
        "form[data-autosave] input[type=radio][name^=s]", "els => [...new Set(els.map(e => e.name))]"
    ):
        page.locator(f"input[name='{group}']").nth(3).check()
        expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    page.get_by_role("button", name="Indsend svarene").click()
    expect(page.get_by_text("Tak! Dine svar på ledelsesmålingen er indsendt.")).to_be_visible()
    assert_accessible(page)
    for path in ("/analyse/ledelsesindikatorer/", "/analyse/benchmark/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
