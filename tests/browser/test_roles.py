"""Role administration in a browser: HR makes a colleague leader of a unit, and the new leader logs in and
sees the unit; a form with errors moves the focus to its error summary. At 1280 px and 375 px, with axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.orgs.models import UnitLeader
from fagdigital.tenancy.models import RoleChange
from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "test-password-123"  # the factories' password


@pytest.fixture
def municipality() -> dict[str, Any]:
    organisation = OrganisationFactory(name="Rollerup Kommune")
    top = OrgUnitFactory(organisation=organisation, name="Ældre og Sundhed")
    team = OrgUnitFactory(parent=top, name="Team Havnen")
    for name in ("Anne Andersen", "Bent Berg"):
        EngagementFactory(person=PersonFactory(organisation=organisation, name=name), unit=team)
    hr = UserFactory(email="hr@rollerup.dk", full_name="Hanne Hr")
    MembershipFactory(user=hr, organisation=organisation, roles=["competence_admin", "employee"])
    EngagementFactory(person=PersonFactory(organisation=organisation, name="Hanne Hr", user=hr), unit=top)
    carla = UserFactory(email="carla@rollerup.dk", full_name="Carla Kollega")
    MembershipFactory(user=carla, organisation=organisation, roles=["employee"])
    person = PersonFactory(organisation=organisation, name="Carla Kollega", user=carla)
    EngagementFactory(person=person, unit=team)
    return {"organisation": organisation, "team": team, "carla": person}


def open_admin_menu_link(page: Page, name: str) -> None:
    menu = page.get_by_role("navigation", name="Hovedmenu")
    menu.locator("summary", has_text="Administration").click()
    menu.get_by_role("link", name=name, exact=True).click()


def test_hr_makes_a_colleague_leader_and_the_new_leader_sees_their_unit(
    page: Page,
    municipality: dict[str, Any],
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "hr@rollerup.dk", PASSWORD)
    open_admin_menu_link(page, "Personer")
    page.get_by_label("Søg efter navn").fill("Carla")
    page.get_by_role("button", name="Søg").click()
    page.get_by_role("link", name="Carla Kollega").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carla Kollega")
    expect(page.get_by_role("heading", name="Roller og adgang")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("radio", name="Leder").check()
    page.get_by_label("Enhed (for ledere)").select_option(label="\u00a0\u00a0Team Havnen")
    page.get_by_role("button", name="Giv rollen").click()
    expect(page.get_by_role("status").first).to_contain_text("Carla Kollega har fået rollen Leder.")
    roles = page.locator(".person-roles")
    expect(roles).to_contain_text("Leder af Team Havnen")
    assert_accessible(page)
    assert UnitLeader.objects.filter(person=municipality["carla"], unit=municipality["team"]).exists()

    # The change is in the audit trail, which HR can read.
    open_admin_menu_link(page, "Roller og adgang")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roller og adgang")
    expect(page.locator("table.role-changes")).to_contain_text("Rolle givet: Leder")
    expect(page.locator("table.role-changes")).to_contain_text("Hanne Hr")
    assert_accessible(page)
    assert RoleChange.objects.get().ip_address is not None

    # The new leader logs in: their home page and the organisation show the unit and its people.
    page.get_by_role("button", name="Log ud").click()
    page.get_by_label("E-mail").fill("carla@rollerup.dk")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Som leder")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Team Havnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team Havnen")
    expect(page.get_by_role("cell", name="Anne Andersen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("link", name="Team Havnen")).to_be_visible()
    assert_accessible(page)


def test_a_form_with_errors_moves_the_focus_to_its_error_summary(
    page: Page,
    municipality: dict[str, Any],
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "hr@rollerup.dk", PASSWORD)
    page.goto(page.url.rstrip("/") + f"/struktur/personer/{municipality['carla'].pk}/")
    page.get_by_role("button", name="Giv rollen").click()
    summary = page.locator('[data-module="error-summary"]')
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Rolle: Vælg den rolle, personen skal have.")
    assert_accessible(page)
    # Its link takes the focus to the field (the first radio button of the group).
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name="Leder")).to_be_focused()

    # The same on another form: the login page's wrong password.
    page.get_by_role("button", name="Log ud").click()
    page.get_by_label("E-mail").fill("hr@rollerup.dk")
    page.get_by_label("Adgangskode").fill("forkert-kode")
    page.get_by_role("button", name="Log ind").click()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("E-mail eller adgangskode er forkert")
    assert_accessible(page)
