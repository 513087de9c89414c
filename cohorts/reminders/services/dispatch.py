"""The dispatcher: every few minutes it writes whatever dated reminder is due and not yet
written (once per kind, cohort and period, whatever runs at the same moment), then queues
delivery of every outbox row waiting."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.outbox.services import outbox_add, outbox_enqueue_waiting, outbox_mark_interrupted
from cohorts.reminders.due import reminders_due
from cohorts.reminders.models import DispatchMark


def send_day(now: datetime.datetime) -> datetime.date:
    """The day whose reminders are due at `now`: today from REMINDERS_SEND_HOUR (site time),
    yesterday before it, so dated reminders arrive in the morning, not at midnight."""
    local = timezone.localtime(now)
    hour = getattr(settings, "REMINDERS_SEND_HOUR", 8)
    return local.date() if local.hour >= hour else local.date() - datetime.timedelta(days=1)


def reminders_dispatch(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Write every due dated reminder not yet written, then queue everything waiting."""
    now = now or timezone.now()
    interrupted = outbox_mark_interrupted(now=now)
    written = 0
    marks = set(DispatchMark.objects.values_list("kind", "cohort_id", "period"))
    for due in reminders_due(today=send_day(now)):
        if (due.kind, due.cohort.pk, due.period) in marks:
            continue
        written += _dispatch_one(due)
    queued = outbox_enqueue_waiting(now=now)
    return {"written": written, "queued": queued, "interrupted": interrupted}


def _dispatch_one(due) -> int:
    try:
        with transaction.atomic():
            DispatchMark.objects.create(kind=due.kind, cohort=due.cohort, period=due.period)
            return len(
                outbox_add(
                    kind=due.kind,
                    cohort=due.cohort,
                    period=due.period,
                    recipients=due.recipients(),
                    per_object=due.per_object,
                )
            )
    except IntegrityError:
        # Another dispatcher wrote this reminder at the same moment.
        return 0
