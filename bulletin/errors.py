"""Friendly error pages in the reader's language.

Every failure a reader can meet ends on the board's own page in Vietnamese with an incident
number (the request id the log line carries): a bug, a full disk, a read-only database. When
the page itself cannot be drawn (its layout reads the database), a plain page says the same.
"""

import logging

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from bulletin import disk
from bulletin.extensions import db
from bulletin.logs import request_id

log = logging.getLogger(__name__)
READ_ONLY_MARKS = ("readonly database", "read-only", "read only")
PLAIN_PAGE = ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
              '</head><body><main><h1>{title}</h1><p>{message}</p><p>Mã sự cố: {incident}</p>'
              '<p><a href="/">Về trang chủ</a></p></main></body></html>')


def _page(status: int, title: str, message: str, incident: str | None = None):
    """Render the shared error page (a plain one when the layout itself fails)."""
    try:
        return (
            render_template(
                "errors/error.html", status=status, title=title, message=message,
                incident=incident,
            ),
            status,
        )
    except Exception:  # noqa: BLE001 - the page must still say something useful
        log.exception("the error page could not be drawn (incident %s)", incident)
        body = PLAIN_PAGE.format(title=escape(title), message=escape(message),
                                 incident=escape(incident or request_id()))
        return body, status, {"Content-Type": "text/html; charset=utf-8"}


def handle_http_error(error: HTTPException):
    """Show 4xx errors as a page; keep JSON for JSON clients."""
    messages = {
        400: (_("Yêu cầu không hợp lệ"), _("Máy chủ không hiểu yêu cầu này.")),
        401: (_("Cần đăng nhập"), _("Vui lòng đăng nhập để xem trang này.")),
        403: (_("Không có quyền"), _("Tài khoản của bạn không được phép làm việc này.")),
        404: (
            _("Không tìm thấy trang"),
            _("Trang bạn tìm không có hoặc đã được gỡ xuống. Hãy quay về trang chủ."),
        ),
        405: (_("Không được phép"), _("Phương thức này không dùng được ở đây.")),
        413: (
            _("Tệp quá lớn"),
            _("Tệp tải lên vượt quá giới hạn cho phép. Hãy chọn tệp nhỏ hơn."),
        ),
        429: (_("Quá nhiều yêu cầu"), _("Vui lòng thử lại sau ít phút.")),
        500: (_("Đã có lỗi xảy ra"),
              _("Hệ thống gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại sau.")),
        503: (_("Hệ thống tạm ngừng"),
              _("Máy chủ đang bận hoặc đang bảo trì. Vui lòng thử lại sau.")),
    }
    title, message = messages.get(error.code, (error.name, error.description))
    if request_ctx.url_adapter is None:  # an untrusted Host: no page with links can be built
        return f"{title}. {message}", error.code or 500, {"Content-Type": "text/plain"}
    incident = request_id() if (error.code or 500) >= 500 else None
    return _page(error.code or 500, title, message, incident)


def handle_csrf_error(_error: CSRFError):
    """A form without a valid CSRF token: explain and refuse."""
    return _page(
        400,
        _("Phiên làm việc đã hết hạn"),
        _("Biểu mẫu đã quá hạn hoặc không hợp lệ. Hãy tải lại trang và gửi lại."),
    )


def handle_server_error(error: Exception):
    """Log the failure with an incident id and show a page without details."""
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    incident = request_id()
    log.exception("incident %s on %s %s", incident, request.method, request.path)
    forget_failed_transaction()
    if disk.is_disk_full(error):
        return _page(503, _("Máy chủ hết chỗ trống"),
                     _("Ổ đĩa của máy chủ đã đầy nên chưa lưu được gì. Những gì bạn vừa gửi chưa "
                       "được ghi. Hãy báo quản trị viên kèm mã sự cố."), incident)
    if is_read_only(error):
        return _page(503, _("Chưa ghi được dữ liệu"),
                     _("Cơ sở dữ liệu đang ở chế độ chỉ đọc nên chưa lưu được gì. Những gì bạn "
                       "vừa gửi chưa được ghi. Hãy báo quản trị viên kèm mã sự cố."), incident)
    return _page(
        500,
        _("Đã có lỗi xảy ra"),
        _("Hệ thống gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại sau."),
        incident,
    )


def forget_failed_transaction() -> None:
    """Roll the request's transaction back, so the error page can read the database."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.exception("could not roll back after an error")


def is_read_only(error: BaseException | None) -> bool:
    """Return True when the database refused a write because it is read-only."""
    while error is not None:
        if isinstance(error, SQLAlchemyError | OSError) and any(
                mark in str(error).lower() for mark in READ_ONLY_MARKS):
            return True
        error = error.__cause__ or error.__context__
    return False


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_server_error)
