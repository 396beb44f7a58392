"""Demo commendations for `seed-demo --awards N`: people, collectives, households, decisions.

Names are Vietnamese (family, middle and given names), collectives are branches and
residential groups ("Chi hội Phụ nữ khu 3"), households are written "Hộ ông Nguyễn Văn An".
Awards use the standard kinds and sit on decisions of the last years ("15/QĐ-MTTQ"), some of
them public for the honour roll. A few awards go through records.create_award like typed
ones; many go through records.insert_many (Core executemany in chunks, no ORM objects), the
import's path, so that 100,000 take well under two minutes.
"""

import random
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from flask import current_app, has_request_context
from sqlalchemy import text

from bulletin import count_triggers, standard
from bulletin.awards import queries, records, rules
from bulletin.bulk import insert_rows, reserved_ids
from bulletin.demo.content import PLACES, TOWN
from bulletin.demo.cycle import CYCLE_AWARDS, CycleSummary, cycle_due, seed_cycle
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import Award, AwardKind, Decision, Organization, utcnow
from bulletin.text import fold, nfc

SMALL = 200  # up to this many awards go through records.create_award, one by one
CHUNK = 5_000
YEARS = 8
PROGRESS_EVERY = 20_000

FAMILY = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh",
          "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Lương",
          "Hà", "Triệu", "Nông", "Lò", "Tô", "Đoàn", "Trương", "Mai", "Cao", "Quách")
MIDDLE = {
    "m": ("Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Công", "Thanh", "Ngọc", "Đình",
          "Trọng", "Mạnh", "Tiến", "Bá"),
    "f": ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Mai",
          "Bích", "Thúy", "Diệu"),
}
GIVEN = {
    "m": ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh",
          "Nam", "Phong", "Quân", "Sơn", "Tài", "Thắng", "Toàn", "Trung", "Tuấn", "Việt",
          "Vinh", "Hòa", "Thủy", "Lâm", "Nghĩa", "Phúc", "Quý", "Thành", "Hiếu", "Kiên",
          "Lộc", "Đông", "Chiến", "Hưng", "Tùng"),
    "f": ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên",
          "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo",
          "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Huệ", "Lý", "My", "Ánh", "Duyên", "Hiền",
          "Khuyên", "Thắm", "Xuân", "Hồng"),
}
EXTRA_MIDDLE = {"m": ("Quốc", "Thế", "Anh", "Gia"), "f": ("Thu", "Ngọc", "Thanh", "Bảo")}
PLACES_EXTRA = tuple(f"khu {n}" for n in range(1, 7)) + tuple(f"tổ dân phố {n}"
                                                            for n in range(7, 13))
PREREQUISITE, PREREQUISITE_FOR = "lao-dong-tien-tien", "chien-si-thi-dua-co-so"
COUNTS_TRIGGER = "award_counts_change"  # on PostgreSQL (migration 20261201_10)
RETRIES = 5  # draws of another name when one already has that kind in that year

