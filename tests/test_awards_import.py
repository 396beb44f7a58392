"""Importing the registry from .xlsx: dry run, fates, blocking errors, confirm, permissions."""

import io
import json
import os
import re
import time
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from bulletin.awards import spreadsheets
from bulletin.awards.importing import keeping, writing
from bulletin.awards.importing import workbook as reading
from bulletin.extensions import db
from bulletin.models import AuditEntry, Award, AwardHistory, Decision, ImportBatch
from tests.test_awards_export import (
    add_award,
    confirm_fields,
    csrf,
    data_rows,
    download,
    fate_counts,
    login_as,
    sheet_of,
    upload,
)

MTTQ = "Ủy ban Mặt trận Tổ quốc Việt Nam"
HPN = "Hội Liên hiệp Phụ nữ"
FIRST_DATA_ROW = 4  # a title row, a blank row, the header row


def row(name="Nguyễn Văn An", recipient_type="Cá nhân", organization=MTTQ, award="Giấy khen",
        year=2024, number="15/QĐ-MTTQ", signed=date(2024, 12, 20), amount=300_000,
        award_id=None, title="", achievement="Hoàn thành xuất sắc nhiệm vụ",
        issuer="Ban Thường trực Ủy ban MTTQ", signer="Trần Văn Bình", status="",
        reason="") -> list:
    """One award in the export's column order."""
    return [None, award_id, recipient_type, name, title, organization, award, year,
            achievement, number, signed, issuer, signer, amount, status, reason]


OLD_KEYS = ("stt", "id", "recipient_type", "recipient_name", "recipient_title", "organization",
            "kind", "year", "achievement", "decision_number", "decision_date", "issuer", "signer",
            "amount", "status", "void_reason")
# The export's layout before the ID column moved last (files of that layout still import).
OLD_HEADERS = tuple(spreadsheets.LABELS_BY_KEY[key] for key in OLD_KEYS)


def in_export_layout(values: list) -> list:
    """A row() list put in the export's current column order."""
    by_key = dict(zip(OLD_KEYS, values, strict=False))
    return [by_key.get(column.key) for column in spreadsheets.COLUMNS]


def workbook(rows: list[list], headers=None, title=True) -> bytes:
    """An .xlsx with a title row, a blank row, the header row and `rows` (row() lists go in
    the export's layout unless `headers` is given)."""
    if headers is None:
        headers, rows = spreadsheets.HEADERS, [in_export_layout(r) for r in rows]
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([spreadsheets.TITLE])
        sheet.append([])
    sheet.append(list(headers))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counts() -> dict[str, int]:
    """Rows in the tables an import writes to."""
    return {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Award, Decision, AwardHistory, AuditEntry)}


def kept_files(app) -> list[Path]:
    """Workbooks waiting under UPLOAD_DIR/imports."""
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    return sorted(path for path in folder.iterdir() if not path.name.endswith(".sheet.json")) \
        if folder.is_dir() else []


def kept_sheets(app) -> list[Path]:
    """The dry runs' readings of the kept workbooks (JSON), for the confirm to reuse."""
    return sorted((Path(app.config["UPLOAD_DIR"]) / "imports").glob("*.sheet.json"))


def row_details(html: str, number: int) -> str:
    """The text of the dry run's line for one sheet row (in the full list, or in the rows
    needing attention when the full list links there)."""
    found = re.search(rf'<tr class="fate-(\w+)" id="r{number}">(.*?)</tr>', html, re.S)
    assert found, f"row {number} is not listed"
    if f'href="#a{number}"' in found.group(2):
        found = re.search(rf'<tr class="fate-(\w+)" id="a{number}">(.*?)</tr>', html, re.S)
        assert found, f"row {number} links to a line needing attention that is not there"
    return found.group(1) + " " + re.sub(r"<[^>]+>", " ", found.group(2))


def confirm(client, html: str):
    """Press the dry run's confirm button."""
    return client.post("/awards/import/confirm", data=confirm_fields(html))


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


# ---- the dry run ------------------------------------------------------------------------

