"""The yearly program's models, split by kind: pages (cohort index, cohort, application
page), applications, and matching with its pairs."""

from .applications import Application
from .pages import ApplicationPage, CohortIndexPage, CohortPage
from .pairs import MatchingSettings, MatchSuggestion, Pair, PairingComment, PairingRejection

__all__ = [
    "Application",
    "ApplicationPage",
    "CohortIndexPage",
    "CohortPage",
    "MatchSuggestion",
    "MatchingSettings",
    "Pair",
    "PairingComment",
    "PairingRejection",
]
