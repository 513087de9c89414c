"""Reads of the yearly program, split by kind: cohorts (the stage selector, calendars, the
public timeline) and matching (the coordinators' workspace, who may see a pair)."""

from .cohorts import (
    CohortEvent,
    StageInfo,
    TimelineEntry,
    application_for_member,
    applications_are_open,
    cohort_application_page,
    cohort_calendar_build,
    cohort_closed_on,
    cohort_event,
    cohort_event_summary,
    cohort_events,
    cohort_public_context,
    cohort_stage,
    google_calendar_url,
)

__all__ = [
    "CohortEvent",
    "StageInfo",
    "TimelineEntry",
    "application_for_member",
    "applications_are_open",
    "cohort_application_page",
    "cohort_calendar_build",
    "cohort_closed_on",
    "cohort_event",
    "cohort_event_summary",
    "cohort_events",
    "cohort_public_context",
    "cohort_stage",
    "google_calendar_url",
]
