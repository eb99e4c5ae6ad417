"""The leader's team grid in a real browser, by keyboard only, at 375 px and at desktop width.

A leader rates a team of 20 in both focus areas of the SOSU role profile (6 + 8 competences) with one key
per rating, one save is blocked once on the way and retried, and "Indsend alle færdige" submits them all;
the stored answers and evidence are then read back from the database. Every page is checked with axe.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from fagdigital.assessments.models import (
    Answer,
    Campaign,
    Evidence,
    EvidenceSource,
    Instrument,
    Response,
    ResponseStatus,
)
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Area
from fagdigital.orgs.models import Engagement
from fagdigital.testing.factories import EngagementFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "en-lang-adgangskode-til-test"
SAVE_URL = re.compile(r".*/ledervurdering/omraade/\d+/\d+/gem/$")


class Keys:
    """The keyboard, counting every key pressed: the walkthrough's figures come from here."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def tab_to(self, selector: str, limit: int = 400) -> None:
        for _ in range(limit):
            if self.page.evaluate(
                "(s) => document.activeElement && document.activeElement.matches(s)", selector
            ):
                return
            self.press("Tab")
        raise AssertionError(f"{selector} not reachable with Tab")

    def enter_and_wait(self) -> None:
        with self.page.expect_navigation():
            self.press("Enter")
        self.page.wait_for_load_state("networkidle")


def grow_team(team: Team, size: int) -> None:
    """Add colleagues in the leader's unit, with the same job (and so role profile), up to `size`."""
    job = Engagement.objects.filter(person=team.members[0]).get().job_function
    for index in range(size - len(team.members)):
        person = PersonFactory(organisation=team.organisation, name=f"Kollega {index:02d} Holm")
        EngagementFactory(person=person, unit=team.unit, job_function=job)


