"""HR's item editor in a real browser: write an item, preview it as the employee sees it, save, retire;
and a closed round's item statistics. Every page is checked with axe at 1280 px and 375 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.assessments import services
from fagdigital.assessments.models import Instrument, TestItem
from fagdigital.assessments.tests.conftest import Team
from tests.browser.test_assessments import enter_and_wait, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def login_hr(page: Page, live_server: Any, team: Team) -> None:
    team.admin.set_password(PASSWORD)
    team.admin.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(team.admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")


def test_hr_writes_previews_saves_and_retires_an_item(
    page: Page, live_server: Any, team: Team, assert_accessible: Callable[[Page], None]
) -> None:
    services.item_bank_install(organisation=team.organisation, framework_key=team.framework.key)
    login_hr(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/videnstest/spoergsmaal/")
    assert_accessible(page)
    tab_to(page, "a[href$='/videnstest/spoergsmaal/ny/']")
    enter_and_wait(page)
    assert_accessible(page)

    # Saving with a missing key: the error summary names the problem and nothing is saved.
    page.get_by_label("Kompetence", exact=True).select_option("DS1")
    page.get_by_label("Ét rigtigt svar").check()
    page.get_by_label("2", exact=True).check()
    page.get_by_label("Spørgsmål (dansk)").fill(
        "Hvad gør du, når en QR-kode på en plakat beder dig logge ind?"
    )
    page.get_by_label("Forklaring (dansk)").fill(
        "En QR-kode er et link, du ikke kan se. Log aldrig ind via den."
    )
    page.get_by_label("Svarmulighed 1 (dansk)").fill("Scanner ikke koden og melder plakaten.")
    page.get_by_label("Svarmulighed 2 (dansk)").fill("Scanner koden med din private telefon.")
    page.get_by_label("Svarmulighed 3 (dansk)").fill("Scanner koden, hvis plakaten har kommunens logo.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem spørgsmålet").click()
    expect(page.locator(".alert-error")).to_contain_text("præcis én rigtig svarmulighed")
    assert_accessible(page)
    assert not TestItem.objects.filter(key="DS1-E01").exists()

    # Mark the right answer by keyboard, preview, then save.
    tab_to(page, "#id_option_1_correct")
    page.keyboard.press("Space")
    tab_to(page, "button[name=action][value=preview]")
    enter_and_wait(page)
    preview = page.locator(".item-preview")
    expect(preview).to_contain_text("Sådan ser medarbejderen spørgsmålet")
    expect(preview).to_contain_text("Scanner ikke koden og melder plakaten.")
    expect(preview.locator("input[type=radio]")).to_have_count(3)
    assert_accessible(page)
    assert not TestItem.objects.filter(key="DS1-E01").exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Gem spørgsmålet").click()
    expect(page.locator("body")).to_contain_text("DS1-E01 er oprettet")
    assert_accessible(page)
    item = TestItem.objects.get(key="DS1-E01")
    assert item.correct_keys == {"a"} and item.active

    page.get_by_role("link", name="Træk spørgsmålet tilbage").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Træk spørgsmålet tilbage").click()
    item.refresh_from_db()
    assert not item.active


def test_hr_reads_a_closed_rounds_item_statistics(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,))
    for user, person in zip(team.users, team.members, strict=True):
        response = services.response_get_or_create(
            campaign=campaign, instrument=Instrument.TEST, respondent=user, subject=person
        )
        for number, question in enumerate(services.test_start(response=response)):
            keys = sorted(question.item.correct_keys) if number % 3 else question.option_order[:1]
            services.test_answer_save(
                response=response,
                question=question,
                selected=keys[:1] if question.item.kind == "single" else keys,
            )
        services.test_submit(response=response)
    services.campaign_close(campaign=campaign)
    login_hr(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/")
    page.get_by_role("link", name="Statistik og pålidelighed").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("Videnstestens statistik")
    expect(page.locator("body")).to_contain_text("Cronbachs alfa")
    expect(page.locator("body")).to_contain_text("Færre end 5 svar")
    assert_accessible(page)
