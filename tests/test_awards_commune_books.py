"""A commune's own book, as it is really kept: a merged title and a two-row merged header,
names mostly in Unicode with a few cells pasted from TCVN3 and VNI files, a total typed in
TCVN3, a signature block under the table, the words people write for kinds and
organizations, and an award already recorded under another organization."""

import io
import json
import re
from datetime import date

import pytest
from openpyxl import Workbook

from bulletin.awards.importing import legacy
from bulletin.awards.importing import workbook as reading
from bulletin.extensions import db
from bulletin.models import Award
from tests.test_awards_export import (
    add_award,
    confirm_fields,
    csrf,
    fate_counts,
    login_as,
    upload,
)
from tests.test_awards_import import confirm, row_details

HND = "Hội Nông dân"
HEADER_TOP = ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Đơn vị", "Khen thưởng", None,
              "Quyết định", None, None, "Số tiền"]
HEADER_BELOW = [None, None, None, None, None, "Hình thức", "Năm", "Số", "Ngày", "Cấp", None]
FIRST = 6  # two title rows, two header rows, the column numbers
ISSUER = "Ban Thường vụ Hội Nông dân"


def award_row(n, name, born, title, org=HND, kind="Giấy khen", year=2025,
              number="12/QĐ-HND", signed="20/12/2025", issuer=ISSUER, amount=200_000) -> list:
    """One award in the commune's column order."""
    return [n, name, born, title, org, kind, year, number, signed, issuer, amount]


def commune_book(rows: list[list], below: list[list] = ()) -> bytes:
    """The commune's book: titles and header merged as Excel does, the column numbers, the
    rows, then whatever is written under the table."""
    book = Workbook()
    sheet = book.active
    sheet.append(["HỘI NÔNG DÂN XÃ TÂN LẬP"])
    sheet.append(["SỔ THEO DÕI THI ĐUA, KHEN THƯỞNG NĂM 2025"])
    sheet.append(HEADER_TOP)
    sheet.append(HEADER_BELOW)
    for merged in ("A1:K1", "A2:K2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:G3",
                   "H3:J3", "K3:K4"):
        sheet.merge_cells(merged)
    sheet.append([f"({n})" for n in range(1, 12)])
    for values in [*rows, *below]:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MIXED_ROWS = [
    award_row(1, "Trần Thị Bình", 1975, "Chi hội trưởng"),
    award_row(2, "NguyÔn V¨n Hßa", 1968, "Chi héi tr­ëng"),           # TCVN3
    award_row(3, "Lê Văn Cường", 1980, "Hội viên Hội Nông dân"),
    award_row(4, "TRẦN THỊ BÌNH", 1990, "Hội viên", year=2024, number="13/QĐ-HND"),
    award_row(5, "Phaïm Vaên Ñöùc", 1972, "Chi hoäi tröôûng"),         # VNI
    award_row(6, "Hộ ông Lê Văn Tâm", None, None),
    award_row(7, "Lê Bình", 1985, "Chủ nhiệm CLB"),
]
STORED_NAMES = {"Trần Thị Bình", "Nguyễn Văn Hòa", "Lê Văn Cường", "TRẦN THỊ BÌNH",
                "Phạm Văn Đức", "Hộ ông Lê Văn Tâm", "Lê Bình"}
SIGNATURE = [
    [None, "Tæng céng", None, None, None, None, None, None, None, None, 1_400_000],
    [],
    [None, None, None, None, None, None, None, "Tân Lập, ngày 20 tháng 12 năm 2025"],
    [None, "NGƯỜI LẬP SỔ", None, None, None, None, None, "TM. BAN THƯỜNG VỤ"],
    [None, "(Ký, ghi rõ họ tên)", None, None, None, None, None, "CHỦ TỊCH"],
    [],
    [],
    [None, "Nguyễn Thị Mai", None, None, None, None, None, "Trần Văn Tâm"],
]


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def stored() -> dict[str, Award]:
    """Every award by recipient name."""
    return {a.recipient_name: a for a in db.session.scalars(db.select(Award))}


def ok(response) -> str:
    """The dry run's page, asserting it has no error row."""
    html = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r'class="error">([^<]*)', html)
    return html


# ---- 1. legacy text decided cell by cell --------------------------------------------------

