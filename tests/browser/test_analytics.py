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

from fagdigital.accounts.models import User
from fagdigital.analytics.tests.helpers import answered_round
from fagdigital.analytics.tests.test_benchmark import member, network_of
from fagdigital.assessments.tests.conftest import Team
from fagdigital.orgs.models import Person
from fagdigital.tenancy.models import NetworkMember
from fagdigital.testing.factories import UnitLeaderFactory

GROUPED = (
    "Færre end 5 med samme rolleprofil her, så de indgår ikke i tallet her, men i en større gruppe højere "
    "oppe, hvor der er nok."
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches `selector`: proves it is reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reachable with Tab")


def log_in(page: Page, live_server: Any, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")


def log_in_as_admin(page: Page, live_server: Any, team: Team) -> None:
    log_in(page, live_server, team.admin)


def test_an_admin_drills_down_filters_and_downloads_by_keyboard(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = answered_round(team, make_campaign)
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
    # Syd's single person is counted in no figure: its row says why and whom it covers; Nord shows.
    syd = page.locator("table.heatmap tr", has=page.locator("th", has_text="Hjemmeplejen Syd"))
    expect(syd.locator("td.heat-hidden").first).to_contain_text(GROUPED)
    expect(syd.locator("td.heat-coverage")).to_have_text("0 af 1 deltagere")
    nord = page.locator("table.heatmap tr", has=page.locator("th", has_text="Hjemmeplejen Nord"))
    expect(nord.locator("td.heat-high").first).to_contain_text("100 %")
    expect(nord.locator("td.heat-coverage")).to_have_text("7 af 7 deltagere")
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
    campaign = answered_round(team, make_campaign)
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
    campaign = answered_round(team, make_campaign)
    log_in(page, live_server, team.leader)

    page.goto(f"{live_server.url}/analyse/?campaign={campaign.pk}&source=self")
    expect(page.locator("h1")).to_contain_text("Dine enheder")
    expect(page.locator("a.heat-unit-link")).to_have_count(2)
    expect(page.locator("#id_rows")).to_have_count(0)
    assert_accessible(page)
    tab_to(page, f"a.heat-unit-link[href^='/analyse/enhed/{team.other_unit.pk}/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Hjemmeplejen Syd")
    assert_accessible(page)


def test_an_open_round_shows_no_figures_and_says_when_they_come(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    make_campaign()
    log_in_as_admin(page, live_server, team)
    page.goto(f"{live_server.url}/analyse/")
    expect(page.locator(".heat-empty")).to_contain_text("Tallene kommer, når en måling er lukket.")
    expect(page.locator("table.heatmap")).to_have_count(0)
    assert_accessible(page)


def test_the_benchmark_with_a_withheld_quantile_and_the_sharing_choices(
    page: Page,
    live_server: Any,
    make_member: Callable[..., User],
    assert_accessible: Callable[[Page], None],
) -> None:
    own = member("Egen Kommune")
    own.put("DS1", 10, 5)
    own.put("DS2", 10, 2)
    others = [member(f"Anden Kommune {n}") for n in range(6)]
    for other, (ds1, ds2) in zip(others, [(2, 1), (4, 3), (6, 4), (8, 8), (10, 9), (7, 7)], strict=True):
        other.put("DS1", 10, ds1)
        other.put("DS2", 10, ds2)
    network, _operator = network_of([own.organisation, *(o.organisation for o in others)])
    NetworkMember.objects.filter(network=network, organisation=others[5].organisation).update(
        named_in_benchmarks=True
    )
    admin = make_member(own.organisation, "competence_admin")
    log_in(page, live_server, admin)
    page.goto(f"{live_server.url}/analyse/benchmark/")
    expect(page.locator("h1")).to_have_text("Benchmark med andre kommuner")
    # DS1's others are 20, 40, 60, 80 and 100 %: every quartile would be one of them, so none is shown.
    ds1 = page.locator("tr", has=page.locator("th", has_text="DS1")).first
    expect(ds1.locator("td").nth(1)).to_contain_text("Ingen tal")
    expect(ds1).not_to_contain_text("None")
    ds2 = page.locator("tr", has=page.locator("th", has_text="DS2")).first
    expect(ds2.locator("svg")).to_have_count(1)
    assert_accessible(page)
    # Stop contributing, by keyboard: the choice is saved and the figures say one organisation fewer.
    page.locator("#benchmark-contributes").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Gem valgene").press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("Jeres tal indgår ikke længere i netværkets tal")
    expect(page.locator("#benchmark-contributes")).not_to_be_checked()
    assert not NetworkMember.objects.get(
        network=network, organisation=own.organisation
    ).contributes_to_benchmarks
    assert_accessible(page)
