"""What the browser tests share: a phone's viewport, screenshots kept on request, the check
that a page never scrolls sideways, and logging in to the demo site and finding its pair.

Set E2E_SCREENSHOTS to a folder to keep the screenshots ``snapshot`` takes."""

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from cohorts.models import Pair, PairDashboardPage

PHONE = {"width": 375, "height": 740}
# Collects what the page's Content-Security-Policy refused (add it with page.add_init_script).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
DEMO_PASSWORD = "mentoring-demo"


def snapshot(page: Page, name: str) -> None:
    """A full-page screenshot named ``name`` in E2E_SCREENSHOTS, when that is set."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def assert_no_sideways_scrolling(page: Page) -> None:
    """The page is no wider than the window."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, page.url


def log_in(page: Page, address: str, email: str) -> None:
    """Open ``address``, which sends a visitor to the site's login page, and log in."""
    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def pair_address(server: str) -> tuple[str, str]:
    """The demo dashboard's address and the demo pair's page on it."""
    dashboard = PairDashboardPage.objects.live().get()
    pair = Pair.objects.get(mentee__applicant__email="mentee@example.org")
    return server + dashboard.url, server + dashboard.url + dashboard.reverse_subpage(
        "pair", args=[pair.pk]
    )
