"""The matching screens: the workspace (workspace.py), a pairing's review (review.py), and
the cohorts, the weights and publishing (screens.py)."""

from cohorts.matching.views.base import CHANGE_PERMISSION, VIEW_PERMISSION, MatchingMixin
from cohorts.matching.views.review import PairingReviewView
from cohorts.matching.views.screens import (
    MatchingIndexView,
    MatchingSettingsForm,
    MatchingSettingsView,
    PublishView,
)
from cohorts.matching.views.workspace import WorkspaceView

__all__ = [
    "CHANGE_PERMISSION",
    "VIEW_PERMISSION",
    "MatchingIndexView",
    "MatchingMixin",
    "MatchingSettingsForm",
    "MatchingSettingsView",
    "PairingReviewView",
    "PublishView",
    "WorkspaceView",
]
