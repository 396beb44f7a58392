"""An award's history as a reader sees it: who, when, and each change with its label."""

import json
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from bulletin.awards.issuers import LEVEL_LABELS
from bulletin.awards.labels import RECIPIENT_LABELS, SEX_LABELS
from bulletin.i18n import format_number
from bulletin.models import Award

FIELD_LABELS = {
    "recipient_type": _l("Đối tượng"),
    "recipient_name": _l("Họ tên / tên tập thể"),
    "recipient_title": _l("Chức vụ"),
    "birth_year": _l("Năm sinh"),
    "sex": _l("Giới tính"),
    "ethnicity": _l("Dân tộc"),
    "organization": _l("Tổ chức"),
    "kind": _l("Hình thức khen thưởng"),
    "year": _l("Năm thành tích"),
    "achievement": _l("Thành tích"),
    "amount": _l("Tiền thưởng"),
    "decision_number": _l("Số quyết định"),
    "decision_date": _l("Ngày quyết định"),
    "issuer": _l("Cơ quan quyết định"),
    "issuer_level": _l("Cấp của cơ quan quyết định"),
    "signer": _l("Người ký"),
    "void_reason": _l("Lý do hủy"),
    "import_batch": _l("Lần nhập"),
    "duplicate_reason": _l("Lý do vẫn nhập dòng trùng"),
    "person": _l("Hồ sơ người được khen"),
    "initiative": _l("Sáng kiến"),
    "warnings": _l("Cảnh báo khi ghi"),
    "note": _l("Ghi chú của thư ký"),
}
ACTION_LABELS = {
    "create": _l("Ghi vào sổ"),
    "import": _l("Nhập từ Excel"),
    "update": _l("Sửa"),
    "void": _l("Hủy"),
    "merge": _l("Gộp hồ sơ người"),
    "split": _l("Tách khỏi hồ sơ người"),
    "rules": _l("Ghi dù có cảnh báo"),
}


def history_rows(award: Award) -> list[SimpleNamespace]:
    """The award's history as a reader sees it: who, when, and each change as a row."""
    return [SimpleNamespace(entry=entry,
                            action=str(ACTION_LABELS.get(entry.action, entry.action)),
                            changes=_change_rows(entry.changes))
            for entry in award.history]


def _change_rows(raw: str) -> list[tuple[str, str, str]]:
    """A history entry's JSON map of changes as (field, before, after) rows."""
    try:
        changes = json.loads(raw or "{}")
    except ValueError:
        return []
    return [(str(FIELD_LABELS.get(key, key)), _shown(key, pair[0]), _shown(key, pair[1]))
            for key, pair in changes.items() if isinstance(pair, list) and len(pair) == 2]


def _shown(key: str, value) -> str:
    """A history value as text: labels for codes, money with separators."""
    if value in (None, ""):
        return ""
    if key == "recipient_type":
        return str(RECIPIENT_LABELS.get(value, value))
    if key == "sex":
        return str(SEX_LABELS.get(value, value))
    if key == "issuer_level":
        return str(LEVEL_LABELS.get(value, value))
    if key == "amount" and str(value).isdigit():
        return format_number(int(value))
    return str(value)