def test_unicode_cells_are_never_converted_and_legacy_cells_among_them_are(client, secretary):
    html = ok(upload(client, commune_book(MIXED_ROWS, SIGNATURE)))
    assert fate_counts(html)["new"] == len(MIXED_ROWS)
    # Each converted cell is shown before and after; a Unicode one is not touched.
    tcvn3_row = row_details(html, FIRST + 1)
    assert "NguyÔn V¨n Hßa" in tcvn3_row and "Nguyễn Văn Hòa" in tcvn3_row
    assert "Chi héi tr­ëng" in tcvn3_row and "Chi hội trưởng" in tcvn3_row
    vni_row = row_details(html, FIRST + 4)
    assert "Phaïm Vaên Ñöùc" in vni_row and "Phạm Văn Đức" in vni_row
    for number in (0, 2, 3, 5, 6):
        assert 'class="converted"' not in re.search(
            rf'id="r{FIRST + number}">(.*?)</tr>', html, re.S).group(1)
    assert "1 ô gõ bằng phông TCVN3 (ABC)" in html and "1 ô gõ bằng phông VNI" in html
    for corrupted in ("Bỡnh", "Lờ Văn", "BÈNH", "Hộ ụng", "Nơng", "Lờ Bỡnh"):
        assert corrupted not in html
    assert confirm(client, html).status_code == 303
    awards = stored()
    assert set(awards) == STORED_NAMES
    assert awards["Nguyễn Văn Hòa"].recipient_title == "Chi hội trưởng"
    assert awards["Phạm Văn Đức"].recipient_title == "Chi hội trưởng"
    assert awards["Lê Văn Cường"].recipient_title == "Hội viên Hội Nông dân"
    assert awards["Hộ ông Lê Văn Tâm"].recipient_type == "household"


def test_the_secretary_can_leave_a_column_as_typed(client, secretary):
    html = ok(upload(client, commune_book(MIXED_ROWS)))
    assert 'name="as_typed" value="recipient_title"' in html
    fields = {**confirm_fields(html), "as_typed": "recipient_title"}
    again = client.post("/awards/import/confirm", data={**fields, "recheck": "1"})
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "để nguyên như trong tệp, không chuyển" in page
    assert 'value="recipient_title" form="confirm-form" checked' in page
    assert "Chi hội trưởng" not in row_details(page, FIRST + 1)
    assert "Nguyễn Văn Hòa" in row_details(page, FIRST + 1)  # the names are still converted
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 0
    assert client.post("/awards/import/confirm", data=fields).status_code == 303
    awards = stored()
    assert awards["Nguyễn Văn Hòa"].recipient_title == "Chi héi tr­ëng"
    assert awards["Phạm Văn Đức"].recipient_title == "Chi hoäi tröôûng"


@pytest.mark.parametrize(("typed", "read"), [
    ("Trần Thị Bình", None), ("Lê Văn Cường", None), ("TRẦN THỊ BÌNH", None),
    ("Hộ ông", None), ("Hội Nông dân", None), ("Nông dân", None), ("Lê Bình", None),
    ("José Martí", None), ("Nguyen Van A", None),
    ("TrÇn ThÞ B×nh", "Trần Thị Bình"), ("TRÇN THÞ B×NH", "TRẦN THỊ BÌNH"),
    ("Lª V¨n C­êng", "Lê Văn Cường"), ("Héi N«ng d©n", "Hội Nông dân"),
    ("Tæng céng", "Tổng cộng"), ("Hoäi Noâng daân", "Hội Nông dân"),
    ("Chuû tòch", "Chủ tịch"), ("Chñ tÞch", "Chủ tịch"),
])
def test_each_cell_is_decided_on_its_own(typed, read):
    decided = legacy.decide(typed)
    assert (decided[1] if decided else None) == read


def test_a_syllable_ending_in_a_stop_takes_only_the_sharp_or_heavy_tone():
    assert legacy.oddness("Chủ tịch") == 0 and legacy.oddness("tũch") == 1
    assert legacy.oddness("Bắc Ninh") == 0 and legacy.oddness("tàc") == 1


# ---- 2. the table ends where the book's table ends ----------------------------------------

