"""The reports on paper and in their workbooks (heading block from the site's identity),
parents' subtotals with their branches, the statistics for the level above, the eligibility
report's look ahead (proposed rows, the initiative) and namesakes told apart by year of birth.
"""

import io
from datetime import date

from openpyxl import load_workbook

from bulletin.awards import records
from bulletin.awards import statistics as stats_module
from bulletin.awards.summaries import HEADER_ROW
from bulletin.extensions import db
from bulletin.models import Organization, Proposal, ProposalRow, SiteSettings
from bulletin.site import site_changed
from tests.test_award_decisions import login
from tests.test_award_papers import text_of


def commune_identity() -> None:
    """The site's identity: the Front's committee of a commune."""
    db.session.add(SiteSettings(id=1, locality_name="xã Tân Lập",
                                committee_name="Ủy ban MTTQ Việt Nam", footer_text="",
                                logo_key=""))
    db.session.commit()
    site_changed()


def branch(make) -> Organization:
    """A branch of the women's union."""
    child = Organization(name="Chi hội Phụ nữ thôn 3", short_name="CH thôn 3", slug="chi-hoi-3",
                         parent=make.org("hoi-lhpn"), position=1)
    db.session.add(child)
    db.session.commit()
    return child


def family_year(make) -> None:
    """Awards of 2025 for the women's union, its branch and the youth union."""
    make.award("Nguyễn Thị Hoa", organization="hoi-lhpn", amount=700_000)
    make.award("Trần Thị Lan", organization=branch(make), amount=500_000, number="2/QĐ-UBND")
    make.award("Chi đoàn thôn 1", organization="doan-tncs", recipient_type="collective",
               amount=1_400_000, number="3/QĐ-UBND")


def test_yearly_book_takes_its_heading_from_the_site_with_place_and_date(client, auth, make):
    commune_identity()
    family_year(make)
    login(auth, make)
    page = client.get("/awards/reports/book?year=2025").get_data(as_text=True)
    text = text_of(page)
    assert "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ TÂN LẬP" in text
    assert "Tân Lập, ngày" in text
    assert "Cộng Hội Liên hiệp Phụ nữ (kể cả các chi hội, cơ sở trực thuộc): 2 khen thưởng; " \
        "số tiền 1.200.000 đồng." in text


def test_yearly_summary_has_parent_subtotals_on_the_page_paper_and_workbook(client, auth, make):
    commune_identity()
    family_year(make)
    login(auth, make)
    page = text_of(client.get("/awards/reports/yearly?year=2025").get_data(as_text=True))
    assert "Cộng Hội Liên hiệp Phụ nữ (kể cả cơ sở trực thuộc) 2 1.200.000" in page
    paper = client.get("/awards/reports/yearly?year=2025&print=1").get_data(as_text=True)
    assert "paper-landscape.css" in paper and "<nav" not in paper
    text = text_of(paper)
    assert "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ TÂN LẬP" in text
    assert "Số: ......../BC" in text and "Tân Lập, ngày" in text
    assert "BÁO CÁO TỔNG HỢP KHEN THƯỞNG NĂM 2025" in text.upper()
    assert "NGƯỜI LẬP BIỂU" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "Cộng Hội Liên hiệp Phụ nữ (kể cả cơ sở trực thuộc)" in text
    sheet = load_workbook(io.BytesIO(client.get("/awards/reports/yearly.xlsx?year=2025").data)) \
        .active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM" and rows[1][0] == "XÃ TÂN LẬP"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in rows[0]
    assert rows[2][0] == "Số: ......../BC" and any(str(v).startswith("Tân Lập, ngày")
                                                   for v in rows[2] if v)
    assert rows[4][0] == "Báo cáo tổng hợp khen thưởng năm 2025"
    assert rows[HEADER_ROW - 1][0] == "Tổ chức"
    family = next(row for row in rows if str(row[0]).startswith("Cộng Hội Liên hiệp"))
    assert family[-2:] == (2, 1_200_000)
    assert rows[-1][-2:] == (3, 2_600_000)