def test_dry_run_lists_every_row_with_its_fate_and_writes_nothing(app, client, secretary):
    before = counts()
    response = upload(client, workbook([
        row("Nguyễn Văn An"), row("Chi hội Phụ nữ khu 3", "Tập thể", HPN),
        row("Hộ ông Lê Văn Cường", "Hộ gia đình", award="Gia đình văn hóa", amount=None)]))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert fate_counts(html) == {"new": 3, "update": 0, "unchanged": 0, "duplicate": 0,
                                 "error": 0}
    for number, name in enumerate(("Nguyễn Văn An", "Chi hội Phụ nữ khu 3",
                                   "Hộ ông Lê Văn Cường"), FIRST_DATA_ROW):
        assert row_details(html, number).startswith("new")
        assert name in row_details(html, number)
    assert confirm_fields(html)["token"]
    assert counts() == before
    assert len(kept_files(app)) == 1


def test_confirm_writes_every_new_row_at_once_with_history_and_audit(app, client, secretary):
    html = upload(client, workbook([row("Nguyễn Văn An"), row("Trần Thị Bích"),
                                    row("Lê Văn Cường", number="2/QĐ-MTTQ")])).get_data(
        as_text=True)
    response = confirm(client, html)
    assert response.status_code == 303
    batch = db.session.scalar(db.select(ImportBatch))
    assert response.headers["Location"].endswith(f"/awards/import?batch={batch.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 khen thưởng mới" in page
    assert f'href="/awards/?batch={batch.id}"' in page
    assert (batch.file_name, batch.username, batch.created) == ("so-khen-thuong.xlsx",
                                                                "thuky", 3)
    awards = db.session.scalars(db.select(Award).order_by(Award.id)).all()
    assert [a.recipient_name for a in awards] == ["Nguyễn Văn An", "Trần Thị Bích",
                                                  "Lê Văn Cường"]
    assert all(a.source == "import" for a in awards)
    assert [(h.action, h.username) for a in awards for h in a.history] == [("import",
                                                                           "thuky")] * 3
    assert all(a.import_batch_id == batch.id for a in awards)
    assert all(json.loads(a.history[0].changes)["import_batch"] == [None, str(batch.id)]
               for a in awards)
    assert awards[0].decision is awards[1].decision
    assert [awards[0].line_no, awards[1].line_no] == [1, 2]
    assert awards[2].decision.number == "2/QĐ-MTTQ"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "award.import"))
    assert entry.username == "thuky" and "3 khen thưởng mới" in entry.detail
    assert kept_files(app) == [] and kept_sheets(app) == []


def test_a_broken_500th_row_blocks_the_whole_file(app, client, secretary):
    rows = [row(f"Nguyễn Văn Người{n}") for n in range(600)]
    rows[500 - FIRST_DATA_ROW][10] = "31/02/2024"
    before = counts()
    response = upload(client, workbook(rows))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert fate_counts(html) == {"new": 599, "update": 0, "unchanged": 0, "duplicate": 0,
                                 "error": 1}
    line = row_details(html, 500)
    assert line.startswith("error")
    assert "Nguyễn Văn Người496" in line
    assert "Ngày quyết định: Ngày không có thật: 31/02/2024." in line
    assert "có 1 dòng lỗi" in html
    assert "/awards/import/confirm" not in html
    assert counts() == before
    assert kept_files(app) == []


@pytest.mark.parametrize(("change", "message"), [
    ({6: "Huân chương Lao động hạng Ba"},
     "Hình thức khen thưởng: Không có hình thức “Huân chương Lao động hạng Ba”"),
    ({5: "Hội Người cao tuổi"}, "Tổ chức: Không có tổ chức “Hội Người cao tuổi”"),
    ({10: "hôm qua"}, "Ngày quyết định: Ngày phải viết dạng dd/mm/yyyy"),
    ({10: date(2030, 1, 1)}, "Ngày quyết định: Ngày quyết định không thể sau hôm nay."),
    ({13: -300_000}, "Số tiền (đồng): Số tiền phải là số nguyên không âm."),
    ({13: "-300.000"}, "Số tiền (đồng): Số tiền không được âm."),
    ({7: 2025, 10: date(2024, 12, 20)}, "không thể khen thành tích năm 2025"),
    ({7: "năm ngoái"}, "Năm thành tích: Năm phải là số có 4 chữ số"),
    ({2: "Tập thể", 6: "Lao động tiên tiến"}, "“Lao động tiên tiến” không dùng cho loại"),
    ({2: "Đơn vị"}, "Đối tượng: Loại đối tượng phải là “Cá nhân”, “Tập thể”"),
    ({3: None}, "Họ và tên / Tên tập thể: Nhập tên người hoặc tập thể được khen."),
    ({9: None}, "Số quyết định: Nhập số quyết định"),
    ({1: "mười hai"}, "Mã số (ID): Mã số phải là số"),
])
def test_each_broken_row_is_named_with_its_reason(client, secretary, change, message):
    broken = row("Phạm Thị Dung")
    for position, value in change.items():
        broken[position] = value
    response = upload(client, workbook([row("Nguyễn Văn An"), broken]))
    assert response.status_code == 422
    line = row_details(response.get_data(as_text=True), FIRST_DATA_ROW + 1)
    assert line.startswith("error")
    assert message in line
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 0


