"""Fixtures of the portal's own tests: a task cluster that looks alive to /healthz, a pair
on its dashboard (for the security headers and the error reports), and a local time zone
that is not UTC (for the logs)."""

import io
import os
import time

import pytest
from django.core.management import call_command

from members.roles import COORDINATORS
from portal.health import HEARTBEAT_SCHEDULE, SCHEDULER_SCHEDULE
from tests.cohorts.factories import cohort_under_way, dashboard_page, dashboard_pair
from tests.factories import member
from tests.portal.factories import task_run
from tests.portal.helpers import ScratchDatabases


@pytest.fixture
def running_cluster(db) -> None:
    """Every schedule declared, the dispatcher run two minutes ago and a heartbeat ten
    seconds ago: /healthz answers 200 unless a test changes that."""
    call_command("setup_schedules", stdout=io.StringIO())
    task_run(SCHEDULER_SCHEDULE, seconds_ago=120)
    task_run(HEARTBEAT_SCHEDULE, seconds_ago=10)


@pytest.fixture
def dashboard(home):
    """The pair dashboard page."""
    return dashboard_page(home)


@pytest.fixture
def pair(home):
    """Maria Mentor mentors Theo Mentee in a cohort under way (``dashboard_pair``)."""
    cohort = cohort_under_way(home)
    coordinator = member("coordinator@example.org", groups=[COORDINATORS])
    return dashboard_pair(cohort, coordinator)


@pytest.fixture
def mentee(pair):
    """Theo Mentee, the pair's mentee."""
    return pair.mentee.applicant


@pytest.fixture
def local_time_in_chicago():
    """The process's local time zone is America/Chicago (UTC-6 in January) for the test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/Chicago"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    """Databases of their own for the `manage.py` processes of one test module, dropped
    afterwards (``ScratchDatabases``)."""
    databases = ScratchDatabases(tmp_path_factory.mktemp("databases"), django_db_blocker)
    yield databases
    databases.drop_all()
