"""The gap dashboard in a real browser: drilling down by keyboard, filtering and downloading the figures.

Every page state is checked with axe-core (WCAG 2.1 A/AA), for one h1 and for sideways scrolling, at
1280 px and at 375 px (the `viewport` fixture).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.analytics.tests.test_views import answer_team
from fagdigital.assessments.tests.conftest import Team
from fagdigital.orgs.models import Person
from fagdigital.testing.factories import UnitLeaderFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches `selector`: proves it is reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reachable with Tab")


def log_in_as_admin(page: Page, live_server: Any, team: Team) -> None:
    team.admin.set_password(PASSWORD)
    team.admin.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(team.admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")


def test_an_admin_drills_down_filters_and_downloads_by_keyboard(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    log_in_as_admin(page, live_server, team)

    page.goto(f"{live_server.url}/analyse/?campaign={campaign.pk}&source=self")
    expect(page.locator("h1")).to_contain_text("Kompetencegab")
    expect(page.locator("table.heatmap")).to_be_visible()
    assert_accessible(page)

    # Drill down to the municipality's top unit and on to Hjemmeplejen Nord, by Tab and Enter: htmx loads
    # the unit into the page, moves the focus to its heading and puts its address in the history.
    tab_to(page, f"a.heat-unit-link[href^='/analyse/enhed/{team.root.pk}/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Kommunen")
    expect(page).to_have_url(re.compile(rf"/analyse/enhed/{team.root.pk}/\?campaign={campaign.pk}"))
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator("#dashboard-breadcrumbs")).to_contain_text("Kompetencegab")
    # Syd's single person hides Syd and, with it, Nord.
    syd = page.locator("table.heatmap tr", has=page.locator("th", has_text="Hjemmeplejen Syd"))
    expect(syd.locator("td.heat-hidden").first).to_contain_text("Skjult: færre end 5 personer")
    assert_accessible(page)

    tab_to(page, f"a.heat-unit-link[href^='/analyse/enhed/{team.unit.pk}/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Hjemmeplejen Nord")
    expect(page.locator("#dashboard-breadcrumbs a", has_text="Kommunen")).to_be_visible()
    assert_accessible(page)

    # Change a filter with the keyboard: only the security area's competences remain as columns.
    tab_to(page, "#id_area")
    page.locator("#id_area").select_option("DS")
    tab_to(page, "#dashboard-filters-submit")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"area=DS"))
    expect(page.locator("table.heatmap th.heat-area")).to_have_count(1)
    expect(page.locator("#dashboard-filters-submit")).to_be_focused()
    expect(page.locator("#dashboard-status")).to_contain_text("Hjemmeplejen Nord")
    assert_accessible(page)

    # The same page loads on its own (a bookmark, or without JavaScript).
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("Hjemmeplejen Nord")
    expect(page.locator("#id_area")).to_have_value("DS")
    assert_accessible(page)

    # Download the figures as CSV, with the filters chosen.
    tab_to(page, "a[href*='/eksport/'][href*='/csv/']")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    assert "area=DS" in download.url


def test_role_profiles_as_rows_and_the_sections_below(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    log_in_as_admin(page, live_server, team)
    page.goto(f"{live_server.url}/analyse/enhed/{team.root.pk}/?campaign={campaign.pk}&source=self")
    page.locator("#id_rows").select_option("roles")
    page.locator("#dashboard-filters-submit").click()
    expect(page).to_have_url(re.compile(r"rows=roles"))
    expect(page.locator("table.heatmap th.heat-corner")).to_contain_text("Rolleprofil")
    expect(page.locator("#gaps-heading")).to_be_visible()
    expect(page.locator(".dist-bar").first).to_be_visible()
    # The in-page table of contents reaches every section.
    page.locator(".dashboard-toc a[href='#calibration-heading']").click()
    expect(page.locator("#calibration-heading")).to_be_in_viewport()
    assert_accessible(page)


def test_a_leader_of_two_units_sees_them_side_by_side(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    leader_person = Person.objects.get(user=team.leader, organisation=team.organisation)
    UnitLeaderFactory(unit=team.other_unit, person=leader_person)
    campaign = make_campaign()
    answer_team(team, campaign)
    team.leader.set_password(PASSWORD)
    team.leader.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(team.leader.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/analyse/?campaign={campaign.pk}&source=self")
    expect(page.locator("h1")).to_contain_text("Dine enheder")
    expect(page.locator("a.heat-unit-link")).to_have_count(2)
    expect(page.locator("#id_rows")).to_have_count(0)
    assert_accessible(page)
    tab_to(page, f"a.heat-unit-link[href^='/analyse/enhed/{team.other_unit.pk}/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Hjemmeplejen Syd")
    assert_accessible(page)
