"""The standard organizations, categories and award kinds every install starts with."""

from bulletin import standard_rules
from bulletin.extensions import db
from bulletin.models import AwardKind, AwardRule, BaseSalary, Category, Organization

ORGANIZATIONS = (
    ("mttq", "MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam",
     "Liên minh chính trị, tổ chức liên hiệp tự nguyện của các tổ chức và cá nhân tiêu biểu."),
    ("hoi-lhpn", "Hội LHPN", "Hội Liên hiệp Phụ nữ",
     "Đại diện quyền và lợi ích hợp pháp của phụ nữ, vì bình đẳng giới và sự tiến bộ."),
    ("doan-tncs", "Đoàn TNCS", "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
     "Tổ chức chính trị – xã hội của thanh niên, đội dự bị tin cậy của Đảng."),
    ("hoi-ccb", "Hội CCB", "Hội Cựu chiến binh",
     "Tập hợp, đoàn kết cựu chiến binh, phát huy bản chất Bộ đội Cụ Hồ."),
    ("hoi-nong-dan", "Hội Nông dân", "Hội Nông dân",
     "Đồng hành cùng nông dân phát triển sản xuất, xây dựng nông thôn mới."),
    ("cong-doan", "Công đoàn", "Công đoàn cơ sở",
     "Chăm lo, bảo vệ quyền lợi của công chức, viên chức và người lao động."),
)

CATEGORIES = (
    ("tin-hoat-dong", "Tin hoạt động"),
    ("thong-bao", "Thông báo"),
    ("bao-cao-ke-hoach", "Báo cáo – Kế hoạch"),
    ("guong-dien-hinh", "Gương điển hình"),
    ("phong-trao-thi-dua", "Phong trào thi đua"),
)


ALL = "individual,collective,household"
LAW = standard_rules.LAW
LOCAL = "commune_chair,district_chair,front_committee,association"
HIGH = "province_chair,central,front_committee,association"
ORG = "front_committee,association"
# (slug, name, category, who may receive it, given yearly, who confers it, whose own title,
#  legal basis). The slugs are the registry's codes: exports and imports use them.
AWARD_KINDS = (
    ("giay-khen", "Giấy khen", "award_form", ALL, False, LOCAL, "",
     f"{LAW}, Điều 75 và Điều 80"),
    ("bang-khen", "Bằng khen", "award_form", ALL, False, HIGH, "",
     f"{LAW}, Điều 72–74"),
    ("lao-dong-tien-tien", "Lao động tiên tiến", "emulation_title", "individual", True,
     "commune_chair,district_chair", "", f"{LAW}, Điều 24 và Điều 80 khoản 3"),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "emulation_title", "individual", True,
     "district_chair,province_chair", "", f"{LAW}, Điều 23 và Điều 80"),
    ("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến", "emulation_title",
     "collective", True, "district_chair,province_chair", "", f"{LAW}, Điều 28 và Điều 80"),
    ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", "emulation_title",
     "collective", True, "province_chair,central", "", f"{LAW}, Điều 27"),
    ("gia-dinh-van-hoa", "Gia đình văn hóa", "emulation_title", "household", True,
     "commune_chair", "", f"{LAW}, Điều 80 khoản 3"),
    ("thon-to-dan-pho-van-hoa", "Thôn, tổ dân phố văn hóa", "emulation_title", "collective",
     True, "district_chair", "", f"{LAW}, Điều 80"),
    # The law makes the flag an emulation title of collectives, not a form of reward.
    ("co-thi-dua", "Cờ thi đua", "emulation_title", "collective", False, HIGH, "",
     f"{LAW}, Điều 26"),
    ("ky-niem-chuong", "Kỷ niệm chương", "org_honour", "individual", False,
     "central,front_committee,association", "", "Điều lệ và quy chế khen thưởng của tổ chức"),
    ("doan-vien-cong-doan-xuat-sac", "Đoàn viên công đoàn xuất sắc", "org_honour",
     "individual", True, "association", "cong-doan", "Hướng dẫn thi đua, khen thưởng của "
     "Công đoàn Việt Nam"),
    ("cong-doan-co-so-vung-manh", "Công đoàn cơ sở vững mạnh", "org_honour", "collective",
     True, "association", "cong-doan", "Hướng dẫn thi đua, khen thưởng của Công đoàn Việt Nam"),
    ("chien-si-thi-dua-cap-tinh", "Chiến sĩ thi đua cấp tỉnh", "emulation_title", "individual",
     True, "province_chair", "", f"{LAW}, Điều 22"),
    ("chi-hoi-vung-manh", "Chi hội vững mạnh", "org_honour", "collective", True, ORG, "",
     "Điều lệ và hướng dẫn thi đua của hội"),
    ("chi-doan-vung-manh", "Chi đoàn vững mạnh", "org_honour", "collective", True,
     "association", "doan-tncs", "Hướng dẫn thi đua, khen thưởng của Đoàn TNCS Hồ Chí Minh"),
    ("doan-vien-xuat-sac", "Đoàn viên xuất sắc", "org_honour", "individual", True,
     "association", "doan-tncs", "Hướng dẫn thi đua, khen thưởng của Đoàn TNCS Hồ Chí Minh"),
    ("hoi-vien-tieu-bieu", "Hội viên tiêu biểu", "org_honour", "individual", True, ORG, "",
     "Điều lệ và hướng dẫn thi đua của hội"),
    ("cuu-chien-binh-guong-mau", "Cựu chiến binh gương mẫu", "org_honour", "individual", True,
     "association", "hoi-ccb", "Hướng dẫn phong trào thi đua “Cựu chiến binh gương mẫu”"),
    ("ho-san-xuat-kinh-doanh-gioi", "Hộ sản xuất, kinh doanh giỏi", "org_honour", "household",
     True, "association", "hoi-nong-dan", "Quy định xét công nhận hộ sản xuất, kinh doanh "
     "giỏi của Hội Nông dân Việt Nam"),
)

