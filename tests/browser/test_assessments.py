"""Taking part in a campaign in a real browser, by keyboard only, at 375 px and at desktop width.

Every page visited is checked with axe-core (WCAG 2.1 A/AA), for one h1 and for sideways scrolling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from fagdigital.assessments.models import Answer, Evidence, Instrument, Response, ResponseStatus
from fagdigital.assessments.tests.conftest import Team

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches `selector`: proves it is reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reachable with Tab")


def enter_and_wait(page: Page) -> None:
    """Press Enter on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def answer_area_by_keyboard(page: Page, steps_down: int) -> None:
    """Answer every radio group on the page: Tab into it, then arrow keys choose the level."""
    names = page.eval_on_selector_all(
        "form[data-autosave] input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        tab_to(page, f"input[name='{name}']")
        for _ in range(steps_down):
            page.keyboard.press("ArrowDown")
        if steps_down == 0:
            page.keyboard.press("Space")
        expect(page.locator("#save-status")).to_contain_text("Gemt kl.")


def login_as(page: Page, live_server: Any, team: Team, index: int = 0) -> None:
    user = team.users[index]
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")


def test_an_employee_completes_the_self_assessment_by_keyboard(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(visibility="development")
    login_as(page, live_server, team)

    page.goto(f"{live_server.url}/maalinger/mine/")
    assert_accessible(page)
    tab_to(page, "a[href$='/selvvurdering/']")
    enter_and_wait(page)
    expect(page.locator("h1")).to_contain_text("Selvvurdering")
    expect(page.locator(".visibility-notice")).to_contain_text("Udviklingssamtale")
    assert_accessible(page)
    tab_to(page, "a.button-primary")
    enter_and_wait(page)

    areas = 0
    while True:
        assert_accessible(page)
        answer_area_by_keyboard(page, steps_down=1)
        areas += 1
        tab_to(page, "button[name=next_area]")
        last = page.locator("button[name=next_area]").get_attribute("value") == ""
        enter_and_wait(page)
        if last:
            break
    assert areas >= 2

    expect(page.locator("h1")).to_contain_text("Gennemse og indsend")
    assert_accessible(page)
    tab_to(page, "form[data-submit-once] button")
    enter_and_wait(page)

    # Submitting leads to the personal profile: wheel, table, development areas.
    expect(page.locator("h1")).to_contain_text("kompetenceprofil")
    assert_accessible(page)
    response = Response.objects.get(campaign=campaign, instrument=Instrument.SELF)
    assert response.status == ResponseStatus.SUBMITTED
    answered = Answer.objects.filter(response=response).count()
    assert answered > 0
    assert Evidence.objects.filter(response=response).count() == answered


def test_a_failed_autosave_is_shown_retried_and_saved(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
) -> None:
    campaign = make_campaign()
    login_as(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/selvvurdering/")
    page.locator("a.button-primary").click()
    page.wait_for_load_state("networkidle")

    failures = {"left": 2}

    def flaky(route: Route) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/selvvurdering/gem/$"), flaky)
    page.locator("form[data-autosave] input[type=radio]").first.check()
    expect(page.locator("#save-status")).to_contain_text("Ikke gemt endnu")
    expect(page.locator("#save-status")).to_contain_text("Gemt kl.", timeout=15_000)
    assert failures["left"] == 0
    assert Answer.objects.filter(response__campaign=campaign).count() == 1

    # The saved answer is there after a reload.
    page.reload()
    assert page.locator("form[data-autosave] input[type=radio]").first.is_checked()


def test_an_employee_takes_the_security_test_by_keyboard(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,), test_area_codes=["DS"])
    login_as(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/videnstest/")
    assert_accessible(page)
    tab_to(page, "form[data-submit-once] button[type=submit]")
    enter_and_wait(page)

    assert_accessible(page)
    # Every question: Tab to its first option and choose it with Space (radio or checkbox alike).
    groups = page.eval_on_selector_all(
        "form[data-autosave] input[type=radio], form[data-autosave] input[type=checkbox]",
        "els => [...new Set(els.map(e => e.name))]",
    )
    assert len(groups) == 32  # 8 security competences x 4 questions
    for name in groups:
        tab_to(page, f"input[name='{name}']")
        page.keyboard.press("Space")
        expect(page.locator("#save-status")).to_contain_text("Gemt kl.")
    tab_to(page, "form[data-autosave] button[type=submit]")
    enter_and_wait(page)

    expect(page.locator("h1")).to_contain_text("Gennemse")
    assert_accessible(page)
    tab_to(page, "form[data-submit-once] button[type=submit]")
    enter_and_wait(page)

    assert_accessible(page)
    expect(page.locator("body")).to_contain_text("Forklaring")
    response = Response.objects.get(campaign=campaign, instrument=Instrument.TEST)
    assert response.status == ResponseStatus.SUBMITTED
    assert Evidence.objects.filter(response=response, source="test").count() == 8


def test_a_leader_rates_a_team_member_by_keyboard(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER))
    leader = team.leader
    leader.set_password(PASSWORD)
    leader.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(leader.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/")
    assert_accessible(page)
    expect(page.locator("body")).not_to_contain_text(team.outsider.name)
    tab_to(page, f"a[href$='/ledervurdering/{team.members[0].pk}/']")
    enter_and_wait(page)

    assert_accessible(page)
    answer_area_by_keyboard(page, steps_down=2)
    tab_to(page, "form[data-autosave] textarea")
    page.keyboard.type("Hjælper kolleger med dokumentationen.")
    tab_to(page, "button[formaction$='/indsend/']")
    enter_and_wait(page)

    response = Response.objects.get(campaign=campaign, instrument=Instrument.LEADER, subject=team.members[0])
    assert response.status == ResponseStatus.SUBMITTED
    assert Evidence.objects.filter(response=response, source="leader").exists()
    assert Answer.objects.filter(response=response, comment__startswith="Hjælper kolleger").exists()
