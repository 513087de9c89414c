"""Coordinators' application screens: the listing with its filters, search and counts, the
filtered export (CSV and Excel, formulas defused) and the listing's query count. Detail,
status changes and permissions are in test_application_review.py."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.choices import ApplicationStatus, Role
from cohorts.models import Application
from cohorts.program.viewsets import EXPORT_COLUMNS
from members.choices import LibraryType
from tests.cohorts.factories import apply, bulk_apply
from tests.cohorts.program.review.helpers import INDEX, INSPECT, export

pytestmark = pytest.mark.django_db

S = ApplicationStatus
HEADINGS = [heading for heading, _value in EXPORT_COLUMNS.values()]


def listed_names(response) -> set[str]:
    return {str(application.applicant) for application in response.context["object_list"]}


# Listing, filters, search, counts ------------------------------------------------------


def test_listing_shows_submitted_applications_with_their_columns_but_never_drafts(
    client, coordinator, applications
):
    response = client.get(reverse(INDEX))

    body = response.content.decode()
    assert response.status_code == 200
    assert listed_names(response) == {
        "Mina Mentor",
        "Tee Mentee",
        "Bo Both",
        "Wai Waiting",
        "Ola Older",
    }
    for heading in ("Applicant", "Institution", "Role", "Status", "Cohort", "Submitted"):
        assert f">{heading}" in body or heading in body
    assert "Riverside Public Library" in body and "2025 cohort" in body
    assert reverse(INSPECT, args=[applications["mentor"].pk]) in body
    assert "Dra Draft" not in body
    # Newest cohort first, then by last name.
    assert [str(a.applicant) for a in response.context["object_list"]] == [
        "Bo Both",
        "Tee Mentee",
        "Mina Mentor",
        "Wai Waiting",
        "Ola Older",
    ]
    # Nobody adds applications here.
    assert "Add application" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "mentor"}, {"Mina Mentor", "Bo Both", "Ola Older"}),
        ({"role": "mentee"}, {"Tee Mentee", "Bo Both", "Wai Waiting"}),
        ({"role": "both"}, {"Bo Both"}),
        ({"status": "accepted"}, {"Tee Mentee"}),
        ({"status": "waitlisted"}, {"Wai Waiting"}),
        ({"library_type": "academic"}, {"Tee Mentee", "Bo Both"}),
        ({"conference": "midwinter"}, {"Mina Mentor", "Bo Both"}),
        ({"conference": "annual"}, {"Tee Mentee", "Bo Both"}),
        ({"conference": "either"}, {"Mina Mentor", "Tee Mentee", "Bo Both"}),
        ({"conference": "none"}, {"Wai Waiting", "Ola Older"}),
        ({"q": "state univ"}, {"Tee Mentee", "Bo Both"}),
        ({"q": "mina"}, {"Mina Mentor"}),
        ({"q": "Tee Mentee"}, {"Tee Mentee"}),
        ({"q": "riverside"}, {"Mina Mentor"}),
        ({"q": "nobody-at-all"}, set()),
    ],
)
def test_listing_filters_and_searches(client, coordinator, applications, params, expected):
    response = client.get(reverse(INDEX), params)

    assert response.status_code == 200
    assert listed_names(response) == expected


def test_listing_filters_by_cohort_and_area(client, coordinator, applications, areas, cohort):
    older = applications["older"].cohort

    by_cohort = client.get(reverse(INDEX), {"cohort": older.pk})
    by_area = client.get(reverse(INDEX), {"area": areas[0].pk})
    combined = client.get(reverse(INDEX), {"cohort": cohort.pk, "area": areas[1].pk})

    assert listed_names(by_cohort) == {"Ola Older"}
    assert listed_names(by_area) == {"Mina Mentor", "Bo Both"}
    assert listed_names(combined) == {"Tee Mentee", "Bo Both"}


def test_search_by_email(client, coordinator, applications):
    email = applications["waitlisted"].applicant.email

    response = client.get(reverse(INDEX), {"q": email})

    assert listed_names(response) == {"Wai Waiting"}


def test_counts_by_role_and_status_describe_the_filtered_set(
    client, coordinator, applications, cohort
):
    everything = client.get(reverse(INDEX))
    filtered = client.get(reverse(INDEX), {"cohort": cohort.pk, "library_type": "academic"})

    assert dict(everything.context["role_counts"]) == {
        "Mentor": 2,
        "Mentee": 2,
        "Both mentor and mentee": 1,
    }
    assert dict(everything.context["status_counts"]) == {
        "Submitted": 3,
        "Accepted": 1,
        "Waitlisted": 1,
        "Declined": 0,
        "Withdrawn": 0,
    }
    assert dict(filtered.context["role_counts"]) == {
        "Mentor": 0,
        "Mentee": 1,
        "Both mentor and mentee": 1,
    }
    body = everything.content.decode()
    assert "By role:" in body and "By status:" in body
    # The results fragment the filters reload carries the counts too.
    fragment = client.get(reverse("cohorts_application:index_results"), {"role": "both"})
    assert "By role:" in fragment.content.decode()
    assert dict(fragment.context["role_counts"])["Both mentor and mentee"] == 1


def test_counts_take_one_query(cohort, applications):
    from cohorts.program.viewsets import ApplicationIndexView

    queryset = Application.objects.exclude(status=S.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        counts = ApplicationIndexView.counts(queryset)
    assert len(queries) == 1
    assert sum(count for _label, count in counts["role_counts"]) == 5


# Export --------------------------------------------------------------------------------


@pytest.fixture
def hostile_applicant(cohort):
    """An accepted mentee who plans on Midwinter, with formula-like text everywhere."""
    return apply(
        cohort,
        first='=HYPERLINK("http://x.invalid","click")',
        last="+Plus",
        institution="@SUM(1+1)",
        library_type=LibraryType.SPECIAL,
        role=Role.MENTEE,
        status=S.ACCEPTED,
        attends_midwinter=True,
        goals="-Grow as a leader",
        offer="",
        identity_preferences="SECRET-IDENTITY-PREFERENCE",
        avoid_pairing_with="SECRET-AVOID-LIST",
        time_zone="America/New_York",
        contact_methods=["telephone"],
        career_stage="early",
        years_experience=3,
    )


def test_coordinators_filtered_csv_export(client, coordinator, applications, hostile_applicant):
    content = export(client, "csv", status="accepted", conference="midwinter").decode("utf-8")

    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == HEADINGS
    assert "Identity preferences" not in rows[0]
    assert len(rows) == 2  # only the filtered row: Tee Mentee is accepted but not at Midwinter
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Name"] == '\'=HYPERLINK("http://x.invalid","click") +Plus'
    assert row["Institution"] == "'@SUM(1+1)"
    assert row["E-mail"] == hostile_applicant.applicant.email
    assert row["Library type"] == "Special"
    assert row["Role"] == "Mentee"
    assert row["Contact methods"] == "Telephone"
    assert row["Time zone"] == "America/New_York"
    assert row["Career stage"] == "Early career (under 5 years)"
    assert row["Years of experience"] == "3"
    # What the subcommittee reads when it matches: the goals, and what a mentor offers.
    assert (row["Goals"], row["What they offer"]) == ("'-Grow as a leader", "")
    assert (row["Midwinter"], row["Annual"], row["Status"]) == ("Yes", "No", "Accepted")
    assert row["Submitted"].startswith(str(timezone.localdate().year))
    assert "SECRET-IDENTITY-PREFERENCE" not in content
    assert "SECRET-AVOID-LIST" not in content
    for cell in (cell for r in rows[1:] for cell in r):
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_csv_export_respects_search_and_joins_areas(client, coordinator, applications):
    content = export(client, "csv", q="state").decode("utf-8")

    rows = list(csv.DictReader(io.StringIO(content)))
    assert {row["Name"]: row["Areas of interest"] for row in rows} == {
        "Tee Mentee": "Leadership",
        "Bo Both": "Cataloging, Leadership",
    }


def test_coordinators_filtered_xlsx_export(client, coordinator, applications, hostile_applicant):
    content = export(client, "xlsx", library_type="special")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows()]
    assert [cell.value for cell in rows[0]] == HEADINGS
    assert len(rows) == 2
    row = dict(zip(HEADINGS, rows[1], strict=True))
    # Text that looks like a formula is stored as text, never as a formula.
    assert row["Name"].value.startswith("=HYPERLINK")
    assert row["Name"].data_type == "s"
    assert row["Institution"].value == "@SUM(1+1)"
    assert row["Institution"].data_type == "s"
    assert all(cell.data_type != "f" for cell in rows[1])
    assert isinstance(row["Submitted"].value, datetime.datetime)
    text = " ".join(str(cell.value) for cell in rows[1])
    assert "SECRET-IDENTITY-PREFERENCE" not in text and "SECRET-AVOID-LIST" not in text


def test_export_leaves_out_drafts(client, coordinator, applications):
    content = export(client, "csv").decode("utf-8")

    names = {row["Name"] for row in csv.DictReader(io.StringIO(content))}
    assert "Dra Draft" not in names and len(names) == 5


# Query counts --------------------------------------------------------------------------


def test_listing_and_export_query_counts_do_not_grow_with_applications(
    client, coordinator, cohort, areas, django_assert_num_queries
):
    bulk_apply(cohort, 10, areas=areas)
    client.get(reverse(INDEX))  # warm the caches (content types, site settings)
    with CaptureQueriesContext(connection) as listing_10:
        assert client.get(reverse(INDEX)).status_code == 200
    with CaptureQueriesContext(connection) as export_10:
        assert export(client, "csv").count(b"\n") == 11

    bulk_apply(cohort, 490, start=10, areas=areas)

    with django_assert_num_queries(len(listing_10)):
        response = client.get(reverse(INDEX))
    mentors = Application.objects.filter(role=Role.MENTOR).count()
    assert dict(response.context["role_counts"])["Mentor"] == mentors > 100
    with django_assert_num_queries(len(export_10)):
        assert export(client, "csv").count(b"\n") == 501
