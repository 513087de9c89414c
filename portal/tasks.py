"""Tasks of the portal as a whole (django-q2)."""

from pathlib import Path

from django.conf import settings


def worker_heartbeat() -> str:
    """Do nothing and succeed: run every minute by the "Worker heartbeat" schedule, its last
    success in django-q2's results is the proof /healthz reads that a worker is running."""
    return "alive"


def backup_daily() -> str:
    """Run by the "Back up the database and media" schedule: one archive in BACKUP_DIR,
    encrypted to BACKUP_AGE_RECIPIENTS when set, the newest BACKUP_KEEP kept. A failure
    raises, so the task is recorded as failed and /healthz reports it."""
    from portal.backup.schedule import backup_scheduled_run

    return backup_scheduled_run(
        directory=Path(settings.BACKUP_DIR),
        keep=settings.BACKUP_KEEP,
        recipients=settings.BACKUP_AGE_RECIPIENTS,
    ).describe()
