"""A verified member logs in, applies to a cohort as both mentor and mentee on a phone, and
sees the submitted application on the page.

Set E2E_SCREENSHOTS to a folder to keep a screenshot of the form and of the result.
"""

from playwright.sync_api import Page, expect
from wagtail.models import Site

from cohorts.models import CohortIndexPage
from members.models import AreaOfInterest
from tests.cohorts.factories import (
    ApplicationPageFactory,
    CohortIndexPageFactory,
    CohortPageFactory,
)
from tests.e2e.browser import PHONE, assert_no_sideways_scrolling, snapshot
from tests.factories import USER_PASSWORD, member


def test_verified_member_applies_as_mentor_and_mentee(page: Page, demo_server):
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CohortIndexPage.objects.child_of(home).first() or CohortIndexPageFactory(parent=home)
    cohort = CohortPageFactory(parent=index, title="Browser test cohort", slug="browser-test")
    apply_page = ApplicationPageFactory(parent=cohort)
    AreaOfInterest.objects.get_or_create(name="Cataloguing and metadata")
    member("bea.both@example.edu")

    page.set_viewport_size(PHONE)
    page.goto(demo_server + apply_page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("E-mail address").fill("bea.both@example.edu")
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Apply to Browser test cohort")).to_be_visible()
    page.get_by_label("Both mentor and mentee").check()
    page.get_by_label("Mentors: how many mentees can you take?").fill("2")
    page.get_by_label("Mentees: your goals for the year").fill("Learn to run a team <well>.")
    page.get_by_label("Mentors: what you can offer a mentee").fill("Ten years of metadata.")
    page.get_by_label("Cataloguing and metadata").check()
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Time zone").select_option("America/Denver")
    page.get_by_label("I plan to attend Annual").check()
    page.get_by_label("minimum of 2 hours of contact").check()
    assert_no_sideways_scrolling(page)
    snapshot(page, "application-form")
    page.get_by_role("button", name="Submit application").click()

    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    expect(page.get_by_role("heading", name="Submitted")).to_be_visible()
    summary = page.locator(".application-summary")
    expect(summary).to_contain_text("Both mentor and mentee")
    expect(summary).to_contain_text("Learn to run a team <well>.")
    expect(summary).to_contain_text("Ten years of metadata.")
    expect(summary).to_contain_text("America/Denver")
    expect(page.get_by_role("link", name="Edit your application")).to_be_visible()
    expect(page.get_by_text("Withdraw your application")).to_be_visible()
    assert_no_sideways_scrolling(page)
    snapshot(page, "application-submitted")
