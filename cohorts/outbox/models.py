"""The outbox every e-mail of the program passes through, and the optional reminders
members turned off (the outbox never sends them one).

Exactly once: cohorts.outbox.services writes each message here under a unique key (kind,
cohort, recipient, period) before anything is sent, claims rows atomically before sending,
and never resends a message whose send was interrupted. Tasks carry outbox ids only.
"""

from django.conf import settings
from django.db import models

from cohorts.choices import OutboxStatus, ReminderKind


class OutboxMessage(models.Model):
    """One e-mail to one person, recorded before it is sent.

    `key` is unique: a second dispatcher run, a second worker or a replayed task finds the
    row and sends nothing. `object_id` names what the message is about (an application,
    a pair, a change request, an announcement), by kind; the body is rendered at send time
    and never stored.
    """

    key = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(max_length=40, choices=ReminderKind.choices)
    cohort = models.ForeignKey(
        "cohorts.CohortPage", null=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    period = models.CharField(max_length=60)
    object_id = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "outbox message"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["cohort", "kind"]),
            models.Index(fields=["claim"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient_id} ({self.period})"

    @staticmethod
    def key_for(*, kind: str, cohort_id: int | None, recipient_id: int, period: str) -> str:
        return f"{kind}:{cohort_id or 0}:{recipient_id}:{period}"


class ReminderOptOut(models.Model):
    """A member turned off one optional kind of reminder."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    kind = models.CharField(max_length=40, choices=ReminderKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "reminder opt-out"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_opt_out_once")
        ]

    def __str__(self):
        return f"{self.user_id} opted out of {self.kind}"
