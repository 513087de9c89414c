"""Backups of the portal, taken while the site runs, and their restore.

A backup is one ``.tar.gz`` file holding:

- ``db.sqlite3`` (SQLite, copied with SQLite's online backup API) or ``db.dump``
  (PostgreSQL, ``pg_dump --format=custom``): a consistent snapshot of the database, taken
  while the site goes on writing;
- ``media/``: the files under MEDIA_ROOT (uploaded documents and images);
- ``manifest.json``: the format version, when the backup was taken, the database vendor,
  the latest applied migration of each app, the rows in each table of the snapshot, the
  snapshot's SHA-256 and the list of media files.

It never holds SECRET_KEY or NOTES_ENCRYPTION_KEYS: confidential notes are in it as
ciphertext only, and a restored note opens only where the same notes keys are configured.
``manage.py backup`` and ``manage.py restore`` are thin interfaces over this package.
"""

from portal.backup.archive import (
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    VENDOR_NAMES,
    BackupError,
    BackupSummary,
)
from portal.backup.create import backup_create
from portal.backup.restore import backup_restore

__all__ = [
    "DATABASE_FILES",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "VENDOR_NAMES",
    "BackupError",
    "BackupSummary",
    "backup_create",
    "backup_restore",
]
