"""Security headers on every response and the safe-redirect check."""

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
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


def refuse_nul_in_path():
    """A path with a NUL character names nothing here (and PostgreSQL refuses NUL)."""
    if "\x00" in request.path:
        abort(404)
    return None


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


def init_app(app: Flask) -> None:
    """Install the response hook."""
    app.before_request(refuse_nul_in_path)
    app.after_request(add_security_headers)
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted:
        # Behind a reverse proxy, take the client's address from X-Forwarded-For, so login
        # throttling and the audit log see people, not the proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)
