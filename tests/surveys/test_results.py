"""A survey's results for coordinators: the figures against answers known in advance, the
questions with too few answers kept back, a CSV with no person and no date, the same queries
for ten responses or two hundred, who may see them, hostile answers escaped; and the response
rates of a cohort's surveys in the program's reports."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.models import CohortPage
from cohorts.reports.selectors.reports import (
    SurveyRate,
    cohort_report,
    cohort_reports,
    survey_rates,
)
from members.roles import CHAIR, COORDINATORS, EDITORS
from surveys.choices import SurveyAudience, SurveyKind
from surveys.models import SurveyParticipation, SurveyResponse
from surveys.selectors.results import (
    MIN_ANSWERS,
    TOO_FEW,
    OptionCount,
    RoleRate,
    SurveyPageRate,
    survey_respondents,
    survey_results,
)
from surveys.services import survey_answer
from surveys.views.results import CSV_HEADER
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import member
from tests.surveys.factories import add_survey

pytestmark = pytest.mark.django_db

RESULTS = "cohorts_reports:survey"
RESULTS_CSV = "cohorts_reports:survey_csv"
# The questions of test_surveys.QUESTIONS, by their keys.
RATING = "how_useful_was_the_program_so_far"
RADIO = "would_you_recommend_it"
CHECKBOXES = "how_did_you_meet"
DROPDOWN = "which_conference"
ONE_WORD = "one_word_for_it"
ANYTHING = "anything_else"
# Six answers known in advance: each column is one person's answers.
KNOWN = [
    {RATING: 5, RADIO: "Yes", CHECKBOXES: ["Video call", "In person"], DROPDOWN: "Annual"},
    {RATING: 4, RADIO: "Yes", CHECKBOXES: ["Video call"], DROPDOWN: "Annual", ONE_WORD: "Kind"},
    {RATING: 4, RADIO: "No", CHECKBOXES: ["Telephone"], ONE_WORD: "Slow", ANYTHING: "More."},
    {RATING: 2, RADIO: "Yes", CHECKBOXES: ["Video call", "Telephone"], ONE_WORD: "Good"},
    {RATING: 5, RADIO: "No", CHECKBOXES: ["In person"], DROPDOWN: "Midwinter", ONE_WORD: "Fun"},
    {RATING: 5, RADIO: "Yes", CHECKBOXES: [], DROPDOWN: "", ONE_WORD: " Long ", ANYTHING: ""},
]
# The queries of a survey's results: its questions, its answers, the participations by role,
# and its audience (the page above it and that page as a cohort, then each side of its pairs).
RESULTS_QUERIES = 7
# A cohort's survey rates: its live surveys, each side of its pairs, the participations.
RATES_QUERIES = 4


@pytest.fixture
def people(cohort) -> list[tuple[object, str]]:
    """(user, role) of four published pairs, mentor then mentee of each."""
    pairs = [make_pair(cohort) for _ in range(4)]
    return [
        (user, role)
        for pair in pairs
        for user, role in ((pair.mentor.applicant, "mentor"), (pair.mentee.applicant, "mentee"))
    ]


@pytest.fixture
def answered(survey, people):
    """The six KNOWN answers, given by the first six people through the service."""
    for (user, role), answers in zip(people, KNOWN, strict=False):
        survey_answer(page=survey, user=user, role=role, answers=answers)
    return survey


@pytest.fixture
def coordinator(site):
    return member("coordinator@example.org", groups=[COORDINATORS])


def responses(survey, count: int, **answers) -> None:
    """``count`` responses written directly, as the service writes them."""
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            page=survey,
            role="mentee",
            form_data={RATING: 1 + n % 5, RADIO: "Yes", ONE_WORD: f"Word {n}", **answers},
            submit_time=timezone.now(),
        )
        for n in range(count)
    )


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# ---- The figures ----


def test_the_figures_match_the_known_answers(answered):
    results = survey_results(page=answered)
    questions = {question.label: question for question in results.questions}

    assert results.responses == 6
    assert results.rates == [
        RoleRate("Mentors", 4, 3),
        RoleRate("Mentees", 4, 3),
        RoleRate("Everyone", 8, 6),
    ]
    assert [rate.percent for rate in results.rates] == [75, 75, 75]

    rating = questions["How useful was the program so far?"]
    assert (rating.kind, rating.answers, rating.average) == ("rating", 6, Decimal("4.2"))
    assert rating.options == [
        OptionCount("1", 0, 0),
        OptionCount("2", 1, 17),
        OptionCount("3", 0, 0),
        OptionCount("4", 2, 33),
        OptionCount("5", 3, 50),
    ]
    assert questions["Would you recommend it?"].options == [
        OptionCount("Yes", 4, 67),
        OptionCount("No", 2, 33),
    ]
    # Each ticked box counts; the person who ticked none did not answer the question.
    meet = questions["How did you meet?"]
    assert meet.answers == 5
    assert meet.options == [
        OptionCount("Video call", 3, 60),
        OptionCount("Telephone", 2, 40),
        OptionCount("In person", 2, 40),
    ]
    # Free texts come in the order of the responses' random keys, trimmed, blanks left out.
    words = questions["One word for it"]
    in_key_order = [
        data[ONE_WORD].strip()
        for data in SurveyResponse.objects.order_by("id").values_list("form_data", flat=True)
        if data.get(ONE_WORD)
    ]
    assert words.texts == in_key_order and sorted(words.texts) == [
        "Fun",
        "Good",
        "Kind",
        "Long",
        "Slow",
    ]


def test_a_question_with_fewer_than_five_answers_shows_no_figures(answered, client, coordinator):
    results = survey_results(page=answered)
    questions = {question.label: question for question in results.questions}
    conference, anything = questions["Which conference?"], questions["Anything else?"]
    assert (conference.answers, anything.answers) == (3, 1)
    for question in (conference, anything):
        assert question.suppressed
        assert (question.options, question.average, question.texts) == ([], None, [])
    assert not questions["One word for it"].suppressed  # five answers are enough
    assert MIN_ANSWERS == 5

    client.force_login(coordinator)
    body = html(client.get(reverse(RESULTS, args=[answered.pk])))
    assert body.count(f"{TOO_FEW}.") == 2
    assert "More." not in body and "Midwinter" not in body
    assert "Kind" in body and "4.2" in body

    rows = read_csv(client.get(reverse(RESULTS_CSV, args=[answered.pk])))
    assert ["Which conference?", TOO_FEW, "", "", ""] in rows
    assert ["Anything else?", TOO_FEW, "", "", ""] in rows
    assert not any("Midwinter" in cell or "More." in cell for row in rows for cell in row)


def test_with_four_responses_every_question_is_kept_back(survey, people, client, coordinator):
    for user, role in people[:4]:
        survey_answer(page=survey, user=user, role=role, answers=KNOWN[0] | {ONE_WORD: "Mine"})
    client.force_login(coordinator)
    body = html(client.get(reverse(RESULTS, args=[survey.pk])))
    assert body.count(f"{TOO_FEW}.") == 6
    assert "Mine" not in body and '<svg class="report-chart__svg"' not in body
    assert "4 responses." in body  # how many answered is a count, not an answer


# ---- The screen and the CSV ----


def test_the_results_page_shows_rates_charts_and_texts(answered, client, coordinator):
    client.force_login(coordinator)
    body = html(client.get(reverse(RESULTS, args=[answered.pk])))

    assert answered.title in body and "2026 cohort" in body
    assert "6 responses." in body
    assert '<tr><th scope="row">Mentors</th><td>4</td><td>3</td><td>75</td></tr>' in body
    assert body.count('<svg class="report-chart__svg"') == 1
    assert '<title id="chart-question-1-title">How useful was the program so far?</title>' in body
    assert "1: 0; 2: 1; 3: 0; 4: 2; 5: 3" in body
    assert '<strong class="survey-results__average">4.2</strong>' in body
    assert '<tr><th scope="row">Video call</th><td>3</td><td>60</td></tr>' in body
    assert "<li>Slow</li>" in body
    assert "cohorts/reports.css" in body
    assert "<script" not in body.split("<main")[-1].split("</main>")[0]
    assert reverse(RESULTS_CSV, args=[answered.pk]) in body
    assert reverse("cohorts_reports:cohort", args=[answered.get_parent().pk]) in body


def test_the_csv_has_a_row_per_answer_and_no_person_and_no_date(answered, people, client):
    client.force_login(member("chair@example.org", groups=[CHAIR]))
    response = client.get(reverse(RESULTS_CSV, args=[answered.pk]))
    rows = read_csv(response)
    text = response.content.decode()

    assert rows[0] == CSV_HEADER
    assert ["Response rate", "Mentors", "3", "75", ""] in rows
    assert ["How useful was the program so far?", "5", "3", "50", ""] in rows
    assert ["How useful was the program so far?", "Average", "4.2", "", ""] in rows
    assert ["How did you meet?", "Telephone", "2", "40", ""] in rows
    assert ["One word for it", "", "", "", "Slow"] in rows
    assert all(len(row) == len(CSV_HEADER) for row in rows)

    for user, _role in people:
        for value in (user.email, user.last_name, user.get_username()):
            assert value not in text
        assert str(user.pk) not in [row[0] for row in rows] + [row[4] for row in rows]
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|November|2026", text)
    assert "2026" not in response["Content-Disposition"]


def test_the_results_take_the_same_queries_for_ten_responses_and_two_hundred(
    home, clock, client, coordinator, django_assert_num_queries
):
    small, large = add_survey(make_cohort(home, 2026)), add_survey(make_cohort(home, 2027))
    responses(small, 10)
    responses(large, 200)
    client.force_login(coordinator)
    client.get(reverse(RESULTS, args=[small.pk]))  # fills Django's content-type cache
    counts = []
    for survey, size in ((small, 10), (large, 200)):
        page = type(survey).objects.get(pk=survey.pk)
        with django_assert_num_queries(RESULTS_QUERIES):
            results = survey_results(page=page)
        assert results.responses == size
        assert sum(option.count for option in results.questions[0].options) == size
        for url in (RESULTS, RESULTS_CSV):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(url, args=[survey.pk])).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


# ---- Who may see them ----


def test_coordinators_and_the_chair_see_the_results_and_nobody_else(client, answered, site):
    urls = [reverse(RESULTS, args=[answered.pk]), reverse(RESULTS_CSV, args=[answered.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    for user in (member("plain@example.org"), member("editor@example.org", groups=[EDITORS])):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302, (user, url)
            assert "text/csv" not in response.get("Content-Type", "")
    for group in (COORDINATORS, CHAIR):
        client.force_login(member(f"{group.lower()}@example.org", groups=[group]))
        for url in urls:
            assert client.get(url).status_code == 200, (group, url)
            assert client.post(url).status_code == 405, (group, url)
    cohort_page = answered.get_parent()
    assert client.get(reverse(RESULTS, args=[cohort_page.pk])).status_code == 404


# ---- Hostile answers ----


def test_hostile_free_texts_are_escaped_and_never_run_as_formulas(
    survey, client, coordinator, hostile_inputs
):
    responses(survey, 0)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            page=survey,
            role="mentor",
            form_data={ONE_WORD: text[:255], ANYTHING: text, RADIO: text},
            submit_time=timezone.now(),
        )
        # The survey form refuses null characters, and PostgreSQL's JSON cannot hold them.
        for text in hostile_inputs
        if "\x00" not in text
    )
    client.force_login(coordinator)
    body = html(client.get(reverse(RESULTS, args=[survey.pk])))
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x onerror=alert(1)>" not in body
    for text in hostile_inputs:
        shown = text.strip()
        if "<" in shown:
            assert shown not in body, shown[:40]
        if shown and "\n" not in shown and "\r" not in shown and "\x00" not in shown:
            assert escape(shown) in body, shown[:40]

    rows = read_csv(client.get(reverse(RESULTS_CSV, args=[survey.pk])))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=") for cell in cells)


# ---- The cohort's survey rates in the reports ----


def test_the_reports_show_each_live_surveys_response_rate(
    cohort, people, client, coordinator, django_assert_num_queries
):
    midway = add_survey(cohort)
    final = add_survey(cohort, kind=SurveyKind.FINAL, audience=SurveyAudience.MENTORS)
    for user, role in people[:3]:
        survey_answer(page=midway, user=user, role=role, answers=KNOWN[0])
    SurveyParticipation.objects.create(
        page=final, user=people[0][0], role="mentor", answered_on=datetime.date(2027, 4, 2)
    )
    with django_assert_num_queries(RATES_QUERIES):
        rates = survey_rates(cohort=cohort)
    assert rates == [
        SurveyPageRate("Mid-way survey", 8, 3, midway.pk),
        SurveyPageRate("Final survey", 4, 1, final.pk),
    ]
    assert isinstance(rates[0], SurveyRate) and rates[0].percent == 38

    # Twice the pairs cost the same queries.
    for _ in range(4):
        make_pair(cohort)
    with django_assert_num_queries(RATES_QUERIES):
        assert [rate.invited for rate in survey_rates(cohort=cohort)] == [16, 8]

    # A draft survey is left out, and a cohort with no page under it costs no query.
    final.unpublish()
    assert [rate.survey for rate in survey_rates(cohort=cohort)] == ["Mid-way survey"]
    empty = make_cohort(cohort.get_parent(), 2030)
    with django_assert_num_queries(0):
        assert survey_rates(cohort=empty) == []

    figures = {(f.section, f.label): f.value for f in cohort_report(cohort=cohort).figures()}
    assert figures[("Surveys", "Mid-way survey: invited")] == 16
    assert figures[("Surveys", "Mid-way survey: responses")] == 3
    client.force_login(coordinator)
    body = html(client.get(reverse("cohorts_reports:cohort", args=[cohort.pk])))
    assert '<tr><th scope="row">Mid-way survey</th><td>16</td><td>3</td><td>19</td></tr>' in body
    assert f'href="{reverse(RESULTS, args=[midway.pk])}">Results of the mid-way survey' in body
    compare = html(client.get(reverse("cohorts_reports:compare")))
    assert "Mid-way survey: response rate (%)" in compare


def test_the_year_on_year_report_reads_every_cohorts_survey_rates_in_the_same_queries(
    cohort, django_assert_num_queries
):
    """Each cohort's rates as it has them alone, and the same queries for one cohort with a
    survey or three (the rest of the report is counted in ``REPORT_QUERIES``)."""
    midway = add_survey(cohort)
    first = [make_pair(cohort) for _ in range(2)]
    survey_answer(page=midway, user=first[0].mentor.applicant, role="mentor", answers=KNOWN[0])
    with CaptureQueriesContext(connection) as one:
        [report] = cohort_reports(cohorts=[cohort])
    assert report.surveys == [SurveyPageRate("Mid-way survey", 4, 1, midway.pk)]

    later = [make_cohort(cohort.get_parent(), year) for year in (2027, 2028)]
    add_survey(later[0], kind=SurveyKind.FINAL, audience=SurveyAudience.MENTEES)
    for _ in range(3):
        make_pair(later[0])
    make_pair(later[1])  # no survey under it
    cohorts = [CohortPage.objects.get(pk=c.pk) for c in (cohort, *later)]
    with django_assert_num_queries(len(one)):
        reports = cohort_reports(cohorts=cohorts)
    assert [
        [(r.survey, r.invited, r.responses) for r in report.surveys] for report in reports
    ] == [
        [("Mid-way survey", 4, 1)],
        [("Final survey", 3, 0)],
        [],
    ]
    assert [report.surveys for report in reports] == [survey_rates(cohort=c) for c in cohorts]


def test_coordinators_see_who_has_answered_by_name_only(answered, people, client, coordinator):
    names = sorted((user.display_name for user, _role in people), key=str.casefold)
    answered_names = sorted((user.display_name for user, _ in people[:6]), key=str.casefold)
    respondents = survey_respondents(page=answered)
    assert respondents.answered == answered_names
    assert respondents.waiting == sorted(
        (user.display_name for user, _ in people[6:]), key=str.casefold
    )
    assert sorted(respondents.answered + respondents.waiting, key=str.casefold) == names

    client.force_login(coordinator)
    page = html(client.get(reverse("cohorts_reports:survey", args=[answered.pk])))
    assert "Answered (6)" in page and "Not answered yet (2)" in page
    for user, _role in people:
        assert escape(user.display_name) in page
    # The CSV of the answers still names nobody.
    rows = read_csv(client.get(reverse("cohorts_reports:survey_csv", args=[answered.pk])))
    text = "\n".join(",".join(row) for row in rows)
    for user, _role in people:
        assert user.email not in text and user.display_name not in text
