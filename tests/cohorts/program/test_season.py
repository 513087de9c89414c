"""The home page's season line: the current cohort's stage, next dates and one action, read
from the cohort's own dates through the year (no editing of the home page each year)."""

import datetime
import re

import pytest
import time_machine

from cohorts.program.selectors import program_season
from tests.cohorts.factories import add_application_page, make_cohort

pytestmark = pytest.mark.django_db


def season_html(client) -> str:
    html = client.get("/").content.decode()
    found = re.search(r'<section class="season[^"]*".*?</section>', html, re.S)
    return found.group(0) if found else ""


def at(day: str):
    return time_machine.travel(
        datetime.datetime.fromisoformat(f"{day}T12:00:00-05:00"), tick=False
    )


@pytest.fixture
def year(home):
    cohort = make_cohort(home, 2027)
    add_application_page(cohort)
    return cohort


@pytest.mark.parametrize(
    ("day", "stage", "action", "target"),
    [
        (
            "2026-12-01",
            "Applications open on January 15",
            "See the year’s dates",
            "/cohorts/cohort-2027/",
        ),
        (
            "2027-02-01",
            "Applications open until March 15",
            "Apply to the 2027 cohort",
            "/cohorts/cohort-2027/apply/",
        ),
        (
            "2027-04-01",
            "Matching mentors and mentees until May 12",
            "How mentors and mentees are paired",
            "/cohorts/cohort-2027/",
        ),
        (
            "2027-05-15",
            "orientation before the start until May 31",
            "Add the orientation to your calendar",
            "/cohorts/cohort-2027/calendar/orientation/",
        ),
        (
            "2027-09-01",
            "Formal mentoring under way until April 30",
            "About the 2027 cohort",
            "/cohorts/cohort-2027/",
        ),
        ("2028-07-01", "Program year ended", "About the 2027 cohort", "/cohorts/cohort-2027/"),
    ],
)
def test_the_home_page_says_where_the_year_is_and_what_to_do(
    client, year, day, stage, action, target
):
    with at(day):
        section = season_html(client)
    assert stage in section
    assert f'<a class="button button--large" href="{target}">{action}</a>' in section


def test_the_next_dates_are_the_coming_ones(client, year):
    with at("2027-03-01"):
        section = season_html(client)
    dates = re.findall(r"<li><time[^>]*>([^<]+)</time>[^:]*: ([^<]+)</li>", section)
    assert [title for _, title in dates] == [
        "Application deadline",
        "Mentors and mentees paired by",
        "Orientation and training",
    ]


def test_the_cohort_taking_applications_comes_before_the_one_under_way(client, home, year):
    following = make_cohort(home, 2028)
    add_application_page(following)
    with at("2028-02-01"):
        assert program_season().cohort.pk == following.pk
        section = season_html(client)
    assert "Apply to the 2028 cohort" in section


def test_a_later_published_cohort_is_named_beside_the_year_under_way(client, home, year):
    make_cohort(home, 2028)
    with at("2027-09-01"):
        section = season_html(client)
    assert "Formal mentoring under way" in section
    assert 'Next: the <a href="/cohorts/cohort-2028/">2028 cohort</a>' in section
    assert "Applications open on January 15" in section


def test_a_draft_cohort_is_not_shown(client, home):
    cohort = make_cohort(home, 2027)
    cohort.unpublish()
    with at("2027-02-01"):
        assert program_season() is None
        assert season_html(client) == ""


def test_the_guidelines_give_the_current_cohort_s_dates(client, demo_site):
    from core.formatting import day_display

    cohort = program_season().cohort
    html = client.get("/").content.decode()
    start, end = day_display(cohort.formal_start), day_display(cohort.formal_end)
    assert f"Formal mentoring begins {start} and ends {end} (" in html
    assert "{formal_start}" not in html
    assert "2018" not in html.split('class="bullet-list"')[1].split("</ul>")[0]


def test_the_guidelines_say_to_be_announced_while_no_cohort_is_published(client, home):
    from home.blocks import BaseStreamBlock

    home.body = BaseStreamBlock().to_python(
        [{"type": "list", "value": {"items": ["Starts {formal_start}"], "numbered": False}}]
    )
    home.save_revision().publish()
    assert "<li>Starts to be announced</li>" in client.get("/").content.decode()


def test_a_list_says_how_many_years_personal_data_is_kept(client, home, settings):
    """The privacy notice states the retention the portal applies, even with no cohort."""
    from home.blocks import BaseStreamBlock, ListBlock

    settings.RETENTION_YEARS = 5
    item = "Erased {retention_years} years after the cohort closes"
    ListBlock().clean(ListBlock().to_python({"items": [item], "numbered": False}))
    home.body = BaseStreamBlock().to_python(
        [{"type": "list", "value": {"items": [item], "numbered": False}}]
    )
    home.save_revision().publish()
    assert "<li>Erased 5 years after the cohort closes</li>" in client.get("/").content.decode()


def test_an_unknown_word_in_braces_is_refused_with_the_known_ones():
    from django.core.exceptions import ValidationError

    from home.blocks import ListBlock

    block = ListBlock()
    value = block.to_python({"items": ["Begins {formal_begin}"], "numbered": False})
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    message = str(error.value.non_block_errors.as_data()[0].message)
    assert "Unknown word in braces: {formal_begin}" in message
    assert "{formal_start}" in message


def test_a_list_of_dates_costs_the_same_queries_whatever_its_length(client, home, year):
    """The cohort's dates are read once per page, not once per list item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.blocks import BaseStreamBlock

    def queries_with(items: int) -> int:
        home.body = BaseStreamBlock().to_python(
            [
                {
                    "type": "list",
                    "value": {"items": ["Starts {formal_start}"] * items, "numbered": False},
                },
                {"type": "list", "value": {"items": ["Ends {formal_end}"], "numbered": False}},
            ]
        )
        home.save_revision().publish()
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        assert html.count("<li>Starts ") == items
        assert "{formal_start}" not in html
        return len(queries)

    with at("2027-02-01"):
        assert queries_with(12) == queries_with(1)
