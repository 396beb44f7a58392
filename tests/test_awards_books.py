"""Getting the books in and out: hand-kept, legacy and old-format books, duplicates that
mean duplicate, import batches, the template, the export a commune sends, unsafe files."""

import codecs
import io
import json
import re
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

from bulletin.awards import spreadsheets
from bulletin.awards.importing import legacy
from bulletin.awards.importing import workbook as reading
from bulletin.extensions import db
from bulletin.models import Award, AwardHistory, ImportBatch, Person
from tests.test_awards_export import (
    COL,
    HEADER_ROW,
    add_award,
    csrf,
    data_rows,
    download,
    fate_counts,
    login_as,
    sheet_of,
    upload,
)
from tests.test_awards_import import (
    FIRST_DATA_ROW,
    HPN,
    MTTQ,
    OLD_HEADERS,
    confirm,
    confirm_fields,
    counts,
    row,
    row_details,
    workbook,
    zip_bytes,
)

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def book(rows: list[list]) -> bytes:
    """An .xlsx holding exactly these rows (merges and all are up to the caller)."""
    workbook_ = Workbook()
    for values in rows:
        workbook_.active.append(values)
    buffer = io.BytesIO()
    workbook_.save(buffer)
    return buffer.getvalue()


def awards_by_name() -> dict[str, Award]:
    """Every award by recipient name."""
    return {a.recipient_name: a for a in db.session.scalars(db.select(Award))}


# ---- hand-kept books ----------------------------------------------------------------------

def two_row_header_book() -> bytes:
    """A commune's book: a merged title, a header on two rows (merged groups), column numbers."""
    workbook_ = Workbook()
    sheet = workbook_.active
    sheet.append(["HỘI LIÊN HIỆP PHỤ NỮ THỊ TRẤN – SỔ KHEN THƯỞNG 2024"])
    sheet.merge_cells("A1:K1")
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Khen thưởng", None, "Quyết định",
                  None, None, "Số tiền", "Ghi chú"])
    sheet.append([None, None, None, None, "Hình thức", "Năm", "Số", "Ngày", "Cấp", None, None])
    for merged in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:I2", "J2:J3", "K2:K3"):
        sheet.merge_cells(merged)
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)"])
    sheet.append([1, "Nguyễn Thị Hòa", "Chi hội trưởng", HPN, "Giấy khen", 2024, "5/QĐ-HPN",
                  "20/12/2024", "Ban Thường vụ Hội LHPN", "350.000đ", None])
    sheet.append([2, "Lê Thị Lan", None, HPN, "Giấy khen", 2024, "5/QĐ-HPN", 45646,
                  "Ban Thường vụ Hội LHPN", 350000, None])
    sheet.append([None, "Tổng cộng", None, None, None, None, None, None, None, 700000, None])
    buffer = io.BytesIO()
    workbook_.save(buffer)
    return buffer.getvalue()


