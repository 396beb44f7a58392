"""The rules of commendation every install starts with, each with its legal basis.

Dates are the days the texts took effect: Luật Thi đua, khen thưởng 06/2022/QH15 and Nghị
định 98/2023/NĐ-CP on 01/01/2024; the two-level local government (no district) on
01/07/2025. Rules before 2024 follow the 2003 law (amended 2013) and Nghị định 91/2017/NĐ-CP,
applied here from 01/01/2018. Admins correct or extend them at /awards/rules.
"""

from datetime import date
from decimal import Decimal

from bulletin.extensions import db
from bulletin.models import AwardKind, AwardRule, BaseSalary

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"
OLD_LAW = "Luật Thi đua, khen thưởng 2003, sửa đổi, bổ sung 2013"
ND98 = "Nghị định 98/2023/NĐ-CP"
ND91 = "Nghị định 91/2017/NĐ-CP"
OLD = date(2018, 1, 1)
NEW = date(2024, 1, 1)
LAST_OLD = date(2023, 12, 31)
TWO_LEVEL = date(2025, 7, 1)
LAST_DISTRICT = date(2025, 6, 30)
TWO_LEVEL_NOTE = ("từ 01/7/2025 không còn cấp huyện: thẩm quyền của Chủ tịch UBND cấp huyện "
                  "do Chủ tịch UBND cấp xã thực hiện (đối chiếu văn bản phân cấp của tỉnh)")

# (kind, required kind, needs an initiative, from, to, legal basis)
PREREQUISITES = (
    ("chien-si-thi-dua-co-so", "lao-dong-tien-tien", True, OLD, LAST_OLD,
     f"{OLD_LAW}, Điều 23; {ND91}"),
    ("chien-si-thi-dua-co-so", "lao-dong-tien-tien", True, NEW, None, f"{LAW}, Điều 23"),
)
# (kind, required kind, consecutive years, from, legal basis)
STREAKS = (
    ("chien-si-thi-dua-cap-tinh", "chien-si-thi-dua-co-so", 3, NEW, f"{LAW}, Điều 22"),
)
# Who confers, by the issuing body's level (bulletin.awards.issuers). The Front's committees
# and the associations confer Giấy khen at commune and district level, Bằng khen and Cờ thi
# đua at province and central level (their own rules of commendation under Điều 80); some
# associations' provincial committees give Giấy khen too.
COMMUNE_BODIES = "commune_chair,district_chair,commune_front,district_front," \
    "commune_association,district_association,province_association"
UPPER_BODIES = "province_chair,central,province_front,central_front,province_association," \
    "central_association"
ORG_RULES = "quy chế khen thưởng của Mặt trận Tổ quốc và các đoàn thể"
# (kind, bodies that may confer it, from, to, legal basis)
AUTHORITIES = (
    ("lao-dong-tien-tien", "commune_chair,district_chair", NEW, None,
     f"{LAW}, Điều 80 khoản 3"),
    ("gia-dinh-van-hoa", "commune_chair", NEW, None, f"{LAW}, Điều 80 khoản 3"),
    ("giay-khen", COMMUNE_BODIES, NEW, None, f"{LAW}, Điều 80; {ORG_RULES}"),
    ("bang-khen", UPPER_BODIES, NEW, None, f"{LAW}, Điều 80; {ORG_RULES}"),
    ("co-thi-dua", UPPER_BODIES, NEW, None, f"{LAW}, Điều 80; {ORG_RULES}"),
    ("chien-si-thi-dua-cap-tinh", "province_chair,central", NEW, None, f"{LAW}, Điều 80"),
)
# The bodies the first standard rules named without a level, by kind: an install still
# holding exactly these gets the levels above (migration 20261206_17).
OLD_AUTHORITIES = {
    "giay-khen": "commune_chair,district_chair,front_committee,association",
    "bang-khen": "province_chair,central,front_committee,association",
    "co-thi-dua": "province_chair,central,front_committee,association",
}
# Titles the district chairman conferred until the district level ended.
DISTRICT_TITLES = ("chien-si-thi-dua-co-so", "tap-the-lao-dong-tien-tien",
                   "thon-to-dan-pho-van-hoa")
