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
``manage.py backup`` and ``manage.py restore`` are thin interfaces over this module.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.template.defaultfilters import pluralize

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
IN_MEMORY = "The database is in memory: there is no file to back up or to restore into."
DATABASE_MISSING = "The database file {path} does not exist."
OUTPUT_EXISTS = "{path} already exists; name another file with --output."
OUTPUT_FOLDER_MISSING = "The folder {path} does not exist."
WRITE_FAILED = "The backup could not be written ({error}); no archive was left behind."
TOOL_MISSING = (
    "{tool} was not found on PATH: install the PostgreSQL client programs, of the "
    "server's major version or newer."
)
TOOL_FAILED = "{tool} failed (exit status {status}): {output}"
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
RESTORE_FAILED = "The database could not be restored ({error}); it holds what it held before."


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


@dataclass(frozen=True)
class _Snapshot:
    file: Path
    tables: dict[str, int]
    migrations: dict[str, str]


# ---- Backup ----------------------------------------------------------------------------


def backup_create(*, destination: Path | None = None) -> BackupSummary:
    """Write a backup archive to `destination` (a file, or a folder for a timestamped
    name; by default the current folder) and return what it holds.

    The archive is written under a temporary name next to its destination and renamed
    when complete, so a failed backup leaves nothing half-written.
    """
    vendor = _vendor()
    created = datetime.now(UTC).replace(microsecond=0)
    target = _archive_path(destination, created)
    with tempfile.TemporaryDirectory(prefix=".portal-backup-", dir=target.parent) as staging:
        snapshot = _snapshot(vendor, Path(staging) / DATABASE_FILES[vendor])
        manifest = _write_archive(target, vendor=vendor, snapshot=snapshot, created=created)
    return _summary(target, manifest)


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(UNSUPPORTED_VENDOR.format(vendor=connection.vendor))
    return connection.vendor


def _archive_path(destination: Path | None, created: datetime) -> Path:
    name = f"portal-backup-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    path = Path(destination) if destination is not None else Path.cwd()
    if path.is_dir():
        path = path / name
    if path.exists():
        raise BackupError(OUTPUT_EXISTS.format(path=path))
    if not path.parent.is_dir():
        raise BackupError(OUTPUT_FOLDER_MISSING.format(path=path.parent))
    return path.absolute()


def _snapshot(vendor: str, target: Path) -> _Snapshot:
    return _sqlite_snapshot(target) if vendor == "sqlite" else _postgres_snapshot(target)


def _write_archive(target: Path, *, vendor: str, snapshot: _Snapshot, created: datetime) -> dict:
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


def _manifest(vendor: str, snapshot: _Snapshot, media: list[dict], created: datetime) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "database": {
            "vendor": vendor,
            "file": DATABASE_FILES[vendor],
            "bytes": snapshot.file.stat().st_size,
            "sha256": _sha256(snapshot.file),
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
    for path in _media_files(root):
        relative = path.relative_to(root).as_posix()
        try:
            info = tar.gettarinfo(path, arcname=f"{MEDIA_DIR}/{relative}")
            with path.open("rb") as handle:
                tar.addfile(info, handle)
        except FileNotFoundError:
            continue
        files.append({"path": relative, "bytes": info.size})
    return files


def _media_files(root: Path) -> Iterator[Path]:
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


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """The database is personal data: readable by its owner only when unpacked by hand."""
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _latest_migrations(database, tables: dict[str, int]) -> dict[str, str]:
    """The latest applied migration of each app: rows in the order applied, the last wins."""
    if "django_migrations" not in tables:
        return {}
    return dict(database.execute("SELECT app, name FROM django_migrations ORDER BY id"))


def _summary(path: Path, manifest: dict, pending: int = 0) -> BackupSummary:
    return BackupSummary(
        path=path,
        created_at=manifest["created_at"],
        vendor=manifest["database"]["vendor"],
        tables=len(manifest["database"]["tables"]),
        rows=manifest["database"]["rows"],
        media_files=len(manifest["media"]),
        pending_migrations=pending,
    )


# ---- SQLite ----------------------------------------------------------------------------


def _sqlite_path(*, must_exist: bool) -> Path:
    if connection.is_in_memory_db():
        raise BackupError(IN_MEMORY)
    path = Path(connection.settings_dict["NAME"])
    if must_exist and not path.is_file():
        raise BackupError(DATABASE_MISSING.format(path=path))
    return path


def _sqlite_snapshot(target: Path) -> _Snapshot:
    """Copy the live database file with SQLite's online backup API.

    All pages are copied in one step (pages=-1), inside one read transaction: the copy is
    the database as it stood at one moment, and in WAL mode the site's writers carry on
    meanwhile. https://www.sqlite.org/backup.html
    """
    source = sqlite3.connect(_sqlite_path(must_exist=True), timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=-1)
        # The archived file stands alone, with no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = _sqlite_counts(copy)
        return _Snapshot(target, tables, _latest_migrations(copy, tables))
    finally:
        source.close()
        copy.close()


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    names = database.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    tables = [name for (name,) in names.fetchall() if not name.startswith("sqlite_")]
    return {
        # Table names come from the database's own catalogue, quoted as identifiers.
        name: database.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()[0]  # noqa: S608
        for name in tables
    }


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sqlite_restore(snapshot: Path) -> None:
    """Copy the snapshot into the database with the backup API: one write transaction, so
    the database holds either all of the backup or what it held before."""
    target_path = _sqlite_path(must_exist=False)
    connections.close_all()
    source = sqlite3.connect(snapshot)
    target = sqlite3.connect(target_path, timeout=20)
    try:
        source.backup(target, pages=-1)
    except sqlite3.Error as error:
        raise BackupError(RESTORE_FAILED.format(error=error)) from error
    finally:
        source.close()
        target.close()


# ---- PostgreSQL ------------------------------------------------------------------------


def _postgres_snapshot(target: Path) -> _Snapshot:
    """pg_dump of a snapshot exported by a REPEATABLE READ transaction, which also counts
    the rows: the counts in the manifest are those of the dump, exactly.

    https://www.postgresql.org/docs/current/app-pgdump.html (--snapshot)
    """
    import psycopg

    pg_dump = _tool("pg_dump")
    with psycopg.connect(**connection.get_connection_params()) as database:
        database.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        database.read_only = True
        snapshot_id = database.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _postgres_counts(database)
        migrations = _latest_migrations(database, tables)
        # Uncompressed: the archive's gzip compresses it once, and a scan of the archive
        # for secrets reads it as it is.
        _run(
            [
                pg_dump,
                "--format=custom",
                "--compress=0",
                f"--snapshot={snapshot_id}",
                f"--file={target}",
            ]
        )
    return _Snapshot(target, tables, migrations)


def _postgres_counts(database) -> dict[str, int]:
    from psycopg import sql

    names = database.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
        "AND n.nspname = current_schema() ORDER BY c.relname"
    )
    count = sql.SQL("SELECT count(*) FROM {}")
    return {
        name: database.execute(count.format(sql.Identifier(name))).fetchone()[0]
        for (name,) in names.fetchall()
    }


