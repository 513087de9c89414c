"""Health checks, as JSON, never cached, reading no personal data.

``/healthz`` is for alerts: it answers 200 only when

- the database answers;
- no task has waited longer than HEALTH_QUEUE_MAX_AGE seconds for a worker;
- the scheduler is alive: the last run of "Dispatch due reminders" (every five minutes) is
  no older than three of its periods plus a task's timeout, and it did not fail;
- a worker is alive: the last success of "Worker heartbeat" (every minute) is no older than
  three of its periods plus a task's timeout;
- backups happen: the last success of "Back up the database and media" (daily) is no older
  than three days, and its last run did not fail.

and 503 otherwise. A schedule that never ran yet is measured from the run it is waiting for
(its ``next_run``); a schedule that is missing (``setup_schedules`` never ran) is unhealthy.
On a quiet site no task waits, so only the last two show a stopped ``qcluster``.

``/healthz/web`` is for a load balancer and the web container's own health check: it answers
200 whenever this process and its database answer, so a stopped worker does not take the
web processes out of service.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Schedules whose runs prove the task cluster alive (declared in setup_schedules), and
# whether only a successful run counts.
SCHEDULER_SCHEDULE = "Dispatch due reminders"
HEARTBEAT_SCHEDULE = "Worker heartbeat"
BACKUP_SCHEDULE = "Back up the database and media"
WATCHED = {
    "scheduler": (SCHEDULER_SCHEDULE, False),
    "worker": (HEARTBEAT_SCHEDULE, True),
    "backup": (BACKUP_SCHEDULE, True),
}
PERIODS_BEFORE_STALE = 3


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _queue() -> dict:
    """Tasks waiting for a worker and the age of the oldest, in seconds.

    With the ORM broker a waiting task's `lock` is the time it was queued (a worker that
    takes it moves the lock into the future).
    """
    from django_q.models import OrmQ

    now = timezone.now()
    waiting = OrmQ.objects.filter(lock__lte=now)
    oldest = waiting.order_by("lock").values_list("lock", flat=True).first()
    return {
        "waiting": waiting.count(),
        "oldest_seconds": round((now - oldest).total_seconds()) if oldest else 0,
    }


def schedule_max_age(*, period: int) -> int:
    """Seconds after which a schedule's last run is stale: three periods, plus a task's
    timeout (a run may wait behind tasks that take that long)."""
    return PERIODS_BEFORE_STALE * period + int(settings.Q_CLUSTER.get("timeout", 0))


def schedule_liveness(*, name: str, successes_only: bool) -> dict:
    """How long ago the schedule `name` last ran (only successful runs count with
    `successes_only`), or, never run, has been due, against the age at which that is stale;
    ``status`` is ok, stale, failing (its latest run failed) or missing."""
    from django_q.models import Schedule, Task

    schedule = Schedule.objects.filter(name=name).first()
    if schedule is None:
        return {"schedule": name, "status": "missing", "last_run_seconds": None}
    period = _period_seconds(schedule)
    limit = schedule_max_age(period=period)
    runs = Task.objects.filter(group=name, stopped__isnull=False).order_by("-stopped")
    latest = runs.values("stopped", "success").first()
    counted = runs.filter(success=True).values("stopped").first() if successes_only else latest
    since = counted["stopped"] if counted else schedule.next_run
    age = max(0, round((timezone.now() - since).total_seconds())) if since else 0
    if age > limit:
        status = "stale"
    elif latest and not latest["success"]:
        status = "failing"
    else:
        status = "ok"
    return {
        "schedule": name,
        "status": status,
        # Seconds since the last counted run ended (None: none yet).
        "last_run_seconds": age if counted else None,
        # What is compared with the limit: that age, or how long the first run has been due.
        "age_seconds": age,
        "period_seconds": period,
        "max_age_seconds": limit,
    }


def _period_seconds(schedule) -> int:
    """The schedule's period, as declared in its row (setup_schedules)."""
    if schedule.schedule_type == schedule.MINUTES:
        return (schedule.minutes or 1) * 60
    return {
        schedule.HOURLY: 3600,
        schedule.DAILY: 86400,
        schedule.WEEKLY: 7 * 86400,
    }.get(schedule.schedule_type, 86400)


def health_report() -> tuple[dict, bool]:
    """What /healthz answers, and whether it is healthy (module docstring)."""
    limit = getattr(settings, "HEALTH_QUEUE_MAX_AGE", 600)
    body, healthy = {"database": "unreachable"}, False
    if _database_ok():
        try:
            body, healthy = _tasks_report(limit=limit), True
        except DatabaseError:  # the database went away between the two checks
            pass
        healthy = healthy and body["queue"]["oldest_seconds"] <= limit
        healthy = healthy and all(body[key]["status"] == "ok" for key in WATCHED)
    body.setdefault("queue", {"waiting": None, "oldest_seconds": None, "max_age_seconds": limit})
    return {"status": "ok" if healthy else "unhealthy", **body}, healthy


def _tasks_report(*, limit: int) -> dict:
    report = {"database": "ok", "queue": {**_queue(), "max_age_seconds": limit}}
    for key, (name, successes_only) in WATCHED.items():
        report[key] = schedule_liveness(name=name, successes_only=successes_only)
    return report


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    """The whole portal: database, task queue, scheduler, worker and backups."""
    body, healthy = health_report()
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def healthz_web(request) -> JsonResponse:
    """This web process and its database only, for load balancers (module docstring)."""
    database = _database_ok()
    return JsonResponse(
        {
            "status": "ok" if database else "unhealthy",
            "database": "ok" if database else "unreachable",
        },
        status=200 if database else 503,
    )
