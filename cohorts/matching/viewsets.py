"""The Matching entry of the coordinators' Mentoring menu and its URLs."""

from django.urls import path
from wagtail.admin.viewsets.base import ViewSet

from cohorts.matching.views import (
    VIEW_PERMISSION,
    MatchingIndexView,
    MatchingSettingsView,
    PairingReviewView,
    PublishView,
    WorkspaceView,
)
from core.viewsets import menu_item_requiring


class MatchingViewSet(ViewSet):
    """The Matching entry of the Mentoring menu: the cohorts, then one workspace each."""

    name = "cohorts_matching"
    url_prefix = "mentoring/matching"
    icon = "group"
    menu_label = "Matching"
    menu_item_class = menu_item_requiring(VIEW_PERMISSION)

    def get_urlpatterns(self):
        return [
            path("", MatchingIndexView.as_view(), name="index"),
            path("<int:cohort_id>/", WorkspaceView.as_view(), name="workspace"),
            path("<int:cohort_id>/settings/", MatchingSettingsView.as_view(), name="settings"),
            path("<int:cohort_id>/publish/", PublishView.as_view(), name="publish"),
            path("<int:cohort_id>/compare/", PairingReviewView.as_view(), name="review"),
        ]
