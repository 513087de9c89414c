"""Backups that happen by themselves: the daily schedule writes to BACKUP_DIR and keeps the
newest BACKUP_KEEP archives; with BACKUP_AGE_RECIPIENTS an archive is encrypted, reveals
nothing without the private key, and restores with it.

Like tests/portal/test_backup.py, the commands run as `manage.py` processes on databases of
their own (the ``scratch`` fixture).
"""

import datetime
import gzip
import io
import os
import secrets
import sqlite3
import tarfile
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_q.models import Schedule
from pyrage import x25519

from cohorts.models import ConfidentialNote
from cohorts.pairs.crypto import note_decrypt
from portal.backup.encryption import AGE_HEADER
from portal.health import BACKUP_SCHEDULE
from tests.portal.helpers import backup_environment, database_connect, manage_run

NOTES_KEY = Fernet.generate_key().decode()
SECRET_KEY = f"backup-schedule-test-{secrets.token_urlsafe(32)}"
NOTE_TOKEN = secrets.token_hex(12)
NOTES_TABLE = ConfidentialNote._meta.db_table
# The demo content and one note more, whose text the archives are searched for.
SEED = f"""
import io
from django.core.management import call_command
from cohorts.models import ConfidentialNote, Pair
from cohorts.pairs.crypto import note_encrypt

call_command("load_demo_content", stdout=io.StringIO())
pair = Pair.objects.order_by("pk").first()
ConfidentialNote.objects.create(
    pair=pair, author=pair.mentee.applicant, ciphertext=note_encrypt("Private: {NOTE_TOKEN}")
)
"""
RUN_DAILY = "from portal.tasks import backup_daily; print(backup_daily())"


def environment(url: str, media: Path, **extra: str) -> dict[str, str]:
    env = backup_environment(url, media, notes_key=NOTES_KEY, secret_key=SECRET_KEY)
    return {**env, **extra}


@pytest.fixture(scope="module")
def source(scratch, tmp_path_factory) -> tuple[str, Path]:
    """A database with the demo content and the searched-for note, and its media folder."""
    url = scratch.migrated("schedule_source")
    media = tmp_path_factory.mktemp("schedule-media")
    manage_run(environment(url, media), "shell", "--no-imports", "-c", SEED)
    return url, media


def archives_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("portal-"))


def test_the_daily_backup_keeps_the_newest_archives(source, tmp_path):
    url, media = source
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [
        "portal-backup-20200101T000000Z.tar.gz",
        "portal-backup-20200102T000000Z.tar.gz.age",
        "portal-backup-20200103T000000Z.tar.gz",
    ]
    for name in old:
        (folder / name).write_bytes(b"an older archive")
    (folder / "portal-backup-notes.txt").write_text("not an archive: kept")
    stale, fresh = folder / ".portal-backup-killed", folder / ".portal-backup-running"
    stale.mkdir(), fresh.mkdir()
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    env = environment(url, media, BACKUP_DIR=str(folder), BACKUP_KEEP="3")

    outputs = []
    for _ in range(3):
        outputs.append(manage_run(env, "shell", "--no-imports", "-c", RUN_DAILY).stdout)
        time.sleep(1.1)  # archives are named to the second

    kept = [name for name in archives_in(folder) if name.endswith(".tar.gz")]
    assert len(kept) == 3 and not set(kept) & set(old)
    assert archives_in(folder) == sorted([*kept, "portal-backup-notes.txt"])
    assert fresh.exists() and not stale.exists()
    assert outputs[0].strip() == f"Backed up to {kept[0]}; removed 2 old files."
    assert outputs[2].strip() == f"Backed up to {kept[2]}; removed 1 old files."
    for name in kept:
        with tarfile.open(folder / name, "r:gz") as tar:
            assert "manifest.json" in tar.getnames()

    off = {**env, "BACKUP_KEEP": "0"}
    output = manage_run(off, "shell", "--no-imports", "-c", RUN_DAILY).stdout
    assert output.strip() == "No backup: BACKUP_KEEP is 0."
    assert len(archives_in(folder)) == 4


