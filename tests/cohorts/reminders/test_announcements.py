"""Announcements to one audience of a cohort: each reaches exactly its audience, past ones
are listed and never edited, bad and hostile text is refused or sent as text, and the
service refuses without writing and queues delivery only on commit."""

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from cohorts.choices import AnnouncementAudience, OutboxStatus, ReminderKind
from cohorts.models import Announcement, OutboxMessage
from cohorts.reminders.services import announcements as service
from tests.cohorts.factories import make_cohort
from tests.cohorts.reminders.helpers import ANNOUNCEMENTS, announce
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

Status = OutboxStatus
Audience = AnnouncementAudience


def recipients_of_mail() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


# Announcements ------------------------------------------------------------------------------

AUDIENCES = {
    Audience.PARTICIPANTS: lambda p: p["mentors"] | p["mentees"],
    Audience.MENTORS: lambda p: p["mentors"],
    Audience.MENTEES: lambda p: p["mentees"],
    Audience.APPLICANTS: lambda p: p["mentors"] | p["mentees"] | p["ended"] | {p["waiting"]},
}


@pytest.mark.parametrize("audience", list(AUDIENCES))
def test_an_announcement_reaches_exactly_its_audience(
    client, coordinator, cohort, people, audience, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    mail.outbox.clear()
    expected = AUDIENCES[audience](people)
    with django_capture_on_commit_callbacks(execute=True):
        response = announce(
            client,
            cohort,
            audience=audience,
            subject="Midwinter meet-up",
            body="Join us on Saturday.\n\nBring a friend.",
        )
    assert response.status_code == 302
    count = len(expected)
    assert f"on its way to {count} people" in " ".join(messages_of(response))
    assert recipients_of_mail() == expected
    assert not recipients_of_mail() & people["nobody"]
    assert {message.subject for message in mail.outbox} == {"Midwinter meet-up"}
    assert all("Bring a friend." in message.body for message in mail.outbox)

    announcement = Announcement.objects.get()
    assert (announcement.recipients, announcement.created_by) == (count, coordinator)
    rows = OutboxMessage.objects.filter(kind=ReminderKind.ANNOUNCEMENT)
    assert rows.count() == count
    assert set(rows.values_list("period", "object_id", "status")) == {
        (f"announcement-{announcement.pk}", announcement.pk, Status.SENT)
    }


def test_past_announcements_are_listed_and_cannot_be_edited(client, coordinator, cohort, people):
    client.force_login(coordinator)
    announce(client, cohort, subject="First news", body="Line one.\nLine two.")
    announcement = Announcement.objects.get()
    listing = client.get(reverse(ANNOUNCEMENTS)).content.decode()
    assert "First news" in listing and coordinator.display_name in listing
    detail = client.get(reverse("cohorts_announcement:inspect", args=[announcement.pk]))
    assert detail.status_code == 200 and "Line one.<br>Line two." in detail.content.decode()
    for name in ("edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"cohorts_announcement:{name}", args=[announcement.pk])


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        ("News\x00", "Hello.", service.SUBJECT_NULL_CHARACTER),
        ("News", "Hel\x00lo.", service.BODY_NULL_CHARACTER),
        ("line1\r\nSet-Cookie: x=1", "Hello.", service.SUBJECT_LINE_BREAK),
        ("News\u2028more", "Hello.", service.SUBJECT_LINE_BREAK),
        ("   ", "Hello.", service.SUBJECT_EMPTY),
        ("x" * 201, "Hello.", service.SUBJECT_TOO_LONG),
        ("News", "x" * 5001, service.BODY_TOO_LONG),
    ],
)
def test_bad_text_is_refused_with_a_clear_message_and_nothing_sent(
    client, coordinator, cohort, people, subject, body, message
):
    client.force_login(coordinator)
    response = announce(client, cohort, subject=subject, body=body)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not Announcement.objects.exists() and not OutboxMessage.objects.exists()


def test_an_audience_nobody_is_in_is_refused(client, coordinator, home):
    client.force_login(coordinator)
    empty = make_cohort(home, 2033)
    response = announce(client, empty, audience=Audience.MENTORS)
    assert response.status_code == 200
    assert escape(service.NO_RECIPIENTS.format(cohort=empty.title)) in response.content.decode()
    assert not Announcement.objects.exists()


def test_hostile_announcements_never_cause_a_server_error(
    client, coordinator, cohort, people, hostile_inputs
):
    client.force_login(coordinator)
    client.raise_request_exception = False
    for text in hostile_inputs:
        response = announce(client, cohort, subject=text, body=text)
        assert response.status_code in (200, 302), repr(text)
    listing = client.get(reverse(ANNOUNCEMENTS))
    assert listing.status_code == 200
    assert "<script>alert(1)</script>" not in listing.content.decode()
    for announcement in Announcement.objects.all():
        detail = client.get(reverse("cohorts_announcement:inspect", args=[announcement.pk]))
        assert detail.status_code == 200, repr(announcement.subject)
        assert "<script>alert(1)</script>" not in detail.content.decode()


