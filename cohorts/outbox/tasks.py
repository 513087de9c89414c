"""Background work of the outbox, run by the django-q2 worker: delivery tasks are queued by
cohorts.outbox.services with outbox ids only."""

from cohorts.outbox.services import outbox_deliver as _deliver


def outbox_deliver(ids: list[int]) -> int:
    """Send the queued outbox rows among `ids`."""
    return _deliver(ids=ids)
