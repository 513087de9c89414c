"""A member finds the next step in one tap, on a 390x844 phone: the compact header and its
Menu button (no JavaScript needed) lead to "My mentoring"; the dashboard's "Needs you now"
items open the very place to act; a logged contact is confirmed where the member is; and
a contact the partner logged already is confirmed before it counts twice.

Set E2E_SCREENSHOTS to a folder to keep a screenshot of each step.
"""

from django.utils import timezone
from playwright.sync_api import Page, expect

from cohorts.models import ContactLog, Pair
from cohorts.pairs.services import pairs as pair_services
from tests.e2e.browser import assert_no_sideways_scrolling, log_in, pair_address, snapshot

PHONE_390 = {"width": 390, "height": 844}


def test_the_phone_header_takes_a_third_of_the_screen_at_most_and_opens_the_menu(
    page: Page, demo_server
):
    page.set_viewport_size(PHONE_390)
    dashboard, _pair = pair_address(demo_server)
    log_in(page, dashboard, "mentee@example.org")
    page.goto(demo_server + "/")
    header = page.locator("header.site-header").bounding_box()
    assert header["y"] + header["height"] <= PHONE_390["height"] / 3, header
    expect(page.locator("nav.main-nav")).to_be_hidden()
    snapshot(page, "phone-header")

    page.get_by_text("Menu", exact=True).click()
    menu = page.get_by_role("navigation", name="Main, from the menu")
    expect(menu.get_by_role("link", name="My applications")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the site")).to_be_visible()
    snapshot(page, "phone-menu")
    menu.get_by_role("link", name="My mentoring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring")
    assert_no_sideways_scrolling(page)


def test_needs_you_now_opens_the_place_to_act(page: Page, demo_server):
    pair = Pair.objects.get(mentee__applicant__email="mentee@example.org")
    pair_services.change_request_create(
        pair=pair, user=pair.mentor.applicant, reason="Only the subcommittee reads this."
    )
    page.set_viewport_size(PHONE_390)
    dashboard, pair_page = pair_address(demo_server)
    log_in(page, dashboard, "mentee@example.org")

    needs = page.get_by_role("region", name="Needs you now")
    expect(needs).to_contain_text("Maria Mentor asks for a change of partner.")
    snapshot(page, "needs-now")
    needs.get_by_role("link", name="Answer the request").click()
    assert page.url.endswith("/change/#answer-change"), page.url
    expect(page.get_by_role("button", name="I agree to a change")).to_be_in_viewport()

    # Every other item opens a page that answers.
    page.goto(dashboard)
    for link in needs.get_by_role("link").all():
        address = link.get_attribute("href")
        assert page.request.get(demo_server + address).ok, address
    page.goto(pair_page)
    expect(page.get_by_role("link", name="Log a contact")).to_be_in_viewport()


def test_a_logged_contact_is_confirmed_where_the_member_is_and_never_counted_twice(
    page: Page, demo_server
):
    page.set_viewport_size(PHONE_390)
    dashboard, pair_page = pair_address(demo_server)
    log_in(page, dashboard, "mentor@example.org")
    page.goto(pair_page)
    page.get_by_role("link", name="Log a contact").click()
    form = page.locator("#add-contact")
    expect(form).to_be_in_viewport()
    today = timezone.localdate()
    form.get_by_label("Date", exact=True).fill(today.isoformat())
    form.get_by_label("How long, in minutes").fill("35")
    form.get_by_label("Telephone").check()
    form.get_by_role("button", name="Add to the log").click()

    confirmation = page.get_by_text("is in the log.")
    expect(confirmation).to_be_in_viewport()
    expect(page.locator(".contact-log .entry").first).to_be_in_viewport()
    snapshot(page, "contact-confirmed")
    before = ContactLog.objects.count()

    # The mentee logs the same call: asked first, and not counted again.
    page.context.clear_cookies()
    log_in(page, pair_page, "mentee@example.org")
    form = page.locator("#add-contact")
    form.get_by_label("Date", exact=True).fill(today.isoformat())
    form.get_by_label("How long, in minutes").fill("35")
    form.get_by_label("Telephone").check()
    form.get_by_role("button", name="Add to the log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Already logged by your partner?")
    snapshot(page, "contact-twice")
    page.get_by_role("link", name="It is the same one: do not add it").click()
    assert ContactLog.objects.count() == before
    assert_no_sideways_scrolling(page)
