"""The superusers' view of the task worker, under Settings: the recurring schedules and the
tasks that failed, read only.

Every schedule is declared in ``manage.py setup_schedules`` and every task is queued by the
portal's own code: no screen adds, changes, runs or deletes one, because naming a function
for the worker to run would run any code on it. Task arguments are never shown (they are
ids); a failed task shows the first line of its error.
"""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_q.models import Failure, Schedule
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy

from core.viewsets import ReadOnlyViewSet, SuperuserOnlyPermissionPolicy

ERROR_MAX_LENGTH = 200
NEVER = "—"

for _model in (Schedule, Failure):
    register_permission_policy(_model, SuperuserOnlyPermissionPolicy(_model))


def _when(value) -> str:
    return date_format(localtime(value), "DATETIME_FORMAT") if value else NEVER


def _every(schedule: Schedule) -> str:
    if schedule.schedule_type == Schedule.MINUTES:
        return f"Every {schedule.minutes} minutes"
    return schedule.get_schedule_type_display()


def _last_run(schedule: Schedule) -> str:
    outcome = schedule.success()
    if outcome is None:
        return NEVER
    return "Succeeded" if outcome else "Failed"


def failure_summary(task: Failure) -> str:
    """The first line of a failed task's error (django-q2 stores "<error> : <traceback>"),
    cut to ``ERROR_MAX_LENGTH`` characters."""
    text = str(task.result or "").split(" : Traceback", 1)[0].strip()
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= ERROR_MAX_LENGTH else first[: ERROR_MAX_LENGTH - 1] + "…"


class _SuperusersOnlyViewSet(ReadOnlyViewSet):
    """A listing only active superusers see, with no screen of its own for one row."""

    add_to_settings_menu = True
    add_to_reference_index = False
    inspect_view_enabled = False
    list_per_page = 50

    def get_permissions_to_register(self):
        # Group permissions would mean nothing here: the screen is for superusers only.
        from django.contrib.auth.models import Permission

        return Permission.objects.none()

    def register_admin_url_finder(self):
        return None


class ScheduleViewSet(_SuperusersOnlyViewSet):
    """The recurring tasks ``setup_schedules`` declared, when each runs next and how its
    last run went."""

    model = Schedule
    icon = "time"
    menu_label = "Scheduled tasks"
    url_prefix = "tasks/schedules"
    url_namespace = "portal_schedules"
    list_display = [
        Column("name", label="Name", sort_key="name"),
        Column("func", label="Function"),
        Column("every", label="Runs", accessor=_every),
        Column("next_run", label="Next run", accessor=lambda s: _when(s.next_run)),
        Column("last_run", label="Last run", accessor=_last_run),
    ]
    ordering = ["next_run", "pk"]


class FailedTaskViewSet(_SuperusersOnlyViewSet):
    """Tasks that failed after their last attempt, newest first (django-q2 keeps the last
    ``Q_CLUSTER["save_limit"]``)."""

    model = Failure
    icon = "warning"
    menu_label = "Failed tasks"
    url_prefix = "tasks/failed"
    url_namespace = "portal_failed_tasks"
    list_display = [
        Column("name", label="Task", sort_key="name"),
        Column("func", label="Function"),
        Column("stopped", label="Failed", accessor=lambda t: _when(t.stopped), sort_key="stopped"),
        Column("attempt_count", label="Attempts"),
        Column("error", label="Error", accessor=failure_summary),
    ]
    ordering = ["-stopped"]
