"""Background work for data retention, run by the django-q2 worker.

`retention_erase_due` runs daily on the schedule that `manage.py setup_schedules` declares;
it queues `cohort_erase` once per cohort whose erasure day has come, with its id only, and
erases the contact form's messages older than CONTACT_MESSAGE_RETENTION_DAYS.
"""

from cohorts.program.models import CohortPage
from cohorts.reports.services import cohort_personal_data_erase
from cohorts.reports.services import retention_erase_due as _erase_due


def retention_erase_due() -> list[int]:
    """Queue the erasure of every cohort past its retention period, and erase the contact
    messages past theirs."""
    return _erase_due()


def cohort_erase(cohort_id: int) -> int | None:
    """Erase one cohort's personal data, keeping its figures; returns the figures' id, or
    None when the cohort no longer exists."""
    cohort = CohortPage.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return None
    return cohort_personal_data_erase(cohort=cohort).pk
