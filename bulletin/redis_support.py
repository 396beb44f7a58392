"""Redis for shared counters and the page cache, imported only when REDIS_URL is set.

The redis package costs every worker about 6 MB; a board without Redis never loads it.
Catch `redis_support.RedisError` (looked up when an exception is being matched, so it is
redis's own class once a client exists).
"""

import importlib


class NotLoaded(Exception):  # noqa: N818 - a stand-in, never raised
    """Stands for redis.RedisError while redis is not imported."""


RedisError: type[Exception] = NotLoaded


def connect(url: str, timeout: float):
    """Return a Redis client for `url` whose calls give up after `timeout` seconds."""
    global RedisError
    redis = importlib.import_module("redis")
    RedisError = redis.RedisError
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
