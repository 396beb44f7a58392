"""The audit log: who did what, when and from where.

`record(...)` adds an entry to the session without committing, so the entry is written in
the same transaction as the change it describes (or not at all). Login events, which change
nothing else, are committed by the login view itself.
"""

from flask import has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from bulletin.extensions import db
from bulletin.models import AuditEntry, User, utcnow

# Entries written outside a request (the `flask user …` commands) are signed with this.
CLI_ACTOR = "(CLI)"

USERNAME_LENGTH = 80
DETAIL_LENGTH = 2000

# Labels for the audit page; unknown actions (added by other features) show their code.
ACTION_LABELS = {
    "login.success": _l("Đăng nhập"),
    "login.failure": _l("Đăng nhập sai"),
    "login.second_factor_failure": _l("Sai mã xác thực hai bước"),
    "login.recovery_code": _l("Đăng nhập bằng mã khôi phục"),
    "logout": _l("Đăng xuất"),
    "account.create": _l("Tạo tài khoản"),
    "account.update": _l("Sửa tài khoản"),
    "account.disable": _l("Khóa tài khoản"),
    "account.enable": _l("Mở khóa tài khoản"),
    "account.password_reset": _l("Đặt lại mật khẩu"),
    "account.password_change": _l("Đổi mật khẩu"),
    "account.2fa_enable": _l("Bật xác thực hai bước"),
    "account.2fa_disable": _l("Tắt xác thực hai bước"),
    "account.2fa_recovery_codes": _l("Tạo mã khôi phục mới"),
    "account.2fa_reset": _l("Đặt lại xác thực hai bước"),
    "post.create": _l("Tạo bài viết"),
    "post.edit": _l("Sửa bài viết"),
    "post.publish": _l("Đăng bài viết"),
    "post.unpublish": _l("Gỡ bài viết"),
    "post.archive": _l("Lưu trữ bài viết"),
    "award.create": _l("Ghi khen thưởng"),
    "award.update": _l("Sửa khen thưởng"),
    "award.void": _l("Hủy khen thưởng"),
    "award.void_batch": _l("Hủy cả một lần nhập khen thưởng"),
    "award.import": _l("Nhập khen thưởng từ Excel"),
    "award.export": _l("Xuất sổ khen thưởng"),
    "award.report": _l("Lập báo cáo khen thưởng"),
    "award.merge": _l("Gộp khen thưởng vào một người"),
    "award.split": _l("Tách khen thưởng khỏi một người"),
    "award_rule.save": _l("Lưu quy định khen thưởng"),
    "base_salary.save": _l("Lưu mức lương cơ sở"),
    "proposal.save": _l("Lưu đề nghị khen thưởng"),
    "proposal.submit": _l("Gửi đề nghị khen thưởng"),
    "proposal.return": _l("Trả lại đề nghị khen thưởng"),
    "proposal.judge": _l("Ghi ý kiến Hội đồng về đề nghị"),
    "proposal.decide": _l("Ra quyết định từ đề nghị"),
    "council.meeting": _l("Ghi cuộc họp Hội đồng Thi đua – Khen thưởng"),
    "import.mapping": _l("Ghi nhớ cách đọc một ô khi nhập Excel"),
    "decision.create": _l("Ghi quyết định khen thưởng"),
    "decision.update": _l("Sửa quyết định khen thưởng"),
    "decision.void": _l("Hủy quyết định khen thưởng"),
    "award_kind.create": _l("Thêm hình thức khen thưởng"),
    "award_kind.update": _l("Sửa hình thức khen thưởng"),
    "organization.create": _l("Thêm tổ chức"),
    "organization.update": _l("Sửa tổ chức"),
    "organization.archive": _l("Lưu trữ tổ chức"),
    "organization.restore": _l("Dùng lại tổ chức"),
    "category.create": _l("Thêm chuyên mục"),
    "category.update": _l("Sửa chuyên mục"),
    "category.archive": _l("Lưu trữ chuyên mục"),
    "category.restore": _l("Dùng lại chuyên mục"),
    "site.update": _l("Sửa thông tin trang"),
    "backup.download": _l("Tải bản sao lưu"),
    "login.unlock": _l("Mở khóa đăng nhập"),
    "demo.remove": _l("Gỡ nội dung mẫu"),
}