# Per organization: who issues its own decisions, the symbol in their numbers, how its
# collectives are named, the positions its people hold, what its awards are for.
ISSUERS = {
    "mttq": ("Ban Thường trực Ủy ban MTTQ Việt Nam {level} {town}", "QĐ-MTTQ",
             "Ban công tác Mặt trận {place}",
             ("Trưởng ban công tác Mặt trận", "Ủy viên Ủy ban MTTQ", "Trưởng khu dân cư", ""),
             "cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”"),
    "hoi-lhpn": ("Ban Chấp hành Hội LHPN {level} {town}", "QĐ-HPN", "Chi hội Phụ nữ {place}",
                 ("Chi hội trưởng", "Chi hội phó", "Hội viên", ""),
                 "phong trào “Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình "
                 "hạnh phúc”"),
    "doan-tncs": ("Ban Chấp hành Đoàn {level} {town}", "QĐ-ĐTN", "Chi đoàn {place}",
                  ("Bí thư Chi đoàn", "Phó Bí thư Chi đoàn", "Đoàn viên", ""),
                  "phong trào “Thanh niên tình nguyện” và “Tuổi trẻ sáng tạo”"),
    "hoi-ccb": ("Ban Chấp hành Hội Cựu chiến binh {level} {town}", "QĐ-CCB",
                "Chi hội Cựu chiến binh {place}", ("Chi hội trưởng", "Hội viên", ""),
                "phong trào thi đua “Cựu chiến binh gương mẫu”"),
    "hoi-nong-dan": ("Ban Chấp hành Hội Nông dân {level} {town}", "QĐ-HND",
                     "Chi hội Nông dân {place}", ("Chi hội trưởng", "Hội viên", ""),
                     "phong trào “Nông dân thi đua sản xuất, kinh doanh giỏi”"),
    "cong-doan": ("Ban Chấp hành Công đoàn cơ sở {level} {town}", "QĐ-CĐCS",
                  "Tổ công đoàn {place}",
                  ("Công chức Văn phòng – Thống kê", "Công chức Tài chính – Kế toán",
                   "Công chức Địa chính – Xây dựng", "Tổ trưởng công đoàn", "Đoàn viên"),
                  "phong trào thi đua “Lao động giỏi, lao động sáng tạo”"),
}
UNION_GROUPS = ("Văn phòng – Thống kê", "Tài chính – Kế toán", "Địa chính – Xây dựng",
                "Văn hóa – Xã hội", "Tư pháp – Hộ tịch", "Trường Mầm non Hoa Sen")
STATE_ISSUER = ("Chủ tịch UBND {level} {town}", "QĐ-UBND")
DISTRICT_ISSUER = ("Chủ tịch UBND huyện {district}", "QĐ-UBND")
PROVINCE_ISSUER = ("Chủ tịch UBND tỉnh", "QĐ-UBND")
SIGNER_TITLES = {"QĐ-UBND": "Chủ tịch", "QĐ-MTTQ": "Chủ tịch Ủy ban MTTQ",
                 "QĐ-ĐTN": "Bí thư Đoàn", "QĐ-CĐCS": "Chủ tịch Công đoàn"}
SIGNERS = {"m": ("Trần Văn Thắng", "Lê Minh Tuấn", "Phạm Quang Huy", "Bùi Văn Long"),
           "f": ("Nguyễn Thị Hạnh", "Hoàng Thị Lan", "Đỗ Thị Thu Hà", "Vũ Thị Ngọc Anh")}
# The Women's Union is led by women; the other bodies by either.
SIGNER_SEX = {"hoi-lhpn": "f"}
# Who decides what (Luật Thi đua, khen thưởng 2022, Điều 80): the town chairman gives
# Lao động tiên tiến and Gia đình văn hóa; the district chairman gave the titles below until
# the district level ended on 01/07/2025, the town chairman since; the province gives
# Bằng khen, Cờ thi đua and Tập thể lao động xuất sắc.
STATE_KINDS = {"lao-dong-tien-tien", "gia-dinh-van-hoa"}
DISTRICT_KINDS = {"chien-si-thi-dua-co-so", "tap-the-lao-dong-tien-tien",
                  "thon-to-dan-pho-van-hoa"}
PROVINCE_KINDS = {"bang-khen", "co-thi-dua", "tap-the-lao-dong-xuat-sac",
                  "chien-si-thi-dua-cap-tinh"}
# Titles only some organizations give (besides each kind's own `owner`).
ASSOCIATIONS = {"hoi-lhpn", "hoi-ccb", "hoi-nong-dan"}
ORG_ONLY_KINDS = {"chi-hoi-vung-manh": ASSOCIATIONS, "hoi-vien-tieu-bieu": ASSOCIATIONS}
# The last decision signed by a district chairman: yearly titles up to this year.
LAST_DISTRICT_YEAR = 2024
# Years of birth by organization: veterans, then youth union members; others in between.
BIRTH_YEARS = {"hoi-ccb": (1948, 1968), "doan-tncs": (1990, 2003)}
DISTRICT = "Phong Điền"
# Since 1 July 2025 there are no towns (thị trấn) and no districts: the demo's town became a
# commune (xã). A decision keeps the level of its date; a year from 2025 on is signed after.
REORGANIZED_ON = date(2025, 7, 1)


