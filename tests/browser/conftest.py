"""Browser tests: Playwright driving Debian's Chromium (it cannot download browsers here).

Skipped when Chromium is missing, unless UNGKULTUR_REQUIRE_BROWSER is set (CI sets it).
Set UNGKULTUR_SCREENSHOTS=DIR to keep a screenshot of every page checked.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# What a page must show after a click may take longer than Playwright's 5 s when the machine is
# busy (CI runs on two shared cores): a slow page should not fail a test, a wrong one must.
EXPECT_TIMEOUT_MS = 15_000
WIDTHS = {"desktop": (1280, 900), "phone": (375, 740)}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("UNGKULTUR_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the Django calls the tests
    # make in between are synchronous and safe (test process only).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(WIDTHS))
def page(request, browser):
    width, height = WIDTHS[request.param]
    # Reduced motion: Designsystemet opens a details over 0.4 s, and as it grows the browser's
    # scroll anchoring moves what is inside it on the screen; a click aimed at a button in it
    # could land beside it. Users who ask for reduced motion get the same page without that.
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="nb-NO", reduced_motion="reduce"
    )
    page = context.new_page()
    page.width_name = request.param
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    # Let requests still under way finish before the test's database is emptied.
    page.wait_for_load_state("networkidle")
    context.close()


def check_page(page, name, *, status_errors=()):
    """Run axe-core (WCAG 2.1 A/AA) on the page, fail on any violation, keep a screenshot.

    ``status_errors`` names the HTTP statuses the page itself was expected to answer with
    (a form with errors answers 400), which the browser reports as a console error.
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    # A click that leads to another page returns before the browser has left the old one: if
    # axe starts in between, the document goes away under it. Then check the page it lands on.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = Axe().run(page, options=options)
            break
        except Error:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    shots = os.environ.get("UNGKULTUR_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(Path(shots) / f"{name}-{page.width_name}.png"),
            full_page=page.width_name == "desktop",
        )
    assert results.violations_count == 0, results.generate_report()
    # No failed resource and nothing refused by the content security policy.
    expected = [f"status of {status}" for status in status_errors]
    unexpected = [e for e in page.console_errors if not any(x in e for x in expected)]
    assert not unexpected, unexpected
    page.console_errors.clear()
    # Nothing may be wider than the screen (WCAG 1.4.10 reflow).
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the {page.width_name} screen"