def _postgres_restore(dump: Path) -> None:
    """pg_restore in a single transaction: the database holds either all of the backup or
    what it held before."""
    connections.close_all()
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ]
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(TOOL_MISSING.format(tool=name))
    return path


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the portal's database: the password never appears on a command
    line, where other users of the machine could read it."""
    params = connection.settings_dict
    options = params.get("OPTIONS", {})
    values = {
        "PGHOST": params["HOST"],
        "PGPORT": params["PORT"],
        "PGUSER": params["USER"],
        "PGPASSWORD": params["PASSWORD"],
        "PGDATABASE": params["NAME"],
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 (a fixed program and its own arguments)
        command, env=_postgres_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(
            TOOL_FAILED.format(
                tool=Path(command[0]).name,
                status=result.returncode,
                output=result.stderr.strip()[-2000:],
            )
        )


# ---- Restore ---------------------------------------------------------------------------


def backup_restore(
    *, archive: Path, confirm: Callable[[str], bool] | None = None
) -> BackupSummary:
    """Replace the database and MEDIA_ROOT with the backup in `archive`.

    The archive is checked in full first (a portal backup, a known format version, the same
    kind of database, no migration this code lacks, the snapshot's checksum). When the
    database or MEDIA_ROOT already hold something, `confirm` is asked with a description of
    it and must answer True; without `confirm` the restore is refused. Any refusal changes
    nothing. Stop the web and worker processes first.
    """
    archive = Path(archive)
    vendor = _vendor()
    with _open_archive(archive) as tar, tempfile.TemporaryDirectory() as staging:
        manifest = _read_manifest(tar, archive)
        _check_vendor(manifest, vendor, archive)
        _check_migrations(manifest, archive)
        _check_members(tar, manifest, archive)
        snapshot = _extract_database(tar, manifest, archive, Path(staging))
        _confirm_overwrite(confirm)
        with _media_staging() as media:
            _extract_media(tar, manifest, archive, media)
            (_sqlite_restore if vendor == "sqlite" else _postgres_restore)(snapshot)
            _media_replace(media)
    return _summary(archive, manifest, pending=_pending_migrations())


@contextmanager
def _open_archive(archive: Path) -> Iterator[tarfile.TarFile]:
    if not archive.is_file():
        raise BackupError(NOT_A_BACKUP.format(path=archive, reason="there is no such file"))
    unreadable = (tarfile.TarError, EOFError, OSError, zlib.error)
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except unreadable as error:
        raise BackupError(NOT_A_BACKUP.format(path=archive, reason=UNREADABLE)) from error
    with tar:
        try:
            tar.getmembers()  # reads to the end: a file cut short fails here
        except unreadable as error:
            raise BackupError(NOT_A_BACKUP.format(path=archive, reason=UNREADABLE)) from error
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
    with connection.cursor() as cursor:
        counts = {
            table: _count(cursor, table)
            for table in connection.introspection.table_names(cursor)
            if not table.startswith("sqlite_")
        }
    media_root = Path(settings.MEDIA_ROOT)
    files = sum(1 for _ in _media_files(media_root))
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
