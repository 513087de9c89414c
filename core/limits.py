"""Counting what someone does against a limit, in the cache every process shares, with
django-ratelimit: its fixed windows, one per limit and key, each ending at its own time.
https://django-ratelimit.readthedocs.io/en/stable/usage.html#core-methods

Services call ``limit_consume`` with the key of whoever acts (a member's id, a client's
address), so the same rule holds whichever page, task or command calls them.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class LimitUsage:
    """One use counted: whether it is within the limit, and when the window ends."""

    allowed: bool
    limit: int
    resets_at: datetime.datetime


def limit_consume(*, group: str, key: str, limit: int, period: str) -> LimitUsage:
    """Count one use of ``group`` by ``key``: at most ``limit`` per ``period`` ("h" for an
    hour, "d" for a day). A use over the limit is counted too, so hammering does not help."""
    usage = get_usage(
        None,
        group=group,
        key=lambda _group, _request: key,
        rate=f"{limit}/{period}",
        increment=True,
    )
    now = timezone.now()
    if usage is None:  # RATELIMIT_ENABLE is off
        return LimitUsage(allowed=True, limit=limit, resets_at=now)
    resets_at = now + datetime.timedelta(seconds=max(usage["time_left"], 0))
    return LimitUsage(allowed=not usage["should_limit"], limit=limit, resets_at=resets_at)
