"""Every model of the ``cohorts`` app, gathered from its features so Django finds them.

Each feature package keeps its own models (``cohorts/<feature>/models``) and code imports
them from there; this module is for Django's app registry, and for tests and scripts that
want every model at hand. Nothing inside ``cohorts`` imports it.
"""

from cohorts.matching.models import (
    MatchingSettings,
    MatchSuggestion,
    PairingComment,
    PairingRejection,
)
from cohorts.outbox.models import OutboxMessage, ReminderOptOut
from cohorts.pairs.models import (
    ChangeRequest,
    ConfidentialNote,
    ContactLog,
    Pair,
    PairAgreement,
    PairDashboardPage,
    PairGoal,
    PairViewLog,
    SupportRequest,
)
from cohorts.program.models import Application, ApplicationPage, CohortIndexPage, CohortPage
from cohorts.reminders.models import Announcement, CheckInAnswer, DispatchMark, ReminderTemplate
from cohorts.reports.models import CohortFigures

__all__ = [
    "Announcement",
    "Application",
    "ApplicationPage",
    "ChangeRequest",
    "CheckInAnswer",
    "CohortFigures",
    "CohortIndexPage",
    "CohortPage",
    "ConfidentialNote",
    "ContactLog",
    "DispatchMark",
    "MatchSuggestion",
    "MatchingSettings",
    "OutboxMessage",
    "Pair",
    "PairAgreement",
    "PairDashboardPage",
    "PairGoal",
    "PairViewLog",
    "PairingComment",
    "PairingRejection",
    "ReminderOptOut",
    "ReminderTemplate",
    "SupportRequest",
]
