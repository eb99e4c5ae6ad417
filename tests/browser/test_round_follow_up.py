"""In a real browser, axe-clean at 1280 and 375 px: HR's "send reminder now" and closing a round both ask
first; a person who started with a one-time link asks for a new one from the login page and continues."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument
from fagdigital.assessments.tests.conftest import Team

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def _login_admin(page: Page, live_server: Any, team: Team) -> None:
    team.admin.set_password(PASSWORD)
    team.admin.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(team.admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")


def test_hr_sends_a_reminder_now_and_closes_the_round_after_confirming_each(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    _login_admin(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/")
    assert_accessible(page)
    mail.outbox.clear()

    page.get_by_role("link", name="Send påmindelse nu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send påmindelse nu?")
    expect(page.locator("main")).to_contain_text("Påmindelsen går til 8 personer")
    assert_accessible(page)
    assert not mail.outbox  # asking sends nothing
    page.get_by_role("button", name="Ja, send påmindelsen").click()
    expect(page.locator("main")).to_contain_text("Påmindelsen er sendt til 8 personer.")
    assert_accessible(page)

    page.get_by_role("link", name="Luk målingen nu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Luk »Måling 2026« nu?")
    expect(page.locator("main")).to_contain_text("En lukket måling kan ikke åbnes igen.")
    assert_accessible(page)
    page.get_by_role("link", name="Nej, lad den være åben").click()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN

    page.get_by_role("link", name="Luk målingen nu").click()
    page.get_by_role("button", name="Ja, luk målingen nu").click()
    expect(page.locator("main")).to_contain_text("er lukket. Der kan ikke længere svares.")
    assert_accessible(page)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_a_person_who_started_with_a_link_gets_a_new_one_from_the_login_page(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    mail.outbox.clear()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_role("link", name="Få et nyt link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Få et nyt link")
    assert_accessible(page)

    page.get_by_label("Din e-mail").fill("ikke en adresse")
    page.get_by_role("button", name="Send et nyt link").click()
    expect(page.locator("main")).to_contain_text("gyldig e-mail")
    assert_accessible(page)

    page.get_by_label("Din e-mail").fill(team.outsider.email)
    page.get_by_label("Din e-mail").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjek din e-mail")
    assert_accessible(page)
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/maalinger/link/[^/\s]+/)", str(message.body))
    assert link is not None

    page.goto(f"{live_server.url}{link.group(1)}")
    page.get_by_role("button", name="Log ind og start").click()
    expect(page).to_have_url(re.compile(rf"/maalinger/{campaign.pk}/selvvurdering/$"))
    assert_accessible(page)
