"""An editor changes the program overview in the Wagtail admin and publishes it."""

from playwright.sync_api import Page, expect

from home.models import HomePage
from tests.e2e.browser import log_in


def test_demo_editor_rewrites_the_overview_and_publishes_it(page: Page, demo_server):
    home = HomePage.objects.get()
    log_in(page, f"{demo_server}/admin/", "editor@example.org")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()

    page.goto(f"{demo_server}/admin/pages/{home.pk}/edit/")
    intro = page.locator("#id_intro")
    intro.fill("Applications for the next cohort open in January.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    page.goto(demo_server)
    expect(page.locator(".hero .lede")).to_have_text(
        "Applications for the next cohort open in January."
    )
