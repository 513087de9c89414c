"""The cache that every web and worker process shares when there is no Redis: a table in
the portal's own database (`manage.py createcachetable` makes it).

Rate-limit counters live there, so that every gunicorn worker counts the same requests.
Django's database cache counts with a read and then a write, and its write resets the
entry's expiry to the default timeout: two workers counting at once would lose a request,
and a counter idle for five minutes would vanish halfway through its hour. Here ``incr``
locks the row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the portal's IMMEDIATE
transactions hold the write lock) and changes only the value, keeping the expiry.
https://docs.djangoproject.com/en/5.2/topics/cache/#database-caching
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
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
