"""The rules of commendation: dated rules on both sides of their effective date, the
suggested money against hand-computed figures, amounts in words, and that a warning never
blocks saving (it is kept in the award's history with the secretary's note).
"""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from bulletin.awards import records, rules, spreadsheets
from bulletin.awards.importing import dryrun
from bulletin.awards.money import in_words, round_up
from bulletin.demo.awards import seed_awards
from bulletin.extensions import db
from bulletin.models import Award, AwardRule, BaseSalary, User
from tests.factories import award_kind, org
from tests.test_awards_export import fate_counts, login_as, upload
from tests.test_awards_import import (
    confirm_fields,
    in_export_layout,
    row,
    row_details,
    workbook,
)


def values(kind="chien-si-thi-dua-co-so", name="Nguyễn Thị Hoa", year=2025,
           signed=date(2026, 1, 10), issuer="Chủ tịch UBND thị trấn", amount=None,
           recipient_type="individual", initiative="Sáng kiến số hóa sổ hộ tịch"):
    """Award values as a form would give them."""
    return records.AwardValues(
        recipient_type=recipient_type, recipient_name=name, organization=org("mttq"),
        kind=award_kind(kind), year=year, decision_number="5/QĐ-UBND", decision_date=signed,
        issuer=issuer, amount=amount, initiative=initiative)


def names(found) -> list[str]:
    """The text of each warning."""
    return [str(w) for w in found]


# --- Words and rounding ---------------------------------------------------------------

@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_250_500, "Một triệu hai trăm năm mươi nghìn năm trăm đồng"),
    (21_000_000_000, "Hai mươi mốt tỷ đồng"),
    (710_000, "Bảy trăm mười nghìn đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
    (15, "Mười lăm đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
])
def test_amounts_are_written_in_vietnamese_words(amount, words):
    assert in_words(amount) == words


def test_rewards_are_rounded_up_to_tens_of_thousands():
    assert round_up(Decimal("702000"), 10_000) == 710_000
    assert round_up(Decimal("2340000"), 10_000) == 2_340_000
    assert round_up(Decimal("1872000"), 10_000) == 1_880_000
    assert round_up(Decimal("540000.1"), 10_000) == 550_000


# --- Money ----------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "recipient_type", "signed", "expected"), [
    # 0,3 × 1.800.000 = 540.000 (no rounding needed)
    ("lao-dong-tien-tien", "individual", date(2024, 6, 30), 540_000),
    # 0,3 × 2.340.000 = 702.000 → rounded up to 710.000
    ("lao-dong-tien-tien", "individual", date(2024, 7, 1), 710_000),
    # 1,0 × 2.340.000 = 2.340.000
    ("chien-si-thi-dua-co-so", "individual", date(2025, 12, 20), 2_340_000),
    # 0,8 × 2.340.000 = 1.872.000 → 1.880.000
    ("tap-the-lao-dong-tien-tien", "collective", date(2025, 12, 20), 1_880_000),
    # 0,6 × 2.340.000 = 1.404.000 → 1.410.000 (a collective's Giấy khen is twice a person's)
    ("giay-khen", "collective", date(2025, 12, 20), 1_410_000),
    # 0,3 × 1.490.000 = 447.000 → 450.000 (before 2024, under Nghị định 91/2017)
    ("giay-khen", "individual", date(2020, 5, 4), 450_000),
    # 8 × 2.340.000 = 18.720.000
    ("co-thi-dua", "collective", date(2025, 3, 1), 18_720_000),
])
def test_suggested_money_is_coefficient_times_base_salary_at_the_decision_date(
        app, kind, recipient_type, signed, expected):
    with app.test_request_context():
        suggestion = rules.suggested_amount(award_kind(kind), recipient_type, signed)
    assert suggestion.amount == expected


def test_no_money_is_suggested_where_no_rule_gives_one(app):
    with app.test_request_context():
        assert rules.suggested_amount(award_kind("gia-dinh-van-hoa"), "household",
                                      date(2025, 1, 1)) is None
        assert rules.suggested_amount(award_kind("lao-dong-tien-tien"), "individual",
                                      date(2015, 1, 1)) is None


