"""The program's reports in the Wagtail admin, under the coordinators' Mentoring menu.

For each cohort, whether the program met its goals (cohorts.reports.selectors.reports counts every
figure in the database); the same figures of every cohort side by side, year on year; and a
CSV export of each. Charts are bar charts drawn here as inline SVG, each followed by a table
of its numbers, so the page needs no JavaScript and nothing from another site. Coordinators
and the chair (``cohorts.view_pair``) see the reports; nobody else does.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from cohorts.choices import ApplicationStatus, CheckInAnswerChoice, ConferenceMeeting, Role
from cohorts.program.models import CohortPage
from cohorts.reports.selectors.reports import (
    ALL_ROLES,
    CONTINUING,
    ENDED_EARLY,
    FORMED,
    MINIMUM_MET,
    ON_TIME,
    CohortReport,
    Figure,
    cohort_report,
    cohorts_for_reports,
    reports_compare,
)
from core.formatting import hours_display
from core.spreadsheets import csv_cell

VIEW_PERMISSION = "cohorts.view_pair"
NOT_A_NUMBER = "—"


def shown(value) -> str:
    """A figure as the report shows it: 2.0 hours as "2", a missing share as a dash."""
    if value is None:
        return NOT_A_NUMBER
    if isinstance(value, Decimal):
        return hours_display(value)
    return str(value)


# ---- Bar charts, drawn as SVG ------------------------------------------------------------------

CHART_WIDTH = 640
BAR_SPACE = 560  # the rest of the width is left for the number after the longest bar
ROW_HEIGHT = 44
BAR_HEIGHT = 16


@dataclass(frozen=True)
class Bar:
    """One bar: its label above it, its length and the number after it, in SVG units."""

    label: str
    shown: str
    top: int
    length: str

    @property
    def label_y(self) -> int:
        return self.top + 14

    @property
    def bar_y(self) -> int:
        return self.top + 20

    @property
    def value_x(self) -> str:
        return f"{float(self.length) + 6:.1f}"

    @property
    def value_y(self) -> int:
        return self.top + 33


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart with a table of the same numbers; the template is
    cohorts/reports/bar_chart.html. ``key`` makes its element ids unique on the page."""

    key: str
    title: str
    label_heading: str
    value_heading: str
    bars: list[Bar]

    width = CHART_WIDTH
    bar_height = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT


