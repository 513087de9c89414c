"""The surveys as the program year's features see them (``cohorts.program.surveys``):
registered by ``SurveysConfig.ready``."""

from collections.abc import Iterable

from django.db.models import Count, Q
from django.urls import path

from surveys.models import SurveyPage, SurveyParticipation
from surveys.selectors.results import cohorts_survey_rates
from surveys.selectors.surveys import (
    survey_audience,
    survey_dates,
    survey_for,
    survey_respondent_ids,
)


class SurveysOfCohorts:
    """Each method answers from the surveys' own selectors and models."""

    def survey_for(self, *, cohort, kind):
        return survey_for(cohort=cohort, kind=kind)

    def survey_page(self, *, page_id):
        return SurveyPage.objects.filter(pk=page_id).first()

    def survey_dates(self, *, page):
        return survey_dates(page=page)

    def survey_audience(self, *, page):
        return survey_audience(page=page)

    def survey_respondent_ids(self, *, page):
        return survey_respondent_ids(page=page)

    def cohorts_survey_rates(self, *, cohorts):
        return cohorts_survey_rates(cohorts=cohorts)

    def participations_by_survey_path(self, *, cohort_paths: Iterable[str]):
        under = Q()
        for cohort_path in cohort_paths:
            under |= Q(page__path__startswith=cohort_path)
        if not under:
            return []
        return list(
            SurveyParticipation.objects.filter(under)
            .order_by()
            .values_list("page__path")
            .annotate(count=Count("pk"))
        )

    def participations_delete(self, *, cohort):
        SurveyParticipation.objects.filter(page__path__startswith=cohort.path).delete()

    def report_urls(self):
        from surveys.views.results import SurveyResultsCsvView, SurveyResultsView

        return [
            path("surveys/<int:page_id>/", SurveyResultsView.as_view(), name="survey"),
            path("surveys/<int:page_id>/csv/", SurveyResultsCsvView.as_view(), name="survey_csv"),
        ]
