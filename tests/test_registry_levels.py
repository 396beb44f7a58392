"""Who confers, explicitly (issue 18 item 8), and a person's sex and ethnicity (issue 19 item 9).

The issuing body's level is chosen on the single form, the decision form and the decision's
edit (pre-filled from the typed issuer, which stays as typed), read from an import's column or
its issuer, checked by the authority rules by the decision's date, shown on the pages, in the
history and in the export. Place names never read as bodies or levels.
"""

import html
import io
import re
from datetime import date

import pytest
from openpyxl import Workbook

from bulletin.awards import issuers, records, rules, spreadsheets
from bulletin.awards.pasting import parse_pasted
from bulletin.extensions import db
from bulletin.models import Award, AwardHistory, AwardRule, Decision
from tests.factories import award_kind, org
from tests.test_awards_export import (
    COL,
    confirm_fields,
    data_rows,
    download,
    login_as,
    sheet_of,
    upload,
)

THIS_YEAR = records.today().year


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def field_error(page: str, field: str) -> str:
    """The error shown next to a field ('' when none)."""
    found = re.findall(rf'id="{re.escape(field)}-error">(.*?)</p>', page, re.S)
    return html.unescape(" ".join(found))


def options(page: str, name: str) -> list[str]:
    """The option values of a select."""
    found = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no select {name}"
    return re.findall(r'<option[^>]*value="([^"]*)"', found.group(1))


def selected(page: str, name: str) -> str:
    """The selected option's value of a select ('' when none is)."""
    found = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                       r'<option[^>]*value="([^"]*)"[^>]*selected', found.group(1))
    return (chosen.group(1) or chosen.group(2)) if chosen else ""


def values(issuer="", level="", kind="bang-khen", signed=date(2026, 1, 10), year=2025):
    """Award values as a form gives them."""
    return records.AwardValues(
        recipient_type="individual", recipient_name="Nguyễn Thị Hoa", organization=org("mttq"),
        kind=award_kind(kind), year=year, decision_number="5/QĐ-MTTQ", decision_date=signed,
        issuer=issuer, issuer_level=level)


# --- Reading a typed issuer ---------------------------------------------------------------

@pytest.mark.parametrize(("issuer", "level"), [
    ("Chủ tịch UBND xã Đoàn Kết", "commune_chair"),
    ("UBND xã Hội Hợp", "commune_chair"),
    ("Ban Chấp hành Hội LHPN xã Hội Hợp", "commune_association"),
    ("UBND phường Quan Hoa", "commune_chair"),
    ("Chủ tịch UBND xã Tân Lập, huyện Đan Phượng", "commune_chair"),
    ("Chủ tịch UBND xã Thanh Tỉnh", "commune_chair"),
    ("Ban Thường trực Ủy ban MTTQ Việt Nam xã Tân Lập", "commune_front"),
    ("Đoàn TNCS Hồ Chí Minh xã Đoàn Kết", "commune_association"),
    ("Chủ tịch UBND huyện Đan Phượng", "district_chair"),
    ("Ban Thường vụ Huyện đoàn Đông Anh", "district_association"),
    ("Tỉnh đoàn Vĩnh Phúc", "province_association"),
    ("Chủ tịch UBND tỉnh Nghệ An", "province_chair"),
    ("UBND TP. Hà Nội", "province_chair"),
    ("Ban Chấp hành Công đoàn cơ quan UBND xã Tân Lập", "commune_association"),
    ("Đoàn Chủ tịch Ủy ban Trung ương MTTQ Việt Nam", "central_front"),
    ("Trung ương Hội LHPN Việt Nam", "central_association"),
    ("Thủ tướng Chính phủ", "central"),
    ("Hội đồng Thi đua - Khen thưởng xã", ""),
    ("Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An", ""),
    ("xã Tân Lập", ""),
    ("", ""),
])
def test_place_names_never_read_as_bodies_or_levels(issuer, level):
    assert issuers.guess_level(issuer, date(2025, 3, 1)) == level


