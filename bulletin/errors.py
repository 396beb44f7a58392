"""Friendly error pages in the reader's language."""

import logging

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from bulletin.logs import request_id

log = logging.getLogger(__name__)


def _page(status: int, title: str, message: str, incident: str | None = None):
    """Render the shared error page."""
    return (
        render_template(
            "errors/error.html", status=status, title=title, message=message, incident=incident
        ),
        status,
    )


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
    }
    title, message = messages.get(error.code, (error.name, error.description))
    if request_ctx.url_adapter is None:  # an untrusted Host: no page with links can be built
        return f"{title}. {message}", error.code or 500, {"Content-Type": "text/plain"}
    return _page(error.code or 500, title, message)


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
    return _page(
        500,
        _("Đã có lỗi xảy ra"),
        _("Hệ thống gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại sau."),
        incident,
    )


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_server_error)
