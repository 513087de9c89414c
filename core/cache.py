"""The cache that every web and worker process shares when there is no Redis: a table in
the portal's own database (`manage.py createcachetable` makes it).

Rate-limit counters live there, so that every gunicorn worker counts the same requests.
Django's database cache counts with a read and then a write, and its write resets the
entry's expiry to the default timeout: two workers counting at once would lose a request,
and a counter idle for five minutes would vanish halfway through its hour. Here ``incr``
locks the row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the portal's IMMEDIATE
transactions hold the write lock) and changes only the value, keeping the expiry.
https://docs.djangoproject.com/en/5.2/topics/cache/#database-caching

Also the page cache's backend without Redis (FileCacheReadInMemory).
"""

import base64
import os
import pickle
import time

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now

# The table of the shared cache: the settings name it, and a migration makes it.
CACHE_TABLE = "portal_cache"


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache with an atomic ``incr`` that keeps the entry's expiry."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, value_column, key_column = quote(self._table), quote("value"), quote("cache_key")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column}, {quote('expires')} FROM {table} "  # noqa: S608
                f"WHERE {key_column} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found.")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",  # noqa: S608
                [encoded, key],
            )
        return value

    @staticmethod
    def _expired(connection, expires) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        for converter in converters:
            expires = converter(expires, expression, connection)
        return expires < now()


# What FileCacheReadInMemory has read, by file: the file's identity when read, the entry's
# expiry, the value. Emptied whole when full: at most some 500 pages of some 20 KB each, 10 MB
# per process (the page cache's memory of recent pages holds the same objects).
_read_files: dict[str, tuple[tuple[int, int, int], float | None, object]] = {}
_paths: dict[tuple, str] = {}
READ_FILES_MAX = 500
_MISSING = object()


class FileCacheReadInMemory(FileBasedCache):
    """Django's file-based cache (the page cache without Redis), each value read kept in this
    process's memory while its file is unchanged: a read that finds the same file (inode,
    modification time and size) costs a stat, not an open, read, decompress and unpickle.
    Every write makes a new file (Django writes a temporary file and renames it over the
    entry), so a write by any process is seen by the next read in every process."""

    def get(self, key, default=None, version=None):
        path = _paths.get((self._dir, key, version))
        if path is None:
            # Validating and hashing the key costs more than the stat: kept too.
            path = self._key_to_file(key, version)
            if len(_paths) >= READ_FILES_MAX:
                _paths.clear()
            _paths[(self._dir, key, version)] = path
        try:
            status = os.stat(path)
        except FileNotFoundError:
            return default
        identity = (status.st_ino, status.st_mtime_ns, status.st_size)
        kept = _read_files.get(path)
        if kept is not None and kept[0] == identity and not _expired(kept[1]):
            return kept[2]
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            _read_files.pop(path, None)
            return default
        if len(_read_files) >= READ_FILES_MAX:
            _read_files.clear()
        _read_files[path] = (identity, _expiry(path), value)
        return value


def _expired(expiry: float | None) -> bool:
    return expiry is not None and expiry < time.time()


def _expiry(path: str) -> float | None:
    """The expiry Django's file-based cache writes first in each file (``_write_content``);
    0 (expired) when the file is gone or cannot be read."""
    try:
        with open(path, "rb") as file:
            return pickle.load(file)  # noqa: S301 (the cache's own file, as Django reads it)
    except (OSError, EOFError, pickle.UnpicklingError):
        return 0