def test_a_new_base_salary_changes_suggestions_from_its_date_only(app):
    with app.app_context():
        db.session.add(BaseSalary(valid_from=date(2026, 7, 1), amount=2_530_000,
                                  legal_basis="Thử nghiệm"))
        db.session.commit()
    with app.test_request_context():
        kind = award_kind("lao-dong-tien-tien")
        assert rules.suggested_amount(kind, "individual", date(2026, 6, 30)).amount == 710_000
        # 0,3 × 2.530.000 = 759.000 → 760.000
        assert rules.suggested_amount(kind, "individual", date(2026, 7, 1)).amount == 760_000


def test_an_amount_far_from_the_rule_is_warned_about(app):
    with app.test_request_context():
        found = rules.warnings_for(values("lao-dong-tien-tien", amount=500_000,
                                          issuer="Chủ tịch UBND thị trấn"))
        assert any("710.000" in text for text in names(found))
        assert rules.warnings_for(values("lao-dong-tien-tien", amount=710_000,
                                         issuer="Chủ tịch UBND thị trấn")) == []


@pytest.mark.parametrize(("amount", "warned"), [
    (702_000, True),   # 0,3 × 2.340.000 not rounded up (issue 18)
    (709_999, True),
    (700_000, True),
    (710_000, False),  # the rule's rounded amount
    (719_999, False),  # above, within one rounding step
    (720_000, True),
])
def test_an_amount_below_the_rounded_rule_is_warned_about_as_one_above_it(app, amount, warned):
    with app.test_request_context():
        found = rules.warnings_for(values("lao-dong-tien-tien", amount=amount,
                                          issuer="Chủ tịch UBND thị trấn"))
        assert any("710.000" in text for text in names(found)) is warned, names(found)


# --- Prerequisites --------------------------------------------------------------------

def test_chien_si_thi_dua_needs_lao_dong_tien_tien_in_the_same_year(app, make):
    with app.test_request_context():
        found = names(rules.warnings_for(values()))
        assert any("chưa có danh hiệu Lao động tiên tiến năm 2025" in text for text in found)
        assert any("Điều 23" in text for text in found)
    make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", year=2024)
    make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", year=2025, number="9/QĐ-UBND")
    with app.test_request_context():
        assert rules.warnings_for(values()) == []


def test_a_voided_prerequisite_does_not_count(app, make):
    made = make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", year=2025)
    with app.test_request_context():
        records.void_award(made, "Nhập sai")
        db.session.commit()
        assert rules.warnings_for(values())


def test_chien_si_thi_dua_needs_an_initiative(app, make):
    make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", year=2025)
    with app.test_request_context():
        found = names(rules.warnings_for(values(initiative="")))
    assert any("sáng kiến" in text for text in found)


def test_a_prerequisite_typed_on_the_same_decision_counts(app):
    with app.test_request_context():
        title = values()
        base = values("lao-dong-tien-tien", initiative="")
        assert names(rules.warnings_for(title, [title, base])) == []


def test_a_prerequisite_rule_applies_only_from_its_effective_date(app):
    """A rule made for this test: Hội viên tiêu biểu needs Lao động tiên tiến from 2026."""
    with app.app_context():
        db.session.add(AwardRule(
            kind=award_kind("hoi-vien-tieu-bieu"), rule_type="prerequisite",
            valid_from=date(2026, 1, 1), required_kind=award_kind("lao-dong-tien-tien"),
            legal_basis="Hướng dẫn thử nghiệm"))
        db.session.commit()
    with app.test_request_context():
        before = values("hoi-vien-tieu-bieu", signed=date(2025, 12, 31),
                        issuer="Ban Chấp hành Hội LHPN thị trấn")
        after = values("hoi-vien-tieu-bieu", signed=date(2026, 1, 1),
                       issuer="Ban Chấp hành Hội LHPN thị trấn")
        assert rules.warnings_for(before) == []
        assert any("Lao động tiên tiến" in text for text in names(rules.warnings_for(after)))


def test_a_namesake_born_another_year_does_not_meet_the_prerequisite(app, make):
    """Issue 18: Nguyễn Thị Hà born 1999 holds Lao động tiên tiến 2025; her namesake born
    1982 proposed for Chiến sĩ thi đua cơ sở 2025 still lacks it."""
    make.award("Nguyễn Thị Hà", kind="lao-dong-tien-tien", year=2025, birth_year=1999)
    with app.test_request_context():
        other = records.AwardValues(**{**values(name="Nguyễn Thị Hà").__dict__,
                                       "birth_year": 1982})
        same = records.AwardValues(**{**values(name="Nguyễn Thị Hà").__dict__,
                                      "birth_year": 1999})
        unknown = values(name="NGUYỄN THỊ HÀ")
        assert any("chưa có danh hiệu Lao động tiên tiến năm 2025" in text
                   for text in names(rules.warnings_for(other)))
        assert rules.warnings_for(same) == []
        # No year of birth on one side: still possibly her, as before.
        assert rules.warnings_for(unknown) == []


