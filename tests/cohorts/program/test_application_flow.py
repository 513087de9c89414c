"""A member applies to a cohort on its application page: drafts, submission, edits,
withdrawal, the closed and not-yet-open states, and every kind of bad input."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from cohorts.choices import ApplicationStatus, Role
from cohorts.models import Application
from cohorts.program.services import applications as services
from cohorts.program.services.applications import (
    ALREADY_APPLIED,
    ALREADY_DECIDED,
    ALREADY_SUBMITTED,
    AREA_REQUIRED,
    CAPACITY_OUT_OF_RANGE,
    CAPACITY_REQUIRED,
    COMMITMENT_REQUIRED,
    CONTACT_METHOD_REQUIRED,
    GOALS_REQUIRED,
    OFFER_REQUIRED,
    ROLE_INVALID,
    ROLE_REQUIRED,
    ApplicationAnswers,
    application_save_draft,
    application_submit,
)
from cohorts.program.views.applications import CHANGES_SAVED, WITHDRAWN
from members.selectors import CANNOT_APPLY_LAPSED, CANNOT_APPLY_PENDING
from tests.cohorts.factories import (
    ApplicationFactory,
    AreaOfInterestFactory,
    open_application_page,
)
from tests.cohorts.program.helpers import answers
from tests.factories import member
from tests.helpers import html

COMPLETENESS = {
    ROLE_REQUIRED,
    AREA_REQUIRED,
    CONTACT_METHOD_REQUIRED,
    COMMITMENT_REQUIRED,
    CAPACITY_REQUIRED,
    GOALS_REQUIRED,
    OFFER_REQUIRED,
}
TEXT_FIELDS = ["goals", "offer", "availability", "avoid_pairing_with", "identity_preferences"]


@pytest.fixture
def areas(db):
    return [AreaOfInterestFactory(name="Cataloguing"), AreaOfInterestFactory(name="Leadership")]


@pytest.fixture
def apply_page(home):
    """An application page whose cohort opened ten days ago and closes in ten."""
    return open_application_page(home)


@pytest.fixture
def applicant(areas):
    user = member(
        "ada.applicant@example.org",
        career_stage="mid",
        years_experience=8,
        time_zone="America/Denver",
        contact_methods=["telephone"],
    )
    user.profile.areas.set(areas[:1])
    return user


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


def assert_private(response) -> None:
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control, cache_control


# ---- Who may see the page ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_and_come_back(client, apply_page):
    page = apply_page
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={page.url}"
    assert_private(response)


@pytest.mark.parametrize(
    ("profile_fields", "reason"),
    [
        ({"status": "pending"}, CANNOT_APPLY_PENDING),
        (
            {"membership_expires": timezone.localdate() - timezone.timedelta(days=1)},
            CANNOT_APPLY_LAPSED.format(date=timezone.localdate() - timezone.timedelta(days=1)),
        ),
    ],
    ids=["pending", "lapsed"],
)
def test_members_who_may_not_apply_see_why_and_cannot_post(
    client, apply_page, profile_fields, reason
):
    page = apply_page
    user = member("waiting@example.org", **profile_fields)
    client.force_login(user)
    response = client.get(page.url)
    assert response.status_code == 200
    assert escape(reason) in html(response)
    assert 'name="action" value="submit"' not in html(response)
    assert "/accounts/profile/" in html(response)
    assert_private(response)

    response = client.post(page.url, answers([AreaOfInterestFactory()]))
    assert response.status_code == 200
    assert escape(reason) in html(response)
    assert not Application.objects.exists()


# ---- Applying --------------------------------------------------------------------------------


def test_first_visit_prefills_from_the_profile_and_fills_in_the_hours(
    applicant_client, apply_page, areas
):
    page = apply_page
    response = applicant_client.get(page.url)
    assert response.status_code == 200
    assert_private(response)
    content = html(response)
    assert re.search(rf'value="{areas[0].pk}" id="id_areas_\d+" checked', content)
    assert not re.search(rf'value="{areas[1].pk}" id="id_areas_\d+" checked', content)
    assert 'value="telephone" id="id_contact_methods_1" checked' in content
    assert '<option value="America/Denver" selected>' in content
    assert 'name="years_experience" value="8"' in content
    assert "a minimum of 2 hours of contact" in content
    assert "2.0 hours" not in content


def test_commitment_hours_keep_a_half_and_stray_braces_do_no_harm(applicant_client, home):
    page = open_application_page(home, minimum_contact_hours=Decimal("2.5"))
    page.commitment_text = "I give {hours} hours {sic} a year."
    page.save()
    response = applicant_client.get(page.url)
    assert "I give 2.5 hours {sic} a year." in html(response)


def test_member_submits_sees_the_application_and_gets_an_email(
    applicant_client, applicant, apply_page, areas, django_capture_on_commit_callbacks
):
    page = apply_page
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(page.url, answers(areas))
    assert response.status_code == 302
    assert response["Location"] == page.url
    assert_private(response)

    application = Application.objects.get()
    assert application.applicant == applicant
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.role == Role.BOTH
    assert application.mentee_capacity == 2
    assert application.contact_methods == ["virtual", "email"]
    assert list(application.areas.all()) == areas[:1]
    assert application.attends_midwinter and not application.attends_annual
    assert application.submitted_at is not None

    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert message.subject == (
        f"Mentoring Program: your application to {page.cohort.title} is received"
    )
    assert "both a mentor and a mentee" in message.body
    assert "http://localhost" + page.url in message.body

    response = applicant_client.get(page.url)
    content = html(response)
    assert "Your application is submitted." in content
    assert "Learn to lead a team." in content
    assert "Edit your application" in content
    assert "Withdraw your application" in content
    assert 'value="save_draft"' not in content


def test_confirmation_goes_through_a_real_smtp_server(
    applicant_client, applicant, apply_page, areas, smtp_inbox, django_capture_on_commit_callbacks
):
    page = apply_page
    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(page.url, answers(areas))
    [message] = smtp_inbox.messages
    assert message["X-Envelope-To"] == applicant.email
    assert message["Subject"] == (
        f"Mentoring Program: your application to {page.cohort.title} is received"
    )
    assert page.cohort.title in message.get_body(("plain",)).get_content()


def test_a_draft_may_be_incomplete_and_is_submitted_later(
    applicant_client, apply_page, areas, django_capture_on_commit_callbacks
):
    page = apply_page
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            page.url, {"action": "save_draft", "application": "", "goals": "Just a start."}
        )
    assert response.status_code == 302
    draft = Application.objects.get()
    assert (draft.status, draft.role, draft.goals) == (
        ApplicationStatus.DRAFT,
        "",
        "Just a start.",
    )
    assert draft.submitted_at is None
    assert not mail.outbox

    content = html(applicant_client.get(page.url))
    assert "Your draft is saved." in content
    assert "Your draft application" in content
    assert "Just a start." in content
    assert f'name="application" value="{draft.pk}"' in content

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(page.url, answers(areas, application=str(draft.pk)))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert len(mail.outbox) == 1


def test_editing_a_submitted_application_keeps_it_submitted_without_a_second_email(
    applicant_client, apply_page, areas, django_capture_on_commit_callbacks
):
    page = apply_page
    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(page.url, answers(areas))
    application = Application.objects.get()
    first_submitted = application.submitted_at

    edit = html(applicant_client.get(page.url + "?edit=1"))
    assert "Submit changes" in edit
    assert "Learn to lead a team." in edit

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            page.url,
            answers(areas, application=str(application.pk), role="mentee", goals="New goals."),
            follow=True,
        )
    assert CHANGES_SAVED in html(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.role, application.goals) == (Role.MENTEE, "New goals.")
    # A mentee's capacity and offer are not kept.
    assert application.mentee_capacity is None and application.offer == ""
    assert application.submitted_at == first_submitted
    assert len(mail.outbox) == 1


def test_a_submitted_application_cannot_go_back_to_draft(
    applicant_client, applicant, apply_page, areas
):
    page = apply_page
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    response = applicant_client.post(
        page.url,
        answers(areas, action="save_draft", application=str(application.pk), goals="Changed"),
    )
    assert response.status_code == 200
    assert escape(ALREADY_SUBMITTED) in html(response)
    application.refresh_from_db()
    assert (application.status, application.goals) == (
        ApplicationStatus.SUBMITTED,
        "Learn cataloguing.",
    )


def test_withdraw_with_a_reason_then_apply_again_before_the_deadline(
    applicant_client, applicant, apply_page, areas, django_capture_on_commit_callbacks
):
    page = apply_page
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    response = applicant_client.post(
        page.url, {"action": "withdraw", "reason": "A new job."}, follow=True
    )
    assert WITHDRAWN in html(response)
    assert "A new job." in html(response)
    assert "You can apply again below" in html(response)
    application.refresh_from_db()
    assert (application.status, application.withdraw_reason) == ("withdrawn", "A new job.")

    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(page.url, answers(areas, application=str(application.pk)))
    application.refresh_from_db()
    assert (application.status, application.withdraw_reason) == ("submitted", "")
    assert len(mail.outbox) == 1
    assert Application.objects.count() == 1


def test_a_draft_can_be_withdrawn_without_a_reason(applicant_client, applicant, apply_page):
    page = apply_page
    application = ApplicationFactory(
        cohort=page.cohort, applicant=applicant, status=ApplicationStatus.DRAFT
    )
    response = applicant_client.post(page.url, {"action": "withdraw"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.withdraw_reason) == ("withdrawn", "")


def test_an_unknown_action_is_a_bad_request(applicant_client, apply_page, areas):
    page = apply_page
    response = applicant_client.post(page.url, answers(areas, action="approve"))
    assert response.status_code == 400
    assert not Application.objects.exists()


# ---- Dates and decisions ---------------------------------------------------------------------


def test_before_applications_open_the_page_says_when(applicant_client, home, areas):
    page = open_application_page(home, opens=5, deadline=60)
    opening = page.cohort.applications_open
    response = applicant_client.get(page.url)
    assert f"Applications open on {opening:%B} {opening.day}, {opening.year}" in html(response)
    assert 'value="submit"' not in html(response)

    response = applicant_client.post(page.url, answers(areas))
    assert response.status_code == 200
    expected = services.APPLICATIONS_NOT_OPEN.format(cohort=page.cohort.title, date=opening)
    assert escape(expected) in html(response)
    assert not Application.objects.exists()


def test_after_the_deadline_the_submitted_application_is_read_only(
    applicant_client, applicant, home, areas
):
    page = open_application_page(home, opens=-70, deadline=-1)
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    content = html(applicant_client.get(page.url))
    assert "Applications are closed" in content
    assert "Learn cataloguing." in content
    assert "Edit your application" not in content
    assert "Withdraw your application" not in content
    assert '<form class="form application-form"' not in content

    closed = services.APPLICATIONS_CLOSED.format(
        cohort=page.cohort.title, date=page.cohort.application_deadline
    )
    for data in (
        answers(areas, application=str(application.pk), goals="Late change"),
        {"action": "withdraw", "reason": "Too late"},
    ):
        response = applicant_client.post(page.url, data)
        assert response.status_code == 200
        assert escape(closed) in html(response)
    application.refresh_from_db()
    assert (application.status, application.goals) == ("submitted", "Learn cataloguing.")


def test_after_the_deadline_a_member_without_an_application_is_told_so(applicant_client, home):
    page = open_application_page(home, opens=-70, deadline=-1)
    content = html(applicant_client.get(page.url))
    assert "You did not apply to this cohort." in content
    assert 'value="save_draft"' not in content


@pytest.mark.parametrize("status", ["accepted", "waitlisted", "declined"])
def test_once_decided_the_member_sees_it_and_cannot_change_it(
    applicant_client, applicant, apply_page, areas, status
):
    page = apply_page
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant, status=status)
    content = html(applicant_client.get(page.url))
    assert application.get_status_display() in content
    assert "Learn cataloguing." in content
    assert "Edit your application" not in content
    assert "Withdraw your application" not in content

    response = applicant_client.post(page.url, answers(areas, application=str(application.pk)))
    assert escape(ALREADY_DECIDED) in html(response)
    response = applicant_client.post(page.url, {"action": "withdraw"})
    assert escape(ALREADY_DECIDED) in html(response)
    application.refresh_from_db()
    assert application.status == status


# ---- Bad input -----------------------------------------------------------------------------


BAD_INPUTS = [
    (
        {
            "role": None,
            "mentee_capacity": None,
            "goals": None,
            "offer": None,
            "areas": None,
            "contact_methods": None,
            "commitment": None,
        },
        [ROLE_REQUIRED, AREA_REQUIRED, CONTACT_METHOD_REQUIRED, COMMITMENT_REQUIRED],
    ),
    (
        {"mentee_capacity": None, "goals": None, "offer": None},
        [CAPACITY_REQUIRED, GOALS_REQUIRED, OFFER_REQUIRED],
    ),
    ({"mentee_capacity": "0"}, [CAPACITY_OUT_OF_RANGE]),
    ({"mentee_capacity": "4"}, [CAPACITY_OUT_OF_RANGE]),
    ({"mentee_capacity": "two"}, [CAPACITY_OUT_OF_RANGE]),
    ({"goals": "x" * 2001}, ["Use at most 2000 characters (you used 2001)."]),
    ({"offer": "x" * 2001}, ["Use at most 2000 characters (you used 2001)."]),
    ({"availability": "x" * 301}, ["Use at most 300 characters (you used 301)."]),
    ({"avoid_pairing_with": "x" * 1001}, ["Use at most 1000 characters (you used 1001)."]),
    ({"identity_preferences": "x" * 1001}, ["Use at most 1000 characters (you used 1001)."]),
    ({"role": "admin"}, [ROLE_INVALID]),
    ({"contact_methods": ["carrier_pigeon"]}, [services.UNKNOWN_CHOICE]),
    ({"areas": ["999999"]}, [services.UNKNOWN_CHOICE]),
    ({"time_zone": "Mars/Olympus"}, [services.UNKNOWN_CHOICE]),
    ({"years_experience": "71"}, [services.YEARS_OUT_OF_RANGE]),
]
BAD_INPUT_IDS = [
    "nothing",
    "mentor-and-mentee-answers",
    "capacity-0",
    "capacity-4",
    "capacity-text",
    "goals-too-long",
    "offer-too-long",
    "availability-too-long",
    "avoid-too-long",
    "identity-too-long",
    "tampered-role",
    "tampered-contact-method",
    "tampered-area",
    "tampered-time-zone",
    "years-out-of-range",
]


# A draft may be incomplete, so the completeness cases apply to submitting only.
BAD_INPUT_CASES = [
    pytest.param(action, changes, messages, id=f"{action}-{case_id}")
    for action in ("submit", "save_draft")
    for (changes, messages), case_id in zip(BAD_INPUTS, BAD_INPUT_IDS, strict=True)
    if action == "submit" or not set(messages) <= COMPLETENESS
]


@pytest.mark.parametrize(("action", "changes", "messages"), BAD_INPUT_CASES)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    applicant_client, apply_page, areas, changes, messages, action
):
    page = apply_page
    response = applicant_client.post(page.url, answers(areas, action=action, **changes))
    assert response.status_code == 200
    assert_private(response)
    content = html(response)
    assert "Please correct the problem" in content
    for message in messages:
        assert escape(message) in content
    assert not Application.objects.exists()


def test_a_draft_with_nothing_in_it_is_allowed(applicant_client, apply_page):
    page = apply_page
    response = applicant_client.post(page.url, {"action": "save_draft", "application": ""})
    assert response.status_code == 302
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_a_second_application_is_refused_and_the_first_is_kept(
    applicant_client, applicant, apply_page, areas
):
    page = apply_page
    first = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    # A form opened before the first application existed posts no application id.
    for action in ("submit", "save_draft"):
        response = applicant_client.post(page.url, answers(areas, action=action, goals="Second"))
        assert response.status_code == 200
        assert escape(ALREADY_APPLIED) in html(response)
    assert list(Application.objects.all()) == [first]
    first.refresh_from_db()
    assert first.goals == "Learn cataloguing."


def test_losing_a_race_to_create_is_a_form_error_not_a_500(
    applicant_client, applicant, apply_page, areas, monkeypatch
):
    page = apply_page
    ApplicationFactory(cohort=page.cohort, applicant=applicant, goals="The other tab")
    # The parallel request's row appears only after this request looked for one.
    monkeypatch.setattr(services, "_lock_for_change", lambda **kwargs: None)
    response = applicant_client.post(page.url, answers(areas))
    assert response.status_code == 200
    assert escape(ALREADY_APPLIED) in html(response)
    assert Application.objects.get().goals == "The other tab"


def test_an_application_id_of_someone_else_is_ignored(applicant_client, apply_page, areas):
    page = apply_page
    other = ApplicationFactory(cohort=page.cohort, applicant=member("other@example.org"))
    response = applicant_client.post(page.url, answers(areas, application=str(other.pk)))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.goals == "Learn cataloguing."
    assert Application.objects.count() == 2


# ---- Hostile text ----------------------------------------------------------------------------


def test_hostile_text_in_every_field_is_escaped_and_never_a_500(
    applicant_client, applicant, apply_page, areas, hostile_inputs
):
    page = apply_page
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    saved = 0
    for payload in hostile_inputs:
        data = answers(
            areas, application=str(application.pk), **dict.fromkeys(TEXT_FIELDS, payload)
        )
        response = applicant_client.post(page.url, data)
        assert response.status_code in (200, 302), payload
        pages = [response]
        if response.status_code == 302:
            saved += 1
            pages += [applicant_client.get(page.url), applicant_client.get(page.url + "?edit=1")]
        for shown in pages:
            assert shown.status_code in (200, 302), payload
            if any(char in payload for char in "<>\"'"):
                assert payload.strip() not in html(shown), payload
    # Most of the list is storable (the rest holds control characters or is too long).
    assert saved > 50


def test_hostile_withdrawal_reasons_are_escaped(
    applicant_client, applicant, apply_page, hostile_inputs
):
    page = apply_page
    application = ApplicationFactory(cohort=page.cohort, applicant=applicant)
    for payload in hostile_inputs:
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
        response = applicant_client.post(page.url, {"action": "withdraw", "reason": payload})
        assert response.status_code in (200, 302), payload
        shown = applicant_client.get(page.url)
        if any(char in payload for char in "<>\"'"):
            assert payload.strip() not in html(response), payload
            assert payload.strip() not in html(shown), payload


# ---- Services --------------------------------------------------------------------------------


def test_services_check_eligibility_and_write_nothing(apply_page, areas):
    page = apply_page
    user = member("pending@example.org", status="pending")
    complete = ApplicationAnswers(
        role=Role.MENTOR,
        mentee_capacity=1,
        areas=areas,
        offer="Mentoring.",
        contact_methods=["email"],
        commitment=True,
    )
    for service in (application_save_draft, application_submit):
        with pytest.raises(services.ValidationError) as error:
            service(cohort=page.cohort, user=user, answers=complete, application=None)
        assert error.value.messages == [CANNOT_APPLY_PENDING]
    assert not Application.objects.exists()


def test_a_mentor_submission_drops_goals_and_keeps_capacity(apply_page, areas, applicant):
    page = apply_page
    application = application_submit(
        cohort=page.cohort,
        user=applicant,
        answers=ApplicationAnswers(
            role=Role.MENTOR,
            mentee_capacity=3,
            areas=areas,
            offer="  Mentoring.  ",
            goals="Left over from a draft",
            contact_methods=["email"],
            commitment=True,
        ),
        application=None,
    )
    assert (application.mentee_capacity, application.goals, application.offer) == (
        3,
        "",
        "Mentoring.",
    )
