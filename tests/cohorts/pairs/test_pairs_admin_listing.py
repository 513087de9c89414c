"""The coordinators' pair listing: published and ended pairs with their progress columns, the
newest cohort by default, filters, search and sorting, the CSV and Excel exports, and query
counts that do not grow with the pairs."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.choices import ApplicationStatus, PairSource, PairStatus, Role
from cohorts.models import Application, ChangeRequest, ContactLog, Pair, SupportRequest
from cohorts.pairs.viewsets import EXPORT_COLUMNS
from tests.cohorts.factories import contact, make_cohort, make_pair
from tests.cohorts.pairs.helpers import INDEX, INSPECT, C, export

pytestmark = pytest.mark.django_db


HEADINGS = [heading for heading, _value in EXPORT_COLUMNS.values()]


def rows_by_mentor(response) -> dict:
    return {pair.mentor.applicant.last_name: pair for pair in response.context["object_list"]}


@pytest.fixture
def listed(cohort):
    """Two published pairs with contacts and requests, an ended pair and a confirmed draft."""
    busy = make_pair(cohort, mentor=("Ann", "Busy"), mentee=("Bea", "Learner"), record_only=True)
    contact(busy, minutes=30, day=datetime.date(2026, 6, 10))
    contact(busy, minutes=60, day=datetime.date(2026, 7, 2), method="telephone")
    ChangeRequest.objects.create(pair=busy, requested_by=busy.mentee.applicant, reason="x")
    ChangeRequest.objects.create(
        pair=busy, requested_by=busy.mentee.applicant, reason="y", status=C.DECLINED
    )
    SupportRequest.objects.create(pair=busy, author=busy.mentor.applicant, message="help")
    SupportRequest.objects.create(
        pair=busy,
        author=busy.mentor.applicant,
        message="old",
        answer="done",
        answered_at=timezone.now(),
    )
    quiet = make_pair(cohort, mentor=("Quin", "Quiet"), mentee=("Ria", "Reader"), record_only=True)
    ended = make_pair(
        cohort,
        mentor=("Ed", "Ended"),
        mentee=("Eve", "Gone"),
        record_only=True,
        status=PairStatus.ENDED,
        end_reason="x",
    )
    draft = make_pair(
        cohort,
        mentor=("Dan", "Draft"),
        mentee=("Dee", "Hidden"),
        record_only=True,
        status=PairStatus.CONFIRMED,
        published_at=None,
    )
    return {"busy": busy, "quiet": quiet, "ended": ended, "draft": draft}


# Listing -------------------------------------------------------------------------------


def test_listing_shows_published_and_ended_pairs_with_their_progress(
    client, coordinator, listed, chair
):
    Pair.objects.filter(pk=listed["busy"].pk).update(liaison=chair)

    response = client.get(reverse(INDEX))

    assert response.status_code == 200
    rows = rows_by_mentor(response)
    assert set(rows) == {"Busy", "Quiet", "Ended"}
    busy, quiet = rows["Busy"], rows["Quiet"]
    assert (busy.contact_count, busy.contact_minutes) == (2, 90)
    assert busy.last_contact == datetime.date(2026, 7, 2)
    assert (busy.open_changes, busy.open_support) == (1, 1)
    assert (quiet.contact_count, quiet.contact_minutes, quiet.last_contact) == (0, 0, None)
    assert (quiet.open_changes, quiet.open_support) == (0, 0)
    body = response.content.decode()
    for text in (
        "Mentor",
        "Mentee",
        "Liaison",
        "Contacts",
        "Hours",
        "Last contact",
        "Pending change requests",
        "Unanswered support requests",
        "1.5 / 2 h",
        "0 / 2 h",
        "Chai Rperson",
        "Bea Learner",
        "2026 cohort",
        "Ended",
    ):
        assert text in body, text
    assert reverse(INSPECT, args=[listed["busy"].pk]) in body
    assert "Dan Draft" not in body
    assert "Add pair" not in body


def test_listing_defaults_to_the_newest_cohort_with_pairs(client, coordinator, listed, home):
    older = make_cohort(home, 2025)
    make_pair(older, mentor=("Old", "Timer"), mentee=("Yon", "Yesteryear"), record_only=True)
    make_cohort(home, 2027)  # newer, but without pairs

    default = client.get(reverse(INDEX))
    everything = client.get(reverse(INDEX), {"cohort": "all"})
    by_older = client.get(reverse(INDEX), {"cohort": older.pk})

    assert set(rows_by_mentor(default)) == {"Busy", "Quiet", "Ended"}
    assert set(rows_by_mentor(everything)) == {"Busy", "Quiet", "Ended", "Timer"}
    assert set(rows_by_mentor(by_older)) == {"Timer"}
    assert 'value="all"' in default.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "published"}, {"Busy", "Quiet"}),
        ({"status": "ended"}, {"Ended"}),
        ({"q": "ann"}, {"Busy"}),
        ({"q": "Ria Reader"}, {"Quiet"}),
        ({"q": "learner"}, {"Busy"}),
        ({"q": "nobody-at-all"}, set()),
        ({"status": "confirmed"}, {"Busy", "Quiet", "Ended"}),  # not a choice: ignored
    ],
)
def test_listing_filters_and_searches(client, coordinator, listed, params, expected):
    response = client.get(reverse(INDEX), params)

    assert response.status_code == 200
    assert set(rows_by_mentor(response)) == expected


def test_search_by_email(client, coordinator, listed):
    email = listed["quiet"].mentee.applicant.email

    response = client.get(reverse(INDEX), {"q": email})

    assert set(rows_by_mentor(response)) == {"Quiet"}


def test_listing_sorts_by_hours(client, coordinator, listed):
    response = client.get(reverse(INDEX), {"ordering": "-contact_minutes"})

    assert [p.mentor.applicant.last_name for p in response.context["object_list"]][0] == "Busy"


def test_csv_and_xlsx_exports_have_the_listing_columns(client, coordinator, listed):
    content = export(client, "csv", status="published").decode("utf-8")

    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == HEADINGS
    busy = next(row for row in rows if row["Mentor"] == "Ann Busy")
    assert busy["Mentee"] == "Bea Learner"
    assert (busy["Contacts"], busy["Hours"], busy["Minimum hours"]) == ("2", "1.5", "2.0")
    assert busy["Last contact"] == "2026-07-02"
    assert (busy["Pending change requests"], busy["Unanswered support requests"]) == ("1", "1")
    assert len(rows) == 2

    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx"))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADINGS and len(values) == 4


def test_csv_export_defuses_formulas(client, coordinator, cohort):
    make_pair(
        cohort,
        mentor=('=HYPERLINK("http://x.invalid")', "+Plus"),
        mentee=("Tee", "Mentee"),
        record_only=True,
    )

    content = export(client, "csv").decode("utf-8")

    [row] = list(csv.DictReader(io.StringIO(content)))
    assert row["Mentor"].startswith("'=HYPERLINK")


# Query counts --------------------------------------------------------------------------


def bulk_pairs(cohort, count: int, *, start: int = 0) -> None:
    """count published pairs, each with two contacts and one open request of each kind."""
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.org", first_name=f"Bulk{n}", last_name=f"Person{n}")
        for n in range(start, start + 2 * count)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=Role.MENTOR if n % 2 == 0 else Role.MENTEE,
            mentee_capacity=1,
            status=ApplicationStatus.ACCEPTED,
            submitted_at=now,
        )
        for n, user in enumerate(users)
    )
    pairs = Pair.objects.bulk_create(
        Pair(
            cohort=cohort,
            mentor=applications[n],
            mentee=applications[n + 1],
            status=PairStatus.PUBLISHED,
            source=PairSource.MANUAL,
            confirmed_at=now,
            published_at=now,
            liaison=users[0],
        )
        for n in range(0, 2 * count, 2)
    )
    ContactLog.objects.bulk_create(
        ContactLog(pair=p, author=users[0], date=datetime.date(2026, 6, d), minutes=30)
        for p in pairs
        for d in (3, 4)
    )
    SupportRequest.objects.bulk_create(
        SupportRequest(pair=p, author=users[0], message="?") for p in pairs
    )
    ChangeRequest.objects.bulk_create(
        ChangeRequest(pair=p, requested_by=users[0], reason="?") for p in pairs
    )


def test_listing_and_export_query_counts_do_not_grow_with_pairs(
    client, coordinator, cohort, django_assert_num_queries
):
    bulk_pairs(cohort, 5)
    client.get(reverse(INDEX))  # warm the caches (content types, site settings)
    with CaptureQueriesContext(connection) as listing_5:
        assert client.get(reverse(INDEX)).status_code == 200
    with CaptureQueriesContext(connection) as export_5:
        assert export(client, "csv").count(b"\n") == 6

    bulk_pairs(cohort, 95, start=10)

    with django_assert_num_queries(len(listing_5)):
        response = client.get(reverse(INDEX))
    first = response.context["object_list"][0]
    assert (first.contact_count, first.contact_minutes, first.open_changes) == (2, 60, 1)
    assert response.context["paginator"].count == 100
    with django_assert_num_queries(len(export_5)):
        assert export(client, "csv").count(b"\n") == 101