def test_a_namesake_born_another_year_on_the_same_decision_does_not_count(app):
    with app.test_request_context():
        title = records.AwardValues(**{**values(name="Nguyễn Thị Hà").__dict__,
                                       "birth_year": 1982})
        base = records.AwardValues(**{**values("lao-dong-tien-tien", name="Nguyễn Thị Hà",
                                               initiative="").__dict__, "birth_year": 1999})
        assert any("Lao động tiên tiến" in text
                   for text in names(rules.warnings_for(title, [title, base])))
        base.birth_year = 1982
        assert names(rules.warnings_for(title, [title, base])) == []


# --- Streaks --------------------------------------------------------------------------

def test_chien_si_thi_dua_cap_tinh_needs_three_consecutive_years(app, make):
    for year in (2023, 2025):
        make.award("Trần Văn Nam", kind="chien-si-thi-dua-co-so", year=year,
                   number=f"{year}/QĐ-UBND")
    provincial = values("chien-si-thi-dua-cap-tinh", name="Trần Văn Nam",
                        issuer="Chủ tịch UBND tỉnh")
    with app.test_request_context():
        found = names(rules.warnings_for(provincial))
    assert any("còn thiếu năm 2024" in text for text in found)
    make.award("Trần Văn Nam", kind="chien-si-thi-dua-co-so", year=2024, number="2024b/QĐ-UBND")
    with app.test_request_context():
        assert rules.warnings_for(provincial) == []


def test_a_streak_counts_only_the_years_of_the_same_person(app, make):
    for year in (2023, 2024):
        make.award("Trần Văn Nam", kind="chien-si-thi-dua-co-so", year=year,
                   number=f"{year}/QĐ-UBND", birth_year=1970)
    make.award("Trần Văn Nam", kind="chien-si-thi-dua-co-so", year=2025,
               number="2025/QĐ-UBND", birth_year=1995)
    provincial = records.AwardValues(**{**values(
        "chien-si-thi-dua-cap-tinh", name="Trần Văn Nam",
        issuer="Chủ tịch UBND tỉnh").__dict__, "birth_year": 1970})
    with app.test_request_context():
        assert any("còn thiếu năm 2025" in text
                   for text in names(rules.warnings_for(provincial)))
    make.award("Trần Văn Nam", kind="chien-si-thi-dua-co-so", year=2025,
               number="2025b/QĐ-UBND")  # no year of birth: may be his
    with app.test_request_context():
        assert rules.warnings_for(provincial) == []


# --- Authority ------------------------------------------------------------------------

def test_commune_chairman_may_not_confer_chien_si_thi_dua_before_july_2025(app, make):
    make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", year=2024)
    make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", year=2025, number="9/QĐ-UBND")
    with app.test_request_context():
        before = values(year=2024, signed=date(2025, 6, 30), issuer="Chủ tịch UBND thị trấn")
        after = values(year=2025, signed=date(2025, 7, 1), issuer="Chủ tịch UBND thị trấn")
        found = names(rules.warnings_for(before))
        assert any("Thẩm quyền" in text and "Chủ tịch UBND cấp huyện" in text
                   and "Điều 80" in text for text in found)
        assert rules.warnings_for(after) == []


def test_a_district_chairman_is_refused_after_the_district_level_ended(app, make):
    make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", year=2025)
    with app.test_request_context():
        district = "Chủ tịch UBND huyện Phong Điền"
        assert rules.warnings_for(values(signed=date(2025, 6, 30), issuer=district)) == []
        found = names(rules.warnings_for(values(signed=date(2025, 7, 1), issuer=district)))
    assert any("Thẩm quyền" in text for text in found)


