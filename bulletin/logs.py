"""Logs on stderr, one line per event (journald keeps them), each with its request id.

Every request gets an id: the reverse proxy's X-Request-ID when it sent a sane one, else a
new one. It is echoed in the X-Request-ID response header, written in every log line of the
request, and shown on the error page, so a secretary can read it out over the phone.
"""

import logging
import re
import secrets
import sys

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
HANDLER_NAME = "bulletin-stderr"


def request_id() -> str:
    """Return the current request's id ("-" outside a request)."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID_RE.match(given) else secrets.token_hex(6)
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Add the request id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Stamp the record; never drop it."""
        record.request_id = request_id()
        return True


class OneLineFormatter(logging.Formatter):
    """Format a record, traceback included, as one line: line breaks become " | "."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record on one line."""
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return super().format(record).replace("\r", "").replace("\n", " | ")


def stderr_handler() -> logging.Handler:
    """Return the stderr handler with the one-line format and the request id."""
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(OneLineFormatter(FORMAT))
    handler.addFilter(RequestIdFilter())
    return handler


def install(level: int = logging.INFO) -> None:
    """Send the app's logs to stderr once per process (a second app reuses the handler)."""
    logger = logging.getLogger("bulletin")
    if not any(h.get_name() == HANDLER_NAME for h in logger.handlers):
        logger.addHandler(stderr_handler())
    logger.removeHandler(default_handler)  # Flask's own would print each event twice
    logger.setLevel(level)


def init_app(app: Flask) -> None:
    """Install the handler and echo the request id in every response."""
    if not app.testing:
        install()

    @app.after_request
    def add_request_id(response):
        """Tell the client (and the proxy's log) this request's id."""
        response.headers["X-Request-ID"] = request_id()
        return response
