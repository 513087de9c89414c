"""What the backup tests share: `manage.py` run as an operator runs it, on databases of its
own (``ScratchDatabases``, the ``scratch`` fixture of conftest.py), a plain connection to
one, and the files under a folder, read to compare two trees."""

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections

from tests.databases import database_copy, postgres_admin, postgres_url

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_BIN = "/usr/lib/postgresql/15/bin"


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path relative to it, with its content."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def path_with_postgres_tools() -> str:
    """PATH, with PostgreSQL's client tools on it."""
    path = os.environ.get("PATH", "")
    return path if shutil.which("pg_dump") else f"{POSTGRES_BIN}{os.pathsep}{path}"


def backup_environment(
    database_url: str, media: Path, *, notes_key: str, secret_key: str
) -> dict[str, str]:
    """The environment of a `manage.py` process on `database_url` and `media`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": secret_key,
        "NOTES_ENCRYPTION_KEYS": notes_key,
        "REDIS_URL": "",
        "EMAIL_HOST": "",
        "LOG_LEVEL": "WARNING",
        "PATH": path_with_postgres_tools(),
    }


def manage_run(env: dict[str, str], *args: str, cwd: Path = ROOT, check: bool = True):
    """Run `manage.py args` under `env`; a failure (unless `check` is off) fails the test."""
    result = subprocess.run(  # noqa: S603 (own argv)
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if check and result.returncode:
        raise AssertionError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result


class ScratchDatabases:
    """Databases for the processes under test, next to the test database: `migrated()` is
    a copy of the migrated test database, `empty()` has not even a table."""

    def __init__(self, folder: Path, blocker):
        self.folder, self.blocker, self.created = folder, blocker, []

    def migrated(self, name: str) -> str:
        with self.blocker.unblock():
            # Without a test marked django_db in the run, the connection is the developer's
            # own database, not pytest's: never copy that.
            assert connection.creation._get_test_db_name() == connection.settings_dict["NAME"], (
                "mark the module's tests django_db: the test database is not set up"
            )
            if connection.vendor == "sqlite":
                database_copy(self.folder / f"{name}.sqlite3")
                return f"sqlite:///{self.folder / f'{name}.sqlite3'}"
            # A template must have no other session: the test process lets go of it first.
            connections.close_all()
            return self._create(name, template=connection.settings_dict["NAME"])

    def empty(self, name: str) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.folder / f'{name}.sqlite3'}"
        return self._create(name, template="template0")

    def _create(self, name: str, *, template: str) -> str:
        full_name = f"{connection.settings_dict['NAME']}_{name}"
        postgres_admin(f'DROP DATABASE IF EXISTS "{full_name}" WITH (FORCE)')
        postgres_admin(f'CREATE DATABASE "{full_name}" TEMPLATE "{template}"')
        self.created.append(full_name)
        return postgres_url(full_name)

    def drop_all(self) -> None:
        for name in self.created:
            postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database_connect(url: str):
    """A plain connection to a scratch database, beside the processes that use it."""
    if url.startswith("sqlite:///"):
        database = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20)
    else:
        import psycopg

        database = psycopg.connect(url, autocommit=True)
    try:
        yield database
    finally:
        database.close()
