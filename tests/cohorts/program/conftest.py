"""Fixtures of the program tests: the cohort index the cohorts are added under."""

import pytest

from cohorts.models import CohortIndexPage


@pytest.fixture
def index(home) -> CohortIndexPage:
    """The cohort index page, "Cohorts" at /cohorts/, under the home page."""
    return home.add_child(instance=CohortIndexPage(title="Cohorts", slug="cohorts"))
