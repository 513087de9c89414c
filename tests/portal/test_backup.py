"""`manage.py backup` and `manage.py restore`.

A backup taken while another process keeps writing rows restores into a fresh database with
every row committed before it began, the counts its manifest gives, the media files, and
confidential notes that decrypt to their text under the configured keys, which the archive
never holds. The refusals are in tests/portal/test_backup_refusals.py.

The commands run as `manage.py` processes, as an operator runs them, on databases of their
own: on the SQLite pass files copied from the migrated test database; on the PostgreSQL pass
databases created from it as a template (or empty), dropped afterwards. The test process
reads those databases directly, and decrypts the notes with the portal's own code.
"""

import base64
import gzip
import hashlib
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

from cohorts.models import ConfidentialNote
from cohorts.pairs.crypto import NotesKeyError, note_decrypt
from portal import backup
from tests.portal.helpers import (
    backup_environment,
    database_connect,
    files_under,
    manage_run,
)

# The scratch databases are copies of the test database: it must be set up even when this
# module runs alone (pytest-django sets up only the databases that marked tests ask for).
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Keys of this test run only, so that finding one in an archive cannot be a coincidence.
NOTES_KEY = Fernet.generate_key().decode()
OTHER_NOTES_KEY = Fernet.generate_key().decode()
SECRET_KEY = f"backup-test-secret-{secrets.token_urlsafe(32)}"
NOTE_TOKENS = [secrets.token_hex(8), secrets.token_hex(8)]
NOTE_TEXTS = [
    f"Ünïcode — first line {NOTE_TOKENS[0]}\nsecond line",
    f"<script>alert('{NOTE_TOKENS[1]}')</script> & more",
]
WRITTEN = "written while the backup ran, number {n}"
ROWS_BEFORE_BACKUP = 20
SEEDED = "seeded"
ARCHIVE_NAME = re.compile(r"portal-backup-\d{8}T\d{6}Z\.tar\.gz")
NOTES_TABLE = ConfidentialNote._meta.db_table

# The site at work, in one process: it loads the demo content (pages, a document in
# MEDIA_ROOT, members, pairs, notes) and two notes more whose text the archive is searched
# for, says so, then goes on writing a note every few milliseconds, each committed on its
# own, and prints its id and number once committed.
WRITER = f"""
import io, itertools, time
from django.core.management import call_command
from cohorts.models import ConfidentialNote, Pair
from cohorts.pairs.crypto import note_encrypt

call_command("load_demo_content", stdout=io.StringIO())
pair = Pair.objects.order_by("pk").first()
for text in {NOTE_TEXTS!r}:
    ConfidentialNote.objects.create(
        pair=pair, author=pair.mentor.applicant, ciphertext=note_encrypt(text)
    )
print({SEEDED!r}, flush=True)
for number in itertools.count():
    text = {WRITTEN!r}.format(n=number)
    note = ConfidentialNote.objects.create(
        pair=pair, author=pair.mentor.applicant, ciphertext=note_encrypt(text)
    )
    print(note.pk, number, flush=True)
    time.sleep(0.005)
"""


# ---- Processes and databases of their own ----------------------------------------------


def _environment(database_url: str, media: Path) -> dict[str, str]:
    return backup_environment(database_url, media, notes_key=NOTES_KEY, secret_key=SECRET_KEY)


def _count(database, table: str) -> int:
    return database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608