def test_hostile_announcements_are_delivered_as_text(
    client, coordinator, cohort, people, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        announce(
            client,
            cohort,
            subject="<b>{{ 7*7 }}</b> {first_name}",
            body="<script>alert(1)</script>\n{% debug %}",
        )
    message = mail.outbox[0]
    assert message.subject == "<b>{{ 7*7 }}</b> {first_name}"
    html = message.alternatives[0][0]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "{% debug %}" in message.body


# The service --------------------------------------------------------------------------------


def test_the_service_refuses_without_writing(cohort, people, coordinator):
    cases = [
        ({"subject": "A\nB"}, {"subject": [service.SUBJECT_LINE_BREAK]}),
        ({"body": "\x00"}, {"body": [service.BODY_NULL_CHARACTER]}),
        ({"audience": "everyone"}, {"audience": [service.UNKNOWN_AUDIENCE]}),
    ]
    for override, errors in cases:
        arguments = {
            "cohort": cohort,
            "audience": Audience.PARTICIPANTS,
            "subject": "News",
            "body": "Hello.",
            "user": coordinator,
            **override,
        }
        with pytest.raises(service.ValidationError) as refused:
            service.announcement_send(**arguments)
        assert refused.value.message_dict == errors
    assert not Announcement.objects.exists() and not OutboxMessage.objects.exists()


def test_the_service_queues_delivery_only_on_commit(
    cohort, people, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        announcement = service.announcement_send(
            cohort=cohort,
            audience=Audience.MENTEES,
            subject=" Spaced out ",
            body="One\r\ntwo",
            user=coordinator,
        )
    assert (announcement.subject, announcement.body) == ("Spaced out", "One\ntwo")
    assert len(callbacks) == 1 and mail.outbox == []
    assert (
        set(OutboxMessage.objects.values_list("recipient__email", flat=True)) == people["mentees"]
    )


# Preview and test -----------------------------------------------------------------------------


def test_writing_an_announcement_shows_its_preview_and_sends_nothing(
    client, coordinator, cohort, people, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = announce(
            client,
            cohort,
            audience=Audience.MENTORS,
            subject="Midwinter meet-up",
            body="Join us on Saturday.\n\n<b>Bring a friend.</b>",
            action="preview",
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This announcement goes to <strong>2 people</strong>: mentors in pairs in" in page
    assert "Midwinter meet-up" in page and "Send to 2 people" in page
    assert f"Dear {coordinator.first_name}," in page
    assert "Join us on Saturday." in page and escape("<b>Bring a friend.</b>") in page
    assert "Send a test to me" in page
    assert callbacks == [] and mail.outbox == []
    assert not Announcement.objects.exists() and not OutboxMessage.objects.exists()


def test_a_posted_form_without_an_action_is_only_previewed(client, coordinator, cohort, people):
    client.force_login(coordinator)
    response = client.post(
        reverse("cohorts_announcement:add"),
        {"cohort": cohort.pk, "audience": Audience.MENTORS, "subject": "News", "body": "Hi."},
    )
    assert response.status_code == 200 and "Send to 2 people" in response.content.decode()
    assert not Announcement.objects.exists()


def test_the_preview_refuses_an_audience_nobody_is_in(client, coordinator, home):
    client.force_login(coordinator)
    empty = make_cohort(home, 2033)
    response = announce(client, empty, audience=Audience.MENTORS, action="preview")
    assert escape(service.NO_RECIPIENTS.format(cohort=empty.title)) in response.content.decode()
    assert 'value="send"' not in response.content.decode()


def test_a_test_goes_to_the_coordinator_alone_marked_and_not_counted(
    client, coordinator, cohort, people, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = announce(
            client, cohort, subject="Midwinter meet-up", body="Join us.", action="test"
        )

    assert response.status_code == 200
    assert "Send to 4 people" in response.content.decode()
    assert "A test is on its way to you alone (coordinator@example.org)" in (
        response.content.decode()
    )
    [message] = smtp_inbox.messages
    assert message["X-Envelope-To"] == "coordinator@example.org"
    assert message["Subject"] == "[Test] Midwinter meet-up"
    text = message.get_body(("plain",)).get_content()
    assert "This is a test: only you received it" in text and "Join us." in text
    [row] = OutboxMessage.objects.all()
    assert row.recipient == coordinator and row.status == Status.SENT
    test = Announcement.objects.get()
    assert (test.is_test, test.recipients) == (True, 0)
    listing = client.get(reverse(ANNOUNCEMENTS)).content.decode()
    assert "Midwinter meet-up" not in listing
    inspect = client.get(reverse("cohorts_announcement:inspect", args=[test.pk]))
    assert inspect.status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        sent = announce(client, cohort, subject="Midwinter meet-up", body="Join us.")
    assert "on its way to 4 people" in " ".join(messages_of(sent))
    assert len(smtp_inbox.messages) == 5
    assert all(m["Subject"] == "Midwinter meet-up" for m in smtp_inbox.messages[1:])
    assert Announcement.objects.filter(is_test=False).get().recipients == 4