def commune_level(year: int) -> str:
    """What the commune was called in decisions of a year's achievements."""
    return "xã" if year >= REORGANIZED_ON.year else "thị trấn"
INITIATIVES = ("Sáng kiến “Sổ theo dõi hội viên điện tử” được Hội đồng sáng kiến cấp cơ sở "
               "công nhận", "Giải pháp “Tổ tự quản đường hoa” được công nhận cấp cơ sở",
               "Sáng kiến “Ngày thứ Bảy xanh” được công nhận cấp cơ sở")
# How often each kind is given, by recipient type (standard kinds; others get weight 1).
KIND_WEIGHTS = {
    "individual": {"giay-khen": 10, "lao-dong-tien-tien": 8, "chien-si-thi-dua-co-so": 2,
                   "bang-khen": 1, "ky-niem-chuong": 1, "doan-vien-cong-doan-xuat-sac": 3,
                   "doan-vien-xuat-sac": 3, "hoi-vien-tieu-bieu": 3,
                   "cuu-chien-binh-guong-mau": 3, "chien-si-thi-dua-cap-tinh": 0},
    "collective": {"giay-khen": 6, "tap-the-lao-dong-tien-tien": 4,
                   "tap-the-lao-dong-xuat-sac": 1, "thon-to-dan-pho-van-hoa": 2,
                   "co-thi-dua": 1, "bang-khen": 1, "cong-doan-co-so-vung-manh": 2,
                   "chi-hoi-vung-manh": 3, "chi-doan-vung-manh": 3},
    "household": {"gia-dinh-van-hoa": 10, "giay-khen": 2, "ho-san-xuat-kinh-doanh-gioi": 4},
}
HOUSEHOLD_DEEDS = ("Đạt danh hiệu Gia đình văn hóa năm {year}",
                   "Hiến đất mở rộng đường giao thông nông thôn",
                   "Tích cực ủng hộ Quỹ “Vì người nghèo” năm {year}",
                   "Gia đình tiêu biểu trong phong trào xây dựng nông thôn mới năm {year}")


@dataclass
class Issuer:
    """Who signs a line of decisions, and the numbering of those decisions per year."""

    name: str
    symbol: str
    signer: str
    numbers: dict = field(default_factory=dict)
    # The first day it may sign on (a commune's body exists from the reorganization on).
    since: date | None = None

    def next_number(self, year: int, rng: random.Random) -> str:
        """The next decision number in a signing year ("15/QĐ-MTTQ")."""
        number = self.numbers.get(year, rng.randint(1, 20)) + rng.randint(1, 6)
        self.numbers[year] = number
        return f"{number}/{self.symbol}"


@dataclass
class DemoDecision:
    """A generated decision, and how many awards it still takes."""

    number: str
    signed_on: date
    issuer: str
    signer: str
    signer_title: str
    is_public: bool
    room: int
    signing_mode: str = ""
    decision_type: str = ""
    subject: str = ""
    id: int | None = None
    lines: int = 0


@dataclass
class DemoAward:
    """A generated award, before it is written."""

    values: records.AwardValues
    decision: DemoDecision
    kind_slug: str


@dataclass
class AwardSeedSummary:
    """What one run of seed_awards added."""

    awards: int = 0
    decisions: int = 0
    seconds: float = 0.0
    cycle: CycleSummary = field(default_factory=CycleSummary)

    def describe(self) -> str:
        """The one-line report seed-demo prints."""
        cycle = (f" and a commendation cycle ({self.cycle.proposals} proposals, a council "
                 f"meeting, {self.cycle.decisions} decision)" if self.cycle.proposals else "")
        return (f"Seeded {self.awards:,} awards on {self.decisions:,} decisions{cycle} "
                f"in {self.seconds:.1f} s.")


