"""The demo mentee answers the mid-way survey (two ratings, a choice and a free text) and a
coordinator watches its results: with four answers given before, every question is kept
back; the browser's answer makes five, and the count, the rating chart and the text appear.

Set E2E_SCREENSHOTS to a folder to keep a screenshot of each step.
"""

import re
import uuid
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cohorts.models import Pair
from surveys.models import SurveyFormField, SurveyPage
from surveys.services import survey_answer
from tests.cohorts.factories import published_pair
from tests.e2e.test_apply import snapshot
from tests.e2e.test_dashboard import DEMO_PASSWORD, log_in

USEFUL = "How useful has the program been so far?"
TIME = "How easy has it been to find time to meet?"
RECOMMEND = "Would you recommend the program to a colleague?"
BETTER = "What would make the second half of the year better?"
# The demo's mid-way survey asks these; a demo without one gets this survey.
QUESTIONS = [
    (USEFUL, "rating", "", True),
    (TIME, "rating", "", True),
    (RECOMMEND, "radio", "Yes\nNot sure\nNo", True),
    (BETTER, "multiline", "", False),
]


def midway_survey(cohort) -> SurveyPage:
    """The cohort's mid-way survey, open today: the demo's, or one added like it."""
    survey = SurveyPage.objects.child_of(cohort).filter(kind="midway").first()
    today = timezone.localdate()
    if survey is None:
        fields = [
            SurveyFormField(label=label, field_type=kind, choices=choices, required=required)
            for label, kind, choices, required in QUESTIONS
        ]
        survey = cohort.add_child(
            instance=SurveyPage(title="Mid-way survey", slug="midway-survey", form_fields=fields)
        )
    survey = survey.specific
    survey.opens, survey.closes = today - timedelta(days=1), today + timedelta(days=30)
    survey.save_revision().publish()
    return survey


def four_answers_before(cohort, survey: SurveyPage) -> None:
    """Four other participants each rate the program 3, through the service."""
    keys = {field.label: field.clean_name for field in survey.get_form_fields()}
    answers = {keys[USEFUL]: 3, keys[TIME]: 4, keys[RECOMMEND]: "Yes", keys[BETTER]: "More."}
    for pair in (published_pair(cohort), published_pair(cohort)):
        for user, role in ((pair.mentor.applicant, "mentor"), (pair.mentee.applicant, "mentee")):
            survey_answer(page=survey, user=user, role=role, answers=answers)


def coordinator_opens_the_results(page: Page, server: str, cohort_title: str) -> None:
    page.goto(f"{server}/admin/")
    page.get_by_label("E-mail address").fill("coordinator@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Mentoring").click()
    menu.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=cohort_title, exact=True).click()
    page.get_by_role("link", name="Results of the mid-way survey").click()
    expect(page.get_by_role("heading", name=re.compile("Survey results"))).to_be_visible()


def mentee_answers(page: Page, address: str, words: str) -> None:
    log_in(page, address, "mentee@example.org")
    page.get_by_role("group", name=re.compile(re.escape(USEFUL))).get_by_label(
        "5", exact=True
    ).check()
    page.get_by_role("group", name=re.compile(re.escape(TIME))).get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("group", name=re.compile(re.escape(RECOMMEND))).get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label(BETTER).fill(words)
    snapshot(page, "survey-form")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("You answered this survey on")).to_be_visible()


def test_an_answer_shows_in_the_results_once_five_people_answered(
    page: Page, browser: Browser, demo_server
):
    cohort = Pair.objects.get(mentee__applicant__email="mentee@example.org").cohort
    survey = midway_survey(cohort)
    four_answers_before(cohort, survey)
    words = f"More meetings in person, {uuid.uuid4().hex[:8]} <b>please</b>."

    coordinator_opens_the_results(page, demo_server, cohort.title)
    expect(page.get_by_text("4 responses.")).to_be_visible()
    expect(page.get_by_text("Too few answers to report.").first).to_be_visible()
    expect(page.locator("svg.report-chart__svg")).to_have_count(0)
    results = page.url

    participant = browser.new_context()
    mentee_answers(participant.new_page(), demo_server + survey.url, words)
    participant.close()

    page.goto(results)
    expect(page.get_by_text("5 responses.")).to_be_visible()
    useful = page.locator(".report-chart", has_text=USEFUL)
    expect(useful.locator("svg desc")).to_have_text("1: 0; 2: 0; 3: 4; 4: 0; 5: 1")
    expect(useful.locator("tbody tr").last).to_have_text(re.compile(r"^\s*5\s*1\s*$"))
    expect(page.locator(".survey-results__average").first).to_have_text("3.4")
    expect(page.locator(".survey-results__texts li", has_text=words)).to_have_count(1)
    snapshot(page, "survey-results")
