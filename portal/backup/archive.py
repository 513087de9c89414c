"""The backup archive's format, shared by creating and restoring a backup."""

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

FORMAT = "mentoring-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA_DIR = "media"
# Restored media wait in a folder inside MEDIA_ROOT (the same file system, even when
# MEDIA_ROOT is a mounted volume) until the database is back; backups skip it.
MEDIA_STAGING_PREFIX = ".portal-restore-"
CHUNK_BYTES = 1024 * 1024

UNSUPPORTED_VENDOR = "Backups cover SQLite and PostgreSQL; this database is {vendor}."


class BackupError(Exception):
    """A backup or restore that cannot go ahead; its message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds: shown after a backup or a restore."""

    path: Path
    created_at: str
    vendor: str
    tables: int
    rows: int
    media_files: int
    # Migrations of this code not applied in the restored database (0 after a backup).
    pending_migrations: int = 0


def current_vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(UNSUPPORTED_VENDOR.format(vendor=connection.vendor))
    return connection.vendor


def media_files(root: Path) -> Iterator[Path]:
    """Regular files under `root`, in a stable order; links and restore leftovers skipped."""
    if not root.is_dir():
        return
    for directory, subdirectories, names in os.walk(root):
        at_top = Path(directory) == root
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not (at_top and name.startswith(MEDIA_STAGING_PREFIX))
        )
        for name in sorted(names):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def summary_of(path: Path, manifest: dict, pending: int = 0) -> BackupSummary:
    return BackupSummary(
        path=path,
        created_at=manifest["created_at"],
        vendor=manifest["database"]["vendor"],
        tables=len(manifest["database"]["tables"]),
        rows=manifest["database"]["rows"],
        media_files=len(manifest["media"]),
        pending_migrations=pending,
    )