class Generator:
    """Makes plausible awards, deterministic for a given seed."""

    def __init__(self, orgs: list[Organization], kinds: list[AwardKind], today: date,
                 seed: int = 2024):
        self.rng = random.Random(seed)
        self.today = today
        self.orgs = [o for o in orgs if (o.parent or o).slug in ISSUERS] or orgs
        self.kinds = {k.slug: k for k in kinds}
        self.issuers: dict[tuple, Issuer] = {}
        self.open: dict[tuple, DemoDecision] = {}
        self.used: set[tuple] = set()
        self.decisions = 0
        # People given Lao động tiên tiến, by organization and year: Chiến sĩ thi đua cơ sở
        # goes to one of them (the law's prerequisite).
        self.advanced: dict[tuple, list[tuple[str, str]]] = {}
        self.amounts: dict[tuple, int | None] = {}
        self.kind_choices: dict[tuple, tuple[list[AwardKind], list[int]]] = {}

    def awards(self, count: int) -> Iterator[DemoAward]:
        """Yield `count` awards."""
        for _ in range(count):
            yield self.award()

    def award(self) -> DemoAward:
        """One plausible award."""
        rng = self.rng
        org = rng.choice(self.orgs)
        top = org.parent or org
        recipient_type = rng.choices(("individual", "collective", "household"), (80, 8, 12))[0]
        kind = self.pick_kind(recipient_type, top.slug)
        if kind is None:
            recipient_type = "individual"
            kind = self.pick_kind(recipient_type, top.slug)
        year = self.today.year - rng.choice(range(1 if kind.is_yearly else 0, YEARS))
        emulator = self.emulator(top.slug, year) if kind.slug == PREREQUISITE_FOR else None
        if kind.slug == PREREQUISITE_FOR and emulator is None:
            kind = self.kinds[PREREQUISITE]
        name, title = emulator or self.fresh_recipient(recipient_type, top.slug, kind, year)
        if kind.slug == PREREQUISITE:
            self.advanced.setdefault((top.slug, year), []).append((name, title))
        decision = self.decision_for(top, kind, year)
        values = records.AwardValues(
            recipient_type=recipient_type, recipient_name=name, organization=org, kind=kind,
            year=year, decision_number=decision.number, decision_date=decision.signed_on,
            recipient_title=title, achievement=self.achievement(recipient_type, top.slug, kind,
                                                                year),
            issuer=decision.issuer, signer=decision.signer,
            amount=self.amount(kind, recipient_type, decision.signed_on),
            initiative=rng.choice(INITIATIVES) if emulator else "",
            birth_year=birth_year(name, top.slug) if recipient_type == "individual" else None)
        return DemoAward(values, decision, kind.slug)

    def emulator(self, org_slug: str, year: int) -> tuple[str, str] | None:
        """Someone with Lao động tiên tiến that year who has no Chiến sĩ thi đua yet."""
        candidates = self.advanced.get((org_slug, year), [])
        while candidates:
            name, title = candidates.pop(self.rng.randrange(len(candidates)))
            key = ("individual", _folded(name), PREREQUISITE_FOR, year)
            if key not in self.used:
                self.used.add(key)
                return name, title
        return None

    def pick_kind(self, recipient_type: str, org_slug: str) -> AwardKind | None:
        """A kind that this type of recipient may receive from this organization."""
        # The same few lists each time: worked out once (a million awards ask a million times).
        key = (recipient_type, org_slug)
        if key not in self.kind_choices:
            weights = KIND_WEIGHTS.get(recipient_type, {})
            choices = [k for k in self.kinds.values() if k.is_active
                       and k.allows(recipient_type) and (k.owner or org_slug) == org_slug
                       and org_slug in ORG_ONLY_KINDS.get(k.slug, {org_slug})
                       and weights.get(k.slug, 1) > 0]
            self.kind_choices[key] = choices, [weights.get(k.slug, 1) for k in choices]
        choices, weights = self.kind_choices[key]
        if not choices:
            return None
        return self.rng.choices(choices, weights)[0]

    def person(self, sex: str | None = None) -> str:
        """A full name of a man or a woman: family, middle (sometimes two) and given name."""
        rng = self.rng
        sex = sex or rng.choice("mf")
        middle = rng.choice(MIDDLE[sex])
        if rng.random() < 0.2:
            middle = f"{middle} {rng.choice(EXTRA_MIDDLE[sex])}"
        return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN[sex])}"

    def sex_in(self, org_slug: str) -> str:
        """Women in the Women's Union; mostly men among veterans; either elsewhere."""
        if org_slug == "hoi-lhpn":
            return "f"
        if org_slug == "hoi-ccb":
            return "m" if self.rng.random() < 0.85 else "f"
        return self.rng.choice("mf")

    def fresh_recipient(self, recipient_type: str, org_slug: str, kind: AwardKind,
                        year: int) -> tuple[str, str]:
        """A recipient who has not had this kind in this year yet (when one can be found)."""
        for _ in range(RETRIES):
            name, title = self.recipient(recipient_type, org_slug)
            key = (recipient_type, _folded(name), kind.slug, year)
            if key not in self.used:
                break
        self.used.add(key)
        return name, title

    def recipient(self, recipient_type: str, org_slug: str) -> tuple[str, str]:
        """The recipient's name and (for people) position."""
        rng = self.rng
        if recipient_type == "household":
            sex = "m" if rng.random() < 0.7 else "f"
            return f"Hộ {'ông' if sex == 'm' else 'bà'} {self.person(sex)}", ""
        if recipient_type == "collective":
            pattern = ISSUERS[org_slug][2] if org_slug in ISSUERS else "Chi hội {place}"
            places = UNION_GROUPS if org_slug == "cong-doan" else PLACES + PLACES_EXTRA
            return pattern.format(place=rng.choice(places)), ""
        titles = ISSUERS[org_slug][3] if org_slug in ISSUERS else ("",)
        return self.person(self.sex_in(org_slug)), rng.choice(titles)

    def achievement(self, recipient_type: str, org_slug: str, kind: AwardKind,
                    year: int) -> str:
        """What the award is for."""
        if recipient_type == "household":
            return self.rng.choice(HOUSEHOLD_DEEDS).format(year=year)
        campaign = ISSUERS[org_slug][4] if org_slug in ISSUERS else "phong trào thi đua"
        if kind.is_yearly:
            return f"Hoàn thành xuất sắc nhiệm vụ năm {year}"
        return f"Có thành tích xuất sắc trong {campaign} năm {year}"

    def amount(self, kind: AwardKind, recipient_type: str, signed_on: date) -> int | None:
        """The reward the rules give on the decision's date (none where no rule gives one)."""
        key = (kind.id, recipient_type, signed_on)
        if key not in self.amounts:
            suggestion = rules.suggested_amount(kind, recipient_type, signed_on)
            self.amounts[key] = suggestion.amount if suggestion else None
        return self.amounts[key]

    def issuer(self, org: Organization, kind: AwardKind, year: int) -> Issuer:
        """The body that decides this kind for this organization in that year."""
        if kind.slug in PROVINCE_KINDS:
            name, symbol = PROVINCE_ISSUER
        elif kind.slug in DISTRICT_KINDS and year <= LAST_DISTRICT_YEAR:
            name, symbol = DISTRICT_ISSUER
        elif kind.slug in STATE_KINDS | DISTRICT_KINDS:
            name, symbol = STATE_ISSUER
        else:
            name, symbol = ISSUERS.get(org.slug, (org.name,) + ("QĐ",))[:2]
        level = commune_level(year)
        key = (name, symbol, level)
        if key not in self.issuers:
            sex = SIGNER_SEX.get(org.slug, self.rng.choice("mf")) if symbol != "QĐ-UBND" \
                else self.rng.choice("mf")
            full = nfc(name.format(town=TOWN, district=DISTRICT, level=level))
            self.issuers[key] = Issuer(full, symbol, self.rng.choice(SIGNERS[sex]),
                                       since=REORGANIZED_ON if "{level}" in name
                                       and level == "xã" else None)
        return self.issuers[key]

    def decision_for(self, org: Organization, kind: AwardKind, year: int) -> DemoDecision:
        """The open decision of that issuer for that kind and year, or a new one."""
        issuer = self.issuer(org, kind, year)
        key = (issuer.name, kind.slug, year)
        decision = self.open.get(key)
        if decision is None or decision.room <= 0:
            decision = self.new_decision(issuer, kind, year)
            self.open[key] = decision
        decision.room -= 1
        return decision

    def new_decision(self, issuer: Issuer, kind: AwardKind, year: int) -> DemoDecision:
        """A decision signed on a plausible day: yearly titles around the new year."""
        rng = self.rng
        if kind.is_yearly:
            signed = date(year, 12, 10) + timedelta(days=rng.randint(0, 45))
        else:
            signed = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        signed = max(date(year, 1, 1), issuer.since or date.min, min(signed, self.today))
        self.decisions += 1
        return DemoDecision(
            number=issuer.next_number(signed.year, rng), signed_on=signed,
            issuer=issuer.name, signer=issuer.signer,
            signer_title=SIGNER_TITLES.get(issuer.symbol, "Chủ tịch Hội"),
            is_public=rng.random() < 0.35, room=rng.randint(8, 60),
            # The town chairman decides alone; a front or association decides as a body.
            signing_mode="" if issuer.symbol == "QĐ-UBND" else "TM",
            decision_type="regular" if kind.is_yearly else "thematic",
            subject=(f"V/v công nhận danh hiệu “{kind.name}” năm {year}" if kind.is_yearly
                     else f"V/v tặng {kind.name} cho các tập thể, cá nhân có thành tích "
                          f"năm {year}"))


