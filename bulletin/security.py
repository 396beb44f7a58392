"""Security headers on every response, the safe-redirect check, and hostile-input guards."""

from urllib.parse import urlsplit

from flask import (
    Flask,
    Request,
    abort,
    current_app,
    g,
    has_request_context,
    request,
    session,
    url_for,
)
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

# The largest integer a database column holds (SQLite and PostgreSQL bigint): a larger one
# in a URL or a cursor names nothing, and binding it would be a driver error.
MAX_DB_INT = 2**63 - 1
# Row ids are INTEGER columns, 32-bit on PostgreSQL (which casts every bound id to INTEGER).
MAX_ID = 2**31 - 1
REPLACEMENT = "\ufffd"  # what a NUL in a posted field becomes

CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def safe_next_url(target: str | None) -> str | None:
    """Return `target` if it is a local path on this site, else None (no open redirect)."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def parse_int(raw: str | None, low: int = 0, high: int = MAX_DB_INT) -> int | None:
    """Return `raw` as an integer within [low, high] if it is plain ASCII digits, else None."""
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        return None
    number = int(raw)
    return number if low <= number <= high else None


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in a URL: ASCII digits up to MAX_ID (every int in our URLs is a row id);
    anything larger names nothing and is a 404."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        """Default the upper bound to what the database can hold."""
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class BoundedRequest(Request):
    """A request whose urlencoded form is held to the same limits as a multipart one.

    Werkzeug applies `max_form_memory_size` and `max_form_parts` to multipart bodies only; an
    urlencoded body would otherwise be bounded by MAX_CONTENT_LENGTH alone (64 MB of
    `photos-N-id=…` pairs)."""

    def _load_form_data(self) -> None:
        """Refuse an oversized urlencoded body before parsing it, and one with too many
        fields after."""
        urlencoded = self.mimetype == "application/x-www-form-urlencoded"
        limit = self.max_form_memory_size
        if urlencoded and limit is not None and (self.content_length or 0) > limit:
            raise RequestEntityTooLarge()
        super()._load_form_data()
        parts = self.max_form_parts
        if urlencoded and parts is not None and sum(map(len, self.form.listvalues())) > parts:
            raise RequestEntityTooLarge()


def _has_nul(pairs) -> bool:
    """Return True when a key or value of a MultiDict holds a NUL character."""
    return any("\x00" in key or "\x00" in value for key, value in pairs.items(multi=True))


def refuse_nul_in_input():
    """No NUL reaches a view (no page needs one, and PostgreSQL refuses it in text).

    In the path it is a 404. In the query string and in a posted form it becomes U+FFFD, a
    value that matches nothing, so filters ignore it; a posted form also shows an error on
    that field (BaseForm), every value kept."""
    if "\x00" in request.path:
        abort(404)
    if _has_nul(request.args):
        request.args = _without_nul(request.args)
    if request.method in ("POST", "PUT", "PATCH") and _has_nul(request.form):
        names = {key for key, value in request.form.items(multi=True) if "\x00" in value}
        g.nul_fields = names | {key for key in request.form if "\x00" in key}
        request.form = _without_nul(request.form)
    return None


def _without_nul(pairs) -> ImmutableMultiDict:
    """Return a copy of a MultiDict with every NUL replaced by U+FFFD."""
    return ImmutableMultiDict(
        (key.replace("\x00", REPLACEMENT), value.replace("\x00", REPLACEMENT))
        for key, value in pairs.items(multi=True))


def nul_fields() -> set[str]:
    """Return the names of the posted fields that held a NUL in this request."""
    return g.get("nul_fields", set()) if has_request_context() else set()


def add_security_headers(response):
    """Set CSP, nosniff, referrer policy and frame denial; no caching of staff pages."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if is_logged_in_request() and not response.cache_control.immutable:
        # Staff pages must not come back from the cache (the back button after logout).
        headers["Cache-Control"] = "no-store"
    return response


def is_logged_in_request() -> bool:
    """Return True when the request carries a login (no database query: cookies only)."""
    if request.endpoint == "static":
        return False
    remember_cookie = current_app.config["REMEMBER_COOKIE_NAME"]
    return "_user_id" in session or remember_cookie in request.cookies


def install_converters(app: Flask) -> None:
    """Bound `<int:…>` URL parts; called before any route is added."""
    app.url_map.converters["int"] = BoundedIntConverter


def external_url(endpoint: str, **values) -> str:
    """An absolute URL: on BASE_URL when it is set, so no Host header ever shapes it."""
    base = urlsplit(current_app.config.get("BASE_URL") or "")
    if base.scheme and base.netloc:
        return f"{base.scheme}://{base.netloc}{url_for(endpoint, **values)}"
    return url_for(endpoint, _external=True, **values)


class SecureCookies:
    """WSGI middleware: every Set-Cookie gets `Secure` when the request came over HTTPS
    (as ProxyFix tells it from a trusted X-Forwarded-Proto) or when `always` is set.

    It sits under the app's own hooks, so the session cookie, Flask-Login's remember cookie
    and the visitor cookie are all covered, whatever sets them."""

    def __init__(self, wsgi_app, always: bool = False):
        self.wsgi_app = wsgi_app
        self.always = always

    def __call__(self, environ, start_response):
        """Pass the request on; mark the response's cookies Secure over HTTPS."""
        if not (self.always or environ.get("wsgi.url_scheme") == "https"):
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            """Add `Secure` to each cookie that lacks it."""
            headers = [(name, mark_secure(value) if name.lower() == "set-cookie" else value)
                       for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def mark_secure(cookie: str) -> str:
    """Return a Set-Cookie value with the Secure attribute."""
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    return cookie if "secure" in attributes else f"{cookie}; Secure"


def init_app(app: Flask) -> None:
    """Install the request and response hooks, secure cookies and the proxy settings."""
    app.before_request(refuse_nul_in_input)
    app.after_request(add_security_headers)
    app.wsgi_app = SecureCookies(app.wsgi_app, always=bool(app.config["SECURE_COOKIES"]))
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted:
        # Behind a reverse proxy, take the client's address, the scheme (HTTPS: Secure
        # cookies) and the host from the X-Forwarded-* headers the proxy sets, so login
        # throttling and the audit log see people, not the proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)
