"""A coordinator opens the matching workspace from the Mentoring menu, runs the suggestions,
accepts one, publishes it, and both members' e-mails (received by a real SMTP server) name
their partner."""

from playwright.sync_api import Page, expect
from wagtail.models import Site

from cohorts.choices import ApplicationStatus, Role
from cohorts.models import Application, CohortIndexPage, Pair
from tests.cohorts.factories import CohortPageFactory
from tests.e2e.browser import WATCH_CSP, assert_no_sideways_scrolling, log_in
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
    expect(suggestions.locator(".matching-outcome")).to_contain_text(
        "Confirmed: Max Mentor mentors Mia Mentee"
    )
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


# The workspace at work: in place, beside the row --------------------------------------------


def open_workspace(page: Page, server: str, cohort, query: str = "") -> None:
    page.add_init_script(WATCH_CSP)
    log_in(
        page, f"{server}/admin/mentoring/matching/{cohort.pk}/{query}", "coordinator@example.org"
    )
    expect(page.get_by_role("heading", name="Matching workspace")).to_be_visible()


def workspace_cohort(people: int):
    """A cohort with ``people`` mentors and as many mentees, suggestions run."""
    from cohorts.matching import services

    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CohortIndexPage.objects.child_of(home).get()
    cohort = CohortPageFactory(parent=index, title="Busy cohort", slug="busy")
    for n in range(people):
        accepted(cohort, f"mentor{n}@example.edu", f"Mentor{n}", "Mentor", Role.MENTOR)
        accepted(cohort, f"mentee{n}@example.edu", f"Mentee{n}", "Mentee", Role.MENTEE)
    services.suggestions_run(cohort=cohort, user=None)
    return cohort


def assert_tables_whole(page: Page, *, suggestions: int, confirmed: int) -> None:
    """The suggestions' table holds its suggestions and the messages left where rows were,
    and the confirmed table its pairs, each table with one heading row."""
    body = "#suggestions tbody tr"
    expect(page.locator(f"{body}[id^='suggestion-']:not(.matching-outcome-row)")).to_have_count(
        suggestions
    )
    expect(page.locator(f"{body}:not([id^='suggestion-']), #suggestions tbody th")).to_have_count(
        0
    )
    expect(page.locator("#suggestions thead tr")).to_have_count(1)
    expect(page.locator("#confirmed tbody tr[id^='pair-']")).to_have_count(confirmed)
    expect(page.locator("#confirmed thead tr")).to_have_count(1)


def test_accepting_in_place_keeps_the_place_and_shows_the_message_beside_the_row(
    page: Page, demo_server, audited
):
    cohort = workspace_cohort(12)
    open_workspace(page, demo_server, cohort)
    rows = page.locator("#suggestions tbody tr")
    row = rows.nth(8)
    row_id = row.get_attribute("id")
    row.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    mentee = row.locator("td").nth(1).get_by_role("link").inner_text()

    row.get_by_role("button", name="Accept").click()
    message = page.locator(f"#{row_id} .matching-outcome")
    expect(message).to_contain_text("Confirmed: ")
    expect(message).to_contain_text(mentee)
    expect(message).to_be_focused()
    # No reload: the page stayed where the coordinator was, and the counts followed.
    assert abs(page.evaluate("window.scrollY") - before) < 200
    expect(page.locator("#suggestions-head button")).to_have_text("Accept all 11 suggestions")
    expect(page.locator("#confirmed-title")).to_have_text("Confirmed, not published (1)")
    assert Pair.objects.filter(cohort=cohort).count() == 1
    assert_tables_whole(page, suggestions=11, confirmed=1)

    # A second accept, with a confirmed pair already listed: the confirmed table is redrawn
    # in its own place, and nothing of it lands among the suggestions.
    second = page.locator("#suggestions tbody tr[id^='suggestion-']:not(.matching-outcome-row)")
    second.first.get_by_role("button", name="Accept").click()
    expect(page.locator("#confirmed-title")).to_have_text("Confirmed, not published (2)")
    assert_tables_whole(page, suggestions=10, confirmed=2)
    # htmx wrote no style element of its own (includeIndicatorStyles is off).
    styles = page.evaluate("[...document.querySelectorAll('style')].map(s => s.textContent)")
    assert not any("htmx-indicator" in text for text in styles)
    assert audited("workspace after an accept in place") == []