def test_a_two_row_merged_header_book_is_read(client, secretary):
    response = upload(client, two_row_header_book(), "so-2024.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r'class="error">([^<]*)', html)
    assert fate_counts(html)["new"] == 2
    assert "dòng tiêu đề là dòng 2" in html
    line = row_details(html, 5)
    for shown in ("Nguyễn Thị Hòa", "Cá nhân", "Chi hội trưởng", HPN, "Giấy khen", "2024",
                  "5/QĐ-HPN", "20/12/2024", "350.000"):
        assert shown in line
    assert confirm(client, html).status_code == 303
    lan = awards_by_name()["Lê Thị Lan"]
    assert lan.decision.signed_on == date(2024, 12, 20)  # a serial number in the sheet
    assert lan.decision.issuer == "Ban Thường vụ Hội LHPN" and lan.amount == 350_000


TCVN3_ROWS = [
    ["Hä vµ tªn", "Tæ chøc", "H×nh thøc khen th­ëng", "N¨m thµnh tÝch", "Sè quyÕt ®Þnh",
     "Ngµy quyÕt ®Þnh", "Thµnh tÝch"],
    ["NguyÔn ThÞ Hßa", "Héi Liªn hiÖp Phô n÷", "GiÊy khen", 2024, "7/Q§-HPN", "20/12/2024",
     "Hoµn thµnh xuÊt s¾c nhiÖm vô"],
    ["TrÇn V¨n B×nh", "Héi Liªn hiÖp Phô n÷", "GiÊy khen", 2024, "7/Q§-HPN", "20/12/2024",
     "TÝch cùc tham gia phong trµo"],
]
VNI_ROWS = [
    ["Hoï vaø teân", "Toå chöùc", "Hình thöùc khen thöôûng", "Naêm thaønh tích",
     "Soá quyeát ñònh", "Ngaøy quyeát ñònh", "Thaønh tích"],
    ["Nguyeãn Thò Hoøa", "Hoäi Lieân hieäp Phuï nöõ", "Giaáy khen", 2024, "8/QÑ-HPN",
     "20/12/2024", "Hoaøn thaønh xuaát saéc nhieäm vuï"],
    ["Traàn Vaên Bình", "Hoäi Lieân hieäp Phuï nöõ", "Giaáy khen", 2024, "8/QÑ-HPN",
     "20/12/2024", "Tröôøng hoïc thaân thieän"],
]


@pytest.mark.parametrize(("rows", "font", "before", "number"), [
    (TCVN3_ROWS, "TCVN3 (ABC)", "NguyÔn ThÞ Hßa", "7/QĐ-HPN"),
    (VNI_ROWS, "VNI", "Nguyeãn Thò Hoøa", "8/QĐ-HPN"),
])
def test_a_legacy_font_book_is_converted_and_shown_before_and_after(client, secretary, rows,
                                                                     font, before, number):
    response = upload(client, book([["SỔ KHEN THƯỞNG"], *rows]), "so-cu.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r'class="error">([^<]*)', html)
    assert f"phông {font}" in html
    line = row_details(html, 3)
    assert before in line and "Nguyễn Thị Hòa" in line
    assert confirm(client, html).status_code == 303
    awards = awards_by_name()
    assert set(awards) == {"Nguyễn Thị Hòa", "Trần Văn Bình"}
    hoa = awards["Nguyễn Thị Hòa"]
    assert hoa.organization.slug == "hoi-lhpn" and hoa.kind.slug == "giay-khen"
    assert hoa.achievement == "Hoàn thành xuất sắc nhiệm vụ"
    assert hoa.decision.number == number


def test_an_old_xls_book_is_read_with_its_dates_and_amounts(client, secretary):
    data = (FIXTURES / "so-khen-thuong-2019.xls").read_bytes()
    response = upload(client, data, "so-khen-thuong-2019.xls")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r'class="error">([^<]*)', html)
    assert fate_counts(html)["new"] == 3 and "Bỏ qua 1 dòng" in html
    assert confirm(client, html).status_code == 303
    awards = awards_by_name()
    assert awards["Nguyễn Thị Hòa"].decision.signed_on == date(2019, 12, 26)
    assert awards["Chi hội Phụ nữ khu 2"].amount == 500_000
    assert awards["Chi hội Phụ nữ khu 2"].recipient_type == "collective"
    assert awards["Trần Văn Bình"].decision.signed_on == date(2020, 1, 8)


def ods_book() -> bytes:
    """A minimal OpenDocument spreadsheet with a header and one award."""
    cells = ["Họ và tên", "Tổ chức", "Hình thức", "Năm", "Số quyết định", "Ngày quyết định"]
    values = ["Phạm Thị Dung", HPN, "Giấy khen", "2023", "3/QĐ-HPN", "15/12/2023"]

    def table_row(items):
        """One table row of text cells."""
        return "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{item}</text:p>'
            "</table:table-cell>" for item in items) + "</table:table-row>"

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sổ">'
        f"{table_row(cells)}{table_row(values)}</table:table></office:spreadsheet>"
        "</office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>'))
    return buffer.getvalue()


def test_an_ods_book_is_read(client, secretary):
    html = upload(client, ods_book(), "so.ods").get_data(as_text=True)
    assert fate_counts(html)["new"] == 1
    assert confirm(client, html).status_code == 303
    assert awards_by_name()["Phạm Thị Dung"].decision.signed_on == date(2023, 12, 15)


