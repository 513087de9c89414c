"""Fixtures the cohorts tests share: the 2026 cohort and a coordinator logged in to the
test client. Narrower ones are in each feature's conftest.py."""

import pytest

from members.roles import COORDINATORS
from tests.cohorts.factories import cohort_under_way, dashboard_page, dashboard_pair, make_cohort
from tests.factories import member


@pytest.fixture
def cohort(home):
    """The 2026 cohort, on the seed's dates (``make_cohort``)."""
    return make_cohort(home, 2026)


@pytest.fixture
def coordinator(client, site):
    """Cora Ordinator, a coordinator, logged in to ``client``."""
    user = member("coordinator@example.org", groups=[COORDINATORS])
    user.first_name, user.last_name = "Cora", "Ordinator"
    user.save()
    client.force_login(user)
    return user


@pytest.fixture
def pair_under_way_with_dashboard(home):
    """Maria Mentor mentors Theo Mentee in a cohort under way, with the pair dashboard live
    (``dashboard_pair``)."""
    dashboard_page(home)
    return dashboard_pair(cohort_under_way(home), member("c@example.org", groups=[COORDINATORS]))
