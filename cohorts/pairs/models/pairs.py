"""Published pairs: a mentor's application and a mentee's application of one cohort, from
their confirmation by a coordinator to their end.

Not a page or a snippet: coordinators reach pairs through the pairs screens and the
matching workspace, and members only through the selectors that decide who may see a pair.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.choices import AfterEnd, PairSource, PairStatus

# The pair statuses that hold a person: a mentee is in at most one of these per cohort.
ACTIVE_PAIR_STATUSES = [PairStatus.CONFIRMED, PairStatus.PUBLISHED]
# The pairs a cohort formed: published to their members, whether still running or ended.
FORMED_STATUSES = [PairStatus.PUBLISHED, PairStatus.ENDED]


class Pairing(models.Model):
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


class Pair(Pairing):
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
    # When the liaison's account was deleted: the pair was left with none, and shows under
    # "Needs attention" until a coordinator names a liaison (or decides on none).
    liaison_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # After the formal end each partner chooses for themselves: continue informally, or
    # close their side (final). The pair ends once both have closed.
    mentor_after_end = models.CharField(
        "the mentor's choice after the formal end",
        max_length=20,
        choices=AfterEnd.choices,
        blank=True,
    )
    mentor_after_end_at = models.DateTimeField(null=True, blank=True)
    mentee_after_end = models.CharField(
        "the mentee's choice after the formal end",
        max_length=20,
        choices=AfterEnd.choices,
        blank=True,
    )
    mentee_after_end_at = models.DateTimeField(null=True, blank=True)
    mentee_named_in_letter = models.BooleanField(
        "the mentee's name appears in the mentor's letter of service",
        default=False,
        help_text="The mentee's choice: until they agree, the letter leaves their name out.",
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