def statistics_year(make) -> None:
    """2025: a commune decision and a provincial one; sexes and ethnicities mixed."""
    commune = {"issuer": "Chủ tịch UBND xã Tân Lập", "number": "1/QĐ-UBND",
               "signed_on": date(2025, 12, 20)}
    make.award("Lò Thị Xuân", sex="female", ethnicity="Thái", **commune)
    make.award("Lường Văn Pọm", sex="male", ethnicity=" thái", **commune)
    make.award("Nguyễn Thị Hoa", sex="female", ethnicity="Kinh", **commune)
    make.award("Trần Văn Bình", **commune)  # neither stated
    make.award("Chi hội Phụ nữ thôn 3", recipient_type="collective", **commune)
    voided = make.award("Lò Văn Voi", sex="male", ethnicity="Thái", **commune)
    records.void_award(voided, "Nhầm")
    make.award("Hà Thị Mai", sex="female", ethnicity="Mường", kind="lao-dong-tien-tien",
               issuer="Chủ tịch UBND tỉnh Phú Thọ", number="9/QĐ-UBND",
               signed_on=date(2026, 1, 10))
    make.award("Ngoài phạm vi", organization="hoi-ccb", sex="male", number="5/QĐ-UBND",
               issuer="Chủ tịch UBND xã Tân Lập", signed_on=date(2025, 12, 20))
    db.session.commit()


def test_ethnic_minority_is_any_stated_ethnicity_but_kinh():
    assert stats_module.ethnic_group(" Kinh") == "kinh"
    assert stats_module.ethnic_group("dân tộc kinh") == "kinh"
    assert stats_module.ethnic_group("Thái") == "minority"
    assert stats_module.ethnic_group("") == "unknown"


