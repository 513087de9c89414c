"""A published pair's shared record: its contact log, agreement and goals, requests for the
subcommittee's help, requests to change partner, and the log of coordinators' views.

Members reach these only through the pair dashboard, coordinators only through the pairs
screens; access to a pair is decided by cohorts.pairs.selectors.pairs.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cohorts.choices import ChangeRequestStatus, ConferenceMeeting
from members.choices import ContactMethod

CONTACT_MINUTES_MIN = 1
CONTACT_MINUTES_MAX = 600
# Contact a pair may log for one date, both partners' entries together: twelve hours.
PAIR_MINUTES_PER_DAY_MAX = 12 * 60
SUMMARY_MAX_LENGTH = 500
GOALS_MAX = 3
GOAL_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 2000


class ContactLog(models.Model):
    """One contact between the two partners, recorded by either; both see it, and
    coordinators see its date, duration and method but never its summary."""

    pair = models.ForeignKey("cohorts.Pair", on_delete=models.CASCADE, related_name="contacts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(CONTACT_MINUTES_MIN), MaxValueValidator(CONTACT_MINUTES_MAX)]
    )
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    conference = models.CharField(
        "conference meeting", max_length=20, choices=ConferenceMeeting.choices, blank=True
    )
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pair", "date"])]

    def __str__(self):
        return f"Contact of pair {self.pair_id} on {self.date}"


class PairAgreement(models.Model):
    """How often and how the two intend to meet, recorded at the start."""

    pair = models.OneToOneField("cohorts.Pair", on_delete=models.CASCADE, related_name="agreement")
    frequency = models.CharField("how often we meet", max_length=200, blank=True)
    methods = models.JSONField("how we meet", default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pair agreement"

    def __str__(self):
        return f"Agreement of pair {self.pair_id}"


class PairGoal(models.Model):
    """One of up to three goals a pair sets; either partner marks it done."""

    pair = models.ForeignKey("cohorts.Pair", on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=GOAL_MAX_LENGTH)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pair goal"
        ordering = ["pk"]

    def __str__(self):
        return f"Goal of pair {self.pair_id}"


class SupportRequest(models.Model):
    """A participant asks the subcommittee for help. It is not a note: the liaison (or every
    coordinator) reads it, and answers by e-mail from the admin."""

    pair = models.ForeignKey(
        "cohorts.Pair", on_delete=models.CASCADE, related_name="support_requests"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "support request"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Support request {self.pk} of pair {self.pair_id}"


class ChangeRequest(models.Model):
    """A request to change partner: the reason is for coordinators only; the partner is
    asked to consent, then a coordinator approves (ending the pair) or declines."""

    pair = models.ForeignKey(
        "cohorts.Pair", on_delete=models.CASCADE, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(
        max_length=30,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.AWAITING_CONSENT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name = "change of partner request"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Change request {self.pk} of pair {self.pair_id}"


class PairViewLog(models.Model):
    """Every coordinator's view of a pair's record, for superusers to audit."""

    pair = models.ForeignKey("cohorts.Pair", on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewed_at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=100)

    class Meta:
        verbose_name = "pair view"
        ordering = ["-viewed_at", "-pk"]

    def __str__(self):
        return f"Pair {self.pair_id} viewed"
