"""The cohort timeline: the stage selector day by day and across time zones, the date order
rules, where cohort pages live, and the public cohort index and cohort pages."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cohorts.choices import Stage
from cohorts.models import ApplicationPage, CohortIndexPage, CohortPage
from cohorts.program.models.pages import (
    DATE_ORDER,
    DATES_NOT_AFTER,
    DATES_OUT_OF_ORDER,
    cycle_dates,
)
from cohorts.program.selectors import cohort_stage
from home.models import HomePage
from surveys.models import SurveyPage
from tests.cohorts.factories import add_application_page, add_cohort

UTC = datetime.UTC
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def chicago(settings):
    settings.TIME_ZONE = "America/Chicago"


def local_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=CHICAGO)


# ---- The stage selector ----


def expected_stage(cohort, day: datetime.date) -> Stage:
    """The program's rules written out plainly, to check the selector against."""
    if day < cohort.applications_open:
        return Stage.UPCOMING
    if day <= cohort.application_deadline:
        return Stage.APPLICATIONS_OPEN
    if day <= cohort.pairing_completed_by:
        return Stage.MATCHING
    if day < cohort.formal_start:
        return Stage.ORIENTATION
    if day <= cohort.formal_end:
        return Stage.IN_PROGRESS
    return Stage.ENDED


@pytest.mark.usefixtures("chicago")
def test_every_day_of_a_cohort_year_is_in_exactly_one_stage_within_its_bounds():
    cohort = CohortPage(**cycle_dates(2027))
    first, last = cohort.applications_open - 30 * DAY, cohort.final_survey_closes + 30 * DAY
    days_by_stage: dict[Stage, list[datetime.date]] = {}
    day = first
    while day <= last:
        info = cohort_stage(cohort=cohort, at=local_noon(day))
        assert info.stage == expected_stage(cohort, day), day
        assert info.since is None or info.since <= day, day
        assert info.until is None or day <= info.until, day
        days_by_stage.setdefault(info.stage, []).append(day)
        day += DAY
    # Each stage is one unbroken run of days from `since` to `until`.
    assert list(days_by_stage) == list(Stage)
    for stage, days in days_by_stage.items():
        assert days == [days[0] + n * DAY for n in range(len(days))], stage
    assert days_by_stage[Stage.APPLICATIONS_OPEN][0] == datetime.date(2027, 1, 15)
    assert days_by_stage[Stage.APPLICATIONS_OPEN][-1] == datetime.date(2027, 3, 15)
    assert days_by_stage[Stage.MATCHING] == [
        datetime.date(2027, 3, 16) + n * DAY for n in range(58)
    ]  # March 16 to May 12
    assert days_by_stage[Stage.ORIENTATION][-1] == datetime.date(2027, 5, 31)
    assert days_by_stage[Stage.IN_PROGRESS][0] == datetime.date(2027, 6, 1)
    assert days_by_stage[Stage.IN_PROGRESS][-1] == datetime.date(2028, 4, 30)
    assert days_by_stage[Stage.ENDED][0] == datetime.date(2028, 5, 1)


@pytest.mark.usefixtures("chicago")
def test_the_summary_names_the_last_day_of_the_stage():
    cohort = CohortPage(**cycle_dates(2027))
    at = local_noon(datetime.date(2027, 2, 1))
    assert cohort_stage(cohort=cohort, at=at).summary == "Applications open until March 15, 2027"
    before = cohort_stage(cohort=cohort, at=local_noon(datetime.date(2026, 12, 1)))
    assert before.summary == "Applications open on January 15, 2027"
    after = cohort_stage(cohort=cohort, at=local_noon(datetime.date(2028, 6, 1)))
    assert after.summary == "Program year ended"


@pytest.mark.usefixtures("chicago")
@pytest.mark.parametrize(
    ("at", "stage"),
    [
        # The deadline, March 15, 2027, is daylight time in Chicago (UTC-5).
        (datetime.datetime(2027, 3, 15, 23, 59, 59, tzinfo=CHICAGO), Stage.APPLICATIONS_OPEN),
        (datetime.datetime(2027, 3, 16, 0, 0, 0, tzinfo=CHICAGO), Stage.MATCHING),
        (datetime.datetime(2027, 3, 16, 4, 59, 59, tzinfo=UTC), Stage.APPLICATIONS_OPEN),
        (datetime.datetime(2027, 3, 16, 5, 0, 0, tzinfo=UTC), Stage.MATCHING),
        # Midnight UTC on the deadline is still the evening before in Chicago.
        (datetime.datetime(2027, 3, 16, 0, 0, 0, tzinfo=UTC), Stage.APPLICATIONS_OPEN),
        # Opening day starts at local midnight (standard time in January, UTC-6).
        (datetime.datetime(2027, 1, 15, 5, 59, 59, tzinfo=UTC), Stage.UPCOMING),
        (datetime.datetime(2027, 1, 15, 6, 0, 0, tzinfo=UTC), Stage.APPLICATIONS_OPEN),
    ],
)
def test_the_deadline_ends_at_midnight_in_the_site_time_zone(at, stage):
    cohort = CohortPage(**cycle_dates(2027))
    assert cohort_stage(cohort=cohort, at=at).stage == stage