def _read(url: str, *, tables: list[str] = ()) -> dict:
    """What a database holds: the primary keys in every model's table, the rows in each of
    `tables`, and every confidential note decrypted with the configured keys."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    with database_connect(url) as database:
        keys = {
            model._meta.db_table: sorted(
                str(pk)
                for (pk,) in database.execute(
                    f'SELECT "{model._meta.pk.column}" FROM "{model._meta.db_table}"'  # noqa: S608
                )
            )
            for model in models
        }
        counts = {table: _count(database, table) for table in tables}
        ciphertexts = database.execute(f"SELECT id, ciphertext FROM {NOTES_TABLE}").fetchall()  # noqa: S608
    with override_settings(NOTES_ENCRYPTION_KEYS=[NOTES_KEY]):
        notes = {str(pk): note_decrypt(ciphertext, pk=pk) for pk, ciphertext in ciphertexts}
    return {"keys": keys, "counts": counts, "notes": notes, "ciphertexts": ciphertexts}


@contextmanager
def _site_at_work(env: dict[str, str]):
    """The WRITER process, running; yields the (id, number) of each note it committed
    (once it has loaded its content) and the process."""
    process = subprocess.Popen(  # noqa: S603 (own argv)
        [sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", WRITER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed: list[tuple[int, int]] = []

    def read() -> None:
        for line in process.stdout:
            if re.fullmatch(r"\d+ \d+", line.strip()):
                pk, number = line.split()
                committed.append((int(pk), int(number)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield committed, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=30)


def _wait_for_rows(committed: list, process: subprocess.Popen, count: int) -> None:
    deadline = time.monotonic() + 90
    while len(committed) < count:
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"The writer stopped:\n{process.stderr.read()[-3000:]}")
        time.sleep(0.02)


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.loads(tar.extractfile(backup.MANIFEST).read())


# ---- One backup taken under writes, restored into a fresh database ---------------------


@dataclass
class Taken:
    source: dict
    source_media: Path
    archive: Path
    folder: Path
    output: str
    before: list[tuple[int, int]]
    during: list[tuple[int, int]]
    manifest: dict = field(init=False)

    def __post_init__(self):
        self.manifest = _manifest(self.archive)


@dataclass
class Restored:
    url: str
    env: dict[str, str]
    media: Path
    output: str
    state: dict


@pytest.fixture(scope="module")
def taken(scratch, tmp_path_factory) -> Taken:
    """`manage.py backup` without --output (so to BACKUP_DIR, under the default
    timestamped name, and nothing into the folder it runs in) while the site goes on
    committing notes. Media files of every kind, in nested folders, are added to what the
    demo content brings."""
    url = scratch.migrated("backup_source")
    media = tmp_path_factory.mktemp("source-media")
    (media / "images" / "original_images").mkdir(parents=True)
    (media / "images" / "original_images" / "photo.jpg").write_bytes(os.urandom(40_000))
    (media / "documents").mkdir()
    (media / "documents" / "empty.txt").write_bytes(b"")
    folder, workdir = tmp_path_factory.mktemp("backups"), tmp_path_factory.mktemp("workdir")
    env = {**_environment(url, media), "BACKUP_DIR": str(folder / "made-when-missing")}
    with _site_at_work(env) as (committed, process):
        _wait_for_rows(committed, process, ROWS_BEFORE_BACKUP)
        source = _read(url)
        before = list(committed)
        output = manage_run(env, "backup", cwd=workdir).stdout
        during = list(committed)
    assert list(workdir.iterdir()) == []
    folder = folder / "made-when-missing"
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    (archive,) = folder.iterdir()
    return Taken(source, media, archive, folder, output, before, during)


@pytest.fixture(scope="module")
def restored(scratch, taken, tmp_path_factory) -> Restored:
    """The backup restored into a fresh database and an empty MEDIA_ROOT: no --yes needed."""
    media = tmp_path_factory.mktemp("restored-media")
    url = scratch.empty("backup_restored")
    env = _environment(url, media)
    output = manage_run(env, "restore", str(taken.archive)).stdout
    state = _read(url, tables=list(taken.manifest["database"]["tables"]))
    return Restored(url=url, env=env, media=media, output=output, state=state)


def test_the_backup_is_taken_while_rows_are_being_written(taken):
    seeded = len(taken.source["notes"]) - len(
        [note for note in taken.source["notes"].values() if note.startswith("written while")]
    )
    in_archive = taken.manifest["database"]["tables"][NOTES_TABLE]
    assert len(taken.during) > len(taken.before) >= ROWS_BEFORE_BACKUP
    # The snapshot is the database at one moment while the command ran.
    assert seeded + len(taken.before) <= in_archive <= seeded + len(taken.during)
    assert ARCHIVE_NAME.fullmatch(taken.archive.name)
    assert list(taken.folder.iterdir()) == [taken.archive]  # no partial file, no staging
    assert oct(taken.archive.stat().st_mode & 0o777) == oct(0o600)
    rows = taken.manifest["database"]["rows"]
    assert f"Backed up {rows} rows in " in taken.output
    assert "Keep NOTES_ENCRYPTION_KEYS and SECRET_KEY apart from it" in taken.output


def test_restore_into_a_fresh_database_finds_every_row_committed_before_the_backup(
    taken, restored
):
    missing = {
        table: sorted(set(keys) - set(restored.state["keys"][table]))
        for table, keys in taken.source["keys"].items()
    }
    assert {table: keys for table, keys in missing.items() if keys} == {}
    written = {str(pk) for pk, _ in taken.before}
    assert written <= set(restored.state["keys"][NOTES_TABLE])
    assert "Restored " in restored.output and "migrate" not in restored.output


def test_the_restored_database_has_the_rows_the_manifest_counts(taken, restored):
    database = taken.manifest["database"]
    assert restored.state["counts"] == database["tables"]
    assert sum(database["tables"].values()) == database["rows"]
    assert set(restored.state["keys"]) <= set(database["tables"])
    files = len(taken.manifest["media"])
    assert f"Restored {database['rows']} rows in {len(database['tables'])} tables" in (
        restored.output
    )
    assert f"and {files} media files from" in restored.output


def test_notes_decrypt_to_their_original_text_with_the_configured_keys(taken, restored):
    notes = restored.state["notes"]
    assert {pk: notes.get(pk) for pk in taken.source["notes"]} == taken.source["notes"]
    assert set(NOTE_TEXTS) <= set(notes.values())
    for pk, number in taken.before:
        assert notes[str(pk)] == WRITTEN.format(n=number)
    # The key is not in the backup: under another key, no note opens.
    with override_settings(NOTES_ENCRYPTION_KEYS=[OTHER_NOTES_KEY]):
        for pk, ciphertext in restored.state["ciphertexts"]:
            with pytest.raises(NotesKeyError):
                note_decrypt(ciphertext, pk=pk)


def test_the_media_files_come_back(taken, restored):
    original = files_under(taken.source_media)
    assert len(original) >= 3  # the demo document, an image, an empty file
    assert files_under(restored.media) == original
    listed = {item["path"]: item["bytes"] for item in taken.manifest["media"]}
    assert listed == {path: len(data) for path, data in original.items()}


def test_the_archive_holds_neither_key_nor_a_note_in_clear(taken):
    compressed = taken.archive.read_bytes()
    unpacked = gzip.decompress(compressed)
    keys = [NOTES_KEY.encode(), base64.urlsafe_b64decode(NOTES_KEY), SECRET_KEY.encode()]
    for key in keys:
        assert key not in compressed and key not in unpacked
    for text, token in zip(NOTE_TEXTS, NOTE_TOKENS, strict=True):
        assert text.encode() not in unpacked and token.encode() not in unpacked
    # The search reads the database's contents: a demo member's address is found there.
    assert b"member@example.org" in unpacked
    with tarfile.open(taken.archive, "r:gz") as tar:
        names = set(tar.getnames())
    assert {name for name in names if not name.startswith("media/")} == {
        backup.MANIFEST,
        backup.DATABASE_FILES[connection.vendor],
    }


def test_the_manifest_describes_the_snapshot(taken):
    manifest = taken.manifest
    assert manifest["format"] == backup.FORMAT
    assert manifest["format_version"] == backup.FORMAT_VERSION == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created_at"])
    assert manifest["database"]["vendor"] == connection.vendor
    with tarfile.open(taken.archive, "r:gz") as tar:
        database = tar.extractfile(manifest["database"]["file"]).read()
    assert manifest["database"]["sha256"] == hashlib.sha256(database).hexdigest()
    leaves = dict(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    assert manifest["migrations"]["cohorts"] == leaves["cohorts"]
    assert manifest["migrations"]["members"] == leaves["members"]
    # The shared cache's rows (rate-limit counters, Wagtail's site paths) stay out of it.
    assert manifest["database"]["tables"]["portal_cache"] == 0


def test_restore_with_yes_replaces_the_database_and_the_media(taken, restored):
    """Over the database restored above, with its notes deleted and a file uploaded since
    (the refusal without --yes is tested in the test process, below)."""
    with database_connect(restored.url) as database:
        database.execute(f"DELETE FROM {NOTES_TABLE}")  # noqa: S608
        if isinstance(database, sqlite3.Connection):
            database.commit()
    (restored.media / "stale.txt").write_text("uploaded after the backup")

    output = manage_run(restored.env, "restore", str(taken.archive), "--yes").stdout
    assert f"Restored {taken.manifest['database']['rows']} rows" in output
    with database_connect(restored.url) as database:
        assert _count(database, NOTES_TABLE) == taken.manifest["database"]["tables"][NOTES_TABLE]
    assert files_under(restored.media) == files_under(taken.source_media)
