"""The standard organizations, categories and award kinds every install starts with."""

from bulletin.extensions import db
from bulletin.models import AwardKind, Category, Organization

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
# (slug, name, category, who may receive it, given yearly)
AWARD_KINDS = (
    ("giay-khen", "Giấy khen", "award_form", ALL, False),
    ("bang-khen", "Bằng khen", "award_form", ALL, False),
    ("lao-dong-tien-tien", "Lao động tiên tiến", "emulation_title", "individual", True),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "emulation_title", "individual", True),
    ("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến", "emulation_title",
     "collective", True),
    ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", "emulation_title",
     "collective", True),
    ("gia-dinh-van-hoa", "Gia đình văn hóa", "emulation_title", "household", True),
    ("thon-to-dan-pho-van-hoa", "Thôn, tổ dân phố văn hóa", "emulation_title", "collective",
     True),
    ("co-thi-dua", "Cờ thi đua", "award_form", "collective", False),
    ("ky-niem-chuong", "Kỷ niệm chương", "org_honour", "individual", False),
    ("doan-vien-cong-doan-xuat-sac", "Đoàn viên công đoàn xuất sắc", "org_honour",
     "individual", True),
    ("cong-doan-co-so-vung-manh", "Công đoàn cơ sở vững mạnh", "org_honour", "collective",
     True),
)


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
        for position, (slug, name, category, types, yearly) in enumerate(AWARD_KINDS):
            db.session.add(AwardKind(slug=slug, name=name, category=category,
                                     recipient_types=types, is_yearly=yearly,
                                     position=position))
        created = True
    if created:
        db.session.commit()
    return created
