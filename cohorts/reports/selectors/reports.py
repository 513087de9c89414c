"""Reads for the subcommittee's reports.

``cohort_reports`` answers "did the program meet its goals" for one cohort or many: the
applications, the pairs formed and published on time, the pairs that reached the minimum
hours, hours by contact method, conference meetings, changes of partner and withdrawals, the
check-in answers and the survey response rates. Every figure is counted or summed in the
database and grouped by cohort, so a report costs the same few queries for ten pairs or five
hundred, and for one cohort or all of them. Only counts, sums and dates are read: never a
contact's summary, a note or any other text a member wrote.

Once a cohort's personal data has been erased (cohorts.reports.services), its report is
read from the figures stored at that moment (``CohortFigures``), so the report and the
year-on-year table show the same figures before and after.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from cohorts.choices import (
    AfterEnd,
    ApplicationStatus,
    ChangeRequestStatus,
    CheckInAnswerChoice,
    CheckInCadence,
    ConferenceMeeting,
    PairStatus,
    Role,
)
from cohorts.pairs.models import ChangeRequest, ContactLog, Pair
from cohorts.pairs.models.pairs import FORMED_STATUSES
from cohorts.program.models import Application, CohortPage
from cohorts.program.surveys import cohort_surveys
from cohorts.reminders.models import CheckInAnswer
from cohorts.reports.models import REPORT_COUNTS, CohortFigures
from core.formatting import hours_from_minutes
from members.choices import ContactMethod

APPLICATIONS = "Applications"
PAIRS = "Pairs"
HOURS = "Contact hours"
CONFERENCES = "Conference meetings"
CHANGES = "Changes and withdrawals"
CHECKINS = "Check-ins"
SURVEYS = "Surveys"
# The report's sections, in the order the report, its export and the comparison show them.
SECTIONS = [APPLICATIONS, PAIRS, HOURS, CONFERENCES, CHANGES, CHECKINS, SURVEYS]

FORMED = "Pairs formed (published)"
ON_TIME = "Published by the pairing date"
ON_TIME_SHARE = "Published by the pairing date (% of pairs formed)"
MINIMUM_MET = "Reached the minimum hours"
MINIMUM_SHARE = "Reached the minimum hours (% of pairs formed)"
NOT_PUBLISHED = "Confirmed, not published"
CONTINUING = "Continuing informally after the end"
CONTACTS = "Contacts logged"
ALL_HOURS = "Hours in all"
APPROVED_CHANGES = "Changes of partner approved"
WITHDRAWN = "Applications withdrawn"
ENDED_EARLY = "Pairs ended before the formal end"
ALL_ROLES = "All roles"


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# ---- Survey response rates: the hook the surveys app fills -----------------------------------


@dataclass(frozen=True)
class SurveyRate:
    """How many of the people asked answered one survey of a cohort."""

    survey: str  # its name, e.g. "Mid-way survey"
    invited: int
    responses: int

    @property
    def percent(self) -> int | None:
        return _percent(self.responses, self.invited)


@dataclass(frozen=True)
class SurveyPageRate(SurveyRate):
    """A survey's response rate with its page, so the cohort's report links to its results."""

    page_id: int


def survey_rates(*, cohort: CohortPage) -> list[SurveyRate]:
    """The response rate of each of the cohort's surveys (mid-way, final), in the order they
    are held, for the report's Surveys section.

    One SurveyRate per live survey of ``cohort``
    (from the surveys app through ``cohort_surveys``, with its page for a link to the
    results), counted in a fixed number of queries whatever the cohort's size.
    Without one, the report says that no survey figures are available yet.
    """
    return survey_rates_of([cohort])[cohort.pk]


def survey_rates_of(cohorts: list[CohortPage]) -> dict[int, list[SurveyRate]]:
    """``survey_rates`` of each of ``cohorts``, by cohort id, in the same few queries for
    any number of cohorts."""
    return cohort_surveys().cohorts_survey_rates(cohorts=cohorts)


# ---- One cohort's figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of a report: a row of its export."""

    section: str
    label: str
    value: int | Decimal | None  # None where a share has nothing to be a share of


