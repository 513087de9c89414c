"""A coordinator follows the dashboard's Needs attention panel to a call for help and
answers it on the pair's page."""

from playwright.sync_api import Page, expect

from cohorts.models import Pair, SupportRequest
from tests.e2e.browser import log_in

HELP = "We cannot find a time that suits us both."


def test_the_needs_attention_panel_leads_to_the_call_for_help(page: Page, demo_server):
    pair = Pair.objects.get(mentee__applicant__email="mentee@example.org")
    SupportRequest.objects.create(pair=pair, author=pair.mentee.applicant, message=HELP)
    log_in(page, f"{demo_server}/admin/", "coordinator@example.org")

    panel = page.get_by_role("region", name="Needs attention")
    expect(panel).to_contain_text("Calls for help: 1")
    panel.get_by_role("link", name="Calls for help: 1").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Needs attention")
    section = page.get_by_role("region", name="Calls for help (1)")
    expect(section).to_contain_text("Asked by")
    expect(page.get_by_text(HELP)).to_have_count(0)
    section.get_by_role("link").click()

    requests = page.locator("#pair-support")
    expect(requests).to_be_in_viewport()
    expect(page.get_by_text(HELP)).to_be_visible()
    page.get_by_label("Your answer").first.fill("The chair will call you both this week.")
    page.get_by_role("button", name="Send the answer").first.click()
    expect(page.locator(".messages")).to_contain_text("Answer saved")

    page.goto(f"{demo_server}/admin/")
    expect(page.get_by_role("region", name="Needs attention")).not_to_contain_text(
        "Calls for help: 1"
    )
