"""axe-core, run in Chromium (the ``audited`` fixture of tests/e2e/conftest.py), finds no
serious or critical accessibility violation on the pages members use most: the home page, a
resource page, the login page, the contact form, the application form, a participant's
dashboard and a survey. On every one of them the browser also reports no
Content-Security-Policy violation: the strict policy blocks nothing the site needs.

The audit is the ``audited`` fixture of tests/e2e/conftest.py.
"""

import re

from playwright.sync_api import Page, expect
from wagtail.models import Site

from cohorts.models import CohortIndexPage, Pair
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