def test_the_total_in_tcvn3_and_the_signature_block_are_not_rows(client, secretary):
    html = ok(upload(client, commune_book(MIXED_ROWS[:2], SIGNATURE)))
    assert fate_counts(html) == {"new": 2, "update": 0, "unchanged": 0, "duplicate": 0,
                                 "error": 0}
    assert "Bỏ qua 2 dòng tổng cộng hoặc dòng đánh số cột" in html
    first = FIRST + 2 + 2  # the two awards, the total, a blank row
    assert f"Dòng {first}–{first + 5}: phần ký tên, bỏ qua" in html
    assert f'id="r{first}"' not in html
    assert confirm(client, html).status_code == 303
    assert set(stored()) == {"Trần Thị Bình", "Nguyễn Văn Hòa"}


def test_a_signature_block_typed_in_tcvn3_anywhere_under_the_table_is_skipped(client,
                                                                              secretary):
    below = [
        [None, None, None, None, None, None, None, None, None, "T©n LËp, ngµy 20 th¸ng 12 "
                                                               "n¨m 2025"],
        [None, None, None, "NG¦êI LËP Sæ", None, None, None, None, None, "CHñ TÞCH"],
        [None, None, None, "(Ký, ghi râ hä tªn)"],
        [None, None, None, "Lª ThÞ Mai", None, None, None, None, None, "TrÇn V¨n T©m"],
    ]
    html = ok(upload(client, commune_book(MIXED_ROWS[:1], below)))
    assert fate_counts(html)["new"] == 1 and fate_counts(html)["error"] == 0
    assert f"Dòng {FIRST + 1}–{FIRST + 4}: phần ký tên, bỏ qua" in html


def test_an_award_below_a_note_is_still_read(client, secretary):
    below = [[None, "Ghi chú: danh sách bổ sung"],
             award_row(3, "Lê Văn Cường", 1980, "Hội viên"),
             [None, "Lê Văn Cường đã chuyển đi"]]
    html = upload(client, commune_book(MIXED_ROWS[:1], below)).get_data(as_text=True)
    counts = fate_counts(html)
    assert counts["new"] == 2 and counts["error"] == 1  # a name without year: an error
    assert f"Dòng {FIRST + 1}: phần ký tên" in html
    assert "Lê Văn Cường" in row_details(html, FIRST + 2)


@pytest.mark.parametrize(("text", "signature"), [
    ("Tân Lập, ngày 20 tháng 12 năm 2025", True), ("Tân Lập, ngày … tháng … năm 2025", True),
    ("NGƯỜI LẬP SỔ", True), ("(Ký, ghi rõ họ tên)", True), ("TM. BAN THƯỜNG VỤ", True),
    ("KT. CHỦ TỊCH", True), ("Ghi chú: danh sách có 15 người", True),
    ("Chủ tịch", False), ("Nguyễn Văn An", False), ("Hội Nông dân", False),
])
def test_what_a_book_writes_under_its_table(text, signature):
    assert reading.is_signature_text(text) is signature


# ---- 3. catalogue words as people write them -----------------------------------------------

WRITTEN = [  # (name, organization as written, kind as written, slug of each it means)
    ("Trần Thị Bình", "Hội Phụ nữ", "LĐTT", "hoi-lhpn", "lao-dong-tien-tien"),
    ("Lê Văn Cường", "Đoàn TN", "CSTĐCS", "doan-tncs", "chien-si-thi-dua-co-so"),
    ("Phạm Văn Đức", "Hội PN", "Giấy khen của Chủ tịch UBND xã", "hoi-lhpn", "giay-khen"),
    ("Nguyễn Thị Mai", "Đoàn Thanh niên", "Danh hiệu Lao động tiên tiến", "doan-tncs",
     "lao-dong-tien-tien"),
    ("Hoàng Văn Nam", "Mặt trận", "Bằng khen của Chủ tịch UBND tỉnh", "mttq", "bang-khen"),
    ("Đỗ Thị Hạnh", "MTTQ", "L§TT", "mttq", "lao-dong-tien-tien"),  # LĐTT typed in TCVN3
    ("Vũ Văn Tùng", "Hội Nông dân xã Tân Lập", "Giấy khen", "hoi-nong-dan", "giay-khen"),
    ("Bùi Thị Thu", "Công đoàn", "GK", "cong-doan", "giay-khen"),
    ("Đặng Văn Hùng", "Hội CCB", "Giấy khen", "hoi-ccb", "giay-khen"),
    ("Ngô Thị Lan", "Hội LHPN", "Giấy khen", "hoi-lhpn", "giay-khen"),
]


