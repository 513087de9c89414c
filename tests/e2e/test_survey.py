"""The demo mentee answers the mid-way survey (two ratings, a choice and a free text) and a
coordinator watches its results: with four answers given before, every question is kept
back; the browser's answer makes five, and the count, the rating chart and the text appear.

Set E2E_SCREENSHOTS to a folder to keep a screenshot of each step.
"""

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from cohorts.models import Pair
from surveys.models import SurveyPage
from surveys.services import survey_answer
from tests.cohorts.factories import make_pair
from tests.e2e.browser import log_in, snapshot
from tests.surveys.factories import (
    MIDWAY_BETTER,
    MIDWAY_RECOMMEND,
    MIDWAY_TIME,
    MIDWAY_USEFUL,
    midway_survey,
)


def four_answers_before(cohort, survey: SurveyPage) -> None:
    """Four other participants each rate the program 3, through the service."""
    keys = {field.label: field.clean_name for field in survey.get_form_fields()}
    answers = {
        keys[MIDWAY_USEFUL]: 3,
        keys[MIDWAY_TIME]: 4,
        keys[MIDWAY_RECOMMEND]: "Yes",
        keys[MIDWAY_BETTER]: "More.",
    }
    for pair in (make_pair(cohort), make_pair(cohort)):
        for user, role in ((pair.mentor.applicant, "mentor"), (pair.mentee.applicant, "mentee")):
            survey_answer(page=survey, user=user, role=role, answers=answers)


def coordinator_opens_the_results(page: Page, server: str, cohort_title: str) -> None:
    log_in(page, f"{server}/admin/", "coordinator@example.org")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Mentoring").click()
    menu.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=cohort_title, exact=True).click()
    page.get_by_role("link", name="Results of the mid-way survey").click()
    expect(page.get_by_role("heading", name=re.compile("Survey results"))).to_be_visible()


def mentee_answers(page: Page, address: str, words: str) -> None:
    log_in(page, address, "mentee@example.org")
    page.get_by_role("group", name=re.compile(re.escape(MIDWAY_USEFUL))).get_by_label(
        "5", exact=True
    ).check()
    page.get_by_role("group", name=re.compile(re.escape(MIDWAY_TIME))).get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("group", name=re.compile(re.escape(MIDWAY_RECOMMEND))).get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label(MIDWAY_BETTER).fill(words)
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
    useful = page.locator(".report-chart", has_text=MIDWAY_USEFUL)
    expect(useful.locator("svg desc")).to_have_text("1: 0; 2: 0; 3: 4; 4: 0; 5: 1")
    expect(useful.locator("tbody tr").last).to_have_text(re.compile(r"^\s*5\s*1\s*$"))
    expect(page.locator(".survey-results__average").first).to_have_text("3.4")
    expect(page.locator(".survey-results__texts li", has_text=words)).to_have_count(1)
    snapshot(page, "survey-results")
