"""The yearly program's models, split by kind: pages (cohort index, cohort, application
page) and applications."""

from .applications import Application
from .pages import ApplicationPage, CohortIndexPage, CohortPage

__all__ = ["Application", "ApplicationPage", "CohortIndexPage", "CohortPage"]
