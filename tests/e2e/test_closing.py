"""After the formal end, in Chromium: the demo mentor and mentee each close their side of the
pair, in either order, confirming on a page of its own; the pair ends, and both still read
its record, their own notes and the mentor's letter of service. The letter is styled by its
stylesheet with no Content-Security-Policy violation, and axe-core finds no serious or
critical barrier on the pages this touches.

Set E2E_SCREENSHOTS to a folder to keep a screenshot of each step.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cohorts.choices import PairStatus
from cohorts.models import ContactLog, Pair
from cohorts.pairs.services import notes as note_services
from tests.e2e.browser import log_in, pair_address, snapshot

PEOPLE = {"mentor": "mentor@example.org", "mentee": "mentee@example.org"}
NAMES = {"mentor": "Maria Mentor", "mentee": "Theo Mentee"}


def demo_pair_over() -> Pair:
    """The demo pair, its formal mentoring ended yesterday, past the minimum hours, each
    partner with a private note."""
    pair = Pair.objects.select_related("cohort", "mentor__applicant", "mentee__applicant").get(
        mentee__applicant__email=PEOPLE["mentee"]
    )
    cohort = pair.cohort
    type(cohort).objects.filter(pk=cohort.pk).update(
        formal_end=timezone.localdate() - datetime.timedelta(days=1)
    )
    minutes = int(cohort.minimum_contact_hours * 60) + 30
    ContactLog.objects.create(
        pair=pair,
        author=pair.mentee.applicant,
        date=cohort.formal_start + datetime.timedelta(days=3),
        minutes=min(minutes, 600),
        method="virtual",
    )
    for side in ("mentor", "mentee"):
        user = getattr(pair, side).applicant
        note_services.note_add(pair=pair, user=user, text=f"Only {side} reads this.")
    return pair


def close_my_side(page: Page, pair_page: str, email: str = "", audited=None) -> list[str]:
    """Log in as ``email`` (unless logged in already), choose to close on the pair's page and
    confirm it; with ``audited``, the problems it finds on the confirmation page."""
    problems = []
    if email:
        log_in(page, pair_page, email)
    else:
        page.goto(pair_page)
    page.get_by_label("Close my side of the pair").check()
    page.locator("#after-end").get_by_role("button", name="Save your choice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close your side of the pair?")
    snapshot(page, "close-confirm")
    if audited:
        problems += audited("the confirmation of closing")
    page.get_by_role("button", name="Close my side of the pair").click()
    expect(page.locator(".message--success")).to_contain_text("You closed your side of the pair")
    return problems


@pytest.mark.parametrize("first", ["mentor", "mentee"])
def test_both_partners_close_in_either_order_and_keep_their_history(
    page: Page, browser: Browser, demo_server, first
):
    pair = demo_pair_over()
    _, pair_page = pair_address(demo_server)
    second = "mentee" if first == "mentor" else "mentor"

    close_my_side(page, pair_page, PEOPLE[first])
    expect(page.locator("#pair-closed-notice")).to_contain_text("You closed your side")
    expect(page.locator("#add-contact")).to_have_count(0)

    other = browser.new_page()
    try:
        log_in(other, pair_page, PEOPLE[second])
        expect(other.locator("#pair-closed-notice")).to_contain_text(
            f"{NAMES[first]} closed their side"
        )
        close_my_side(other, pair_page)
        expect(other.locator("#pair-closed-notice")).to_contain_text("This pair ended")
    finally:
        other.close()
    assert Pair.objects.get(pk=pair.pk).status == PairStatus.ENDED

    for side in ("mentor", "mentee"):
        reader = browser.new_page()
        try:
            log_in(reader, pair_page, PEOPLE[side])
            expect(reader.locator("#pair-closed-notice")).to_contain_text("This pair ended")
            expect(reader.locator(".contact-log")).to_be_visible()
            reader.get_by_role("link", name="Notes", exact=True).click()
            expect(reader.get_by_text(f"Only {side} reads this.")).to_be_visible()
            other_side = "mentee" if side == "mentor" else "mentor"
            expect(reader.get_by_text(f"Only {other_side} reads this.")).to_have_count(0)
            expect(reader.get_by_role("button", name="Save the note")).to_have_count(0)
        finally:
            reader.close()


def test_the_letter_is_styled_without_a_policy_violation(page: Page, demo_server, audited):
    demo_pair_over()
    _, pair_page = pair_address(demo_server)
    log_in(page, pair_page, PEOPLE["mentor"])
    problems = audited("the pair's page after the formal end")

    page.get_by_role("link", name="Download your letter of service").click()
    expect(page.get_by_text("To whom it may concern")).to_be_visible()
    problems += audited("the letter of service")
    styles = page.evaluate(
        """() => ({
        body: getComputedStyle(document.body).backgroundColor,
        sheet: getComputedStyle(document.querySelector(".sheet")).backgroundColor,
        letter: getComputedStyle(document.querySelector(".letter")).fontFamily,
    })"""
    )
    assert styles["body"] == "rgb(233, 237, 240)", styles
    assert styles["sheet"] == "rgb(255, 255, 255)", styles
    assert styles["letter"].startswith("Georgia"), styles
    snapshot(page, "letter")

    # Printed, the bar above the letter goes and the letter fits one sheet of US Letter.
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.letter-bar')).display") == (
        "none"
    )
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper)
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1, paper

    page.emulate_media(media="screen")
    problems += close_my_side(page, pair_page, audited=audited)
    problems += audited("the pair's page, closed")
    assert problems == []
