"""Data migrations of the members app that act on tables outside the portal's models."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

forget_admin_log = importlib.import_module("members.migrations.0006_forget_django_admin_log")
# What the migration reads of its schema editor: the connection. (SQLite's schema editor
# cannot open inside the test's transaction.)
SCHEMA_EDITOR = SimpleNamespace(connection=connection)


def test_the_old_django_admin_log_is_emptied_of_the_names_it_held():
    """A database that once had Django's admin keeps its log table, now emptied: nothing reads
    it and an account's erasure no longer reaches it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE django_admin_log (id integer PRIMARY KEY, object_repr varchar(200))"
        )
        cursor.execute("INSERT INTO django_admin_log VALUES (1, 'Theo Mentee')")
    forget_admin_log.django_admin_log_empty(apps, SCHEMA_EDITOR)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_admin_log")
        assert cursor.fetchone()[0] == 0


def test_a_database_that_never_had_it_is_left_alone():
    assert "django_admin_log" not in connection.introspection.table_names()
    forget_admin_log.django_admin_log_empty(apps, SCHEMA_EDITOR)
    assert "django_admin_log" not in connection.introspection.table_names()
