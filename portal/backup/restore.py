"""Restoring a backup archive: checked in full first, then the database, then the media."""

import hashlib
import json
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.template.defaultfilters import pluralize

from core.page_cache import page_cache_invalidate
from portal.backup.archive import (
    CHUNK_BYTES,
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    MEDIA_STAGING_PREFIX,
    VENDOR_NAMES,
    BackupError,
    BackupSummary,
    current_vendor,
    media_files,
    summary_of,
)
from portal.backup.databases import cache_tables, database_restore
from portal.backup.encryption import archive_decrypted

NOT_A_BACKUP = "{path} is not a portal backup: {reason}. Nothing was changed."
UNREADABLE = "it is not a complete .tar.gz archive"
UNKNOWN_VERSION = (
    "{path} is a portal backup in format version {found}; this release reads format "
    "version {expected} only. Nothing was changed."
)
WRONG_VENDOR = (
    "{path} holds a {found} database, but this portal runs on {expected}: a backup "
    "restores only into the kind of database it was taken from. Nothing was changed."
)
DAMAGED = "{path} is damaged: {reason}. Nothing was changed."
NEWER_MIGRATIONS = (
    "{path} was taken by a newer release of the portal (migrations this code does not "
    "have: {migrations}). Deploy that release, then restore. Nothing was changed."
)
TARGET_HAS_DATA = (
    "Restoring would overwrite what the portal holds now: {what}. Nothing was changed; "
    "run restore again with --yes to replace it with the backup."
)
CANCELLED = "Restore cancelled. Nothing was changed."


def backup_restore(
    *,
    archive: Path,
    confirm: Callable[[str], bool] | None = None,
    identity: Path | None = None,
) -> BackupSummary:
    """Replace the database and MEDIA_ROOT with the backup in `archive`.

    The archive is checked in full first (a portal backup, a known format version, the same
    kind of database, no migration this code lacks, the snapshot's checksum). When the
    database or MEDIA_ROOT already hold something, `confirm` is asked with a description of
    it and must answer True; without `confirm` the restore is refused. Any refusal changes
    nothing. Stop the web and worker processes first. An encrypted archive (``.age``) is
    decrypted first with the private key in the file `identity`.
    """
    archive = Path(archive)
    vendor = current_vendor()
    if not archive.is_file():
        raise BackupError(NOT_A_BACKUP.format(path=archive, reason="there is no such file"))
    with (
        archive_decrypted(archive=archive, identity=identity) as readable,
        _open_archive(readable, shown=archive) as tar,
        tempfile.TemporaryDirectory() as staging,
    ):
        manifest = _read_manifest(tar, archive)
        _check_vendor(manifest, vendor, archive)
        _check_migrations(manifest, archive)
        _check_members(tar, manifest, archive)
        snapshot = _extract_database(tar, manifest, archive, Path(staging))
        _confirm_overwrite(confirm)
        with _media_staging() as media:
            _extract_media(tar, manifest, archive, media)
            database_restore(vendor, snapshot)
            _media_replace(media)
    # Pages cached from the database that was replaced must not be served again; a backup
    # taken before the database cache existed brings no table for it.
    page_cache_invalidate()
    call_command("createcachetable", verbosity=0)
    return summary_of(archive, manifest, pending=_pending_migrations())


@contextmanager
def _open_archive(archive: Path, *, shown: Path) -> Iterator[tarfile.TarFile]:
    """The archive at `archive`, read in full; errors name it as `shown` (the file the
    operator gave, when `archive` is its decrypted copy)."""
    unreadable = (tarfile.TarError, EOFError, OSError, zlib.error)
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except unreadable as error:
        raise BackupError(NOT_A_BACKUP.format(path=shown, reason=UNREADABLE)) from error
    with tar:
        try:
            tar.getmembers()  # reads to the end: a file cut short fails here
        except unreadable as error:
            raise BackupError(NOT_A_BACKUP.format(path=shown, reason=UNREADABLE)) from error
        yield tar


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict:
    def refuse(reason: str) -> BackupError:
        return BackupError(NOT_A_BACKUP.format(path=archive, reason=reason))

    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError) as error:
        raise refuse(f"it holds no {MANIFEST}") from error
    except (ValueError, tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise refuse(f"its {MANIFEST} cannot be read") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse(f"its {MANIFEST} does not describe a portal backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            UNKNOWN_VERSION.format(
                path=archive, found=manifest.get("format_version"), expected=FORMAT_VERSION
            )
        )
    if not _manifest_complete(manifest):
        raise refuse(f"its {MANIFEST} is incomplete")
    return manifest


def _manifest_complete(manifest: dict) -> bool:
    database, media = manifest.get("database"), manifest.get("media")
    return (
        isinstance(database, dict)
        and all(isinstance(database.get(key), str) for key in ("vendor", "file", "sha256"))
        and isinstance(database.get("tables"), dict)
        and isinstance(database.get("rows"), int)
        and isinstance(manifest.get("created_at"), str)
        and isinstance(manifest.get("migrations"), dict)
        and isinstance(media, list)
        and all(isinstance(item, dict) and isinstance(item.get("path"), str) for item in media)
    )