def seed_awards(count: int, progress: Callable[[str], None] | None = None,
                seed: int = 2024) -> AwardSeedSummary:
    """Add `count` demo awards: one by one when few, in bulk when many; commits.

    The first time, `CYCLE_AWARDS` of them come from the commendation cycle (proposals, the
    council, the decision made from the accepted rows), so that the registry holds `count`.
    """
    started = time.perf_counter()
    standard.ensure_standard_data()
    orgs = list(db.session.scalars(db.select(Organization).order_by(Organization.id)))
    kinds = list(db.session.scalars(db.select(AwardKind).order_by(AwardKind.position)))
    today = utcnow().astimezone(TIMEZONE).date()
    # A second run adds other people, not the same ones again.
    seed += db.session.scalar(db.select(db.func.count(Award.id)))
    generator = Generator(orgs, kinds, today, seed)
    with_cycle = count >= CYCLE_AWARDS and cycle_due(today)
    plain = count - CYCLE_AWARDS if with_cycle else count
    if plain <= SMALL:
        _create_one_by_one(generator.awards(plain))
    else:
        _insert_in_bulk(generator, plain, progress)
    cycle = CycleSummary()
    if with_cycle:
        with _request():
            cycle = seed_cycle(today)
    return AwardSeedSummary(count, generator.decisions, time.perf_counter() - started, cycle)


