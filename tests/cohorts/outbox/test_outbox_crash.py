"""Crash safety of the outbox under a real django-q2 worker.

A real `qcluster` delivers a quarterly check-in to a few hundred participants through a
slow SMTP server; it is killed with SIGKILL in the middle of the batch (a crash: no
clean-up runs), the dispatcher then runs as it would once the killed worker's rows are old
enough to judge (after INTERRUPTED_AFTER), and a new `qcluster` finishes the work. Whatever
happens, no e-mail may arrive twice, and only the message each worker had in flight may be
lost (marked failed as interrupted).

The worker runs on a copy of pytest's migrated test database in a temporary file, with the
development settings (SQLite in WAL mode with a busy timeout, the ORM broker).
"""

import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings

from cohorts.outbox.services import INTERRUPTED, INTERRUPTED_AFTER, REENQUEUE_AFTER
from tests.cohorts.outbox.qcluster_process import (
    cluster_kill,
    cluster_start,
    cluster_stop,
    manage_shell,
    wait_until,
    worker_environment,
)
from tests.databases import database_copy

WORKERS = 2
PAIRS = 150  # 300 messages
SINK_DELAY_SECONDS = 0.03
KILL_AFTER_RECEIVED = 60
WAIT_SECONDS = 120
MESSAGE_ID = re.compile(r"<outbox\.(\d+)\.checkin@")
SEED_AND_DISPATCH = (
    "from tests.cohorts.outbox.outbox_load import checkin_cohort\n"
    "from cohorts.reminders.services.dispatch import reminders_dispatch\n"
    f"checkin_cohort(pairs={PAIRS})\n"
    "print(reminders_dispatch())\n"
)
# The dispatcher as it runs once a crashed worker's rows are old enough to be judged:
# rows left "sending" are marked interrupted, rows still queued are queued again.
LATER_MINUTES = int(max(INTERRUPTED_AFTER, REENQUEUE_AFTER).total_seconds() // 60) + 1
RECOVER = (
    "import datetime\n"
    "from django.utils import timezone\n"
    "from cohorts.reminders.services.dispatch import reminders_dispatch\n"
    f"later = timezone.now() + datetime.timedelta(minutes={LATER_MINUTES})\n"
    "print(reminders_dispatch(now=later))\n"
)


def outbox_rows(database: Path) -> dict[int, tuple[str, str]]:
    """{id: (status, last_error)} of every outbox row, read beside the running worker."""
    with closing(sqlite3.connect(database, timeout=20)) as connection:
        rows = connection.execute("SELECT id, status, last_error FROM cohorts_outboxmessage")
        return {pk: (status, error) for pk, status, error in rows}


def unfinished(database: Path) -> int:
    return sum(status in ("queued", "sending") for status, _ in outbox_rows(database).values())


@pytest.fixture
def worker_database(db, tmp_path) -> Path:
    """A SQLite file for the worker processes: a copy of the migrated test database on the
    SQLite pass, a freshly migrated file on the PostgreSQL pass (the test's own database
    holds an open transaction other processes cannot see into)."""
    from django.db import connection

    database = tmp_path / "db.sqlite3"
    if connection.vendor == "sqlite":
        database_copy(database)
    else:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
        env["DATABASE_URL"] = f"sqlite:///{database}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
    return database


def test_a_killed_worker_sends_nothing_twice_and_loses_at_most_its_message_in_flight(
    worker_database, slow_sink, tmp_path
):
    sink, port = slow_sink
    env = worker_environment(worker_database, port, WORKERS)
    log = tmp_path / "qcluster.log"
    clusters: list[subprocess.Popen] = []
    try:
        manage_shell(env, SEED_AND_DISPATCH)
        total = len(outbox_rows(worker_database))
        clusters.append(cluster_start(env, log))
        wait_until(
            lambda: sink.count >= KILL_AFTER_RECEIVED,
            what="a part arrived",
            log=log,
            seconds=WAIT_SECONDS,
        )
        cluster_kill(clusters[0])  # a crash: every process of the cluster, at once
        received_before_crash = sink.count
        manage_shell(env, RECOVER)
        clusters.append(cluster_start(env, log))
        wait_until(
            lambda: unfinished(worker_database) == 0,
            what="all were sent",
            log=log,
            seconds=WAIT_SECONDS,
        )
    finally:
        for process in clusters:
            cluster_stop(process)

    rows = outbox_rows(worker_database)
    received = Counter(int(MESSAGE_ID.search(mid)[1]) for mid in sink.message_ids)
    sent = {pk for pk, (status, _) in rows.items() if status == "sent"}
    interrupted = {pk for pk, row in rows.items() if row == ("failed", INTERRUPTED)}
    assert total == 2 * PAIRS
    assert received_before_crash < total, "the worker finished before it could be killed"
    assert [pk for pk, times in received.items() if times > 1] == []
    assert sent | interrupted == set(rows)
    assert all(received[pk] == 1 for pk in sent)
    assert len(interrupted) <= WORKERS
    assert set(received) <= set(rows)
    assert sum(received.values()) == len(sent) + sum(received[pk] for pk in interrupted)
