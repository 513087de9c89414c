"""/healthz: the database, the task queue, the scheduler and a worker's heartbeat, as alerts
read them; /healthz/web: the web process and its database, as a load balancer reads them."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Task
from django_q.scheduler import scheduler

from portal import health
from portal.health import BACKUP_SCHEDULE, HEARTBEAT_SCHEDULE, SCHEDULER_SCHEDULE
from tests.portal.factories import task_run

pytestmark = pytest.mark.django_db

# Three five-minute periods plus the task timeout (120 s); three minutes plus 120 s.
SCHEDULER_LIMIT = 3 * 300 + 120
HEARTBEAT_LIMIT = 3 * 60 + 120


def test_healthy_with_an_empty_queue_and_a_live_cluster(client, running_cluster):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["queue"] == {"waiting": 0, "oldest_seconds": 0, "max_age_seconds": 600}
    assert body["scheduler"] == {
        "schedule": "Dispatch due reminders",
        "status": "ok",
        "last_run_seconds": body["scheduler"]["age_seconds"],
        "age_seconds": body["scheduler"]["age_seconds"],
        "period_seconds": 300,
        "max_age_seconds": SCHEDULER_LIMIT,
    }
    assert 119 <= body["scheduler"]["age_seconds"] <= 125
    assert body["worker"]["schedule"] == "Worker heartbeat"
    assert body["worker"]["status"] == "ok" and body["worker"]["period_seconds"] == 60
    assert body["worker"]["max_age_seconds"] == HEARTBEAT_LIMIT
    assert 9 <= body["worker"]["last_run_seconds"] <= 15
    assert "no-cache" in response["Cache-Control"]


def test_a_stale_scheduler_makes_it_unhealthy(client, running_cluster):
    task_run(HEARTBEAT_SCHEDULE, seconds_ago=5)
    Task.objects.filter(group=SCHEDULER_SCHEDULE).delete()
    task_run(SCHEDULER_SCHEDULE, seconds_ago=SCHEDULER_LIMIT - 30)
    assert client.get("/healthz").status_code == 200

    Task.objects.filter(group=SCHEDULER_SCHEDULE).delete()
    task_run(SCHEDULER_SCHEDULE, seconds_ago=SCHEDULER_LIMIT + 30)
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["scheduler"]["status"] == "stale"
    assert body["scheduler"]["last_run_seconds"] >= SCHEDULER_LIMIT + 30
    assert body["worker"]["status"] == "ok" and body["queue"]["waiting"] == 0


def test_a_stale_heartbeat_makes_it_unhealthy_and_failed_beats_do_not_count(
    client, running_cluster
):
    Task.objects.filter(group=HEARTBEAT_SCHEDULE).delete()
    task_run(HEARTBEAT_SCHEDULE, seconds_ago=HEARTBEAT_LIMIT + 20)
    task_run(HEARTBEAT_SCHEDULE, seconds_ago=5, success=False)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["worker"]["status"] == "stale"
    assert body["worker"]["last_run_seconds"] >= HEARTBEAT_LIMIT + 20
    assert body["scheduler"]["status"] == "ok"


def test_a_failing_dispatcher_makes_it_unhealthy(client, running_cluster):
    task_run(SCHEDULER_SCHEDULE, seconds_ago=5, success=False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["scheduler"]["status"] == "failing"


def test_a_failed_backup_and_a_backup_three_days_old_make_it_unhealthy(client, running_cluster):
    assert client.get("/healthz").json()["backup"]["status"] == "ok"
    task_run(BACKUP_SCHEDULE, seconds_ago=3600, success=False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["backup"]["status"] == "failing"

    task_run(BACKUP_SCHEDULE, seconds_ago=60)
    assert client.get("/healthz").status_code == 200
    Task.objects.filter(group=BACKUP_SCHEDULE).update(
        stopped=timezone.now() - datetime.timedelta(days=3, hours=1)
    )
    body = client.get("/healthz").json()
    assert body["backup"]["status"] == "stale"
    assert body["backup"]["max_age_seconds"] == 3 * 86400 + 120


def test_schedules_that_never_ran_count_from_when_they_were_due(client):
    call_command("setup_schedules", stdout=io.StringIO())
    assert client.get("/healthz").status_code == 200

    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Schedule.objects.filter(name=SCHEDULER_SCHEDULE).update(next_run=long_ago)
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["scheduler"]["status"] == "stale"
    assert body["scheduler"]["last_run_seconds"] is None
    assert body["scheduler"]["age_seconds"] >= 7200


def test_missing_schedules_are_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["scheduler"] == {
        "schedule": "Dispatch due reminders",
        "status": "missing",
        "last_run_seconds": None,
    }
    assert body["worker"]["status"] == "missing"


def test_the_real_scheduler_runs_feed_it_and_their_silence_stops_it(client):
    """The schedules of setup_schedules, run by django-q2's own scheduler (tasks run inline
    in tests), are what /healthz reads; twenty quiet minutes later it is unhealthy."""
    call_command("setup_schedules", stdout=io.StringIO())
    Schedule.objects.filter(name__in=[SCHEDULER_SCHEDULE, HEARTBEAT_SCHEDULE]).update(
        next_run=timezone.now() - datetime.timedelta(seconds=1)
    )
    scheduler()
    assert Task.objects.filter(group=HEARTBEAT_SCHEDULE, success=True).count() == 1
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["scheduler"]["last_run_seconds"] <= 5
    assert body["worker"]["last_run_seconds"] <= 5

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["scheduler"]["status"] == body["worker"]["status"] == "stale"


def test_a_task_waiting_too_long_makes_it_unhealthy(client, settings, running_cluster):
    settings.HEALTH_QUEUE_MAX_AGE = 300
    now = timezone.now()
    OrmQ.objects.create(key="portal", payload="x", lock=now - datetime.timedelta(seconds=30))
    assert client.get("/healthz").json()["queue"]["waiting"] == 1
    OrmQ.objects.create(key="portal", payload="y", lock=now - datetime.timedelta(minutes=10))
    # A task a worker has taken carries a lock in the future: it is not waiting.
    OrmQ.objects.create(key="portal", payload="z", lock=now + datetime.timedelta(minutes=2))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy" and body["database"] == "ok"
    assert body["queue"]["waiting"] == 2
    assert 595 <= body["queue"]["oldest_seconds"] <= 610


def test_an_unreachable_database_is_reported(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    for path in ("/healthz", "/healthz/web"):
        response = client.get(path)
        assert response.status_code == 503
        assert response.json()["database"] == "unreachable"


def test_a_database_lost_after_the_first_check_is_unhealthy_not_an_error(client, monkeypatch):
    def lost(**kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(health, "_queue", lost)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"


def test_the_web_check_ignores_the_task_cluster(client):
    response = client.get("/healthz/web")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert client.get("/healthz").status_code == 503


def test_only_get(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/healthz/web").status_code == 405


def test_served_over_plain_http_when_https_is_enforced(client, settings, running_cluster):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/web").status_code == 200
    assert client.get("/search/").status_code == 301


def test_the_health_command_checks_the_worker_for_its_container(running_cluster):
    out = io.StringIO()
    call_command("health", "--only", "worker", stdout=out)
    assert json.loads(out.getvalue())["status"] == "ok"

    Task.objects.filter(group=HEARTBEAT_SCHEDULE).delete()
    task_run(HEARTBEAT_SCHEDULE, seconds_ago=HEARTBEAT_LIMIT + 1)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Unhealthy"):
        call_command("health", "--only", "worker", stdout=out)
    assert json.loads(out.getvalue())["status"] == "stale"
    with pytest.raises(CommandError, match="Unhealthy"):
        call_command("health", stdout=io.StringIO())


def test_the_health_command_prints_what_healthz_answers(client, running_cluster):
    out = io.StringIO()
    call_command("health", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["status"] == "ok"
    assert printed.keys() == client.get("/healthz").json().keys()