@contextmanager
def _request():
    """A request while records work: they format dates in the reader's language."""
    context = current_app.test_request_context() if not has_request_context() else None
    if context is not None:
        context.push()
    try:
        yield
    finally:
        if context is not None:
            context.pop()


def _create_one_by_one(awards: Iterator[DemoAward]) -> None:
    """Record awards as the registry's form does (records.check, records.create_award)."""
    with _request():
        for item in awards:
            values = records.check(item.values)
            if values.errors:
                raise ValueError(f"demo award breaks the rules: {values.errors}")
            award = records.create_award(values, source="manual")
            award.decision.is_public = item.decision.is_public
            award.decision.signer_title = item.decision.signer_title
            award.decision.signing_mode = item.decision.signing_mode
            award.decision.decision_type = item.decision.decision_type
            award.decision.subject = item.decision.subject
        db.session.commit()


def _insert_in_bulk(generator: Generator, count: int,
                    progress: Callable[[str], None] | None) -> None:
    """Insert decisions with Core, then their awards and history through records, in
    committed chunks."""
    done = 0
    with _counts_refilled_after():
        while done < count:
            batch = list(generator.awards(min(CHUNK, count - done)))
            _insert_decisions([item.decision for item in batch])
            records.insert_many([_new_award(item) for item in batch], source="manual")
            db.session.commit()
            done += len(batch)
            if progress and (done % PROGRESS_EVERY == 0 or done == count):
                progress(f"  {done:,} / {count:,} awards inserted")


