"""The outbox: every e-mail of the program, recorded before it is sent, sent at most once.

The rules, in one place:

- `outbox_add` writes one row per recipient under a unique key (kind, cohort, recipient,
  period); writing the same reminder again changes nothing. A member who turned an optional
  kind off gets a row marked suppressed, so coordinators can see why nothing went.
- Tasks carry row ids only. `outbox_deliver` claims each row with one UPDATE (queued →
  sending) just before its SMTP conversation, so a second worker, a replayed task or a
  second dispatcher finds nothing left to claim.
- A send that fails (SMTP down, a temporary refusal) is retried with back-off up to
  MAX_ATTEMPTS, then marked failed. A send interrupted by a crash (the row still "sending"
  long after) may or may not have reached the recipient: it is marked failed with a note
  and never resent automatically; a coordinator may resend it from the outbox screen.
- Each row is rendered just before it is sent, by the renderer the reminders feature
  registers (`outbox_renderer_set`); the body is never stored. The renderer may withhold a
  row whose matter changed since it was written (a reminder about a pair that is over for
  its recipient): it is marked suppressed, with the renderer's reason.
"""

import datetime
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cohorts.choices import OPTIONAL_REMINDERS, OutboxStatus, ReminderKind
from cohorts.outbox.models import OutboxMessage, ReminderOptOut
from members.choices import MembershipStatus

Status = OutboxStatus

MAX_ATTEMPTS = 5
RETRY_DELAYS = [
    datetime.timedelta(minutes=minutes) for minutes in (1, 5, 30, 120)
]  # after attempts 1, 2, 3, 4
INTERRUPTED_AFTER = datetime.timedelta(minutes=15)
REENQUEUE_AFTER = datetime.timedelta(minutes=10)
BATCH_SIZE = 100
# A delivery task stops taking new rows after this long, well inside Q_CLUSTER["timeout"].
DELIVER_BUDGET_SECONDS = 60
DELIVER_TASK = "cohorts.outbox.tasks.outbox_deliver"

OPTED_OUT = "The member turned this reminder off."
UNREACHABLE = "The account is inactive, erased or has no address."
INTERRUPTED = (
    "The worker stopped while sending: the e-mail may or may not have arrived, so it was "
    "not sent again. Resend it if you are sure it did not arrive."
)
RENDER_FAILED = "The message could not be built: {error}."
NOT_RESENDABLE = "Only failed messages can be sent again."


# ---- Writing ---------------------------------------------------------------------------


def outbox_add(
    *,
    kind: str,
    cohort,
    period: str,
    recipients: Iterable[tuple[int, int | None]],
    per_object: bool = False,
) -> list[int]:
    """Record one message per (recipient, object); returns the ids of new queued rows.

    With `per_object`, the object's id is part of the period, so a person hears once about
    each object (each pair behind on contact), not once in all.
    """
    recipients = list(recipients)
    opted_out = _opted_out(kind=kind, user_ids=[user_id for user_id, _ in recipients])
    cohort_id = cohort.pk if cohort else None
    rows, keys = [], []
    for user_id, object_id in recipients:
        row_period = f"{period}-{object_id}" if per_object else period
        key = OutboxMessage.key_for(
            kind=kind, cohort_id=cohort_id, recipient_id=user_id, period=row_period
        )
        suppressed = user_id in opted_out
        rows.append(
            OutboxMessage(
                key=key,
                kind=kind,
                cohort_id=cohort_id,
                recipient_id=user_id,
                period=row_period,
                object_id=object_id,
                status=Status.SUPPRESSED if suppressed else Status.QUEUED,
                last_error=OPTED_OUT if suppressed else "",
            )
        )
        keys.append(key)
    existing = set(_in_chunks(OutboxMessage.objects.values_list("key", flat=True), "key", keys))
    new_rows = [row for row in rows if row.key not in existing]
    OutboxMessage.objects.bulk_create(new_rows, batch_size=500, ignore_conflicts=True)
    new_keys = [row.key for row in new_rows if row.status == Status.QUEUED]
    return list(
        _in_chunks(
            OutboxMessage.objects.filter(status=Status.QUEUED).values_list("pk", flat=True),
            "key",
            new_keys,
        )
    )


