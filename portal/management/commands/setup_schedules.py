import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django_q.models import Schedule

from portal.health import BACKUP_SCHEDULE, HEARTBEAT_SCHEDULE, SCHEDULER_SCHEDULE

# Every recurring task of the portal, declared here and nowhere else: name → settings.
# Missed runs are not replayed after an outage (Q_CLUSTER["catch_up"] is off); the
# dispatcher itself sends whatever fell due while the worker was down, and the retention
# run erases every cohort whose day has passed, however long ago, and every contact message
# past CONTACT_MESSAGE_RETENTION_DAYS.
# /healthz watches the dispatcher, the heartbeat and the backup (portal/health.py).
SCHEDULES = {
    SCHEDULER_SCHEDULE: {  # "Dispatch due reminders"
        "func": "cohorts.reminders.tasks.reminders_dispatch",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
        "repeats": -1,
    },
    "Send the contact messages past the hourly ceiling": {
        "func": "home.tasks.contact_digest_send",
        "schedule_type": Schedule.HOURLY,
        "repeats": -1,
    },
    "Erase personal data past retention": {
        "func": "cohorts.reports.tasks.retention_erase_due",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
    },
    # Lapses a membership that lapsed at the association; does nothing without SSO_ISSUER
    # (members/sso/tasks.py).
    "Refresh memberships from the association's sign-on": {
        "func": "members.sso.tasks.sso_memberships_refresh",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
    },
    # Its last success tells /healthz that a worker runs (portal/health.py).
    HEARTBEAT_SCHEDULE: {  # "Worker heartbeat"
        "func": "portal.tasks.worker_heartbeat",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
        "repeats": -1,
    },
    # BACKUP_DIR, BACKUP_KEEP, BACKUP_AGE_RECIPIENTS (portal/backup/schedule.py). A backup
    # may take longer than Q_CLUSTER's timeout, so it has an hour of its own.
    BACKUP_SCHEDULE: {  # "Back up the database and media"
        "func": "portal.tasks.backup_daily",
        "schedule_type": Schedule.DAILY,
        "repeats": -1,
        "kwargs": "{'q_options': {'timeout': 3600}}",
    },
}
# The hour (in TIME_ZONE) a newly declared daily schedule first runs, and so every day
# after; a schedule that already exists keeps its time.
FIRST_RUN_HOURS = {BACKUP_SCHEDULE: 3}
# Schedules this command owns: any other schedule of these task modules is removed.
OWNED_PREFIXES = ("cohorts.", "home.", "members.", "portal.")


class Command(BaseCommand):
    help = (
        "Create or update the portal's recurring task schedules; safe to run on every deploy "
        "(`make run` runs it)."
    )

    def handle(self, *args, **options):
        for name, fields in SCHEDULES.items():
            first_run = {}
            if name in FIRST_RUN_HOURS:
                first_run["next_run"] = next_hour(FIRST_RUN_HOURS[name])
            schedule, created = Schedule.objects.update_or_create(
                name=name, defaults=fields, create_defaults={**fields, **first_run}
            )
            self.stdout.write(f"{'Created' if created else 'Updated'} schedule: {schedule.name}")
        owned = Q()
        for prefix in OWNED_PREFIXES:
            owned |= Q(func__startswith=prefix)
        stale = Schedule.objects.exclude(name__in=SCHEDULES).filter(owned)
        for schedule in stale:
            self.stdout.write(f"Removed schedule: {schedule.name}")
        stale.delete()


def next_hour(hour: int) -> datetime.datetime:
    """The next time the clock shows `hour` o'clock in TIME_ZONE."""
    now = timezone.localtime()
    at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)
