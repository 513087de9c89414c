"""The table of the database cache (core/cache.py) that every process shares when REDIS_URL
is unset: made wherever the portal is migrated, whatever the settings of the process that
migrates (a database migrated under other settings is still ready for production's), so no
set-up can miss it. `manage.py createcachetable` does the same for the cache settings."""

from django.core.management import call_command
from django.db import migrations

from core.cache import CACHE_TABLE


def create_cache_tables(apps, schema_editor):
    call_command(
        "createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]
