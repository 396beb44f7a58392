"""The secretary's papers and reports: the annex of a decision, the yearly summary (page and
Excel) and book, eligibility over several years, and the decision form as she works.
"""

import html
import io
import re
from datetime import date

from openpyxl import load_workbook

from bulletin.awards import queries, records
from bulletin.awards.queries import AwardFilters
from bulletin.awards.summaries import HEADER_ROW
from bulletin.extensions import db
from bulletin.models import Award, Decision
from tests.test_award_decisions import ROWS, decision_form, login, post_decision

THIS_YEAR = records.today().year


def text_of(page: str) -> str:
    """A page's visible text, tags dropped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" ,", ",")


def annex_decision(make) -> Decision:
    """A decision of 20/12/2025 with two individuals, a collective, a household, one voided."""
    common = {"number": "31/QĐ-UBND", "signed_on": date(2025, 12, 20), "year": 2025,
              "issuer": "Chủ tịch UBND thị trấn Phong Điền", "kind": "giay-khen"}
    make.award("Nguyễn Thị Hoa", amount=710_000, recipient_title="Chi hội trưởng", **common)
    make.award("Chi hội Phụ nữ khu 3", recipient_type="collective", amount=1_410_000,
               **common)
    voided = make.award("Lê Văn Đức", amount=710_000, **common)
    make.award("Hộ ông Trần Văn Nam", recipient_type="household", amount=710_000, **common)
    records.void_award(voided, "Nhập nhầm người")
    decision = voided.decision
    decision.signing_mode, decision.signer_title = "KT", "Phó Chủ tịch"
    db.session.commit()
    return decision


def test_annex_lists_live_awards_collectives_first_with_total_in_words(client, auth, make):
    decision = annex_decision(make)
    login(auth, make)
    response = client.get(f"/awards/decisions/{decision.id}/annex")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "Kèm theo Quyết định số 31/QĐ-UBND ngày 20 tháng 12 năm 2025" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Lê Văn Đức" not in text
    assert text.index("Chi hội Phụ nữ khu 3") < text.index("Hộ ông Trần Văn Nam") \
        < text.index("Nguyễn Thị Hoa")
    assert "2.830.000" in text  # 1.410.000 + 710.000 + 710.000, the voided line left out
    assert "Hai triệu tám trăm ba mươi nghìn đồng" in text
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text
    assert "Ký nhận" not in text  # signatures belong on the payout list
    assert "ỦY BAN NHÂN DÂN THỊ TRẤN PHONG ĐIỀN" in text  # two lines: body, then its place
    assert "<form" not in response.get_data(as_text=True)


def test_annex_is_for_staff_who_may_see_the_decision(client, auth, make):
    decision = annex_decision(make)
    login(auth, make, orgs=["hoi-ccb"], username="ccb")
    assert client.get(f"/awards/decisions/{decision.id}/annex").status_code == 403
    auth.logout()
    assert client.get(f"/awards/decisions/{decision.id}/annex").status_code == 302


def yearly_fixture(make) -> None:
    """Awards of 2024 and 2025, one of 2025 signed in 2026, one voided."""
    make.award("Nguyễn Thị Hoa", year=2025, amount=710_000, organization="hoi-lhpn")
    make.award("Trần Thị Lan", year=2025, amount=710_000, organization="hoi-lhpn",
               kind="lao-dong-tien-tien", number="2/QĐ-UBND")
    make.award("Chi đoàn khu 2", year=2025, amount=1_410_000, organization="doan-tncs",
               recipient_type="collective", number="3/QĐ-ĐTN", signed_on=date(2026, 1, 5))
    make.award("Lê Văn Hùng", year=2024, amount=540_000, organization="hoi-ccb")
    voided = make.award("Phạm Văn Tâm", year=2025, amount=999_000, organization="hoi-ccb",
                        number="4/QĐ-UBND")
    records.void_award(voided, "Trùng")
    db.session.commit()


def test_yearly_report_total_equals_the_registry_total_for_the_year(client, auth, make):
    yearly_fixture(make)
    login(auth, make)
    registry = queries.summarize(queries.filtered(AwardFilters(year=2025), None))
    assert registry.amount == 2_830_000
    page = client.get("/awards/reports/yearly?year=2025").get_data(as_text=True)
    total = re.search(r'class="num total-amount">([\d.]+)<', page).group(1)
    assert total == "2.830.000"
    listing = text_of(client.get("/awards/?year=2025").get_data(as_text=True))
    assert "Tổng tiền thưởng: 2.830.000 đồng" in listing
    lhpn = text_of(client.get("/awards/reports/yearly?year=2025&org=hoi-lhpn")
                   .get_data(as_text=True))
    assert "1.420.000" in lhpn and "Đoàn" not in lhpn.split("Tổng hợp khen thưởng")[-1] \
        .split("Tổng cộng")[0].split("Tổ chức")[-1]


def test_yearly_workbook_has_counts_and_money_with_totals(client, auth, make):
    yearly_fixture(make)
    login(auth, make)
    response = client.get("/awards/reports/yearly.xlsx?year=2025")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Tổng cộng"
    assert rows[-1][-2:] == (3, 2_830_000)
    organizations = [row[0] for row in rows[HEADER_ROW:-1]]
    assert organizations == ["Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"]
    assert client.get("/awards/reports/yearly.xlsx?year=2025&org=nope").status_code == 404


def test_yearly_book_lists_the_year_of_achievement(client, auth, make):
    yearly_fixture(make)
    login(auth, make)
    text = text_of(client.get("/awards/reports/book?year=2025").get_data(as_text=True))
    assert "Chi đoàn khu 2" in text and "Lê Văn Hùng" not in text
    assert "Phạm Văn Tâm" not in text
    assert "Hai triệu tám trăm ba mươi nghìn đồng" in text


def test_eligibility_report_over_several_years(client, auth, make):
    # Lao động tiên tiến in 2025 for two people; one already has the title.
    for name in ("Nguyễn Thị Hoa", "Trần Văn Nam"):
        make.award(name, kind="lao-dong-tien-tien", year=2025, number=f"{len(name)}/QĐ-UBND")
    make.award("Lê Thị Mai", kind="lao-dong-tien-tien", year=2024, number="7/QĐ-UBND")
    make.award("Trần Văn Nam", kind="chien-si-thi-dua-co-so", year=2025, number="8/QĐ-UBND")
    # Chiến sĩ thi đua cơ sở 2023–2025 for one, 2023 and 2025 for another.
    for year in (2023, 2024, 2025):
        make.award("Đỗ Minh Tuấn", kind="chien-si-thi-dua-co-so", year=year,
                   number=f"{year}/QĐ-UBND")
    for year in (2023, 2025):
        make.award("Võ Thị Thu", kind="chien-si-thi-dua-co-so", year=year,
                   number=f"{year}b/QĐ-UBND")
    login(auth, make)
    page = client.get("/awards/reports/eligible?year=2025&kind=chien-si-thi-dua-co-so")
    text = text_of(page.get_data(as_text=True))
    assert "Nguyễn Thị Hoa" in text and "Lê Thị Mai" not in text
    assert "Đã được tặng" in text  # Trần Văn Nam
    provincial = text_of(client.get(
        "/awards/reports/eligible?year=2025&kind=chien-si-thi-dua-cap-tinh")
        .get_data(as_text=True))
    tuan = provincial.split("Đỗ Minh Tuấn")[1].split("Võ Thị Thu")[0]
    assert "Đủ điều kiện" in tuan and "2023" in tuan and "2024" in tuan
    thu = provincial.split("Võ Thị Thu")[1]
    assert "Còn thiếu: Chiến sĩ thi đua cơ sở năm 2024" in thu
    assert provincial.index("Đỗ Minh Tuấn") < provincial.index("Võ Thị Thu")
    assert client.get("/awards/reports/eligible?year=2025&kind=nope").status_code == 404
    workbook = client.get("/awards/reports/eligible.xlsx?year=2025&kind=chien-si-thi-dua-cap-tinh")
    assert workbook.status_code == 200
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(values_only=True))
    assert "Chiến sĩ thi đua cấp tỉnh năm 2025" in rows[4][0]
    by_name = {row[1]: row for row in rows[HEADER_ROW:]}
    assert by_name["Đỗ Minh Tuấn"][5] == "Đủ điều kiện"
    assert "2023 (2023/QĐ-UBND)" in by_name["Đỗ Minh Tuấn"][4]
    assert by_name["Võ Thị Thu"][5] == "Còn thiếu: Chiến sĩ thi đua cơ sở năm 2024"
    assert [row[1] for row in rows[HEADER_ROW:]].index("Đỗ Minh Tuấn") < \
        [row[1] for row in rows[HEADER_ROW:]].index("Võ Thị Thu")
    assert client.get("/awards/reports/eligible.xlsx?year=2025").status_code == 404


# --- The decision form ------------------------------------------------------------------

def saved_awards() -> list[Award]:
    """Every award, in line order."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(Award).order_by(Award.line_no)))


