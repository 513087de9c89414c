"""Writes of the editors' wording: every kind of program e-mail has a snippet to edit.

A kind without a snippet still sends its built-in wording (``rendering.wording_for``), but
editors could neither see nor change it: they may edit a snippet, not add one. So
``reminder_wording_ensure`` gives each kind that has none a snippet with the built-in
wording of cohorts.reminders.wording. It runs after every ``manage.py migrate`` (Django's
post_migrate signal, connected in ``CohortsConfig.ready``): a new database gets a snippet
for every kind, and a database set up before a kind existed gets that kind's with the
upgrade that brings it. ``bootstrap_site`` runs it too. A snippet that exists is never
changed.
"""

from django.db import DEFAULT_DB_ALIAS

from cohorts.reminders.models import ReminderTemplate
from cohorts.reminders.wording import DEFAULT_WORDING


def reminder_wording_ensure(*, model=ReminderTemplate, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the snippet of each kind that has none, with its built-in wording; returns
    those kinds. `model` is the snippet model as the caller knows it (a migration's state
    after ``migrate``)."""
    snippets = model.objects.using(using)
    existing = set(snippets.values_list("kind", flat=True))
    missing = [str(kind) for kind in DEFAULT_WORDING if str(kind) not in existing]
    # Two processes migrating at once may both find a kind missing: the kind is unique.
    snippets.bulk_create(
        [
            model(kind=kind, subject=DEFAULT_WORDING[kind][0], body=DEFAULT_WORDING[kind][1])
            for kind in missing
        ],
        ignore_conflicts=True,
    )
    return missing


def reminder_wording_after_migrate(*, apps, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: ``reminder_wording_ensure`` with the snippet model of the
    migrated state; nothing when that state has no snippets (migrated back before them)."""
    try:
        model = apps.get_model("cohorts", "ReminderTemplate")
    except LookupError:
        return
    reminder_wording_ensure(model=model, using=using)