# The guard row (in cache_versions) that says a database has had its first-start data.
# Raise the version when the code's standard data changes in a way a running install needs.
STANDARD_DATA_NAME = "standard-data"
STANDARD_DATA_VERSION = 1


def ensure_standard_data() -> bool:
    """Create the standard organizations, categories and award kinds in an empty database.

    Returns True when anything was created. An install whose admin has changed them is left
    alone: this only fills tables that are still empty.
    """
    created = False
    if db.session.scalar(db.select(Organization.id).limit(1)) is None:
        for position, (slug, short, name, description) in enumerate(ORGANIZATIONS):
            db.session.add(Organization(slug=slug, short_name=short, name=name,
                                        description=description, position=position))
        created = True
    if db.session.scalar(db.select(Category.id).limit(1)) is None:
        for position, (slug, name) in enumerate(CATEGORIES):
            db.session.add(Category(slug=slug, name=name, position=position))
        created = True
    if db.session.scalar(db.select(AwardKind.id).limit(1)) is None:
        for position, row in enumerate(AWARD_KINDS):
            db.session.add(standard_kind(row, position))
        created = True
    if db.session.scalar(db.select(AwardRule.id).limit(1)) is None:
        standard_rules.seed(complete_catalogue())
        created = True
    if db.session.scalar(db.select(BaseSalary.id).limit(1)) is None:
        standard_rules.seed_salaries()
        created = True
    if created:
        db.session.commit()
    return created


def standard_kind(row: tuple, position: int) -> AwardKind:
    """A kind of the standard catalogue from its row in AWARD_KINDS."""
    slug, name, category, types, yearly, bodies, owner, basis = row
    return AwardKind(slug=slug, name=name, category=category, recipient_types=types,
                     is_yearly=yearly, conferred_by=bodies, owner=owner, legal_basis=basis,
                     position=position)


def complete_catalogue() -> dict[str, AwardKind]:
    """Add the standard kinds an older install lacks and fill their legal data; by slug.

    Runs once, when the rules are first seeded: names, order and activity an admin chose are
    kept; only empty legal fields are filled, and the flag becomes an emulation title.
    """
    kinds = {k.slug: k for k in db.session.scalars(db.select(AwardKind))}
    last = max((k.position for k in kinds.values()), default=0)
    for row in AWARD_KINDS:
        kind = kinds.get(row[0])
        if kind is None:
            last += 1
            kinds[row[0]] = kind = standard_kind(row, last)
            db.session.add(kind)
        kind.conferred_by = kind.conferred_by or row[5]
        kind.owner = kind.owner or row[6]
        kind.legal_basis = kind.legal_basis or row[7]
        if row[0] == "co-thi-dua":
            kind.category = "emulation_title"
    db.session.flush()
    return kinds