@pytest.mark.usefixtures("chicago")
@pytest.mark.parametrize(
    ("at", "stage"),
    [
        # Clocks go forward on March 14, 2027: the day starts at UTC-6 and ends at UTC-5.
        (datetime.datetime(2027, 3, 14, 5, 59, 59, tzinfo=UTC), Stage.APPLICATIONS_OPEN),
        (datetime.datetime(2027, 3, 15, 4, 59, 59, tzinfo=UTC), Stage.APPLICATIONS_OPEN),
        (datetime.datetime(2027, 3, 15, 5, 0, 0, tzinfo=UTC), Stage.MATCHING),
        (datetime.datetime(2027, 3, 14, 23, 59, 59, tzinfo=CHICAGO), Stage.APPLICATIONS_OPEN),
        (datetime.datetime(2027, 3, 15, 0, 0, 0, tzinfo=CHICAGO), Stage.MATCHING),
    ],
)
def test_a_deadline_on_the_daylight_saving_change_day(at, stage):
    cohort = CohortPage(
        **{**cycle_dates(2027), "application_deadline": datetime.date(2027, 3, 14)}
    )
    assert cohort_stage(cohort=cohort, at=at).stage == stage


# ---- Date order ----


def _label(name: str) -> str:
    return CohortPage._meta.get_field(name).verbose_name.capitalize()


@pytest.mark.parametrize(("earlier", "later", "strictly"), DATE_ORDER)
def test_a_date_before_its_predecessor_is_refused_naming_both_dates(earlier, later, strictly):
    dates = cycle_dates(2027)
    dates[later] = dates[earlier] - DAY
    cohort = CohortPage(title="2027 cohort", **dates)
    with pytest.raises(ValidationError) as error:
        cohort.clean()
    message = (DATES_NOT_AFTER if strictly else DATES_OUT_OF_ORDER).format(
        earlier=_label(earlier),
        earlier_date=dates[earlier],
        later=_label(later),
        later_date=dates[later],
    )
    assert error.value.message_dict[later] == [message]
    assert f"{dates[earlier]:%B} {dates[earlier].day}, {dates[earlier].year}" in message


@pytest.mark.parametrize(("earlier", "later", "strictly"), DATE_ORDER)
def test_the_same_day_is_refused_only_where_the_order_is_strict(earlier, later, strictly):
    dates = cycle_dates(2027)
    dates[later] = dates[earlier]
    cohort = CohortPage(title="2027 cohort", **dates)
    if strictly:
        with pytest.raises(ValidationError) as error:
            cohort.clean()
        assert error.value.message_dict[later] == [
            DATES_NOT_AFTER.format(
                earlier=_label(earlier),
                earlier_date=dates[earlier],
                later=_label(later),
                later_date=dates[later],
            )
        ]
    else:
        cohort.clean()


def test_the_seed_cycle_is_in_order():
    CohortPage(title="2027 cohort", **cycle_dates(2027)).clean()


# ---- Where the pages live ----


class CohortPageTreeTests(WagtailPageTestCase):
    def test_the_cohort_index_sits_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(CohortIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CohortIndexPage, {CohortPage})
        self.assertCanNotCreateAt(Page, CohortIndexPage)
        self.assertCanNotCreateAt(CohortPage, CohortIndexPage)

    def test_cohorts_sit_under_the_index_and_hold_their_application_and_survey_pages(self):
        self.assertAllowedParentPageTypes(CohortPage, {CohortIndexPage})
        self.assertAllowedSubpageTypes(CohortPage, {ApplicationPage, SurveyPage})
        self.assertCanNotCreateAt(HomePage, CohortPage)
        self.assertAllowedParentPageTypes(ApplicationPage, {CohortPage})
        self.assertAllowedSubpageTypes(ApplicationPage, set())
        self.assertCanNotCreateAt(CohortIndexPage, ApplicationPage)


