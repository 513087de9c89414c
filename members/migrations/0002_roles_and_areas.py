"""The roles (Coordinators, Chair, Editors) and the starting list of areas of interest."""

from django.db import migrations

AREAS = [
    "Acquisitions",
    "Cataloging and metadata",
    "Collection development and management",
    "Continuing resources",
    "Preservation",
    "Technical services management",
    "Leadership",
    "Career development",
]


def create(apps, schema_editor):
    from members.roles import roles_sync

    AreaOfInterest = apps.get_model("members", "AreaOfInterest")
    for order, name in enumerate(AREAS):
        AreaOfInterest.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("home", "0002_editors_publish_and_keep_settings"),
        ("resources", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
