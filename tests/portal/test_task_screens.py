"""The task worker in the admin: Django's own admin is gone, and superusers read the
schedules and the failed tasks on read-only screens; nobody can name a function for the
worker to run."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from django_q.models import Schedule, Task

from members.roles import COORDINATORS
from tests.factories import UserFactory, member
from tests.helpers import PERMISSION_DENIED, html, messages_of, sidebar_menu

pytestmark = pytest.mark.django_db

TRACEBACK = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: inner detail'


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def failed_task():
    """A task that failed on its third attempt, with django-q2's "<error> : <traceback>"."""
    now = timezone.now()
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name="tango-kilo-one",
        func="cohorts.reports.tasks.retention_erase_cohort",
        args=(4242,),
        started=now - datetime.timedelta(seconds=3),
        stopped=now,
        success=False,
        attempt_count=3,
        result=f"Erasure refused for cohort 4242 : {TRACEBACK}",
    )


def every_route() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                module = getattr(pattern.callback, "__module__", "")
                yield prefix + str(pattern.pattern), module

    return list(walk(get_resolver().url_patterns))


def test_django_admin_is_neither_installed_nor_routed(client, superuser):
    from django.apps import apps

    assert not apps.is_installed("django.contrib.admin")
    routes = every_route()
    assert not [route for route, _ in routes if route.startswith("django-admin")]
    assert not [route for route, module in routes if module.startswith("django.contrib.admin")]
    client.force_login(superuser)
    for address in ("/django-admin/", "/django-admin/login/", "/django-admin/django_q/"):
        assert client.get(address).status_code == 404


def test_superusers_read_the_schedules_and_the_failed_tasks(client, superuser, failed_task):
    call_command("setup_schedules", stdout=io.StringIO())
    client.force_login(superuser)
    settings_menu = next(
        item for item in sidebar_menu(html(client.get("/admin/"))) if item["name"] == "settings"
    )
    labels = [item["label"] for item in settings_menu["items"]]
    assert "Scheduled tasks" in labels and "Failed tasks" in labels

    schedules = html(client.get(reverse("portal_schedules:index")))
    assert "Dispatch due reminders" in schedules and "Every 5 minutes" in schedules
    assert "cohorts.reminders.tasks.reminders_dispatch" in schedules
    failures = html(client.get(reverse("portal_failed_tasks:index")))
    assert "Erasure refused for cohort 4242" in failures
    assert "tango-kilo-one" in failures
    assert "Traceback" not in failures and "inner detail" not in failures


def test_nobody_adds_changes_runs_or_deletes_a_task_there(client, superuser, failed_task):
    for namespace in ("portal_schedules", "portal_failed_tasks"):
        for name, args in (("add", []), ("edit", [1]), ("delete", [1]), ("inspect", [1])):
            with pytest.raises(NoReverseMatch):
                reverse(f"{namespace}:{name}", args=args)
    client.force_login(superuser)
    before = (Schedule.objects.count(), Task.objects.count())
    for address in (reverse("portal_schedules:index"), reverse("portal_failed_tasks:index")):
        client.post(address, {"func": "builtins.eval", "name": "x", "args": "'1'"})
        assert 'name="func"' not in html(client.get(address))
    assert (Schedule.objects.count(), Task.objects.count()) == before


def test_coordinators_do_not_see_the_task_screens(client, failed_task):
    client.force_login(member(groups=[COORDINATORS]))
    menu = sidebar_menu(html(client.get("/admin/")))
    urls = [item.get("url") for item in menu] + [
        child.get("url") for item in menu for child in item.get("items", [])
    ]
    assert reverse("portal_failed_tasks:index") not in urls
    for address in (reverse("portal_schedules:index"), reverse("portal_failed_tasks:index")):
        response = client.get(address)
        assert response.status_code == 302
        assert PERMISSION_DENIED in messages_of(response)
