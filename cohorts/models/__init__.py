"""The yearly program's models, split by kind: pages (cohort index, cohort, application
page, pair dashboard), applications, matching with its pairs, the pair's shared record, and
confidential notes, the program's e-mail (wording, outbox, opt-outs, check-in
answers, announcements), and the figures kept of a cohort once its personal data is erased."""

from .applications import Application
from .dashboard import PairDashboardPage
from .notes import ConfidentialNote
from .pages import ApplicationPage, CohortIndexPage, CohortPage
from .pairs import MatchingSettings, MatchSuggestion, Pair, PairingComment, PairingRejection
from .relationship import (
    ChangeRequest,
    ContactLog,
    PairAgreement,
    PairGoal,
    PairViewLog,
    SupportRequest,
)
from .reminders import (
    Announcement,
    CheckInAnswer,
    DispatchMark,
    OutboxMessage,
    ReminderOptOut,
    ReminderTemplate,
)
from .retention import CohortFigures

__all__ = [
    "Announcement",
    "CheckInAnswer",
    "DispatchMark",
    "OutboxMessage",
    "ReminderOptOut",
    "ReminderTemplate",
    "Application",
    "ApplicationPage",
    "ChangeRequest",
    "CohortFigures",
    "CohortIndexPage",
    "CohortPage",
    "ConfidentialNote",
    "ContactLog",
    "MatchSuggestion",
    "MatchingSettings",
    "Pair",
    "PairAgreement",
    "PairDashboardPage",
    "PairGoal",
    "PairViewLog",
    "PairingComment",
    "PairingRejection",
    "SupportRequest",
]
