"""A member applies to a cohort on its application page: who may see it, drafts, submission,
edits, withdrawal, the closed and not-yet-open states, and the services behind the page.
Bad and hostile input is in test_application_input.py."""

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
    ALREADY_DECIDED,
    ALREADY_SUBMITTED,
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
from tests.cohorts.program.applications.helpers import answers, assert_private
from tests.factories import member
from tests.helpers import html

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
    applicant_client, applicant, apply_page, areas, django_capture_on_commit_callbacks, settings
):
    # The e-mail's link starts with SITE_URL, not the Site record's localhost:80.
    settings.SITE_URL = "https://mentoring.example.org"
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
    assert "https://mentoring.example.org" + page.url in message.body
    assert "localhost" not in message.body

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


# ---- A membership that ends before the year starts -----------------------------------------


@pytest.mark.parametrize(("days_before_start", "warned"), [(1, True), (-1, False)])
def test_a_membership_ending_before_the_formal_start_is_warned_of(
    client, apply_page, days_before_start, warned
):
    cohort = apply_page.cohort
    expires = cohort.formal_start - timezone.timedelta(days=days_before_start)
    client.force_login(member("soon@example.org", membership_expires=expires))
    content = html(client.get(apply_page.url))

    warning = (
        f"Your membership expires on {expires:%B} {expires.day}, {expires.year}, before formal "
        f"mentoring starts on"
    )
    assert (warning in content) is warned
    assert 'name="action" value="submit"' in content
