"""The daily backup (the "Back up the database and media" schedule): one archive written to
BACKUP_DIR, encrypted when BACKUP_AGE_RECIPIENTS is set, then only the newest BACKUP_KEEP
archives of the folder kept.

Only files named like the portal's archives are ever removed
(``portal-backup-<UTC time>.tar.gz`` and ``.tar.gz.age``, manual ones included), and the
leftovers of a backup killed mid-way (``.portal-backup-…``) once they are a day old.
"""

import fcntl
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from portal.backup.archive import BackupSummary
from portal.backup.create import backup_create

ARCHIVE_NAME = re.compile(r"^portal-backup-\d{8}T\d{6}Z\.tar\.gz(\.age)?$")
LEFTOVER_PREFIX = ".portal-backup-"
LEFTOVER_AGE = timedelta(days=1)
LOCK_NAME = ".portal-backup.lock"


@dataclass(frozen=True)
class ScheduledBackup:
    """What a scheduled run did: the archive written (None when backups are off or another
    run was still writing) and the archives and leftovers removed."""

    summary: BackupSummary | None
    removed: list[Path] = field(default_factory=list)
    skipped: str = ""

    def describe(self) -> str:
        if self.summary is None:
            return f"No backup: {self.skipped}."
        return f"Backed up to {self.summary.path.name}; removed {len(self.removed)} old files."


def backup_scheduled_run(*, directory: Path, keep: int, recipients: list[str]) -> ScheduledBackup:
    """Write one archive to `directory` (encrypted to `recipients` when there are any) and
    keep the newest `keep` archives there; `keep` 0 turns scheduled backups off. A run that
    finds another one still writing (a task delivered twice) does nothing."""
    if keep < 1:
        return ScheduledBackup(summary=None, skipped="BACKUP_KEEP is 0")
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _only_run(directory) as alone:
        if not alone:
            return ScheduledBackup(summary=None, skipped="another backup is still running")
        summary = backup_create(destination=directory, recipients=recipients)
        removed = backups_prune(directory=directory, keep=keep)
    return ScheduledBackup(summary=summary, removed=removed)


def backups_prune(*, directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives of `directory` (newest by the time in
    their name), and the leftovers of interrupted backups older than a day."""
    archives = sorted(
        (path for path in Path(directory).iterdir() if ARCHIVE_NAME.match(path.name)),
        key=lambda path: path.name.removeprefix("portal-backup-")[:16],
        reverse=True,
    )
    removed = archives[max(keep, 1) :]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed + _leftovers_remove(Path(directory))


def _leftovers_remove(directory: Path) -> list[Path]:
    cutoff = (datetime.now(UTC) - LEFTOVER_AGE).timestamp()
    removed = []
    for path in directory.iterdir():
        if not path.name.startswith(LEFTOVER_PREFIX) or path.lstat().st_mtime > cutoff:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


@contextmanager
def _only_run(directory: Path) -> Iterator[bool]:
    """True while this process holds the folder's backup lock; False if another does."""
    with (directory / LOCK_NAME).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