def outbox_send_soon(ids: Sequence[int]) -> None:
    """Queue delivery of these rows once the current transaction commits."""
    if ids:
        ids = list(ids)
        transaction.on_commit(lambda: _enqueue(ids, now=timezone.now()))


def outbox_resend(*, message_id: int) -> OutboxMessage:
    """A coordinator sends a failed message again (after checking it did not arrive)."""
    from django.core.exceptions import ValidationError

    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message_id, status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=None, enqueued_at=None
        )
        if not updated:
            raise ValidationError(NOT_RESENDABLE)
        outbox_send_soon([message_id])
    return OutboxMessage.objects.get(pk=message_id)


def _opted_out(*, kind: str, user_ids: list[int]) -> set[int]:
    if kind not in OPTIONAL_REMINDERS or not user_ids:
        return set()
    query = ReminderOptOut.objects.filter(kind=kind).values_list("user_id", flat=True)
    return set(_in_chunks(query, "user_id", user_ids))


def _in_chunks(query, field: str, values: list, size: int = 900):
    """Run `query` filtered by `field__in` in chunks: SQLite caps a statement's parameters."""
    for start in range(0, len(values), size):
        yield from query.filter(**{f"{field}__in": values[start : start + size]})


# ---- Queuing ---------------------------------------------------------------------------


def _enqueue(ids: list[int], *, now: datetime.datetime) -> int:
    from django_q.tasks import async_task

    OutboxMessage.objects.filter(pk__in=ids).update(enqueued_at=now)
    for start in range(0, len(ids), BATCH_SIZE):
        async_task(DELIVER_TASK, ids[start : start + BATCH_SIZE])
    return len(ids)


def outbox_enqueue_waiting(*, now: datetime.datetime) -> int:
    """Queue delivery of every row that waits: new, due for a retry, or queued long ago
    by a task that never ran (the worker was down)."""
    waiting = (
        OutboxMessage.objects.filter(status=Status.QUEUED)
        .filter(_due(now))
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REENQUEUE_AFTER))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _enqueue(list(waiting), now=now)


def _due(now: datetime.datetime) -> Q:
    """Rows not waiting for a later retry."""
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def outbox_mark_interrupted(*, now: datetime.datetime) -> int:
    """Rows left "sending" by a worker that died: failed, with a note, never resent."""
    return OutboxMessage.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - INTERRUPTED_AFTER
    ).update(status=Status.FAILED, last_error=INTERRUPTED)


# ---- Delivering ------------------------------------------------------------------------


class Rendered(Protocol):
    subject: str


class MessageRenderer(Protocol):
    """Builds each row's e-mail at send time: the reminders feature provides it."""

    def prefetch(self, rows: list[OutboxMessage]) -> None: ...

    def render(self, row: OutboxMessage) -> Rendered: ...

    def email(self, row: OutboxMessage, rendered: Rendered) -> EmailMessage: ...

    def withheld(self, row: OutboxMessage) -> str:
        """Why the row must not go out after all (what it is about changed since it was
        written), or "" to send it."""


def _no_renderer() -> MessageRenderer:
    raise ImproperlyConfigured("No outbox renderer is registered (outbox_renderer_set).")


_renderer_factory: Callable[[], MessageRenderer] = _no_renderer


def outbox_renderer_set(factory: Callable[[], MessageRenderer]) -> None:
    """Register what builds the outbox's e-mails; the cohorts app does it when it starts."""
    global _renderer_factory
    _renderer_factory = factory


def outbox_deliver(*, ids: Sequence[int]) -> int:
    """Send the queued rows among `ids` over one SMTP connection; returns how many went."""
    rows = list(
        OutboxMessage.objects.filter(pk__in=ids, status=Status.QUEUED)
        .filter(_due(timezone.now()))
        .select_related("recipient", "cohort")
        .order_by("pk")
    )
    if not rows:
        return 0
    renderer = _renderer_factory()
    renderer.prefetch(rows)
    opted_out = set(
        ReminderOptOut.objects.filter(user_id__in={row.recipient_id for row in rows}).values_list(
            "user_id", "kind"
        )
    )
    connection = get_connection()
    sent, started = 0, time.monotonic()
    try:
        for index, row in enumerate(rows):
            if time.monotonic() - started > DELIVER_BUDGET_SECONDS:
                # A slow mail server: hand the rest to a new task well before the worker's
                # time limit could kill this one mid-send.
                _enqueue([later.pk for later in rows[index:]], now=timezone.now())
                break
            result = _deliver_one(
                row, renderer=renderer, connection=connection, opted_out=opted_out
            )
            if result is None:
                break
            sent += result
    finally:
        connection.close()
    return sent