def test_on_a_phone_each_suggestion_is_a_card_with_its_headings(page: Page, demo_server):
    page.set_viewport_size({"width": 390, "height": 844})
    cohort = workspace_cohort(4)
    open_workspace(page, demo_server, cohort)
    row = page.locator("#suggestions tbody tr").first
    mentor, mentee = row.locator("td").nth(0), row.locator("td").nth(1)
    # The cells stand one above the other, the width of the card, each under its heading.
    assert (
        mentee.bounding_box()["y"] >= mentor.bounding_box()["y"] + mentor.bounding_box()["height"]
    )
    assert mentor.bounding_box()["width"] > 300
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels == ['"Mentor"', '"Mentee"', '"Fit (0–100)"', '"For and against"', '"Actions"']
    expect(page.locator("#suggestions thead")).not_to_be_in_viewport()
    assert_no_sideways_scrolling(page)

    row.get_by_role("button", name="Accept").click()
    expect(row.locator(".matching-outcome")).to_contain_text("Confirmed: ")
    assert_tables_whole(page, suggestions=3, confirmed=1)
    assert_no_sideways_scrolling(page)


def test_a_refused_hand_pairing_shows_its_reason_beside_the_form_with_the_choice_kept(
    page: Page, demo_server
):
    cohort = workspace_cohort(1)
    user = member("bo.both@example.edu", institution="Both Library")
    user.first_name, user.last_name = "Bo", "Both"
    user.save()
    both = Application.objects.create(
        cohort=cohort,
        applicant=user,
        role=Role.BOTH,
        mentee_capacity=1,
        status=ApplicationStatus.ACCEPTED,
        contact_methods=["email"],
    )
    open_workspace(page, demo_server, cohort)
    form = page.locator("#pair-by-hand")
    form.get_by_label("Mentor").select_option(str(both.pk))
    form.get_by_label("Mentee").select_option(str(both.pk))
    form.get_by_role("button", name="Pair by hand").click()

    expect(form.locator(".matching-outcome")).to_have_text("Bo Both cannot mentor themselves.")
    expect(form.get_by_label("Mentor")).to_have_value(str(both.pk))
    expect(form.get_by_label("Mentee")).to_have_value(str(both.pk))
    assert not Pair.objects.filter(cohort=cohort).exists()
    assert page.evaluate("window.__cspViolations") == []


def test_the_filtered_bulk_accept_confirms_only_the_rows_shown(page: Page, demo_server):
    cohort = workspace_cohort(6)
    open_workspace(page, demo_server, cohort)
    page.get_by_label("Find a person").fill("Mentee3")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#suggestions tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Accept the 1 suggestion shown").click()

    expect(page.locator(".messages")).to_contain_text("Confirmed 1 suggested pair.")
    pairs = Pair.objects.filter(cohort=cohort)
    assert [p.mentee.applicant.first_name for p in pairs] == ["Mentee3"]
    assert cohort.pk and page.url.endswith("?q=Mentee3#suggestions")
    assert page.evaluate("window.__cspViolations") == []


def test_the_workspace_and_the_comparison_have_no_serious_barrier(
    page: Page, demo_server, audited
):
    cohort = workspace_cohort(3)
    open_workspace(page, demo_server, cohort)
    page.reload()  # past the admin's own "signed in" message, which is not this page's
    problems = audited("matching workspace")
    page.locator("#suggestions tbody tr").first.get_by_role(
        "link", name="Compare profiles"
    ).click()
    expect(page.get_by_role("heading", name="Compare a mentor and a mentee")).to_be_visible()
    problems += audited("comparison")
    assert problems == []
