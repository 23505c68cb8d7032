"""The cache backend (CACHES["default"]): Django's Redis cache, failing soft.

Nothing the site needs to answer lives only in the cache (sessions and log-in lockouts are in
PostgreSQL; the cache holds copies and progress figures), so when Redis is down a page goes on
without it: a read finds nothing, a write is dropped, `incr` finds no key, and the failure is
logged. After a failure the backend leaves Redis alone for RETRY_AFTER seconds (a top-level key of
the CACHES entry, default 5), so a page does not wait for a dead server once per cache call;
/healthz (core.health) reports Redis down meanwhile.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# server location → time.monotonic() until which it is not tried again (shared by the threads)
_down_until: dict[str, float] = {}


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = str(server)
        self._retry_after = float(params.get("RETRY_AFTER", 5))

    def _soft(self, call, fallback):
        if _down_until.get(self._location, 0.0) > time.monotonic():
            return fallback()
        try:
            return call()
        except UNREACHABLE:
            logger.warning("The cache (Redis) cannot be reached; going on without it.", exc_info=True)
            _down_until[self._location] = time.monotonic() + self._retry_after
            return fallback()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), lambda: False)

    def get(self, key, default=None, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).get(key, default, version), lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), lambda: None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).delete(key, version), lambda: False)

    def get_many(self, keys, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).has_key(key, version), lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache cannot be reached).")

        return self._soft(lambda: super(FailSoftRedisCache, self).incr(key, delta, version), missing)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version), lambda: list(data))

    def delete_many(self, keys, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).delete_many(keys, version), lambda: None)

    def clear(self):
        return self._soft(lambda: super(FailSoftRedisCache, self).clear(), lambda: False)
