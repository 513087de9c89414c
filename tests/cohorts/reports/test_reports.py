"""The program's reports: a cohort's figures against known totals, the query count that does
not grow with the cohort, the CSV exports, year on year, who may see them, the charts'
accessibility and hostile text escaped."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.choices import (
    AfterEnd,
    ApplicationStatus,
    ChangeRequestStatus,
    PairSource,
    PairStatus,
    ReminderKind,
    Role,
)
from cohorts.matching.services import pair_by_hand
from cohorts.models import (
    Application,
    ChangeRequest,
    CheckInAnswer,
    CohortPage,
    ContactLog,
    OutboxMessage,
    Pair,
)
from cohorts.reports.selectors.reports import (
    SECTIONS,
    SurveyRate,
    cohort_report,
    cohort_reports,
    reports_compare,
    survey_rates,
)
from cohorts.reports.views.reports import bar_chart
from cohorts.reports.viewsets import ReportsViewSet
from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.cohorts.factories import apply, checkin, contact, make_cohort, make_pair
from tests.factories import member
from tests.helpers import aware

pytestmark = pytest.mark.django_db

INDEX = "cohorts_reports:index"
REPORT = "cohorts_reports:cohort"
REPORT_CSV = "cohorts_reports:cohort_csv"
COMPARE = "cohorts_reports:compare"
COMPARE_CSV = "cohorts_reports:compare_csv"
# The stored figures of erased cohorts, then five grouped counts of the others: applications,
# pairs, contacts, changes of partner, check-in answers.
REPORT_QUERIES = 6


def figures_of(report) -> dict[tuple[str, str], object]:
    return {(figure.section, figure.label): figure.value for figure in report.figures()}


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))


# The cohort with known totals -----------------------------------------------------------------


@pytest.fixture
def cohort(home):
    """The 2024 cohort (pairing by May 12, 2024; formal mentoring June 1, 2024 to April 30,
    2025; a minimum of 2 hours), with every kind of figure in known numbers:

    - pairs 1-3 published on time, pair 4 late and closed after the program, pair 5 ended
      early by an approved change of partner, pair 6 confirmed but not published;
    - contact: pair 1 120 minutes (60 virtual, 60 by telephone at Midwinter), pair 2 138
      (90 by e-mail, 48 face to face at Annual), pair 3 30 virtual, pair 5 150 virtual;
    - applications besides the pairs': one withdrawn mentee, one submitted "both", one
      waitlisted mentor, one mentee's draft, one declined mentee;
    - check-ins: q1 two "going well" and one "need help", q2 one "could be better".
    """
    cohort = make_cohort(home, 2024)
    on_time, late = aware(2024, 5, 12, 20), aware(2024, 5, 13, 9)
    pairs = [make_pair(cohort, record_only=True, published_at=on_time) for _ in range(3)]
    pairs.append(
        make_pair(
            cohort,
            record_only=True,
            published_at=late,
            status=PairStatus.ENDED,
            ended_at=aware(2025, 5, 10),
            mentor_after_end=AfterEnd.CLOSE,
            mentee_after_end=AfterEnd.CLOSE,
        )
    )
    pairs.append(
        make_pair(
            cohort,
            record_only=True,
            published_at=aware(2024, 5, 1),
            status=PairStatus.ENDED,
            ended_at=aware(2024, 9, 1),
        )
    )
    Pair.objects.filter(pk=pairs[1].pk).update(mentee_after_end=AfterEnd.CONTINUE)
    # One partner continuing and the other closed is not a pair continuing together.
    Pair.objects.filter(pk=pairs[2].pk).update(
        mentor_after_end=AfterEnd.CONTINUE, mentee_after_end=AfterEnd.CLOSE
    )
    mentor = apply(cohort, role=Role.MENTOR, mentee_capacity=1, status=ApplicationStatus.ACCEPTED)
    mentee = apply(cohort, status=ApplicationStatus.ACCEPTED)
    pair_by_hand(cohort=cohort, mentor_id=mentor.pk, mentee_id=mentee.pk, user=None)

    day = datetime.date(2024, 7, 1)
    contact(pairs[0], minutes=60, day=day, method="virtual")
    contact(pairs[0], minutes=60, day=day, method="telephone", conference="midwinter")
    contact(pairs[1], minutes=90, day=day, method="email")
    contact(pairs[1], minutes=48, day=day, method="face_to_face", conference="annual")
    contact(pairs[2], minutes=30, day=day, method="virtual")
    contact(pairs[4], minutes=150, day=day, method="virtual")

    apply(cohort, status=ApplicationStatus.WITHDRAWN)
    apply(cohort, role=Role.BOTH, mentee_capacity=1)
    apply(cohort, role=Role.MENTOR, mentee_capacity=1, status=ApplicationStatus.WAITLISTED)
    apply(cohort, status=ApplicationStatus.DRAFT)
    apply(cohort, status=ApplicationStatus.DECLINED)

    ChangeRequest.objects.create(
        pair=pairs[4], reason="Moving on.", status=ChangeRequestStatus.APPROVED
    )
    ChangeRequest.objects.create(
        pair=pairs[2], reason="Not sure.", status=ChangeRequestStatus.DECLINED
    )

    checkin(cohort, pairs[2], pairs[2].mentor.applicant, "q2", "could_be_better")
    checkin(cohort, pairs[0], pairs[0].mentor.applicant, "q1", "going_well")
    checkin(cohort, pairs[0], pairs[0].mentee.applicant, "q1", "going_well")
    checkin(cohort, pairs[1], pairs[1].mentee.applicant, "q1", "need_help")
    return cohort


@pytest.fixture
def other_cohort(home, cohort):
    """The 2025 cohort: one published pair with an hour of contact and a check-in, so nothing
    of it may leak into the 2024 cohort's figures."""
    other = make_cohort(home, 2025)
    pair = make_pair(other, record_only=True, published_at=aware(2025, 5, 1))
    contact(pair, minutes=60, day=datetime.date(2025, 7, 1), method="virtual")
    checkin(other, pair, pair.mentor.applicant, "q1", "going_well")
    return other


