"""The record of the standard pages bootstrap_site created (portal.StructureRecord).

On a site that already has a portal home page, the pages the first release of bootstrap_site
built under it count as created, whether they are still there or not: one an editor deleted
or renamed before the upgrade stays that way. The pages added to the structure since (how
to apply, the privacy notice, the accessibility statement) are not among them, so the next
``bootstrap_site`` adds each of them that the site lacks. The keys are written out here, not
read from portal/content/structure.json, which goes on changing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FIRST_RELEASE_KEYS = ("resources", "news", "about", "cohorts", "contact", "my-mentoring")


def records_of_an_existing_site(apps, schema_editor):
    HomePage = apps.get_model("home", "HomePage")
    Page = apps.get_model("wagtailcore", "Page")
    StructureRecord = apps.get_model("portal", "StructureRecord")
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    found = dict(children.filter(slug__in=FIRST_RELEASE_KEYS).values_list("slug", "pk"))
    StructureRecord.objects.bulk_create(
        StructureRecord(key=key, page_id=found.get(key)) for key in FIRST_RELEASE_KEYS
    )


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0001_cache_table'),
        ('home', '0008_standardpage_show_in_footer'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StructureRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=255, unique=True)),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
            ],
            options={
                'verbose_name': 'standard page created by the portal',
                'verbose_name_plural': 'standard pages created by the portal',
                'ordering': ['key'],
            },
        ),
        migrations.RunPython(records_of_an_existing_site, migrations.RunPython.noop),
    ]
