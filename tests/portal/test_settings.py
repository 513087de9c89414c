"""Settings come from the environment; SQLite is set up so concurrent writers wait."""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from tests.helpers import PROJECT, settings_with

NOTES_KEY = "cHJvZHVjdGlvbi1jaGVjay1ub3Rlcy1rZXktMzJieXQ="


def test_default_database_is_a_sqlite_file_in_the_project_with_wal_and_a_busy_timeout():
    shown = settings_with("portal.settings.dev")
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["name"] == str(PROJECT / "db.sqlite3")
    assert shown["options"]["transaction_mode"] == "IMMEDIATE"
    assert shown["options"]["timeout"] >= 5
    assert "journal_mode=WAL" in shown["options"]["init_command"]


def test_database_url_selects_postgresql():
    shown = settings_with("portal.settings.dev", DATABASE_URL="postgres://u:p@db:5432/portal")
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["name"] == "portal"


def test_a_database_password_on_its_own_needs_no_url_encoding():
    password = "p@ss/word:with%signs"
    shown = settings_with(
        "portal.settings.dev",
        DATABASE_URL="postgres://portal@db:5432/portal",
        DATABASE_PASSWORD=password,
    )
    assert (shown["host"], shown["user"], shown["name"]) == ("db", "portal", "portal")
    assert shown["password"] == password