def test_duplicates_are_flagged_explained_and_not_written(client, secretary):
    existing = add_award("Nguyễn Văn An", year=2024)
    add_award("Lê Thị Hoa", year=2024, voided_because="Nhầm tên")
    html = upload(client, workbook([
        row("NGUYỄN  VĂN AN", number="20/QĐ-MTTQ", signed=date(2025, 1, 10)),
        row("Trần Thị Bích"),
        row("Trần Thị Bích"),
        row("Trần Thị Bích", award="Lao động tiên tiến", signed=date(2025, 1, 5)),
        row("Lê Thị Hoa"),
    ])).get_data(as_text=True)
    assert fate_counts(html) == {"new": 3, "update": 0, "unchanged": 0, "duplicate": 2,
                                 "error": 0}
    first = row_details(html, FIRST_DATA_ROW)
    assert first.startswith("duplicate")
    assert f"Trùng khen thưởng mã số {existing.id} đã có trong sổ (quyết định 15/QĐ-MTTQ" \
        in first
    assert f'href="/awards/{existing.id}"' in html
    third = row_details(html, FIRST_DATA_ROW + 2)
    assert third.startswith("duplicate") and f"dòng {FIRST_DATA_ROW + 1}" in third
    assert row_details(html, FIRST_DATA_ROW + 4).startswith("new")  # the other was voided
    assert "2 dòng trùng sẽ không được nhập" in html and 'name="keep"' in html
    assert confirm(client, html).status_code == 303
    names = db.session.scalars(db.select(Award.recipient_name).where(
        Award.source == "import").order_by(Award.id)).all()
    assert names == ["Trần Thị Bích", "Trần Thị Bích", "Lê Thị Hoa"]


# ---- the confirm ------------------------------------------------------------------------

def test_a_tampered_token_writes_nothing(client, secretary):
    html = upload(client, workbook([row()])).get_data(as_text=True)
    fields = confirm_fields(html)
    fields["token"] = fields["token"][:-3] + ("AAA" if fields["token"][-3:] != "AAA" else "BBB")
    response = client.post("/awards/import/confirm", data=fields)
    assert response.status_code == 409
    assert "Phiên nhập không hợp lệ" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 0


def test_a_second_confirm_writes_nothing_more(client, secretary):
    html = upload(client, workbook([row("Nguyễn Văn An"), row("Trần Thị Bích")])).get_data(
        as_text=True)
    assert confirm(client, html).status_code == 303
    again = confirm(client, html)
    assert again.status_code == 409
    assert "đã được nhập rồi" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 2


def test_another_accounts_token_is_refused(app, client, make, auth, secretary):
    html = upload(client, workbook([row()])).get_data(as_text=True)
    fields = confirm_fields(html)
    other = app.test_client()
    make.user("thuky2", role="secretary")
    from tests.conftest import AuthActions

    AuthActions(other).login("thuky2")
    fields["csrf_token"] = csrf(other, "/awards/import")
    assert other.post("/awards/import/confirm", data=fields).status_code == 409
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 0


def test_confirm_checks_the_file_again(client, secretary):
    html = upload(client, workbook([row("Nguyễn Văn An"), row("Trần Thị Bích")])).get_data(
        as_text=True)
    add_award("Trần Thị Bích")  # recorded on the web page meanwhile
    assert confirm(client, html).status_code == 303
    assert db.session.scalars(db.select(Award.recipient_name).where(
        Award.source == "import")).all() == ["Nguyễn Văn An"]


