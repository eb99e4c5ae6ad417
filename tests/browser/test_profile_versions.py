"""The employee's profile after HR published a new framework version, at 375 px and desktop, with axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.assessments.models import Campaign
from fagdigital.assessments.tests.conftest import Team
from fagdigital.assessments.tests.test_feedback import assess
from fagdigital.assessments.tests.test_profile_versions import publish_next_version

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def test_the_profile_shows_version_2_with_levels_carried_from_version_1(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign()
    person, user = team.members[0], team.users[0]
    assess(team, campaign, user, person, "self", {"BK1": 2, "BK6": 3, "DS1": 3, "DS2": 2})
    publish_next_version(team.framework, target=("BK1", 4), material="DS1")
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/maalinger/min-profil/")
    expect(page.locator(".profile-version")).to_contain_text("Profilen viser version 2")
    expect(page.locator(".profile-version")).to_contain_text("målt i version 1")
    expect(page.locator(".profile-version")).to_contain_text("DS1")
    expect(page.get_by_text("Målt i version 1").first).to_be_visible()
    assert_accessible(page)
