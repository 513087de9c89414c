"""The Needs attention, Reports and Data retention entries of the coordinators' Mentoring menu."""

from django.urls import path
from wagtail.admin.viewsets.base import ViewSet

from cohorts.pairs.views.letter import LetterAdminView
from cohorts.program.surveys import cohort_surveys
from cohorts.reports.views.attention import AttentionIndexView
from cohorts.reports.views.reports import (
    VIEW_PERMISSION,
    CohortReportCsvView,
    CohortReportView,
    CompareCsvView,
    CompareView,
    ReportIndexView,
)
from cohorts.reports.views.retention import RetentionIndexView
from core.viewsets import OneScreenViewSet, menu_item_requiring


class ReportsViewSet(ViewSet):
    """The Reports entry of the Mentoring menu: each cohort's report, year on year, the
    exports, and the mentor's letter of service that coordinators issue from a pair's
    record (``cohorts_reports:letter``)."""

    name = "cohorts_reports"
    url_prefix = "mentoring/reports"
    icon = "table"
    menu_label = "Reports"
    menu_item_class = menu_item_requiring(VIEW_PERMISSION)

    def get_urlpatterns(self):
        return [
            path("", ReportIndexView.as_view(), name="index"),
            path("<int:cohort_id>/", CohortReportView.as_view(), name="cohort"),
            path("<int:cohort_id>/csv/", CohortReportCsvView.as_view(), name="cohort_csv"),
            path("year-on-year/", CompareView.as_view(), name="compare"),
            path("year-on-year/csv/", CompareCsvView.as_view(), name="compare_csv"),
            path("letter/<int:pair_id>/", LetterAdminView.as_view(), name="letter"),
            # The surveys' results ("survey", "survey_csv"), from the surveys app.
            *cohort_surveys().report_urls(),
        ]


class RetentionViewSet(OneScreenViewSet):
    """The Data retention entry of the Mentoring menu."""

    name = "cohorts_retention"
    url_prefix = "mentoring/retention"
    icon = "history"
    menu_label = "Data retention"
    view_class = RetentionIndexView


class AttentionViewSet(OneScreenViewSet):
    """The Needs attention entry of the Mentoring menu."""

    name = "cohorts_attention"
    url_prefix = "mentoring/attention"
    icon = "warning"
    menu_label = "Needs attention"
    view_class = AttentionIndexView
