"""Builders for the portal's own records: finished runs of django-q2's scheduled tasks, as
the task cluster writes them, for the health check's tests::

    task_run("Worker heartbeat", seconds_ago=30)                  # a heartbeat 30 s ago
    task_run("Dispatch due reminders", seconds_ago=60, success=False)   # a failed run
"""

import datetime
import uuid

from django.utils import timezone
from django_q.models import Task


def task_run(schedule: str, *, seconds_ago: int, success: bool = True) -> Task:
    """A run of `schedule`'s task that ended `seconds_ago` seconds ago; django-q2 files a
    scheduled task under its schedule's name (its group)."""
    stopped = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name=f"run-{uuid.uuid4().hex[:8]}",
        func="portal.tasks.worker_heartbeat",
        group=schedule,
        started=stopped - datetime.timedelta(seconds=1),
        stopped=stopped,
        success=success,
    )