def _deliver_one(row, *, renderer, connection, opted_out) -> int | None:
    """1 if sent, 0 if not, None if the mail server is unreachable (stop the batch)."""
    reason = _suppressed_because(row, opted_out=opted_out) or renderer.withheld(row)
    if reason:
        _finish(row, status=Status.SUPPRESSED, last_error=reason, claimed=False)
        return 0
    try:
        rendered = renderer.render(row)
        email = renderer.email(row, rendered)
    except Exception as error:  # noqa: BLE001 (a broken wording must not stop the batch)
        _finish(
            row, status=Status.FAILED, last_error=RENDER_FAILED.format(error=error), claimed=False
        )
        return 0
    if not _claim(row):
        return 0
    email.connection = connection
    try:
        # open() keeps one SMTP session for the whole batch; it does nothing once open.
        connection.open()
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        _failed_attempt(row, error)
        # A refused recipient says nothing of the next message; anything else stops the batch.
        go_on = _permanent(error) or isinstance(error, smtplib.SMTPRecipientsRefused)
        return 0 if go_on else None
    _finish(row, status=Status.SENT, subject=rendered.subject)
    return 1


def _suppressed_because(row, *, opted_out) -> str:
    user = row.recipient
    if not user.is_active or user.erased_at or not user.email:
        return UNREACHABLE
    if row.kind in OPTIONAL_REMINDERS and (user.pk, row.kind) in opted_out:
        return OPTED_OUT
    return ""


def _claim(row) -> bool:
    """Take the row for this send; False if another worker took it first."""
    now = timezone.now()
    claim = uuid.uuid4().hex
    taken = OutboxMessage.objects.filter(pk=row.pk, status=Status.QUEUED).update(
        status=Status.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1
    )
    row.claim, row.attempts = claim, row.attempts + 1
    return bool(taken)


def _finish(row, *, status: str, last_error: str = "", subject: str = "", claimed=True) -> None:
    fields = {"status": status, "last_error": last_error[:300]}
    if subject:
        fields["subject"] = subject
    if status == Status.SENT:
        fields["sent_at"] = timezone.now()
    query = OutboxMessage.objects.filter(pk=row.pk)
    query = query.filter(claim=row.claim) if claimed else query.filter(status=Status.QUEUED)
    query.update(**fields)


def _permanent(error: Exception) -> bool:
    """A refusal of this message the mail server will repeat: a 5xx reply to it, or a 5xx
    for its recipient. A refused login or sender is the portal's configuration, not the
    message's, and a 4xx asks to try again later."""
    if isinstance(error, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused):
        return False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _failed_attempt(row, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:300]
    if _permanent(error) or row.attempts >= MAX_ATTEMPTS:
        _finish(row, status=Status.FAILED, last_error=message)
        return
    delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
    OutboxMessage.objects.filter(pk=row.pk, claim=row.claim).update(
        status=Status.QUEUED,
        last_error=message,
        next_attempt_at=timezone.now() + delay,
        enqueued_at=None,
    )


# ---- Decisions told from below the program -------------------------------------------------


MEMBERSHIP_DECISIONS = {
    MembershipStatus.VERIFIED: ReminderKind.MEMBERSHIP_VERIFIED,
    MembershipStatus.DECLINED: ReminderKind.MEMBERSHIP_DECLINED,
}


def outbox_membership_decision(*, profile, decision: str) -> None:
    """A coordinator's decision on a membership, e-mailed through the outbox in the
    decision's transaction; the members app calls it through its notifications port."""
    ids = outbox_add(
        kind=MEMBERSHIP_DECISIONS[decision],
        cohort=None,
        period=f"membership-{timezone.now():%Y%m%d%H%M%S%f}",
        recipients=[(profile.user_id, profile.pk)],
        per_object=True,
    )
    outbox_send_soon(ids)
