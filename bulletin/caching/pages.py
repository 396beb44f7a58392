"""Rendered pages for anonymous readers, kept in each process and dropped everywhere at once.

A reader without a login (no session login, no remember cookie, no flashed message waiting)
asking for a public page gets the HTML this process rendered for the same URL and language,
as long as the shared version (`caching.versions`) is the one the page was made under and
the page is younger than PAGE_CACHE_SECONDS (scheduled posts and "2 hours ago" move on by
themselves). The figures that move between renders (the visit widget, a post's views) are
late fills: the kept page holds placeholders, filled with the current figures each time it
is served, so they are never part of the key and never force a render. The ETag names the
page and the figures it was filled with, so a browser's copy with old figures is not reused.
The visit is still counted: the cached answer goes through the same response hooks as a
rendered one, and `on_cached_page` lets the visit counter note a post's view.
Private mode (READ_REQUIRES_LOGIN) caches nothing.
"""

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session

from bulletin.caching import fills
from bulletin.caching.store import Cache
from bulletin.i18n import select_locale
from bulletin.security import is_logged_in_request

CACHED_ENDPOINTS = {
    "posts.home", "posts.detail", "posts.organization", "posts.category", "posts.feed",
    "posts.org_feed", "posts.category_feed", "search.results", "awards.honour_roll",
    "awards.honour_decision",
}
GZIP_LEVEL = 6
MIN_GZIP_BYTES = 500
COMPRESSIBLE = ("text/", "application/atom+xml", "application/json", "application/xml",
                "image/svg+xml", "application/javascript")


@dataclass
class Page:
    """One kept answer: its body plain and gzipped, or its template when it has late fills."""

    status: int
    mimetype: str
    headers: list
    etag: str
    body: bytes = b""
    gzipped: bytes = b""
    template: fills.Template | None = None

    @property
    def size(self) -> int:
        """The bytes the page holds, for the store's bound."""
        return self.template.size if self.template else len(self.body) + len(self.gzipped)

    def content(self) -> tuple[bytes, bytes, str]:
        """The body, plain and gzipped, and the ETag, filled with the current figures."""
        if self.template is None:
            return self.body, self.gzipped, self.etag
        filled = self.template.filled(fills.fills())
        return filled.body, filled.gzipped, f"{self.etag}-{filled.tag}"


def cache(app: Flask | None = None) -> Cache:
    """Return the app's page cache."""
    return (app or current_app).extensions["pagecache"]


def on_cached_page(app: Flask, callback: Callable[[], None]) -> None:
    """Call `callback` whenever a page is answered from the cache (before the answer is made)."""
    app.extensions.setdefault("pagecache_callbacks", []).append(callback)


# --- Which requests and responses --------------------------------------------------------

def is_anonymous_reader() -> bool:
    """Return True for a GET of a cacheable page by a reader without login or messages."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in CACHED_ENDPOINTS:
        return False
    if current_app.config["READ_REQUIRES_LOGIN"] or is_logged_in_request():
        return False
    return "_flashes" not in session


def cache_key() -> tuple:
    """The URL and language a page was rendered for, and its host unless BASE_URL makes
    every absolute link (feeds, printed pages): a page made for `Host: evil.example` is
    never served to a reader of the real host."""
    host = "" if current_app.config.get("BASE_URL") else request.host.lower()
    return (select_locale(), host, request.full_path)


def accepts_gzip() -> bool:
    """Return True when the client takes gzip-compressed bodies."""
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


# --- Request hooks ------------------------------------------------------------------------

def serve_from_cache():
    """Answer an anonymous reader from the cache when the page is there and current."""
    if not is_anonymous_reader():
        return None
    version = cache().version()
    if version is None:
        return None
    g.pagecache = (cache_key(), version)
    page = cache().get(*g.pagecache)
    if page is None:
        return None
    g.pagecache_hit = True
    for callback in current_app.extensions.get("pagecache_callbacks", ()):
        callback()
    return page_response(page)


def page_response(page: Page) -> Response:
    """Build a response from a kept page (gzipped when the client accepts it)."""
    body, gzipped, etag = page.content()
    compressed = accepts_gzip()
    response = Response(gzipped if compressed else body, status=page.status,
                        mimetype=page.mimetype, headers=page.headers)
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    response.cache_control.no_cache = True  # browsers ask again (and the visit counts)
    response.set_etag(etag)
    return response.make_conditional(request)


def keep(response: Response) -> Page:
    """Make a page to keep from a freshly rendered response (placeholders still in it)."""
    body = response.get_data()
    headers = [(name, value) for name, value in response.headers
               if name.lower() not in ("content-length", "content-type", "set-cookie")]
    page = Page(status=response.status_code, mimetype=response.mimetype, headers=headers,
                etag=hashlib.blake2b(body, digest_size=12).hexdigest())
    page.template = fills.Template.cut(body, fills.fills()) if g.pop("late_fills", False) else None
    if page.template is None:
        page.body, page.gzipped = body, gzip.compress(body, GZIP_LEVEL, mtime=0)
    return page


def remember_page(response: Response) -> Response:
    """Keep a freshly rendered anonymous page for the next readers."""
    if "pagecache" not in g or g.get("pagecache_hit"):
        return response
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Set-Cookie" in response.headers or session.modified):
        return response
    key, version = g.pagecache
    page = keep(response)
    cache().put(key, version, page, page.size)
    fresh = page_response(page)
    fresh.headers.extend((name, value) for name, value in response.headers
                         if name.lower() == "set-cookie")
    return fresh


def compress(response: Response) -> Response:
    """Gzip a text answer for clients that accept it (cached pages come compressed)."""
    if (response.status_code < 200 or response.status_code in (204, 206, 304)
            or response.direct_passthrough or response.is_streamed
            # Staff pages carry a CSRF token beside text a URL can echo (search): no
            # compression for them, so their length never leaks the token (BREACH).
            or is_logged_in_request()
            or "Content-Encoding" in response.headers or not accepts_gzip()
            or not response.mimetype.startswith(COMPRESSIBLE)):
        return response
    body = response.get_data()
    if len(body) < MIN_GZIP_BYTES:
        return response
    response.set_data(gzip.compress(body, GZIP_LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    """Install the cache; registered after the visit counter so it stores pages first."""
    app.extensions["pagecache"] = Cache(app, int(app.config["PAGE_CACHE_ENTRIES"]),
                                        int(app.config["PAGE_CACHE_MAX_BYTES"]))
    # After-request hooks run last-registered first: remember, fill, then compress.
    app.after_request(compress)
    fills.init_app(app)
    if app.config["PAGE_CACHE_SECONDS"] > 0:
        app.before_request(serve_from_cache)
        app.after_request(remember_page)
