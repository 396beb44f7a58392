"""A decision on paper (Nghị định 30/2020 layout), its annex by kind, the payout list, the
certificates and the positions remembered for pre-printed blanks."""

import json
from datetime import date

from bulletin.awards import letterhead, records
from bulletin.extensions import db
from bulletin.models import Decision, SiteSettings
from tests.test_award_decisions import login
from tests.test_award_papers import text_of

LAYOUT_FIELDS = ("authority", "name", "unit", "achievement", "decision", "place_date", "signer",
                 "signer_name")


def commune_decision(make):
    """A decision of the commune's chairman: two kinds, a collective, a household, people,
    one line voided."""
    common = {"number": "12/QĐ-UBND", "signed_on": date(2026, 1, 20), "year": 2025,
              "issuer": "Chủ tịch UBND xã Tân Lập", "organization": "hoi-lhpn",
              "achievement": "Có thành tích xuất sắc trong phong trào thi đua năm 2025"}
    make.award("Nguyễn Thị Hoa", amount=700_000, recipient_title="Chi hội trưởng",
               sex="female", **common)
    make.award("Chi hội Phụ nữ thôn 3", recipient_type="collective", amount=1_400_000,
               **common)
    make.award("Trần Văn Bình", kind="lao-dong-tien-tien", amount=500_000, sex="male",
               **{**common, "organization": "hoi-ccb"})
    make.award("Hộ bà Lường Thị Xuân", recipient_type="household", amount=700_000, **common)
    voided = make.award("Lê Văn Đức", amount=700_000, **common)
    records.void_award(voided, "Nhập nhầm người")
    decision = voided.decision
    decision.signing_mode, decision.signer_title = "KT", "Phó Chủ tịch"
    decision.signer = "Đinh Văn Sơn"
    decision.subject = "Khen thưởng các tập thể, cá nhân có thành tích năm 2025"
    decision.legal_grounds = ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
                              "Xét đề nghị của Hội Liên hiệp Phụ nữ xã")
    db.session.commit()
    return decision


