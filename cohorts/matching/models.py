"""Matching: a cohort's matching settings, the suggestions the solver made, the pairings
coordinators rejected and their comments.

None of these is a page or a snippet: coordinators reach them only through the matching
workspace (cohorts/matching/views/).
"""

from django.conf import settings
from django.db import models

from cohorts.pairs.models.pairs import Pairing

COMMENT_MAX_LENGTH = 1000


class MatchingSettings(models.Model):
    """How the solver scores a cohort's pairings, and what it may do: one row per cohort.

    ``weights`` maps every criterion of cohorts.matching.engine.CRITERIA to 0-100 points;
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


class MatchSuggestion(Pairing):
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


class PairingRejection(Pairing):
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


class PairingComment(Pairing):
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