def test_no_district_is_read_after_the_district_level_ended():
    assert issuers.guess_level("Chủ tịch UBND huyện Đan Phượng", date(2025, 6, 30)) == \
        "district_chair"
    assert issuers.guess_level("Chủ tịch UBND huyện Đan Phượng", date(2025, 7, 1)) == ""
    assert "district_chair" not in issuers.valid_levels(date(2025, 7, 1))
    assert "district_chair" in issuers.valid_levels(date(2025, 6, 30))


@pytest.mark.parametrize(("cell", "level"), [
    ("commune_front", "commune_front"),
    ("Ban Thường trực Ủy ban MTTQ cấp xã", "commune_front"),
    ("UBND cấp tỉnh", "province_chair"),
    ("Hội cấp xã", "commune_association"),
    ("Chủ tịch UBND xã Tân Lập", "commune_chair"),
])
def test_a_level_cell_is_read_by_code_label_or_words(app, cell, level):
    with app.test_request_context():
        assert issuers.read_level(cell) == level


# --- The authority rules, by level --------------------------------------------------------

def test_a_commune_front_committee_may_not_confer_a_bang_khen(app):
    with app.test_request_context():
        typed = "Ban Thường trực Ủy ban MTTQ Việt Nam xã Tân Lập"
        found = [str(w) for w in rules.warnings_for(values(typed))]
        assert any("Thẩm quyền" in text and typed in text for text in found), found
        province = "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Hà Tĩnh"
        assert rules.warnings_for(values(province)) == []


def test_a_commune_association_confers_a_giay_khen_not_a_bang_khen(app):
    with app.test_request_context():
        typed = "Ban Chấp hành Hội Nông dân xã Hội Hợp"
        assert rules.warnings_for(values(typed, kind="giay-khen")) == []
        assert any("Thẩm quyền" in str(w) for w in rules.warnings_for(values(typed)))


def test_the_chosen_level_outranks_the_typed_issuer(app):
    with app.test_request_context():
        # Typed without a place: the chosen level says who.
        assert rules.warnings_for(values("Ban Thường trực", "province_front")) == []
        found = rules.warnings_for(values("Ban Thường trực", "commune_front"))
        assert any("Ban Thường trực Ủy ban MTTQ cấp xã" in str(w) for w in found)


def test_an_old_rule_without_a_level_means_any_level_of_that_body(app):
    with app.test_request_context():
        kind = award_kind("bang-khen")
        for rule in db.session.scalars(db.select(AwardRule).where(
                AwardRule.kind_id == kind.id, AwardRule.rule_type == "authority")):
            rule.bodies = "province_chair,central,front_committee,association"
        db.session.commit()
        assert rules.warnings_for(values("Ban Thường trực Ủy ban MTTQ xã Tân Lập")) == []
        assert rules.allowed_levels("front_committee") == set(rules.GENERIC_BODIES[
            "front_committee"])


def test_the_standard_rules_name_levels_only():
    for _slug, bodies, *_rest in __import__("bulletin.standard_rules").standard_rules.AUTHORITIES:
        assert all(code in issuers.LEVEL_LABELS for code in bodies.split(","))


# --- The forms ------------------------------------------------------------------------------

DECISION = {
    "decision_number": "7/QĐ-MTTQ", "decision_date": f"05/01/{THIS_YEAR}",
    "issuer": "Ban Thường trực Ủy ban MTTQ Việt Nam xã Tân Lập", "signer": "Lê Thị Mai",
    "organization": "mttq", "kind": "giay-khen", "year": str(THIS_YEAR - 1),
    "recipients-0-recipient_type": "individual", "recipients-0-recipient_name": "Lò Thị Hoa",
    "recipients-0-sex": "female", "recipients-0-ethnicity": "Thái",
    "recipients-0-birth_year": "1990",
}


def post(client, auth, path, data):
    """POST a form with its CSRF token."""
    return client.post(path, data={"csrf_token": auth.csrf_token("/"), **data})


