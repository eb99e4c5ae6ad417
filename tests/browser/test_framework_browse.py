"""An employee reads the framework, one competence and what is expected of them in their role."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.frameworks.services import default_framework_install, job_functions_map_by_suggestion
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def employee() -> Any:
    organisation = OrganisationFactory(name="Læsekommune")
    framework = default_framework_install(organisation=organisation)
    user = UserFactory(email="assistent@example.dk")
    MembershipFactory(user=user, organisation=organisation, roles=["employee"])
    person = PersonFactory(organisation=organisation, name="Sara Assistent", user=user)
    EngagementFactory(
        person=person,
        unit=OrgUnitFactory(organisation=organisation, name="Hjemmeplejen Nord"),
        job_function=JobFunctionFactory(organisation=organisation, name="Social- og sundhedsassistent"),
    )
    job_functions_map_by_suggestion(organisation=organisation, framework=framework)
    return user


def test_employee_reads_the_framework_a_competence_and_their_role(
    page: Page,
    employee: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "assistent@example.dk", "test-password-123")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Min rolle")).to_be_visible()
    menu.get_by_role("link", name="Kompetenceramme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetencerammer")
    # Nothing to install, publish or version for an employee.
    expect(page.get_by_role("button", name=re.compile("Installér|Udgiv|Opret"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Læs rammen (version 1, den udgivne)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital faglighed i velfærden")
    expect(page.get_by_role("heading", name="Data- og informationssikkerhed", level=2)).to_be_visible()
    expect(page.get_by_role("link", name="Redigér kladden")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="DS3 Personoplysninger og følsomme oplysninger").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personoplysninger og følsomme oplysninger")
    expect(page.get_by_role("heading", name="Niveau 4: Ekspert")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Social- og sundhedsassistent")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Min rolle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min rolle")
    expect(page.get_by_text("følger du rolleprofilen »Social- og sundhedsassistent«")).to_be_visible()
    expect(page.get_by_role("heading", name="Data- og informationssikkerhed", level=2)).to_be_visible()
    expect(page.get_by_text("Det gør du på niveauet").first).to_be_visible()
    expect(page.get_by_text("Kritisk").first).to_be_visible()
    assert_accessible(page)


def test_english_readers_get_the_english_texts(
    page: Page,
    employee: Any,
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    login(page, "assistent@example.dk", "test-password-123")
    page.get_by_role("button", name="English").click()
    page.get_by_role("navigation").get_by_role("link", name="Min rolle").or_(
        page.get_by_role("navigation").get_by_role("link", name="My role")
    ).first.click()
    expect(page.get_by_role("heading", name="Data and information security", level=2)).to_be_visible()
    assert_accessible(page)
