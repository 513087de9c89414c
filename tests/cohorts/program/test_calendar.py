"""The cohort's calendar: the .ics of the whole year, one event's .ics, and the
"Add to calendar" links on the page."""

import datetime
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from cohorts.program.selectors import cohort_events
from tests.cohorts.factories import add_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chicago_time")]

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
EVENT_SLUGS = [
    "applications-open",
    "application-deadline",
    "pairing-completed",
    "orientation",
    "formal-start",
    "midway-survey",
    "final-survey",
    "formal-end",
]
JOINING = "Join at https://meet.example.org/orientation\nDial-in: +1 312 555 0142"


@pytest.fixture
def chicago_time(settings):
    settings.TIME_ZONE = "America/Chicago"


@pytest.fixture
def cohort(index):
    return add_cohort(
        index,
        year=2027,
        orientation_time=datetime.time(13, 0),
        orientation_details=JOINING,
    )


def parse(response) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_the_calendar_file_has_one_event_per_step_of_the_year(client, cohort):
    response = client.get(f"{cohort.url}calendar/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="2027-2028.ics"'
    events = {str(event["UID"]): event for event in parse(response)}
    assert set(events) == {f"{slug}-{cohort.pk}@localhost" for slug in EVENT_SLUGS}

    deadline = events[f"application-deadline-{cohort.pk}@localhost"]
    assert deadline.decoded("DTSTART") == datetime.date(2027, 3, 15)
    assert deadline.decoded("DTEND") == datetime.date(2027, 3, 16)  # DTEND is exclusive
    assert str(deadline["SUMMARY"]) == "Application deadline: Mentoring Program, 2027–2028 cohort"
    assert isinstance(deadline.decoded("DTSTAMP"), datetime.datetime)

    survey = events[f"midway-survey-{cohort.pk}@localhost"]
    assert survey.decoded("DTSTART") == datetime.date(2027, 11, 1)
    assert survey.decoded("DTEND") == datetime.date(2027, 12, 1)

    for uid, event in events.items():
        if not uid.startswith("orientation-"):
            assert type(event.decoded("DTSTART")) is datetime.date, uid
            assert event["DTSTART"].params["VALUE"] == "DATE", uid


def test_the_orientation_is_a_timed_event_in_the_site_time_zone(client, cohort):
    calendar = icalendar.Calendar.from_ical(client.get(f"{cohort.url}calendar/").content)
    (orientation,) = [e for e in calendar.walk("VEVENT") if e["UID"].startswith("orientation")]
    start = orientation.decoded("DTSTART")
    assert start == datetime.datetime(2027, 5, 20, 13, 0, tzinfo=CHICAGO)
    assert start.utcoffset() == datetime.timedelta(hours=-5)
    assert orientation["DTSTART"].params["TZID"] == "America/Chicago"
    assert orientation.decoded("DTEND") - start == datetime.timedelta(hours=1)
    assert str(orientation["DESCRIPTION"]) == JOINING
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]


def test_without_a_time_the_orientation_is_an_all_day_event(client, index):
    cohort = add_cohort(index, year=2030)
    (orientation,) = parse(client.get(f"{cohort.url}calendar/orientation/"))
    assert orientation.decoded("DTSTART") == datetime.date(2030, 5, 20)
    assert "DESCRIPTION" not in orientation


def test_uids_are_stable_between_downloads(client, cohort):
    first = [str(event["UID"]) for event in parse(client.get(f"{cohort.url}calendar/"))]
    second = [str(event["UID"]) for event in parse(client.get(f"{cohort.url}calendar/"))]
    assert first == second


@pytest.mark.parametrize("slug", EVENT_SLUGS)
def test_each_event_has_its_own_calendar_file(client, cohort, slug):
    response = client.get(f"{cohort.url}calendar/{slug}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="2027-2028-{slug}.ics"'
    (event,) = parse(response)
    assert str(event["UID"]) == f"{slug}-{cohort.pk}@localhost"


def test_an_unknown_event_is_not_found(client, cohort):
    assert client.get(f"{cohort.url}calendar/no-such-event/").status_code == 404


def test_the_page_links_every_event_to_google_calendar_and_its_own_file(client, cohort):
    html = client.get(cohort.url).content.decode()
    for slug in EVENT_SLUGS:
        assert f'href="{cohort.url}calendar/{slug}/"' in html, slug
    assert html.count("https://calendar.google.com/calendar/render?action=TEMPLATE") == 8


def test_google_calendar_links_carry_the_dates(cohort):
    from cohorts.program.selectors import cohort_public_context

    links = {
        entry.event.slug: parse_qs(urlsplit(entry.google_calendar_url).query)
        for entry in cohort_public_context(cohort=cohort)["timeline"]
    }
    assert links["application-deadline"]["dates"] == ["20270315/20270316"]
    assert links["application-deadline"]["text"] == [
        "Application deadline: Mentoring Program, 2027–2028 cohort"
    ]
    assert links["orientation"]["dates"] == ["20270520T130000/20270520T140000"]
    assert links["orientation"]["ctz"] == ["America/Chicago"]
    assert links["orientation"]["details"] == [JOINING]
    assert "ctz" not in links["formal-start"]


def test_events_come_in_date_order(cohort):
    days = [event.start for event in cohort_events(cohort=cohort)]
    assert days == sorted(days)
