"""Writes for data retention: erasing a closed cohort's personal data once its time is up.

``cohort_personal_data_erase`` does it for one cohort, in one transaction, once:

1. it stores the cohort's report as anonymous figures (``CohortFigures``: counts, sums and
   response rates, nobody named), with the counts of what it erases and when;
2. it deletes the survey participations (who answered which survey; the answers themselves
   are anonymous ``SurveyResponse`` rows and stay), the confidential notes, the contact log
   with its summaries, the e-mails in the outbox and the check-in answers, the pairs with
   their agreements, goals, requests for help, changes of partner and view log, the
   matching suggestions, rejections and comments, the applications, and the names in the
   last matching run.

The cohort page, its timeline and surveys, the subcommittee's announcements and the record
of which dated reminders went out stay: they name no member. Members' accounts stay too; a
person's data in other cohorts is untouched.

``retention_erase_due`` queues the erasure of every cohort whose day has come, one task per
cohort once the transaction commits, so a cohort that fails does not hold up the others. It
also erases the contact form's messages older than ``CONTACT_MESSAGE_RETENTION_DAYS``
(home/services.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.matching.models import (
    MatchingSettings,
    MatchSuggestion,
    PairingComment,
    PairingRejection,
)
from cohorts.outbox.models import OutboxMessage
from cohorts.pairs.models import ConfidentialNote, ContactLog, Pair
from cohorts.program.models import Application, CohortPage
from cohorts.program.selectors import cohort_closed_on
from cohorts.program.surveys import cohort_surveys
from cohorts.reminders.models import CheckInAnswer
from cohorts.reports.models import CohortFigures
from cohorts.reports.selectors.reports import cohort_report, figures_from_report
from cohorts.reports.selectors.retention import (
    cohorts_due_for_erasure,
    erasure_counts,
    retention_erase_on,
)
from home.services import contact_messages_erase_expired

NOT_DUE = (
    "The personal data of {cohort} is kept until {until:%B %-d, %Y} and cannot be erased "
    "before then."
)
ERASE_TASK = "cohorts.reports.tasks.cohort_erase"


def cohort_personal_data_erase(
    *, cohort: CohortPage, today: datetime.date | None = None
) -> CohortFigures:
    """Store ``cohort``'s figures, then erase its personal data; returns the figures.

    Runs once: a cohort already erased is left alone and its stored figures returned, even
    when two workers race (the one-row-per-cohort constraint stops the second). Raises
    ``ValidationError`` (code ``not_due``) and writes nothing before the cohort's erasure
    day (``retention_erase_on``).
    """
    stored = CohortFigures.objects.filter(cohort=cohort).first()
    if stored is not None:
        return stored
    today = today or timezone.localdate()
    erase_on = retention_erase_on(cohort=cohort)
    if today < erase_on:
        until = erase_on - datetime.timedelta(days=1)
        raise ValidationError(NOT_DUE.format(cohort=cohort.title, until=until), code="not_due")
    try:
        with transaction.atomic():
            figures = _figures_store(cohort)
            _personal_data_delete(cohort)
    except IntegrityError:
        # Another worker erased the cohort meanwhile: its figures are the ones to keep.
        return CohortFigures.objects.get(cohort=cohort)
    return figures


def _figures_store(cohort: CohortPage) -> CohortFigures:
    """The report as it stands, with what is about to be erased, counted."""
    counts = erasure_counts(cohorts=[cohort])[cohort.pk]
    return CohortFigures.objects.create(
        cohort=cohort,
        cohort_title=cohort.title,
        program_year=cohort.formal_start.year,
        formal_start=cohort.formal_start,
        formal_end=cohort.formal_end,
        closed_on=cohort_closed_on(cohort=cohort),
        erased=counts.as_dict(),
        erased_at=timezone.now(),
        **figures_from_report(cohort_report(cohort=cohort)),
    )


def _personal_data_delete(cohort: CohortPage) -> None:
    """Every record of the cohort that names or was written by a member, most sensitive
    first; deleting the pairs takes their agreements, goals, requests and view log."""
    cohort_surveys().participations_delete(cohort=cohort)
    ConfidentialNote.objects.filter(pair__cohort=cohort).delete()
    ContactLog.objects.filter(pair__cohort=cohort).delete()
    # A check-in answer goes with the e-mail it answered.
    OutboxMessage.objects.filter(cohort=cohort).delete()
    CheckInAnswer.objects.filter(cohort=cohort).delete()
    Pair.objects.filter(cohort=cohort).delete()
    for model in (MatchSuggestion, PairingRejection, PairingComment):
        model.objects.filter(cohort=cohort).delete()
    Application.objects.filter(cohort=cohort).delete()
    MatchingSettings.objects.filter(cohort=cohort).update(unmatched={})


def retention_erase_due(*, today: datetime.date | None = None) -> list[int]:
    """Queue the erasure of each cohort whose erasure day has come, and erase the contact
    messages past their time; returns the cohorts' ids."""
    contact_messages_erase_expired()
    ids = [cohort.pk for cohort in cohorts_due_for_erasure(today=today)]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return ids


def _enqueue(ids: list[int]) -> None:
    from django_q.tasks import async_task

    for cohort_id in ids:
        async_task(ERASE_TASK, cohort_id)