@dataclass
class CohortReport:
    """Everything a cohort's report shows, counted in the database."""

    cohort: CohortPage
    # (role, status) → applications
    applications: dict[tuple[str, str], int] = field(default_factory=dict)
    formed: int = 0
    not_published: int = 0
    on_time: int = 0
    minimum_met: int = 0
    ended_early: int = 0
    continuing: int = 0
    contacts: int = 0
    minutes: int = 0
    # method → minutes, every ContactMethod
    minutes_by_method: dict[str, int] = field(default_factory=dict)
    # conference → contacts marked as met there, every ConferenceMeeting
    conference_meetings: dict[str, int] = field(default_factory=dict)
    approved_changes: int = 0
    # period ("q1", ...) → answer → count
    checkins: dict[str, dict[str, int]] = field(default_factory=dict)
    surveys: list[SurveyRate] = field(default_factory=list)
    # When the cohort's personal data was erased: the figures are those stored then.
    erased_at: datetime.datetime | None = None

    # -- what the figures add up to --

    def applications_with(self, *, role: str | None = None, status: str | None = None) -> int:
        return sum(
            count
            for (row_role, row_status), count in self.applications.items()
            if role in (None, row_role) and status in (None, row_status)
        )

    @property
    def withdrawn(self) -> int:
        return self.applications_with(status=ApplicationStatus.WITHDRAWN)

    @property
    def on_time_percent(self) -> int | None:
        return _percent(self.on_time, self.formed)

    @property
    def minimum_met_percent(self) -> int | None:
        return _percent(self.minimum_met, self.formed)

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)

    def hours_by_method(self) -> list[tuple[str, Decimal]]:
        return [
            (label, hours_from_minutes(self.minutes_by_method.get(value, 0)))
            for value, label in ContactMethod.choices
        ]

    def checkin_periods(self) -> list[tuple[str, list[int]]]:
        """(period's label, [count of each CheckInAnswerChoice]) in the year's order."""
        return [
            (period_label(period), [answers.get(value, 0) for value in CheckInAnswerChoice.values])
            for period, answers in sorted(
                self.checkins.items(), key=lambda item: _period_key(item[0])
            )
        ]

    # -- one row per figure --

    def figures(self) -> list[Figure]:
        """Every figure, section by section in the order of SECTIONS."""
        return [
            *self._application_figures(),
            Figure(PAIRS, FORMED, self.formed),
            Figure(PAIRS, ON_TIME, self.on_time),
            Figure(PAIRS, ON_TIME_SHARE, self.on_time_percent),
            Figure(PAIRS, MINIMUM_MET, self.minimum_met),
            Figure(PAIRS, MINIMUM_SHARE, self.minimum_met_percent),
            Figure(PAIRS, NOT_PUBLISHED, self.not_published),
            Figure(PAIRS, CONTINUING, self.continuing),
            Figure(HOURS, CONTACTS, self.contacts),
            Figure(HOURS, ALL_HOURS, self.hours),
            *(Figure(HOURS, label, hours) for label, hours in self.hours_by_method()),
            *(
                Figure(CONFERENCES, label, self.conference_meetings.get(value, 0))
                for value, label in ConferenceMeeting.choices
            ),
            Figure(CHANGES, APPROVED_CHANGES, self.approved_changes),
            Figure(CHANGES, WITHDRAWN, self.withdrawn),
            Figure(CHANGES, ENDED_EARLY, self.ended_early),
            *self._checkin_figures(),
            *self._survey_figures(),
        ]

    def _application_figures(self) -> list[Figure]:
        rows = []
        for role, role_label in [*Role.choices, (None, ALL_ROLES)]:
            for status, status_label in ApplicationStatus.choices:
                count = self.applications_with(role=role, status=status)
                rows.append(Figure(APPLICATIONS, f"{role_label}: {status_label}", count))
        return rows

    def _checkin_figures(self) -> list[Figure]:
        labels = CheckInAnswerChoice.labels
        return [
            Figure(CHECKINS, f"{period}: {label}", count)
            for period, counts in self.checkin_periods()
            for label, count in zip(labels, counts, strict=True)
        ]

    def _survey_figures(self) -> list[Figure]:
        rows = []
        for rate in self.surveys:
            rows += [
                Figure(SURVEYS, f"{rate.survey}: invited", rate.invited),
                Figure(SURVEYS, f"{rate.survey}: responses", rate.responses),
                Figure(SURVEYS, f"{rate.survey}: response rate (%)", rate.percent),
            ]
        return rows


CADENCE_NAMES = {value[0]: label for value, label in CheckInCadence.choices}