@pytest.fixture
def coordinator(site):
    return member("coordinator@example.org", groups=[COORDINATORS])


@pytest.fixture
def chair(site):
    return member("chair@example.org", groups=[CHAIR])


# The figures ----------------------------------------------------------------------------------


def test_the_figures_match_the_known_totals(cohort, other_cohort):
    figures = figures_of(cohort_report(cohort=cohort))

    assert figures[("Applications", "Mentor: Accepted")] == 6
    assert figures[("Applications", "Mentee: Accepted")] == 6
    assert figures[("Applications", "Mentee: Withdrawn")] == 1
    assert figures[("Applications", "Mentee: Draft")] == 1
    assert figures[("Applications", "Mentee: Declined")] == 1
    assert figures[("Applications", "Mentor: Waitlisted")] == 1
    assert figures[("Applications", "Both mentor and mentee: Submitted")] == 1
    assert figures[("Applications", "Mentor: Submitted")] == 0
    assert figures[("Applications", "All roles: Accepted")] == 12
    assert figures[("Applications", "All roles: Submitted")] == 1
    assert sum(v for (s, label), v in figures.items() if label.startswith("All roles")) == 17

    assert figures[("Pairs", "Pairs formed (published)")] == 5
    assert figures[("Pairs", "Published by the pairing date")] == 4
    assert figures[("Pairs", "Published by the pairing date (% of pairs formed)")] == 80
    assert figures[("Pairs", "Reached the minimum hours")] == 3
    assert figures[("Pairs", "Reached the minimum hours (% of pairs formed)")] == 60
    assert figures[("Pairs", "Confirmed, not published")] == 1
    assert figures[("Pairs", "Continuing informally after the end")] == 1

    assert figures[("Contact hours", "Contacts logged")] == 6
    assert figures[("Contact hours", "Hours in all")] == Decimal("7.3")
    assert figures[("Contact hours", "Virtual (video call)")] == Decimal("4.0")
    assert figures[("Contact hours", "Telephone")] == Decimal("1.0")
    assert figures[("Contact hours", "E-mail")] == Decimal("1.5")
    assert figures[("Contact hours", "Face-to-face")] == Decimal("0.8")
    assert figures[("Conference meetings", "At Midwinter")] == 1
    assert figures[("Conference meetings", "At Annual")] == 1

    assert figures[("Changes and withdrawals", "Changes of partner approved")] == 1
    assert figures[("Changes and withdrawals", "Applications withdrawn")] == 1
    assert figures[("Changes and withdrawals", "Pairs ended before the formal end")] == 1

    checkins = {
        label: value for (section, label), value in figures.items() if section == "Check-ins"
    }
    assert checkins == {
        "Quarterly check-in 1: Going well": 2,
        "Quarterly check-in 1: Could be better": 0,
        "Quarterly check-in 1: We need help": 1,
        "Quarterly check-in 2: Going well": 0,
        "Quarterly check-in 2: Could be better": 1,
        "Quarterly check-in 2: We need help": 0,
    }
    assert [section for section, _label in figures] == sorted(
        (section for section, _label in figures), key=SECTIONS.index
    )