def test_a_damaged_xls_gets_a_clear_message(client, secretary):
    data = (FIXTURES / "so-khen-thuong-2019.xls").read_bytes()[:3000]
    response = upload(client, data, "hong.xls")
    assert response.status_code == 422
    assert "tệp Excel cũ (.xls)" in response.get_data(as_text=True)


# ---- legacy fonts on real strings ---------------------------------------------------------

@pytest.mark.parametrize(("typed", "unicode"), [
    ("Uû ban MÆt trËn Tæ quèc ViÖt Nam", "Uỷ ban Mặt trận Tổ quốc Việt Nam"),
    ("§oµn Thanh niªn Céng s¶n Hå ChÝ Minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    ("Héi Cùu chiÕn binh", "Hội Cựu chiến binh"),
    ("NGUYÔN V¡N AN", "NGUYỄN VĂN AN"),
    ("Tr­êng MÇm non Hoa Sen", "Trường Mầm non Hoa Sen"),
])
def test_tcvn3_text_converts_to_unicode(typed, unicode):
    assert legacy.tcvn3_to_unicode(typed) == unicode


@pytest.mark.parametrize(("typed", "unicode"), [
    ("UÛy ban Maët traän Toå quoác Vieät Nam", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("Ñoaøn Thanh nieân Coäng saûn Hoà Chí Minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    ("Hoäi Cöïu chieán binh", "Hội Cựu chiến binh"),
    ("NGUYEÃN VAÊN AN", "NGUYỄN VĂN AN"),
    ("Kyø hoïp thöù nhaát, naêm 2024", "Kỳ họp thứ nhất, năm 2024"),
])
def test_vni_text_converts_to_unicode(typed, unicode):
    assert legacy.vni_to_unicode(typed) == unicode


def test_a_unicode_column_is_left_alone():
    assert legacy.detect(["Nguyễn Thị Hòa", "Trần Văn Bình", "Hồ Thị Ý", "José Martí"]) is None
    assert legacy.detect(["NguyÔn ThÞ Hßa", "TrÇn V¨n B×nh"]).encoding == legacy.TCVN3
    assert legacy.detect(["Nguyeãn Thò Hoøa", "Traàn Vaên Bình"]).encoding == legacy.VNI


# ---- duplicates that mean duplicate -------------------------------------------------------

def test_a_same_year_award_from_another_body_is_kept(client, secretary):
    add_award("Nguyễn Thị Hòa", organization="mttq", year=2024, number="45/QĐ-MTTQ-BTT")
    add_award("Nguyễn Thị Hòa", organization="hoi-nong-dan", year=2023, number="3/QĐ-HND",
              signed=date(2023, 12, 1), issuer="Ban Thường vụ Hội Nông dân")
    html = upload(client, workbook([
        row("NGUYỄN THỊ HOÀ", organization="Hội Nông dân", number="12/QĐ-HND",
            issuer="Ban Thường vụ Hội Nông dân"),
    ])).get_data(as_text=True)
    assert fate_counts(html)["new"] == 1 and fate_counts(html)["duplicate"] == 0
    assert confirm(client, html).status_code == 303
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 3


def test_a_true_duplicate_is_flagged_with_the_record_it_resembles_and_can_be_kept(
        client, secretary):
    existing = add_award("Nguyễn Thị Hòa", year=2024)
    data = workbook([row("Nguyễn Thị Hoà", number="16/QĐ-MTTQ", signed=date(2024, 12, 22)),
                     row("Lê Văn Cường")])
    html = upload(client, data).get_data(as_text=True)
    assert fate_counts(html)["duplicate"] == 1
    line = row_details(html, FIRST_DATA_ROW)
    assert line.startswith("duplicate") and f"mã số {existing.id}" in line
    assert "15/QĐ-MTTQ" in line and "Ban Thường trực Ủy ban MTTQ" in line
    fields = confirm_fields(html)

    # Ticked without a reason: asked again, nothing written.
    refused = client.post("/awards/import/confirm",
                          data={**fields, "keep": str(FIRST_DATA_ROW)})
    assert refused.status_code == 422 and "Hãy ghi lý do" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 1

    reason = "Khen lần hai theo quyết định bổ sung"
    done = client.post("/awards/import/confirm", data={
        **fields, "keep": str(FIRST_DATA_ROW), f"reason-{FIRST_DATA_ROW}": reason})
    assert done.status_code == 303
    kept = db.session.scalar(db.select(Award).where(Award.recipient_name == "Nguyễn Thị Hoà"))
    assert json.loads(kept.history[0].changes)["duplicate_reason"] == [None, reason]
    assert reason in client.get(f"/awards/{kept.id}").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 3


def test_an_unticked_duplicate_is_not_written_but_the_rest_is(client, secretary):
    add_award("Nguyễn Thị Hòa", year=2024)
    html = upload(client, workbook([row("Nguyễn Thị Hòa"), row("Lê Văn Cường")])).get_data(
        as_text=True)
    assert confirm(client, html).status_code == 303
    assert sorted(awards_by_name()) == ["Lê Văn Cường", "Nguyễn Thị Hòa"]
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 2


def test_the_award_form_warns_only_about_a_true_duplicate(client, secretary):
    add_award("Nguyễn Thị Hòa", organization="mttq", year=2024, number="45/QĐ-MTTQ-BTT")
    fields = {"csrf_token": csrf(client, "/awards/new"), "recipient_type": "individual",
              "recipient_name": "Nguyễn Thị Hoà", "organization": "hoi-nong-dan",
              "kind": "giay-khen", "year": "2024", "decision_number": "12/QĐ-HND",
              "decision_date": "20/12/2024", "issuer": "Ban Thường vụ Hội Nông dân"}
    assert client.post("/awards/new", data=fields).status_code == 303
    again = {**fields, "decision_number": "13/QĐ-HND", "csrf_token": csrf(client, "/awards/new")}
    warned = client.post("/awards/new", data=again)
    assert warned.status_code == 422 and "Có thể đã ghi rồi" in warned.get_data(as_text=True)


# ---- disclosure: only what the account may see -----------------------------------------

def test_duplicate_warnings_never_show_another_organizations_awards(client, make, auth):
    theirs = add_award("Nguyễn Thị Hòa", organization="mttq", year=2024, number="99/QĐ-BÍ-MẬT")
    login_as(make, auth, "thuky-pn", orgs=["hoi-lhpn"])
    fields = {"csrf_token": csrf(client, "/awards/new"), "recipient_type": "individual",
              "recipient_name": "Nguyễn Thị Hòa", "organization": "hoi-lhpn",
              "kind": "giay-khen", "year": "2024", "decision_number": "99/QĐ-BÍ-MẬT",
              "decision_date": "20/12/2024", "issuer": "Ban Thường trực Ủy ban MTTQ"}
    page = client.post("/awards/new", data=fields).get_data(as_text=True)
    assert f"/awards/{theirs.id}\"" not in page and "Có thể đã ghi rồi" not in page
    html = upload(client, workbook([row("Nguyễn Thị Hòa", organization=HPN,
                                        number="99/QĐ-BÍ-MẬT")])).get_data(as_text=True)
    assert f"mã số {theirs.id}" not in html and f"/awards/{theirs.id}\"" not in html


# ---- batches: a link to exactly the imported rows ---------------------------------------

def test_the_registry_lists_exactly_the_rows_of_an_import(client, secretary):
    add_award("Người Có Sẵn")
    html = upload(client, workbook([row("Nguyễn Văn An"), row("Trần Thị Bích")])).get_data(
        as_text=True)
    location = confirm(client, html).headers["Location"]
    batch = db.session.scalar(db.select(ImportBatch))
    page = client.get(location).get_data(as_text=True)
    link = f"/awards/?batch={batch.id}"
    assert link in page
    listed = client.get(link).get_data(as_text=True)
    assert "Nguyễn Văn An" in listed and "Trần Thị Bích" in listed
    assert "Người Có Sẵn" not in listed
    exported = data_rows(sheet_of(download(client, f"/awards/export.xlsx?batch={batch.id}").data))
    assert sorted(r[COL["recipient_name"]] for r in exported) == ["Nguyễn Văn An",
                                                                  "Trần Thị Bích"]


@pytest.mark.slow
def test_ten_thousand_rows_are_checked_and_written_in_one_go(client, secretary):
    rows = [row(f"Nguyễn Văn Người{n}", number=f"{n % 50}/QĐ-MTTQ") for n in range(10_000)]
    data = workbook(rows)
    started = time.perf_counter()
    response = upload(client, data)
    # Past 500 KB the test client spools the upload to a temporary file it leaves open.
    response.request.environ["wsgi.input"].close()
    html = response.get_data(as_text=True)
    assert fate_counts(html)["new"] == 10_000
    assert confirm(client, html).status_code == 303
    seconds = time.perf_counter() - started
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 10_000
    # About 20 s on an idle office PC; generous here, where the CPUs are shared.
    assert seconds < 300, seconds


# ---- the export a commune would send, and the template ----------------------------------

def test_the_export_has_borders_wrap_times_new_roman_and_the_new_columns(client, secretary):
    award = add_award(achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024, dẫn đầu phong trào")
    award.decision.signer_title = "Chủ tịch"
    award.decision.subject = "Về việc khen thưởng tổng kết năm 2024"
    db.session.commit()
    sheet = sheet_of(download(client, "/awards/export.xlsx").data)
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[-1] == "Mã số (ID)"
    assert "Chức vụ người ký" in header and "Trích yếu" in header
    cells = {h: c for h, c in zip(header, sheet[HEADER_ROW + 1], strict=True)}
    assert cells["Chức vụ người ký"].value == "Chủ tịch"
    assert cells["Trích yếu"].value == "Về việc khen thưởng tổng kết năm 2024"
    assert cells["Mã số (ID)"].value == award.id
    for cell in cells.values():
        assert cell.font.name == "Times New Roman"
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    assert cells["Thành tích"].alignment.wrap_text
    assert sheet[HEADER_ROW][0].border.top.style == "thin"


def test_reimporting_the_export_changes_nothing(client, secretary):
    add_award(achievement="- Hoàn thành nhiệm vụ\n+ Vượt chỉ tiêu", title="=Trưởng ban",
              birth_year=1968)
    add_award("Chi hội Phụ nữ khu 3", "collective", "hoi-lhpn", amount=600_000)
    exported = download(client, "/awards/export.xlsx").data
    assert 1968 in [cell.value for cell in sheet_of(exported)[HEADER_ROW + 1]]
    before = counts()
    html = upload(client, exported).get_data(as_text=True)
    assert fate_counts(html) == {"new": 0, "update": 0, "unchanged": 2, "duplicate": 0,
                                 "error": 0}
    assert "/awards/import/confirm" not in html
    assert counts() == before


def test_an_export_of_the_old_layout_with_the_id_second_still_imports(client, secretary):
    award = add_award("Nguyễn Văn An")
    html = upload(client, workbook([row(award_id=award.id, achievement="Hoàn thành xuất sắc")],
                                   headers=OLD_HEADERS)).get_data(as_text=True)
    assert fate_counts(html)["unchanged"] == 1


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_is_prefixed_in_csv_and_xlsx(client, secretary, start):
    add_award(achievement=f"{start}1+2 cmd|' /C calc'!A0")
    cell = data_rows(sheet_of(download(client, "/awards/export.xlsx").data))[0][
        COL["achievement"]]
    assert cell == f"'{start}1+2 cmd|' /C calc'!A0"
    text = download(client, "/awards/export.csv").get_data(as_text=True)
    assert f"'{start}1+2 cmd" in text


def test_csv_can_use_semicolons_for_excel_in_vietnamese(client, secretary):
    add_award("Nguyễn Thị Hòa", signed=date(2025, 1, 5))
    default = download(client, "/awards/export.csv").get_data(as_text=True)
    assert default.lstrip("\ufeff").split("\r\n")[0].split(",") == list(spreadsheets.HEADERS)
    response = download(client, "/awards/export.csv?sep=semicolon")
    lines = response.data.decode("utf-8").lstrip("\ufeff").split("\r\n")
    assert response.data.startswith(codecs.BOM_UTF8)
    assert lines[0].split(";") == list(spreadsheets.HEADERS)
    assert lines[1].split(";")[COL["decision_date"]] == "05/01/2025"


def test_the_template_has_the_export_layout_lists_and_instructions(client, secretary):
    response = download(client, "/awards/import/template.xlsx")
    assert response.status_code == 200
    template = load_workbook(io.BytesIO(response.data))
    sheet = template.worksheets[0]
    assert [c.value for c in sheet[HEADER_ROW]] == list(spreadsheets.HEADERS)
    assert "Hướng dẫn" in template.sheetnames
    validations = {str(v.sqref).split(":")[0][0]: v.formula1
                   for v in sheet.data_validations.dataValidation}
    letters = {key: openpyxl.utils.get_column_letter(COL[key] + 1)
               for key in ("recipient_type", "organization", "kind")}
    assert set(letters.values()) <= set(validations)
    catalog = template["Danh mục"]
    listed = [c.value for c in catalog["B"]]
    assert HPN in listed and MTTQ in listed
    assert "Giấy khen" in [c.value for c in catalog["C"]]
    # Filled in and uploaded, the template imports.
    for column, value in enumerate(in_template(row("Nguyễn Văn An")), 1):
        sheet.cell(HEADER_ROW + 1, column, value)
    buffer = io.BytesIO()
    template.save(buffer)
    assert fate_counts(upload(client, buffer.getvalue()).get_data(as_text=True))["new"] == 1


def in_template(values: list) -> list:
    """A row() list in the template's (the export's) column order."""
    from tests.test_awards_import import in_export_layout
    return in_export_layout(values)


# ---- unsafe files (issue 9, finding 2) -------------------------------------------------

def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def with_member(data: bytes, name: str, transform) -> bytes:
    """A workbook whose member `name` is rewritten by `transform`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {n: source.read(n) for n in source.namelist()}
    members[name] = transform(members[name])
    return zip_bytes(members)


DOCTYPE = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">]>'


@pytest.mark.parametrize("disguise", ["utf16", "long_comment", "entity_only"])
def test_a_dtd_is_refused_whatever_its_encoding_or_position(client, secretary, disguise):
    sheet = "xl/worksheets/sheet1.xml"

    def transform(xml: bytes) -> bytes:
        """Hide a DTD in the sheet's XML."""
        text = xml.decode("utf-8").split("?>", 1)[-1]
        if disguise == "utf16":
            return ('<?xml version="1.0" encoding="UTF-16"?>' + DOCTYPE + text).encode(
                "utf-16")
        if disguise == "long_comment":
            return ('<?xml version="1.0"?><!--' + "x" * 20_000 + "-->" + DOCTYPE
                    + text).encode()
        return ('<?xml version="1.0"?>' + text.replace("<sheetData>",
                                                       '<sheetData><!ENTITY b "b">')).encode()

    before = counts()
    response = upload(client, with_member(workbook([row()]), sheet, transform))
    assert response.status_code == 422
    assert "không an toàn" in response.get_data(as_text=True)
    assert counts() == before


def test_the_dtd_scan_reads_every_chunk():
    xml = b'<?xml version="1.0"?><a>' + b" " * 200_000 + DOCTYPE.encode() + b"</a>"
    assert reading.has_dtd(io.BytesIO(xml))
    assert reading.has_dtd(io.BytesIO(xml.decode().encode("utf-16-be")))
    assert not reading.has_dtd(io.BytesIO(b'<?xml version="1.0"?><a>ENTITY DOCTYPE</a>'))
    assert reading.has_dtd(io.BytesIO(b"<a/><!doctype a>"))


def test_a_cell_longer_than_its_field_is_an_error_row_shown_cut_short(client, secretary):
    response = upload(client, workbook([row("Nguyễn " * 3_000), row("Trần Thị Bích")]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    line = row_details(html, FIRST_DATA_ROW)
    assert line.startswith("error") and "quá 200 ký tự" in line
    assert "Nguyễn " * 200 not in html and len(html) < 100_000
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 0


# ---- one person, one record ------------------------------------------------------------

def test_likely_matches_are_suggested_and_a_merge_keeps_every_award_and_its_history(
        client, secretary):
    first = add_award("Nguyễn Thị Hòa", organization="hoi-lhpn", year=2022,
                      signed=date(2022, 12, 20), title="Chi hội trưởng")
    second = add_award("NGUYỄN HOÀ", organization="hoi-lhpn", year=2024,
                       signed=date(2024, 12, 20), number="9/QĐ-HPN")
    add_award("Nguyễn Thị Hoan", organization="hoi-lhpn", year=2023, signed=date(2023, 12, 20))
    add_award("Nguyễn Thị Hòa", organization="mttq", year=2021, signed=date(2021, 12, 20))
    history_before = {a.id: [h.id for h in a.history] for a in (first, second)}
    page = client.get("/awards/people/lookup?type=individual&name=Nguyễn Thị Hòa").get_data(
        as_text=True)
    assert "Có thể cùng một người" in page and "NGUYỄN HOÀ" in page
    assert "Nguyễn Thị Hoan" not in page  # another given name: not suggested
    response = client.post("/awards/people/merge", data={
        "csrf_token": csrf(client, "/awards/people/lookup?type=individual&name=Nguyễn Thị Hòa"),
        "type": "individual", "name": ["Nguyễn Thị Hòa", "NGUYỄN HOÀ"]})
    assert response.status_code == 303
    person = db.session.scalar(db.select(Person))
    assert response.headers["Location"].endswith(f"/awards/people/{person.id}")
    merged = db.session.scalars(db.select(Award).where(Award.person_id == person.id)).all()
    assert len(merged) == 3  # both spellings, both organizations' "Nguyễn Thị Hòa"
    for award in (first, second):
        db.session.refresh(award)
        assert [h.id for h in award.history][:-1] == history_before[award.id]
        assert award.history[-1].action == "merge"
    assert second.recipient_name == "NGUYỄN HOÀ"  # each award keeps its decision's spelling
    person_page = client.get(f"/awards/people/{person.id}").get_data(as_text=True)
    for year in (2021, 2022, 2024):
        assert f"Năm {year}" in person_page
    assert "Năm 2023" not in person_page
    # The name's page now leads to the merged record.
    found = client.get("/awards/people/lookup?type=individual&name=Nguyen Hoa")
    assert found.status_code == 302 and found.headers["Location"].endswith(
        f"/awards/people/{person.id}")
    assert db.session.scalar(db.select(db.func.count(AwardHistory.id)).where(
        AwardHistory.action == "merge")) == 3


def test_a_secretary_cannot_see_a_person_made_of_other_organizations_awards(client, make,
                                                                            auth, secretary):
    add_award("Nguyễn Thị Hòa", organization="mttq", year=2022, signed=date(2022, 12, 20))
    add_award("Nguyễn Hòa", organization="mttq", year=2024, signed=date(2024, 12, 20),
              number="9/QĐ-MTTQ")
    client.post("/awards/people/merge", data={
        "csrf_token": csrf(client, "/awards/new"), "type": "individual",
        "name": ["Nguyễn Thị Hòa", "Nguyễn Hòa"]})
    person = db.session.scalar(db.select(Person))
    auth.logout()
    login_as(make, auth, "thuky-pn", orgs=["hoi-lhpn"])
    assert client.get(f"/awards/people/{person.id}").status_code == 404


# ---- the year of birth -------------------------------------------------------------------

def test_a_year_of_birth_is_read_from_a_book_and_kept_by_a_book_without_it(client, secretary):
    headers = [*OLD_HEADERS, "Ngày sinh"]
    born = workbook([[*row("Nguyễn Thị Hòa"), "12/03/1968"], [*row("Lê Văn Cường"), 1971],
                     [*row("Trần Thị Lan"), date(1980, 5, 2)]], headers=headers)
    html = upload(client, born).get_data(as_text=True)
    assert fate_counts(html)["new"] == 3
    confirm(client, html)
    years = dict(db.session.execute(db.select(Award.recipient_name, Award.birth_year)).all())
    assert years == {"Nguyễn Thị Hòa": 1968, "Lê Văn Cường": 1971, "Trần Thị Lan": 1980}
    # Corrected from a book that has no such column: the year of birth stays.
    hoa = db.session.scalar(db.select(Award).where(Award.recipient_name == "Nguyễn Thị Hòa"))
    corrected = workbook([row("Nguyễn Thị Hòa", award_id=hoa.id, amount=400_000)],
                         headers=OLD_HEADERS)
    html = upload(client, corrected).get_data(as_text=True)
    assert fate_counts(html)["update"] == 1 and "Năm sinh" not in row_details(html, 4)
    confirm(client, html)
    db.session.refresh(hoa)
    assert (hoa.amount, hoa.birth_year) == (400_000, 1968)


def test_a_wrong_year_of_birth_is_an_error_next_to_its_cell(client, secretary):
    headers = [*OLD_HEADERS, "Năm sinh"]
    html = upload(client, workbook([[*row("Nguyễn Thị Hòa"), "sáu tám"],
                                    [*row("Chi hội khu 3", "Tập thể", HPN), 1970]],
                                   headers=headers)).get_data(as_text=True)
    assert fate_counts(html)["error"] == 2
    assert "Năm sinh phải là năm có 4 chữ số" in row_details(html, 4)
    assert "Năm sinh chỉ ghi cho cá nhân" in row_details(html, 5)


def test_the_award_form_keeps_a_year_of_birth_and_checks_it(client, secretary):
    form = {"recipient_type": "individual", "recipient_name": "Phạm Thị Thu",
            "organization": "hoi-lhpn", "kind": "giay-khen", "year": "2025",
            "achievement": "Hoàn thành xuất sắc", "decision_number": "21/QĐ-HPN",
            "decision_date": "20/12/2025", "issuer": "Ban Chấp hành Hội LHPN thị trấn",
            "signer": "Lê Thị Mai", "amount": ""}
    wrong = client.post("/awards/new", data={**form, "birth_year": "2030",
                                             "csrf_token": csrf(client, "/awards/new")})
    assert wrong.status_code == 422
    assert "Năm sinh phải từ 1900 đến năm thành tích" in wrong.get_data(as_text=True)
    assert 'value="2030"' in wrong.get_data(as_text=True)  # what was typed stays
    saved = client.post("/awards/new", data={**form, "birth_year": "1975",
                                             "csrf_token": csrf(client, "/awards/new")})
    assert saved.status_code == 303
    award = db.session.scalar(db.select(Award))
    assert award.birth_year == 1975
    assert "1975" in client.get(f"/awards/{award.id}").get_data(as_text=True)
    assert 'value="1975"' in client.get(f"/awards/{award.id}/edit").get_data(as_text=True)


def test_a_year_of_birth_makes_a_match_or_tells_namesakes_apart(client, secretary):
    add_award("Nguyễn Thị Hòa", organization="hoi-lhpn", year=2022, signed=date(2022, 12, 20),
              title="Chi hội trưởng", birth_year=1968)
    add_award("Nguyễn Hòa", organization="hoi-lhpn", year=2023, signed=date(2023, 12, 20),
              number="3/QĐ-HPN", birth_year=1968)
    add_award("Nguyễn Thu Hòa", organization="hoi-lhpn", year=2024, signed=date(2024, 12, 20),
              number="4/QĐ-HPN", title="Chi hội trưởng", birth_year=1990)
    page = client.get("/awards/people/lookup?type=individual&name=Nguyễn Thị Hòa").get_data(
        as_text=True)
    suggestions = page.split("Có thể cùng một người")[1].split("</form>")[0]
    assert "Nguyễn Hòa" in suggestions and "cùng năm sinh" in suggestions
    # Same position, but born in 1990: another person.
    assert "Nguyễn Thu Hòa" not in suggestions
