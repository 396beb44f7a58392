"""Entries kept in one process, and when they are still good to use.

A `Store` is a small LRU bounded by count and bytes. A `Cache` is a store whose entries were
made under a shared version (`caching.versions`) and live at most `max_age` seconds: an entry
is fresh while the version has not moved and it is young enough. The page cache and the
registry list's bodies are two caches of this kind under the one version.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from time import monotonic
from typing import Any

from flask import Flask, current_app

from bulletin.caching import versions


@dataclass
class Entry:
    """One kept value, the version it was made under, when, and the bytes it holds."""

    version: int
    made_at: float
    value: Any
    size: int

    def is_fresh(self, version: int, max_age: float) -> bool:
        """Return True when made under `version` less than `max_age` seconds ago."""
        return self.version == version and monotonic() - self.made_at <= max_age


class Store:
    """A small LRU of entries in this process, bounded by count and bytes (`entry.size`)."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        """Return the entry for `key`, marking it recently used."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        """Keep `entry`, evicting the least recently used beyond the bounds."""
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old.size
            self.entries[key] = entry
            self.size += entry.size
            while self.entries and (len(self.entries) > self.max_entries
                                    or self.size > self.max_bytes):
                _key, dropped = self.entries.popitem(last=False)
                self.size -= dropped.size


class Cache:
    """Values kept under the shared version for at most `max_age` seconds (0: nothing kept)."""

    def __init__(self, app: Flask, max_entries: int, max_bytes: int):
        self.max_age = float(app.config["PAGE_CACHE_SECONDS"])
        self.versions = versions.of(app)
        self.store = Store(max_entries, max_bytes)

    def version(self) -> int | None:
        """The version to read under and keep values under; None when nothing may be kept.

        Read it before the data, so a value is never older than the version it is kept under.
        """
        return self.versions.current() if self.max_age > 0 else None

    def get(self, key: tuple, version: int | None) -> Any | None:
        """Return the value kept for `key` if it is still fresh under `version`."""
        if version is None:
            return None
        entry = self.store.get(key)
        if entry is None or not entry.is_fresh(version, self.max_age):
            return None
        return entry.value

    def put(self, key: tuple, version: int | None, value: Any, size: int) -> None:
        """Keep `value` (of about `size` bytes) for `key` under `version`."""
        if version is not None:
            self.store.put(key, Entry(version=version, made_at=monotonic(), value=value,
                                      size=size))


def named(name: str, max_entries: int, max_bytes: int, app: Flask | None = None) -> Cache:
    """Return the app's cache called `name`, made on first use."""
    app = app or current_app
    caches = app.extensions.setdefault("caches", {})
    if name not in caches:
        caches[name] = Cache(app, max_entries, max_bytes)
    return caches[name]
