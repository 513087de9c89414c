"""Background work for the program's reminders, run by the django-q2 worker.

`reminders_dispatch` runs on the schedule that `manage.py setup_schedules` declares.
"""

from cohorts.reminders.services.dispatch import reminders_dispatch as _dispatch


def reminders_dispatch() -> dict[str, int]:
    """Write whatever reminder is due and not yet written, and queue everything waiting."""
    return _dispatch()
