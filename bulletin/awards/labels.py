"""The registry's labels: kinds of recipient, how a decision is signed, its type, and the
categories of the catalogue of kinds. Forms, pages, papers and workbooks all name them so.
"""

from flask_babel import lazy_gettext as _l

RECIPIENT_LABELS = {
    "individual": _l("Cá nhân"),
    "collective": _l("Tập thể"),
    "household": _l("Hộ gia đình"),
}
SIGNING_LABELS = {
    "": _l("Ký trực tiếp"),
    "TM": _l("TM. – thay mặt tập thể"),
    "KT": _l("KT. – ký thay người đứng đầu"),
    "Q": _l("Q. – quyền"),
    "TL": _l("TL. – thừa lệnh"),
}
DECISION_TYPE_LABELS = {
    "": _l("— Không ghi —"),
    "regular": _l("Thường xuyên (tổng kết năm)"),
    "thematic": _l("Chuyên đề"),
    "ad_hoc": _l("Đột xuất"),
}
CATEGORY_LABELS = {
    "emulation_title": _l("Danh hiệu thi đua"),
    "award_form": _l("Hình thức khen thưởng"),
    "org_honour": _l("Khen thưởng của tổ chức"),
}
SEX_LABELS = {
    "male": _l("Nam"),
    "female": _l("Nữ"),
}
