"""Encrypt the sign-on tokens stored before they were encrypted at rest
(members/sso/tokens.py); a token already encrypted is left as it is, so this may run again.
Reversed, the tokens are decrypted back to what allauth stored."""

from django.db import migrations

from members.sso.tokens import token_open, token_seal


def _each_token(apps, change) -> None:
    SocialToken = apps.get_model("socialaccount", "SocialToken")
    for token in SocialToken.objects.only("pk", "token", "token_secret").iterator():
        changed = {"token": change(token.token), "token_secret": change(token.token_secret)}
        if changed != {"token": token.token, "token_secret": token.token_secret}:
            SocialToken.objects.filter(pk=token.pk).update(**changed)


def tokens_seal(apps, schema_editor) -> None:
    _each_token(apps, token_seal)


def tokens_open(apps, schema_editor) -> None:
    _each_token(apps, token_open)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_verification_by_sign_on"),
        ("socialaccount", "0006_alter_socialaccount_extra_data"),
    ]

    operations = [migrations.RunPython(tokens_seal, tokens_open, elidable=True)]
