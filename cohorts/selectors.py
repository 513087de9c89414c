"""Reads about cohorts: which stage a cohort is in at a given moment.

cohort_stage is the one place the program's calendar rules live: every page and task
asks it, never the dates directly. Dates are whole days in the site's time zone
(settings.TIME_ZONE): applications close at the end of the deadline day there.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .choices import Stage


@dataclass(frozen=True)
class StageInfo:
    stage: Stage
    # The last day of this stage (inclusive), or None for the last stage.
    until: datetime.date | None
    # The first day of this stage, or None for the first.
    since: datetime.date | None

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def summary(self) -> str:
        """A sentence for the public, e.g. "Applications open until March 17"."""
        if self.stage == Stage.UPCOMING:
            return f"Applications open on {_day(self.until + datetime.timedelta(days=1))}"
        if self.until:
            return f"{self.stage.label} until {_day(self.until)}"
        return self.stage.label


def _day(date: datetime.date) -> str:
    return f"{date:%B} {date.day}, {date.year}"


def cohort_stage(*, cohort, at: datetime.datetime | None = None) -> StageInfo:
    """The stage a cohort is in at a moment (now by default), with the days it spans."""
    today = timezone.localdate(at) if at else timezone.localdate()
    day = datetime.timedelta(days=1)
    # Each stage starts on its first day; the next one starts the day after it ends.
    starts = [
        (Stage.APPLICATIONS_OPEN, cohort.applications_open),
        (Stage.MATCHING, cohort.application_deadline + day),
        (Stage.ORIENTATION, cohort.pairing_completed_by + day),
        (Stage.IN_PROGRESS, cohort.formal_start),
        (Stage.ENDED, cohort.formal_end + day),
    ]
    current, since, until = Stage.UPCOMING, None, cohort.applications_open - day
    for index, (stage, first_day) in enumerate(starts):
        if today < first_day:
            break
        current, since = stage, first_day
        following = starts[index + 1][1] if index + 1 < len(starts) else None
        until = following - day if following else None
    return StageInfo(stage=current, until=until, since=since)


def applications_are_open(*, cohort, at: datetime.datetime | None = None) -> bool:
    return cohort_stage(cohort=cohort, at=at).stage == Stage.APPLICATIONS_OPEN
