"""What the retention tests share: the association's time zone, the daily erasure run with
its on-commit work, and the coordinators' retention screen at a given moment."""

import datetime
import zoneinfo

from django.urls import reverse

from cohorts.reports.tasks import retention_erase_due

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
SCREEN = "cohorts_retention:index"


def run_daily_task(captured) -> list[int]:
    """The daily erasure, its on-commit work run (``captured``:
    django_capture_on_commit_callbacks); the ids of the cohorts erased."""
    with captured(execute=True):
        return retention_erase_due()


def screen(client, user, time_machine, when: datetime.datetime) -> str:
    """The screen as ``user`` sees it at ``when`` (logged in then: sessions expire)."""
    time_machine.move_to(when, tick=False)
    client.force_login(user)
    response = client.get(reverse(SCREEN))
    assert response.status_code == 200
    return response.content.decode()