def test_an_empty_cohort_reports_zeros_and_no_shares(home):
    report = cohort_report(cohort=make_cohort(home, 2030))
    figures = figures_of(report)

    assert figures[("Pairs", "Pairs formed (published)")] == 0
    assert figures[("Pairs", "Reached the minimum hours (% of pairs formed)")] is None
    assert figures[("Contact hours", "Hours in all")] == Decimal("0.0")
    assert not [label for section, label in figures if section in {"Check-ins", "Surveys"}]


def test_the_survey_hook_returns_nothing_until_the_surveys_app_fills_it(cohort, monkeypatch):
    assert survey_rates(cohort=cohort) == []
    rates = [SurveyRate("Mid-way survey", invited=10, responses=7)]
    monkeypatch.setattr(
        "cohorts.reports.selectors.reports.survey_rates_of",
        lambda cohorts: {c.pk: rates for c in cohorts},
    )

    figures = figures_of(cohort_report(cohort=cohort))

    assert figures[("Surveys", "Mid-way survey: invited")] == 10
    assert figures[("Surveys", "Mid-way survey: responses")] == 7
    assert figures[("Surveys", "Mid-way survey: response rate (%)")] == 70


# The query count does not grow with the cohort ------------------------------------------------


def bulk_cohort(home, year: int, size: int) -> CohortPage:
    """A cohort of ``size`` published pairs, each with two contacts (every other pair reaching
    the 2 hours) and a check-in answer, and an approved change of partner for every tenth
    pair, made with bulk_create."""
    cohort = make_cohort(home, year)
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"bulk-{year}-{n}@example.org", first_name="Bulk", last_name=str(n))
        for n in range(2 * size)
    )
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=Role.MENTOR if n % 2 == 0 else Role.MENTEE,
            status=ApplicationStatus.ACCEPTED,
        )
        for n, user in enumerate(users)
    )
    now = timezone.now()
    pairs = Pair.objects.bulk_create(
        Pair(
            cohort=cohort,
            mentor=applications[2 * n],
            mentee=applications[2 * n + 1],
            status=PairStatus.PUBLISHED,
            source=PairSource.MANUAL,
            confirmed_at=now,
            published_at=aware(year, 5, 1),
        )
        for n in range(size)
    )
    day = cohort.formal_start
    ContactLog.objects.bulk_create(
        ContactLog(pair=pair, date=day, minutes=59 + n % 2, method=method, conference=conference)
        for n, pair in enumerate(pairs)
        for method, conference in (("virtual", "midwinter"), ("email", ""))
    )
    ChangeRequest.objects.bulk_create(
        ChangeRequest(pair=pair, reason="x", status=ChangeRequestStatus.APPROVED)
        for pair in pairs[::10]
    )
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"checkin:{cohort.pk}:{pair.mentor.applicant_id}:q1",
            kind=ReminderKind.CHECKIN,
            cohort=cohort,
            recipient_id=pair.mentor.applicant_id,
            period="q1",
        )
        for pair in pairs
    )
    CheckInAnswer.objects.bulk_create(
        CheckInAnswer(
            message=message,
            cohort=cohort,
            pair=pair,
            user_id=message.recipient_id,
            period="q1",
            answer="going_well",
        )
        for message, pair in zip(messages, pairs, strict=True)
    )
    return cohort


@pytest.fixture
def small_and_large(home):
    return bulk_cohort(home, 2026, 10), bulk_cohort(home, 2027, 500)


