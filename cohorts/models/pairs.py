"""Matching and pairs: a cohort's matching settings, the suggestions the solver made, the
pairings coordinators rejected, their comments, and the pairs themselves.

None of these is a page or a snippet: coordinators reach them only through the matching
workspace (cohorts/views/matching.py), and members only through the selectors that decide
who may see a pair.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..choices import AfterEnd, PairSource, PairStatus

COMMENT_MAX_LENGTH = 1000
# The pair statuses that hold a person: a mentee is in at most one of these per cohort.
ACTIVE_PAIR_STATUSES = [PairStatus.CONFIRMED, PairStatus.PUBLISHED]


class MatchingSettings(models.Model):
    """How the solver scores a cohort's pairings, and what it may do: one row per cohort.

    ``weights`` maps every criterion of cohorts.matching.CRITERIA to 0-100 points;
    ``must_have`` lists the criteria a suggested pair must meet. The last run's unmatched
    people and their reasons are kept so every coordinator sees the same workspace.
    """

    cohort = models.OneToOneField(
        "cohorts.CohortPage", on_delete=models.CASCADE, related_name="matching_settings"
    )
    weights = models.JSONField(default=dict)
    must_have = models.JSONField(default=list)
    allow_same_institution = models.BooleanField(
        "allow pairs from the same institution", default=False
    )
    allow_repeat_pairs = models.BooleanField(
        "allow pairs who were paired in an earlier cohort", default=False
    )
    unmatched = models.JSONField(default=dict, editable=False)
    last_run_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "matching settings"
        verbose_name_plural = "matching settings"

    def __str__(self):
        return f"Matching settings of {self.cohort.title}"


class _Pairing(models.Model):
    """A mentor's application and a mentee's application of the same cohort."""

    cohort = models.ForeignKey("cohorts.CohortPage", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("cohorts.Application", on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey("cohorts.Application", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def key(self) -> tuple[int, int]:
        """(mentor application id, mentee application id): what comments are filed under."""
        return (self.mentor_id, self.mentee_id)


class MatchSuggestion(_Pairing):
    """One pairing the solver suggested in the cohort's latest run, with its score and why."""

    score = models.FloatField()
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "suggested pairing"
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="one_suggestion_per_pairing")
        ]

    def __str__(self):
        return f"Suggestion {self.mentor_id} → {self.mentee_id}"


class PairingRejection(_Pairing):
    """A suggested pairing a coordinator rejected: it is never suggested again."""

    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rejected pairing"
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="one_rejection_per_pairing")
        ]

    def __str__(self):
        return f"Rejected {self.mentor_id} → {self.mentee_id}"


class PairingComment(_Pairing):
    """A coordinator's comment on a suggested or confirmed pairing, for the other coordinators.

    Comments are the subcommittee's working notes about matching, never shown to members.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pairing comment"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["cohort", "mentor", "mentee"])]

    def __str__(self):
        return f"Comment on {self.mentor_id} → {self.mentee_id}"


class Pair(_Pairing):
    """A mentor and a mentee of one cohort.

    A coordinator confirms a pair (a draft only coordinators see), may lock it so a re-run
    of the suggestions keeps it, and publishes it: only then do the two members learn of
    it. The pair records who confirmed and who published it, and when.
    """

    status = models.CharField(
        max_length=20, choices=PairStatus.choices, default=PairStatus.CONFIRMED
    )
    locked = models.BooleanField(
        default=False, help_text="A locked pair stays when the suggestions are run again."
    )
    source = models.CharField(max_length=20, choices=PairSource.choices)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The subcommittee member who supports this pair.",
    )
    after_end = models.CharField(
        "after the formal end", max_length=20, choices=AfterEnd.choices, blank=True
    )

    class Meta:
        verbose_name = "pair"
        ordering = ["cohort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=ACTIVE_PAIR_STATUSES),
                name="one_active_pair_per_mentee_application",
            )
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self):
        return f"Pair {self.mentor_id} → {self.mentee_id} ({self.get_status_display()})"
