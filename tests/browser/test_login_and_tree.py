from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hr_user() -> Any:
    organisation = OrganisationFactory(name="Testkommune")
    top = OrgUnitFactory(organisation=organisation, name="Social og Sundhed")
    care = OrgUnitFactory(parent=top, name="Hjemmeplejen")
    team = OrgUnitFactory(parent=care, name="Team Nord")
    for name in ["Anne Jensen", "Bo Hansen"]:
        EngagementFactory(person=PersonFactory(organisation=organisation, name=name), unit=team)
    user = UserFactory(email="hr@example.dk")
    MembershipFactory(user=user, organisation=organisation, roles=["competence_admin"])
    return user


def test_login_page_is_accessible_and_rejects_a_wrong_password(
    page: Page, live_server: Any, hr_user: Any, assert_accessible: Callable[[Page], None]
) -> None:
    page.goto(f"{live_server.url}/konto/log-ind/")
    expect(page).to_have_title("Log ind · fagdigital")
    assert_accessible(page)
    page.get_by_label("E-mail").fill("hr@example.dk")
    page.get_by_label("Adgangskode").fill("forkert-kode")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mail eller adgangskode er forkert")
    assert_accessible(page)


def test_hr_logs_in_and_expands_the_tree_by_keyboard(
    page: Page,
    live_server: Any,
    hr_user: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "hr@example.dk", "test-password-123")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Velkommen til fagdigital")
    assert_accessible(page)

    page.get_by_role("link", name="Organisation", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    expect(page.get_by_text("2 personer").first).to_be_visible()
    assert_accessible(page)

    toggle = page.get_by_role("button", name="Vis underenheder til Social og Sundhed")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Hjemmeplejen")).to_be_visible()
    page.get_by_role("button", name="Vis underenheder til Hjemmeplejen").press("Enter")
    expect(page.get_by_role("link", name="Team Nord")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Team Nord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team Nord")
    expect(page.get_by_role("cell", name="Anne Jensen")).to_be_visible()
    assert_accessible(page)
