"""The database cache that holds the rate-limit counters when no Redis is configured.

Django's DatabaseCache increments by reading then writing, so two workers counting the same
request at once could both write « n + 1 »; django-ratelimit therefore refuses it (its check
django_ratelimit.E003). This subclass increments with a compare-and-swap UPDATE, retried when
another worker changed the value in between, which holds on PostgreSQL and SQLite alike.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CAS_ATTEMPTS = 20


class CounterDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, key_col, value_col, expires_col = (
            quote_name(name) for name in (self._table, "cache_key", "value", "expires")
        )
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
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
                encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
                cursor.execute(
                    f"UPDATE {table} SET {value_col} = %s "
                    f"WHERE {key_col} = %s AND {value_col} = %s",
                    [encoded.decode("latin1"), key, stored],
                )
                if cursor.rowcount == 1:
                    return new_value
        raise ValueError(f"Key '{key}' changed too often to be incremented.")

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)