def test_the_report_takes_the_same_queries_for_ten_pairs_and_five_hundred(
    small_and_large, django_assert_num_queries
):
    small, large = small_and_large
    for cohort, size in ((small, 10), (large, 500)):
        with django_assert_num_queries(REPORT_QUERIES):
            report = cohort_report(cohort=cohort)
        assert report.formed == size
        assert report.contacts == 2 * size
        assert report.minimum_met == size // 2
        assert report.approved_changes == size // 10
        assert report.conference_meetings["midwinter"] == size
        assert report.checkins == {"q1": {"going_well": size}}


def test_the_report_pages_take_the_same_queries_whatever_the_size(
    client, coordinator, small_and_large
):
    client.force_login(coordinator)
    client.get(reverse(INDEX))  # the first request fills Django's content-type cache
    counts = []
    for cohort in small_and_large:
        for name in (REPORT, REPORT_CSV):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(name, args=[cohort.pk]))
            assert response.status_code == 200
            counts.append((name, len(queries)))
    assert counts[:2] == counts[2:]


def test_year_on_year_takes_the_same_queries_for_more_cohorts(
    client, coordinator, home, django_assert_num_queries
):
    bulk_cohort(home, 2026, 3)
    cohorts = list(CohortPage.objects.all())
    with django_assert_num_queries(REPORT_QUERIES):
        reports_compare(cohorts=cohorts)
    bulk_cohort(home, 2027, 5)
    bulk_cohort(home, 2028, 7)
    cohorts = list(CohortPage.objects.order_by("pk"))
    with django_assert_num_queries(REPORT_QUERIES):
        reports = cohort_reports(cohorts=cohorts)
    assert [report.formed for report in reports] == [3, 5, 7]

    client.force_login(coordinator)
    client.get(reverse(INDEX))  # the first request fills Django's content-type cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(COMPARE))
    bulk_cohort(home, 2029, 2)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse(COMPARE))
    assert len(few) == len(more)


# The pages ------------------------------------------------------------------------------------


def test_the_report_page_shows_the_figures_and_accessible_charts(client, coordinator, cohort):
    client.force_login(coordinator)
    body = client.get(reverse(REPORT, args=[cohort.pk])).content.decode()

    assert "2024 cohort" in body
    assert "Published by the pairing date (May 12, 2024)" in body
    assert "<dd>4 (80%)</dd>" in body and "<dd>3 (60%)</dd>" in body
    assert "7.3 hours in 6 contacts" in body
    assert body.count('<svg class="report-chart__svg"') == 4
    assert body.count('role="img" aria-labelledby="chart-') == 4
    assert '<title id="chart-hours-title">Hours by contact method</title>' in body
    assert "Virtual (video call): 4; Telephone: 1; E-mail: 1.5; Face-to-face: 0.8" in body
    assert '<tr><th scope="row">Face-to-face</th><td>0.8</td></tr>' in body
    assert '<tr><th scope="row">At Midwinter</th><td>1</td></tr>' in body
    assert "cohorts/reports.css" in body
    assert "<script" not in body.split("<main")[-1].split("</main>")[0]
    assert "No survey figures are available for this cohort yet." in body


def test_a_chart_scales_its_bars_to_the_largest_value():
    chart = bar_chart(
        key="k",
        title="T",
        rows=[("a", 2), ("b", 4), ("c", 0)],
        label_heading="L",
        value_heading="V",
    )
    assert [bar.length for bar in chart.bars] == ["280.0", "560.0", "0.0"]
    assert chart.height == 3 * 44
    empty = bar_chart(key="e", title="T", rows=[("a", 0)], label_heading="L", value_heading="V")
    assert empty.bars[0].length == "0.0"


def test_the_index_lists_every_cohort_newest_first(client, coordinator, cohort, other_cohort):
    client.force_login(coordinator)
    body = client.get(reverse(INDEX)).content.decode()

    assert body.index("2025 cohort") < body.index("2024 cohort")
    assert reverse(REPORT, args=[cohort.pk]) in body
    assert reverse(REPORT_CSV, args=[other_cohort.pk]) in body
    assert reverse(COMPARE) in body