def test_orm_broker_always_and_redis_only_for_the_cache():
    plain = settings_with("portal.settings.dev")
    assert plain["q"]["orm"] == "default" and "redis" not in plain["q"]
    assert plain["q"]["catch_up"] is False
    # Without Redis, every process shares the rate limits' counters through the database;
    # what a process may keep to itself stays in its memory.
    assert plain["cache"] == "core.cache.SharedDatabaseCache"
    assert plain["caches"]["memory"] == "django.core.cache.backends.locmem.LocMemCache"
    assert plain["q"]["cache"] == "memory"
    redis = settings_with("portal.settings.dev", REDIS_URL="redis://cache:6379/0")
    assert redis["q"]["orm"] == "default" and "redis" not in redis["q"]
    assert redis["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["caches"]["memory"] == "django.core.cache.backends.redis.RedisCache"
    # A worker must not give a task up to another while it still runs.
    assert redis["q"]["retry"] > redis["q"]["timeout"]


def test_smtp_switches_on_with_email_host():
    assert settings_with("portal.settings.dev")["email"].endswith("console.EmailBackend")
    shown = settings_with("portal.settings.dev", EMAIL_HOST="smtp.example.org")
    assert shown["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_admins_log_format_and_sentry_come_from_the_environment():
    shown = settings_with(
        "portal.settings.dev",
        ADMINS="Ops Team <ops@example.org>, second@example.org",
        LOG_FORMAT="JSON",
        SENTRY_DSN="https://public@sentry.example.invalid/1",
    )
    assert shown["admins"] == [
        ["Ops Team", "ops@example.org"],
        ["second@example.org", "second@example.org"],
    ]
    assert shown["log_formatter"] == "json"
    assert shown["sentry"] is True
    plain = settings_with("portal.settings.dev")
    assert plain["admins"] == [] and plain["log_formatter"] == "plain"
    assert plain["sentry"] is False
    refused = settings_with("portal.settings.dev", LOG_FORMAT="xml")
    assert refused["error"].endswith("LOG_FORMAT must be plain or json (it is 'xml').")


def test_backups_go_to_backup_dir_keep_seven_and_are_encrypted_only_when_asked():
    shown = settings_with("portal.settings.dev")
    assert shown["backup_dir"] == str(PROJECT / "backups")
    assert shown["backup_keep"] == 7 and shown["backup_recipients"] == []
    shown = settings_with(
        "portal.settings.dev",
        BACKUP_DIR="/srv/backups",
        BACKUP_KEEP="30",
        BACKUP_AGE_RECIPIENTS="age1one, age1two",
    )
    assert shown["backup_dir"] == "/srv/backups" and shown["backup_keep"] == 30
    assert shown["backup_recipients"] == ["age1one", "age1two"]
    refused = settings_with("portal.settings.dev", BACKUP_KEEP="-1")
    assert refused["error"].endswith("0 or more (it is '-1').")


def test_production_refuses_to_start_without_its_secrets():
    shown = settings_with("portal.settings.production", SECRET_KEY="", ALLOWED_HOSTS="")
    assert shown["error"].endswith("Set SECRET_KEY in the environment (see .env.example).")
    shown = settings_with(
        "portal.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="a.org, b.org"
    )
    assert shown["error"].endswith(
        "Set NOTES_ENCRYPTION_KEYS in the environment (see .env.example)."
    )
    shown = settings_with(
        "portal.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="a.org, b.org",
        NOTES_ENCRYPTION_KEYS=NOTES_KEY,
        EMAIL_HOST="",
    )
    assert shown["error"].endswith("Set EMAIL_HOST in the environment (see .env.example).")
    shown = settings_with(
        "portal.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="a.org, b.org",
        NOTES_ENCRYPTION_KEYS=NOTES_KEY,
        EMAIL_HOST="smtp.example.org",
    )
    assert shown["hosts"] == ["a.org", "b.org"]
    assert shown["debug"] is False
    assert shown["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_never_writes_e_mails_to_the_console():
    """Whole e-mails on stdout put password-reset and confirmation links in the logs: without
    an SMTP server production refuses to start, while development keeps the console."""
    required = {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "a.org",
        "NOTES_ENCRYPTION_KEYS": NOTES_KEY,
    }
    refused = settings_with("portal.settings.production", EMAIL_HOST="", **required)
    assert "EMAIL_HOST" in refused["error"] and "email" not in refused
    assert settings_with("portal.settings.dev", EMAIL_HOST="")["email"].endswith(
        "console.EmailBackend"
    )


def test_concurrent_sqlite_writers_wait_instead_of_failing(tmp_path, django_db_blocker):
    """Eight threads read then write in the same table; none may see "database is locked"."""
    with django_db_blocker.unblock():
        assert run_writers(tmp_path / "concurrency.sqlite3") == ([], (200, 200))


def run_writers(path: Path) -> tuple[list[Exception], tuple[int, int]]:
    options = settings_with("portal.settings.dev")["options"]
    base = {**settings.DATABASES["default"], "NAME": str(path), "OPTIONS": options}
    setup = DatabaseWrapper(base, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    setup.close()
    errors: list[Exception] = []

    def writer(index: int) -> None:
        # Register the connection for this thread only, so transaction.atomic() drives it
        # exactly as it drives the portal's own writes.
        alias = f"writer{index}"
        connections[alias] = DatabaseWrapper(base, alias=alias)
        try:
            for _ in range(25):
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    count = cursor.execute("SELECT COUNT(*) FROM counter").fetchone()[0]
                    cursor.execute("INSERT INTO counter (n) VALUES (%s)", [count])
        except Exception as error:  # noqa: BLE001 (collected and asserted by the caller)
            errors.append(error)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = DatabaseWrapper(base, alias="check")
    with check.cursor() as cursor:
        total = cursor.execute("SELECT COUNT(*), COUNT(DISTINCT n) FROM counter").fetchone()
    check.close()
    # Each transaction read the count and wrote it: IMMEDIATE serialises them, so no two
    # writers saw the same count and all 200 rows hold distinct numbers.
    return errors, tuple(total)


@pytest.mark.parametrize("module", ["portal.settings.dev", "portal.settings.test"])
def test_relaxed_settings_still_import(module):
    assert "error" not in settings_with(module)


def read_names(pattern: str, *paths: Path) -> set[str]:
    return {name for path in paths for name in re.findall(pattern, path.read_text())}


def test_env_example_and_readme_list_every_variable_the_settings_read():
    settings_files = sorted((PROJECT / "portal" / "settings").glob("*.py"))
    read = read_names(r'env(?:_bool|_list|_addresses)?\("([A-Z_]+)"', *settings_files)
    read |= read_names(
        r'(?:environ\.get|_int_env)\(["\']([A-Z_]+)["\']', PROJECT / "gunicorn.conf.py"
    )
    listed = read_names(r"(?m)^#? ?([A-Z_]+)=", PROJECT / ".env.example")
    readme = (PROJECT / "README.md").read_text()
    assert read - listed == set()
    assert {name for name in read if f"`{name}`" not in readme} == set()


def test_deploy_check_is_clean_with_the_documented_production_variables():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-key-" + "z" * 30,
        "ALLOWED_HOSTS": "mentoring.example.org",
        "SITE_URL": "https://mentoring.example.org",
        "EMAIL_HOST": "smtp.example.org",
        "NOTES_ENCRYPTION_KEYS": NOTES_KEY,
        "TRUSTED_PROXY_COUNT": "1",
    }
    manage = [sys.executable, str(PROJECT / "manage.py"), "check", "--deploy"]
    clean = subprocess.run(  # noqa: S603
        [*manage, "--fail-level", "WARNING"], env=env, capture_output=True, text=True, check=False
    )
    assert clean.returncode == 0, clean.stderr
    assert "no issues" in clean.stdout
    missing = subprocess.run(  # noqa: S603
        manage, env={**env, "SITE_URL": ""}, capture_output=True, text=True
    )
    assert "portal.W001" in missing.stderr
    no_proxy = subprocess.run(  # noqa: S603
        manage, env={**env, "TRUSTED_PROXY_COUNT": "0"}, capture_output=True, text=True
    )
    assert "portal.W003" in no_proxy.stderr


def pinned(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if match := re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)$", line.strip()):
            pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return pins


def test_every_installed_app_comes_from_a_package_pinned_in_requirements():
    from importlib.metadata import packages_distributions

    runtime = pinned(PROJECT / "requirements.txt")
    distributions = packages_distributions()
    local = {"portal", "home", "resources", "cohorts", "members", "surveys"}
    for app in settings.INSTALLED_APPS:
        top = app.split(".")[0]
        if top in local or top == "django" and app.startswith("django.contrib"):
            continue
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(top, [])}
        assert names & set(runtime), f"{app} comes from {names or 'nothing'}, not pinned"


def test_every_pin_is_exact_and_installed_at_that_version():
    from importlib.metadata import version

    for requirements in ("requirements.txt", "requirements-test.txt"):
        for name, pin in pinned(PROJECT / requirements).items():
            assert version(name) == pin, f"{name} is {version(name)}, {requirements} pins {pin}"
