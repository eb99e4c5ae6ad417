from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.orgs.models import Person
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "personer-eksempel.csv"


@pytest.fixture
def hr() -> Any:
    organisation = OrganisationFactory(name="Importkommune")
    user = UserFactory(email="hr@import.dk")
    MembershipFactory(user=user, organisation=organisation, roles=["competence_admin"])
    return organisation


def test_invalid_file_lists_its_problems_and_offers_no_apply(
    page: Page,
    hr: Any,
    tmp_path: Path,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    broken = tmp_path / "personer.csv"
    broken.write_text("medarbejdernummer;navn;enhed\n1;Anne;Team Nord\n1;Bo;Team Syd\n", encoding="utf-8")
    login(page, "hr@import.dk", "test-password-123")
    page.get_by_role("link", name="Import af personer").first.click()
    assert_accessible(page)
    page.get_by_label("Fil med medarbejdere").set_input_files(str(broken))
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("heading", name="Filen kan ikke indlæses")).to_be_visible()
    expect(page.get_by_text("stillingsbetegnelse").first).to_be_visible()
    expect(page.get_by_role("button", name="Indlæs", exact=True)).to_have_count(0)
    assert_accessible(page)
    assert Person.objects.count() == 0


def test_upload_preview_and_apply_the_example_file(
    page: Page,
    hr: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "hr@import.dk", "test-password-123")
    page.goto(page.url.rstrip("/") + "/struktur/import/")
    page.get_by_label("Fil med medarbejdere").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("heading", name="Det sker, når du indlæser filen")).to_be_visible()
    assert Person.objects.count() == 0  # the preview writes nothing
    assert_accessible(page)

    page.get_by_role("button", name="Indlæs", exact=True).click()
    expect(page.get_by_role("heading", name="Importen er indlæst")).to_be_visible(timeout=15000)
    assert_accessible(page)
    rows = len(EXAMPLE.read_text(encoding="utf-8-sig").strip().splitlines()) - 1
    assert Person.objects.filter(organisation=hr).count() == rows

    page.get_by_role("link", name="Organisation", exact=True).first.click()
    expect(page.get_by_role("link", name="Social og Sundhed")).to_be_visible()
    assert_accessible(page)


def _staff_file(path: Path, numbers: range, changes: dict[int, str] | None = None) -> Path:
    lines = ["medarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder"]
    for number in numbers:
        leader = "ja" if number == 1 else "nej"
        line = f"{number};Person {number};p{number}@kommune.dk;Kommunen/Team Nord;Assistent;{leader}"
        lines.append((changes or {}).get(number, line))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_preview_shows_old_and_new_values_and_a_large_ending_needs_the_typed_number(
    page: Page,
    hr: Any,
    tmp_path: Path,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "hr@import.dk", "test-password-123")
    start = page.url.rstrip("/") + "/struktur/import/"
    page.goto(start)
    page.get_by_label("Fil med medarbejdere").set_input_files(
        str(_staff_file(tmp_path / "alle.csv", range(1, 21)))
    )
    page.get_by_role("button", name="Kontrollér filen").click()
    page.get_by_role("button", name="Indlæs", exact=True).click()
    expect(page.get_by_role("heading", name="Importen er indlæst")).to_be_visible(timeout=15000)

    # Five people (and their leader) are missing, one moves and gets a new name: 25 % would end.
    moved = {2: "2;Person To;p2@kommune.dk;Kommunen/Team Syd;Sygeplejerske;nej"}
    page.goto(start)
    page.get_by_label("Fil med medarbejdere").set_input_files(
        str(_staff_file(tmp_path / "mangler.csv", range(2, 17), moved))
    )
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("heading", name="Ændringer pr. person")).to_be_visible()
    changes = page.get_by_role("region", name="Ændringer pr. person")
    row = changes.get_by_role("row").filter(has_text="Person To")
    expect(row).to_contain_text("Person 2")
    expect(row).to_contain_text("Kommunen / Team Nord")
    expect(row).to_contain_text("Kommunen / Team Syd")
    expect(row).to_contain_text("Sygeplejerske")
    expect(page.get_by_text("Det er 5 af organisationens 20 aktive ansættelser (25 %).")).to_be_visible()
    assert_accessible(page)

    confirm = page.get_by_label("Skriv antallet af personer, der får deres ansættelser afsluttet")
    confirm.fill("4")
    page.get_by_role("button", name="Indlæs", exact=True).click()
    expect(page.get_by_role("heading", name="Filen er ikke indlæst")).to_be_visible()
    assert_accessible(page)
    assert Person.objects.get(organisation=hr, employee_number="2").name == "Person 2"

    page.get_by_label("Skriv antallet af personer, der får deres ansættelser afsluttet").fill("5")
    page.get_by_role("button", name="Indlæs", exact=True).click()
    expect(page.get_by_role("heading", name="Importen er indlæst")).to_be_visible(timeout=15000)
    assert Person.objects.get(organisation=hr, employee_number="2").name == "Person To"

    page.get_by_role("link", name="Fortryd importen").click()
    expect(page.get_by_role("heading", name="Fortryd import")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ja, fortryd importen").check()
    page.get_by_role("button", name="Fortryd importen").click()
    expect(page.get_by_role("heading", name="Importen er fortrudt")).to_be_visible(timeout=15000)
    assert Person.objects.get(organisation=hr, employee_number="2").name == "Person 2"

    page.get_by_role("link", name="Se alle importer").click()
    expect(page.get_by_role("heading", name="Importer af personer")).to_be_visible()
    expect(page.get_by_role("cell", name="Fortrudt").first).to_be_visible()
    assert_accessible(page)
