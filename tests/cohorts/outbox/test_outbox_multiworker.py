"""Several workers on one database: two `qcluster` processes (two workers each), as two
machines would run them, share the outbox's work and send every reminder exactly once.

Both clusters read one queue through the ORM broker, which hands a task to one of them with
a conditional UPDATE of its lock; on top of that every outbox row is offered to them three
times, in overlapping batches, so their workers race for the same rows and only the outbox's
per-row claim keeps a message from going twice. On the PostgreSQL pass the clusters share a
PostgreSQL database of their own (freshly migrated); on the SQLite pass, a SQLite file.
"""

import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from tests.cohorts.outbox.qcluster_process import (
    cluster_start,
    cluster_stop,
    manage_shell,
    wait_until,
    worker_environment,
)
from tests.databases import database_copy, postgres_admin, postgres_url

CLUSTERS = 2
WORKERS = 2
PAIRS = 200  # 400 messages
SMALL_BATCH = 10
SINK_DELAY_SECONDS = 0.005
WAIT_SECONDS = 150
MESSAGE_ID = re.compile(r"<outbox\.(\d+)\.checkin@")
# The dispatcher writes the check-ins and queues them in batches of 100; every row is then
# queued twice more in small batches, so the two clusters compete for every row.
SEED = (
    "from django_q.tasks import async_task\n"
    "from cohorts.models import OutboxMessage\n"
    "from cohorts.outbox.services import DELIVER_TASK\n"
    "from cohorts.reminders.services.dispatch import reminders_dispatch\n"
    "from tests.cohorts.outbox.outbox_load import checkin_cohort\n"
    f"checkin_cohort(pairs={PAIRS})\n"
    "reminders_dispatch()\n"
    "ids = sorted(OutboxMessage.objects.values_list('pk', flat=True))\n"
    f"for start in range(0, len(ids), {SMALL_BATCH}):\n"
    "    for _ in range(2):\n"
    f"        async_task(DELIVER_TASK, ids[start : start + {SMALL_BATCH}])\n"
)
OUTBOX = (
    "import json\n"
    "from cohorts.models import OutboxMessage\n"
    "print(json.dumps(dict(OutboxMessage.objects.values_list('pk', 'status'))))\n"
)
PROCESSED = re.compile(r"Processed '")


@pytest.fixture
def shared_database(db, tmp_path):
    """The database URL both clusters use: a copy of the migrated test database on SQLite;
    on PostgreSQL a database of its own, migrated, and dropped afterwards (the test's own
    database holds an open transaction no other process can see into)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        database_copy(path)
        yield f"sqlite:///{path}"
        return
    name = f"{connection.settings_dict['NAME']}_workers"
    postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
                "DATABASE_URL": postgres_url(name),
            },
            check=True,
        )
        yield postgres_url(name)
    finally:
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_clusters_on_one_database_send_every_reminder_once(
    shared_database, slow_sink, tmp_path
):
    sink, port = slow_sink
    env = {**worker_environment(shared_database, port, WORKERS), "LOG_LEVEL": "INFO"}
    manage_shell(env, SEED)
    total = len(json.loads(manage_shell(env, OUTBOX)))
    logs = [tmp_path / f"qcluster-{number}.log" for number in range(CLUSTERS)]
    clusters = []
    try:
        clusters = [cluster_start(env, log) for log in logs]
        wait_until(
            lambda: sink.count >= total, what="every message arrived", log=logs[0], seconds=150
        )
        # Every task was queued three times over: let the clusters drain the rest, so that
        # a late duplicate would still arrive before the count below.
        wait_until(
            lambda: (
                manage_shell(
                    env, "from django_q.models import OrmQ\nprint(OrmQ.objects.count())\n"
                ).strip()
                == "0"
            ),
            what="the queue is empty",
            log=logs[1],
            seconds=WAIT_SECONDS,
        )
    finally:
        for process in clusters:
            cluster_stop(process)

    statuses = json.loads(manage_shell(env, OUTBOX))
    received = Counter(int(MESSAGE_ID.search(mid)[1]) for mid in sink.message_ids)
    assert total == 2 * PAIRS
    assert Counter(statuses.values()) == {"sent": total}
    assert [pk for pk, times in received.items() if times > 1] == []
    assert set(received) == {int(pk) for pk in statuses}
    # Both clusters did part of the work.
    processed = [len(PROCESSED.findall(log.read_text())) for log in logs]
    assert all(count > 0 for count in processed), processed
    assert sum(processed) == total // 100 + 2 * (total // SMALL_BATCH)
