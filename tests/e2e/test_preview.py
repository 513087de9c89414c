"""An editor previews a page beside its edit form: the admin's preview frame shows the page."""

from playwright.sync_api import Page, expect

from home.models import HomePage
from tests.e2e.browser import log_in


def test_the_editors_preview_panel_shows_the_page_being_edited(page: Page, demo_server):
    home = HomePage.objects.get()
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "frame" in message.text.lower() else None,
    )
    log_in(page, f"{demo_server}/admin/", "editor@example.org")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()

    page.goto(f"{demo_server}/admin/pages/{home.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()

    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator(".hero h1")).to_have_text(home.title, timeout=15_000)
    assert blocked == []
