"""TEMPORARY (helper's own axe check; deleted after use)."""
from __future__ import annotations
from collections.abc import Callable
from typing import Any
import pytest
from playwright.sync_api import Page, expect
from fagdigital.assessments.models import Evidence, Instrument, Response, ResponseStatus
from fagdigital.assessments.tests.conftest import Team, make_campaign, team  # noqa: F401
from fagdigital.conftest import make_leader, make_member, organisation  # noqa: F401
from tests.browser.test_assessments import tab_to, enter_and_wait, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

def _login(page, live_server, user):
    user.set_password(PASSWORD); user.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")

def test_test_flow(page: Page, live_server: Any, team: Team, make_campaign, assert_accessible) -> None:
    campaign = make_campaign()
    _login(page, live_server, team.users[0])
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/videnstest/")
    assert_accessible(page)
    tab_to(page, "form[data-submit-once] button")
    enter_and_wait(page)
    assert_accessible(page)
    # answer all by keyboard
    names = page.eval_on_selector_all("form[data-autosave] input", "els => [...new Set(els.filter(e => e.name.startsWith('q')).map(e => e.name))]")
    for name in names:
        tab_to(page, f"input[name='{name}']")
        page.keyboard.press("Space")
        expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    expect(page.locator("#answer-progress")).to_contain_text(f"{len(names)} af {len(names)}")
    tab_to(page, "form[data-autosave] button[type=submit]")
    enter_and_wait(page)
    assert_accessible(page)
    tab_to(page, "form[data-submit-once] button")
    enter_and_wait(page)
    expect(page.locator("h1")).to_contain_text("Resultat")
    assert_accessible(page)
    assert Evidence.objects.filter(source="test").count() == 8

def test_leader_and_survey(page: Page, live_server: Any, team: Team, make_campaign, make_member, assert_accessible) -> None:
    campaign = make_campaign()
    _login(page, live_server, team.leader)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/")
    assert_accessible(page)
    tab_to(page, "table a")
    enter_and_wait(page)
    assert_accessible(page)
    name = page.eval_on_selector("form[data-autosave] input[type=radio]", "e => e.name")
    tab_to(page, f"input[name='{name}']")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    tab_to(page, "textarea")
    page.keyboard.type("En kommentar")
    page.keyboard.press("Tab")
    expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    tab_to(page, "button[formaction]")
    enter_and_wait(page)
    assert_accessible(page)
    assert Evidence.objects.filter(source="leader").count() == 1
    chief = make_member(team.organisation, "top_management")
    page.context.clear_cookies()
    _login(page, live_server, chief)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledelsesmaaling/")
    assert_accessible(page)
    name = page.eval_on_selector("form[data-autosave] input[type=radio]", "e => e.name")
    tab_to(page, f"input[name='{name}']")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    tab_to(page, "button[formaction]")
    enter_and_wait(page)
    assert_accessible(page)
    assert Response.objects.get(instrument=Instrument.CHIEFS).status == ResponseStatus.SUBMITTED

def test_long_team(page: Page, live_server: Any, team: Team, make_campaign, assert_accessible) -> None:
    from fagdigital.testing.factories import EngagementFactory, OrgUnitFactory, PersonFactory
    sub = OrgUnitFactory(parent=team.unit, name="Gruppe 2")
    for i in range(34):
        EngagementFactory(person=PersonFactory(organisation=team.organisation), unit=sub)
    campaign = make_campaign()
    _login(page, live_server, team.leader)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/")
    assert_accessible(page)
    tab_to(page, "a.button-next")
    enter_and_wait(page)
    assert_accessible(page)
    tab_to(page, "#team-q")
    page.keyboard.type("a")
    page.wait_for_timeout(800)
    page.wait_for_load_state("networkidle")
    assert_accessible(page)

def test_shots(page: Page, live_server: Any, team: Team, make_campaign, viewport) -> None:
    from fagdigital.testing.factories import EngagementFactory, OrgUnitFactory, PersonFactory
    sub = OrgUnitFactory(parent=team.unit, name="Gruppe 2")
    for i in range(34):
        EngagementFactory(person=PersonFactory(organisation=team.organisation), unit=sub)
    campaign = make_campaign()
    w = viewport["width"]
    _login(page, live_server, team.users[0])
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/videnstest/")
    page.locator("form[data-submit-once] button").click(); page.wait_for_load_state("networkidle")
    for i, name in enumerate(page.eval_on_selector_all("form[data-autosave] input", "els => [...new Set(els.filter(e => e.name.startsWith('q')).map(e => e.name))]")):
        page.locator(f"input[name='{name}']").nth(i % 2).check()
        expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    page.screenshot(path=f"/tmp/shot_questions_{w}.png", full_page=False)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/videnstest/indsend/")
    page.locator("form[data-submit-once] button").click(); page.wait_for_load_state("networkidle")
    page.locator("h2").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/shot_result_{w}.png", full_page=True)
    page.context.clear_cookies()
    _login(page, live_server, team.leader)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/")
    page.screenshot(path=f"/tmp/shot_team_{w}.png", full_page=True)
    page.locator("table a").first.click(); page.wait_for_load_state("networkidle")
    page.screenshot(path=f"/tmp/shot_rate_{w}.png", full_page=False)
