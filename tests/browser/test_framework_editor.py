"""The framework editor in a browser: grid by keyboard, publish, refused edit, new version, differences."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.frameworks.models import Framework, RoleTarget
from fagdigital.frameworks.services import default_framework_install, framework_new_version, framework_publish
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def competence_admin() -> Any:
    organisation = OrganisationFactory(name="Rammekommune")
    default_framework_install(organisation=organisation)
    user = UserFactory(email="kompetence@example.dk")
    MembershipFactory(user=user, organisation=organisation, roles=["competence_admin"])
    return user


def heading(page: Page) -> Any:
    return expect(page.get_by_role("heading", level=1))


def test_competence_admin_edits_publishes_and_versions_a_framework(
    page: Page,
    live_server: Any,
    competence_admin: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "kompetence@example.dk", "test-password-123")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Kompetenceramme").click()
    heading(page).to_have_text("Kompetencerammer")
    assert_accessible(page)

    # A new version of the published framework: a draft to edit.
    page.get_by_role("button", name="Opret ny version ud fra version 1").click()
    heading(page).to_contain_text("version 2")
    expect(page.get_by_role("status").first).to_contain_text("Version 2 er oprettet som kladde")
    assert_accessible(page)

    # Edit a target in the grid with the keyboard only: the select saves on change.
    page.get_by_role("link", name="Målniveauer: rolleprofiler og kompetencer").click()
    heading(page).to_contain_text("Målniveauer for rolleprofilerne")
    assert_accessible(page)
    level = page.get_by_label("Målniveau for Social- og sundhedshjælper i DL1")
    expect(level).to_have_value("")
    level.focus()
    page.keyboard.press("ArrowDown")
    status = page.locator("#grid-status")
    expect(status).to_contain_text("Gemt: Social- og sundhedshjælper skal være på niveau 1 (Begynder) i DL1")
    cell = page.locator("td", has=page.get_by_label("Målniveau for Social- og sundhedshjælper i DL1"))
    expect(cell.get_by_text("Gemt")).to_be_visible()
    expect(page.get_by_label("Målniveau for Social- og sundhedshjælper i DL1")).to_be_focused()
    page.keyboard.press("Tab")  # on to the criticality select of the same cell
    page.keyboard.press("Home")  # Kritisk
    expect(status).to_contain_text("kritisk")
    assert_accessible(page)
    page.reload()
    expect(page.get_by_label("Målniveau for Social- og sundhedshjælper i DL1")).to_have_value("1")
    expect(page.get_by_label("Betydning for Social- og sundhedshjælper i DL1")).to_have_value("kritisk")
    draft = Framework.objects.get(version=2)
    target = RoleTarget.objects.get(
        role_profile__framework=draft, role_profile__code="sosu-hjaelper", competence__code="DL1"
    )
    assert (target.level, target.criticality) == (1, "kritisk")

    # Publish the draft, after the page that says what publishing changes.
    page.get_by_role("link", name="Tilbage til redigering af rammen").click()
    page.get_by_role("link", name="Udgiv version 2 …").click()
    heading(page).to_have_text("Udgiv version 2 af »Digital faglighed i velfærden«?")
    expect(page.get_by_text("Version 1, som gælder nu, udgår.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, udgiv version 2").click()
    heading(page).to_have_text("Kompetencerammer")
    expect(page.get_by_role("status").first).to_contain_text(
        "Version 2 af »Digital faglighed i velfærden« er udgivet"
    )
    assert_accessible(page)

    # Editing the published version is refused, with the way forward.
    page.goto(f"{live_server.url}/rammer/{draft.pk}/rediger/")
    heading(page).to_have_text("Versionen kan ikke ændres")
    expect(page.get_by_role("alert")).to_contain_text(
        "er udgivet og kan ikke ændres. Opret en ny version for at redigere."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Opret ny version ud fra version 2").click()
    heading(page).to_contain_text("version 3")
    assert_accessible(page)

    # Change something in version 3 ...
    page.get_by_role("link", name=re.compile(r"^Redigér\W*DS3 ")).click()
    heading(page).to_have_text("Redigér kompetencen DS3")
    assert_accessible(page)
    page.get_by_label("Navn (dansk)").fill("Personoplysninger i hverdagen")
    page.get_by_label("Niveau 2 på engelsk").fill("Tells ordinary, confidential and sensitive data apart.")
    page.get_by_role("button", name="Gem kompetencen").click()
    expect(page.get_by_role("status").first).to_contain_text("Kompetencen DS3 er gemt")

    # ... and see the difference from version 2.
    page.get_by_role("link", name="Forskelle fra version 2").click()
    heading(page).to_have_text("Forskelle fra version 2 til version 3")
    row = page.get_by_role("row", name=re.compile(r"Kompetence DS3.*navn"))
    expect(row).to_contain_text("Personoplysninger i hverdagen")
    expect(page.get_by_role("row", name=re.compile(r"Kompetence DS3.*level 2 \(en\)"))).to_contain_text(
        "Tells ordinary"
    )
    assert_accessible(page)


def test_a_published_grid_is_read_only_and_points_to_a_new_version(
    page: Page,
    live_server: Any,
    competence_admin: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "kompetence@example.dk", "test-password-123")
    framework = Framework.objects.get()
    page.goto(f"{live_server.url}/rammer/{framework.pk}/maalniveauer/")
    expect(page.get_by_role("alert")).to_contain_text("Opret en ny version for at redigere")
    expect(page.get_by_role("combobox")).to_have_count(0)
    expect(page.get_by_role("button", name="Opret ny version ud fra version 1")).to_be_visible()
    assert_accessible(page)


def test_a_grid_change_after_someone_published_shows_the_refusal_in_the_cell(
    page: Page,
    live_server: Any,
    competence_admin: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    draft = framework_new_version(framework=Framework.objects.get())
    login(page, "kompetence@example.dk", "test-password-123")
    page.goto(f"{live_server.url}/rammer/{draft.pk}/maalniveauer/")
    level = page.get_by_label("Målniveau for Lærer i DS1")
    expect(level).to_be_visible()
    framework_publish(framework=draft)  # a colleague publishes while the page is open

    level.focus()
    page.keyboard.press("End")
    cell = page.locator("td", has=page.get_by_label("Målniveau for Lærer i DS1"))
    expect(cell.get_by_role("alert")).to_contain_text("Opret en ny version for at redigere")
    expect(page.locator("#grid-status")).not_to_contain_text("Gemt")
    assert_accessible(page)
