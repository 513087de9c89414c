"""Fixtures of the portal's own tests: a task cluster that looks alive to /healthz."""

import io

import pytest
from django.core.management import call_command

from portal.health import HEARTBEAT_SCHEDULE, SCHEDULER_SCHEDULE
from tests.portal.factories import task_run


@pytest.fixture
def running_cluster(db) -> None:
    """Every schedule declared, the dispatcher run two minutes ago and a heartbeat ten
    seconds ago: /healthz answers 200 unless a test changes that."""
    call_command("setup_schedules", stdout=io.StringIO())
    task_run(SCHEDULER_SCHEDULE, seconds_ago=120)
    task_run(HEARTBEAT_SCHEDULE, seconds_ago=10)