def test_confirm_reuses_the_dry_runs_reading_and_checks_the_rows_again(app, client,
                                                                       secretary,
                                                                       monkeypatch):
    html = upload(client, workbook([row("Nguyễn Văn An"), row("Trần Thị Bích")])).get_data(
        as_text=True)
    assert len(kept_sheets(app)) == 1
    add_award("Trần Thị Bích")  # recorded on the web page meanwhile: still found

    def no_reading(*args):
        raise AssertionError("the confirm read the file again")

    monkeypatch.setattr("bulletin.awards.importing.dryrun.read_sheet", no_reading)
    assert confirm(client, html).status_code == 303
    assert db.session.scalars(db.select(Award.recipient_name).where(
        Award.source == "import")).all() == ["Nguyễn Văn An"]
    assert kept_sheets(app) == []


@pytest.mark.parametrize("damage", ["remove", "change"])
def test_confirm_reads_the_file_again_without_an_intact_reading(app, client, secretary,
                                                               damage):
    html = upload(client, workbook([row("Nguyễn Văn An"), row("Trần Thị Bích")])).get_data(
        as_text=True)
    [reading] = kept_sheets(app)
    if damage == "remove":
        reading.unlink()
    else:
        reading.write_text(reading.read_text().replace("Trần Thị Bích", "Ai Khác"))
    assert confirm(client, html).status_code == 303
    assert db.session.scalars(db.select(Award.recipient_name).order_by(Award.id)).all() == [
        "Nguyễn Văn An", "Trần Thị Bích"]