def test_kinds_and_organizations_are_read_as_people_write_them(client, secretary):
    rows = [award_row(n, name, 1980, None, org=org, kind=kind, number=f"{n}/QĐ")
            for n, (name, org, kind, _org, _kind) in enumerate(WRITTEN, 1)]
    html = ok(upload(client, commune_book(rows, SIGNATURE)))
    assert fate_counts(html)["new"] == len(WRITTEN)
    assert confirm(client, html).status_code == 303
    awards = stored()
    for name, _org, _kind, org_slug, kind_slug in WRITTEN:
        assert (awards[name].organization.slug, awards[name].kind.slug) == (org_slug,
                                                                            kind_slug), name


def test_a_word_nobody_uses_is_still_refused(client, secretary):
    rows = [award_row(1, "Trần Thị Bình", 1980, None, org="Hội Phụ lão"),
            award_row(2, "Lê Văn Cường", 1980, None, kind="Khen miệng"),
            award_row(3, "Phạm Văn Đức", 1980, None, org="Hội Phụ nữ", kind="LĐTT")]
    html = upload(client, commune_book(rows)).get_data(as_text=True)
    assert fate_counts(html)["error"] == 2 and row_details(html, FIRST + 2).startswith("new")
    assert "Không có tổ chức “Hội Phụ lão”" in html
    assert "Không có hình thức “Khen miệng”" in html


# ---- 4. duplicates whatever the organization ---------------------------------------------

def filed_under_the_front(**changes) -> Award:
    """Nguyễn Văn Hòa's Giấy khen of 2025, once filed under the Front by mistake."""
    return add_award(**{"name": "Nguyễn Văn Hòa", "organization": "mttq", "year": 2025,
                        "number": "12/QĐ-HND", "signed": date(2025, 12, 20),
                        "issuer": ISSUER, "birth_year": 1968, **changes})


def test_the_same_award_under_another_organization_is_a_duplicate(client, secretary):
    for other in ({"birth_year": 1950},         # a namesake, born in another year
                  {"number": "45/QĐ-MTTQ"},     # another decision of another organization
                  {"year": 2024},               # another year
                  {"award_kind": "bang-khen"}):  # another kind
        filed_under_the_front(**other)
    existing = filed_under_the_front()
    html = ok(upload(client, commune_book(MIXED_ROWS[:2], SIGNATURE)))
    assert fate_counts(html)["duplicate"] == 1 and fate_counts(html)["new"] == 1
    line = row_details(html, FIRST + 1)
    assert line.startswith("duplicate") and f"mã số {existing.id}" in line
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam" in line and "12/QĐ-HND" in line
    assert f'href="/awards/{existing.id}"' in html

    # Kept only with the existing "Vẫn nhập" and a reason.
    fields = confirm_fields(html)
    refused = client.post("/awards/import/confirm", data={**fields, "keep": str(FIRST + 1)})
    assert refused.status_code == 422
    reason = "Ghi nhầm sang Mặt trận, nay ghi đúng Hội Nông dân"
    done = client.post("/awards/import/confirm", data={
        **fields, "keep": str(FIRST + 1), f"reason-{FIRST + 1}": reason})
    assert done.status_code == 303
    kept = db.session.scalar(db.select(Award).where(
        Award.organization_id != existing.organization_id,
        Award.recipient_name == "Nguyễn Văn Hòa"))
    assert json.loads(kept.history[0].changes)["duplicate_reason"] == [None, reason]


def test_an_unticked_duplicate_of_another_organization_is_not_written(client, secretary):
    filed_under_the_front()
    html = ok(upload(client, commune_book(MIXED_ROWS[:2])))
    assert confirm(client, html).status_code == 303
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 2


def test_a_namesake_born_in_another_year_is_not_a_duplicate(client, secretary):
    add_award("Nguyễn Văn Hòa", organization="hoi-nong-dan", year=2025, number="12/QĐ-HND",
              signed=date(2025, 12, 20), issuer=ISSUER, birth_year=1950)
    html = ok(upload(client, commune_book(MIXED_ROWS[:2])))
    assert fate_counts(html)["new"] == 2 and fate_counts(html)["duplicate"] == 0


def test_the_same_person_twice_in_one_book_under_two_organizations(client, secretary):
    rows = [award_row(1, "Nguyễn Văn Hòa", 1968, None),
            award_row(2, "NGUYỄN VĂN HOÀ", None, None, org="MTTQ")]
    html = ok(upload(client, commune_book(rows)))
    assert fate_counts(html)["duplicate"] == 1
    assert f"Trùng dòng {FIRST} của tệp (ghi cho Hội Nông dân)" in row_details(html, FIRST + 1)


