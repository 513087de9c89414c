"""`/healthz`: whether this process can reach the database, and how long the oldest task
has waited for a worker; for a load balancer's health check and for alerts.

It answers 200 when the database answers and no task has waited longer than
HEALTH_QUEUE_MAX_AGE seconds, 503 otherwise, as JSON with the figures. It reads no
personal data and is never cached.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    database = _database_ok()
    queue = _queue() if database else {"waiting": None, "oldest_seconds": None}
    limit = getattr(settings, "HEALTH_QUEUE_MAX_AGE", 600)
    stale = queue["oldest_seconds"] is not None and queue["oldest_seconds"] > limit
    healthy = database and not stale
    return JsonResponse(
        {
            "status": "ok" if healthy else "unhealthy",
            "database": "ok" if database else "unreachable",
            "queue": {**queue, "max_age_seconds": limit},
        },
        status=200 if healthy else 503,
    )