# (kind, recipient type, coefficient × base salary): the same in both decrees for titles.
COEFFICIENTS = (
    ("lao-dong-tien-tien", "individual", "0.3"),
    ("chien-si-thi-dua-co-so", "individual", "1.0"),
    ("chien-si-thi-dua-cap-tinh", "individual", "3.0"),
    ("tap-the-lao-dong-tien-tien", "collective", "0.8"),
    ("tap-the-lao-dong-xuat-sac", "collective", "1.5"),
    ("thon-to-dan-pho-van-hoa", "collective", "1.5"),
    ("co-thi-dua", "collective", "8.0"),
    # Giấy khen and Bằng khen: a collective gets twice an individual, a household the same.
    ("giay-khen", "individual", "0.3"), ("giay-khen", "collective", "0.6"),
    ("giay-khen", "household", "0.3"),
    ("bang-khen", "individual", "1.0"), ("bang-khen", "collective", "2.0"),
    ("bang-khen", "household", "1.0"),
)
ROUNDING_OLD = f"làm tròn lên hàng chục nghìn đồng: {ND91}, Điều 68 khoản 2"
ROUNDING_NEW = f"làm tròn lên hàng chục nghìn đồng: {ND98}"
# (from, base salary, legal basis)
BASE_SALARIES = (
    (date(2017, 7, 1), 1_300_000, f"Nghị định 47/2017/NĐ-CP; {ROUNDING_OLD}"),
    (date(2018, 7, 1), 1_390_000, f"Nghị định 72/2018/NĐ-CP; {ROUNDING_OLD}"),
    (date(2019, 7, 1), 1_490_000, f"Nghị định 38/2019/NĐ-CP; {ROUNDING_OLD}"),
    (date(2023, 7, 1), 1_800_000, f"Nghị định 24/2023/NĐ-CP; {ROUNDING_OLD}"),
    (date(2024, 1, 1), 1_800_000, f"Nghị định 24/2023/NĐ-CP; {ROUNDING_NEW}"),
    (date(2024, 7, 1), 2_340_000, f"Nghị định 73/2024/NĐ-CP; {ROUNDING_NEW}"),
)


def seed(kinds: dict[str, AwardKind]) -> None:
    """Add the standard rules (the caller commits)."""
    for row in _rules(kinds):
        db.session.add(row)


def seed_salaries() -> None:
    """Add the standard base salaries (the caller commits)."""
    for start, amount, basis in BASE_SALARIES:
        db.session.add(BaseSalary(valid_from=start, amount=amount, round_up_to=10_000,
                                  legal_basis=basis))


def _rules(kinds: dict[str, AwardKind]) -> list[AwardRule]:
    """Every standard rule as a row."""
    rows = []
    for slug, required, initiative, start, end, basis in PREREQUISITES:
        rows.append(AwardRule(kind=kinds[slug], rule_type="prerequisite", valid_from=start,
                              valid_to=end, required_kind=kinds[required],
                              needs_initiative=initiative, legal_basis=basis))
    for slug, required, years, start, basis in STREAKS:
        rows.append(AwardRule(kind=kinds[slug], rule_type="streak", valid_from=start,
                              required_kind=kinds[required], years=years, legal_basis=basis))
    for slug, bodies, start, end, basis in AUTHORITIES:
        rows.append(_authority(kinds[slug], bodies, start, end, basis))
    for slug in DISTRICT_TITLES:
        rows.append(_authority(kinds[slug], "district_chair,province_chair", NEW,
                               LAST_DISTRICT, f"{LAW}, Điều 80"))
        rows.append(_authority(kinds[slug], "commune_chair,province_chair", TWO_LEVEL, None,
                               f"{LAW}, Điều 80; {TWO_LEVEL_NOTE}"))
    for slug, recipient_type, coefficient in COEFFICIENTS:
        rows.append(_money(kinds[slug], recipient_type, coefficient, OLD, LAST_OLD, ND91))
        rows.append(_money(kinds[slug], recipient_type, coefficient, NEW, None, ND98))
    return rows


def _authority(kind: AwardKind, bodies: str, start: date, end: date | None,
               basis: str) -> AwardRule:
    """Who may confer `kind` between two dates."""
    return AwardRule(kind=kind, rule_type="authority", bodies=bodies, valid_from=start,
                     valid_to=end, legal_basis=basis)


def _money(kind: AwardKind, recipient_type: str, coefficient: str, start: date,
           end: date | None, basis: str) -> AwardRule:
    """A reward coefficient between two dates."""
    return AwardRule(kind=kind, rule_type="money", recipient_type=recipient_type,
                     coefficient=Decimal(coefficient), valid_from=start, valid_to=end,
                     legal_basis=f"{basis} (mức tiền thưởng “{kind.name}”)")
