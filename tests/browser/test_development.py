"""Developing people in a real browser, axe-clean at 1280 and 375 px (decision 0018): an employee takes a
recommendation into a plan and sends it, the leader approves it, the provider marks the completion, and
the employee's profile shows the learning evidence; a network coordinator shares a member's proposal."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fagdigital.accounts.models import User
from fagdigital.assessments.models import Evidence, EvidenceSource
from fagdigital.development.models import (
    ActivityShare,
    Completion,
    CompletionSource,
    DevelopmentPlan,
    PlanStatus,
    ShareState,
)
from fagdigital.development.services import catalogue
from fagdigital.development.tests.conftest import Dev, record, set_level

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"


def _named(action: str, what: str) -> re.Pattern[str]:
    """A control's accessible name: the visible action and, for screen readers, what it acts on."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(what)}$")


def _sign_in(page: Page, live_server: Any, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")


def test_a_recommendation_becomes_a_plan_an_approval_a_completion_and_evidence(
    page: Page, live_server: Any, dev: Dev, assert_accessible: Callable[[Page], None]
) -> None:
    person = dev.team.members[0]
    set_level(person, "DS1", 1)
    offer = dev.activities["uc-ds"]

    # The employee sees why the provider's e-learning is recommended and takes it into a plan.
    _sign_in(page, live_server, dev.team.users[0])
    page.goto(f"{live_server.url}/udvikling/min-udvikling/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Du er på niveau 1 i DS1")
    assert_accessible(page)
    page.get_by_role("link", name=_named("Tilføj til min plan", offer.title_da)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilføj til min plan")
    assert_accessible(page)
    page.get_by_role("button", name="Læg i min plan").click()
    expect(page.locator("main")).to_contain_text(offer.title_da)
    assert_accessible(page)
    page.get_by_role("button", name="Send til din leder").click()
    plan = DevelopmentPlan.objects.get(person=person)
    expect(page.locator("main")).to_contain_text("Sendt til lederen")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVIEW

    # The leader approves it in the development conversation.
    _sign_in(page, live_server, dev.team.leader)
    page.goto(f"{live_server.url}/udvikling/plan/{plan.pk}/")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Kommentar \(valgfri")).fill("Fint, tag den inden sommerferien.")
    page.get_by_role("button", name="Godkend planen").click()
    expect(page.locator("main")).to_contain_text("Fint, tag den inden sommerferien.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    # The provider sees the enrolment and marks it completed.
    _sign_in(page, live_server, dev.provider_user)
    page.goto(f"{live_server.url}/udvikling/udbyder/")
    expect(page.locator("main")).to_contain_text(person.name)
    assert_accessible(page)
    page.get_by_role("button", name=_named("Marker som gennemført", person.name)).click()
    page.wait_for_load_state("networkidle")
    completion = Completion.objects.get(person=person, activity=offer)
    assert (completion.source, completion.reported_by) == (CompletionSource.PROVIDER, dev.provider)
    assert Evidence.objects.filter(person=person, source=EvidenceSource.LEARNING).exists()
    assert_accessible(page)

    # The employee's profile shows the learning evidence.
    _sign_in(page, live_server, dev.team.users[0])
    page.goto(f"{live_server.url}/maalinger/min-profil/")
    expect(page.get_by_role("columnheader", name="Gennemført læringsaktivitet")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/udvikling/min-udvikling/")
    expect(page.locator("#completions-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text(offer.title_da)
    assert_accessible(page)


def test_a_network_coordinator_shares_a_members_proposal(
    page: Page, live_server: Any, dev: Dev, assert_accessible: Callable[[Page], None]
) -> None:
    proposal = catalogue.activity_save(
        actor=dev.hr,
        record=record("forslag", {"BK1": 3}, title_da="Superbrugerforløb i omsorgsjournalen"),
        network_ids=[dev.network.pk],
    )
    _sign_in(page, live_server, dev.coordinator)
    page.goto(f"{live_server.url}/udvikling/netvaerk/{dev.network.pk}/")
    expect(page.locator("main")).to_contain_text("Foreslået af kommunerne")
    assert_accessible(page)
    page.get_by_role("button", name=_named("Del i netværket", proposal.title_da)).click()
    expect(page.locator("#shared-heading")).to_be_visible()
    shared = page.locator("section[aria-labelledby='shared-heading']")
    expect(shared).to_contain_text(proposal.title_da)
    assert_accessible(page)
    assert ActivityShare.objects.get(activity=proposal, network=dev.network).state == ShareState.SHARED
