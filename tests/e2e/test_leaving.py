"""The edges of a member's data, in Chromium on the demo site: a partner deletes their account
mid-year and the other keeps the pair's record; a member with every kind of record downloads
their data as JSON and reads it as a printable page. axe-core finds no serious or critical
barrier on the pages involved, and the strict Content-Security-Policy blocks nothing."""

import json

from playwright.sync_api import Page, expect

from cohorts.choices import ReminderKind
from cohorts.models import OutboxMessage, Pair
from tests.cohorts.factories import every_kind_of_record
from tests.e2e.browser import (
    DEMO_PASSWORD,
    PHONE,
    assert_no_sideways_scrolling,
    log_in,
    pair_address,
)


def test_a_partner_deleting_their_account_mid_year_leaves_the_other_their_record(
    page: Page, demo_server, audited
):
    dashboard, pair_page = pair_address(demo_server)
    log_in(page, pair_page + "notes/", "mentor@example.org")
    page.get_by_label("Your note", exact=True).fill("Maria's own note, kept for her.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Your private note is saved.")).to_be_visible()
    page.context.clear_cookies()

    log_in(page, demo_server + "/accounts/profile/", "mentee@example.org")
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_text("a pair you are in ends")).to_be_visible()
    problems = audited("the page that deletes an account")
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")

    log_in(page, dashboard, "mentor@example.org")
    ended = page.get_by_role("region", name="Pairs that have ended")
    expect(ended).to_contain_text("partner left the program")
    expect(page.get_by_text("You mentor Former participant")).to_have_count(0)
    problems += audited("the dashboard after the partner left")
    ended.get_by_role("link", name="You mentored a former participant").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("You mentored a former participant")
    expect(page.get_by_text("This pair ended on")).to_contain_text("partner left the program")
    expect(page.get_by_role("button", name="Add to the log")).to_have_count(0)
    expect(page.get_by_text("Behind", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Change of partner")).to_have_count(0)
    problems += audited("the ended pair's page")
    page.get_by_role("link", name="Notes", exact=True).click()
    expect(page.get_by_text("Maria's own note, kept for her.")).to_be_visible()
    expect(page.get_by_role("button", name="Save the note")).to_have_count(0)
    problems += audited("the ended pair's notes")

    pair = Pair.objects.get(mentor__applicant__email="mentor@example.org")
    told = OutboxMessage.objects.filter(period=f"left-{pair.pk}").values_list("kind", flat=True)
    assert set(told) == {ReminderKind.PARTNER_LEFT, ReminderKind.PARTNER_LEFT_SUBCOMMITTEE}
    assert problems == []


def test_the_download_after_every_kind_of_record_as_a_file_and_as_a_page(
    page: Page, demo_server, audited
):
    pair = Pair.objects.get(mentee__applicant__email="mentee@example.org")
    texts = every_kind_of_record(pair, words="Theo's words", shared_words="Our record")

    log_in(page, demo_server + "/accounts/profile/", "mentee@example.org")
    problems = audited("your account page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    [exported] = data["Your pairs"]
    [logged] = [c for c in exported["Contact log"] if c["Summary"] == "Our record contact summary"]
    assert (logged["Method"], logged["Conference meeting"]) == ("Face-to-face", "At Midwinter")
    assert "Our record goal" in [goal["Goal"] for goal in exported["Goals"]]
    assert exported["Your requests for help"][0]["Message"] == "Theo's words help"
    assert exported["Changes of partner"][0]["Reason"] == "Theo's words change reason"
    assert texts["private"] in [note["Text"] for note in exported["Your notes"]]

    page.get_by_role("link", name="Read your data as a page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    for heading in ["Your applications", "Your pairs", "E-mail from the program"]:
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(page.get_by_text("At Midwinter").first).to_be_visible()
    expect(page.get_by_text("Theo's words change reason")).to_be_visible()
    problems += audited("the data page")
    # Printed, the page keeps the data and drops the site's furniture and the links.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".data-summary__actions")).to_be_hidden()
    expect(page.get_by_text("Theo's words change reason")).to_be_visible()
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    assert_no_sideways_scrolling(page)
    assert problems == []