def test_heading_is_two_lines_and_dates_take_leading_zeros():
    assert letterhead.split_name("UBND xã Tân Lập") == ["Ủy ban nhân dân", "xã Tân Lập"]
    assert letterhead.split_name("Ủy ban MTTQ xã Tân Lập") == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam", "xã Tân Lập"]
    assert letterhead.dated(date(2026, 1, 20)) == "ngày 20 tháng 01 năm 2026"
    assert letterhead.dated(date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"


def test_a_standing_committee_signs_on_behalf_under_its_committees_heading():
    decision = Decision(issuer="Ban Thường trực Ủy ban MTTQ xã Tân Lập", signing_mode="TM",
                        signer_title="Chủ tịch", signer="Hà Văn Tuấn", signed_on=date(2026, 1, 5))
    assert letterhead.decision_heading(decision).body_lines == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam", "xã Tân Lập"]
    signed = letterhead.signature(decision)
    assert signed.mode_line == "TM. BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ TÂN LẬP"
    assert (signed.title, signed.name) == ("CHỦ TỊCH", "Hà Văn Tuấn")
    assert letterhead.authority(decision) == \
        "BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ TÂN LẬP"


def test_decision_paper_has_every_part_of_the_decree_layout(client, auth, make):
    decision = commune_decision(make)
    login(auth, make)
    response = client.get(f"/awards/decisions/{decision.id}/paper")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    assert '<p class="body-name">ỦY BAN NHÂN DÂN</p><p class="body-name">XÃ TÂN LẬP</p>' in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 12/QĐ-UBND" in text
    assert "Tân Lập, ngày 20 tháng 01 năm 2026" in text
    assert "QUYẾT ĐỊNH Về việc khen thưởng các tập thể, cá nhân có thành tích năm 2025" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN LẬP" in text
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
    assert "Xét đề nghị của Hội Liên hiệp Phụ nữ xã." in text
    assert text.index("QUYẾT ĐỊNH:") < text.index("Điều 1.") < text.index("Điều 2.") \
        < text.index("Điều 3.")
    assert "Tặng Giấy khen cho 2 tập thể, hộ gia đình và 1 cá nhân" in text
    assert "Công nhận danh hiệu Lao động tiên tiến năm 2025 cho 1 cá nhân" in text
    assert "3.300.000 đồng" in text  # the voided line left out
    assert "Quỹ thi đua, khen thưởng của Ủy ban nhân dân xã Tân Lập" in text
    assert "Hội" in text[text.index("Điều 3."):]
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đinh Văn Sơn" in text
    assert "Nơi nhận: - Như Điều 3; - Lưu: VT." in text
    assert "Lê Văn Đức" not in text


def test_annex_has_one_section_per_kind_collectives_first(client, auth, make):
    decision = commune_decision(make)
    login(auth, make)
    text = text_of(client.get(f"/awards/decisions/{decision.id}/annex").get_data(as_text=True))
    giay_khen, title = text.index("I. Giấy khen"), text.index("II. Lao động tiên tiến")
    assert giay_khen < text.index("Chi hội Phụ nữ thôn 3") < text.index("Hộ bà Lường Thị Xuân") \
        < text.index("Nguyễn Thị Hoa") < title < text.index("Trần Văn Bình")
    assert "Ký nhận" not in text
    assert "Ba triệu ba trăm nghìn đồng" in text


def test_payout_list_pays_awards_in_force_against_signatures(client, auth, make):
    decision = commune_decision(make)
    login(auth, make)
    response = client.get(f"/awards/decisions/{decision.id}/payout")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "DANH SÁCH CHI TIỀN THƯỞNG" in text.upper()
    assert "Theo Quyết định số 12/QĐ-UBND ngày 20 tháng 01 năm 2026" in text
    assert "Ký nhận" in text and "Chức vụ, đơn vị" in text
    assert "Chi hội trưởng, Hội Liên hiệp Phụ nữ" in text or "Chi hội trưởng, Hội LHPN" in text
    assert "Lê Văn Đức" not in text
    assert "Tổng cộng 3.300.000" in text
    assert "Ba triệu ba trăm nghìn đồng" in text
    assert "KẾ TOÁN" in text


def test_certificates_are_one_sheet_per_recipient_in_force(client, auth, make):
    decision = commune_decision(make)
    login(auth, make)
    page = client.get(f"/awards/decisions/{decision.id}/certificates").get_data(as_text=True)
    assert page.count('<section class="sheet">') == 4
    text = text_of(page)
    assert "Lê Văn Đức" not in text
    assert "TẶNG GIẤY KHEN Bà Nguyễn Thị Hoa Chi hội trưởng" in text
    assert "CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2025 Ông Trần Văn Bình" in text
    assert "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025." in text
    assert "Quyết định số 12/QĐ-UBND ngày 20 tháng 01 năm 2026" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN LẬP" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_blank_certificates_print_only_the_texts_at_the_remembered_positions(
        client, auth, make):
    decision = commune_decision(make)
    login(auth, make)
    page = client.get(f"/awards/decisions/{decision.id}/certificates?blank=1")
    html = page.get_data(as_text=True)
    assert html.count('<section class="sheet blank">') == 4
    assert "CỘNG HÒA XÃ HỘI" not in html and "TẶNG" not in text_of(html).split("Bà")[0][-20:]
    assert "/awards/certificates/layout.css" in html
    data = {"csrf_token": auth.csrf_token("/awards/certificates/layout"), "dx": "3,5",
            "dy": "-2", **{key: "100" for key in LAYOUT_FIELDS}}
    data["name"] = "91"
    response = client.post(f"/awards/certificates/layout?decision={decision.id}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/awards/decisions/{decision.id}/certificates?blank=1")
    stored = json.loads(db.session.get(SiteSettings, 1).certificate_layout)
    assert stored["dx"] == 3.5 and stored["name"] == 91.0
    css = client.get("/awards/certificates/layout.css").get_data(as_text=True)
    assert ".sheet.blank .name { top: 89.0mm; }" in css  # 91 less the 2 mm shift
    assert "translate: 3.5mm 0" in css


def test_layout_form_refuses_a_position_off_the_page(client, auth, make):
    login(auth, make)
    before = client.get("/awards/certificates/layout.css").get_data(as_text=True)
    data = {"csrf_token": auth.csrf_token("/awards/certificates/layout"), "dx": "0",
            "dy": "0", **{key: "100" for key in LAYOUT_FIELDS}}
    data["name"] = "500"
    response = client.post("/awards/certificates/layout", data=data)
    assert response.status_code == 422
    assert "Nhập một số từ 0 đến 210 mm." in response.get_data(as_text=True)
    assert client.get("/awards/certificates/layout.css").get_data(as_text=True) == before


def test_only_registry_secretaries_and_admins_adjust_the_layout(client, auth, make):
    login(auth, make, orgs=["hoi-lhpn"], username="lhpn")
    assert client.get("/awards/certificates/layout").status_code == 403
    auth.logout()
    login(auth, make, username="thuky")
    assert client.get("/awards/certificates/layout").status_code == 200


def test_papers_of_a_decision_are_for_staff_who_may_see_it(client, auth, make):
    decision = commune_decision(make)
    login(auth, make, orgs=["doan-tncs"], username="doan")
    for paper in ("paper", "payout", "certificates"):
        assert client.get(f"/awards/decisions/{decision.id}/{paper}").status_code == 403