def period_label(period: str) -> str:
    """ "q2" reads "Quarterly check-in 2"; anything else is shown as it is stored."""
    cadence, number = CADENCE_NAMES.get(period[:1]), period[1:]
    if cadence and number.isdigit():
        return f"{cadence} check-in {number}"
    return period


def _period_key(period: str) -> tuple:
    number = period[1:]
    return (period[:1], int(number) if number.isdigit() else 0, period)


def cohort_report(*, cohort: CohortPage) -> CohortReport:
    """One cohort's report, in a fixed number of queries whatever its size."""
    return cohort_reports(cohorts=[cohort])[0]


def cohort_reports(*, cohorts: list[CohortPage]) -> list[CohortReport]:
    """The reports of ``cohorts``, in their order, in the same queries for any number of
    cohorts and pairs: the stored figures of erased cohorts, five grouped counts of the
    others, and their surveys' response rates (four more when any has a page under it)."""
    reports = {cohort.pk: CohortReport(cohort=cohort) for cohort in cohorts}
    stored = _stored_figures(reports)
    live = {pk: report for pk, report in reports.items() if pk not in stored}
    if live:
        _count_applications(live)
        _count_pairs(live)
        _count_contacts(live)
        _count_changes(live)
        _count_checkins(live)
    rates = survey_rates_of([report.cohort for report in live.values()])
    for pk, report in reports.items():
        if pk in stored:
            report_from_figures(report=report, figures=stored[pk])
        else:
            report.surveys = rates[pk]
    return list(reports.values())


def _stored_figures(reports: dict[int, CohortReport]) -> dict[int, CohortFigures]:
    if not reports:
        return {}
    return {
        figures.cohort_id: figures
        for figures in CohortFigures.objects.filter(cohort__in=list(reports))
    }


def _count_applications(reports: dict[int, CohortReport]) -> None:
    rows = (
        Application.objects.filter(cohort__in=list(reports))
        .order_by()
        .values_list("cohort_id", "role", "status")
        .annotate(count=Count("pk"))
    )
    for cohort_id, role, status, count in rows:
        reports[cohort_id].applications[(role, status)] = count


def _pair_minutes() -> Subquery:
    """The minutes of contact each pair logged, as a subquery: no join, no GROUP BY."""
    contacts = ContactLog.objects.filter(pair=OuterRef("pk")).order_by().values("pair")
    return Subquery(contacts.annotate(total=Sum("minutes")).values("total")[:1])


def _count_pairs(reports: dict[int, CohortReport]) -> None:
    formed = Q(status__in=FORMED_STATUSES)
    rows = (
        Pair.objects.filter(cohort__in=list(reports))
        .annotate(logged=Coalesce(_pair_minutes(), 0, output_field=IntegerField()))
        .order_by()
        .values("cohort_id")
        .annotate(
            formed=Count("pk", filter=formed),
            not_published=Count("pk", filter=Q(status=PairStatus.CONFIRMED)),
            # Dates in the site's time zone: published on the pairing day counts as on time.
            on_time=Count(
                "pk", filter=formed & Q(published_at__date__lte=F("cohort__pairing_completed_by"))
            ),
            minimum_met=Count(
                "pk", filter=formed & Q(logged__gte=F("cohort__minimum_contact_hours") * 60)
            ),
            # A pair closes after the program only once the formal end has passed.
            ended_early=Count(
                "pk",
                filter=Q(status=PairStatus.ENDED, ended_at__date__lte=F("cohort__formal_end")),
            ),
            # Continuing informally: a partner chose to, and neither closed their side.
            continuing=Count(
                "pk",
                filter=Q(status=PairStatus.PUBLISHED)
                & (Q(mentor_after_end=AfterEnd.CONTINUE) | Q(mentee_after_end=AfterEnd.CONTINUE))
                & ~Q(mentor_after_end=AfterEnd.CLOSE)
                & ~Q(mentee_after_end=AfterEnd.CLOSE),
            ),
        )
    )
    for row in rows:
        report = reports[row.pop("cohort_id")]
        for name, value in row.items():
            setattr(report, name, value)