def test_the_award_form_warns_of_the_same_award_under_another_organization(client,
                                                                           secretary):
    existing = filed_under_the_front()
    fields = {"csrf_token": csrf(client, "/awards/new"), "recipient_type": "individual",
              "recipient_name": "Nguyễn Văn Hoà", "organization": "hoi-nong-dan",
              "kind": "giay-khen", "year": "2025", "decision_number": "12/QĐ-HND",
              "decision_date": "20/12/2025", "issuer": ISSUER}
    warned = client.post("/awards/new", data=fields)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 422 and "Có thể đã ghi rồi" in page
    assert f"/awards/{existing.id}" in page


# ---- the 10,000-row book ------------------------------------------------------------------

@pytest.mark.slow
def test_ten_thousand_mixed_rows_are_read_in_good_time(app):
    names = ["TrÇn ThÞ B×nh", "Nguyeãn Vaên Cöôøng", "Lê Văn Cường", "Trần Thị Bình"]
    rows = [award_row(n, f"{names[n % 4]} {n}", 1970 + n % 30,
                      ["Chñ tÞch", "Chuû tòch", "Chủ tịch", None][n % 4], signed=date(2025, 12, 20))
            for n in range(10_000)]
    sheet = reading.read_sheet(commune_book(rows, SIGNATURE))
    assert len(sheet.rows) == 10_000 and sheet.tails
    assert sheet.encodings["recipient_name"] == {"tcvn3": 2_500, "vni": 2_500}
    assert sheet.rows[1].cells["recipient_name"] == "Nguyễn Văn Cường 1"


# ---- sex, ethnicity and who confers, as a commune's book writes them --------------------

def gendered_book() -> bytes:
    """A book whose header puts "Giới tính" over "Nam" and "Nữ" (marked with an x), a "Dân
    tộc" column, and an issuer naming a commune called Hội Hợp."""
    book = Workbook()
    sheet = book.active
    sheet.append(["HỘI NÔNG DÂN XÃ HỘI HỢP"])
    sheet.append(["STT", "Họ và tên", "Giới tính", None, "Dân tộc", "Đơn vị", "Hình thức",
                  "Năm", "Quyết định", None, None])
    sheet.append([None, None, "Nam", "Nữ", None, None, None, None, "Số", "Ngày", "Cấp"])
    for merged in ("C2:D2", "I2:K2", "A2:A3", "B2:B3", "E2:E3", "F2:F3", "G2:G3", "H2:H3"):
        sheet.merge_cells(merged)
    issuer = "Ban Thường vụ Hội Nông dân xã Hội Hợp"
    sheet.append([1, "Hà Văn Tùng", "x", None, "Tày", HND, "GK", 2025, "3/QĐ-HND",
                  "20/12/2025", issuer])
    sheet.append([2, "Lò Thị Hoa", None, "x", "Thái", HND, "GK", 2025, "3/QĐ-HND",
                  "20/12/2025", issuer])
    sheet.append([3, "Chi hội Nông dân thôn 2", None, None, None, HND, "GK", 2025, "3/QĐ-HND",
                  "20/12/2025", issuer])
    sheet.append([])
    sheet.append([None, "NGƯỜI LẬP SỔ"])
    sheet.append([None, "(Ký, ghi rõ họ tên)"])
    sheet.append([None, "Nguyễn Thị Mai"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_book_marking_men_and_women_and_a_commune_named_hoi_hop(client, secretary):
    html = ok(upload(client, gendered_book()))
    assert fate_counts(html)["new"] == 3
    assert "Thẩm quyền" not in html  # "xã Hội Hợp" is a place, not an association
    assert confirm(client, html).status_code == 303
    awards = stored()
    assert (awards["Hà Văn Tùng"].sex, awards["Hà Văn Tùng"].ethnicity) == ("male", "Tày")
    assert (awards["Lò Thị Hoa"].sex, awards["Lò Thị Hoa"].ethnicity) == ("female", "Thái")
    assert awards["Chi hội Nông dân thôn 2"].sex == ""
    decision = awards["Lò Thị Hoa"].decision
    assert (decision.issuer, decision.issuer_level) == (
        "Ban Thường vụ Hội Nông dân xã Hội Hợp", "commune_association")