@contextmanager
def _counts_refilled_after():
    """On PostgreSQL, pause the trigger that keeps `award_counts` and count afresh at the end.

    The trigger updates a counts row for every award inserted, which is most of the time of a
    bulk insert of a million; counting them all at once at the end is one GROUP BY. Turning
    the trigger back on takes the table's lock, so nothing written meanwhile is missed by the
    count made in the same transaction. SQLite's triggers stay (it cannot pause them).
    """
    if db.session.get_bind().dialect.name != "postgresql":
        yield
        return
    db.session.execute(text(f"ALTER TABLE awards DISABLE TRIGGER {COUNTS_TRIGGER}"))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        group = [c.name for c in queries.award_counts.c if c.name not in ("awards", "amount")]
        db.session.execute(text(f"ALTER TABLE awards ENABLE TRIGGER {COUNTS_TRIGGER}"))
        db.session.execute(text("DELETE FROM award_counts"))
        db.session.execute(text(count_triggers.refill(group)))
        db.session.commit()


def _insert_decisions(decisions: list[DemoDecision]) -> None:
    """Insert the decisions not yet written, and note their ids."""
    new = list({id(d): d for d in decisions if d.id is None}.values())
    if not new:
        return
    table = Decision.__table__
    rows = [{"number": d.number, "signed_on": d.signed_on, "issuer": d.issuer,
             "signer": d.signer, "signer_title": d.signer_title, "subject": d.subject,
             "signing_mode": d.signing_mode, "decision_type": d.decision_type,
             "campaign": "", "legal_grounds": "",
             "is_public": d.is_public, "scan_name": "", "scan_stored_name": "",
             "post_id": None, "created_by_id": None,
             "created_at": _moment(d.signed_on)} for d in new]
    ids = reserved_ids(table, len(rows))
    if ids is None:
        ids = db.session.execute(table.insert().returning(table.c.id,
                                                          sort_by_parameter_order=True),
                                 rows).scalars().all()
    else:
        insert_rows(table, [row | {"id": i} for row, i in zip(rows, ids, strict=True)])
    for decision, decision_id in zip(new, ids, strict=True):
        decision.id = decision_id


@lru_cache(maxsize=65_536)
def _folded(name: str) -> str:
    """A name folded for comparison (the same few thousand names come back again and again)."""
    return fold(name)


def birth_year(name: str, org_slug: str) -> int | None:
    """A year of birth fitting the organization (veterans older, youth younger), the same
    for a name each time; about one person in three has none written down."""
    first, last = BIRTH_YEARS.get(org_slug, (1962, 1995))
    seed = zlib.crc32(f"{org_slug}:{name}".encode())
    if seed % 3 == 0:
        return None
    return first + seed // 3 % (last - first + 1)


def _moment(day: date) -> datetime:
    """Nine in the morning of a day in Vietnam, in UTC."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=TIMEZONE).astimezone(UTC)


def _new_award(item: DemoAward) -> records.NewAward:
    """A generated award for records.insert_many: the next line of its decision, recorded
    on the morning its decision was signed."""
    item.decision.lines += 1
    return records.NewAward(item.values, item.decision, item.decision.lines,
                            created_at=_moment(item.decision.signed_on))
