"""Once created the snippet of each reminder kind here, from the live built-in wording.

The snippets are now created after every ``migrate`` by
cohorts.reminders.services.wording.reminder_wording_ensure (a post_migrate receiver), which
also gives a database set up before a kind existed that kind's snippet. This migration no
longer imports code that goes on changing, so it can never break a later fresh install.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0004_reminders")]

    operations = []
