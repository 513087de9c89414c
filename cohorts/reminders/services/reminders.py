"""Writes of members' e-mail choices and of their answers to the chair's check-ins.

The rules, in one place:

- Only the kinds in OPTIONAL_REMINDERS can be turned off. Every other kind is essential to
  taking part, and a request to turn one off is refused, from the preferences page and from
  an unsubscribe link alike.
- The preferences page sets the whole list of optional kinds that are off; an unsubscribe
  link turns one off, and following it again changes nothing.
- A check-in link answers one check-in that was sent: one answer per message, and a later
  answer replaces the earlier one. "We need help" opens one support request for the pair
  (with the participant's comment, or a default text), however often it is sent, and none
  once the pair is no longer published; the answer is recorded either way.
- The comment is read only as part of a request for help, so it goes with "We need help"
  only; it is plain text of at most COMMENT_MAX_LENGTH characters, without null characters
  (PostgreSQL cannot store them).

Every refusal is a ValidationError with one of this module's messages; nothing is written.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from cohorts.choices import OPTIONAL_REMINDERS, CheckInAnswerChoice, ReminderKind
from cohorts.outbox.models import OutboxMessage, ReminderOptOut
from cohorts.pairs.models import Pair, SupportRequest
from cohorts.pairs.selectors.pairs import pair_open_for_member
from cohorts.pairs.services.pairs import RequestLimitReached, support_request_send
from cohorts.reminders.due import checkin_period
from cohorts.reminders.errors import (
    COMMENT_MAX_LENGTH,
    COMMENT_NULL_CHARACTER,
    COMMENT_TOO_LONG,
    UNKNOWN_ANSWER,
)
from cohorts.reminders.models import CheckInAnswer
from cohorts.reminders.selectors import answerable_checkins

UNKNOWN_KIND = "There is no such kind of e-mail."
ESSENTIAL_KIND = (
    "“{kind}” e-mails are essential to taking part in the program and cannot be turned off."
)
NO_SUCH_ACCOUNT = "This link belongs to an account that no longer exists."
NOT_A_CHECKIN = "This link does not answer a check-in from the chair."
HELP_DEFAULT_MESSAGE = "Asked for help from the chair's check-in."


# ---- Opting out -----------------------------------------------------------------------------


def _only_optional(kinds: set[str]) -> None:
    for kind in sorted(kinds):
        if kind not in ReminderKind.values:
            raise ValidationError(UNKNOWN_KIND)
        if kind not in OPTIONAL_REMINDERS:
            raise ValidationError(ESSENTIAL_KIND.format(kind=ReminderKind(kind).label))


def reminder_opt_outs_set(*, user, kinds_off: set[str]) -> set[str]:
    """Turn off exactly ``kinds_off`` of the optional kinds for ``user``, and every other
    kind back on; returns the kinds now off."""
    kinds_off = set(kinds_off)
    _only_optional(kinds_off)
    with transaction.atomic():
        ReminderOptOut.objects.filter(user=user).exclude(kind__in=sorted(kinds_off)).delete()
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=user, kind=kind) for kind in sorted(kinds_off)],
            ignore_conflicts=True,
        )
    return kinds_off


def reminder_unsubscribe(*, user_id: int, kind: str) -> ReminderOptOut:
    """Turn one optional kind off for the account an unsubscribe link names; idempotent."""
    _only_optional({kind})
    with transaction.atomic():
        if not get_user_model().objects.filter(pk=user_id).exists():
            raise ValidationError(NO_SUCH_ACCOUNT)
        opt_out, _ = ReminderOptOut.objects.get_or_create(user_id=user_id, kind=kind)
    return opt_out


# ---- Check-in answers -----------------------------------------------------------------------


def _checkin_comment(*, answer: str, comment: str) -> str:
    if answer not in CheckInAnswerChoice.values:
        raise ValidationError({"answer": UNKNOWN_ANSWER})
    comment = comment.strip()
    if "\x00" in comment:
        raise ValidationError({"comment": COMMENT_NULL_CHARACTER})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": COMMENT_TOO_LONG})
    return comment


def _checkin_message(message_id: int) -> OutboxMessage:
    """The sent check-in, locked so that two clicks at once record one answer in turn."""
    message = (
        answerable_checkins()
        .select_for_update()
        .filter(pk=message_id)
        .select_related("recipient")
        .first()
    )
    if message is None:
        raise ValidationError(NOT_A_CHECKIN)
    return message


def _help_request(message: OutboxMessage, comment: str) -> SupportRequest | None:
    """Open the pair's support request, unless the pair is no longer the member's published
    pair (it ended, or was never theirs): then there is nobody to ask on its behalf; nor
    when the member has asked for help as often as they may today."""
    pair = pair_open_for_member(user=message.recipient, pair_id=message.object_id or 0)
    if pair is None:
        return None
    try:
        return support_request_send(
            pair=pair, user=message.recipient, message=comment or HELP_DEFAULT_MESSAGE
        )
    except RequestLimitReached:
        # Asked for help often enough today: the answer itself is kept, and the
        # coordinators see "we need help" among the check-in answers.
        return None


def _answer_row(message: OutboxMessage) -> CheckInAnswer:
    """The message's answer, or a new one; its pair is None if deleted since the sending."""
    record = CheckInAnswer.objects.filter(message=message).first()
    if record is not None:
        return record
    return CheckInAnswer(
        message=message,
        cohort_id=message.cohort_id,
        pair=Pair.objects.filter(pk=message.object_id).first() if message.object_id else None,
        user=message.recipient,
        period=checkin_period(message.period),
    )


def checkin_answer_record(*, message_id: int, answer: str, comment: str = "") -> CheckInAnswer:
    """Record the answer to a sent check-in (or change it), opening a support request the
    first time the answer is "We need help"."""
    comment = _checkin_comment(answer=answer, comment=comment)
    with transaction.atomic():
        message = _checkin_message(message_id)
        record = _answer_row(message)
        record.answer, record.comment = answer, comment
        if answer == CheckInAnswerChoice.NEED_HELP and record.support_request_id is None:
            record.support_request = _help_request(message, comment)
        record.save()
    return record
