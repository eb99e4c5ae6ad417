"""The finishing touches in a browser: the target grid on a phone, the status, platform and invitation pages,
"Min side" without an employee record, breadcrumbs and the favicon. At 1280 px and 375 px, with axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.accounts.models import User
from fagdigital.frameworks.services import default_framework_install, framework_new_version
from fagdigital.tenancy.invitations import invitation_link
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import MOBILE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "test-password-123"


@pytest.fixture
def draft_framework() -> Any:
    organisation = OrganisationFactory(name="Gitterby Kommune")
    draft = framework_new_version(framework=default_framework_install(organisation=organisation))
    user = UserFactory(email="gitter@example.dk")
    MembershipFactory(user=user, organisation=organisation, roles=["competence_admin", "platform_admin"])
    return draft


def test_the_target_grid_shows_one_role_profile_at_a_time_on_a_phone(
    page: Page,
    live_server: Any,
    draft_framework: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    viewport = page.viewport_size
    login(page, "gitter@example.dk", PASSWORD)
    page.goto(f"{live_server.url}/rammer/{draft_framework.pk}/maalniveauer/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Målniveauer")
    headers = page.locator("table.target-grid thead th.grid-role")
    picker = page.get_by_label("Vis rolleprofil")
    if viewport != MOBILE:
        expect(picker).to_be_hidden()
        assert headers.evaluate_all("hs => hs.filter(h => h.offsetParent !== null).length") > 1
        assert_accessible(page)
        return
    # On a phone: all columns to scroll through, or one role profile's column chosen by keyboard; the page
    # itself never scrolls sideways.
    expect(picker).to_be_visible()
    assert headers.evaluate_all("hs => hs.filter(h => h.offsetParent !== null).length") > 1
    assert_accessible(page)
    picker.focus()
    page.keyboard.press("ArrowDown")
    expect(headers.first).to_be_visible()
    assert headers.evaluate_all("hs => hs.filter(h => h.offsetParent !== null).length") == 1
    page.keyboard.press("ArrowDown")
    second = headers.nth(1)
    expect(second).to_be_visible()
    expect(headers.first).to_be_hidden()
    name = second.inner_text().strip()
    # A cell of the shown column is reachable and saves; the column choice survives the saved cell.
    level = page.get_by_label(f"Målniveau for {name} i DL1")
    level.focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#grid-status")).to_contain_text(f"Gemt: {name}")
    assert headers.evaluate_all("hs => hs.filter(h => h.offsetParent !== null).length") == 1
    grid_box = page.locator(".grid-scroll").bounding_box()
    assert grid_box is not None and grid_box["width"] <= MOBILE["width"]
    assert page.locator(".grid-scroll").evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert_accessible(page)


def test_status_platform_and_breadcrumb_pages(
    page: Page,
    live_server: Any,
    draft_framework: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    favicon_misses: list[str] = []
    page.on(
        "response", lambda r: favicon_misses.append(r.url) if "favicon" in r.url and r.status != 200 else None
    )
    page.goto(f"{live_server.url}/driftsstatus/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Driftsstatus")
    expect(page.locator(".status-list")).to_contain_text("Svarer")
    assert_accessible(page)
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200
    assert page.request.get(f"{live_server.url}/static/fagdigital/img/favicon.svg").status == 200

    login(page, "gitter@example.dk", PASSWORD)
    menu = page.get_by_role("navigation", name="Hovedmenu")
    menu.locator("summary", has_text="Administration").click()
    menu.get_by_role("link", name="Platform").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform")
    expect(page.locator("table.platform-table")).to_contain_text("Gitterby Kommune")
    assert_accessible(page)

    # "Min side" without an employee record explains, instead of a 404.
    menu.locator("summary", has_text="Mig").click()
    menu.get_by_role("link", name="Min side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min side")
    expect(page.get_by_text("ingen medarbejderregistrering")).to_be_visible()
    assert_accessible(page)

    # Breadcrumbs have a visible separator between the steps (drawn in CSS, silent for screen readers).
    page.goto(f"{live_server.url}/rammer/{draft_framework.pk}/maalniveauer/")
    second = page.locator(".breadcrumbs__list-item").nth(1)
    separator = second.evaluate("e => getComputedStyle(e, '::before')")
    assert separator["content"] == '""' and separator["borderTopStyle"] == "solid"
    assert float(separator["width"].removesuffix("px")) > 0
    assert not favicon_misses, favicon_misses


def test_an_invited_user_chooses_a_password_and_is_logged_in(
    page: Page,
    live_server: Any,
    settings: Any,
    assert_accessible: Callable[[Page], None],
) -> None:
    organisation = OrganisationFactory(name="Inviterup Kommune")
    user = User.objects.create_user(email="ny@inviterup.dk", password=None)
    MembershipFactory(user=user, organisation=organisation, roles=["competence_admin"])
    settings.SITE_URL = live_server.url
    page.goto(invitation_link(user=user))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vælg din adgangskode")
    assert_accessible(page)
    page.get_by_label("Ny adgangskode", exact=True).fill("kort")
    page.get_by_label("Bekræftelse af ny adgangskode").fill("kort")
    page.get_by_role("button", name="Gem adgangskode og log ind").click()
    expect(page.locator('[data-module="error-summary"]')).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Ny adgangskode", exact=True).fill("et-langt-og-godt-kodeord")
    page.get_by_label("Bekræftelse af ny adgangskode").fill("et-langt-og-godt-kodeord")
    page.get_by_role("button", name="Gem adgangskode og log ind").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Velkommen til fagdigital i Inviterup Kommune"
    )
    expect(page.get_by_role("status").first).to_contain_text("Din adgangskode er gemt")
    assert_accessible(page)
