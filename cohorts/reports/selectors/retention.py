"""Reads for data retention: when each cohort's personal data goes, and how much would go.

The rule, in one place: a cohort closes on its last day (``cohort_closed_on``: the formal
end, or the final survey's closing day when that is later). Its personal data is kept for
``settings.RETENTION_YEARS`` whole years after that day and erased on the day after that
anniversary (``retention_erase_on``), by the daily task of cohorts.reports.tasks. A cohort
closing on May 15, 2025 is kept to May 15, 2028 and erased on May 16, 2028 with the default
three years. Days are whole days in the site's time zone.

What would go is counted, never read: the data retention screen shows how many applications,
notes, contact summaries and survey links a cohort holds, and nothing of what they say.
"""

import datetime
from dataclasses import asdict, dataclass, fields

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page

from cohorts.choices import RetentionStatus
from cohorts.outbox.models import OutboxMessage
from cohorts.pairs.models import ConfidentialNote, ContactLog, Pair
from cohorts.program.models import Application, CohortPage
from cohorts.program.selectors import cohort_closed_on
from cohorts.program.surveys import cohort_surveys
from cohorts.reminders.models import CheckInAnswer
from cohorts.reports.models import CohortFigures

# A cohort whose erasure falls within this many days is shown as due soon.
DUE_SOON_DAYS = 30


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; February 29 becomes February 28 in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_erase_on(*, cohort: CohortPage, years: int | None = None) -> datetime.date:
    """The first day the cohort's personal data is due to be erased: the day after the
    ``years``-th (default ``RETENTION_YEARS``) anniversary of its closing day."""
    years = settings.RETENTION_YEARS if years is None else years
    return add_years(cohort_closed_on(cohort=cohort), years) + datetime.timedelta(days=1)


# ---- What would go --------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureCounts:
    """How many records of each kind erasing a cohort removes. Counts only."""

    applications: int = 0
    pairs: int = 0
    contacts: int = 0
    contact_summaries: int = 0
    notes: int = 0
    checkin_answers: int = 0
    survey_links: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "ErasureCounts":
        """The counts stored with an erased cohort's figures (``CohortFigures.erased``)."""
        return cls(**{field.name: values.get(field.name, 0) for field in fields(cls)})


def erasure_counts(*, cohorts: list[CohortPage]) -> dict[int, ErasureCounts]:
    """What erasing each of ``cohorts`` would remove, by cohort id: seven grouped counts
    whatever the number of cohorts and records (none for no cohorts)."""
    ids = [cohort.pk for cohort in cohorts]
    if not ids:
        return {}
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    _count(counts, "applications", Application.objects.filter(cohort__in=ids), "cohort_id")
    _count(counts, "pairs", Pair.objects.filter(cohort__in=ids), "cohort_id")
    _count(
        counts, "notes", ConfidentialNote.objects.filter(pair__cohort__in=ids), "pair__cohort_id"
    )
    _count(counts, "checkin_answers", CheckInAnswer.objects.filter(cohort__in=ids), "cohort_id")
    _count(counts, "emails", OutboxMessage.objects.filter(cohort__in=ids), "cohort_id")
    _count_contacts(counts, ids)
    _count_survey_links(counts, cohorts)
    return {pk: ErasureCounts(**values) for pk, values in counts.items()}


def _count(counts: dict, name: str, queryset, cohort_field: str) -> None:
    rows = queryset.order_by().values_list(cohort_field).annotate(count=Count("pk"))
    for cohort_id, count in rows:
        counts[cohort_id][name] = count


def _count_contacts(counts: dict, ids: list[int]) -> None:
    rows = (
        ContactLog.objects.filter(pair__cohort__in=ids)
        .order_by()
        .values_list("pair__cohort_id")
        .annotate(count=Count("pk"), summaries=Count("pk", filter=~Q(summary="")))
    )
    for cohort_id, count, summaries in rows:
        counts[cohort_id].update(contacts=count, contact_summaries=summaries)


def _count_survey_links(counts: dict, cohorts: list[CohortPage]) -> None:
    """Participations in the surveys under each cohort (a survey's parent is its cohort)."""
    by_path = {cohort.path: cohort.pk for cohort in cohorts}
    rows = cohort_surveys().participations_by_survey_path(cohort_paths=by_path)
    for path, count in rows:
        cohort_id = by_path.get(path[: -Page.steplen])
        if cohort_id is not None:
            counts[cohort_id]["survey_links"] = counts[cohort_id].get("survey_links", 0) + count


# ---- Each cohort's standing ------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRow:
    """One cohort on the data retention screen: when it closed, when its personal data goes
    (or went), and how much there is (or was)."""

    cohort: CohortPage
    closed_on: datetime.date
    erase_on: datetime.date
    status: str
    counts: ErasureCounts
    erased_at: datetime.datetime | None = None

    @property
    def status_label(self) -> str:
        return RetentionStatus(self.status).label


def retention_status(
    *, erase_on: datetime.date, today: datetime.date, erased: bool = False
) -> RetentionStatus:
    if erased:
        return RetentionStatus.ERASED
    if erase_on <= today:
        return RetentionStatus.DUE
    if erase_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return RetentionStatus.DUE_SOON
    return RetentionStatus.KEPT


def retention_overview(*, today: datetime.date | None = None) -> list[RetentionRow]:
    """Every cohort, newest first, with its retention dates, status and counts: for an
    erased cohort, what was erased. A fixed number of queries whatever the number of
    cohorts."""
    today = today or timezone.localdate()
    cohorts = list(CohortPage.objects.order_by("-formal_start", "-pk"))
    stored = {
        figures.cohort_id: figures
        for figures in CohortFigures.objects.filter(cohort__in=[c.pk for c in cohorts])
    }
    live = erasure_counts(cohorts=[cohort for cohort in cohorts if cohort.pk not in stored])
    rows = []
    for cohort in cohorts:
        figures = stored.get(cohort.pk)
        erase_on = retention_erase_on(cohort=cohort)
        counts = ErasureCounts.from_dict(figures.erased) if figures else live[cohort.pk]
        rows.append(
            RetentionRow(
                cohort=cohort,
                closed_on=cohort_closed_on(cohort=cohort),
                erase_on=erase_on,
                status=retention_status(erase_on=erase_on, today=today, erased=bool(figures)),
                counts=counts,
                erased_at=figures.erased_at if figures else None,
            )
        )
    return rows


def cohorts_due_for_erasure(*, today: datetime.date | None = None) -> list[CohortPage]:
    """The cohorts not yet erased whose erasure day has come, the longest overdue first."""
    today = today or timezone.localdate()
    kept = CohortPage.objects.filter(retained_figures__isnull=True)
    due = [cohort for cohort in kept if retention_erase_on(cohort=cohort) <= today]
    return sorted(due, key=lambda cohort: (retention_erase_on(cohort=cohort), cohort.pk))
