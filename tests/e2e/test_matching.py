"""A coordinator opens the matching workspace from the Mentoring menu, runs the suggestions,
accepts one, publishes it, and both members' e-mails (received by a real SMTP server) name
their partner."""

from playwright.sync_api import Page, expect
from wagtail.models import Site

from cohorts.choices import ApplicationStatus, Role
from cohorts.models import Application, CohortIndexPage, Pair
from tests.cohorts.factories import CohortPageFactory
from tests.e2e.browser import log_in
from tests.factories import member


def accepted(cohort, email: str, first: str, last: str, role: str) -> Application:
    user = member(email, institution=f"{last} Library")
    user.first_name, user.last_name = first, last
    user.save()
    return Application.objects.create(
        cohort=cohort,
        applicant=user,
        role=role,
        mentee_capacity=1 if role == Role.MENTOR else None,
        status=ApplicationStatus.ACCEPTED,
        contact_methods=["email"],
        time_zone="America/Chicago",
        attends_annual=True,
    )


def test_coordinator_accepts_a_suggestion_and_publishes_it(page: Page, demo_server, smtp_inbox):
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CohortIndexPage.objects.child_of(home).get()
    cohort = CohortPageFactory(parent=index, title="Browser matching cohort", slug="matching")
    mentor = accepted(cohort, "max.mentor@example.edu", "Max", "Mentor", Role.MENTOR)
    mentee = accepted(cohort, "mia.mentee@example.edu", "Mia", "Mentee", Role.MENTEE)

    log_in(page, f"{demo_server}/admin/", "coordinator@example.org")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Mentoring").click()
    menu.get_by_role("link", name="Matching").click()
    page.get_by_role("link", name="Browser matching cohort").click()
    expect(page.get_by_role("heading", name="Matching workspace")).to_be_visible()

    page.get_by_role("button", name="Run suggestions").click()
    expect(page.locator(".messages")).to_contain_text("1 suggested pairs")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Max Mentor")
    expect(suggestions).to_contain_text("both at Annual")
    suggestions.get_by_role("button", name="Accept Max Mentor and Mia Mentee").click()
    expect(page.locator(".messages")).to_contain_text("Confirmed: Max Mentor mentors Mia Mentee")
    assert smtp_inbox.messages == []

    page.get_by_role("link", name="Publish 1 confirmed pair").click()
    page.get_by_role("button", name="Publish 1 pair and e-mail it").click()
    expect(page.locator(".messages")).to_contain_text("Published 1 pair.")
    expect(page.locator("#published")).to_contain_text("Coordinator")

    pair = Pair.objects.get(cohort=cohort)
    assert pair.published_by.email == "coordinator@example.org"
    letters = {
        message["To"]: message.get_body(("plain",)).get_content()
        for message in smtp_inbox.messages
    }
    assert set(letters) == {mentor.applicant.email, mentee.applicant.email}
    assert "Mia Mentee" in letters[mentor.applicant.email]
    assert "mia.mentee@example.edu" in letters[mentor.applicant.email]
    assert "Max Mentor" in letters[mentee.applicant.email]
    assert "max.mentor@example.edu" in letters[mentee.applicant.email]
