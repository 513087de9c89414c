"""axe-core, run in Chromium, finds no serious or critical accessibility violation on the
pages members use most: the home page, a resource page, the login page, the contact form,
the application form, a participant's dashboard and a survey; and on the pages a visitor
looks for: how to apply, the privacy notice and the accessibility statement. On every one of
them the browser also reports no Content-Security-Policy violation: the strict policy blocks
nothing the site needs.

The audit is the ``audited`` fixture of tests/e2e/conftest.py.
"""

import re

from playwright.sync_api import Page, expect
from wagtail.models import Site

from cohorts.models import CohortIndexPage, Pair
from cohorts.pairs.services import pairs as pair_services
from members.models import AreaOfInterest
from resources.models import ResourcePage
from tests.cohorts.factories import (
    ApplicationPageFactory,
    CohortIndexPageFactory,
    CohortPageFactory,
)
from tests.e2e.browser import log_in, pair_address
from tests.factories import USER_PASSWORD, member
from tests.surveys.factories import midway_survey


def test_the_pages_members_use_most_have_no_serious_barrier_and_no_csp_violation(
    page: Page, demo_server, audited
):
    problems = []
    page.goto(demo_server + "/")
    problems += audited("home page")
    resource = ResourcePage.objects.live().public().first()
    page.goto(demo_server + resource.url)
    problems += audited("resource page")
    page.goto(demo_server + "/accounts/login/")
    problems += audited("login page")
    # The contact form, with its trap for robots hidden from screen readers and the keyboard.
    page.goto(demo_server + "/contact/")
    problems += audited("contact form")

    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CohortIndexPage.objects.child_of(home).first() or CohortIndexPageFactory(parent=home)
    cohort = CohortPageFactory(parent=index, title="Accessible cohort", slug="accessible")
    apply_page = ApplicationPageFactory(parent=cohort)
    AreaOfInterest.objects.get_or_create(name="Cataloguing and metadata")
    member("ada.applicant@example.edu")
    page.goto(demo_server + apply_page.url)
    page.get_by_label("E-mail address").fill("ada.applicant@example.edu")
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Apply to Accessible cohort")).to_be_visible()
    problems += audited("application form")
    page.context.clear_cookies()

    dashboard, pair_page = pair_address(demo_server)
    log_in(page, dashboard, "mentee@example.org")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    problems += audited("dashboard")
    page.goto(pair_page)
    problems += audited("the pair's page")

    survey = midway_survey(Pair.objects.get(mentee__applicant__email="mentee@example.org").cohort)
    page.goto(demo_server + survey.url)
    expect(page.get_by_role("button", name="Send my answers")).to_be_visible()
    problems += audited("survey")

    assert problems == []


def test_the_members_own_pages_on_a_phone_have_no_serious_barrier(
    page: Page, demo_server, audited
):
    """The phone's header with its menu open, the dashboard with something that needs the
    member, the pair's page, the notes and the confirmations before sharing a note and
    asking for a change of partner, and the account page with its applications."""
    pair = Pair.objects.get(mentee__applicant__email="mentee@example.org")
    pair_services.change_request_create(pair=pair, user=pair.mentor.applicant, reason="Why.")
    page.set_viewport_size({"width": 390, "height": 844})
    dashboard, pair_page = pair_address(demo_server)
    log_in(page, dashboard, "mentee@example.org")
    problems = audited("dashboard, needs you now")
    page.get_by_text("Menu", exact=True).click()
    problems += audited("the phone's menu, open")
    page.goto(pair_page)
    problems += audited("the pair's page on a phone")
    page.goto(pair_page + "notes/")
    problems += audited("notes")
    page.get_by_role("link", name="Share with Maria Mentor").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share this note?")
    problems += audited("sharing a note, confirmed first")
    page.goto(pair_page + "change/")
    problems += audited("a change of partner to answer")
    page.goto(demo_server + "/accounts/profile/")
    problems += audited("account page with applications")

    page.context.clear_cookies()
    log_in(page, pair_page + "change/", "mentor@example.org")
    page.get_by_role("button", name="Withdraw my request").click()
    page.get_by_label("Why you would like a change").fill("Our schedules never meet.")
    page.get_by_role("button", name="Ask for a change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a change of partner?")
    problems += audited("asking for a change, confirmed first")


def test_the_pages_a_visitor_looks_for_have_no_serious_barrier(page: Page, demo_server, audited):
    """How to apply, the privacy notice and the accessibility statement, reached from the
    footer as a visitor does, on a desktop and on a 390 px phone."""
    problems = []
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for title in ("How to apply", "Privacy notice", "Accessibility statement"):
            page.goto(demo_server + "/")
            page.get_by_role("navigation", name="Footer").get_by_role("link", name=title).click()
            expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
            problems += audited(f"{title} at {width} px")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, title
    assert problems == []


def test_the_audit_reports_what_it_should(page: Page, demo_server, audited):
    """A page given an unlabelled field, an image without text and an inline script: axe
    and the policy both speak up, so the test above cannot pass by seeing nothing."""
    page.goto(demo_server + "/accounts/login/")
    page.evaluate(
        """() => {
        const input = document.createElement("input");
        document.querySelector("main").append(input);
        const image = document.createElement("img");
        image.src = "/static/none.png";
        document.querySelector("main").append(image);
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
    }"""
    )
    problems = " ".join(audited("login page, broken on purpose"))
    assert re.search(r"critical (label|image-alt)", problems)
    assert "CSP blocked script-src" in problems or "CSP blocked inline" in problems
    assert page.evaluate("window.injected === undefined")


def test_the_sign_on_pages_have_no_serious_barrier_and_no_csp_violation(
    page: Page, sso_server, audited
):
    server, provider = sso_server
    provider.accounts(ines={"email": "ines@example.edu", "email_verified": True, "name": "Ines O"})
    problems = []
    page.goto(server + "/accounts/login/")
    problems += audited("login page with the sign-on")
    page.goto(server + "/accounts/signup/")
    problems += audited("sign-up page with the sign-on")
    page.get_by_role("button", name="Log in with your Library Association account").click()
    page.locator("input[name=login]").fill("ines")
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    page.goto(server + "/accounts/logout/")
    expect(page.get_by_role("button", name="Log out everywhere")).to_be_visible()
    problems += audited("logout page with the sign-on")
    page.goto(server + "/accounts/oidc/association/login/callback/?code=x&state=unknown")
    expect(page.get_by_role("heading", level=1)).to_have_text("Login with the association failed")
    problems += audited("sign-on refusal")

    assert problems == []
