"""The survey tests' world: the 2026 cohort on a day inside its mid-way survey's window,
one published pair, the survey, and a superuser."""

import pytest

from cohorts.models import CohortPage
from surveys.models import SurveyPage
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import UserFactory, member
from tests.surveys.factories import IN_WINDOW, add_survey


@pytest.fixture
def clock(time_machine):
    """Time stands still on ``IN_WINDOW``, inside the 2026 mid-way survey's window."""
    time_machine.move_to(IN_WINDOW, tick=False)
    return time_machine


@pytest.fixture
def cohort(home, clock) -> CohortPage:
    """The 2026 cohort (``make_cohort``)."""
    return make_cohort(home, 2026)


@pytest.fixture
def pair(cohort):
    """A published pair; the mentor is mentor@example.org."""
    return make_pair(cohort, mentor=member("mentor@example.org"), mentee=member())


@pytest.fixture
def survey(cohort) -> SurveyPage:
    """The cohort's mid-way survey (``add_survey``)."""
    return add_survey(cohort)


@pytest.fixture
def admin(db):
    """A superuser with access to the admin."""
    return UserFactory(is_superuser=True, is_staff=True)
