from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """The program's mid-way and final evaluation surveys, answered anonymously by the
    participants of a cohort."""

    name = "surveys"
    verbose_name = "surveys"

    def ready(self):
        from cohorts.program.surveys import cohort_surveys_set
        from surveys import privacy  # noqa: F401 (registers the data download section)
        from surveys.cohort_surveys import SurveysOfCohorts

        cohort_surveys_set(SurveysOfCohorts())
