"""A competence admin imports a real Moodle export (two-value scale, four levels deep, cross-references),
maps its scale onto the levels in the preview, and loads it; and marks a material change before publishing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.frameworks.models import Framework
from fagdigital.frameworks.services import default_framework_install, framework_new_version
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# As Moodle's exporter writes it: Moodle's default scale, and a tree four levels deep with a cross-reference.
MOODLE_FILE = (
    b"Parent ID number,ID number,Short name,Description,Description format,Scale values,Scale configuration,"
    b"Rule type (optional),Rule outcome (optional),Rule config (optional),"
    b"Cross-referenced competency ID numbers,Exported ID (optional),Is framework,Taxonomy\n"
    b',DD-2026,Digital dannelse,<p>Fra Moodle.</p>,1,"Not yet competent,Competent",'
    b'"[{""scaleid"":""2""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,'
    b'"competency,competency,competency,competency"\n'
    b",KOM,Kommunikation,,1,,,,0,null,,11,,\n"
    b"KOM,KOM-1,E-mail,,1,,,,0,null,,12,,\n"
    b"KOM-1,KOM-1-1,Sikker e-mail,,1,,,,0,null,,13,,\n"
    b"KOM-1-1,KOM-1-1-1,Kryptering,,1,,,,0,null,SIK-1,14,,\n"
    b",SIK,Sikkerhed,,1,,,,0,null,,15,,\n"
    b"SIK,SIK-1,Phishing,,1,,,,0,null,KOM-1-1-1,16,,\n"
)


@pytest.fixture
def competence_admin() -> Any:
    organisation = OrganisationFactory(name="Moodlekommune")
    user = UserFactory(email="hr@example.dk")
    MembershipFactory(user=user, organisation=organisation, roles=["competence_admin"])
    return organisation


def heading(page: Page) -> Any:
    return expect(page.get_by_role("heading", level=1))


def test_a_moodle_export_is_previewed_with_its_scale_mapped_and_loaded(
    page: Page,
    live_server: Any,
    competence_admin: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "hr@example.dk", "test-password-123")
    page.goto(f"{live_server.url}/rammer/import/")
    heading(page).to_have_text("Importér en kompetenceramme")
    page.get_by_label("Fil med kompetencerammen").set_input_files(
        {"name": "digital-dannelse.csv", "mimeType": "text/csv", "buffer": MOODLE_FILE}
    )
    page.get_by_label("Moodle-kompetenceramme (CSV fra »Eksportér kompetenceramme«)").check()
    page.get_by_role("button", name="Kontrollér filen").click()

    # The preview proposes: "Competent", Moodle's proficient value, on level 3; the value below on level 1.
    heading(page).to_have_text("Import af kompetenceramme")
    expect(page.get_by_text("Rammen bruger i Moodle en skala med 2 værdier")).to_be_visible()
    not_yet = page.get_by_label("Not yet competent")
    competent = page.get_by_label("Competent", exact=True)
    expect(not_yet).to_have_value("1")
    expect(competent).to_have_value("3")
    expect(page.get_by_role("table", name="Rammens niveauer i fagdigital")).to_contain_text("Competent")
    assert_accessible(page)

    # A higher value on a lower level is refused where it is chosen, and nothing is kept.
    not_yet.select_option("4")
    page.get_by_role("button", name="Gem fordelingen").click()
    expect(page.locator(".form-error-message")).to_contain_text("kan derfor ikke få et lavere niveau")
    assert_accessible(page)

    # The keyboard is enough to choose: Competent on level 4, saved, and shown in the levels.
    page.get_by_label("Not yet competent").select_option("1")
    page.get_by_label("Competent", exact=True).focus()
    page.keyboard.press("ArrowDown")  # from level 3 to level 4
    expect(page.get_by_label("Competent", exact=True)).to_have_value("4")
    page.get_by_role("button", name="Gem fordelingen").click()
    expect(page.get_by_role("status").first).to_contain_text("Fordelingen af skalaen er gemt")
    levels = page.get_by_role("table", name="Rammens niveauer i fagdigital")
    expect(levels.get_by_role("row", name=re.compile(r"^4 Ekspert Competent"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Indlæs som kladde").click()
    heading(page).to_have_text("Digital dannelse")
    expect(page.get_by_role("status").first).to_contain_text("er indlæst som kladde")
    expect(page.get_by_role("columnheader", name="Værdier i Moodle")).to_be_visible()
    # Four levels deep in Moodle: every competency is a competence of its focus area, its path kept.
    expect(page.get_by_role("link", name="KOM-1-1-1 Kryptering")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="KOM-1-1-1 Kryptering").click()
    expect(
        page.get_by_text(
            "Placering i Moodle: Kommunikation \u203a E-mail \u203a Sikker e-mail \u203a Kryptering"
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("SIK-1"))).to_be_visible()  # the cross-reference
    assert_accessible(page)

    framework = Framework.objects.get(key="DD-2026")
    assert [level.get("moodle_values", []) for level in framework.levels] == [
        ["Not yet competent"],
        [],
        [],
        ["Competent"],
    ]


def test_a_material_change_is_marked_in_the_editor_and_named_before_publishing(
    page: Page,
    live_server: Any,
    competence_admin: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    draft = framework_new_version(framework=default_framework_install(organisation=competence_admin))
    login(page, "hr@example.dk", "test-password-123")
    page.goto(f"{live_server.url}/rammer/{draft.pk}/rediger/")
    page.get_by_role("link", name=re.compile(r"^Redigér\W*DS3 ")).click()
    heading(page).to_have_text("Redigér kompetencen DS3")
    page.get_by_label("Niveau 2 på dansk").fill(
        "Vurderer selv, hvilke oplysninger der er følsomme, og handler efter det."
    )
    page.get_by_label("Væsentlig ændring af niveaubeskrivelserne").check()
    assert_accessible(page)
    page.get_by_role("button", name="Gem kompetencen").click()
    expect(page.get_by_role("status").first).to_contain_text("Kompetencen DS3 er gemt")
    expect(page.locator("#competence-" + str(draft.competences.get(code="DS3").pk))).to_contain_text(
        "Væsentlig ændring"
    )

    page.get_by_role("link", name="Forskelle fra version 1").click()
    expect(
        page.get_by_role("row", name=re.compile(r"Kompetence DS3.*Væsentlig ændring.*niveau 2"))
    ).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/rammer/{draft.pk}/udgiv/")
    heading(page).to_have_text("Udgiv version 2 af »Digital faglighed i velfærden«?")
    expect(page.get_by_role("list").filter(has_text="DS3")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Annullér").click()
    heading(page).to_contain_text("Redigér »Digital faglighed i velfærden«, version 2")
