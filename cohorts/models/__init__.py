"""The yearly program's models, split by kind: pages (cohort index, cohort, application
page, pair dashboard), applications, matching with its pairs, the pair's shared record, and
confidential notes."""

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

__all__ = [
    "Application",
    "ApplicationPage",
    "ChangeRequest",
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