def bar_chart(
    *, key: str, title: str, rows: list[tuple[str, object]], label_heading: str, value_heading: str
) -> BarChart:
    """A chart of (label, value) rows; bars are scaled to the largest value."""
    largest = max((float(value or 0) for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        length = BAR_SPACE * float(value or 0) / largest if largest else 0
        bars.append(Bar(label, shown(value), index * ROW_HEIGHT, f"{length:.1f}"))
    return BarChart(key, title, label_heading, value_heading, bars)


def report_charts(report: CohortReport) -> dict[str, BarChart]:
    """The report's charts, by the section they illustrate."""
    statuses = [
        (label, report.applications_with(status=value))
        for value, label in ApplicationStatus.choices
    ]
    pairs = [
        (FORMED, report.formed),
        (ON_TIME, report.on_time),
        (MINIMUM_MET, report.minimum_met),
        (ENDED_EARLY, report.ended_early),
        (CONTINUING, report.continuing),
    ]
    checkins = [
        (f"{period}: {answer}", count)
        for period, counts in report.checkin_periods()
        for answer, count in zip(CheckInAnswerChoice.labels, counts, strict=True)
    ]
    return {
        "applications": bar_chart(
            key="applications",
            title="Applications by status",
            rows=statuses,
            label_heading="Status",
            value_heading="Applications",
        ),
        "pairs": bar_chart(
            key="pairs", title="Pairs", rows=pairs, label_heading="Pairs", value_heading="Number"
        ),
        "hours": bar_chart(
            key="hours",
            title="Hours by contact method",
            rows=report.hours_by_method(),
            label_heading="Contact method",
            value_heading="Hours",
        ),
        "checkins": bar_chart(
            key="checkins",
            title="Check-in answers",
            rows=checkins,
            label_heading="Check-in and answer",
            value_heading="Answers",
        ),
    }


def application_rows(report: CohortReport) -> list[tuple[str, list[int], int]]:
    """(role, [applications in each status], all of that role), then every role together."""
    rows = []
    for role, label in [*Role.choices, (None, ALL_ROLES)]:
        counts = [
            report.applications_with(role=role, status=status)
            for status in ApplicationStatus.values
        ]
        rows.append((label, counts, sum(counts)))
    return rows


# ---- CSV --------------------------------------------------------------------------------------


def _cell(value) -> object:
    """A CSV cell: numbers as they are, missing ones empty, formula-looking text made safe."""
    return "" if value is None else csv_cell(value)


def csv_response(*, filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([_cell(value) for value in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


def _today() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


# ---- The screens ------------------------------------------------------------------------------


class ReportsMixin:
    """Only coordinators and the chair (``cohorts.view_pair``) see the reports."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReportsPageMixin(ReportsMixin, WagtailAdminTemplateMixin):
    header_icon = "table"
    http_method_names = ["get", "head", "options"]

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("cohorts_reports:index"), "label": "Reports"},
        ]
        return [*items, {"url": "", "label": self.get_header_title()}]


class ReportIndexView(ReportsPageMixin, TemplateView):
    """Every cohort, newest first, with its report and export, and the year-on-year view."""

    template_name = "cohorts/reports/index.html"
    page_title = "Reports"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_header_buttons(self):
        url = reverse("cohorts_reports:compare")
        return [HeaderButton("Year on year", url, icon_name="table")]

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohorts=cohorts_for_reports(), **kwargs)


class CohortReportMixin(ReportsMixin):
    @cached_property
    def cohort(self) -> CohortPage:
        return get_object_or_404(CohortPage, pk=self.kwargs["cohort_id"])


class CohortReportView(CohortReportMixin, ReportsPageMixin, TemplateView):
    """Did the cohort meet the program's goals: its figures, charts and tables."""

    template_name = "cohorts/reports/cohort_report.html"
    page_title = "Report"

    def get_page_subtitle(self):
        return self.cohort.title

    def get_header_buttons(self):
        csv_url = reverse("cohorts_reports:cohort_csv", args=[self.cohort.pk])
        return [
            HeaderButton("Download CSV", csv_url, icon_name="download", priority=10),
            HeaderButton("Year on year", reverse("cohorts_reports:compare"), icon_name="table"),
        ]

    def get_context_data(self, **kwargs):
        report = cohort_report(cohort=self.cohort)
        return super().get_context_data(
            report=report,
            cohort=self.cohort,
            charts=report_charts(report),
            application_rows=application_rows(report),
            statuses=ApplicationStatus.labels,
            answers=CheckInAnswerChoice.labels,
            hours=shown(report.hours),
            minimum_hours=hours_display(self.cohort.minimum_contact_hours),
            on_time_percent=shown(report.on_time_percent),
            minimum_met_percent=shown(report.minimum_met_percent),
            conference_rows=[
                (label, report.conference_meetings.get(value, 0))
                for value, label in ConferenceMeeting.choices
            ],
            surveys=[
                (rate.survey, rate.invited, rate.responses, shown(rate.percent))
                for rate in report.surveys
            ],
            **kwargs,
        )


class CohortReportCsvView(CohortReportMixin, View):
    """The cohort's figures as CSV: one row per figure (section, label, value)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, cohort_id: int):
        figures: list[Figure] = cohort_report(cohort=self.cohort).figures()
        return csv_response(
            filename=f"report-{self.cohort.slug}-{_today()}.csv",
            header=["Section", "Label", "Value"],
            rows=([figure.section, figure.label, figure.value] for figure in figures),
        )


class CompareView(ReportsPageMixin, TemplateView):
    """The figures of every cohort side by side, newest first: one column per cohort."""

    template_name = "cohorts/reports/compare.html"
    page_title = "Year on year"

    def get_header_buttons(self):
        url = reverse("cohorts_reports:compare_csv")
        return [HeaderButton("Download CSV", url, icon_name="download")]

    def get_context_data(self, **kwargs):
        cohorts = list(cohorts_for_reports())
        rows = reports_compare(cohorts=cohorts)
        sections = []
        for row in rows:
            if not sections or sections[-1][0] != row.section:
                sections.append((row.section, []))
            sections[-1][1].append((row.label, [shown(value) for value in row.values]))
        return super().get_context_data(cohorts=cohorts, sections=sections, **kwargs)


class CompareCsvView(ReportsMixin, View):
    """The year-on-year table as CSV: section, label, then one column per cohort."""

    http_method_names = ["get", "head", "options"]

    def get(self, request):
        cohorts = list(cohorts_for_reports())
        return csv_response(
            filename=f"reports-year-on-year-{_today()}.csv",
            header=["Section", "Label", *(cohort.title for cohort in cohorts)],
            rows=(
                [row.section, row.label, *row.values] for row in reports_compare(cohorts=cohorts)
            ),
        )
