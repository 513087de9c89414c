"""A member number is held by one automatically verified account (roster or sign-on).

Accounts that already share a number, verified by two logins or roster matches at the same
instant before this constraint, keep the first verified; the later ones go back to waiting
for a coordinator, who sees every account holding the number on the decision screen.
"""

import django.db.models.functions.text
from django.db import migrations, models

AUTOMATIC = ["roster", "sign_on"]


def later_holders_wait(apps, schema_editor) -> None:
    MemberProfile = apps.get_model("members", "MemberProfile")
    held = set()
    profiles = (
        MemberProfile.objects.filter(
            membership_status="verified", verification_method__in=AUTOMATIC
        )
        .exclude(member_number="")
        .order_by("verified_at", "pk")
    )
    for profile in profiles.only("pk", "member_number").iterator():
        number = profile.member_number.lower()
        if number in held:
            MemberProfile.objects.filter(pk=profile.pk).update(
                membership_status="pending", verification_method="", verified_at=None
            )
        held.add(number)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_sign_on_tokens_encrypted"),
    ]

    operations = [
        migrations.RunPython(later_holders_wait, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="memberprofile",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("member_number"),
                condition=models.Q(
                    ("membership_status", "verified"),
                    ("verification_method__in", AUTOMATIC),
                    models.Q(("member_number", ""), _negated=True),
                ),
                name="member_number_verified_automatically_once",
            ),
        ),
    ]
