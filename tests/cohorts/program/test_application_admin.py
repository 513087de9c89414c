"""Coordinators' application screens: listing, filters, search, counts, detail, status
changes with their e-mail, the filtered export, permissions and the listing's query count."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.choices import ApplicationStatus, Role
from cohorts.models import Application, ApplicationPage
from cohorts.program.services.review import (
    ALLOWED_TRANSITIONS,
    NOT_TO_DRAFT,
    STATUS_UNCHANGED,
    TRANSITION_NOT_ALLOWED,
    application_status_change,
)
from cohorts.program.viewsets import EXPORT_COLUMNS
from members.choices import LibraryType
from members.models import AreaOfInterest, MemberProfile
from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.cohorts.factories import apply, bulk_apply, make_cohort
from tests.factories import member
from tests.helpers import PERMISSION_DENIED, messages_of

pytestmark = pytest.mark.django_db

INDEX = "cohorts_application:index"
INSPECT = "cohorts_application:inspect"
S = ApplicationStatus
HEADINGS = [heading for heading, _value in EXPORT_COLUMNS.values()]


# Helpers -------------------------------------------------------------------------------


def listed_names(response) -> set[str]:
    return {str(application.applicant) for application in response.context["object_list"]}


def export(client, export_format: str, **params) -> bytes:
    response = client.get(reverse(INDEX), {**params, "export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def cohort(home):
    return make_cohort(home, 2026)


@pytest.fixture
def coordinator(client, site):
    user = member("coordinator@example.org", groups=[COORDINATORS])
    client.force_login(user)
    return user


@pytest.fixture
def areas(db):
    # Migrations seed a few areas; these two sort first.
    return [
        AreaOfInterest.objects.get_or_create(name="Cataloging", defaults={"sort_order": 0})[0],
        AreaOfInterest.objects.get_or_create(name="Leadership", defaults={"sort_order": 1})[0],
    ]


@pytest.fixture
def applications(cohort, home, areas):
    """Five submitted-or-later applications across two cohorts, and one draft."""
    older = make_cohort(home, 2025)
    return {
        "mentor": apply(
            cohort,
            first="Mina",
            last="Mentor",
            institution="Riverside Public Library",
            library_type=LibraryType.PUBLIC,
            role=Role.MENTOR,
            attends_midwinter=True,
            areas=[areas[0]],
        ),
        "mentee": apply(
            cohort,
            first="Tee",
            last="Mentee",
            institution="State University",
            library_type=LibraryType.ACADEMIC,
            role=Role.MENTEE,
            status=S.ACCEPTED,
            attends_annual=True,
            areas=[areas[1]],
        ),
        "both": apply(
            cohort,
            first="Bo",
            last="Both",
            institution="State University",
            library_type=LibraryType.ACADEMIC,
            role=Role.BOTH,
            attends_midwinter=True,
            attends_annual=True,
            areas=areas,
        ),
        "waitlisted": apply(
            cohort,
            first="Wai",
            last="Waiting",
            institution="County Schools",
            library_type=LibraryType.SCHOOL,
            role=Role.MENTEE,
            status=S.WAITLISTED,
        ),
        "older": apply(older, first="Ola", last="Older", role=Role.MENTOR),
        "draft": apply(cohort, first="Dra", last="Draft", status=S.DRAFT, submitted_at=None),
    }


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


# Detail view ---------------------------------------------------------------------------


def test_detail_shows_every_field_and_marks_identity_preferences(
    client, coordinator, applications, areas
):
    application = applications["both"]
    application.goals = "Learn to lead a team."
    application.offer = "Ten years of cataloging."
    application.identity_preferences = "A mentor who is also a first-generation graduate."
    application.avoid_pairing_with = "former.boss@example.org"
    application.availability = "Tuesday evenings"
    application.contact_methods = ["virtual", "email"]
    application.mentee_capacity = 2
    application.years_experience = 12
    application.save()

    response = client.get(reverse(INSPECT, args=[application.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Bo Both",
        application.applicant.email,
        "State University",
        "Academic",
        "Both mentor and mentee",
        "Cataloging, Leadership",
        "Learn to lead a team.",
        "Ten years of cataloging.",
        "Tuesday evenings",
        "Virtual (video call), E-mail",
        "America/Chicago",
        "Plans to attend Midwinter",
        "For the matching subcommittee only",
        "A mentor who is also a first-generation graduate.",
        "former.boss@example.org",
        "Change the status",
    ):
        assert text in body, text
    subcommittee = body.index("For the matching subcommittee only")
    assert body.index("first-generation graduate") > subcommittee


def test_detail_escapes_hostile_text(client, coordinator, applications, hostile_inputs):
    texts = [text.replace("\x00", "") for text in hostile_inputs]
    application = applications["mentor"]
    application.goals = "\n".join(texts)
    application.identity_preferences = texts[0]
    application.avoid_pairing_with = texts[2]
    application.availability = texts[1][:300]
    application.save()
    user = application.applicant
    user.first_name = texts[0][:150]
    user.save()
    MemberProfile.objects.filter(user=user).update(institution=texts[2][:160])

    response = client.get(reverse(INSPECT, args=[application.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        if "<" in text and ("alert" in text or "javascript" in text.lower()):
            assert text not in body, text
    assert escape(texts[0]) in body


def test_drafts_have_no_detail_page(client, coordinator, applications):
    response = client.get(reverse(INSPECT, args=[applications["draft"].pk]))

    assert response.status_code == 404


# Status changes ------------------------------------------------------------------------


def test_status_change_writes_and_emails_the_applicant(
    client, coordinator, applications, cohort, django_capture_on_commit_callbacks
):
    cohort.add_child(instance=ApplicationPage(title="Apply", slug="apply"))
    application = applications["mentor"]
    url = reverse(INSPECT, args=[application.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"status": "accepted", "note": "Welcome aboard! <b>See you in May.</b>"}
        )

    assert response.status_code == 302
    assert response["Location"] == url
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    [message] = mail.outbox
    assert message.to == [application.applicant.email]
    assert "accepted" in message.subject and "2026 cohort" in message.subject
    assert "Dear Mina," in message.body
    assert "is accepted" in message.body
    # Plain text: the note reaches the applicant exactly as written.
    assert "Welcome aboard! <b>See you in May.</b>" in message.body
    assert "http://localhost/cohorts/cohort-2026/apply/" in message.body
    followed = client.get(url)
    assert "Mina Mentor&#x27;s application is now accepted." in followed.content.decode()


def test_status_change_to_waitlist_without_a_note(
    client, coordinator, applications, django_capture_on_commit_callbacks
):
    application = applications["mentee"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(INSPECT, args=[application.pk]), {"status": "waitlisted"})

    application.refresh_from_db()
    assert application.status == S.WAITLISTED
    [message] = mail.outbox
    assert "waitlist" in message.body
    assert "A note from the subcommittee" not in message.body


def test_form_offers_only_the_allowed_statuses(client, coordinator, applications):
    body = client.get(reverse(INSPECT, args=[applications["mentor"].pk])).content.decode()

    for status in ALLOWED_TRANSITIONS[S.SUBMITTED]:
        assert f'value="{status}"' in body
    assert 'value="draft"' not in body
    assert 'value="submitted"' not in body


def test_a_bad_transition_is_refused_with_its_message_and_writes_nothing(
    client, coordinator, applications, django_capture_on_commit_callbacks
):
    application = applications["mentor"]
    Application.objects.filter(pk=application.pk).update(status=S.WITHDRAWN)
    application.refresh_from_db()
    before = application.updated_at

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse(INSPECT, args=[application.pk]), {"status": "accepted"})

    assert response.status_code == 200
    expected = TRANSITION_NOT_ALLOWED.format(current="withdrawn", new="accepted")
    assert expected == "An application that is withdrawn cannot be marked accepted."
    assert expected in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.updated_at) == (S.WITHDRAWN, before)
    assert callbacks == [] and mail.outbox == []


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        (S.SUBMITTED, S.DRAFT, NOT_TO_DRAFT),
        (S.ACCEPTED, S.DRAFT, NOT_TO_DRAFT),
        (S.ACCEPTED, S.ACCEPTED, STATUS_UNCHANGED.format(status="accepted")),
        (
            S.WITHDRAWN,
            S.SUBMITTED,
            TRANSITION_NOT_ALLOWED.format(current="withdrawn", new="submitted"),
        ),
        (
            S.DECLINED,
            S.WITHDRAWN,
            TRANSITION_NOT_ALLOWED.format(current="declined", new="withdrawn"),
        ),
    ],
)
def test_service_refuses_bad_transitions_exactly_and_writes_nothing(
    coordinator, applications, current, new, message, django_capture_on_commit_callbacks
):
    application = applications["mentor"]
    Application.objects.filter(pk=application.pk).update(status=current)
    application.refresh_from_db()
    before = application.updated_at

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValueError) as error:
            application_status_change(application=application, coordinator=coordinator, status=new)

    assert str(error.value) == message
    application.refresh_from_db()
    assert (application.status, application.updated_at) == (current, before)
    assert callbacks == [] and mail.outbox == []


def test_posting_draft_to_the_view_is_refused_writing_nothing(client, coordinator, applications):
    application = applications["mentor"]

    response = client.post(reverse(INSPECT, args=[application.pk]), {"status": "draft"})

    # Not among the form's choices at all, so the form refuses it before the service.
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


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


# Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [COORDINATORS, CHAIR])
def test_coordinators_and_the_chair_see_and_change(client, site, applications, role):
    client.force_login(member(groups=[role]))

    assert client.get(reverse(INDEX)).status_code == 200
    detail = client.get(reverse(INSPECT, args=[applications["mentor"].pk]))
    assert detail.status_code == 200 and "Change the status" in detail.content.decode()


def test_editors_are_refused(client, site, applications):
    client.force_login(member(groups=[EDITORS]))
    application = applications["mentor"]

    for url in (
        reverse(INDEX),
        reverse(INDEX) + "?export=csv",
        reverse(INSPECT, args=[application.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert PERMISSION_DENIED in messages_of(response)
    response = client.post(reverse(INSPECT, args=[application.pk]), {"status": "accepted"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_view_only_users_read_but_cannot_change(client, site, applications):
    group = Group.objects.create(name="Readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_application"),
    )
    client.force_login(member(groups=["Readers"]))
    application = applications["mentor"]

    detail = client.get(reverse(INSPECT, args=[application.pk]))
    response = client.post(reverse(INSPECT, args=[application.pk]), {"status": "accepted"})

    assert detail.status_code == 200 and "Change the status" not in detail.content.decode()
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_nobody_adds_edits_or_deletes_applications_in_the_admin(client, site, applications):
    admin = member(groups=[])
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    pk = applications["mentor"].pk

    for name, args in (("add", []), ("edit", [pk]), ("delete", [pk]), ("copy", [pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"cohorts_application:{name}", args=args)
    for path in ("new/", f"edit/{pk}/", f"delete/{pk}/"):
        assert client.get(f"/admin/mentoring/applications/{path}").status_code == 404
    body = client.get(reverse(INDEX)).content.decode()
    assert "Add application" not in body
    assert Application.objects.filter(pk=pk).exists()


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
