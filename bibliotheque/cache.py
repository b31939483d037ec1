"""The database cache that holds the rate-limit counters when no Redis is configured.

Django's DatabaseCache suits pages, not counters: it increments by reading then writing (two
workers counting at once could both write « n + 1 »; django-ratelimit refuses it, check
django_ratelimit.E003), its `add` counts the whole table then fails on the unique key for every
request after a bucket's first (an error in PostgreSQL's log each time), and past MAX_ENTRIES it
culls live rows. This subclass:

- adds with one upsert: inserted, or replacing an expired row, or left alone (no error);
- increments with a compare-and-swap UPDATE, retried if another worker changed the value;
- deletes expired rows now and then (one `add` in CULL_EVERY), never a live counter.

Both statements are PostgreSQL's and SQLite's (≥ 3.24) `INSERT … ON CONFLICT`.
"""

import base64
import pickle
import random
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CAS_ATTEMPTS = 20
CULL_EVERY = 200


class CounterDatabaseCache(DatabaseCache):
    def _sql(self, write=True):
        db = (router.db_for_write if write else router.db_for_read)(self.cache_model_class)
        connection = connections[db]
        names = [
            connection.ops.quote_name(n) for n in (self._table, "cache_key", "value", "expires")
        ]
        return connection, names

    def _now(self, connection):
        return connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))

    def _encode(self, value):
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection, (table, key_col, value_col, expires_col) = self._sql()
        timeout = self.get_backend_timeout(timeout)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        now = self._now(connection)
        with connection.cursor() as cursor:
            if random.randrange(CULL_EVERY) == 0:
                cursor.execute(f"DELETE FROM {table} WHERE {expires_col} < %s", [now])
            cursor.execute(
                f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) "
                f"VALUES (%s, %s, %s) ON CONFLICT ({key_col}) DO UPDATE "
                f"SET {value_col} = EXCLUDED.{value_col}, {expires_col} = EXCLUDED.{expires_col} "
                f"WHERE {table}.{expires_col} < %s",
                [key, self._encode(value), expires, now],
            )
            return cursor.rowcount == 1

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection, (table, key_col, value_col, expires_col) = self._sql()
        now = self._now(connection)
        with connection.cursor() as cursor:
            for _attempt in range(CAS_ATTEMPTS):
                cursor.execute(
                    f"SELECT {value_col} FROM {table} WHERE {key_col} = %s AND {expires_col} > %s",
                    [key, now],
                )
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found.")
                stored = connection.ops.process_clob(row[0])
                new_value = pickle.loads(base64.b64decode(stored.encode())) + delta
                cursor.execute(
                    f"UPDATE {table} SET {value_col} = %s "
                    f"WHERE {key_col} = %s AND {value_col} = %s",
                    [self._encode(new_value), key, stored],
                )
                if cursor.rowcount == 1:
                    return new_value
        raise ValueError(f"Key '{key}' changed too often to be incremented.")

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)