@pytest.mark.parametrize(("issuer", "level"), [
    ("Chủ tịch UBND thị trấn Phong Điền", "commune_chair"),
    ("UBND xã Hòa Bình", "commune_chair"),
    ("Chủ tịch UBND huyện Đông Anh", "district_chair"),
    ("Chủ tịch UBND thị xã Sơn Tây", "district_chair"),
    ("Chủ tịch UBND tỉnh Thừa Thiên Huế", "province_chair"),
    ("Ban Thường trực Ủy ban MTTQ Việt Nam thị trấn Phong Điền", "commune_front"),
    ("Ban Chấp hành Hội LHPN thị trấn", "commune_association"),
    ("Thủ tướng Chính phủ", "central"),
])
def test_the_issuing_body_is_read_from_the_issuer(issuer, level):
    assert rules.issuer_level(records.AwardValues(
        "individual", "A", None, None, 2025, "1", date(2025, 1, 1), issuer=issuer)) == level


# --- Recording: warnings never block --------------------------------------------------

AWARD = {
    "recipient_type": "individual", "recipient_name": "Lê Thị Mai",
    "recipient_title": "Chi hội trưởng", "organization": "hoi-lhpn",
    "kind": "chien-si-thi-dua-co-so", "year": "2025", "achievement": "Hoàn thành xuất sắc",
    "decision_number": "12/QĐ-UBND", "decision_date": "10/01/2026",
    "issuer": "Chủ tịch UBND thị trấn", "signer": "Trần Văn Hùng", "amount": "300.000",
}


def test_a_warning_never_blocks_saving_and_the_note_is_kept(app, make, client, auth):
    make.user("thuky", "secretary")
    auth.login("thuky")
    response = client.post("/awards/new", data={
        **AWARD, "note": "Hồ sơ LĐTT đang bổ sung", "csrf_token": auth.csrf_token("/awards/new")})
    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalar(db.select(Award))
        changes = json.loads(made.history[0].changes)
    assert made.history[0].action == "create"
    assert "Lao động tiên tiến năm 2025" in changes["warnings"][1]
    assert changes["note"][1] == "Hồ sơ LĐTT đang bổ sung"
    page = client.get(f"/awards/{made.id}").get_data(as_text=True)
    assert "Hồ sơ LĐTT đang bổ sung" in page