def test_the_decision_form_offers_only_the_levels_of_its_date(client, auth, secretary):
    page = client.get("/awards/decisions/new").get_data(as_text=True)
    assert "thị trấn" not in page.split('name="issuer"')[1].split(">")[0]
    # A decision of today (after 30/06/2025): no district level to choose.
    typed = post(client, auth, "/awards/decisions/new",
                 {**DECISION, "check_rules": "1"}).get_data(as_text=True)
    assert "district_chair" not in options(typed, "issuer_level")
    assert "commune_front" in options(typed, "issuer_level")
    # Left empty, it shows what the typed issuer reads as.
    assert selected(typed, "issuer_level") == "commune_front"
    older = post(client, auth, "/awards/decisions/new", {
        **DECISION, "decision_date": "05/01/2025", "year": "2024",
        "check_rules": "1"}).get_data(as_text=True)
    assert "district_chair" in options(older, "issuer_level")


def test_a_district_level_after_june_2025_is_refused_next_to_the_field(client, auth, secretary):
    response = post(client, auth, "/awards/decisions/new",
                    {**DECISION, "issuer_level": "district_front"})
    assert response.status_code == 422
    assert "không còn cấp huyện" in field_error(response.get_data(as_text=True), "issuer_level")
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0


def test_a_decision_keeps_its_typed_issuer_and_its_chosen_level(client, auth, secretary):
    response = post(client, auth, "/awards/decisions/new",
                    {**DECISION, "issuer": "Ban Thường trực", "issuer_level": "commune_front"})
    assert response.status_code == 303
    decision = db.session.scalar(db.select(Decision))
    assert (decision.issuer, decision.issuer_level) == ("Ban Thường trực", "commune_front")
    award = decision.awards[0]
    assert (award.sex, award.ethnicity, award.birth_year) == ("female", "Thái", 1990)
    page = client.get(f"/awards/decisions/{decision.id}").get_data(as_text=True)
    assert "Ban Thường trực Ủy ban MTTQ cấp xã" in page
    detail = client.get(f"/awards/{award.id}").get_data(as_text=True)
    assert "Thái" in detail and "Nữ" in detail and "cấp xã" in detail


def test_a_level_left_empty_is_read_from_the_issuer_when_saved(client, auth, secretary):
    assert post(client, auth, "/awards/decisions/new", DECISION).status_code == 303
    decision = db.session.scalar(db.select(Decision))
    assert decision.issuer == DECISION["issuer"]
    assert decision.issuer_level == "commune_front"


