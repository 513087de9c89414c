"""Background tasks (django-q2) are queued only once the writes they read are committed."""

from django.db import transaction


def enqueue_on_commit(func: str, *args, **kwargs) -> None:
    """Queue ``func`` (a dotted path; the task takes ids) after the current transaction
    commits, or at once outside one. A rolled-back transaction queues nothing."""
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task(func, *args, **kwargs))
