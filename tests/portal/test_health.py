"""/healthz: the database and the task queue, as a load balancer and alerts read them."""

import datetime

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_q.models import OrmQ

from portal import health

pytestmark = pytest.mark.django_db


def test_healthy_with_an_empty_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "queue": {"waiting": 0, "oldest_seconds": 0, "max_age_seconds": 600},
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_task_waiting_too_long_makes_it_unhealthy(client, settings):
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
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_served_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/search/").status_code == 301
