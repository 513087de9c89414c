"""Writing a backup archive: the database snapshot, the media files and the manifest."""

import io
import json
import os
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from portal.backup.archive import (
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    BackupError,
    BackupSummary,
    current_vendor,
    media_files,
    sha256_of,
    summary_of,
)
from portal.backup.databases import Snapshot, database_snapshot
from portal.backup.encryption import ENCRYPTED_SUFFIX, age_recipients, archive_encrypt

OUTPUT_EXISTS = "{path} already exists; name another file with --output."
OUTPUT_FOLDER_MISSING = "The folder {path} does not exist."
OUTPUT_IN_MEDIA = "Write the backup outside MEDIA_ROOT ({media}), or it would hold itself."
WRITE_FAILED = "The backup could not be written ({error}); no archive was left behind."


def backup_create(
    *, destination: Path | None = None, recipients: list[str] | None = None
) -> BackupSummary:
    """Write a backup archive to `destination` (a file, or a folder for a timestamped
    name; by default BACKUP_DIR, made if missing) and return what it holds. With
    `recipients` (age public keys) the archive is encrypted to them (``.tar.gz.age``), and
    nothing unencrypted is ever written next to it.

    The archive is written under a temporary name next to its destination and renamed
    when complete, so a failed backup leaves nothing half-written.
    """
    vendor = current_vendor()
    keys = age_recipients(recipients) if recipients else []
    created = datetime.now(UTC).replace(microsecond=0)
    target = _archive_path(destination, created, encrypted=bool(keys))
    # Unencrypted parts wait in the system's temporary folder when the archive is to be
    # encrypted, so the backup folder (often copied off the host) only ever holds ciphertext.
    staging_parent = None if keys else target.parent
    with tempfile.TemporaryDirectory(prefix=".portal-backup-", dir=staging_parent) as staging:
        snapshot = database_snapshot(vendor, Path(staging) / DATABASE_FILES[vendor])
        if not keys:
            manifest = _write_archive(target, vendor=vendor, snapshot=snapshot, created=created)
            return summary_of(target, manifest)
        plain = Path(staging) / target.name.removesuffix(ENCRYPTED_SUFFIX)
        manifest = _write_archive(plain, vendor=vendor, snapshot=snapshot, created=created)
        archive_encrypt(plain=plain, target=target, recipients=keys)
    return summary_of(target, manifest)


def _archive_path(destination: Path | None, created: datetime, *, encrypted: bool) -> Path:
    name = f"portal-backup-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    if encrypted:
        name += ENCRYPTED_SUFFIX
    if destination is None:
        path = Path(settings.BACKUP_DIR)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    else:
        path = Path(destination)
    if path.is_dir():
        path = path / name
    if path.exists():
        raise BackupError(OUTPUT_EXISTS.format(path=path))
    if not path.parent.is_dir():
        raise BackupError(OUTPUT_FOLDER_MISSING.format(path=path.parent))
    media = Path(settings.MEDIA_ROOT).resolve()
    if path.resolve().is_relative_to(media):
        raise BackupError(OUTPUT_IN_MEDIA.format(media=media))
    return path.absolute()


def _write_archive(target: Path, *, vendor: str, snapshot: Snapshot, created: datetime) -> dict:
    """The database first, then the media: every file a row of the snapshot refers to was
    complete before that row was committed, so it is in the archive too."""
    descriptor, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(snapshot.file, arcname=DATABASE_FILES[vendor], filter=_private)
                media = _media_add(tar)
                manifest = _manifest(vendor, snapshot, media, created)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    except OSError as error:
        Path(partial).unlink(missing_ok=True)
        raise BackupError(WRITE_FAILED.format(error=error)) from error
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return manifest


def _manifest(vendor: str, snapshot: Snapshot, media: list[dict], created: datetime) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "database": {
            "vendor": vendor,
            "file": DATABASE_FILES[vendor],
            "bytes": snapshot.file.stat().st_size,
            "sha256": sha256_of(snapshot.file),
            "rows": sum(snapshot.tables.values()),
            "tables": snapshot.tables,
        },
        "migrations": snapshot.migrations,
        "media": media,
    }


def _media_add(tar: tarfile.TarFile) -> list[dict]:
    """Add every file under MEDIA_ROOT; a file deleted meanwhile is simply left out."""
    root = Path(settings.MEDIA_ROOT)
    files = []
    for path in media_files(root):
        relative = path.relative_to(root).as_posix()
        try:
            info = tar.gettarinfo(path, arcname=f"{MEDIA_DIR}/{relative}")
            with path.open("rb") as handle:
                tar.addfile(info, handle)
        except FileNotFoundError:
            continue
        files.append({"path": relative, "bytes": info.size})
    return files


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """The database is personal data: readable by its owner only when unpacked by hand."""
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))