# What an entry is about, in words, and the page that shows it (tried in order).
TARGET_LABELS = {
    "user": _l("Tài khoản"),
    "post": _l("Bài viết"),
    "award": _l("Khen thưởng"),
    "decision": _l("Quyết định khen thưởng"),
    "import_batch": _l("Lần nhập khen thưởng"),
    "award_kind": _l("Hình thức khen thưởng"),
    "organization": _l("Tổ chức"),
    "category": _l("Chuyên mục"),
    "site": _l("Thông tin trang"),
    "backup": _l("Bản sao lưu"),
    "person": _l("Người được khen thưởng"),
    "proposal": _l("Đề nghị khen thưởng"),
    "council_meeting": _l("Cuộc họp Hội đồng"),
    "award_rule": _l("Quy định khen thưởng"),
    "base_salary": _l("Mức lương cơ sở"),
    "import_mapping": _l("Từ ngữ khi nhập Excel"),
    "demo": _l("Nội dung mẫu"),
}
TARGET_PAGES = {
    "user": (("auth.edit_account", "user_id"),),
    "post": (("posts.detail", "post_id"),),
    "award": (("awards.detail", "award_id"),),
    "decision": (("awards.decision_detail", "decision_id"),),
    "organization": (("admin.edit_organization", "org_id"),),
    "category": (("admin.edit_category", "category_id"),),
    "person": (("awards.person_detail", "person_id"),),
    "proposal": (("awards.proposal_detail", "proposal_id"),),
    "council_meeting": (("awards.meeting_minutes", "meeting_id"),),
}


def escape_text(value: str | None, limit: int = DETAIL_LENGTH) -> str:
    """Make typed text safe to log: control characters escaped (no forged lines, no NUL)."""
    out = []
    for ch in value or "":
        if ch in "\r\n\t":
            out.append({"\r": "\\r", "\n": "\\n", "\t": "\\t"}[ch])
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _actor(user: User | None) -> User | None:
    """Return the account acting: the one given, else the logged-in one, else nobody."""
    if user is not None:
        return user
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(
    action: str,
    target_type: str = "",
    target_id: int | None = None,
    detail: str = "",
    user: User | None = None,
    *,
    username: str | None = None,
) -> AuditEntry:
    """Add an audit entry for `action` to the session; the caller commits.

    `username` names the actor when there is no account (a failed login records the name
    that was typed).
    """
    actor = _actor(user)
    if username is None:
        username = actor.username if actor else ("" if has_request_context() else CLI_ACTOR)
    entry = AuditEntry(
        created_at=utcnow(),
        user_id=actor.id if actor else None,
        username=escape_text(username, USERNAME_LENGTH),
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=escape_text(str(detail)),
        ip_address=(request.remote_addr or "")[:45] if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def target_page(target_type: str, target_id: int | None) -> str | None:
    """Return the address of the page showing an entry's target, when there is one."""
    if target_id is None:
        return None
    for endpoint, argument in TARGET_PAGES.get(target_type, ()):
        try:
            return url_for(endpoint, **{argument: target_id})
        except BuildError:
            continue
    return None


def target_label(entry: AuditEntry) -> Markup:
    """Name an entry's target in words ("Bài viết số 12"), linked to its page when it has one."""
    if not entry.target_type:
        return Markup("")
    kind = TARGET_LABELS.get(entry.target_type)
    text = str(kind) if kind is not None else entry.target_type
    if entry.target_id is not None:
        text = str(_l("%(kind)s số %(n)s", kind=text, n=entry.target_id))
    page = target_page(entry.target_type, entry.target_id)
    if page is None:
        return escape(text)
    return Markup('<a href="{}">{}</a>').format(page, text)


def action_label(action: str) -> str:
    """Return the Vietnamese name of an action, or its code when it has none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