def _count_contacts(reports: dict[int, CohortReport]) -> None:
    by_method = {
        f"method_{value}": Sum("minutes", filter=Q(method=value)) for value in ContactMethod.values
    }
    at_conference = {
        f"conference_{value}": Count("pk", filter=Q(conference=value))
        for value in ConferenceMeeting.values
    }
    rows = (
        ContactLog.objects.filter(pair__cohort__in=list(reports))
        .order_by()
        .values("pair__cohort_id")
        .annotate(count=Count("pk"), total=Sum("minutes"), **by_method, **at_conference)
    )
    for row in rows:
        report = reports[row["pair__cohort_id"]]
        report.contacts, report.minutes = row["count"], row["total"] or 0
        report.minutes_by_method = {
            value: row[f"method_{value}"] or 0 for value in ContactMethod.values
        }
        report.conference_meetings = {
            value: row[f"conference_{value}"] for value in ConferenceMeeting.values
        }


def _count_changes(reports: dict[int, CohortReport]) -> None:
    rows = (
        ChangeRequest.objects.filter(
            pair__cohort__in=list(reports), status=ChangeRequestStatus.APPROVED
        )
        .order_by()
        .values_list("pair__cohort_id")
        .annotate(count=Count("pk"))
    )
    for cohort_id, count in rows:
        reports[cohort_id].approved_changes = count


def _count_checkins(reports: dict[int, CohortReport]) -> None:
    rows = (
        CheckInAnswer.objects.filter(cohort__in=list(reports))
        .order_by()
        .values_list("cohort_id", "period", "answer")
        .annotate(count=Count("pk"))
    )
    for cohort_id, period, answer, count in rows:
        reports[cohort_id].checkins.setdefault(period, {})[answer] = count


# ---- The figures kept of an erased cohort -------------------------------------------------------


def figures_from_report(report: CohortReport) -> dict:
    """The field values of a ``CohortFigures`` row holding everything ``report`` shows."""
    return {
        **{name: getattr(report, name) for name in REPORT_COUNTS},
        "applications": [[role, status, n] for (role, status), n in report.applications.items()],
        "minutes_by_method": dict(report.minutes_by_method),
        "conference_meetings": dict(report.conference_meetings),
        "checkins": {period: dict(answers) for period, answers in report.checkins.items()},
        "surveys": [
            {
                "survey": rate.survey,
                "invited": rate.invited,
                "responses": rate.responses,
                "page_id": getattr(rate, "page_id", None),
            }
            for rate in report.surveys
        ],
    }


def report_from_figures(*, report: CohortReport, figures: CohortFigures) -> CohortReport:
    """Fill ``report`` from the figures stored when its cohort's personal data was erased:
    the inverse of ``figures_from_report``."""
    for name in REPORT_COUNTS:
        setattr(report, name, getattr(figures, name))
    report.applications = {(role, status): n for role, status, n in figures.applications}
    report.minutes_by_method = dict(figures.minutes_by_method)
    report.conference_meetings = dict(figures.conference_meetings)
    report.checkins = {period: dict(answers) for period, answers in figures.checkins.items()}
    report.surveys = [_stored_rate(rate) for rate in figures.surveys]
    report.erased_at = figures.erased_at
    return report


def _stored_rate(rate: dict) -> SurveyRate:
    """A stored survey rate, with its page (for the link to the results) when it had one."""
    if rate.get("page_id") is None:
        return SurveyRate(rate["survey"], rate["invited"], rate["responses"])
    return SurveyPageRate(rate["survey"], rate["invited"], rate["responses"], rate["page_id"])


# ---- Year on year -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparedFigure:
    """One figure across cohorts: a row of the year-on-year table."""

    section: str
    label: str
    values: list  # one per cohort, in the comparison's order; None where a cohort has none


def reports_compare(*, cohorts: list[CohortPage]) -> list[ComparedFigure]:
    """The same figures of each cohort side by side, in the order of ``cohorts``.

    A figure only some cohorts have (a check-in period, a survey) is kept, empty for the
    others; rows follow SECTIONS, then the order figures first appear in.
    """
    values: dict[tuple[str, str], dict[int, object]] = defaultdict(dict)
    for index, report in enumerate(cohort_reports(cohorts=cohorts)):
        for figure in report.figures():
            values[(figure.section, figure.label)][index] = figure.value
    keys = sorted(values, key=lambda key: SECTIONS.index(key[0]))  # stable within a section
    return [
        ComparedFigure(
            section, label, [values[(section, label)].get(i) for i in range(len(cohorts))]
        )
        for section, label in keys
    ]


def cohorts_for_reports():
    """Every cohort, newest first: the reports' index and the year-on-year columns."""
    return CohortPage.objects.order_by("-formal_start", "-pk")
