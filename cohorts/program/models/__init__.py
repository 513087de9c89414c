"""The program year's models: the cohort pages (the index, a cohort, its application page)
and the members' applications."""

from cohorts.program.models.applications import Application
from cohorts.program.models.pages import ApplicationPage, CohortIndexPage, CohortPage

__all__ = ["Application", "ApplicationPage", "CohortIndexPage", "CohortPage"]