def _check_vendor(manifest: dict, vendor: str, archive: Path) -> None:
    found = manifest["database"]["vendor"]
    if found != vendor:
        raise BackupError(
            WRONG_VENDOR.format(
                path=archive,
                found=VENDOR_NAMES.get(found, found),
                expected=VENDOR_NAMES[vendor],
            )
        )


def _check_migrations(manifest: dict, archive: Path) -> None:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = sorted(
        f"{app}.{name}"
        for app, name in manifest["migrations"].items()
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    )
    if unknown:
        raise BackupError(NEWER_MIGRATIONS.format(path=archive, migrations=", ".join(unknown)))


def _check_members(tar: tarfile.TarFile, manifest: dict, archive: Path) -> None:
    """Only the manifest, the database and media files, at safe paths, and exactly the media
    files the manifest lists."""
    allowed = {MANIFEST, manifest["database"]["file"]}
    media = {}
    for member in tar.getmembers():
        path = PurePosixPath(member.name)
        inside = not path.is_absolute() and ".." not in path.parts
        in_media = path.parts[:1] == (MEDIA_DIR,)
        if not inside or not (member.isfile() or member.isdir()):
            reason = f"it holds an unexpected entry {member.name!r}"
            raise BackupError(NOT_A_BACKUP.format(path=archive, reason=reason))
        if member.isfile() and member.name not in allowed and not in_media:
            reason = f"it holds an unexpected file {member.name!r}"
            raise BackupError(NOT_A_BACKUP.format(path=archive, reason=reason))
        if member.isfile() and in_media:
            media[path.relative_to(MEDIA_DIR).as_posix()] = member.size
    listed = {item["path"]: item.get("bytes") for item in manifest["media"]}
    if media != listed:
        reason = "its media files differ from the list in its manifest"
        raise BackupError(DAMAGED.format(path=archive, reason=reason))


def _extract_database(tar: tarfile.TarFile, manifest: dict, archive: Path, staging: Path):
    name = manifest["database"]["file"]
    target = staging / DATABASE_FILES[manifest["database"]["vendor"]]
    digest = hashlib.sha256()
    try:
        source = tar.extractfile(name)
        if source is None:
            raise KeyError(name)
        with target.open("wb") as output:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                output.write(chunk)
    except KeyError as error:
        reason = f"it holds no database file {name!r}"
        raise BackupError(NOT_A_BACKUP.format(path=archive, reason=reason)) from error
    except (tarfile.TarError, EOFError, zlib.error) as error:
        reason = f"its database file cannot be read ({error})"
        raise BackupError(DAMAGED.format(path=archive, reason=reason)) from error
    if digest.hexdigest() != manifest["database"]["sha256"]:
        reason = "its database file does not match the checksum in its manifest"
        raise BackupError(DAMAGED.format(path=archive, reason=reason))
    return target


def _confirm_overwrite(confirm: Callable[[str], bool] | None) -> None:
    existing = _existing_data()
    if existing is None:
        return
    if confirm is None:
        raise BackupError(TARGET_HAS_DATA.format(what=existing))
    if not confirm(existing):
        raise BackupError(CANCELLED)


def _existing_data() -> str | None:
    """What the database and MEDIA_ROOT hold now, in words; None when both are empty."""
    disposable = set(cache_tables())
    with connection.cursor() as cursor:
        counts = {
            table: _count(cursor, table)
            for table in connection.introspection.table_names(cursor)
            if not table.startswith("sqlite_") and table not in disposable
        }
    media_root = Path(settings.MEDIA_ROOT)
    files = sum(1 for _ in media_files(media_root))
    parts = []
    if rows := sum(counts.values()):
        users = counts.get(apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table, 0)
        notes = counts.get(apps.get_model("cohorts", "ConfidentialNote")._meta.db_table, 0)
        parts.append(
            f"the {VENDOR_NAMES[connection.vendor]} database {_database_label()} holds "
            f"{rows} rows in {len(counts)} tables ({users} user account{pluralize(users)}, "
            f"{notes} confidential note{pluralize(notes)})"
        )
    if files:
        parts.append(f"MEDIA_ROOT ({media_root}) holds {files} file{pluralize(files)}")
    return "; ".join(parts) or None


def _count(cursor, table: str) -> int:
    # Table names come from the database's own catalogue, quoted as identifiers.
    cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
    return cursor.fetchone()[0]


def _database_label() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(params["NAME"])
    return f"{params['NAME']} on {params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"


@contextmanager
def _media_staging() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=MEDIA_STAGING_PREFIX, dir=root))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _extract_media(tar: tarfile.TarFile, manifest: dict, archive: Path, staging: Path) -> None:
    for item in manifest["media"]:
        target = staging / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with tar.extractfile(f"{MEDIA_DIR}/{item['path']}") as source:
                with target.open("wb") as output:
                    shutil.copyfileobj(source, output, CHUNK_BYTES)
        except (tarfile.TarError, EOFError, zlib.error) as error:
            reason = f"media file {item['path']!r} cannot be read ({error})"
            raise BackupError(DAMAGED.format(path=archive, reason=reason)) from error


def _media_replace(staging: Path) -> None:
    """Empty MEDIA_ROOT, then move the restored files in. MEDIA_ROOT itself stays, since it
    may be a mounted volume."""
    root = staging.parent
    for child in root.iterdir():
        if child == staging:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in staging.iterdir():
        child.rename(root / child.name)


def _pending_migrations() -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
