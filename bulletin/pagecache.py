"""The page cache's old address, kept for callers not yet moved: use `bulletin.caching`."""

from bulletin.caching.pages import CACHED_ENDPOINTS, cache
from bulletin.caching.versions import PRIVATE_TABLES, bump, current

__all__ = ["CACHED_ENDPOINTS", "PRIVATE_TABLES", "bump", "cache", "current"]
