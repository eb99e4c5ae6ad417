"""Issue 11, item 1: after HR publishes version 2, the dashboards show figures for HR, top management and
leaders (levels carried over by competence code, targets from version 2), and say which version they show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.analytics.tests.helpers import answered_round
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Competence, LevelDescriptor, RoleProfile, RoleTarget
from fagdigital.frameworks.services import framework_new_version, role_target_set
from fagdigital.testing.factories import MembershipFactory, UserFactory

from .test_analytics import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboards_keep_their_figures_after_a_new_version_is_published(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Any],
    assert_accessible: Callable[[Page], None],
) -> None:
    answered_round(team, make_campaign)
    draft = framework_new_version(framework=team.framework)
    # One descriptor reworded (not a material change) and one target raised.
    descriptor = LevelDescriptor.objects.filter(competence__framework=draft, competence__code="BK1").first()
    assert descriptor is not None
    descriptor.text_da = descriptor.text_da + " Også i nye systemer."
    descriptor.save()
    target = RoleTarget.objects.get(
        role_profile__framework=draft, role_profile__code="sosu-assistent", competence__code="DS1"
    )
    role_target_set(
        role_profile=RoleProfile.objects.get(framework=draft, code="sosu-assistent"),
        competence=Competence.objects.get(framework=draft, code="DS1"),
        level=min(target.level + 1, 4),
        criticality=target.criticality,
    )
    log_in(page, live_server, team.admin)
    page.goto(f"{live_server.url}/rammer/{draft.pk}/udgiv/")
    page.get_by_role("button", name="Ja, udgiv version 2").click()
    page.wait_for_load_state("networkidle")
    chief = UserFactory()
    MembershipFactory(user=chief, organisation=team.organisation, roles=["top_management"])
    for user in (team.admin, chief, team.leader):
        page.context.clear_cookies()
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/analyse/")
        expect(page.locator(".basis-note")).to_contain_text("vist mod målene i version 2")
        shares = page.locator("td.heat-cell .heat-share")
        expect(shares.first).to_be_visible()
        assert shares.count() >= 10, f"{user}: the heatmap has figures after version 2"
        assert_accessible(page)