def test_decision_defaults_give_every_row_achievement_and_amount(client, auth, make):
    login(auth, make)
    rows = [{"recipient_name": "Nguyễn Thị Hoa"}, {"recipient_name": "Trần Thị Lan",
                                                   "amount": "500.000"}]
    data = decision_form(rows, achievement="Hoàn thành xuất sắc nhiệm vụ", amount="710.000",
                         signing_mode="TM", decision_type="regular",
                         legal_grounds="Căn cứ Luật Thi đua, khen thưởng 2022;",
                         campaign="Phụ nữ tích cực học tập, lao động sáng tạo")
    assert post_decision(client, auth, data).status_code == 303
    first, second = saved_awards()
    assert (first.achievement, first.amount) == ("Hoàn thành xuất sắc nhiệm vụ", 710_000)
    assert (second.achievement, second.amount) == ("Hoàn thành xuất sắc nhiệm vụ", 500_000)
    decision = first.decision
    assert (decision.signing_mode, decision.decision_type) == ("TM", "regular")
    assert decision.campaign.startswith("Phụ nữ") and decision.legal_grounds


def test_rows_pasted_from_excel_fill_the_form_without_losing_typed_rows(client, auth, make):
    login(auth, make)
    pasted = ("STT\tHọ và tên\tChức vụ\tThành tích\tSố tiền\n"
              "1\tLê Thị Mai\tChi hội trưởng\tXuất sắc\t710.000\n"
              "2\tChi hội Phụ nữ khu 5\tVững mạnh\t1.410.000\n"
              "3\tHộ bà Phạm Thị Lan\tGia đình tiêu biểu\t\n")
    data = decision_form([{"recipient_name": "Nguyễn Thị Hoa"}], paste=pasted, fill_rows="1")
    response = post_decision(client, auth, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in ("Nguyễn Thị Hoa", "Lê Thị Mai", "Chi hội Phụ nữ khu 5", "Hộ bà Phạm Thị Lan"):
        assert f'value="{name}"' in page
    assert 'value="710.000"' in page and 'value="Chi hội trưởng"' in page
    assert re.search(r'name="recipients-2-recipient_type"[^>]*>.*?<option selected value='
                     r'"collective"', page, re.S) or \
        re.search(r'<option[^>]*value="collective"[^>]*selected', page)
    assert saved_awards() == []


def test_fill_amounts_puts_the_rules_money_in_empty_rows(client, auth, make):
    login(auth, make)
    data = decision_form([{"recipient_name": "Nguyễn Thị Hoa"},
                          {"recipient_name": "Chi hội khu 1", "recipient_type": "collective"}],
                         decision_date="20/12/2025", year="2025", fill_amounts="1")
    page = post_decision(client, auth, data).get_data(as_text=True)
    assert 'name="recipients-0-amount" type="text" value="710.000"' in page \
        or re.search(r'name="recipients-0-amount"[^>]*value="710.000"', page)
    assert re.search(r'name="recipients-1-amount"[^>]*value="1.410.000"', page)
    assert saved_awards() == []


def test_decision_rows_with_warnings_still_save_and_keep_the_note(client, auth, make):
    login(auth, make)
    data = decision_form([{"recipient_name": "Nguyễn Thị Hoa"}], kind="chien-si-thi-dua-co-so",
                         decision_date="20/12/2025", year="2025", note="Bổ sung sau")
    checked = post_decision(client, auth, {**data, "check_rules": "1"})
    assert checked.status_code == 200
    assert "chưa có danh hiệu Lao động tiên tiến năm 2025" in text_of(
        checked.get_data(as_text=True))
    assert saved_awards() == []
    assert post_decision(client, auth, data).status_code == 303
    (award,) = saved_awards()
    assert "Lao động tiên tiến" in award.history[0].changes
    assert "Bổ sung sau" in award.history[0].changes


def test_decision_page_lists_collectives_first_and_links_the_annex(client, auth, make):
    login(auth, make)
    post_decision(client, auth, decision_form(ROWS))
    decision = db.session.scalar(db.select(Decision))
    page = client.get(f"/awards/decisions/{decision.id}").get_data(as_text=True)
    assert page.index("Chi hội Phụ nữ khu 3") < page.index("Nguyễn Thị Hoa")
    assert f"/awards/decisions/{decision.id}/annex" in page


def test_void_a_whole_decision_with_one_reason(client, auth, make):
    login(auth, make)
    post_decision(client, auth, decision_form(ROWS))
    decision = db.session.scalar(db.select(Decision))
    path = f"/awards/decisions/{decision.id}/void"
    token = auth.csrf_token(f"/awards/decisions/{decision.id}")
    assert client.post(path, data={"csrf_token": token, "reason": ""}).status_code == 422
    assert not any(a.is_voided for a in saved_awards())
    response = client.post(path, data={"csrf_token": token, "reason": "Quyết định bị thu hồi"})
    assert response.status_code == 303
    awards = saved_awards()
    assert all(a.is_voided and a.void_reason == "Quyết định bị thu hồi" for a in awards)
    assert all(a.history[-1].action == "void" for a in awards)


def test_a_secretary_limited_to_some_organizations_cannot_void_a_shared_decision(
        client, auth, make):
    login(auth, make, role="admin", username="boss")
    post_decision(client, auth, decision_form(ROWS))
    decision = db.session.scalar(db.select(Decision))
    auth.logout()
    login(auth, make, orgs=["hoi-ccb"], username="ccb")
    response = client.post(f"/awards/decisions/{decision.id}/void",
                           data={"csrf_token": auth.csrf_token("/"), "reason": "Thu hồi"})
    assert response.status_code == 403
    assert not any(a.is_voided for a in saved_awards())


def test_a_draft_post_cannot_be_linked_or_shown_by_a_secretary(client, auth, make):
    draft = make.post(title="Dự thảo nhân sự đại hội", status="draft")
    login(auth, make)
    response = post_decision(client, auth, decision_form(ROWS[:1], post=str(draft.id)))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dự thảo nhân sự" not in page
    assert "Không tìm thấy bài viết" in page
    assert saved_awards() == []


def test_streak_report_lists_consecutive_years_up_to_the_year(client, auth, make):
    for year in (2022, 2023, 2024, 2025):
        make.award("Đỗ Minh Tuấn", kind="chien-si-thi-dua-co-so", year=year,
                   number=f"{year}/QĐ-UBND")
    for year in (2023, 2025):
        make.award("Võ Thị Thu", kind="chien-si-thi-dua-co-so", year=year,
                   number=f"{year}b/QĐ-UBND")
    login(auth, make)
    text = text_of(client.get("/awards/reports/streaks?kind=chien-si-thi-dua-co-so"
                              "&year=2025&min=3").get_data(as_text=True))
    assert "Đỗ Minh Tuấn" in text and "2022, 2023, 2024, 2025" in text
    assert "Võ Thị Thu" not in text
    earlier = text_of(client.get("/awards/reports/streaks?kind=chien-si-thi-dua-co-so"
                                 "&year=2023&min=2").get_data(as_text=True))
    assert "Đỗ Minh Tuấn" in earlier and "2022, 2023" in earlier and "2024" not in earlier
    workbook = client.get("/awards/reports/streaks.xlsx?kind=chien-si-thi-dua-co-so"
                          "&year=2025&min=3")
    assert workbook.status_code == 200
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(values_only=True))
    assert rows[HEADER_ROW][1:] == ("Đỗ Minh Tuấn", "Cá nhân", "Ủy ban Mặt trận Tổ quốc Việt Nam",
                                    4, "2022, 2023, 2024, 2025", None)
    assert len(rows) == HEADER_ROW + 1  # Võ Thị Thu's 2023 and 2025 are not consecutive


def test_a_decision_page_hides_the_title_of_a_post_that_became_a_draft(client, auth, make):
    post = make.post(title="Hội nghị tổng kết năm")
    login(auth, make)
    post_decision(client, auth, decision_form(ROWS[:1], post=str(post.id)))
    decision = db.session.scalar(db.select(Decision))
    assert "Hội nghị tổng kết năm" in client.get(f"/awards/decisions/{decision.id}") \
        .get_data(as_text=True)
    post.status = "draft"
    post.title = "Dự thảo nhân sự đại hội"
    db.session.commit()
    page = client.get(f"/awards/decisions/{decision.id}").get_data(as_text=True)
    assert "Dự thảo nhân sự" not in page
