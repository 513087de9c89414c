"""Every e-mail of the program goes through the outbox: a coordinator's decision on an
application, a call for help and its answer, and a decision on a membership each leave a row
on the outbox screen and arrive over a real SMTP conversation (aiosmtpd on 127.0.0.1); and
nothing in the program's code sends mail any other way."""

import pathlib
import re

import pytest
from django.conf import settings as django_settings

from cohorts.choices import ApplicationStatus, OutboxStatus, ReminderKind
from cohorts.models import OutboxMessage
from cohorts.pairs.services.pairs import support_request_answer, support_request_send
from cohorts.program.services.review import application_status_change
from members.choices import MembershipStatus
from members.roles import COORDINATORS
from members.services.verification import member_decline, member_verify
from tests.cohorts.factories import apply, make_pair
from tests.factories import member

pytestmark = pytest.mark.django_db

K = ReminderKind


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def only_row(kind: str) -> OutboxMessage:
    [row] = OutboxMessage.objects.filter(kind=kind)
    assert row.status == OutboxStatus.SENT, row.last_error
    return row


def test_an_application_decision_goes_through_the_outbox(
    cohort, smtp_inbox, django_capture_on_commit_callbacks
):
    application = apply(cohort, first="Mina", last="Mentor")
    coordinator = member("coordinator@example.org", groups=[COORDINATORS])

    with django_capture_on_commit_callbacks(execute=True):
        application_status_change(
            application=application,
            coordinator=coordinator,
            status=ApplicationStatus.WAITLISTED,
            note="A place may open in June.",
        )

    row = only_row(K.APPLICATION_WAITLISTED)
    assert (row.recipient, row.object_id) == (application.applicant, application.pk)
    [message] = smtp_inbox.messages
    assert message["X-Envelope-To"] == application.applicant.email
    assert "waitlist" in message["Subject"] and cohort.title in message["Subject"]
    body = text_of(message)
    assert "Dear Mina," in body and "is on the waitlist" in body
    assert "A note from the subcommittee:\n\nA place may open in June." in body


def test_a_call_for_help_and_its_answer_go_through_the_outbox(
    cohort, smtp_inbox, django_capture_on_commit_callbacks
):
    liaison = member("liaison@example.org", groups=[COORDINATORS])
    liaison.first_name = "Lia"
    liaison.save()
    pair = make_pair(cohort, record_only=True, liaison=liaison)
    mentee = pair.mentee.applicant
    words = "We have not managed to meet since June."

    with django_capture_on_commit_callbacks(execute=True):
        request = support_request_send(pair=pair, user=mentee, message=words)

    asked = only_row(K.HELP_ASKED)
    assert (asked.recipient, asked.object_id) == (liaison, request.pk)
    [alert] = smtp_inbox.messages
    assert alert["X-Envelope-To"] == "liaison@example.org"
    assert "asked for help" in alert["Subject"]
    assert f"/admin/mentoring/pairs/inspect/{pair.pk}/" in text_of(alert)
    # The participant's words stay in the admin.
    assert words not in alert.as_string()

    with django_capture_on_commit_callbacks(execute=True):
        support_request_answer(
            request_id=request.pk, coordinator=liaison, answer="Let us talk on Friday."
        )

    answered = only_row(K.HELP_ANSWERED)
    assert (answered.recipient, answered.object_id) == (mentee, request.pk)
    answer = smtp_inbox.messages[1]
    assert answer["X-Envelope-To"] == mentee.email
    assert "an answer to your request for help" in answer["Subject"]
    assert "Lia" in text_of(answer) and "Let us talk on Friday." in text_of(answer)
    assert words not in answer.as_string()


def test_membership_decisions_go_through_the_outbox(
    site, smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = member("coordinator@example.org", groups=[COORDINATORS])
    pending = member("pending@example.org", status=MembershipStatus.PENDING)
    reason = "No membership found under this name."

    with django_capture_on_commit_callbacks(execute=True):
        member_decline(profile=pending.profile, coordinator=coordinator, reason=reason)
    with django_capture_on_commit_callbacks(execute=True):
        member_verify(profile=pending.profile, coordinator=coordinator)

    declined, verified = only_row(K.MEMBERSHIP_DECLINED), only_row(K.MEMBERSHIP_VERIFIED)
    assert declined.recipient == verified.recipient == pending
    assert declined.cohort is None
    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == ["pending@example.org"] * 2
    first, second = (text_of(m) for m in smtp_inbox.messages)
    assert "The reason:\n\n" + reason in first
    assert "You can now apply" in second and reason not in second


# Modules that may build an e-mail themselves: the outbox's delivery and its renderer, and
# the public contact form's messages to the chair (addresses, not accounts; README).
MAY_SEND = {
    "cohorts/outbox/services.py",
    "cohorts/reminders/rendering.py",
    "home/services.py",
}
SENDS_MAIL = re.compile(
    r"^\s*(from django\.core\.mail import|import django\.core\.mail)|\b(send_mail|"
    r"send_mass_mail|mail_admins|send_messages)\(",
    re.MULTILINE,
)


def test_no_program_code_sends_mail_around_the_outbox():
    root = pathlib.Path(django_settings.BASE_DIR)
    senders = {
        str(path.relative_to(root))
        for app in ("cohorts", "members", "surveys", "home", "resources", "core", "portal")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and SENDS_MAIL.search(path.read_text())
    }
    assert senders <= MAY_SEND, senders - MAY_SEND