def test_one_application_page_per_cohort(index):
    cohort = add_cohort(index)
    other = add_cohort(index, year=2028)
    assert ApplicationPage.can_create_at(cohort)
    add_application_page(cohort)
    assert not ApplicationPage.can_create_at(cohort)
    assert ApplicationPage.can_create_at(other)


def test_one_cohort_index_per_site(index, home):
    assert not CohortIndexPage.can_create_at(home)


# ---- The public pages ----


@pytest.mark.usefixtures("chicago")
def test_the_index_lists_cohorts_newest_first_with_their_stage(client, index):
    today = datetime.date.today()
    add_cohort(index, year=today.year - 3)
    add_cohort(index, year=today.year + 2)
    add_cohort(index, year=today.year + 5, publish=False, slug="draft", title="Draft cohort")
    html = client.get(index.url).content.decode()
    newer = html.index(f"{today.year + 2}–{today.year + 3} cohort")
    older = html.index(f"{today.year - 3}–{today.year - 2} cohort")
    assert newer < older
    assert f"Applications open on January 15, {today.year + 2}" in html
    assert "Program year ended" in html
    assert "Draft cohort" not in html


@pytest.mark.usefixtures("chicago")
def test_the_cohort_page_shows_the_whole_timeline(client, index):
    cohort = add_cohort(
        index,
        year=2040,
        orientation_time=datetime.time(13, 30),
        orientation_details="Join at https://meet.example.org/orientation <script>",
        minimum_contact_hours="2.5",
    )
    html = client.get(cohort.url).content.decode()
    for label in (
        "Applications open",
        "Application deadline",
        "Mentors and mentees paired by",
        "Orientation and training",
        "Formal mentoring starts",
        "Mid-way survey",
        "Final survey",
        "Formal mentoring ends",
    ):
        assert f'<span class="timeline__label">{label}' in html, label
    assert 'datetime="2040-03-15"' in html
    assert "1:30 PM CDT" in html
    assert '<a href="https://meet.example.org/orientation"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html.split("<main")[1]
    assert "2.5 hours" in html
    assert "Quarterly" in html
    assert "Applications open on January 15, 2040" in html
    assert 'href="/cohorts/2040-2041/calendar/"' in html
    assert "Download the calendar (.ics)" in html


def _open_cohort(index, **fields):
    today = datetime.date.today()
    return add_cohort(
        index,
        year=today.year + 1,
        applications_open=today - 10 * DAY,
        application_deadline=today + 10 * DAY,
        pairing_completed_by=today + 40 * DAY,
        orientation_date=today + 50 * DAY,
        formal_start=today + 60 * DAY,
        formal_end=today + 360 * DAY,
        midway_survey_opens=today + 200 * DAY,
        midway_survey_closes=today + 210 * DAY,
        final_survey_opens=today + 330 * DAY,
        final_survey_closes=today + 370 * DAY,
        **fields,
    )


@pytest.mark.usefixtures("chicago")
def test_while_applications_are_open_the_page_links_to_its_application_page(client, index):
    cohort = _open_cohort(index)
    apply = add_application_page(cohort)
    html = client.get(cohort.url).content.decode()
    deadline = datetime.date.today() + 10 * DAY
    assert f"Applications open until {deadline:%B} {deadline.day}, {deadline.year}" in html
    assert f'href="{apply.url}"' in html


@pytest.mark.usefixtures("chicago")
def test_no_application_link_when_the_page_is_a_draft_or_applications_are_closed(client, index):
    cohort = _open_cohort(index)
    add_application_page(cohort, publish=False)
    assert "/apply/" not in client.get(cohort.url).content.decode()

    closed = add_cohort(index, year=2020)
    add_application_page(closed)
    html = client.get(closed.url).content.decode()
    assert "/apply/" not in html
    assert "Program year ended" in html


class CohortPageRenderTests(WagtailPageTestCase):
    """Wagtail's own check: the page and its preview render (the preview goes through the
    routable page's "" route, so it gets the same context)."""

    def test_cohort_and_index_pages_are_renderable(self):
        home = Page.objects.get(depth=2)
        index = home.add_child(instance=CohortIndexPage(title="Cohorts", slug="cohorts-r"))
        cohort = add_cohort(index)
        add_application_page(cohort)
        self.assertPageIsRenderable(index)
        self.assertPageIsRenderable(cohort)
        self.assertPageIsPreviewable(cohort)
