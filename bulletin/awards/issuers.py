"""Who confers an award: the issuing body's level, chosen on the decision form.

A decision's `issuer` stays as the secretary typed it ("Chủ tịch UBND xã Tân Lập"); its
`issuer_level` is one of `ISSUER_LEVELS`, chosen with it (pre-filled by `guess_level()` from the
typed text). Decisions recorded before the level existed have it empty: `level_of()` reads it
from their text. The statistics group the levels into tiers (commune, district, province,
central). District levels end on 30/06/2025 with the two-level local government.
"""

import re
from datetime import date
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bulletin.awards.parsing import ValueProblem
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


# Phrases of a folded issuer (its words, space-joined) that name a kind of body, most
# specific first. They are looked for only before the first administrative unit: what
# follows "xã", "phường", "huyện"… is a place's name ("xã Hội Hợp", "xã Đoàn Kết").
_BODY_WORDS = (
    ("front", ("mttq", "mat tran", "uy ban mat tran")),
    ("association", ("hoi", "doan", "cong doan", "lien doan", "ban chap hanh", "bch",
                     "ban thuong vu", "btv", "lhpn", "ccb", "tncs")),
    ("chair", ("ubnd", "uy ban nhan dan", "chu tich")),
)
_CENTRAL_WORDS = ("thu tuong", "chu tich nuoc", "chinh phu", "trung uong", "bo truong",
                  "tong lien doan", "tw")
# Administrative units, two-word ones first; the first one met gives the level.
_UNITS = (
    ("thi xa", "district"), ("thi tran", "commune"), ("dac khu", "commune"),
    ("thanh pho", "city"), ("tp", "city"), ("xa", "commune"), ("phuong", "commune"),
    ("huyen", "district"), ("quan", "district"), ("tinh", "province"),
)
# A unit word joined to "đoàn" or "hội" is a body of that level ("Huyện đoàn", "Tỉnh hội",
# "Thành đoàn"), not a place.
_JOINED = {"tinh": "province", "thanh": "province", "huyen": "district", "quan": "district"}
# The cities under the central government (their "thành phố" is a province).
_CENTRAL_CITIES = ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")
_WORD_RE = re.compile(r"[0-9a-z]+")


def _words(issuer: str) -> list[str]:
    """The folded words of an issuer ("TP." is "tp"; "Hội đồng" is one word, not a "hội")."""
    words = _WORD_RE.findall(fold(issuer or ""))
    joined = []
    for word in words:
        if word == "dong" and joined and joined[-1] == "hoi":
            joined[-1] = "hoidong"
        else:
            joined.append(word)
    # "xã hội" (social), not a commune named Hội…: one word, neither a unit nor a body.
    for at in range(len(joined) - 1, -1, -1):
        if joined[at] == "xa" and _is_not_unit(joined, at):
            joined[at:at + 2] = ["xahoi"]
    return joined


def _has(words: list[str], phrases: tuple[str, ...]) -> bool:
    """Whether one of the phrases occurs in `words` as whole words."""
    joined = f" {' '.join(words)} "
    return any(f" {phrase} " in joined for phrase in phrases)


# Words around "quận" and "xã" that make them something else: "cơ quan", "quân sự" (folded
# alike), "xã hội".
_NOT_QUAN_BEFORE = ("co",)
_NOT_QUAN_AFTER = ("su", "doi", "ly", "chung", "nhan")
_NOT_XA_AFTER = ("va", "chu", "nghia")


def _is_not_unit(words: list[str], at: int) -> bool:
    """Whether the word at `at` only looks like a unit ("cơ quan", "xã hội")."""
    word = words[at]
    before = words[at - 1] if at else ""
    after = words[at + 1] if at + 1 < len(words) else ""
    if word == "quan":
        return before in _NOT_QUAN_BEFORE or after in _NOT_QUAN_AFTER
    if word == "xa" and after == "hoi":
        rest = words[at + 2] if at + 2 < len(words) else ""
        return not rest or rest in _NOT_XA_AFTER or any(rest == u.split()[0] for u, _p in _UNITS)
    return False


def _split(words: list[str], on: date | None) -> tuple[list[str], str]:
    """The words naming the body, and the place's level ("" when no unit is named)."""
    for at, word in enumerate(words):
        following = words[at + 1] if at + 1 < len(words) else ""
        if word in _JOINED and following in ("doan", "hoi"):
            return [*words[:at], "hoi"], _JOINED[word]
        if _is_not_unit(words, at):
            continue
        for unit, place in _UNITS:
            size = len(unit.split())
            if " ".join(words[at:at + size]) == unit:
                if place == "city":
                    place = _city_level(words[at + size:], on)
                return words[:at], place
    return words, ""


