from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def clear_erased_liaisons(apps, schema_editor):
    """Pairs whose liaison's account was deleted before the erasure cleared it: no liaison
    from now on, marked with the day the account went, so "Needs attention" lists the
    running ones until a coordinator names another liaison. Nobody is e-mailed."""
    Pair = apps.get_model("cohorts", "Pair")
    User = apps.get_model("members", "User")
    erased = Pair.objects.filter(liaison__erased_at__isnull=False)
    erased_at = User.objects.filter(pk=OuterRef("liaison_id")).values("erased_at")[:1]
    erased.update(liaison_erased_at=Subquery(erased_at))
    Pair.objects.filter(liaison__erased_at__isnull=False).update(liaison=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0013_reminder_kinds_with_partner_left"),
        ("members", "0003_user_erased_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="pair",
            name="liaison_erased_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(clear_erased_liaisons, migrations.RunPython.noop),
    ]