def test_statistics_count_awards_in_force_by_kind_tier_sex_and_minority(client, auth, make):
    statistics_year(make)
    login(auth, make, orgs=["mttq"], username="mttq")
    response = client.get("/awards/reports/statistics?year=2025")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    # Giấy khen, commune tier: 5 in force (4 people, 1 collective); the voided one left out.
    assert "Giấy khen Cấp xã 5 1 4 1 2 1 2 1 1 1" in text
    assert "Lao động tiên tiến Cấp tỉnh 1 1 1 1 1" in text
    assert "Tổng cộng 6 1 5 1 3 1 3 2 1 1" in text
    sheet = load_workbook(io.BytesIO(
        client.get("/awards/reports/statistics.xlsx?year=2025").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[4][0] == "Thống kê khen thưởng năm 2025"
    assert rows[HEADER_ROW - 1][:4] == ("Hình thức, danh hiệu", "Cấp khen thưởng", "Tổng số",
                                        "Tập thể, hộ gia đình")
    assert rows[HEADER_ROW] == ("Giấy khen", "Cấp xã", 5, 1, 4, 1, 2, 1, 2, 1, 1, 1)
    assert rows[-1][:3] == ("Tổng cộng", None, 6)
    paper = text_of(client.get("/awards/reports/statistics?year=2025&print=1")
                    .get_data(as_text=True))
    assert "Giấy khen Cấp xã 5 1 4" in paper and "NGƯỜI LẬP BIỂU" in paper


def test_statistics_are_scoped_to_the_accounts_organizations(client, auth, make):
    statistics_year(make)
    login(auth, make, orgs=["hoi-ccb"], username="ccb")
    text = text_of(client.get("/awards/reports/statistics?year=2025").get_data(as_text=True))
    assert "Tổng cộng 1 0 1 1" in text
    assert client.get("/awards/reports/statistics?year=20x5").status_code == 404


def proposal(make, org="hoi-lhpn", status="submitted", **row) -> ProposalRow:
    """A proposal of 2026 with one row."""
    paper = Proposal(organization=make.org(org), year=2026, status=status,
                     kind=make.award_kind("lao-dong-tien-tien"))
    line = ProposalRow(proposal=paper, recipient_type="individual", **row)
    db.session.add_all([paper, line])
    db.session.commit()
    return line


def test_eligibility_looks_ahead_to_this_years_proposed_titles_with_an_initiative(
        client, auth, make):
    # Chiến sĩ thi đua cơ sở 2026 needs Lao động tiên tiến 2026, not decided yet: proposed.
    proposal(make, recipient_name="Nguyễn Thị Hoa", birth_year=1980,
             initiative="Sổ tay tuyên truyền pháp luật cho hội viên")
    proposal(make, recipient_name="Trần Thị Lan")  # no initiative anywhere
    proposal(make, recipient_name="Lê Thị Nháp", status="draft")
    proposal(make, recipient_name="Phạm Thị Bị Loại", verdict="refused")
    make.award("Đỗ Minh Tuấn", kind="lao-dong-tien-tien", year=2026, number="4/QĐ-UBND",
               initiative="Phần mềm quản lý hội viên", signed_on=date(2026, 12, 1))
    login(auth, make)
    page = client.get("/awards/reports/eligible?year=2026&kind=chien-si-thi-dua-co-so&print=1")
    text = text_of(page.get_data(as_text=True))
    hoa = text.split("Nguyễn Thị Hoa")[1].split("Trần Thị Lan")[0]
    assert "1980" in hoa and "Lao động tiên tiến 2026 (đề nghị của Hội Liên hiệp Phụ nữ)" in hoa
    assert "Đủ điều kiện" in hoa
    assert "Đỗ Minh Tuấn" in text and \
        "Đủ điều kiện" in text.split("Đỗ Minh Tuấn")[1].split("Trần Thị Lan")[0]
    lan = text.split("Trần Thị Lan")[1]
    assert "Còn thiếu: sáng kiến được công nhận (chưa ghi)" in lan
    assert "Lê Thị Nháp" not in text and "Phạm Thị Bị Loại" not in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "NGƯỜI LẬP BIỂU" in text


def test_namesakes_born_in_different_years_are_two_people(client, auth, make):
    for year in (2023, 2024, 2025):
        make.award("Nguyễn Văn An", kind="chien-si-thi-dua-co-so", year=year, birth_year=1970,
                   number=f"{year}a/QĐ-UBND")
    make.award("Nguyễn Văn An", kind="chien-si-thi-dua-co-so", year=2024, birth_year=1992,
               number="2024b/QĐ-UBND")
    make.award("Nguyễn Văn An", kind="chien-si-thi-dua-co-so", year=2025, birth_year=1992,
               number="2025b/QĐ-UBND")
    login(auth, make)
    streaks = text_of(client.get("/awards/reports/streaks?kind=chien-si-thi-dua-co-so"
                                 "&year=2025&min=3&print=1").get_data(as_text=True))
    assert streaks.count("Nguyễn Văn An") == 1 and "1970" in streaks and "1992" not in streaks
    book = load_workbook(io.BytesIO(client.get(
        "/awards/reports/streaks.xlsx?kind=chien-si-thi-dua-co-so&year=2025&min=2").data))
    born = sorted(row[-1] for row in book.active.iter_rows(min_row=HEADER_ROW + 1,
                                                            values_only=True))
    assert born == [1970, 1992]
    two = text_of(client.get("/awards/reports/streaks?kind=chien-si-thi-dua-co-so"
                             "&year=2025&min=2&print=1").get_data(as_text=True))
    assert two.count("Nguyễn Văn An") == 2 and "1992" in two
    provincial = text_of(client.get("/awards/reports/eligible?year=2025"
                                    "&kind=chien-si-thi-dua-cap-tinh&print=1")
                         .get_data(as_text=True))
    assert provincial.count("Nguyễn Văn An") == 2
    first, second = provincial.split("Nguyễn Văn An")[1:3]
    assert "Đủ điều kiện" in first and "1970" in first
    assert "Còn thiếu: Chiến sĩ thi đua cơ sở năm 2023" in second and "1992" in second


def test_an_award_without_a_year_of_birth_belongs_to_the_one_namesake_who_has_one(
        client, auth, make):
    for year, born in ((2023, None), (2024, 1970), (2025, 1970)):
        make.award("Nguyễn Văn An", kind="chien-si-thi-dua-co-so", year=year, birth_year=born,
                   number=f"{year}/QĐ-UBND")
    login(auth, make)
    streaks = text_of(client.get("/awards/reports/streaks?kind=chien-si-thi-dua-co-so"
                                 "&year=2025&min=3&print=1").get_data(as_text=True))
    assert "2023, 2024, 2025" in streaks and streaks.count("Nguyễn Văn An") == 1