# CSV ------------------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_figure(client, coordinator, cohort):
    client.force_login(coordinator)
    response = client.get(reverse(REPORT_CSV, args=[cohort.pk]))
    rows = read_csv(response)

    assert (
        f"report-cohort-2024-{timezone.localdate():%Y-%m-%d}.csv"
        in response["Content-Disposition"]
    )
    assert rows[0] == ["Section", "Label", "Value"]
    assert len(rows) - 1 == len(cohort_report(cohort=cohort).figures())
    assert all(len(row) == 3 for row in rows)
    for row in (
        ["Applications", "Mentee: Withdrawn", "1"],
        ["Pairs", "Pairs formed (published)", "5"],
        ["Pairs", "Reached the minimum hours (% of pairs formed)", "60"],
        ["Contact hours", "Hours in all", "7.3"],
        ["Contact hours", "Face-to-face", "0.8"],
        ["Conference meetings", "At Annual", "1"],
        ["Changes and withdrawals", "Changes of partner approved", "1"],
        ["Check-ins", "Quarterly check-in 1: We need help", "1"],
    ):
        assert row in rows, row


def test_year_on_year_puts_a_column_per_cohort_newest_first(
    client, coordinator, cohort, other_cohort
):
    client.force_login(coordinator)
    rows = read_csv(client.get(reverse(COMPARE_CSV)))

    assert rows[0] == ["Section", "Label", "2025 cohort", "2024 cohort"]
    by_label = {(row[0], row[1]): row[2:] for row in rows[1:]}
    assert by_label[("Pairs", "Pairs formed (published)")] == ["1", "5"]
    assert by_label[("Contact hours", "Hours in all")] == ["1.0", "7.3"]
    assert by_label[("Check-ins", "Quarterly check-in 2: Could be better")] == ["", "1"]
    assert by_label[("Check-ins", "Quarterly check-in 1: Going well")] == ["1", "2"]

    body = client.get(reverse(COMPARE)).content.decode()
    assert body.index("2025 cohort") < body.index("2024 cohort")
    assert '<th scope="colgroup" colspan="3">Pairs</th>' in body
    assert (
        '<tr><th scope="row">Quarterly check-in 2: Could be better</th><td>—</td><td>1</td></tr>'
        in body
    )


# Who may see the reports ----------------------------------------------------------------------


def every_url(cohort) -> list[str]:
    return [
        reverse(INDEX),
        reverse(REPORT, args=[cohort.pk]),
        reverse(REPORT_CSV, args=[cohort.pk]),
        reverse(COMPARE),
        reverse(COMPARE_CSV),
    ]


def test_coordinators_and_the_chair_see_the_reports(client, coordinator, chair, cohort):
    for user in (coordinator, chair):
        client.force_login(user)
        for url in every_url(cohort):
            assert client.get(url).status_code == 200, (user, url)
            assert client.post(url).status_code == 405, (user, url)
    assert client.get(reverse(REPORT, args=[999999])).status_code == 404


def test_nobody_else_sees_the_reports(client, cohort):
    editor = member("editor@example.org", groups=[EDITORS])
    plain = member("plain@example.org")
    for url in every_url(cohort):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    for user in (editor, plain):
        client.force_login(user)
        for url in every_url(cohort):
            response = client.get(url)
            assert response.status_code == 302, (user, url)
            assert "text/csv" not in response.get("Content-Type", "")


def test_the_menu_item_is_shown_to_coordinators_only(coordinator, site):
    item = ReportsViewSet.menu_item_class("Reports", reverse(INDEX))
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    assert item.is_shown(request)
    request.user = member("editor@example.org", groups=[EDITORS])
    assert not item.is_shown(request)


# Hostile text ---------------------------------------------------------------------------------


def test_hostile_cohort_titles_are_escaped_and_never_run_as_formulas(
    client, coordinator, cohort, hostile_inputs
):
    client.force_login(coordinator)
    for text in hostile_inputs:
        title = text.replace("\x00", "")[:255]
        CohortPage.objects.filter(pk=cohort.pk).update(title=title)
        for url in (reverse(REPORT, args=[cohort.pk]), reverse(COMPARE)):
            response = client.get(url)
            assert response.status_code == 200, (title, url)
            body = response.content.decode()
            if "<" in title:
                assert title not in body, (title, url)
            assert escape(title) in body, (title, url)
        header = read_csv(client.get(reverse(COMPARE_CSV)))[0]
        if title.startswith(("=", "+", "-", "@")):
            assert header[2] == "'" + title