def _city_level(name: list[str], on: date | None) -> str:
    """A "thành phố": a province when under the central government (or after the district
    level ended, when no other city remains), else a district."""
    if _has(name, _CENTRAL_CITIES) or (on is not None and on > LAST_DISTRICT_DAY):
        return "province"
    return "district"


def _body(words: list[str]) -> str:
    """Which kind of body the words before the place name: front, association, chair or ""."""
    for body, phrases in _BODY_WORDS:
        if _has(words, phrases):
            return body
    return ""


@lru_cache(maxsize=4096)
def guess_level(issuer: str, on: date | None = None) -> str:
    """The level a typed issuer most likely names, or "" when it says too little.

    The body is read from the words before the first administrative unit, the level from
    that unit: "Chủ tịch UBND xã Tân Lập, huyện Đan Phượng" is a commune's chairman, "Hội
    LHPN xã Hội Hợp" a commune association, "UBND phường Quan Hoa" a commune's. A district
    level is not offered for a decision signed after 30/06/2025 (`on`).
    """
    body_words, place = _split(_words(issuer), on)
    if not body_words and not place:
        return ""
    body = _body(body_words)
    if _has(body_words, _CENTRAL_WORDS):
        return "central" if body in ("chair", "") else f"central_{body}"
    if not place or not body:
        return ""
    if place == "district" and on is not None and on > LAST_DISTRICT_DAY:
        return ""
    return f"{place}_{body}"


def read_level(raw) -> str | None:
    """A level as a form or a sheet gives it: its code, its label, or words that name one
    ("Chủ tịch UBND cấp xã"); None when empty. The date is checked by `level_problem`."""
    text = str(raw or "").strip()
    if not text:
        return None
    if text in ISSUER_LEVELS:
        return text
    key = " ".join(_WORD_RE.findall(fold(text)))
    for code, label in vietnamese_labels().items():
        if key == " ".join(_WORD_RE.findall(fold(label))):
            return code
    found = guess_level(text) or _tier_words(key)
    if found:
        return found
    raise ValueProblem(_("Không rõ cấp “%(v)s”: ghi như “UBND cấp xã”, “MTTQ cấp xã”, "
                         "“Hội cấp xã”, “UBND cấp tỉnh”.", v=text[:60]))


def _tier_words(key: str) -> str:
    """A level written with "cấp": "UBND cấp xã", "Hội cấp tỉnh", "MTTQ cấp huyện"."""
    words = key.split()
    if "cap" not in words:
        return ""
    at = words.index("cap")
    place = {"xa": "commune", "co so": "commune", "huyen": "district", "tinh": "province",
             "trung uong": "central"}.get(" ".join(words[at + 1:at + 3]).strip()) \
        or {"xa": "commune", "huyen": "district", "tinh": "province"}.get(
            words[at + 1] if at + 1 < len(words) else "", "")
    body = _body(words[:at])
    if not place or not body:
        return ""
    if place == "central":
        return "central" if body == "chair" else f"central_{body}"
    return f"{place}_{body}"


def valid_levels(on: date | None) -> list[str]:
    """The levels a decision signed on `on` may have (no district after 30/06/2025)."""
    if on is not None and on > LAST_DISTRICT_DAY:
        return [level for level in ISSUER_LEVELS if not is_district(level)]
    return list(ISSUER_LEVELS)


def level_problem(level: str, on: date | None) -> str | None:
    """Why a chosen level cannot be a decision's, or None when it can."""
    if not level:
        return None
    if level not in ISSUER_LEVELS:
        return _("Chọn cấp của cơ quan quyết định trong danh sách.")
    if level not in valid_levels(on):
        return _("Từ 01/7/2025 không còn cấp huyện: chọn cấp xã, cấp tỉnh hoặc trung ương.")
    return None


def vietnamese_labels() -> dict[str, str]:
    """Every level's label in Vietnamese whatever the reader's language (sheets, exports)."""
    with force_locale("vi"):
        return {code: str(label) for code, label in LEVEL_LABELS.items()}


def level_label(decision: Decision) -> str:
    """A decision's level as its page shows it ("" when neither chosen nor readable)."""
    level = level_of(decision)
    return str(LEVEL_LABELS[level]) if level in LEVEL_LABELS else ""


def level_of(decision: Decision) -> str:
    """A decision's level: the one chosen, else the one its typed issuer names."""
    return getattr(decision, "issuer_level", "") or guess_level(decision.issuer,
                                                                  decision.signed_on)
