"""The home page leads through the year: with the clock moved to each stage of the demo's
open cohort, the overview names the stage and offers the one action of the moment, and the
action leads to a page that answers."""

import datetime

import time_machine
from playwright.sync_api import Page, expect

from cohorts.models import CohortPage
from cohorts.program.selectors import program_season
from core.formatting import day_display

DAY = datetime.timedelta(days=1)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


MOMENTS = [
    ("open", "Applications open until", "Apply to the "),
    ("matching", "Matching mentors and mentees until", "How mentors and mentees are paired"),
    ("orientation", "orientation before the start until", "Add the orientation to your calendar"),
    ("under_way", "Formal mentoring under way until", "About the "),
    ("ended", "Program year ended", "About the "),
]


def test_the_overview_gives_the_stage_and_its_action_through_the_year(page: Page, demo_server):
    cohort = CohortPage.objects.live().order_by("-applications_open").first()
    days = {
        "open": cohort.application_deadline - DAY,
        "matching": cohort.application_deadline + DAY,
        "orientation": cohort.pairing_completed_by + DAY,
        "under_way": cohort.formal_start + 30 * DAY,
        "ended": cohort.final_survey_closes + 400 * DAY,
    }
    for moment, stage_text, action in MOMENTS:
        with time_machine.travel(noon(days[moment]), tick=True):
            season = program_season()
            page.goto(demo_server)
            section = page.get_by_role("region", name=season.cohort.title)
            expect(section).to_contain_text(stage_text)
            if season.stage.until:
                expect(section).to_contain_text(day_display(season.stage.until))
            button = section.get_by_role("link", name=action)
            expect(button).to_be_visible()
            if moment == "orientation":
                with page.expect_download() as download:
                    button.click()
                assert download.value.suggested_filename.endswith(".ics")
            else:
                response = page.request.get(demo_server + button.get_attribute("href"))
                assert response.status in (200, 302), (moment, response.status)
