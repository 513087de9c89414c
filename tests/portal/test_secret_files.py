"""Secrets from files: any variable the settings read may come from the file named by
NAME_FILE (compose's `secrets:`, mounted under /run/secrets), so no secret has to sit in
.env or in the containers' environment."""

from tests.helpers import settings_with

NOTES_KEY = "cHJvZHVjdGlvbi1jaGVjay1ub3Rlcy1rZXktMzJieXQ="
SHOW_SECRETS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'secret_key': s.SECRET_KEY, 'notes': s.NOTES_ENCRYPTION_KEYS, "
    "'db_password': s.DATABASES['default'].get('PASSWORD'), 'db_user': "
    "s.DATABASES['default'].get('USER'), 'smtp_password': s.EMAIL_HOST_PASSWORD, "
    "'sentry': s.SENTRY_DSN, 'recipients': s.BACKUP_AGE_RECIPIENTS}))"
)


def production_settings(**env) -> dict:
    """The production settings a fresh process gets under ``env``, or {"error": last line}."""
    base = {
        "ALLOWED_HOSTS": "mentoring.example.org",
        "EMAIL_HOST": "smtp.example.org",
        "DATABASE_URL": "postgres://portal@postgres:5432/portal",
        "SENTRY_DSN": "",
    }
    return settings_with("portal.settings.production", show=SHOW_SECRETS, **{**base, **env})


def write(folder, name: str, value: str) -> str:
    path = folder / name
    path.write_text(value)
    return str(path)


def test_every_secret_can_come_from_a_file_and_only_its_final_newline_is_dropped(tmp_path):
    # The password has every character a URL would need encoded, and a trailing space.
    password = "p@ss/w:rd%40 "
    shown = production_settings(
        SECRET_KEY_FILE=write(tmp_path, "secret_key", "k" * 50 + "\n"),
        NOTES_ENCRYPTION_KEYS_FILE=write(tmp_path, "notes", f"{NOTES_KEY}\n"),
        DATABASE_PASSWORD_FILE=write(tmp_path, "db", password + "\n"),
        EMAIL_HOST_PASSWORD_FILE=write(tmp_path, "smtp", "smtp secret\r\n"),
        SENTRY_DSN_FILE=write(tmp_path, "dsn", "https://public@sentry.example.invalid/1\n"),
        BACKUP_AGE_RECIPIENTS_FILE=write(tmp_path, "age", "age1one,age1two\n"),
    )
    assert shown == {
        "secret_key": "k" * 50,
        "notes": [NOTES_KEY],
        "db_password": password,
        "db_user": "portal",
        "smtp_password": "smtp secret",
        "sentry": "https://public@sentry.example.invalid/1",
        "recipients": ["age1one", "age1two"],
    }


def test_an_empty_file_counts_as_unset(tmp_path):
    """An optional secret (the Sentry DSN, the SMTP password) is an empty file when unused;
    a required one that is empty stops production with the usual message."""
    shown = production_settings(
        SECRET_KEY="k" * 50,
        NOTES_ENCRYPTION_KEYS=NOTES_KEY,
        SENTRY_DSN_FILE=write(tmp_path, "dsn", "\n"),
        EMAIL_HOST_PASSWORD_FILE=write(tmp_path, "smtp", ""),
    )
    assert shown["sentry"] is None and shown["smtp_password"] == ""
    refused = production_settings(
        SECRET_KEY_FILE=write(tmp_path, "secret_key", ""), NOTES_ENCRYPTION_KEYS=NOTES_KEY
    )
    assert refused["error"].endswith("Set SECRET_KEY in the environment (see .env.example).")


def test_a_missing_file_or_both_forms_at_once_stop_the_start_with_a_clear_message(tmp_path):
    required = {"NOTES_ENCRYPTION_KEYS": NOTES_KEY}
    missing = production_settings(SECRET_KEY_FILE=str(tmp_path / "nowhere"), **required)
    assert missing["error"] == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY_FILE names "
        f"{tmp_path / 'nowhere'}, which cannot be read (No such file or directory)."
    )
    both = production_settings(
        SECRET_KEY="k" * 50, SECRET_KEY_FILE=write(tmp_path, "secret_key", "other"), **required
    )
    assert both["error"] == (
        "django.core.exceptions.ImproperlyConfigured: Set SECRET_KEY or SECRET_KEY_FILE, not both."
    )
    # The message names the file, never its content.
    assert "other" not in both["error"]
