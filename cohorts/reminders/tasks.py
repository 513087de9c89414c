"""Background work for the program's e-mail, run by the django-q2 worker.

`reminders_dispatch` runs on the schedule that `manage.py setup_schedules` declares; the
delivery tasks are queued by cohorts.outbox.services with outbox ids only.
"""

from cohorts.outbox.services import outbox_deliver as _deliver
from cohorts.outbox.services import reminders_dispatch as _dispatch


def reminders_dispatch() -> dict[str, int]:
    """Write whatever reminder is due and not yet written, and queue everything waiting."""
    return _dispatch()


def outbox_deliver(ids: list[int]) -> int:
    """Send the queued outbox rows among `ids`."""
    return _deliver(ids=ids)
