"""Reads about the outbox for the coordinators' screens."""

from cohorts.choices import OutboxStatus
from cohorts.outbox.models import OutboxMessage


def outbox_failed_count() -> int:
    """How many messages failed and wait for a coordinator to look at them."""
    return OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count()