def test_a_failure_while_writing_leaves_nothing_and_the_file_ready_again(app, client,
                                                                         secretary,
                                                                         monkeypatch):
    html = upload(client, workbook([row(f"Người {n}") for n in range(5)])).get_data(
        as_text=True)
    real_new_award = writing.new_award
    calls = []

    def failing_new_award(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:  # the first two batches of two are already in the database
            raise RuntimeError("disk full")
        return real_new_award(*args, **kwargs)

    monkeypatch.setattr(writing, "WRITE_BATCH", 2)
    monkeypatch.setattr(writing, "new_award", failing_new_award)
    before = counts()
    assert confirm(client, html).status_code == 500
    assert counts() == before
    assert len(kept_files(app)) == 1
    monkeypatch.setattr(writing, "new_award", real_new_award)
    assert confirm(client, html).status_code == 303
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 5


def test_imported_award_is_recorded_as_the_form_records_it(client, secretary):
    typed = add_award("Nguyễn Thị Hòa", title="Chi hội trưởng", amount=540_000,
                      achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024")
    html = upload(client, workbook([
        row("Nguyễn Thị Hòa", title="Chi hội trưởng", amount=540_000, number="16/QĐ-MTTQ",
            achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024", award="Bằng khen"),
        row("Lê Văn Cường", status="Đã hủy", reason="Nhầm người")])).get_data(as_text=True)
    assert confirm(client, html).status_code == 303
    imported = db.session.scalar(db.select(Award).where(
        Award.source == "import", Award.recipient_name == typed.recipient_name))
    columns = ("recipient_type", "recipient_name", "recipient_title", "name_sort_key",
               "organization_id", "year", "achievement", "amount", "is_voided")
    assert [getattr(imported, c) for c in columns] == [getattr(typed, c) for c in columns]
    assert imported.search_text == typed.search_text.replace("15/qd-mttq", "16/qd-mttq")
    assert imported.line_no == 1 and imported.decision.number == "16/QĐ-MTTQ"
    typed_changes = json.loads(typed.history[0].changes)
    imported_changes = json.loads(imported.history[0].changes)
    assert imported.history[0].action == "import"
    # 540.000 đ for a Bằng khen is below the rules' 1 × base salary: the import, as the
    # forms do, keeps that warning in the award's history.
    assert set(imported_changes) == set(typed_changes) | {"import_batch", "warnings"}
    assert "Tiền thưởng: ghi 540.000 đ" in imported_changes["warnings"][1]
    assert imported_changes["kind"] == [None, "Bằng khen"]
    voided = db.session.scalar(db.select(Award).where(Award.recipient_name == "Lê Văn Cường"))
    assert voided.is_voided and voided.void_reason == "Nhầm người" and voided.voided_at
    assert [h.action for h in voided.history] == ["import", "void"]


def test_stale_kept_files_are_removed_after_a_day(app, client, secretary):
    upload(client, workbook([row()]))
    [kept] = kept_files(app)
    old = time.time() - keeping.KEEP_SECONDS - 60
    os.utime(kept, (old, old))
    upload(client, workbook([row("Trần Thị Bích")]))
    assert kept not in kept_files(app) and len(kept_files(app)) == 1


# ---- rows with an ID --------------------------------------------------------------------

def test_rows_with_an_id_are_unchanged_or_corrected(client, secretary):
    add_award("Nguyễn Văn An", amount=300_000)
    add_award("Trần Thị Bích", amount=300_000)
    exported = download(client, "/awards/export.xlsx").data
    sheet = sheet_of(exported)
    first = spreadsheets.TITLE_ROWS + 2
    amount_column = spreadsheets.INDEX["amount"] + 1
    sheet.cell(first, amount_column).value = 500_000  # the first row's (Nguyễn Văn An)
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    html = upload(client, buffer.getvalue()).get_data(as_text=True)
    assert fate_counts(html) == {"new": 0, "update": 1, "unchanged": 1, "duplicate": 0,
                                 "error": 0}
    assert "Số tiền (đồng): 300000 → 500000" in row_details(html, first)
    assert confirm(client, html).status_code == 303
    award = db.session.scalar(db.select(Award).where(Award.recipient_name == "Nguyễn Văn An"))
    assert award.amount == 500_000
    assert award.history[-1].action == "update"
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 2


def with_initiative(rows: list[tuple[list, str]]) -> bytes:
    """A workbook in the export's layout plus a "Sáng kiến" column (row() lists, initiative)."""
    return workbook([[*in_export_layout(values), initiative] for values, initiative in rows],
                    headers=[*spreadsheets.HEADERS, "Sáng kiến"])


def test_a_row_that_changes_only_the_initiative_corrects_it_with_a_history_entry(
        client, secretary):
    award = add_award("Nguyễn Văn An")
    same = row(award_id=award.id, achievement=award.achievement)
    html = upload(client, with_initiative([(same, "Sổ tay hội viên số")])).get_data(
        as_text=True)
    assert fate_counts(html)["update"] == 1
    assert "Sáng kiến: — → Sổ tay hội viên số" in row_details(html, FIRST_DATA_ROW)
    assert confirm(client, html).status_code == 303
    db.session.expire_all()
    award = db.session.get(Award, award.id)
    assert award.initiative == "Sổ tay hội viên số"
    entry = award.history[-1]
    assert entry.action == "update"
    changes = json.loads(entry.changes)
    assert changes.pop("initiative") == ["", "Sổ tay hội viên số"]
    assert set(changes) <= {"warnings"}  # the money rule may warn; nothing else changed


def test_an_imported_correction_lists_every_change_in_one_entry(client, secretary):
    award = add_award("Nguyễn Văn An", amount=300_000)
    corrected = row(award_id=award.id, amount=500_000, achievement=award.achievement)
    html = upload(client, with_initiative([(corrected, "Mô hình tiết kiệm")])).get_data(
        as_text=True)
    assert confirm(client, html).status_code == 303
    db.session.expire_all()
    award = db.session.get(Award, award.id)
    assert [entry.action for entry in award.history] == ["create", "update"]
    changes = json.loads(award.history[-1].changes)
    assert changes["amount"] == ["300000", "500000"]
    assert changes["initiative"] == ["", "Mô hình tiết kiệm"]
    assert set(changes) <= {"amount", "initiative", "warnings"}


def test_an_empty_initiative_cell_keeps_the_stored_initiative(client, secretary):
    award = add_award("Nguyễn Văn An")
    same = row(award_id=award.id, achievement=award.achievement)
    html = upload(client, with_initiative([(same, "Sổ tay hội viên số")])).get_data(
        as_text=True)
    assert confirm(client, html).status_code == 303
    html = upload(client, with_initiative([(same, "")])).get_data(as_text=True)
    assert fate_counts(html)["unchanged"] == 1
    db.session.expire_all()
    assert db.session.get(Award, award.id).initiative == "Sổ tay hội viên số"


@pytest.mark.parametrize(("case", "message"), [
    ("voided_changed", "đã bị hủy, không sửa được"),
    ("void_by_file", "Muốn hủy, hãy dùng nút Hủy"),
    ("same_id_twice", "đã có ở dòng"),
])
def test_rows_with_an_id_that_cannot_be_applied_are_errors(client, secretary, case, message):
    live = add_award("Nguyễn Văn An")
    voided = add_award("Trần Thị Bích", voided_because="Nhầm")
    rows = {
        "voided_changed": [row("Trần Thị Bích", award_id=voided.id, amount=1,
                               status="Đã hủy", reason="Nhầm")],
        "void_by_file": [row("Nguyễn Văn An", award_id=live.id, status="Đã hủy")],
        "same_id_twice": [row("Nguyễn Văn An", award_id=live.id),
                          row("Nguyễn Văn An", award_id=live.id)],
    }[case]
    response = upload(client, workbook(rows))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_unknown_id_is_imported_as_a_new_award(client, secretary):
    html = upload(client, workbook([row(award_id=987_654)])).get_data(as_text=True)
    line = row_details(html, FIRST_DATA_ROW)
    assert line.startswith("new") and "Mã số 987654 không có trong sổ này" in line


# ---- a hand-kept book -------------------------------------------------------------------

def hand_kept_book() -> bytes:
    """A book typed by hand: merged titles, odd headers, text dates, dotted amounts, NFD."""
    book = Workbook()
    sheet = book.active
    sheet.append(["HỘI LIÊN HIỆP PHỤ NỮ THỊ TRẤN"])
    sheet.merge_cells("A1:H1")
    sheet.append(["Sổ theo dõi khen thưởng năm 2024"])
    sheet.merge_cells("A2:H2")
    sheet.append([])
    sheet.append(["STT", "  HỌ VÀ TÊN ", "Chức  vụ", "Đơn vị", "Danh hiệu", "Năm",
                  "Số QĐ", "Ngày QĐ", "Số tiền (đ)", "Ghi chú"])
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hòa")
    sheet.append([1, nfd, "Chi hội trưởng", "Hội LHPN", "giấy khen", "2024", "5/QĐ-HPN",
                  "20/12/2024", "300.000", "đã nhận"])
    sheet.append([])
    sheet.append([2, "Chi hội Phụ nữ khu 3", None, "hoi lien hiep phu nu", "GIẤY KHEN", 2024,
                  "5/QĐ-HPN", "20/12/2024", "600.000 đ"])
    sheet.append([3, "Hộ ông Hồ Văn Nam", None, "Hội LHPN", "Gia đình văn hóa", 2024.0,
                  "6/QĐ-UBND", " 05/01/2025 ", None])
    sheet.append([4, "Hồ Văn Nam", None, "Hội LHPN", "Giấy khen", 2024, "5/QĐ-HPN",
                  "20.12.2024", 300000])
    sheet.append([None, "Tổng cộng", None, None, None, None, None, None, 1_200_000])
    for number in range(5, 30):  # numbered lines left empty for later
        sheet.append([number])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_hand_kept_book_is_read_as_typed(client, secretary):
    response = upload(client, hand_kept_book(), "so-tay.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r'class="error">([^<]*)', html)
    assert fate_counts(html)["new"] == 4
    assert "dòng tiêu đề là dòng 4" in html
    assert "Bỏ qua 1 dòng tổng cộng" in html
    assert confirm(client, html).status_code == 303
    awards = {a.recipient_name: a for a in db.session.scalars(db.select(Award))}
    assert set(awards) == {"Nguyễn Thị Hòa", "Chi hội Phụ nữ khu 3", "Hộ ông Hồ Văn Nam",
                           "Hồ Văn Nam"}
    hoa = awards["Nguyễn Thị Hòa"]
    assert hoa.amount == 300_000 and hoa.decision.signed_on == date(2024, 12, 20)
    assert hoa.recipient_title == "Chi hội trưởng" and hoa.organization.slug == "hoi-lhpn"
    assert awards["Chi hội Phụ nữ khu 3"].recipient_type == "collective"
    assert awards["Chi hội Phụ nữ khu 3"].amount == 600_000
    assert awards["Hộ ông Hồ Văn Nam"].recipient_type == "household"
    assert awards["Hồ Văn Nam"].recipient_type == "individual"
    assert awards["Hồ Văn Nam"].decision is hoa.decision


# ---- files that are not a registry ------------------------------------------------------

def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive holding `members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A small .xlsx-looking zip whose sheet expands to more than the import accepts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(reading.MAX_UNCOMPRESSED // len(chunk) + 1):
                member.write(chunk)
    return buffer.getvalue()


def with_doctype(data: bytes) -> bytes:
    """A real workbook whose sheet XML declares an entity (an XML bomb's first step)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
    xml = members[sheet]
    members[sheet] = xml.replace(b"?>", b"?>" + doctype, 1) if xml.startswith(b"<?xml") \
        else doctype + xml
    return zip_bytes(members)


@pytest.mark.parametrize(("content", "message"), [
    (lambda: os.urandom(4096), "không phải bảng tính Excel (.xlsx)"),
    (lambda: "Họ và tên,Năm\nNguyễn Văn An,2024\n".encode(), "Tệp CSV"),
    (lambda: b"", "Tệp rỗng"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "tệp Excel cũ (.xls)"),
    (lambda: zip_bytes({"[Content_Types].xml": b"<Types/>",
                        "word/document.xml": b"<w:document/>"}), "tệp Word"),
    (lambda: workbook([row()])[:-200], "bị hỏng"),
    (zip_bomb, "giải nén ra quá lớn"),
    (lambda: with_doctype(workbook([row()])), "không an toàn"),
    (lambda: workbook([["Ngày", "Nội dung"], [1, 2]], headers=["Bảng chấm công"]),
     "Không tìm thấy dòng tiêu đề"),
    (lambda: workbook([row()], headers=["STT", "Họ và tên", "Chức vụ", "Tổ chức", "Năm"]),
     "thiếu cột"),
    (lambda: workbook([]), "không có khen thưởng nào"),
])
def test_files_that_are_not_a_registry_get_a_clear_message(app, client, secretary, content,
                                                           message):
    before = counts()
    response = upload(client, content(), "so-khen-thuong.xlsx")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'name="file"' in html
    assert counts() == before
    assert kept_files(app) == []


def test_posting_no_file_asks_for_one(client, secretary):
    response = client.post("/awards/import", content_type="multipart/form-data",
                           data={"csrf_token": csrf(client, "/awards/import")})
    assert response.status_code == 422
    assert "Hãy chọn tệp Excel (.xlsx) cần nhập." in response.get_data(as_text=True)


# ---- permissions ------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["editor", "reader"])
def test_editors_and_readers_cannot_import(client, make, auth, role):
    login_as(make, auth, "nguoidung", role=role, orgs=["mttq"])
    assert client.get("/awards/import").status_code == 403
    response = client.post("/awards/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(workbook([row()])), "a.xlsx")})
    assert response.status_code in (400, 403)
    assert client.post("/awards/import/confirm", data={"token": "x"}).status_code in (400, 403)
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 0


def test_editor_is_refused_even_with_a_valid_csrf_token(client, make, auth):
    login_as(make, auth, "bientap", role="editor", orgs=["mttq"])
    token = csrf(client, "/login")
    response = client.post("/awards/import", content_type="multipart/form-data",
                           data={"csrf_token": token,
                                 "file": (io.BytesIO(workbook([row()])), "a.xlsx")})
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/awards/import")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_secretary_cannot_import_rows_for_organizations_they_do_not_manage(client, make,
                                                                          auth):
    theirs = add_award("Nguyễn Văn An", organization="mttq")
    login_as(make, auth, "thuky-pn", orgs=["hoi-lhpn"])
    response = upload(client, workbook([
        row("Trần Thị Bích", organization=HPN, number="5/QĐ-HPN"),
        row("Lê Văn Cường", organization=MTTQ),
        row("Nguyễn Văn An", award_id=theirs.id, organization=HPN, amount=1),
    ]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert row_details(html, FIRST_DATA_ROW).startswith("new")
    assert f"Bạn không quản lý khen thưởng của “{MTTQ}”" in row_details(html,
                                                                      FIRST_DATA_ROW + 1)
    # Another organization's award id reads as unknown: nothing tells it exists or whose.
    third = row_details(html, FIRST_DATA_ROW + 2)
    assert third.startswith("new") and f"Mã số {theirs.id} không có trong sổ này" in third
    assert "thuộc" not in third and "không được sửa" not in third
    assert "/awards/import/confirm" not in html
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 1


def test_round_trip_keeps_names_dates_and_amounts(client, secretary):
    add_award("Nguyễn Thị Hòa", amount=1_234_000, signed=date(2025, 1, 2),
              achievement="Dòng một\nDòng hai")
    exported = download(client, "/awards/export.xlsx").data
    html = upload(client, exported).get_data(as_text=True)
    assert fate_counts(html)["unchanged"] == 1
    values = data_rows(sheet_of(exported))[0]
    assert values[spreadsheets.INDEX["achievement"]] == "Dòng một\nDòng hai"
