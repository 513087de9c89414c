"""The database's part of a backup: a consistent snapshot of the live database, and its
restore, for SQLite and PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections

from portal.backup.archive import BackupError

IN_MEMORY = "The database is in memory: there is no file to back up or to restore into."
DATABASE_MISSING = "The database file {path} does not exist."
TOOL_MISSING = (
    "{tool} was not found on PATH: install the PostgreSQL client programs, of the "
    "server's major version or newer."
)
TOOL_FAILED = "{tool} failed (exit status {status}): {output}"
RESTORE_FAILED = "The database could not be restored ({error}); it holds what it held before."


@dataclass(frozen=True)
class Snapshot:
    file: Path
    tables: dict[str, int]
    migrations: dict[str, str]


def cache_tables() -> list[str]:
    """The tables of the database caches in CACHES (rate-limit counters and the like): a
    backup holds them empty, and their rows never count as data a restore would replace."""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    found = (caches[alias] for alias in settings.CACHES)
    return [cache._table for cache in found if isinstance(cache, BaseDatabaseCache)]


def database_snapshot(vendor: str, target: Path) -> Snapshot:
    return _sqlite_snapshot(target) if vendor == "sqlite" else _postgres_snapshot(target)


def database_restore(vendor: str, snapshot: Path) -> None:
    """Replace the portal's database with `snapshot`, all or nothing."""
    (_sqlite_restore if vendor == "sqlite" else _postgres_restore)(snapshot)


def _latest_migrations(database, tables: dict[str, int]) -> dict[str, str]:
    """The latest applied migration of each app: rows in the order applied, the last wins."""
    if "django_migrations" not in tables:
        return {}
    return dict(database.execute("SELECT app, name FROM django_migrations ORDER BY id"))


def _sqlite_path(*, must_exist: bool) -> Path:
    if connection.is_in_memory_db():
        raise BackupError(IN_MEMORY)
    path = Path(connection.settings_dict["NAME"])
    if must_exist and not path.is_file():
        raise BackupError(DATABASE_MISSING.format(path=path))
    return path


def _sqlite_snapshot(target: Path) -> Snapshot:
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
        _sqlite_empty_caches(copy)
        tables = _sqlite_counts(copy)
        return Snapshot(target, tables, _latest_migrations(copy, tables))
    finally:
        source.close()
        copy.close()


def _sqlite_empty_caches(database: sqlite3.Connection) -> None:
    """Empty the copy's cache tables, their old rows overwritten (secure_delete)."""
    existing = {name for (name,) in database.execute("SELECT name FROM sqlite_master")}
    database.execute("PRAGMA secure_delete=ON")
    with database:
        for table in cache_tables():
            if table in existing:
                database.execute(f"DELETE FROM {_quoted(table)}")  # noqa: S608


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


def _postgres_snapshot(target: Path) -> Snapshot:
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
                *(f"--exclude-table-data={table}" for table in cache_tables()),
                f"--file={target}",
            ]
        )
    return Snapshot(target, tables, migrations)


def _postgres_counts(database) -> dict[str, int]:
    from psycopg import sql

    names = database.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
        "AND n.nspname = current_schema() ORDER BY c.relname"
    )
    count = sql.SQL("SELECT count(*) FROM {}")
    empty = set(cache_tables())  # pg_dump leaves their rows out
    return {
        name: 0
        if name in empty
        else database.execute(count.format(sql.Identifier(name))).fetchone()[0]
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
