"""Coordinators review an application: the detail with every field, escaped, status changes
with their e-mail and only the allowed transitions, and who may see and change what."""

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from cohorts.choices import ApplicationStatus
from cohorts.models import Application, ApplicationPage
from cohorts.program.services.review import (
    ALLOWED_TRANSITIONS,
    NOT_TO_DRAFT,
    STATUS_UNCHANGED,
    TRANSITION_NOT_ALLOWED,
    application_status_change,
)
from members.models import MemberProfile
from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.cohorts.program.review.helpers import INDEX, INSPECT, view_only_reader
from tests.factories import member
from tests.helpers import PERMISSION_DENIED, messages_of

pytestmark = pytest.mark.django_db

S = ApplicationStatus


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
    client, coordinator, applications, cohort, django_capture_on_commit_callbacks, settings
):
    # The e-mail's link starts with SITE_URL, not the Site record's localhost:80.
    settings.SITE_URL = "https://mentoring.example.org"
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
    assert "https://mentoring.example.org/cohorts/cohort-2026/apply/" in message.body
    assert "localhost" not in message.body
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
    client.force_login(view_only_reader())
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
