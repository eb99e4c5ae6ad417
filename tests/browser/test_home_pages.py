"""Every demo role's home page in a browser, at 1280 px and 375 px: axe, no CSP errors, every link answers
200, the main menu on one line at desktop width, and its disclosure menus by keyboard.

The demo is seeded once (about 20 s) and every role and width is visited in the same test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, BrowserContext, Page, expect

from fagdigital.demo.services import DEMO_LOGIN_SLUGS, DEMO_PASSWORD, login_email

from .conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.django_db(transaction=True)

# Pages each role's home page must lead to (besides the menu's "Forside" and "Min side").
ROLE_LINKS = {
    "medarbejder": {"/maalinger/mine/", "/maalinger/min-profil/", "/rammer/min-rolle/"},
    "leder": {"/analyse/", "/struktur/", "/maalinger/min-profil/"},
    "hr": {"/maalinger/", "/struktur/roller/", "/struktur/import/", "/rammer/"},
    "direktion": {"/analyse/", "/analyse/ledelsesindikatorer/", "/analyse/benchmark/"},
    "udbyder": {"/driftsstatus/"},
    "netvaerk": {"/analyse/benchmark/"},
    "admin": {"/platform/", "/driftsstatus/", "/struktur/roller/"},
}
# What each role's home page must offer (a heading of its own section).
ROLE_SECTIONS = {
    "medarbejder": "Dine målinger",
    "leder": "Som leder",
    "hr": "Som kompetencekonsulent/HR",
    "direktion": "Som direktion",
    "udbyder": "Som uddannelsesudbyder",
    "netvaerk": "Som netværkskoordinator",
    "admin": "Som platformadministrator",
}


@pytest.fixture
def demo(live_server: Any) -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def open_context(
    browser: Browser,
) -> Iterator[Callable[[dict[str, int]], tuple[BrowserContext, Page, list[str]]]]:
    """A fresh browser context and page at a width, collecting CSP violations and script errors."""
    opened: list[BrowserContext] = []

    def open_(viewport: dict[str, int]) -> tuple[BrowserContext, Page, list[str]]:
        context = browser.new_context(viewport=viewport, locale="da-DK")  # type: ignore[arg-type]
        opened.append(context)
        page = context.new_page()
        problems: list[str] = []
        page.on(
            "console",
            lambda message: (
                problems.append(message.text)
                if message.type == "error" or "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        return context, page, problems

    yield open_
    for context in opened:
        context.close()


def log_in(page: Page, base: str, slug: str) -> None:
    page.goto(f"{base}/konto/log-ind/")
    page.get_by_label("E-mail").fill(login_email(slug))
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")


def internal_links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return sorted({href.split("#")[0] for href in hrefs if href.startswith(base)})


def assert_nav_on_one_line(page: Page) -> None:
    """Every top-level entry of the main menu sits on the first line, and the menu is one entry high."""
    tops, list_height, item_height = page.evaluate(
        """() => {
          const list = document.querySelector('.app-nav-list');
          const items = Array.from(list.children);
          const style = getComputedStyle(list);
          const inner = list.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
          return [items.map(i => Math.round(i.getBoundingClientRect().top)), inner,
                  Math.max(...items.map(i => i.getBoundingClientRect().height))];
        }"""
    )
    assert len(set(tops)) == 1, f"the main menu wraps onto {len(set(tops))} lines at {page.url}"
    assert abs(list_height - item_height) <= 1, (list_height, item_height)


def test_every_demo_roles_home_page_leads_somewhere(
    demo: None,
    live_server: Any,
    open_context: Callable[[dict[str, int]], tuple[BrowserContext, Page, list[str]]],
    assert_accessible: Callable[[Page], None],
) -> None:
    base = live_server.url
    checked: dict[str, set[str]] = {}
    for viewport in (DESKTOP, MOBILE):
        for slug in DEMO_LOGIN_SLUGS:
            context, page, problems = open_context(viewport)
            log_in(page, base, slug)
            assert urlsplit(page.url).path == "/", f"{slug} did not land on the home page"
            expect(page.get_by_role("heading", level=1)).to_contain_text("Velkommen til fagdigital")
            expect(page.get_by_role("heading", name=ROLE_SECTIONS[slug], level=2)).to_be_visible()
            assert_accessible(page)
            if viewport == DESKTOP:
                assert_nav_on_one_line(page)
            links = internal_links(page, base)
            for url in links:
                response = page.request.get(url)
                assert response.status == 200, f"{slug}: {url} answered {response.status}"
            checked[slug] = {urlsplit(url).path for url in links}
            assert not problems, f"{slug} at {viewport['width']} px: {problems}"
            context.close()
    for slug, expected in ROLE_LINKS.items():
        assert expected | {"/", "/struktur/mig/"} <= checked[slug], (slug, sorted(checked[slug]))

    # The employee's home names the open round, its deadline and the next step.
    context, page, _problems = open_context(DESKTOP)
    log_in(page, base, "medarbejder")
    round_card = page.locator(".home-round").first
    expect(round_card).to_contain_text("Svar senest")
    expect(
        round_card.get_by_role("link", name="Besvar")
        .or_(round_card.get_by_role("link", name="Fortsæt"))
        .first
    ).to_be_visible()


def test_the_main_menu_fits_one_line_in_english_and_its_menus_work_by_keyboard(
    demo: None,
    live_server: Any,
    open_context: Callable[[dict[str, int]], tuple[BrowserContext, Page, list[str]]],
    assert_accessible: Callable[[Page], None],
) -> None:
    base = live_server.url
    _context, page, problems = open_context(DESKTOP)
    log_in(page, base, "hr")  # the fullest menu: an employee record, HR and every admin page
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert_nav_on_one_line(page)

    menu = page.get_by_role("navigation", name="Main menu")
    toggle = menu.locator("summary", has_text="Administration")
    toggle.focus()
    page.keyboard.press("Enter")
    roles_link = menu.get_by_role("link", name="Roles and access")
    expect(roles_link).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(roles_link).to_be_hidden()
    expect(toggle).to_be_focused()
    # Opening one menu closes the other.
    page.keyboard.press("Enter")
    me = menu.locator("summary", has_text="Me")
    me.click()
    expect(menu.get_by_role("link", name="My page")).to_be_visible()
    expect(roles_link).to_be_hidden()
    menu.get_by_role("link", name="My page").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlsplit(page.url).path.startswith("/struktur/personer/")
    assert_accessible(page)
    assert not problems, problems
