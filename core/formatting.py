"""How dates and hours read wherever the portal shows them: pages, e-mails, exports."""

import datetime
from decimal import Decimal

HOURS_STEP = Decimal("0.1")


def day_display(date: datetime.date) -> str:
    """ "March 15, 2027": the month's name, the day without a leading zero, the year."""
    return f"{date:%B} {date.day}, {date.year}"


def hours_from_minutes(minutes: int | None) -> Decimal:
    """Minutes as hours to one decimal place (none counts as 0): 90 becomes 1.5."""
    return (Decimal(minutes or 0) / 60).quantize(HOURS_STEP)


def hours_display(hours: Decimal | int | float | None) -> str:
    """Hours without a needless decimal: 2.0 becomes "2", 2.5 stays "2.5"; None is empty."""
    if hours is None:
        return ""
    return f"{Decimal(str(hours)).normalize():f}"


def minutes_as_hours(minutes: int | None) -> str:
    """``hours_from_minutes`` as text: 90 minutes read "1.5", 120 read "2"."""
    return hours_display(hours_from_minutes(minutes))


def moment_display(moment: datetime.datetime) -> str:
    """A moment in the program's time zone: "3:45 p.m." today, "March 15 at 3:45 p.m." on
    another day (when a limit lets someone try again)."""
    from django.utils import timezone
    from django.utils.dateformat import time_format

    local = timezone.localtime(moment)
    clock = time_format(local, "g:i a")
    if local.date() == timezone.localdate():
        return clock
    return f"{local:%B} {local.day} at {clock}"
