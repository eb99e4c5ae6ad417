"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They run in their own pytest process (`pytest -m browser`): Playwright's sync API leaves an event loop
behind that breaks async_to_sync for later tests in the same process.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# The apps' data fixtures, for browser tests that need a team and its campaigns.
from fagdigital.assessments.tests.conftest import make_campaign, team  # noqa: F401
from fagdigital.conftest import make_leader, make_member, organisation  # noqa: F401
from fagdigital.development.tests.conftest import dev  # noqa: F401

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium not found: apt-get install chromium (or set CHROMIUM=/path/to/chromium)")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(params=["desktop", "mobile"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return DESKTOP if request.param == "desktop" else MOBILE


@pytest.fixture
def context(browser: Browser, viewport: dict[str, int]) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=viewport, locale="da-DK")  # type: ignore[arg-type]
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: csp_violations.append(f"page error: {error}"))
    yield page
    assert not csp_violations, f"Content-Security-Policy violations or script errors: {csp_violations}"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page and return its WCAG 2.1 A/AA violations.

    axe is injected through a fresh isolated world (evaluate), so the page's CSP need not allow it.
    """
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return list(result["violations"])


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    def check(page: Page) -> None:
        violations = axe_violations(page)
        summary = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in violations
        ]
        assert not violations, f"axe-core violations on {page.url}:\n{json.dumps(summary, indent=2)}"
        assert page.locator("h1").count() == 1, f"{page.url} must have exactly one h1"
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.viewport_size or DESKTOP
        assert width <= viewport["width"], (
            f"{page.url} scrolls sideways at {viewport['width']} px ({width} px wide)"
        )

    return check


@pytest.fixture
def login(live_server: Any) -> Callable[[Page, str, str], None]:
    def do_login(page: Page, email: str, password: str) -> None:
        page.goto(f"{live_server.url}/konto/log-ind/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state("networkidle")

    return do_login
