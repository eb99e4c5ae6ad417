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
