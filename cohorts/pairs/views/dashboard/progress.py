"""A pair's progress against the year, in the dashboard's words."""

from dataclasses import dataclass

from cohorts.pairs.models import Pair
from cohorts.pairs.selectors.pairs import Progress, pair_progress
from core.formatting import day_display, hours_display, minutes_as_hours

# How the pair is doing against the year, for people: (label, style, one sentence).
PACE = {
    "met": (
        "Minimum met",
        "met",
        "You have reached the program's minimum of {minimum} hours. Keep meeting for as "
        "long as it helps you both.",
    ),
    "on track": (
        "On track",
        "on-track",
        "You have logged at least the {expected} hours expected by this point in the year.",
    ),
    "behind": (
        "Behind",
        "behind",
        "About {expected} hours of contact are expected by this point in the year: plan "
        "your next meeting soon.",
    ),
    "ended": (
        "Ended",
        "not-started",
        "The pair ended before the program's minimum of {minimum} hours.",
    ),
    "not started": (
        "Not started",
        "not-started",
        "Formal mentoring starts on {start}; contacts count from then.",
    ),
}


@dataclass(frozen=True)
class ProgressSummary:
    """A pair's progress as the dashboard words it: "1.5 of 2 hours", the pace, why."""

    progress: Progress
    hours: str
    minimum_hours: str
    label: str
    style: str
    explanation: str
    by_method: list[tuple[str, str]]


def progress_summary(*, pair: Pair) -> ProgressSummary:
    progress = pair_progress(pair=pair)
    label, style, sentence = PACE[progress.pace]
    minimum = hours_display(pair.cohort.minimum_contact_hours)
    return ProgressSummary(
        progress=progress,
        hours=hours_display(progress.hours),
        minimum_hours=minimum,
        label=label,
        style=style,
        explanation=sentence.format(
            minimum=minimum,
            expected=minutes_as_hours(progress.expected_minutes),
            start=day_display(pair.cohort.formal_start),
        ),
        by_method=[(name, minutes_as_hours(minutes)) for name, minutes in progress.by_method],
    )
