"""Partners keep their year on the pair dashboard, on a phone: the demo mentee logs a contact
and writes a private and a shared note; the demo mentor sees the contact and the shared note,
never the private one; a coordinator who opens the pair's address gets the 404 page.

Set E2E_SCREENSHOTS to a folder to keep a screenshot of each step.
"""

import uuid

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import PHONE, assert_no_sideways_scrolling, log_in, pair_address, snapshot


def mentee_logs_a_contact_and_two_notes(page: Page, dashboard: str, words: dict) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, dashboard, "mentee@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring")
    page.get_by_role("link", name="Maria Mentor mentors you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Mentor mentors you")
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert_no_sideways_scrolling(page)

    form = page.locator("#add-contact")
    form.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    form.get_by_label("How long, in minutes").fill("40")
    form.get_by_label("Telephone").check()
    form.get_by_label("What you talked about (optional)").fill(words["summary"])
    snapshot(page, "dashboard-pair")
    form.get_by_role("button", name="Add to the log").click()
    expect(page.get_by_text("is in the log.")).to_be_visible()
    expect(page.locator(".contact-log")).to_contain_text(words["summary"])
    assert_no_sideways_scrolling(page)

    page.get_by_role("link", name="Notes", exact=True).click()
    expect(page.get_by_text("Coordinators never see notes.")).to_be_visible()
    page.get_by_label("Your note", exact=True).fill(words["private"])
    expect(page.get_by_label("Share with my partner")).not_to_be_checked()
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Your private note is saved.")).to_be_visible()
    page.get_by_label("Your note", exact=True).fill(words["shared"])
    page.get_by_label("Share with my partner").check()
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Your note is saved and shared with Maria Mentor.")).to_be_visible()
    expect(page.get_by_text(words["private"])).to_be_visible()
    expect(page.get_by_text(words["shared"])).to_be_visible()
    assert_no_sideways_scrolling(page)
    snapshot(page, "dashboard-notes")


def test_partners_share_what_they_choose_and_coordinators_see_no_notes(
    page: Page, browser: Browser, demo_server
):
    dashboard, pair = pair_address(demo_server)
    unique = uuid.uuid4().hex[:10]
    words = {
        "summary": f"Phone call {unique} about RDA training",
        "private": f"Private {unique}: nervous about my review.",
        "shared": f"Shared {unique}: thank you for the reading list.",
    }
    mentee_logs_a_contact_and_two_notes(page, dashboard, words)

    mentor_context = browser.new_context(viewport=PHONE)
    mentor = mentor_context.new_page()
    log_in(mentor, pair, "mentor@example.org")
    expect(mentor.get_by_role("heading", level=1)).to_have_text("You mentor Theo Mentee")
    expect(mentor.locator(".contact-log")).to_contain_text(words["summary"])
    mentor.get_by_role("link", name="Notes", exact=True).click()
    expect(mentor.get_by_text(words["shared"])).to_be_visible()
    expect(mentor.get_by_text("Shared by Theo Mentee").first).to_be_visible()
    assert words["private"] not in mentor.content()
    assert_no_sideways_scrolling(mentor)
    mentor_context.close()

    coordinator_context = browser.new_context(viewport=PHONE)
    coordinator = coordinator_context.new_page()
    log_in(coordinator, pair + "notes/", "coordinator@example.org")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Page not found")
    for address in (pair, pair + "notes/"):
        response = coordinator.goto(address)
        assert response.status == 404
        content = coordinator.content()
        assert words["private"] not in content and words["shared"] not in content
        assert "Private note:" not in content and "Shared note:" not in content
        assert "Theo Mentee" not in content
    coordinator_context.close()
