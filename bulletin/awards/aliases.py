"""The words people write for the catalogue's kinds and organizations.

A hand-kept book writes "LĐTT" for Lao động tiên tiến, "Giấy khen của Chủ tịch UBND xã" for a
Giấy khen (the conferring body is the issuer's column), "Hội Phụ nữ" or "Hội PN" for the Hội
LHPN, "Đoàn TN" for the Đoàn TNCS. These map to the standard catalogue's slugs
(`bulletin/standard.py`); a name the catalogue itself holds always wins over an alias, and an
alias whose slug an install does not have maps to nothing.

Keys are folded as sheet headers are (`importing.workbook.header_key`): lower case, no
diacritics, words of letters and digits separated by one space ("Hội LHPN" → "hoi lhpn").
"""

import re

from bulletin.extensions import db
from bulletin.models import ImportMapping, User

# The columns whose unknown words a secretary maps once in a dry run.
MAPPED_FIELDS = ("kind", "organization")

_KINDS = {
    "lao-dong-tien-tien": ("ldtt", "lao dong tien tien", "dh ldtt"),
    "chien-si-thi-dua-co-so": ("cstdcs", "cstd cs", "cstd co so", "chien si thi dua cs",
                               "chien si thi dua co so", "chien si thi dua cap co so"),
    "chien-si-thi-dua-cap-tinh": ("cstd cap tinh", "cstdct", "cstd tinh",
                                  "chien si thi dua tinh"),
    "tap-the-lao-dong-tien-tien": ("ttldtt", "tt ldtt", "tap the ldtt"),
    "tap-the-lao-dong-xuat-sac": ("ttldxs", "tt ldxs", "tap the ldxs"),
    "giay-khen": ("gk",),
    "bang-khen": ("bk",),
    "gia-dinh-van-hoa": ("gdvh",),
    "thon-to-dan-pho-van-hoa": ("thon van hoa", "to dan pho van hoa"),
    "ky-niem-chuong": ("knc",),
    "doan-vien-cong-doan-xuat-sac": ("dvcd xuat sac", "doan vien cd xuat sac"),
    "cong-doan-co-so-vung-manh": ("cdcs vung manh",),
    "cuu-chien-binh-guong-mau": ("ccb guong mau",),
    "ho-san-xuat-kinh-doanh-gioi": ("ho sxkd gioi", "sxkd gioi", "ho san xuat kinh doanh gioi"),
    "hoi-vien-tieu-bieu": ("hv tieu bieu",),
}
# Forms of reward written with the body that confers them: "Giấy khen của Chủ tịch UBND xã",
# "Bằng khen UBND tỉnh", "Cờ thi đua của Chính phủ".
_KIND_PREFIXES = (("giay khen", "giay-khen"), ("bang khen", "bang-khen"),
                  ("co thi dua", "co-thi-dua"), ("ky niem chuong", "ky-niem-chuong"))
_ORGANIZATIONS = {
    "mttq": ("mttq", "mat tran", "mat tran to quoc", "mat tran to quoc viet nam", "ubmttq",
             "ub mttq", "uy ban mttq", "uy ban mat tran", "uy ban mat tran to quoc",
             "mttq viet nam", "uy ban mttq viet nam"),
    "hoi-lhpn": ("hoi phu nu", "hoi pn", "phu nu", "hoi lien hiep phu nu", "lhpn", "hlhpn",
                 "hpn", "hoi lien hiep phu nu viet nam", "hoi lhpn viet nam"),
    "doan-tncs": ("doan tn", "doan thanh nien", "thanh nien", "doan tncs", "doan tncs hcm",
                  "doan tncs ho chi minh", "doan thanh nien cong san", "tncs", "tncs hcm",
                  "doan thanh nien cong san ho chi minh"),
    "hoi-ccb": ("cuu chien binh", "hoi cuu chien binh", "ccb", "hoi ccb",
                "hoi cuu chien binh viet nam"),
    "hoi-nong-dan": ("nong dan", "hoi nd", "hnd", "hoi nong dan", "hoi nong dan viet nam"),
    "cong-doan": ("cong doan", "cong doan co so", "cd", "cdcs", "cd co so"),
}
KIND_ALIASES = {key: slug for slug, keys in _KINDS.items() for key in keys}
ORGANIZATION_ALIASES = {key: slug for slug, keys in _ORGANIZATIONS.items() for key in keys}
# "Hội Nông dân xã Tân Lập", "Đoàn TN thị trấn": the place after the name says nothing more.
_PLACE_RE = re.compile(r" (xa|phuong|thi tran|dac khu)( .*)?$")


def kind_slug(key: str) -> str | None:
    """The catalogue kind a folded text means ("danh hieu ldtt" → lao-dong-tien-tien)."""
    key = key.removeprefix("danh hieu ")
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    for prefix, slug in _KIND_PREFIXES:
        if key.startswith(prefix + " "):
            return slug
    return None


def organization_keys(key: str) -> list[str]:
    """The folded texts to look an organization up by: as written, then without its place."""
    bare = _PLACE_RE.sub("", key)
    return [key, bare] if bare and bare != key else [key]


def remembered() -> dict[tuple[str, str], str]:
    """The words secretaries mapped in earlier dry runs: (field, folded word) → slug."""
    return {(field, folded): value for field, folded, value in db.session.execute(
        db.select(ImportMapping.field, ImportMapping.folded, ImportMapping.value))}


def remember(field: str, key: str, slug: str, user: User) -> None:
    """Keep what a word of a book means for every later import (the caller commits)."""
    found = db.session.scalar(db.select(ImportMapping).where(
        ImportMapping.field == field, ImportMapping.folded == key))
    if found is None:
        db.session.add(ImportMapping(field=field, folded=key, value=slug,
                                     created_by_id=user.id))
    else:
        found.value, found.created_by_id = slug, user.id


def organization_slug(key: str) -> str | None:
    """The standard organization a folded text means ("hoi phu nu xa tan lap" → hoi-lhpn)."""
    for candidate in organization_keys(key):
        if candidate in ORGANIZATION_ALIASES:
            return ORGANIZATION_ALIASES[candidate]
    return None
