"""The test database, reached from outside the test: copied to a file for another process,
or, on PostgreSQL, addressed by URL and administered on its server. For the tests that run
`manage.py` processes (the outbox's workers, backup and restore) against a database of
their own."""

import sqlite3
from pathlib import Path
from urllib.parse import quote

from django.db import connection


def database_copy(path: Path) -> None:
    """Copy the current connection's SQLite database (e.g. pytest's migrated test database)
    to a file, so another process can use it without running every migration again.

    A dump rather than sqlite3's backup API: inside a test the connection holds an open
    write transaction, and the backup would wait for it forever.
    """
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        target.executescript("\n".join(connection.connection.iterdump()))
    finally:
        target.close()


def postgres_url(name: str) -> str:
    """The address of database `name` on the test database's PostgreSQL server."""
    params = connection.settings_dict
    credentials = quote(params["USER"], safe="")
    if params["PASSWORD"]:
        credentials += ":" + quote(params["PASSWORD"], safe="")
    return f"postgres://{credentials}@{params['HOST']}:{params['PORT'] or 5432}/{name}"


def postgres_admin(statement: str) -> None:
    """Run SQL on the server's maintenance database, outside any test transaction."""
    import psycopg

    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"],
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(statement)
