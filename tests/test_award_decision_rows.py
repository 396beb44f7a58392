"""The decision form's rows: year of birth, initiative and organization per row, and rows
pasted from Excel read by their header."""

import html
import re

from bulletin.awards import pasting
from bulletin.extensions import db
from bulletin.models import Award
from tests.test_award_decisions import (
    LAST_YEAR,
    counts,
    decision_form,
    field_error,
    login,
    post_decision,
)

CSTDCS = "chien-si-thi-dua-co-so"
NO_INITIATIVE = "chưa ghi sáng kiến"


def selected(page: str, name: str) -> str:
    """The value chosen in the select named `name` ('' when none)."""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    chosen = re.search(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"|'
                       r'<option[^>]*value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return (chosen.group(1) or chosen.group(2) or "") if chosen else ""


def value_of(page: str, name: str) -> str:
    """The value of the text input named `name`."""
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else ""


def saved() -> list[Award]:
    """The awards in the database, in their line order."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(Award).order_by(Award.line_no)))


def test_decision_rows_offer_birth_year_initiative_and_organization(client, auth, make):
    login(auth, make)
    page = client.get("/awards/decisions/new").get_data(as_text=True)
    for field in ("birth_year", "initiative", "organization"):
        assert len(re.findall(rf'name="recipients-\d+-{field}"', page)) == 5, field
    assert "— như trên —" in page


def test_an_initiative_typed_in_a_cstdcs_row_clears_the_warning_and_is_stored(
        client, auth, make):
    login(auth, make)
    rows = [{"recipient_name": "Nguyễn Thị Hoa", "kind": CSTDCS},
            {"recipient_name": "Trần Văn Nam", "kind": CSTDCS,
             "initiative": "Sổ tay hội viên số"}]
    checked = post_decision(client, auth, decision_form(rows, check_rules="1"))
    assert checked.status_code == 200
    page = checked.get_data(as_text=True)
    row_boxes = re.findall(r'<fieldset class="recipient-row.*?</fieldset>', page, re.S)
    assert NO_INITIATIVE in row_boxes[0] and NO_INITIATIVE not in row_boxes[1]
    assert value_of(page, "recipients-1-initiative") == "Sổ tay hội viên số"
    rows[0]["initiative"] = "Mô hình tiết kiệm"
    response = post_decision(client, auth, decision_form(rows))
    assert response.status_code == 303
    assert [(a.recipient_name, a.initiative) for a in saved()] == [
        ("Nguyễn Thị Hoa", "Mô hình tiết kiệm"), ("Trần Văn Nam", "Sổ tay hội viên số")]
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert NO_INITIATIVE not in follow


def test_a_rows_own_organization_and_birth_year_are_stored(client, auth, make):
    login(auth, make)
    rows = [{"recipient_name": "Lê Văn Đức", "organization": "hoi-ccb", "birth_year": "1958"},
            {"recipient_name": "Nguyễn Thị Hoa", "organization": "", "birth_year": ""}]
    response = post_decision(client, auth, decision_form(rows))
    assert response.status_code == 303
    assert [(a.recipient_name, a.organization.slug, a.birth_year) for a in saved()] == [
        ("Lê Văn Đức", "hoi-ccb", 1958), ("Nguyễn Thị Hoa", "hoi-lhpn", None)]


def test_a_wrong_birth_year_is_refused_on_its_row_keeping_every_value(client, auth, make):
    login(auth, make)
    rows = [{"recipient_name": "Lê Văn Đức", "organization": "hoi-ccb", "birth_year": "1850",
             "initiative": "Vườn mẫu"},
            {"recipient_type": "collective", "recipient_name": "Chi hội khu 3",
             "birth_year": "1990"},
            {"recipient_name": "Nguyễn Thị Hoa", "birth_year": "năm ngoái"}]
    response = post_decision(client, auth, decision_form(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert counts() == (0, 0)
    assert "Năm sinh phải từ" in field_error(page, "recipients-0-birth_year")
    assert "chỉ ghi cho cá nhân" in field_error(page, "recipients-1-birth_year")
    assert field_error(page, "recipients-2-birth_year")
    assert field_error(page, "recipients-0-recipient_name") == ""
    assert value_of(page, "recipients-0-birth_year") == "1850"
    assert value_of(page, "recipients-2-birth_year") == "năm ngoái"
    assert value_of(page, "recipients-0-initiative") == "Vườn mẫu"
    assert selected(page, "recipients-0-organization") == "hoi-ccb"


def test_a_too_long_initiative_is_refused_on_its_row(client, auth, make):
    login(auth, make)
    rows = [{"recipient_name": "Lê Văn Đức", "initiative": "x" * 501}]
    response = post_decision(client, auth, decision_form(rows))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "recipients-0-initiative")
    assert counts() == (0, 0)


def test_a_pasted_block_with_a_header_is_read_by_its_columns(client, auth, make):
    login(auth, make)
    pasted = ("STT\tHọ và tên\tNăm sinh\tChức vụ\tĐơn vị\tThành tích\n"
              "1\tLê Văn Đức\t1958\tChi hội trưởng\tHội CCB\tGương mẫu\n"
              "2\tPhạm Thị Lan\t12/03/1985\tỦy viên\tHội Liên hiệp Phụ nữ\tXuất sắc\n"
              "3\tChi hội khu 5\t\t\thoi-nong-dan\tVững mạnh\n")
    data = decision_form([{"recipient_name": "Nguyễn Thị Hoa"}], paste=pasted, fill_rows="1")
    page = post_decision(client, auth, data).get_data(as_text=True)
    assert counts() == (0, 0)
    got = [(value_of(page, f"recipients-{n}-recipient_name"),
            value_of(page, f"recipients-{n}-birth_year"),
            value_of(page, f"recipients-{n}-recipient_title"),
            selected(page, f"recipients-{n}-organization")) for n in range(4)]
    assert got == [("Nguyễn Thị Hoa", "", "", ""),
                   ("Lê Văn Đức", "1958", "Chi hội trưởng", "hoi-ccb"),
                   ("Phạm Thị Lan", "1985", "Ủy viên", "hoi-lhpn"),
                   ("Chi hội khu 5", "", "", "hoi-nong-dan")]
    assert selected(page, "recipients-3-recipient_type") == "collective"
    assert "Gương mẫu" in page


def test_a_pasted_header_in_another_order_with_initiative_and_kind(client, auth, make):
    login(auth, make)
    pasted = ("TT\tHỌ TÊN\tHình thức\tSáng kiến/Đề tài\tSố tiền\tTổ chức/Đơn vị\tNgày sinh\n"
              "1\tTrần Văn Nam\tChiến sĩ thi đua cơ sở\tSổ tay hội viên số\t1.000.000\t"
              "Hội CCB\t1960\n")
    page = post_decision(client, auth, decision_form([], paste=pasted, fill_rows="1")) \
        .get_data(as_text=True)
    assert value_of(page, "recipients-0-initiative") == "Sổ tay hội viên số"
    assert value_of(page, "recipients-0-amount") == "1.000.000"
    assert value_of(page, "recipients-0-birth_year") == "1960"
    assert selected(page, "recipients-0-kind") == CSTDCS
    assert selected(page, "recipients-0-organization") == "hoi-ccb"


def test_a_pasted_organization_not_offered_is_left_to_the_default_and_reported(
        client, auth, make):
    login(auth, make)
    pasted = "Họ và tên\tĐơn vị\nLê Văn Đức\tHội Người cao tuổi\n"
    page = post_decision(client, auth, decision_form([], paste=pasted, fill_rows="1")) \
        .get_data(as_text=True)
    assert value_of(page, "recipients-0-recipient_name") == "Lê Văn Đức"
    assert selected(page, "recipients-0-organization") == ""
    assert value_of(page, "recipients-0-recipient_title") == ""
    assert "Không thấy trong danh sách được chọn: Hội Người cao tuổi" in html.unescape(page)


def test_header_words_are_recognised_without_diacritics_or_case():
    assert [pasting.header_field(cell) for cell in (
        "STT", "HỌ VÀ TÊN", "Ho ten", "Tên tập thể", "Năm sinh", "Ngày sinh", "Chức vụ",
        "Tổ chức/Đơn vị", "Hình thức khen thưởng", "Thành tích", "Số tiền (đồng)",
        "Sáng kiến", "Đề tài", "Năm thành tích", "Ghi chú")] == [
        "", "recipient_name", "recipient_name", "recipient_name", "birth_year", "birth_year",
        "recipient_title", "organization", "kind", "achievement", "amount", "initiative",
        "initiative", "year", None]
    assert pasting.header_columns(["Lê Văn Đức", "1958", "Chi hội trưởng"]) is None


def test_the_decision_year_default_still_applies_to_rows_with_a_birth_year(client, auth, make):
    login(auth, make)
    response = post_decision(client, auth, decision_form(
        [{"recipient_name": "Lê Văn Đức", "birth_year": "1958"}]))
    assert response.status_code == 303
    assert [(a.year, a.birth_year) for a in saved()] == [(LAST_YEAR, 1958)]
