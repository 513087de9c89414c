"""The survey tests' world: the 2026 cohort on a day inside its mid-way survey's window,
one published pair, the survey, and a superuser."""

import pytest

from cohorts.models import CohortPage
from surveys.models import SurveyPage
from tests.cohorts.factories import published_pair
from tests.cohorts.program.test_application_admin import make_cohort
from tests.factories import UserFactory, member
from tests.surveys.helpers import IN_WINDOW, add_survey


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    return time_machine


@pytest.fixture
def cohort(home, clock) -> CohortPage:
    return make_cohort(home, 2026)


@pytest.fixture
def pair(cohort):
    return published_pair(cohort, mentor=member("mentor@example.org"), mentee=member())


@pytest.fixture
def survey(cohort) -> SurveyPage:
    return add_survey(cohort)


@pytest.fixture
def admin(db):
    return UserFactory(is_superuser=True, is_staff=True)
