"""Reads about cohorts: which stage a cohort is in at a given moment.

cohort_stage is the one place the program's calendar rules live: every page and task
asks it, never the dates directly. Dates are whole days in the site's time zone
(settings.TIME_ZONE): applications close at the end of the deadline day there.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

import icalendar
from django.utils import timezone

from cohorts.choices import Stage
from core.formatting import day_display


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
            return f"Applications open on {day_display(self.until + datetime.timedelta(days=1))}"
        if self.until:
            return f"{self.stage.label} until {day_display(self.until)}"
        return self.stage.label


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


def cohort_closed_on(*, cohort) -> datetime.date:
    """The cohort's last day: the formal end, or the final survey's closing day when that is
    later (the seed's cycle closes it on May 15, two weeks after the April 30 end). After it
    nothing of the year is open to members; the retention period counts from it."""
    return max(cohort.formal_end, cohort.final_survey_closes)


def applications_are_open(*, cohort, at: datetime.datetime | None = None) -> bool:
    return cohort_stage(cohort=cohort, at=at).stage == Stage.APPLICATIONS_OPEN


# ---- The timeline as events: the public page, its calendar file and "Add to calendar" ----

GOOGLE_CALENDAR_URL = "https://calendar.google.com/calendar/render"
# How long the orientation call is shown in calendars; the page gives only its start time.
ORIENTATION_LENGTH = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class CohortEvent:
    """One dated step of a cohort's year, as the public timeline and calendars show it.

    All-day events span start to end (both inclusive); an event with a time starts then,
    in the site's time zone, and lasts ORIENTATION_LENGTH.
    """

    slug: str
    title: str
    start: datetime.date
    end: datetime.date | None = None
    time: datetime.time | None = None
    details: str = ""

    @property
    def last_day(self) -> datetime.date:
        return self.end or self.start

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The start as an aware datetime in the site's time zone, for timed events."""
        if self.time is None:
            return None
        naive = datetime.datetime.combine(self.start, self.time)
        return timezone.make_aware(naive, timezone.get_default_timezone())


def cohort_events(*, cohort) -> list[CohortEvent]:
    """The cohort's timeline in date order: the one list the page and calendars use."""
    events = [
        CohortEvent("applications-open", "Applications open", cohort.applications_open),
        CohortEvent(
            "application-deadline",
            "Application deadline",
            cohort.application_deadline,
            details="Applications close at the end of this day.",
        ),
        CohortEvent(
            "pairing-completed", "Mentors and mentees paired by", cohort.pairing_completed_by
        ),
        CohortEvent(
            "orientation",
            "Orientation and training",
            cohort.orientation_date,
            time=cohort.orientation_time,
            details=cohort.orientation_details,
        ),
        CohortEvent("formal-start", "Formal mentoring starts", cohort.formal_start),
        CohortEvent(
            "midway-survey",
            "Mid-way survey",
            cohort.midway_survey_opens,
            end=cohort.midway_survey_closes,
        ),
        CohortEvent(
            "final-survey",
            "Final survey",
            cohort.final_survey_opens,
            end=cohort.final_survey_closes,
        ),
        CohortEvent("formal-end", "Formal mentoring ends", cohort.formal_end),
    ]
    return sorted(events, key=lambda event: (event.start, event.last_day))


def cohort_event(*, cohort, slug: str) -> CohortEvent | None:
    return next((event for event in cohort_events(cohort=cohort) if event.slug == slug), None)


def cohort_event_summary(*, event: CohortEvent, cohort, program_name: str) -> str:
    """The calendar entry's title, e.g. "Application deadline: Mentoring Program, 2027 cohort"."""
    owner = ", ".join(part for part in (program_name, cohort.title) if part)
    return f"{event.title}: {owner}"


def google_calendar_url(*, event: CohortEvent, summary: str) -> str:
    """A Google Calendar "add event" link (its documented TEMPLATE action)."""
    if event.starts_at:
        start = event.starts_at.replace(tzinfo=None)
        dates = f"{start:%Y%m%dT%H%M%S}/{start + ORIENTATION_LENGTH:%Y%m%dT%H%M%S}"
    else:
        dates = f"{event.start:%Y%m%d}/{event.last_day + datetime.timedelta(days=1):%Y%m%d}"
    query = {"action": "TEMPLATE", "text": summary, "dates": dates}
    if event.details:
        query["details"] = event.details
    if event.starts_at:
        query["ctz"] = str(timezone.get_default_timezone())
    return f"{GOOGLE_CALENDAR_URL}?{urlencode(query)}"


def cohort_application_page(*, cohort):
    """The cohort's live application page, or None."""
    from cohorts.program.models import ApplicationPage

    return ApplicationPage.objects.child_of(cohort).live().first()


def cohort_calendar_build(
    *, cohort, events: list[CohortEvent], program_name: str, host: str
) -> icalendar.Calendar:
    """An iCalendar (RFC 5545) with one VEVENT per event.

    UIDs are "<event>-<page id>@<host>", so a calendar that imports the file again
    updates its entries instead of duplicating them.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{program_name or 'Mentoring Program'}//Cohort calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add(
        "x-wr-calname", f"{program_name}: {cohort.title}" if program_name else cohort.title
    )
    stamp = timezone.now().astimezone(datetime.UTC)
    for event in events:
        calendar.add_component(
            _vevent(event, cohort=cohort, program_name=program_name, host=host, stamp=stamp)
        )
    # Timed events carry a TZID; the matching VTIMEZONE makes the file self-contained.
    # Its rules are written out for the cohort's own years only, to keep the file small.
    if events:
        first = min(event.start for event in events)
        last = max(event.last_day for event in events)
        calendar.add_missing_timezones(
            first_date=first.replace(month=1, day=1),
            last_date=datetime.date(last.year + 1, 12, 31),
        )
    return calendar


def _vevent(event: CohortEvent, *, cohort, program_name, host, stamp) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.slug}-{cohort.pk}@{host}")
    vevent.add("dtstamp", stamp)
    vevent.add(
        "summary", cohort_event_summary(event=event, cohort=cohort, program_name=program_name)
    )
    if event.starts_at:
        vevent.add("dtstart", event.starts_at)
        vevent.add("dtend", event.starts_at + ORIENTATION_LENGTH)
    else:
        # All-day events end on the day after their last day (DTEND is exclusive).
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.last_day + datetime.timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")
    if event.details:
        vevent.add("description", event.details)
    return vevent


@dataclass(frozen=True)
class TimelineEntry:
    """An event as the public page lists it, with its "Add to calendar" link."""

    event: CohortEvent
    google_calendar_url: str
    is_past: bool


def cohort_public_context(*, cohort, at: datetime.datetime | None = None) -> dict:
    """What the public cohort page shows: the stage, the timeline and the way to apply."""
    from home.models import SiteSettings

    stage = cohort_stage(cohort=cohort, at=at)
    site = cohort.get_site()
    program_name = SiteSettings.for_site(site).program_name if site else ""
    today = timezone.localdate(at) if at else timezone.localdate()
    timeline = [
        TimelineEntry(
            event=event,
            google_calendar_url=google_calendar_url(
                event=event,
                summary=cohort_event_summary(
                    event=event, cohort=cohort, program_name=program_name
                ),
            ),
            is_past=event.last_day < today,
        )
        for event in cohort_events(cohort=cohort)
    ]
    is_open = stage.stage == Stage.APPLICATIONS_OPEN
    return {
        "stage": stage,
        "timeline": timeline,
        "application_page": cohort_application_page(cohort=cohort) if is_open else None,
        "time_zone": str(timezone.get_default_timezone()),
    }


# ---- The home page's season: the cohort that matters now and its one action ----

SEASON_NEXT_DATES = 3


@dataclass(frozen=True)
class Season:
    """What the home page says of the program now: the cohort that matters, its stage, its
    next dates and the one thing to do, all read from the cohort's own dates."""

    cohort: object
    stage: StageInfo
    next_events: list[CohortEvent]
    action_label: str
    action_url: str
    # A later cohort already published while this one is under way or over.
    next_cohort: object | None = None
    next_cohort_stage: StageInfo | None = None


def _season_cohort(staged: list[tuple[object, StageInfo]]):
    by_stage = {}
    for cohort, stage in staged:
        by_stage.setdefault(stage.stage, []).append((cohort, stage))
    if Stage.APPLICATIONS_OPEN in by_stage:
        return min(by_stage[Stage.APPLICATIONS_OPEN], key=lambda cs: cs[0].application_deadline)
    active = [
        item
        for name in (Stage.MATCHING, Stage.ORIENTATION, Stage.IN_PROGRESS)
        for item in by_stage.get(name, [])
    ]
    if active:
        return max(active, key=lambda cs: cs[0].applications_open)
    if Stage.UPCOMING in by_stage:
        return min(by_stage[Stage.UPCOMING], key=lambda cs: cs[0].applications_open)
    if Stage.ENDED in by_stage:
        return max(by_stage[Stage.ENDED], key=lambda cs: cs[0].formal_end)
    return None


def _season_action(*, cohort, stage: StageInfo) -> tuple[str, str]:
    if stage.stage == Stage.APPLICATIONS_OPEN:
        application_page = cohort_application_page(cohort=cohort)
        if application_page is not None:
            return f"Apply to the {cohort.title}", application_page.url
    if stage.stage == Stage.ORIENTATION:
        orientation = cohort.url + cohort.reverse_subpage("calendar_event", args=["orientation"])
        return "Add the orientation to your calendar", orientation
    if stage.stage == Stage.MATCHING:
        return "How mentors and mentees are paired", cohort.url
    if stage.stage == Stage.UPCOMING:
        return "See the year’s dates", cohort.url
    return f"About the {cohort.title}", cohort.url


def program_season(*, at: datetime.datetime | None = None) -> Season | None:
    """The season shown on the home page, or None when no cohort is published.

    The cohort that matters is the one taking applications; else the newest whose year is
    under way (matching, orientation, formal mentoring); else the next to open; else the
    last to have ended. A later published cohort is named beside one under way or over."""
    from cohorts.program.models import CohortPage

    today = timezone.localdate(at) if at else timezone.localdate()
    cohorts = list(CohortPage.objects.live().public().order_by("applications_open"))
    staged = [(cohort, cohort_stage(cohort=cohort, at=at)) for cohort in cohorts]
    chosen = _season_cohort(staged)
    if chosen is None:
        return None
    cohort, stage = chosen
    following = None
    if stage.stage not in (Stage.APPLICATIONS_OPEN, Stage.UPCOMING):
        upcoming = [
            item
            for item in staged
            if item[1].stage == Stage.UPCOMING and item[0].applications_open > cohort.formal_start
        ]
        following = upcoming[0] if upcoming else None
    label, url = _season_action(cohort=cohort, stage=stage)
    next_events = [event for event in cohort_events(cohort=cohort) if event.last_day >= today]
    return Season(
        cohort=cohort,
        stage=stage,
        next_events=next_events[:SEASON_NEXT_DATES],
        action_label=label,
        action_url=url,
        next_cohort=following[0] if following else None,
        next_cohort_stage=following[1] if following else None,
    )


def application_for_member(*, cohort, user):
    """The member's application to this cohort, if any: one per member per cohort."""
    from cohorts.program.models import Application

    return Application.objects.filter(cohort=cohort, applicant=user).first()
