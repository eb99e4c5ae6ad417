"""HR maps job codes to role profiles in a real browser; axe-clean at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.accounts.models import User
from fagdigital.frameworks.models import JobFunctionMapping
from fagdigital.frameworks.services import default_framework_install
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import EngagementFactory, JobFunctionFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def test_hr_maps_a_job_code_and_the_titles_with_it_follow(
    page: Page,
    *,
    live_server: Any,
    organisation: Organisation,
    make_member: Callable[..., User],
    login: Callable[[Page, str, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    framework = default_framework_install(organisation=organisation)
    for name in ("Pædagog, Kløverhuset", "Pædagog, Lyngbo"):
        job = JobFunctionFactory(organisation=organisation, name=name, job_code="9901")
        EngagementFactory(person=PersonFactory(organisation=organisation), job_function=job)
    admin = make_member(organisation, "competence_admin")
    admin.set_password(PASSWORD)
    admin.save()
    login(page, admin.email, PASSWORD)
    page.goto(f"{live_server.url}/rammer/{framework.pk}/stillingskoder/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stillingskoder og rolleprofiler")
    expect(page.get_by_text("1 stillingskode har ingen rolleprofil.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rolleprofil for stillingskode 9901").select_option("socialpaedagog")
    page.get_by_role("button", name="Gem stillingskoderne").click()
    expect(
        page.get_by_text("2 stillingsbetegnelser uden rolleprofil følger nu deres stillingskode.")
    ).to_be_visible()
    assert_accessible(page)
    assert set(JobFunctionMapping.objects.values_list("role_profile_code", flat=True)) == {"socialpaedagog"}
    # A new code without a role profile is refused at the field, with the error summary.
    page.get_by_label("Ny stillingskode").fill("9902")
    page.get_by_role("button", name="Gem stillingskoderne").click()
    expect(page.get_by_text("Vælg den rolleprofil, som stillingskoden skal følge.").first).to_be_visible()
    assert_accessible(page)
