"""manage.py restore refuses what it must (existing data without --yes, anything that is not
a whole portal backup of this kind of database and release), and manage.py backup fails
without leaving a file behind; each refusal changes nothing. The backup taken under writes
and its restore are in tests/portal/test_backup.py."""

import gzip
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from portal import backup
from portal.backup.databases import Snapshot
from tests.factories import UserFactory
from tests.portal.helpers import files_under

# ---- Refusals, in the test process: each changes nothing -------------------------------


@pytest.fixture
def portal_now(db, settings, tmp_path):
    """The portal as it stands: a member, and a file in MEDIA_ROOT. Returns a function that
    reads both, to compare before and after a refused restore."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "kept.txt").write_text("kept")
    UserFactory(email="kept@example.org")

    def now():
        users = sorted(get_user_model().objects.values_list("email", flat=True))
        return users, files_under(settings.MEDIA_ROOT)

    return now


def _craft(path: Path, *, manifest: dict | None = None, extra: dict | None = None) -> Path:
    """An archive shaped like a backup of this database, changed by `manifest` (merged into
    the top level and into "database") and `extra` members."""
    vendor = connection.vendor
    data = os.urandom(64_000)
    content = {
        "format": backup.FORMAT,
        "format_version": backup.FORMAT_VERSION,
        "created_at": "2026-01-05T10:00:00Z",
        "database": {
            "vendor": vendor,
            "file": backup.DATABASE_FILES[vendor],
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": 1,
            "tables": {"members_user": 1},
        },
        "migrations": {},
        "media": [{"path": "documents/a.txt", "bytes": 1}],
    }
    for key, value in (manifest or {}).items():
        if isinstance(value, dict) and key == "database":
            content["database"].update(value)
        elif value is None:
            content.pop(key)
        else:
            content[key] = value
    members = {
        backup.DATABASE_FILES[vendor]: data,
        "media/documents/a.txt": b"a",
        **(extra or {}),
        backup.MANIFEST: json.dumps(content).encode(),
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return path


def _refused(archive: Path, **options) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(archive), **options)
    return str(refusal.value)


@pytest.mark.parametrize("options", [{}, {"interactive": False}], ids=["no terminal", "--noinput"])
def test_restore_refuses_while_the_portal_holds_data_unless_told_yes(
    options, portal_now, tmp_path, monkeypatch
):
    monkeypatch.setattr("sys.stdin", io.StringIO())  # a cron job's: no terminal to ask at
    before = portal_now()
    message = _refused(_craft(tmp_path / "backup.tar.gz"), **options)
    assert message.startswith("Restoring would overwrite what the portal holds now: the ")
    assert "user account" in message and "confidential notes" in message
    assert "MEDIA_ROOT" in message and "holds 1 file." in message
    assert message.endswith("run restore again with --yes to replace it with the backup.")
    assert portal_now() == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restore_asks_at_a_terminal_and_any_answer_but_yes_cancels(
    portal_now, tmp_path, monkeypatch
):
    before = portal_now()
    monkeypatch.setattr("sys.stdin", _Terminal())
    questions = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "y")
    stdout = io.StringIO()
    message = _refused(_craft(tmp_path / "backup.tar.gz"), stdout=stdout)
    assert message == backup.restore.CANCELLED
    assert questions == ["Type 'yes' to replace it with the backup: "]
    assert "Restoring replaces what the portal holds now: the " in stdout.getvalue()
    assert portal_now() == before


def _cut_short(path: Path) -> Path:
    data = _craft(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


NOT_BACKUPS = {
    "no such file": (lambda path: path, "there is no such file"),
    "a text file": (
        lambda path: path.write_text("not an archive") and path,
        "it is not a complete .tar.gz archive",
    ),
    "a gzip file, not a tar": (
        lambda path: path.write_bytes(gzip.compress(b"x" * 1000)) and path,
        "it is not a complete .tar.gz archive",
    ),
    "an archive cut short": (_cut_short, "it is not a complete .tar.gz archive"),
    "no manifest": (
        lambda path: _strip_manifest(_craft(path)),
        "it holds no manifest.json",
    ),
    "another program's manifest": (
        lambda path: _craft(path, manifest={"format": "someone-elses-backup"}),
        "its manifest.json does not describe a portal backup",
    ),
    "an incomplete manifest": (
        lambda path: _craft(path, manifest={"media": None}),
        "its manifest.json is incomplete",
    ),
    "a path out of the archive": (
        lambda path: _craft(path, extra={"../escaped.txt": b"x"}),
        "it holds an unexpected entry '../escaped.txt'",
    ),
    "a file the format has no place for": (
        lambda path: _craft(path, extra={"settings.py": b"SECRET_KEY = 'x'"}),
        "it holds an unexpected file 'settings.py'",
    ),
}


def _strip_manifest(path: Path) -> Path:
    with tarfile.open(path, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar if m.name != backup.MANIFEST]
    with tarfile.open(path, "w:gz") as tar:
        for member, payload in members:
            tar.addfile(member, io.BytesIO(payload))
    return path


@pytest.mark.parametrize("case", NOT_BACKUPS)
def test_restore_refuses_a_file_that_is_not_a_portal_backup(case, portal_now, tmp_path):
    make, reason = NOT_BACKUPS[case]
    archive = make(tmp_path / "archive.tar.gz")
    before = portal_now()
    message = _refused(archive, yes=True)
    assert message == f"{archive} is not a portal backup: {reason}. Nothing was changed."
    assert portal_now() == before
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_restore_refuses_an_unknown_format_version(portal_now, tmp_path):
    archive = _craft(tmp_path / "future.tar.gz", manifest={"format_version": 2})
    before = portal_now()
    assert _refused(archive, yes=True) == (
        f"{archive} is a portal backup in format version 2; this release reads format "
        "version 1 only. Nothing was changed."
    )
    assert portal_now() == before


def test_restore_refuses_a_backup_of_the_other_kind_of_database(portal_now, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = _craft(tmp_path / "other.tar.gz", manifest={"database": {"vendor": other}})
    before = portal_now()
    assert _refused(archive, yes=True) == (
        f"{archive} holds a {backup.VENDOR_NAMES[other]} database, but this portal runs on "
        f"{backup.VENDOR_NAMES[connection.vendor]}: a backup restores only into the kind "
        "of database it was taken from. Nothing was changed."
    )
    assert portal_now() == before


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        (
            {"database": {"sha256": "0" * 64}},
            "its database file does not match the checksum in its manifest",
        ),
        (
            {"media": [{"path": "documents/gone.txt", "bytes": 1}]},
            "its media files differ from the list in its manifest",
        ),
    ],
    ids=["database checksum", "media list"],
)
def test_restore_refuses_a_damaged_backup(manifest, reason, portal_now, tmp_path):
    archive = _craft(tmp_path / "damaged.tar.gz", manifest=manifest)
    before = portal_now()
    assert _refused(archive, yes=True) == f"{archive} is damaged: {reason}. Nothing was changed."
    assert portal_now() == before


def test_restore_refuses_a_backup_from_a_newer_release(portal_now, tmp_path):
    archive = _craft(
        tmp_path / "newer.tar.gz", manifest={"migrations": {"cohorts": "9999_from_the_future"}}
    )
    before = portal_now()
    message = _refused(archive, yes=True)
    assert "migrations this code does not have: cohorts.9999_from_the_future" in message
    assert message.endswith("Deploy that release, then restore. Nothing was changed.")
    assert portal_now() == before


# ---- A failed backup leaves nothing behind ---------------------------------------------


def test_a_failed_backup_leaves_no_file_behind(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    output = tmp_path / "backups"
    output.mkdir()

    def snapshot(vendor: str, target: Path) -> Snapshot:
        target.write_bytes(b"a snapshot")
        return Snapshot(target, {"members_user": 0}, {})

    def media_fails(tar):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("portal.backup.create.database_snapshot", snapshot)
    monkeypatch.setattr("portal.backup.create._media_add", media_fails)
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", output=output)
    assert list(output.iterdir()) == []


def test_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "backup.tar.gz"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError) as refusal:
        call_command("backup", output=existing)
    assert str(refusal.value) == f"{existing} already exists; name another file with --output."
    assert existing.read_bytes() == b"an earlier backup"


def test_backup_is_never_written_into_media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "backups").mkdir(parents=True)
    with pytest.raises(CommandError) as refusal:
        call_command("backup", output=settings.MEDIA_ROOT / "backups")
    assert str(refusal.value) == (
        f"Write the backup outside MEDIA_ROOT ({settings.MEDIA_ROOT}), or it would hold itself."
    )
    assert list((settings.MEDIA_ROOT / "backups").iterdir()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is for PostgreSQL")
def test_backup_without_pg_dump_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError) as refusal:
        call_command("backup", output=tmp_path)
    assert str(refusal.value).startswith("pg_dump was not found on PATH: install the PostgreSQL")
    assert list(tmp_path.iterdir()) == []
