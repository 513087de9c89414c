"""Empty the change log of Django's own admin, which the portal no longer installs.

Its rows name the people whose records were changed there (``object_repr``). With the app
gone nothing reads them, and the erasure of an account (members.services.accounts) can no
longer reach them, so they go. The table itself is left in place: a database that never had
Django's admin has no such table, and one that had it keeps a valid schema.
"""

from django.db import migrations

DJANGO_ADMIN_LOG = "django_admin_log"


def django_admin_log_empty(apps, schema_editor):
    connection = schema_editor.connection
    if DJANGO_ADMIN_LOG not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        # The table name is a constant of this module, never input.
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(DJANGO_ADMIN_LOG)}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_profile_user_label"),
    ]

    operations = [
        migrations.RunPython(django_admin_log_empty, migrations.RunPython.noop, elidable=True),
    ]
