"""Reads for the coordinators' pair listing: which pairs are listed, with their contact totals
and open requests, and the cohorts that have any.

The contact rows are only counted and summed here: no summary is read, and notes are never
queried.
"""

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from cohorts.choices import PairStatus
from cohorts.pairs.models import ChangeRequest, ContactLog, Pair, SupportRequest
from cohorts.pairs.selectors.pairs import OPEN_CHANGE_STATUSES
from cohorts.program.models import CohortPage

LISTED_STATUSES = [PairStatus.PUBLISHED, PairStatus.ENDED]


def _per_pair(model, aggregate, **conditions) -> Subquery:
    """One aggregate of ``model``'s rows for each pair, as a subquery: no join, no GROUP BY."""
    rows = model.objects.filter(pair=OuterRef("pk"), **conditions).order_by().values("pair")
    return Subquery(rows.annotate(value=aggregate).values("value")[:1])


def pairs_listing() -> QuerySet[Pair]:
    """Published and ended pairs with their contact totals and open requests, in one query."""
    return (
        Pair.objects.filter(status__in=LISTED_STATUSES)
        .select_related("cohort", "liaison", "mentor__applicant", "mentee__applicant")
        .annotate(
            contact_count=Coalesce(_per_pair(ContactLog, Count("pk")), 0),
            contact_minutes=Coalesce(
                _per_pair(ContactLog, Sum("minutes")), 0, output_field=IntegerField()
            ),
            last_contact=_per_pair(ContactLog, Max("date")),
            open_changes=Coalesce(
                _per_pair(ChangeRequest, Count("pk"), status__in=OPEN_CHANGE_STATUSES), 0
            ),
            open_support=Coalesce(
                _per_pair(SupportRequest, Count("pk"), answered_at__isnull=True), 0
            ),
        )
    )


def listed_cohorts() -> QuerySet[CohortPage]:
    """The cohorts that have published or ended pairs, newest first."""
    with_pairs = Pair.objects.filter(status__in=LISTED_STATUSES).values("cohort")
    return CohortPage.objects.filter(pk__in=with_pairs).order_by("-formal_start", "pk")