def test_the_decision_edit_changes_the_level_and_each_award_notes_it(client, auth, secretary):
    post(client, auth, "/awards/decisions/new", DECISION)
    decision = db.session.scalar(db.select(Decision))
    page = client.get(f"/awards/decisions/{decision.id}/edit").get_data(as_text=True)
    assert selected(page, "issuer_level") == "commune_front"
    response = post(client, auth, f"/awards/decisions/{decision.id}/edit", {
        "decision_number": decision.number, "decision_date": DECISION["decision_date"],
        "issuer": "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh", "issuer_level": "province_front",
        "signer": "Lê Thị Mai"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Decision, decision.id).issuer_level == "province_front"
    award = db.session.get(Decision, decision.id).awards[0]
    history = client.get(f"/awards/{award.id}").get_data(as_text=True)
    assert "Cấp của cơ quan quyết định" in history
    assert "Ban Thường trực Ủy ban MTTQ cấp tỉnh" in history


AWARD = {
    "recipient_type": "individual", "recipient_name": "Hà Văn Tùng", "organization": "hoi-ccb",
    "kind": "giay-khen", "year": str(THIS_YEAR - 1), "decision_number": "3/QĐ-CCB",
    "decision_date": f"10/01/{THIS_YEAR}", "issuer": "Ban Chấp hành Hội CCB xã Hội Hợp",
    "signer": "Lê Văn Đức", "sex": "male", "ethnicity": "Tày", "issuer_level": "",
}


def test_the_single_form_saves_level_sex_and_ethnicity_and_edit_shows_them(client, auth,
                                                                            secretary):
    page = client.get("/awards/new").get_data(as_text=True)
    assert 'name="sex"' in page and 'name="ethnicity"' in page and 'name="issuer_level"' in page
    response = post(client, auth, "/awards/new", AWARD)
    assert response.status_code == 303
    award = db.session.scalar(db.select(Award))
    assert (award.sex, award.ethnicity) == ("male", "Tày")
    assert award.decision.issuer_level == "commune_association"
    # "xã Hội Hợp" is a place: no false warning of a mass organization's authority.
    assert "Thẩm quyền" not in (award.history[0].changes or "")
    edit = client.get(f"/awards/{award.id}/edit").get_data(as_text=True)
    assert selected(edit, "sex") == "male"
    assert 'value="Tày"' in edit
    assert selected(edit, "issuer_level") == "commune_association"


def test_sex_and_ethnicity_are_a_persons_only(client, auth, secretary):
    response = post(client, auth, "/awards/new", {
        **AWARD, "recipient_type": "collective", "recipient_name": "Chi hội CCB thôn 2"})
    assert response.status_code == 422
    assert "chỉ ghi cho cá nhân" in field_error(response.get_data(as_text=True), "sex")


def test_pasting_reads_sex_and_ethnicity_by_their_headers():
    rows = parse_pasted("STT\tHọ và tên\tNam/Nữ\tDân tộc\n1\tLò Thị Hoa\tNữ\tThái\n"
                        "2\tHà Văn Tùng\tNam\tTày\n3\tChi hội Phụ nữ thôn 2\t\t")
    assert [(r.get("sex"), r.get("ethnicity")) for r in rows] == [
        ("female", "Thái"), ("male", "Tày"), (None, None)]
    by_word = parse_pasted("Họ và tên\tGiới tính\nLò Thị Hoa\tnữ")
    assert by_word[0]["sex"] == "female"


def test_pasted_sex_lands_in_the_decision_rows(client, auth, secretary):
    page = post(client, auth, "/awards/decisions/new", {
        **{k: v for k, v in DECISION.items() if not k.startswith("recipients-")},
        "paste": "Họ và tên\tGiới tính\tDân tộc\nLò Thị Hoa\tNữ\tThái", "fill_rows": "1",
    }).get_data(as_text=True)
    assert selected(page, "recipients-0-sex") == "female"
    assert 'name="recipients-0-ethnicity"' in page and 'value="Thái"' in page


# --- Import and export ----------------------------------------------------------------------

def book(headers: list[str], rows: list[list]) -> bytes:
    """A commune's book: a title, the header and the rows."""
    made = Workbook()
    sheet = made.active
    sheet.append(["DANH SÁCH KHEN THƯỞNG"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


HEADERS = ["STT", "Họ và tên", "Nữ", "Dân tộc", "Tổ chức", "Hình thức", "Năm thành tích",
           "Số quyết định", "Ngày quyết định", "Cơ quan quyết định"]


def test_an_import_reads_a_female_mark_ethnicity_and_guesses_the_level(client, secretary):
    data = book(HEADERS, [
        [1, "Lò Thị Hoa", "x", "Thái", "Hội LHPN", "Giấy khen", 2024, "9/QĐ-HPN", "20/12/2024",
         "Ban Chấp hành Hội LHPN xã Hội Hợp"],
        [2, "Hà Văn Tùng", None, "Tày", "Hội LHPN", "Giấy khen", 2024, "9/QĐ-HPN",
         "20/12/2024", "Ban Chấp hành Hội LHPN xã Hội Hợp"],
        [3, "Chi hội Phụ nữ thôn 2", None, None, "Hội LHPN", "Giấy khen", 2024, "9/QĐ-HPN",
         "20/12/2024", "Ban Chấp hành Hội LHPN xã Hội Hợp"],
    ])
    dry = upload(client, data)
    assert dry.status_code == 200, dry.get_data(as_text=True)[:2000]
    done = client.post("/awards/import/confirm", data=confirm_fields(dry.get_data(as_text=True)))
    assert done.status_code == 303
    awards = {a.recipient_name: a for a in db.session.scalars(db.select(Award))}
    assert (awards["Lò Thị Hoa"].sex, awards["Lò Thị Hoa"].ethnicity) == ("female", "Thái")
    assert awards["Hà Văn Tùng"].sex == "male"
    assert awards["Chi hội Phụ nữ thôn 2"].sex == ""
    assert awards["Lò Thị Hoa"].decision.issuer_level == "commune_association"
    assert awards["Lò Thị Hoa"].decision.issuer == "Ban Chấp hành Hội LHPN xã Hội Hợp"



def test_a_book_marking_men_and_women_in_two_columns_leaves_an_unmarked_row_unknown(
        client, secretary):
    headers = [*HEADERS[:2], "Giới tính nam", *HEADERS[2:]]
    rest = ["Hội LHPN", "Giấy khen", 2024, "9/QĐ-HPN", "20/12/2024", "Ban Chấp hành"]
    dry = upload(client, book(headers, [[1, "Lò Văn Sáng", "x", None, "Thái", *rest],
                                        [2, "Lò Thị Hoa", None, "x", "Thái", *rest],
                                        [3, "Lò Thanh Bình", None, None, "Thái", *rest]]))
    assert dry.status_code == 200, dry.get_data(as_text=True)[:2000]
    done = client.post("/awards/import/confirm", data=confirm_fields(dry.get_data(as_text=True)))
    assert done.status_code == 303
    sexes = {a.recipient_name: a.sex for a in db.session.scalars(db.select(Award))}
    assert sexes == {"Lò Văn Sáng": "male", "Lò Thị Hoa": "female", "Lò Thanh Bình": ""}


def test_an_import_reads_the_level_column_and_refuses_an_unknown_one(client, secretary):
    headers = [*HEADERS[:2], "Giới tính", *HEADERS[3:], "Cấp của cơ quan quyết định"]
    good = [1, "Lò Thị Hoa", "Nữ", "Thái", "Hội LHPN", "Giấy khen", 2024, "9/QĐ-HPN",
            "20/12/2024", "Ban Chấp hành", "Ban Chấp hành hội, đoàn, công đoàn cấp xã (cơ sở)"]
    dry = upload(client, book(headers, [good, [2, "Hà Văn Tùng", "Nam", "", *good[4:10],
                                                "một cấp lạ"]]))
    page = html.unescape(dry.get_data(as_text=True))
    assert dry.status_code == 422
    assert "Không rõ cấp “một cấp lạ”" in page
    dry = upload(client, book(headers, [good]))
    assert client.post("/awards/import/confirm",
                       data=confirm_fields(dry.get_data(as_text=True))).status_code == 303
    decision = db.session.scalar(db.select(Decision))
    assert (decision.issuer, decision.issuer_level) == ("Ban Chấp hành", "commune_association")


def test_the_export_writes_sex_ethnicity_and_level_and_keeps_the_id_last(client, auth,
                                                                         secretary):
    post(client, auth, "/awards/decisions/new", DECISION)
    award = db.session.scalar(db.select(Award))
    sheet = sheet_of(download(client, "/awards/export.xlsx").data)
    header = [cell.value for cell in sheet[spreadsheets.TITLE_ROWS + 1]]
    assert header[-4:] == ["Giới tính", "Dân tộc", "Cấp của cơ quan quyết định", "Mã số (ID)"]
    row = data_rows(sheet)[0]
    assert (row[COL["sex"]], row[COL["ethnicity"]], row[COL["id"]]) == ("Nữ", "Thái", award.id)
    assert row[COL["issuer_level"]] == "Ban Thường trực Ủy ban MTTQ cấp xã"
    csv = download(client, "/awards/export.csv").get_data(as_text=True)
    assert "Giới tính,Dân tộc,Cấp của cơ quan quyết định,Mã số (ID)" in csv
    assert f"Nữ,Thái,Ban Thường trực Ủy ban MTTQ cấp xã,{award.id}" in csv
    # Read back, the export changes nothing.
    dry = upload(client, download(client, "/awards/export.xlsx").data)
    assert 'class="fate-unchanged"' in dry.get_data(as_text=True)
    assert 'class="fate-update"' not in dry.get_data(as_text=True)


def test_the_template_offers_sex_and_level_lists(client, secretary):
    from openpyxl import load_workbook

    made = load_workbook(io.BytesIO(download(client, "/awards/import/template.xlsx").data))
    header = [cell.value for cell in made["Mẫu nhập"][spreadsheets.TITLE_ROWS + 1]]
    assert {"Giới tính", "Dân tộc", "Cấp của cơ quan quyết định"} <= set(header)
    lists = [cell.value for cell in made["Danh mục"][1]]
    assert "Giới tính" in lists and "Cấp của cơ quan quyết định" in lists


def test_history_shows_the_level_label(app, client, auth, secretary):
    post(client, auth, "/awards/decisions/new", DECISION)
    entry = db.session.scalar(db.select(AwardHistory))
    assert '"issuer_level": [null, "commune_front"]' in entry.changes


def test_the_forms_ask_the_level_of_a_typed_issuer_as_it_is_typed(client, secretary):
    for path in ("/awards/new", "/awards/decisions/new"):
        page = client.get(path).get_data(as_text=True)
        assert 'data-level-url="/awards/rules/issuer-level"' in page
        assert "js/issuer-level.js" in page
    answer = client.get("/awards/rules/issuer-level", query_string={
        "issuer": "Chủ tịch UBND xã Hội Hợp, huyện Vĩnh Tường",
        "decision_date": "01/08/2025"}).get_json()
    assert answer["level"] == "commune_chair"
    assert "district_chair" not in answer["levels"] and "province_front" in answer["levels"]
    older = client.get("/awards/rules/issuer-level", query_string={
        "issuer": "UBND huyện Vĩnh Tường", "decision_date": "01/06/2025"}).get_json()
    assert older["level"] == "district_chair" and "district_chair" in older["levels"]


def test_an_admin_writes_an_authority_rule_by_level(client, make, auth):
    login_as(make, auth, "quantri", role="admin")
    form = client.get("/awards/rules/new").get_data(as_text=True)
    assert 'value="commune_front"' in form and 'value="front_committee"' in form
    response = post(client, auth, "/awards/rules/new", {
        "kind": "giay-khen", "rule_type": "authority", "valid_from": "01/01/2026",
        "legal_basis": "Quy chế khen thưởng của tỉnh", "recipient_type": "",
        "bodies": ["commune_front", "province_front"]})
    assert response.status_code in (302, 303), re.findall(
        r'-error">(.*?)</p>', response.get_data(as_text=True))
    rule = db.session.scalar(db.select(AwardRule).where(
        AwardRule.legal_basis == "Quy chế khen thưởng của tỉnh"))
    assert rule.bodies == "commune_front,province_front"
    listed = client.get("/awards/rules").get_data(as_text=True)
    assert "Ban Thường trực Ủy ban MTTQ cấp xã; Ban Thường trực Ủy ban MTTQ cấp tỉnh" in listed


def test_a_book_silent_on_sex_ethnicity_and_level_changes_none_of_them(client, auth,
                                                                       secretary):
    from tests.test_awards_import import row, workbook

    typed = {k: v for k, v in DECISION.items() if k != "recipients-0-birth_year"}
    post(client, auth, "/awards/decisions/new",
         {**typed, "issuer": "Ban Thường trực", "issuer_level": "commune_front"})
    award = db.session.scalar(db.select(Award))
    assert (award.sex, award.decision.issuer_level) == ("female", "commune_front")
    cells = row(name="Lò Thị Hoa", organization="Ủy ban Mặt trận Tổ quốc Việt Nam",
                award="Giấy khen", year=THIS_YEAR - 1, number="7/QĐ-MTTQ",
                signed=date(THIS_YEAR, 1, 5), amount=None, award_id=award.id,
                achievement="", issuer="Ban Thường trực", signer="Lê Thị Mai")
    dry = upload(client, workbook([cells]))
    page = dry.get_data(as_text=True)
    assert 'class="fate-unchanged"' in page, re.findall(r'<p>([^<]*→[^<]*)</p>', page)
