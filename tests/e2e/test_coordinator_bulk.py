"""A coordinator works at size from the admin: ticks applications in the listing and accepts
them in one go after a confirmation page that names them, and previews an announcement,
sends a test to themself, then sends it. Every e-mail arrives at a real SMTP server."""

from playwright.sync_api import Page, expect
from wagtail.models import Site

from cohorts.choices import ApplicationStatus, Role
from cohorts.models import Announcement, Application, CohortIndexPage
from tests.cohorts.factories import CohortPageFactory, apply
from tests.e2e.browser import log_in, snapshot

COORDINATOR = "coordinator@example.org"


def browser_cohort(title: str, slug: str):
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CohortIndexPage.objects.child_of(home).get()
    return CohortPageFactory(parent=index, title=title, slug=slug)


def test_a_coordinator_accepts_ticked_applications_in_one_go(page: Page, demo_server, smtp_inbox):
    cohort = browser_cohort("Bulk cohort", "bulk")
    ana, ben, cy = (
        apply(cohort, first=first, last="Applicant", role=Role.MENTEE)
        for first in ("Ana", "Ben", "Cy")
    )

    log_in(page, f"{demo_server}/admin/mentoring/applications/?cohort={cohort.pk}", COORDINATOR)
    expect(page.get_by_role("link", name="Ana Applicant")).to_be_visible()
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer).to_be_hidden()
    page.locator(f'input[data-object-id="{ana.pk}"]').check()
    page.locator(f'input[data-object-id="{cy.pk}"]').check()
    expect(footer).to_contain_text("2 items selected")
    snapshot(page, "applications-ticked")
    footer.get_by_role("link", name="Accept").click()

    expect(
        page.get_by_role("heading", name="These applications will be accepted (2)")
    ).to_be_visible()
    ready = page.locator("[data-bulk-ready]")
    expect(ready).to_contain_text("Ana Applicant (Bulk cohort, submitted)")
    expect(ready).to_contain_text("Cy Applicant")
    expect(ready).not_to_contain_text("Ben")
    page.get_by_label("Note to each applicant").fill("Welcome to the program.")
    snapshot(page, "applications-bulk-confirm")
    page.get_by_role("button", name="Accept 2 and e-mail each applicant").click()

    expect(page.locator(".messages")).to_contain_text(
        "2 applications are now accepted. Each applicant is told by e-mail."
    )
    statuses = dict(Application.objects.filter(cohort=cohort).values_list("pk", "status"))
    assert statuses == {
        ana.pk: ApplicationStatus.ACCEPTED,
        ben.pk: ApplicationStatus.SUBMITTED,
        cy.pk: ApplicationStatus.ACCEPTED,
    }
    letters = {
        m["X-Envelope-To"]: m.get_body(("plain",)).get_content() for m in smtp_inbox.messages
    }
    assert set(letters) == {ana.applicant.email, cy.applicant.email}
    assert all(
        "is accepted" in text and "Welcome to the program." in text for text in letters.values()
    )


def test_a_coordinator_previews_an_announcement_tests_it_then_sends_it(
    page: Page, demo_server, smtp_inbox
):
    cohort = browser_cohort("Announced cohort", "announced")
    applicants = [apply(cohort, first=first, last="Reader") for first in ("Ida", "Jo")]

    log_in(page, f"{demo_server}/admin/mentoring/announcements/new/", COORDINATOR)
    page.get_by_label("Cohort").select_option(label="Announced cohort")
    page.get_by_label("Everyone who applied (not withdrawn)").check()
    page.get_by_label("Subject").fill("Orientation moves to Thursday")
    page.get_by_label("Message").fill("The orientation is now on Thursday at 6 PM.\n\nSame link.")
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("[data-announcement-count]")).to_contain_text("2 people")
    expect(page.locator("[data-announcement-subject]")).to_have_text(
        "Orientation moves to Thursday"
    )
    body = page.locator("[data-announcement-body]")
    expect(body).to_contain_text("Dear ")
    expect(body).to_contain_text("The orientation is now on Thursday at 6 PM.")
    assert smtp_inbox.messages == [] and not Announcement.objects.exists()
    snapshot(page, "announcement-preview")

    page.get_by_role("button", name="Send a test to me").click()
    expect(page.locator(".messages")).to_contain_text("A test is on its way to you alone")
    [test] = smtp_inbox.messages
    assert test["X-Envelope-To"] == COORDINATOR
    assert test["Subject"] == "[Test] Orientation moves to Thursday"
    assert "This is a test" in test.get_body(("plain",)).get_content()

    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.locator(".messages")).to_contain_text(
        "Announcement “Orientation moves to Thursday” is on its way to 2 people."
    )
    expect(page.get_by_role("table")).to_contain_text("Orientation moves to Thursday")
    real = smtp_inbox.messages[1:]
    assert sorted(m["X-Envelope-To"] for m in real) == sorted(
        a.applicant.email for a in applicants
    )
    assert {m["Subject"] for m in real} == {"Orientation moves to Thursday"}
    assert Announcement.objects.get(is_test=False).recipients == 2
