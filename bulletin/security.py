"""Security headers on every response, the safe-redirect check, and hostile-input guards."""

import logging
import os
from urllib.parse import urlsplit

from flask import (
    Flask,
    Request,
    abort,
    current_app,
    g,
    has_request_context,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

log = logging.getLogger(__name__)
LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")
OPEN_HOST_WARNING = (
    "Bảng tin answers beyond this computer (%s) without BASE_URL or TRUSTED_HOSTS: absolute "
    "links (feeds, printed pages) are made from each request's Host header. Set BASE_URL to "
    "the board's address (e.g. https://bangtin.xa.vn) and TRUSTED_HOSTS to its host names.")

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
    app.before_request(refuse_cross_site_posts)
    app.after_request(add_security_headers)
    app.wsgi_app = SecureCookies(app.wsgi_app, always=bool(app.config["SECURE_COOKIES"]))
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted:
        # Behind a reverse proxy, take the client's address and the scheme (HTTPS: Secure
        # cookies) from the X-Forwarded-* headers the proxy sets, so login throttling and
        # the audit log see people, not the proxy. The host only when a setting says the
        # proxy sets X-Forwarded-Host itself: else a client's own header would pass through.
        forwarded_host = trusted if app.config.get("TRUST_FORWARDED_HOST") else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted,
                                x_host=forwarded_host)
    warn_open_host_at_start(app)
    app.before_request(warn_open_host)


def _host_is_open(app: Flask) -> bool:
    """True when neither BASE_URL nor TRUSTED_HOSTS pins the host links are made from."""
    return not (app.config.get("BASE_URL") or app.config.get("TRUSTED_HOSTS"))


def _is_loopback(host: str | None) -> bool:
    """True for an address or host name of this computer only ("" counts as loopback)."""
    name = (host or "").rsplit(":", 1)[0] if not (host or "").startswith("[") \
        else (host or "").split("]")[0] + "]"
    return not name or name in LOOPBACK or name.startswith("127.")


def warn_open_host_at_start(app: Flask) -> None:
    """Warn when scripts/run is told to serve the network (HOST) with the host left open."""
    host = os.environ.get("HOST")
    if host and not _is_loopback(host) and _host_is_open(app):
        log.warning(OPEN_HOST_WARNING, f"HOST={host}")


def warn_open_host():
    """Warn once per process, on its first request from or for beyond this computer, when
    the host is left open (gunicorn's own --bind is out of the app's sight until then)."""
    app = current_app._get_current_object()
    if app.extensions.get("open_host_checked"):
        return None
    environ = request.environ.get("werkzeug.proxy_fix.orig", request.environ)
    seen = {"bind": request.environ.get("SERVER_NAME"), "client": environ.get("REMOTE_ADDR"),
            "Host": request.host}
    beyond = {what: value for what, value in seen.items() if not _is_loopback(value)}
    if beyond:
        app.extensions["open_host_checked"] = True
        if _host_is_open(app):
            log.warning(OPEN_HOST_WARNING, ", ".join(f"{k} {v}" for k, v in beyond.items()))
    return None


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def is_cross_site_request() -> bool:
    """True when the browser says this request comes from another site: Fetch Metadata
    (`Sec-Fetch-Site: cross-site`), else an `Origin` that is not this site's. A request
    without either header (an old browser, a script, a CLI client) is not judged here."""
    site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if site:
        return site == "cross-site"
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    host = urlsplit(origin.strip()).netloc.lower()
    return not host or host not in _own_hosts()


def _own_hosts() -> set[str]:
    """The host[:port] names a same-site Origin may carry."""
    hosts = {request.host.lower()}
    base = urlsplit(current_app.config.get("BASE_URL") or "").netloc
    if base:
        hosts.add(base.lower())
    hosts.update(str(name).lower() for name in current_app.config.get("TRUSTED_HOSTS") or ())
    return hosts


def refuse_cross_site_posts():
    """Refuse a state-changing request another site's page makes the browser send: the
    language switch (which has no token, so anonymous pages stay cacheable), and, behind the
    CSRF tokens, every other form."""
    if request.method not in UNSAFE_METHODS or not is_cross_site_request():
        return None
    log.warning("cross-site %s %s refused (Origin %r, Sec-Fetch-Site %r)", request.method,
                request.path, request.headers.get("Origin"),
                request.headers.get("Sec-Fetch-Site"))
    page = render_template(
        "errors/error.html", status=403, title=_("Không nhận yêu cầu từ trang khác"),
        message=_("Yêu cầu này được gửi từ một trang web khác nên không được thực hiện. Hãy "
                  "mở trang của Bảng tin rồi thao tác lại."), incident=None)
    return page, 403
