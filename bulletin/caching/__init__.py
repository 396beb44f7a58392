"""What the app keeps rendered between requests, and how every process learns it is stale.

- `store`: this process's LRU of entries, and `Cache`, a store whose entries are good while
  they were made under the current shared version and are younger than a maximum age;
- `versions`: the shared version (Redis when REDIS_URL is set, else the database), bumped by
  every commit that changes what readers see, and by `bump()`;
- `fills`: late fills, the few figures a kept page shows that move on their own (visits, a
  post's views): the page keeps a placeholder, and whoever owns the figure registers a
  producer that fills it each time the page is served;
- `pages`: anonymous readers' whole pages, gzip and ETags.

The registry list's body (`bulletin.awards.listcache`) is a `Cache` of its own under the same
version. Nothing here imports a feature package or the visit counter: they plug in through
`fills.register` and `pages.on_cached_page`.
"""

from flask import Flask

from bulletin.caching import pages, versions


def init_app(app: Flask) -> None:
    """Install the shared version, then the page cache and late fills (after the visits)."""
    versions.init_app(app)
    pages.init_app(app)
