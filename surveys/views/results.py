"""A survey's results in the Wagtail admin, reached from its cohort's report under the
Mentoring menu's Reports: response rates by role, a bar chart and the average of each rating,
the counts of each multiple-choice answer, the free texts, and all of it as CSV.

Only coordinators and the chair (``cohorts.view_pair``, as for every report) see them. The
figures come from ``surveys.selectors.results``, which reads answers only from the responses
(they name nobody) and keeps back the figures of a question with too few answers. The CSV holds no
person and no date.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.widgets.button import HeaderButton

from cohorts.reports.views.reports import (
    BarChart,
    ReportsMixin,
    ReportsPageMixin,
    bar_chart,
    csv_response,
    shown,
)
from surveys.models import SurveyPage
from surveys.selectors.results import (
    MIN_ANSWERS,
    RATING,
    TEXT,
    TOO_FEW,
    QuestionResult,
    survey_respondents,
    survey_results,
)

CSV_HEADER = ["Question", "Answer", "Count", "Share (%)", "Free text"]
RESPONSE_RATE = "Response rate"
AVERAGE = "Average"


class SurveyResultsMixin(ReportsMixin):
    """The survey named by the address; 404 for any other page."""

    @cached_property
    def survey(self) -> SurveyPage:
        return get_object_or_404(SurveyPage, pk=self.kwargs["page_id"])


def rating_chart(question: QuestionResult) -> BarChart:
    """The distribution of a rating, 1 to 5, as the reports' bar chart."""
    return bar_chart(
        key=f"question-{question.number}",
        title=question.label,
        rows=[(option.label, option.count) for option in question.options],
        label_heading="Rating",
        value_heading="Answers",
    )


class SurveyResultsView(SurveyResultsMixin, ReportsPageMixin, TemplateView):
    """One survey's results, question by question, with the response rates first."""

    template_name = "surveys/results/survey_results.html"
    page_title = "Survey results"

    def get_page_subtitle(self):
        return self.survey.title

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("cohorts_reports:index"), "label": "Reports"},
        ]
        cohort = self.survey.cohort
        if cohort is not None:
            url = reverse("cohorts_reports:cohort", args=[cohort.pk])
            items.append({"url": url, "label": cohort.title})
        return [*items, {"url": "", "label": self.get_page_subtitle()}]

    def get_header_buttons(self):
        url = reverse("cohorts_reports:survey_csv", args=[self.survey.pk])
        return [HeaderButton("Download CSV", url, icon_name="download")]

    def get_context_data(self, **kwargs):
        results = survey_results(page=self.survey)
        questions = [
            (question, rating_chart(question) if question.kind == RATING else None)
            for question in results.questions
        ]
        return super().get_context_data(
            survey=self.survey,
            cohort=self.survey.cohort,
            results=results,
            respondents=survey_respondents(page=self.survey),
            rates=[
                (rate.role, rate.invited, rate.answered, shown(rate.percent))
                for rate in results.rates
            ],
            questions=questions,
            min_answers=MIN_ANSWERS,
            too_few=TOO_FEW,
            text_kind=TEXT,
            **kwargs,
        )


def csv_rows(question: QuestionResult) -> list[list]:
    """A question's rows: one per answer offered (with the average after a rating's), one
    per free text, or one saying there are too few answers."""
    if question.suppressed:
        return [[question.label, TOO_FEW, None, None, None]]
    if question.kind == TEXT:
        return [[question.label, None, None, None, text] for text in question.texts]
    rows = [
        [question.label, option.label, option.count, option.percent, None]
        for option in question.options
    ]
    if question.average is not None:
        rows.append([question.label, AVERAGE, question.average, None, None])
    return rows


class SurveyResultsCsvView(SurveyResultsMixin, View):
    """The survey's results as CSV: the response rates by role, then each question's
    answers (question, answer, count, share) and free texts. No person and no date."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, page_id: int):
        results = survey_results(page=self.survey)
        rows = [
            [RESPONSE_RATE, rate.role, rate.answered, rate.percent, None] for rate in results.rates
        ]
        for question in results.questions:
            rows += csv_rows(question)
        return csv_response(
            filename=f"survey-results-{self.survey.pk}-{self.survey.slug}.csv",
            header=CSV_HEADER,
            rows=rows,
        )
