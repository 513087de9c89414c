"""A cohort's evaluation surveys, as the features of the program year see them.

The surveys app builds on cohorts (a survey page lives under its cohort's page), so the
reminders, the reports and the retention code reach the surveys through this port instead
of importing them: the surveys app registers its implementation when it starts
(``cohort_surveys_set`` in ``SurveysConfig.ready``). Without one, a cohort has no surveys.
"""

import datetime
from collections.abc import Iterable
from typing import Any, Protocol


class CohortSurveys(Protocol):
    """What the program year needs to know of its surveys; pages are the survey pages."""

    def survey_for(self, *, cohort, kind: str) -> Any | None:
        """The cohort's live survey of this kind ("midway" or "final"), if there is one."""

    def survey_page(self, *, page_id: int | None) -> Any | None:
        """The survey page with this id, or None."""

    def survey_dates(self, *, page) -> tuple[datetime.date | None, datetime.date | None]:
        """The days the survey opens and closes."""

    def survey_audience(self, *, page) -> list[tuple[int, str]]:
        """(user id, role) for everyone the survey is for."""

    def survey_respondent_ids(self, *, page) -> set[int]:
        """The ids of the people who answered the survey."""

    def cohorts_survey_rates(self, *, cohorts: list) -> dict[int, list]:
        """For each cohort, by id: one response rate (``SurveyPageRate``) per live survey."""

    def participations_by_survey_path(self, *, cohort_paths: Iterable[str]) -> list[tuple]:
        """(survey page path, participations) for the surveys under these cohort pages."""

    def participations_delete(self, *, cohort) -> None:
        """Forget who answered the surveys under ``cohort`` (the answers name nobody)."""

    def report_urls(self) -> list:
        """URL patterns the reports screen serves for survey results, in its namespace."""


class NoSurveys:
    """A program without the surveys app: no cohort has a survey."""

    def survey_for(self, *, cohort, kind):
        return None

    def survey_page(self, *, page_id):
        return None

    def survey_dates(self, *, page):
        return None, None

    def survey_audience(self, *, page):
        return []

    def survey_respondent_ids(self, *, page):
        return set()

    def cohorts_survey_rates(self, *, cohorts):
        return {cohort.pk: [] for cohort in cohorts}

    def participations_by_survey_path(self, *, cohort_paths):
        return []

    def participations_delete(self, *, cohort):
        return None

    def report_urls(self):
        return []


_registered: list[CohortSurveys] = [NoSurveys()]


def cohort_surveys() -> CohortSurveys:
    """The surveys of the program, as registered (or none)."""
    return _registered[0]


def cohort_surveys_set(surveys: CohortSurveys) -> None:
    """Register the implementation; the surveys app does it once, when it starts."""
    _registered[0] = surveys
