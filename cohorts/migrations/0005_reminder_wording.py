from django.db import migrations

# The wording as it stood when the snippets were introduced; later changes to
# cohorts.reminders.wording reach only kinds that have no snippet.
from cohorts.reminders.wording import DEFAULT_WORDING


def wording_create(apps, schema_editor):
    ReminderTemplate = apps.get_model("cohorts", "ReminderTemplate")
    for kind, (subject, body) in DEFAULT_WORDING.items():
        ReminderTemplate.objects.get_or_create(
            kind=str(kind), defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0004_reminders")]

    operations = [migrations.RunPython(wording_create, migrations.RunPython.noop)]
