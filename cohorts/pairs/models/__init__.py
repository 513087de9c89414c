"""A published pair's models: the pair, its shared record (contacts, agreement, goals,
requests for help and for a change of partner, the audit of who opened it), its members'
confidential notes, and the dashboard page that serves it."""

from cohorts.pairs.models.dashboard import PairDashboardPage
from cohorts.pairs.models.notes import ConfidentialNote
from cohorts.pairs.models.pairs import Pair
from cohorts.pairs.models.relationship import (
    ChangeRequest,
    ContactLog,
    PairAgreement,
    PairGoal,
    PairViewLog,
    SupportRequest,
)

__all__ = [
    "ChangeRequest",
    "ConfidentialNote",
    "ContactLog",
    "Pair",
    "PairAgreement",
    "PairDashboardPage",
    "PairGoal",
    "PairViewLog",
    "SupportRequest",
]