def login_leader(page: Page, live_server: Any, team: Team) -> None:
    team.leader.set_password(PASSWORD)
    team.leader.save()
    page.goto(f"{live_server.url}/konto/log-ind/")
    page.get_by_label("E-mail").fill(team.leader.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state("networkidle")


def level_for(row: int, column: int) -> str:
    """The level typed into a cell: varied, with "ved ikke" (0) now and then."""
    if (row * 7 + column) % 11 == 0:
        return "0"
    return str((row + column) % 4 + 1)


def settled(page: Page) -> None:
    """Wait until every cell on the page is saved (no cell saving or waiting for a retry)."""
    page.wait_for_function("() => !document.querySelector('td.lg-cell.is-saving, td.lg-cell.is-failed')")


def grid_layout(page: Page) -> tuple[list[int], list[int]]:
    people = page.eval_on_selector_all("#rating-grid tbody tr", "rows => rows.map(r => +r.dataset.person)")
    competences = page.eval_on_selector_all(
        "#rating-grid thead th[data-competence]", "ths => ths.map(t => +t.dataset.competence)"
    )
    return people, competences


def rate_grid(
    page: Page,
    keys: Keys,
    expected: dict[tuple[int, int], str],
    after_first: Callable[[], None] | None = None,
) -> int:
    """Type one key per cell from the focused first cell; the focus moves on by itself. → keys used."""
    people, competences = grid_layout(page)
    before = keys.count
    for row, person in enumerate(people):
        for column, competence in enumerate(competences):
            focused = page.evaluate(
                "() => [document.activeElement.closest('tr').dataset.person,"
                " document.activeElement.dataset.competence]"
            )
            assert focused == [str(person), str(competence)], (
                f"focus is on {focused}, not on row {row} column {column}"
            )
            key = level_for(row, column)
            keys.press(key)
            expected[(person, competence)] = "dont_know" if key == "0" else key
            if after_first is not None and (row, column) == (0, 0):
                after_first()
    return keys.count - before


def test_a_leader_rates_a_team_of_20_in_the_grid_by_keyboard_and_submits_all(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    grow_team(team, 20)
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER))
    bk = Area.objects.get(framework=campaign.framework, code="BK")
    ds = Area.objects.get(framework=campaign.framework, code="DS")
    login_leader(page, live_server, team)
    keys = Keys(page)

    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/")
    assert_accessible(page)
    keys.tab_to(f"a[href$='/omraade/{bk.pk}/']")
    keys.enter_and_wait()
    expect(page.locator("h1")).to_contain_text("Brugerkompetencer")
    assert page.locator("#rating-grid").get_attribute("role") == "grid"
    assert page.locator("#rating-grid tbody tr").count() == 20
    assert_accessible(page)

    # Into the grid: one Tab stop, on the first cell to rate; its descriptors are in the panel.
    keys.tab_to("#rating-grid td.lg-cell")
    first_competence = page.evaluate("() => document.activeElement.dataset.competence")
    expect(page.locator(f"#d{first_competence}")).to_be_visible()
    assert page.locator(".lg-descriptor:visible").count() == 1

    # The first save is cut off once: the page says so, keeps the answer, and saves it on a retry.
    blocked = {"left": 1}

    def flaky(route: Route) -> None:
        if blocked["left"] > 0:
            blocked["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    def failure_shown() -> None:
        # Shown on the page and on the cell until the retry (a second later) saves it.
        page.wait_for_function(
            "() => document.getElementById('lg-save-status').textContent.includes('Ikke gemt endnu')"
            " && document.querySelectorAll('td.lg-cell.is-failed').length === 1"
        )

    page.route(SAVE_URL, flaky)
    expected: dict[tuple[int, int], str] = {}
    used = rate_grid(page, keys, expected, after_first=failure_shown)
    settled(page)
    expect(page.locator("#lg-save-status")).to_contain_text("Gemt kl.", timeout=30_000)
    expect(page.locator("td.lg-cell.is-failed")).to_have_count(0)
    assert blocked["left"] == 0
    assert used == 20 * 6  # one key per rating, nothing else
    expect(page.locator("[data-count=area-finished]")).to_have_text("20")
    assert_accessible(page)

    # On to the next focus area by keyboard, and the same again.
    keys.tab_to(f"a[href$='/omraade/{ds.pk}/']")
    keys.enter_and_wait()
    expect(page.locator("h1")).to_contain_text("sikkerhed")
    keys.tab_to("#rating-grid td.lg-cell")
    used = rate_grid(page, keys, expected)
    assert used == 20 * 8
    settled(page)
    expect(page.locator("#lg-save-status")).to_contain_text("Gemt kl.", timeout=30_000)
    expect(page.locator("[data-count=submittable]")).to_have_text("20")
    assert_accessible(page)

    keys.tab_to("form[data-lg-submit-all] button[type=submit]")
    keys.enter_and_wait()
    expect(page.locator("body")).to_contain_text("20 vurderinger er indsendt")
    expect(page.locator("[data-count=submitted]")).to_have_text("20")
    assert_accessible(page)

    # What is stored: exactly what was typed, and evidence for every level (not for "ved ikke").
    responses = Response.objects.filter(
        campaign=campaign, instrument=Instrument.LEADER, respondent=team.leader
    )
    assert responses.count() == 20
    assert set(responses.values_list("status", flat=True)) == {ResponseStatus.SUBMITTED}
    stored = {
        (a.response.subject_id, a.competence_id): "dont_know" if a.level is None else str(a.level)
        for a in Answer.objects.filter(response__in=responses).select_related("response")
    }
    assert stored == expected
    evidence = {
        (e.person_id, e.competence_id): str(e.level)
        for e in Evidence.objects.filter(campaign=campaign, source=EvidenceSource.LEADER)
    }
    assert evidence == {key: value for key, value in expected.items() if value != "dont_know"}


def test_the_chooser_rates_by_mouse_with_one_click_per_cell_and_by_keyboard(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER))
    bk = Area.objects.get(framework=campaign.framework, code="BK")
    login_leader(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/omraade/{bk.pk}/")
    people, competences = grid_layout(page)

    # A click opens the chooser with the level descriptors; a click on a level rates and moves on with
    # the chooser open on the next cell, so each further rating is one click.
    page.locator(f"#r{people[0]} td[data-competence='{competences[0]}']").click()
    chooser = page.get_by_role("listbox")
    expect(chooser).to_be_visible()
    expect(chooser.get_by_role("option")).to_have_count(5)
    assert_accessible(page)
    chooser.get_by_role("option").nth(2).click()
    for column in range(1, 4):
        expect(chooser).to_be_visible()
        expect(page.locator(f"#r{people[0]} td[data-competence='{competences[column]}']")).to_have_attribute(
            "aria-expanded", "true"
        )
        chooser.get_by_role("option").nth(column % 4).click()
    settled(page)
    expect(page.locator("#lg-save-status")).to_contain_text("Gemt kl.")
    page.keyboard.press("Escape")
    expect(chooser).to_be_hidden()

    # By keyboard: Enter opens it on the focused cell, arrows move, Enter chooses; Delete withdraws.
    page.locator(f"#r{people[1]} td[data-competence='{competences[0]}']").focus()
    page.keyboard.press("Enter")
    expect(chooser).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chooser).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#r{people[1]} td[data-competence='{competences[0]}']")).to_be_focused()
    page.keyboard.press("Delete")
    settled(page)

    # End goes to the row's "Indsend" button; Enter submits that person without leaving the page.
    page.locator(f"#r{people[0]} td[data-competence='{competences[0]}']").focus()
    page.keyboard.press("End")
    expect(page.locator(f"#r{people[0]} button.lg-submit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#r{people[0]}-status")).to_contain_text("Indsendt")
    expect(page.locator("#lg-save-status")).to_contain_text("er indsendt")
    assert Evidence.objects.filter(person_id=people[0], source=EvidenceSource.LEADER).count() == 4

    levels = dict(Answer.objects.filter(response__subject_id=people[0]).values_list("competence_id", "level"))
    assert levels == {competences[0]: 3, competences[1]: 2, competences[2]: 3, competences[3]: 4}
    assert not Answer.objects.filter(response__subject_id=people[1]).exists()


def test_a_closed_rounds_grid_is_read_only(
    page: Page,
    live_server: Any,
    team: Team,
    make_campaign: Callable[..., Campaign],
    assert_accessible: Callable[[Page], None],
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER))
    ds = Area.objects.get(framework=campaign.framework, code="DS")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=yesterday - dt.timedelta(days=7), closes_on=yesterday
    )
    login_leader(page, live_server, team)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/")
    expect(page.get_by_role("link", name=re.compile("Se teamet i"))).to_have_count(2)
    page.goto(f"{live_server.url}/maalinger/{campaign.pk}/ledervurdering/omraade/{ds.pk}/")
    assert page.locator("#rating-grid").get_attribute("aria-readonly") == "true"
    assert_accessible(page)
    page.locator("#rating-grid td.lg-cell").first.focus()
    page.keyboard.press("3")
    expect(page.locator("#lg-announce")).to_contain_text("tager ikke imod svar")
    page.keyboard.press("ArrowDown")
    assert not Answer.objects.exists()
