"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

redis-py's client is made to be kept: making one copies its table of some five hundred reply handlers,
which was a third of the cost of reading one key (an unchanged live poll is one read; bench/README.md).
The client holds no connection of its own (it takes one from the pool for each command), so keeping it
changes nothing else, across threads or gunicorn's forked workers alike."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
