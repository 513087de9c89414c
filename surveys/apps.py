from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """The program's mid-way and final evaluation surveys, answered anonymously by the
    participants of a cohort."""

    name = "surveys"
    verbose_name = "surveys"

    def ready(self):
        from cohorts.pairs.selectors.needs import pair_needs_register
        from cohorts.program.surveys import cohort_surveys_set
        from surveys import privacy  # noqa: F401 (registers the data download section)
        from surveys.cohort_surveys import SurveysOfCohorts
        from surveys.selectors.surveys import surveys_to_answer

        cohort_surveys_set(SurveysOfCohorts())
        pair_needs_register(surveys_to_answer, after_end=True)