@pytest.mark.django_db
def test_setup_schedules_declares_a_daily_backup_at_three_in_the_morning():
    call_command("setup_schedules", stdout=io.StringIO())

    schedule = Schedule.objects.get(name=BACKUP_SCHEDULE)
    assert schedule.func == "portal.tasks.backup_daily"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
    assert schedule.kwargs == "{'q_options': {'timeout': 3600}}"
    first = timezone.localtime(schedule.next_run)
    assert (first.hour, first.minute) == (3, 0)
    assert timezone.now() < schedule.next_run <= timezone.now() + datetime.timedelta(days=1)

    Schedule.objects.filter(pk=schedule.pk).update(next_run=first - datetime.timedelta(hours=1))
    call_command("setup_schedules", stdout=io.StringIO())
    assert Schedule.objects.get(pk=schedule.pk).next_run == first - datetime.timedelta(hours=1)


# ---- Encrypted to a public key ---------------------------------------------------------


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict:
    """An age key pair for the backups, and a second private key that is not theirs, each
    in a key file as ``age-keygen`` writes it."""
    folder = tmp_path_factory.mktemp("keys")
    own, other = x25519.Identity.generate(), x25519.Identity.generate()
    files = {}
    for name, identity in (("own", own), ("other", other)):
        files[name] = folder / f"{name}.txt"
        files[name].write_text(
            f"# created: 2027-01-05T02:00:00Z\n# public key: {identity.to_public()}\n{identity}\n"
        )
    return {"public": str(own.to_public()), **files}


@pytest.fixture(scope="module")
def encrypted(source, keys, tmp_path_factory) -> Path:
    """`manage.py backup` with BACKUP_AGE_RECIPIENTS set, into an empty BACKUP_DIR."""
    url, media = source
    folder = tmp_path_factory.mktemp("encrypted-backups")
    env = environment(url, media, BACKUP_DIR=str(folder), BACKUP_AGE_RECIPIENTS=keys["public"])
    output = manage_run(env, "backup").stdout
    (archive,) = folder.iterdir()
    assert str(archive) in output and "needs a matching private key" in output
    return archive


def test_an_encrypted_archive_reveals_nothing_without_the_private_key(encrypted):
    data = encrypted.read_bytes()
    assert encrypted.name.endswith(".tar.gz.age")
    assert oct(encrypted.stat().st_mode & 0o777) == oct(0o600)
    assert data.startswith(AGE_HEADER)
    for clear in (
        NOTE_TOKEN.encode(),
        b"SQLite format 3",
        b"PGDMP",
        b"manifest.json",
        NOTES_TABLE.encode(),
        b"mentee@example.org",
        b"mentoring-agreement-template",
    ):
        assert clear not in data, clear
    with pytest.raises(gzip.BadGzipFile):
        gzip.decompress(data)
    with pytest.raises(tarfile.TarError):
        tarfile.open(encrypted)


def test_restore_refuses_an_encrypted_archive_without_its_key_and_changes_nothing(
    scratch, encrypted, keys, tmp_path
):
    url = scratch.empty("encrypted_refused")
    env = environment(url, tmp_path)

    without = manage_run(env, "restore", str(encrypted), "--yes", check=False)
    wrong = manage_run(
        env, "restore", str(encrypted), "--yes", "--identity", str(keys["other"]), check=False
    )

    assert without.returncode and "is encrypted: give the private key" in without.stderr
    assert wrong.returncode and "cannot be decrypted with the key in" in wrong.stderr
    with database_connect(url) as database:
        assert not _tables(database)
    assert list(tmp_path.iterdir()) == []


def test_an_encrypted_archive_restores_with_the_private_key(scratch, encrypted, keys, tmp_path):
    url = scratch.empty("encrypted_restored")
    env = environment(url, tmp_path)

    output = manage_run(env, "restore", str(encrypted), "--identity", str(keys["own"])).stdout

    assert f"from {encrypted}" in output
    with database_connect(url) as database:
        rows = database.execute(f"SELECT id, ciphertext FROM {NOTES_TABLE}").fetchall()  # noqa: S608
    with override_settings(NOTES_ENCRYPTION_KEYS=[NOTES_KEY]):
        texts = [note_decrypt(ciphertext, pk=pk) for pk, ciphertext in rows]
    assert f"Private: {NOTE_TOKEN}" in texts
    assert any(path.is_file() for path in tmp_path.rglob("*"))


def _tables(database) -> list[str]:
    if isinstance(database, sqlite3.Connection):
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    return [name for (name,) in database.execute(query).fetchall()]
