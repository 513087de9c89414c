"""The pair dashboard's world: a cohort under way, the dashboard page, and a published pair
whose partners told the subcommittee things the other must never see."""

import datetime

import pytest

from cohorts.models import Pair, PairDashboardPage
from members.roles import COORDINATORS
from tests.cohorts.factories import cohort_under_way, contact, dashboard_page, dashboard_pair
from tests.cohorts.pairs.dashboard.helpers import TODAY
from tests.factories import member


@pytest.fixture
def cohort(home):
    """A cohort under way: formal mentoring started 150 days ago, ends in about 183 days."""
    return cohort_under_way(home)


@pytest.fixture
def dashboard(home) -> PairDashboardPage:
    """The pair dashboard page, "My mentoring"."""
    return dashboard_page(home)


@pytest.fixture
def coordinator(site):
    """A coordinator, not logged in."""
    return member("coordinator@example.org", groups=[COORDINATORS])


@pytest.fixture
def pair(cohort, coordinator) -> Pair:
    """Maria Mentor mentors Theo Mentee; both told the subcommittee things Theo and Maria
    must never see of each other (``dashboard_pair``)."""
    return dashboard_pair(cohort, coordinator)


@pytest.fixture
def mentor(pair):
    """Maria Mentor, the pair's mentor."""
    return pair.mentor.applicant


@pytest.fixture
def mentee(pair):
    """Theo Mentee, the pair's mentee."""
    return pair.mentee.applicant


@pytest.fixture
def met(pair):
    """The pair logged 2.3 hours, past the cohort's minimum of 2."""
    start = pair.cohort.formal_start
    contact(pair, minutes=75, day=start + datetime.timedelta(days=10), method="virtual")
    contact(pair, minutes=63, day=start + datetime.timedelta(days=40), method="email")
    return pair


@pytest.fixture
def over(met):
    """Formal mentoring ended yesterday; the pair met the minimum (2.3 of 2 hours)."""
    pair = met
    type(pair.cohort).objects.filter(pk=pair.cohort.pk).update(
        formal_end=TODAY - datetime.timedelta(days=1)
    )
    return Pair.objects.get(pk=pair.pk)
