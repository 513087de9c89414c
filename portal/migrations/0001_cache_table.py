"""The table of the database cache (core/cache.py) that every process shares when REDIS_URL
is unset: made wherever the portal is migrated, so no set-up can miss it. `manage.py
createcachetable` does the same, and makes it later if the cache settings change."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]