def test_a_post_with_only_the_contract_fields_still_saves(app, make, client, auth):
    make.user("thuky", "secretary")
    auth.login("thuky")
    token = auth.csrf_token("/awards/new")
    response = client.post("/awards/new", data={**AWARD, "csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(Award)).amount == 300_000


def test_checking_shows_warnings_and_the_suggested_money_without_saving(app, make, client,
                                                                        auth):
    make.user("thuky", "secretary")
    auth.login("thuky")
    response = client.post("/awards/new", data={
        **AWARD, "check_rules": "1", "csrf_token": auth.csrf_token("/awards/new")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "chưa có danh hiệu Lao động tiên tiến năm 2025" in page
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 23" in page
    assert "2.340.000" in page  # 1,0 × the base salary on 10/01/2026
    with app.app_context():
        assert db.session.scalar(db.select(Award)) is None


def test_the_suggest_endpoint_gives_the_rules_amount(app, make, client, auth):
    make.user("thuky", "secretary")
    auth.login("thuky")
    data = client.get("/awards/rules/suggest?kind=lao-dong-tien-tien&recipient_type=individual"
                      "&decision_date=15/01/2026").get_json()
    assert (data["amount"], data["formatted"]) == (710_000, "710.000")
    assert client.get("/awards/rules/suggest?kind=gia-dinh-van-hoa&recipient_type=household"
                      "&decision_date=15/01/2026").get_json() == {"amount": None}


def test_demo_awards_break_no_rule_in_force_at_their_decision_date(app):
    """Titles from the body that may confer them, amounts from the rules, prerequisites met."""
    with app.test_request_context():
        seed_awards(250)
        seed_awards(60)  # the one-by-one path
        awards = db.session.scalars(db.select(Award).order_by(Award.id)).all()
        for award in awards:
            found = rules.warnings_for(records.AwardValues(
                award.recipient_type, award.recipient_name, award.organization, award.kind,
                award.year, award.decision.number, award.decision.signed_on,
                award.recipient_title, award.achievement, award.decision.issuer,
                award.decision.signer, award.amount, initiative=award.initiative))
            assert found == [], (award.recipient_name, award.kind.name, names(found))
    kinds = {a.kind.slug for a in awards}
    assert "chien-si-thi-dua-co-so" in kinds and "lao-dong-tien-tien" in kinds
    women = [a for a in awards if a.organization.slug == "hoi-lhpn"
             and a.recipient_type == "individual"]
    assert women and all(" Văn " not in a.recipient_name for a in women)
    for award in awards:
        if award.recipient_name.startswith("Hộ ông "):
            assert " Thị " not in award.recipient_name


# --- The import: the same warnings, batched ---------------------------------------------

def rules_row(name: str, kind: str, number: str = "3/QĐ-UBND", initiative: str | None = None):
    """One import row of the export's layout, signed by the town chairman in January 2026
    (a "Sáng kiến" column follows when `initiative` is given)."""
    cells = in_export_layout(row(name, organization="Hội Liên hiệp Phụ nữ", award=kind,
                                 year=2025, number=number, signed=date(2026, 1, 10),
                                 issuer="Chủ tịch UBND thị trấn", amount=None))
    return cells if initiative is None else [*cells, initiative]


def rules_book(rows: list, initiative: bool = False) -> bytes:
    """A workbook of rules_row() rows."""
    headers = [*spreadsheets.HEADERS, *(["Sáng kiến"] if initiative else [])]
    return workbook(rows, headers=headers)


def test_an_imported_row_that_breaks_a_rule_is_warned_about_written_and_noted(app, client,
                                                                              make, auth):
    login_as(make, auth)
    page = upload(client, rules_book([rules_row("Lê Thị Mai", "Chiến sĩ thi đua cơ sở")]))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert fate_counts(html)["new"] == 1 and fate_counts(html)["error"] == 0
    assert "chưa có danh hiệu Lao động tiên tiến năm 2025" in html
    assert "Điều 23" in html and "chưa ghi sáng kiến" in html
    assert "1 dòng trái quy định khen thưởng" in html
    answer = client.post("/awards/import/confirm", data={
        **confirm_fields(html), "note": "Hồ sơ Lao động tiên tiến đang bổ sung"})
    assert answer.status_code == 303
    with app.app_context():
        made = db.session.scalar(db.select(Award))
        changes = json.loads(made.history[0].changes)
    assert made.history[0].action == "import"
    assert "Lao động tiên tiến năm 2025" in changes["warnings"][1]
    assert changes["note"] == [None, "Hồ sơ Lao động tiên tiến đang bổ sung"]


def test_an_overlong_import_note_is_cut_not_a_lost_confirm(app, client, make, auth):
    login_as(make, auth)
    html = upload(client, rules_book([rules_row("Lê Thị Mai", "Chiến sĩ thi đua cơ sở")])
                  ).get_data(as_text=True)
    answer = client.post("/awards/import/confirm", data={**confirm_fields(html),
                                                         "note": "Bổ sung hồ sơ. " * 400})
    assert answer.status_code == 303
    with app.app_context():
        changes = json.loads(db.session.scalar(db.select(Award)).history[0].changes)
    assert len(changes["note"][1]) == 2000 and changes["note"][1].startswith("Bổ sung hồ sơ.")


def test_a_prerequisite_in_the_same_file_or_on_record_meets_the_rule(app, client, make, auth):
    login_as(make, auth)
    make.award("Trần Thị Lan", kind="lao-dong-tien-tien", year=2025, number="1/QĐ-UBND")
    html = upload(client, rules_book([
        rules_row("Lê Thị Mai", "Chiến sĩ thi đua cơ sở", initiative="Sổ tay hội viên số"),
        rules_row("Lê Thị Mai", "Lao động tiên tiến", number="2/QĐ-UBND", initiative=""),
        rules_row("Trần Thị Lan", "Chiến sĩ thi đua cơ sở", initiative="Mô hình tiết kiệm"),
    ], initiative=True)).get_data(as_text=True)
    assert "row-warnings" not in html
    assert "trái quy định" not in html


def test_an_imported_namesake_born_another_year_does_not_meet_the_rule(app, client, make,
                                                                       auth):
    """The import's preloaded book tells namesakes apart by year of birth, on record and in
    the same file."""
    login_as(make, auth)
    make.award("Nguyễn Thị Hà", kind="lao-dong-tien-tien", year=2025, number="1/QĐ-UBND",
               birth_year=1999)
    born = spreadsheets.HEADERS.index("Năm sinh")

    def born_in(cells: list, year: int | None) -> list:
        """An import row with a year of birth."""
        cells[born] = year
        return cells

    html = upload(client, rules_book([
        born_in(rules_row("Nguyễn Thị Hà", "Chiến sĩ thi đua cơ sở", initiative="Sổ tay số"),
                1982),
        born_in(rules_row("Lê Thị Mai", "Chiến sĩ thi đua cơ sở", number="4/QĐ-UBND",
                          initiative="Mô hình tiết kiệm"), 1990),
        born_in(rules_row("Lê Thị Mai", "Lao động tiên tiến", number="2/QĐ-UBND",
                          initiative=""), 1991),
        born_in(rules_row("Trần Thị Lan", "Chiến sĩ thi đua cơ sở", number="5/QĐ-UBND",
                          initiative="Sổ tay hội viên"), 1975),
        born_in(rules_row("Trần Thị Lan", "Lao động tiên tiến", number="6/QĐ-UBND",
                          initiative=""), 1975),
    ], initiative=True)).get_data(as_text=True)
    missing = "chưa có danh hiệu Lao động tiên tiến năm 2025"
    # Rows 4 and 5: the namesake on record and the one in the file were born other years.
    assert [missing in row_details(html, n) for n in (4, 5, 6, 7, 8)] == [
        True, True, False, False, False]
    assert "2 dòng trái quy định khen thưởng" in html


def test_checking_the_rules_of_an_import_costs_no_query_per_row(app, make):

    def queries_for(count: int) -> int:
        """The statements a dry run of `count` Chiến sĩ thi đua rows sends."""
        data = rules_book([rules_row(f"Nguyễn Thị Hoa {i:04d}", "Chiến sĩ thi đua cơ sở")
                           for i in range(count)])
        seen = []
        with app.test_request_context():
            user = db.session.scalar(db.select(User).where(User.username == "thuky"))
            engine = db.engine
            note = lambda *args: seen.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", note)
            try:
                result = dryrun.dry_run(data, user)
            finally:
                event.remove(engine, "before_cursor_execute", note)
            assert len(result.warned) == count
        return len(seen)

    make.user("thuky", "secretary")
    assert queries_for(600) <= queries_for(20) + 6


# --- Money below the rule, wherever it is typed (issue 18) ----------------------------

UNROUNDED = {"kind": "lao-dong-tien-tien", "amount": "702.000", "year": "2025",
             "decision_date": "10/01/2026", "issuer": "Chủ tịch UBND thị trấn"}
MONEY_WARNING = "ghi 702.000 đ, mức theo quy định là 710.000 đ"


def test_the_award_form_warns_of_an_amount_below_the_rounded_rule(app, make, client, auth):
    make.user("thuky", "secretary")
    auth.login("thuky")
    response = client.post("/awards/new", data={
        **AWARD, **UNROUNDED, "check_rules": "1", "csrf_token": auth.csrf_token("/awards/new")})
    assert response.status_code == 200
    assert MONEY_WARNING in response.get_data(as_text=True)


def test_the_decision_form_warns_of_an_amount_below_the_rounded_rule(app, make, client, auth):
    make.user("thuky", "secretary")
    auth.login("thuky")
    response = client.post("/awards/decisions/new", data={
        "csrf_token": auth.csrf_token("/awards/decisions/new"), "check_rules": "1",
        "decision_number": "12/QĐ-UBND", "decision_date": "10/01/2026",
        "issuer": "Chủ tịch UBND thị trấn", "signer": "Trần Văn Hùng",
        "organization": "hoi-lhpn", "kind": "lao-dong-tien-tien", "year": "2025",
        "recipients-0-recipient_type": "individual", "recipients-0-recipient_name": "Lê Thị Mai",
        "recipients-0-amount": "702.000"})
    assert response.status_code == 200
    assert MONEY_WARNING in response.get_data(as_text=True)


def test_an_imported_amount_below_the_rounded_rule_is_warned_about(app, client, make, auth):
    login_as(make, auth)
    cells = in_export_layout(row("Lê Thị Mai", organization="Hội Liên hiệp Phụ nữ",
                                 award="Lao động tiên tiến", year=2025, number="3/QĐ-UBND",
                                 signed=date(2026, 1, 10), issuer="Chủ tịch UBND thị trấn",
                                 amount=702_000))
    html = upload(client, rules_book([cells])).get_data(as_text=True)
    assert fate_counts(html)["new"] == 1
    assert MONEY_WARNING in html
