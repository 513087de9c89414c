"""The program's e-mail: the editors' wording per reminder kind, the outbox every message
passes through, members' opt-outs, check-in answers and coordinators' announcements.

Exactly once: cohorts.outbox.services writes each message here under a unique key (kind,
cohort, recipient, period) before anything is sent, claims rows atomically before sending,
and never resends a message whose send was interrupted. Tasks carry outbox ids only.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField
from wagtail.models import PreviewableMixin

from cohorts.choices import (
    AnnouncementAudience,
    CheckInAnswerChoice,
    ReminderKind,
)
from cohorts.outbox.models import OutboxMessage

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The values every reminder can use; cohorts.reminders.rendering fills them.
PLACEHOLDERS = {
    "first_name": "the recipient's first name",
    "partner_name": "their mentoring partner's name (or partners', joined with 'and')",
    "cohort": "the cohort's title",
    "program": "the program's name from the site settings",
    "chair_name": "the chair's name",
    "chair_title": "the chair's title",
    "date": "the date the reminder is about (the deadline, the orientation, ...)",
    "link": "the page to act on (the application form, the dashboard, ...)",
    "hours": "the cohort's minimum contact hours",
    "role": "the recipient's role: a mentor, a mentee, or both a mentor and a mentee",
    "pairing_date": "the date by which the subcommittee pairs mentors and mentees",
}
UNKNOWN_PLACEHOLDER = "{{{name}}} is not a placeholder. Use one of: {known}."
BODY_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


def validate_placeholders(text: str) -> None:
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ValidationError(UNKNOWN_PLACEHOLDER.format(name=unknown[0], known=known))


class ReminderTemplate(PreviewableMixin, models.Model):
    """The wording of one kind of reminder, edited by editors under Snippets; previewable.

    The body is rich text: it becomes the HTML part as written and the plain-text part by
    conversion, so editors keep one text. A kind with no snippet uses the built-in wording
    of cohorts.reminders.wording.
    """

    kind = models.CharField(max_length=40, choices=ReminderKind.choices, unique=True)
    subject = models.CharField(max_length=200, validators=[validate_placeholders])
    body = RichTextField(features=BODY_FEATURES, validators=[validate_placeholders])
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        HelpPanel(
            content="Placeholders in braces are replaced for each recipient: "
            + "; ".join(f"<code>{{{name}}}</code> {what}" for name, what in PLACEHOLDERS.items())
            + ". Links to answer a check-in and to unsubscribe are added below the text."
        ),
        FieldPanel("kind"),
        FieldPanel("subject"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "reminder wording"
        verbose_name_plural = "reminder wording"
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def get_preview_template(self, request, mode_name):
        return "cohorts/reminder_preview.html"

    def get_preview_context(self, request, mode_name):
        from cohorts.reminders.rendering import reminder_preview

        return {**super().get_preview_context(request, mode_name), **reminder_preview(self)}


class CheckInAnswer(models.Model):
    """A participant's answer to one of the chair's check-ins, from the e-mail's links."""

    message = models.OneToOneField(
        OutboxMessage, on_delete=models.CASCADE, related_name="checkin_answer"
    )
    cohort = models.ForeignKey("cohorts.CohortPage", on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(
        "cohorts.Pair", null=True, on_delete=models.SET_NULL, related_name="checkin_answers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=60)
    answer = models.CharField(max_length=20, choices=CheckInAnswerChoice.choices)
    # Written for the subcommittee with any answer; with "we need help" it also opens the
    # pair's request for help.
    comment = models.TextField(max_length=1000, blank=True)
    support_request = models.ForeignKey(
        "cohorts.SupportRequest", null=True, blank=True, on_delete=models.SET_NULL
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "check-in answer"
        ordering = ["-answered_at"]

    def __str__(self):
        return f"{self.get_answer_display()} ({self.period})"


class Announcement(models.Model):
    """A one-off message from the subcommittee to a cohort, sent through the outbox."""

    cohort = models.ForeignKey("cohorts.CohortPage", on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(
        max_length=20,
        choices=AnnouncementAudience.choices,
        default=AnnouncementAudience.PARTICIPANTS,
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(
        max_length=5000, help_text="Plain text; a blank line starts a paragraph."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0, editable=False)
    # A test sent to the coordinator who wrote it, before the real sending: never listed
    # among the announcements, never counted as sent to members.
    is_test = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = "announcement"
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class DispatchMark(models.Model):
    """A dated reminder whose recipients the dispatcher has already written to the outbox.

    Written in the same transaction as the outbox rows, so each (kind, cohort, period) is
    worked out once, and later runs of the dispatcher skip it cheaply.
    """

    kind = models.CharField(max_length=40, choices=ReminderKind.choices)
    cohort = models.ForeignKey("cohorts.CohortPage", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dispatched reminder"
        constraints = [
            models.UniqueConstraint(fields=["kind", "cohort", "period"], name="dispatch_mark_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.period}"
