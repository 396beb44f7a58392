"""Who confers an award: the issuing body's level, chosen on the decision form.

A decision's `issuer` stays as the secretary typed it ("Chủ tịch UBND xã Tân Lập"); its
`issuer_level` is one of `ISSUER_LEVELS`, chosen with it (pre-filled by `guess_level()` from the
typed text). Decisions recorded before the level existed have it empty: `level_of()` reads it
from their text. The statistics group the levels into tiers (commune, district, province,
central). District levels end on 30/06/2025 with the two-level local government.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from bulletin.models import ISSUER_LEVELS, Decision
from bulletin.text import fold

LAST_DISTRICT_DAY = date(2025, 6, 30)

LEVEL_LABELS = {
    "commune_chair": _l("UBND / Chủ tịch UBND cấp xã"),
    "district_chair": _l("UBND / Chủ tịch UBND cấp huyện (đến 30/6/2025)"),
    "province_chair": _l("UBND / Chủ tịch UBND cấp tỉnh"),
    "central": _l("Trung ương (Chủ tịch nước, Thủ tướng, bộ, ngành)"),
    "commune_front": _l("Ban Thường trực Ủy ban MTTQ cấp xã"),
    "district_front": _l("Ban Thường trực Ủy ban MTTQ cấp huyện (đến 30/6/2025)"),
    "province_front": _l("Ban Thường trực Ủy ban MTTQ cấp tỉnh"),
    "central_front": _l("Đoàn Chủ tịch Ủy ban Trung ương MTTQ Việt Nam"),
    "commune_association": _l("Ban Chấp hành hội, đoàn, công đoàn cấp xã (cơ sở)"),
    "district_association": _l("Ban Chấp hành hội, đoàn, công đoàn cấp huyện (đến 30/6/2025)"),
    "province_association": _l("Ban Chấp hành hội, đoàn, công đoàn cấp tỉnh"),
    "central_association": _l("Trung ương hội, đoàn, Tổng Liên đoàn Lao động"),
    "other": _l("Cơ quan khác"),
}
TIERS = ("commune", "district", "province", "central", "other")
TIER_LABELS = {
    "commune": _l("Cấp xã"),
    "district": _l("Cấp huyện"),
    "province": _l("Cấp tỉnh"),
    "central": _l("Trung ương"),
    "other": _l("Khác / chưa rõ"),
}
assert set(LEVEL_LABELS) == set(ISSUER_LEVELS)


def tier(level: str) -> str:
    """The tier of a level: "commune_front" → "commune"; "" or "other" → "other"."""
    head = (level or "").split("_", 1)[0]
    return head if head in TIERS else "other"


def is_district(level: str) -> bool:
    """Whether the level is a district body (none after 30/06/2025)."""
    return tier(level) == "district"


# Words of a folded issuer that name a kind of body, most specific first.
_BODY_WORDS = (
    ("front", ("mttq", "mat tran to quoc")),
    ("association", ("hoi ", "doan ", "cong doan", "ban chap hanh", "bch ", "lien doan")),
    ("chair", ("ubnd", "uy ban nhan dan", "chu tich")),
)
_CENTRAL_WORDS = ("thu tuong", "chu tich nuoc", "chinh phu", "trung uong", "bo truong",
                  "tong lien doan")


def guess_level(issuer: str, on: date | None = None) -> str:
    """The level a typed issuer most likely names, or "" when it says too little.

    A first, plain reading (the registry helper refines it: place names such as "xã Đoàn
    Kết" or "xã Hội Hợp" must not read as bodies).
    """
    folded = f" {fold(issuer or '')} "
    if not folded.strip():
        return ""
    if any(word in folded for word in _CENTRAL_WORDS):
        body = "chair"
        for name, words in _BODY_WORDS[:2]:
            if any(word in folded for word in words):
                body = name
        return "central" if body == "chair" else f"central_{body}"
    if " tinh " in folded or (" thanh pho " in folded and " truc thuoc " in folded):
        place = "province"
    elif any(word in folded for word in (" huyen ", " quan ", " thi xa ")):
        place = "district"
    elif any(word in folded for word in (" xa ", " phuong ", " thi tran ", " dac khu ")):
        place = "commune"
    else:
        return ""
    if place == "district" and on is not None and on > LAST_DISTRICT_DAY:
        return ""
    for body, words in _BODY_WORDS:
        if any(word in folded for word in words):
            return f"{place}_{body}"
    return ""


def level_of(decision: Decision) -> str:
    """A decision's level: the one chosen, else the one its typed issuer names."""
    return decision.issuer_level or guess_level(decision.issuer, decision.signed_on)
