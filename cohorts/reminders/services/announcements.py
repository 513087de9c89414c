"""Coordinators' announcements: a one-off message to one audience of a cohort, sent through
the outbox like every other e-mail of the program.

An announcement is written once and never edited: the rows it leaves in the outbox carry
its id, and the e-mail is rendered from it at send time. Before it goes, the coordinator
sees it rendered with the number of recipients (``announcement_preview``) and may send a
test to themself alone (``announcement_test_send``), kept apart from the real ones.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from cohorts.choices import AnnouncementAudience, ApplicationStatus, ReminderKind
from cohorts.outbox.models import OutboxMessage
from cohorts.outbox.services import outbox_add, outbox_send_soon
from cohorts.program.models import Application, CohortPage
from cohorts.reminders.due import participants, reachable_users
from cohorts.reminders.models import Announcement
from cohorts.reminders.rendering import Renderer

Audience = AnnouncementAudience
# The sides of the pairs each audience of participants reaches.
SIDES = {
    Audience.PARTICIPANTS: ("mentor", "mentee"),
    Audience.MENTORS: ("mentor",),
    Audience.MENTEES: ("mentee",),
}

SUBJECT_MAX_LENGTH = Announcement._meta.get_field("subject").max_length
BODY_MAX_LENGTH = Announcement._meta.get_field("body").max_length
# Characters that end a line: a subject must be one line, or it breaks the e-mail's headers.
LINE_BREAKS = frozenset("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")
PERIOD = "announcement-{id}"
TEST_PERIOD = "announcement-test-{id}"

SUBJECT_EMPTY = "Write a subject."
SUBJECT_TOO_LONG = f"The subject can be at most {SUBJECT_MAX_LENGTH} characters long."
SUBJECT_LINE_BREAK = "The subject must be a single line: remove the line breaks."
SUBJECT_NULL_CHARACTER = "The subject cannot contain null characters; remove them."
BODY_EMPTY = "Write the message."
BODY_TOO_LONG = f"The message can be at most {BODY_MAX_LENGTH} characters long."
BODY_NULL_CHARACTER = "The message cannot contain null characters; remove them."
UNKNOWN_AUDIENCE = "Choose who receives the announcement from the list."
NO_ADDRESS_FOR_TEST = "Your account has no e-mail address to send the test to."
NO_RECIPIENTS = (
    "Nobody in {cohort} can receive this yet: the audience is empty, or nobody in it has "
    "an active account with an e-mail address. Nothing was sent."
)


def announcement_text_check(*, subject: str, body: str) -> tuple[str, str]:
    """The subject and body as they will be sent (trimmed, line endings made "\\n"), or a
    ValidationError naming the field at fault and why."""
    subject = subject.strip()
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    errors = {}
    if subject_error := _subject_error(subject):
        errors["subject"] = subject_error
    if body_error := _body_error(body):
        errors["body"] = body_error
    if errors:
        raise ValidationError(errors)
    return subject, body


def _subject_error(subject: str) -> str:
    if not subject:
        return SUBJECT_EMPTY
    if "\x00" in subject:
        return SUBJECT_NULL_CHARACTER
    if LINE_BREAKS.intersection(subject):
        return SUBJECT_LINE_BREAK
    if len(subject) > SUBJECT_MAX_LENGTH:
        return SUBJECT_TOO_LONG
    return ""


def _body_error(body: str) -> str:
    if not body:
        return BODY_EMPTY
    if "\x00" in body:
        return BODY_NULL_CHARACTER
    if len(body) > BODY_MAX_LENGTH:
        return BODY_TOO_LONG
    return ""


def announcement_recipients(*, cohort: CohortPage, audience: str) -> list[int]:
    """The ids of the people an announcement to this audience reaches, each once: members
    of the cohort's published pairs (both sides, or one) who have not closed their side
    (``participants``), or everyone whose application to the cohort is submitted and not
    withdrawn; only accounts that can receive e-mail."""
    if audience == Audience.APPLICANTS:
        chosen = set(
            Application.objects.filter(cohort=cohort)
            .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
            .values_list("applicant_id", flat=True)
        )
    else:
        sides = SIDES.get(audience, SIDES[Audience.PARTICIPANTS])
        chosen = {user_id for user_id, _pair_id in participants(cohort=cohort, sides=sides)}
    # Everyone chosen has an application to the cohort, so this reads only its applicants.
    reachable = set(
        reachable_users()
        .filter(applications__cohort=cohort)
        .values_list("pk", flat=True)
        .distinct()
    )
    return sorted(chosen & reachable)


@dataclass(frozen=True)
class Preview:
    """An announcement as its recipients will receive it, before it is sent."""

    subject: str
    text: str
    recipients: int


def announcement_preview(
    *, cohort: CohortPage, audience: str, subject: str, body: str, user
) -> Preview:
    """The e-mail as ``user`` would receive it (each recipient's begins with their own first
    name) and how many it would reach; refuses what announcement_send refuses, writing
    nothing."""
    subject, body = announcement_text_check(subject=subject, body=body)
    recipients = _recipients_or_refuse(cohort=cohort, audience=audience)
    announcement = Announcement(cohort=cohort, audience=audience, subject=subject, body=body)
    renderer = Renderer()
    renderer.announcement_set(announcement)
    row = OutboxMessage(
        kind=ReminderKind.ANNOUNCEMENT, cohort=cohort, recipient=user, period="preview"
    )
    rendered = renderer.render(row)
    return Preview(subject=rendered.subject, text=rendered.text, recipients=len(recipients))


def announcement_test_send(
    *, cohort: CohortPage, audience: str, subject: str, body: str, user
) -> Announcement:
    """Send the announcement to ``user`` alone, marked as a test, through the outbox. It is
    kept apart from the announcements (never listed, counted as sent to nobody)."""
    subject, body = announcement_text_check(subject=subject, body=body)
    _recipients_or_refuse(cohort=cohort, audience=audience)
    if not (user.is_active and user.email and not user.erased_at):
        raise ValidationError(NO_ADDRESS_FOR_TEST)
    text = {"cohort": cohort, "audience": audience, "subject": subject, "body": body}
    with transaction.atomic():
        return _record(text, user=user, recipients=[user.pk], test=True)


def _recipients_or_refuse(*, cohort: CohortPage, audience: str) -> list[int]:
    if audience not in Audience.values:
        raise ValidationError({"audience": UNKNOWN_AUDIENCE})
    recipients = announcement_recipients(cohort=cohort, audience=audience)
    if not recipients:
        raise ValidationError(NO_RECIPIENTS.format(cohort=cohort.title))
    return recipients


def announcement_send(
    *, cohort: CohortPage, audience: str, subject: str, body: str, user
) -> Announcement:
    """Record the announcement and one outbox message per recipient; the e-mails go once
    the transaction commits. Refuses bad text, an unknown audience and an audience that
    reaches nobody, writing nothing."""
    subject, body = announcement_text_check(subject=subject, body=body)
    text = {"cohort": cohort, "audience": audience, "subject": subject, "body": body}
    with transaction.atomic():
        recipients = _recipients_or_refuse(cohort=cohort, audience=audience)
        return _record(text, user=user, recipients=recipients, test=False)


def _record(text: dict, *, user, recipients: list[int], test: bool) -> Announcement:
    """Save the announcement and its outbox rows, sent once the transaction commits. A test
    counts as sent to nobody."""
    announcement = Announcement.objects.create(
        **text, created_by=user, recipients=0 if test else len(recipients), is_test=test
    )
    ids = outbox_add(
        kind=ReminderKind.ANNOUNCEMENT,
        cohort=announcement.cohort,
        period=(TEST_PERIOD if test else PERIOD).format(id=announcement.pk),
        recipients=[(user_id, announcement.pk) for user_id in recipients],
    )
    outbox_send_soon(ids)
    return announcement
