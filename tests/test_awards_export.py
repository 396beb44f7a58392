"""Exporting the registry to .xlsx and .csv: layout, types, filters, permissions, round trip."""

import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from bulletin.awards import records, spreadsheets
from bulletin.demo.awards import seed_awards
from bulletin.extensions import db
from bulletin.models import Award, AwardHistory, AwardKind, Decision, Organization
from bulletin.text import fold

HEADER_ROW = spreadsheets.TITLE_ROWS + 1
COL = spreadsheets.INDEX


# ---- helpers shared with test_awards_import ------------------------------------------------

def csrf(client, path: str) -> str:
    """The CSRF token of a form page."""
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def download(client, url: str):
    """GET an export, buffered (the test client then closes the file it was sent)."""
    return client.get(url, buffered=True)


def login_as(make, auth, username="thuky", role="secretary", orgs=()):
    """Make an account and log it in."""
    make.user(username, role=role, orgs=orgs)
    assert auth.login(username).status_code == 302


def kind(slug: str) -> AwardKind:
    """A standard award kind."""
    return db.session.scalar(db.select(AwardKind).where(AwardKind.slug == slug))


def org(slug: str) -> Organization:
    """A standard organization."""
    return db.session.scalar(db.select(Organization).where(Organization.slug == slug))


def add_award(name="Nguyễn Văn An", recipient_type="individual", organization="mttq",
              award_kind="giay-khen", year=2024, number="15/QĐ-MTTQ",
              signed=date(2024, 12, 20), amount=300_000, achievement="Hoàn thành xuất sắc",
              title="", issuer="Ban Thường trực Ủy ban MTTQ", voided_because=None,
              birth_year=None) -> Award:
    """Record one award through records, as the form does."""
    values = records.check(records.AwardValues(
        recipient_type=recipient_type, recipient_name=name, organization=org(organization),
        kind=kind(award_kind), year=year, decision_number=number, decision_date=signed,
        recipient_title=title, achievement=achievement, issuer=issuer, signer="Trần Văn Bình",
        amount=amount, birth_year=birth_year))
    assert not values.errors, values.errors
    award = records.create_award(values)
    if voided_because:
        records.void_award(award, voided_because)
    db.session.commit()
    return award


def sheet_of(data: bytes):
    """The first worksheet of an .xlsx."""
    return load_workbook(io.BytesIO(data)).worksheets[0]


def data_rows(sheet) -> list[tuple]:
    """The award rows of an exported sheet (below the header, without the total row)."""
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert str(rows[-1][COL["recipient_name"]]).startswith(spreadsheets.TOTAL_LABEL)
    return rows[:-1]


def exported_ids(response) -> set[int]:
    """The award ids in an .xlsx or .csv export."""
    if response.mimetype == "text/csv":
        lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[1:]
        return {int(line.split(",")[COL["id"]]) for line in lines}
    return {row[COL["id"]] for row in data_rows(sheet_of(response.data))}


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


# ---- layout and types -------------------------------------------------------------------

def test_xlsx_has_title_rows_a_frozen_vietnamese_header_and_column_widths(client, secretary):
    add_award()
    response = download(client, "/awards/export.xlsx?year=2024")
    assert response.status_code == 200
    assert response.mimetype == spreadsheets.XLSX_MIMETYPE
    sheet = sheet_of(response.data)
    assert sheet["A1"].value == "SỔ THEO DÕI THI ĐUA, KHEN THƯỞNG"
    assert "Năm 2024" in sheet["A2"].value
    assert re.match(r"Xuất ngày \d\d/\d\d/\d{4}", sheet["A3"].value)
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header == list(spreadsheets.HEADERS)
    assert "Mã số (ID)" in header and "Ngày quyết định" in header
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.column_dimensions["C"].width == 30


def test_xlsx_dates_are_date_cells_and_amounts_are_numbers(client, secretary):
    award = add_award(signed=date(2025, 1, 15), amount=1_800_000)
    sheet = sheet_of(download(client, "/awards/export.xlsx").data)
    row = sheet[HEADER_ROW + 1]
    by_header = {header: cell for header, cell in zip(spreadsheets.HEADERS, row, strict=True)}
    assert by_header["Mã số (ID)"].value == award.id
    assert by_header["Ngày quyết định"].is_date
    assert by_header["Ngày quyết định"].value.date() == date(2025, 1, 15)
    assert by_header["Ngày quyết định"].number_format == "dd/mm/yyyy"
    assert by_header["Số tiền (đồng)"].value == 1_800_000
    assert by_header["Số tiền (đồng)"].data_type == "n"
    assert by_header["Số tiền (đồng)"].number_format == "#,##0"
    assert by_header["Năm thành tích"].value == 2024
    assert by_header["Đối tượng"].value == "Cá nhân"
    assert by_header["Tổ chức"].value == "Ủy ban Mặt trận Tổ quốc Việt Nam"
    assert by_header["Hình thức khen thưởng"].value == "Giấy khen"


def test_xlsx_labels_recipient_types_and_keeps_voided_awards_with_their_reason(client,
                                                                                secretary):
    add_award("Chi hội Phụ nữ khu 3", "collective", "hoi-lhpn", amount=600_000)
    add_award("Hộ ông Nguyễn Văn An", "household", award_kind="gia-dinh-van-hoa", amount=None)
    add_award("Lê Thị Hoa", voided_because="Trùng với quyết định 12/QĐ-MTTQ")
    rows = data_rows(sheet_of(download(client, "/awards/export.xlsx").data))
    by_name = {row[COL["recipient_name"]]: row for row in rows}
    assert by_name["Chi hội Phụ nữ khu 3"][COL["recipient_type"]] == "Tập thể"
    assert by_name["Hộ ông Nguyễn Văn An"][COL["recipient_type"]] == "Hộ gia đình"
    assert by_name["Hộ ông Nguyễn Văn An"][COL["amount"]] is None
    status = slice(COL["status"], COL["void_reason"] + 1)
    assert by_name["Lê Thị Hoa"][status] == ("Đã hủy", "Trùng với quyết định 12/QĐ-MTTQ")
    assert by_name["Chi hội Phụ nữ khu 3"][status] == ("Còn hiệu lực", None)


def test_xlsx_total_row_adds_up_live_awards_only(client, secretary):
    add_award("Nguyễn Văn An", amount=300_000)
    add_award("Trần Thị Bích", amount=500_000)
    add_award("Lê Văn Cường", amount=900_000, voided_because="Nhầm người")
    last = list(sheet_of(download(client, "/awards/export.xlsx").data).values)[-1]
    assert last[COL["recipient_name"]] == "Tổng cộng: 2 khen thưởng còn hiệu lực"
    assert last[COL["amount"]] == 800_000


def test_text_that_looks_like_a_formula_stays_text(client, secretary):
    add_award(achievement="=HYPERLINK(\"http://x\",\"bấm\")")
    cell = data_rows(sheet_of(download(client, "/awards/export.xlsx").data))[0][
        COL["achievement"]]
    assert cell == "'=HYPERLINK(\"http://x\",\"bấm\")"
    csv_text = download(client, "/awards/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text


def test_csv_is_utf8_with_a_bom_and_dd_mm_yyyy_dates(client, secretary):
    add_award("Nguyễn Thị Hòa", signed=date(2025, 1, 5), amount=1_200_000)
    response = download(client, "/awards/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    lines = response.data.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].split(",") == list(spreadsheets.HEADERS)
    fields = lines[1].split(",")
    assert fields[COL["recipient_name"]] == "Nguyễn Thị Hòa"
    assert fields[COL["decision_date"]] == "05/01/2025"
    assert fields[COL["amount"]] == "1200000"


def test_download_names_carry_the_date_and_a_vietnamese_name(client, secretary):
    add_award()
    response = download(client, "/awards/export.xlsx?year=2024&org=mttq")
    disposition = response.headers["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', disposition).group(1)
    assert re.fullmatch(r"so-khen-thuong-2024-mttq-\d{4}-\d\d-\d\d\.xlsx", ascii_name)
    real_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))
    assert real_name.startswith("Sổ khen thưởng 2024 MTTQ ")
    assert real_name.endswith(".xlsx")
    csv_disposition = download(client, "/awards/export.csv").headers["Content-Disposition"]
    assert re.search(r'filename="so-khen-thuong-\d{4}-\d\d-\d\d\.csv"', csv_disposition)
    assert response.headers["Cache-Control"] == "no-store"


# ---- filters and scope ------------------------------------------------------------------

@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_exports_apply_the_registry_filters(client, make, secretary, extension):
    branch = make.make_org("Chi hội Phụ nữ khu 3", parent=org("hoi-lhpn"))
    a = add_award("Nguyễn Văn An", year=2024)
    b = add_award("Trần Thị Bích", organization="hoi-lhpn", year=2024)
    c = add_award("Chi hội Phụ nữ khu 3", "collective", branch.slug, year=2023,
                  number="3/QĐ-HPN", signed=date(2024, 1, 10))
    d = add_award("Lê Văn Dũng", award_kind="lao-dong-tien-tien", year=2023,
                  signed=date(2024, 1, 10), achievement="Chiến sĩ tiêu biểu")
    url = f"/awards/export.{extension}"
    assert exported_ids(download(client, url)) == {a.id, b.id, c.id, d.id}
    assert exported_ids(download(client, url + "?year=2024")) == {a.id, b.id}
    assert exported_ids(download(client, url + "?org=hoi-lhpn")) == {b.id, c.id}
    assert exported_ids(download(client, url + "?kind=lao-dong-tien-tien")) == {d.id}
    assert exported_ids(download(client, url + "?recipient_type=collective")) == {c.id}
    # `q` looks at names, positions and numbers; all=1 at every column (issue 18).
    assert exported_ids(download(client, url + "?q=chien+si")) == set()
    assert exported_ids(download(client, url + "?q=chien+si&all=1")) == {d.id}
    assert exported_ids(download(client, url + "?q=tran+bich")) == {b.id}
    assert exported_ids(download(client, url + "?year=2023&org=mttq")) == {d.id}


def test_exports_follow_the_registry_order(client, secretary):
    add_award("Trần Văn Bình", year=2023, signed=date(2024, 1, 5))
    add_award("Nguyễn Thị Yến", year=2024)
    add_award("Lê Văn An", year=2024)
    sheet = sheet_of(download(client, "/awards/export.xlsx").data)
    names = [row[COL["recipient_name"]] for row in data_rows(sheet)]
    assert names == ["Lê Văn An", "Nguyễn Thị Yến", "Trần Văn Bình"]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_secretary_exports_only_the_organizations_they_manage(client, make, auth, extension):
    mine = add_award("Trần Thị Bích", organization="hoi-lhpn")
    add_award("Nguyễn Văn An", organization="mttq")
    login_as(make, auth, "thuky-pn", orgs=["hoi-lhpn"])
    assert exported_ids(download(client, f"/awards/export.{extension}")) == {mine.id}
    response = download(client, f"/awards/export.{extension}?org=mttq")
    assert response.status_code == 200
    assert "Nguyễn Văn An" not in (response.get_data(as_text=True) if extension == "csv"
                                   else str(list(sheet_of(response.data).values)))


@pytest.mark.parametrize("path", ["/awards/export.xlsx", "/awards/export.csv"])
@pytest.mark.parametrize("role", ["editor", "reader"])
def test_editors_and_readers_cannot_export(client, make, auth, path, role):
    add_award()
    login_as(make, auth, "nguoidung", role=role, orgs=["mttq"])
    response = client.get(path)
    assert response.status_code == 403
    assert b"Nguy\xe1\xbb\x85n V\xc4\x83n An" not in response.data


@pytest.mark.parametrize("path", ["/awards/export.xlsx", "/awards/export.csv"])
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_export_is_recorded_in_the_audit_log(client, secretary):
    from bulletin.models import AuditEntry

    download(client, "/awards/export.xlsx?year=2024")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "award.export"))
    assert entry.username == "thuky"
    assert "Năm 2024" in entry.detail


# ---- the round trip ---------------------------------------------------------------------

def wipe_registry() -> None:
    """Delete every award, its history and every decision (as on a second instance)."""
    db.session.execute(AwardHistory.__table__.delete())
    db.session.execute(Award.__table__.delete())
    db.session.execute(Decision.__table__.delete())
    db.session.commit()


def upload(client, data: bytes, name="so-khen-thuong.xlsx"):
    """Post a workbook to the import form (the dry run)."""
    return client.post("/awards/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf(client, "/awards/import"),
                             "file": (io.BytesIO(data), name)})


def confirm_fields(html: str) -> dict:
    """The hidden fields of the dry run's confirm form."""
    form = re.search(r'<form[^>]*action="/awards/import/confirm".*?</form>', html, re.S)
    assert form, "the dry run offers no confirm button"
    return dict(re.findall(r'name="(csrf_token|token)"[^>]*value="([^"]*)"', form.group(0)))


def fate_counts(html: str) -> dict[str, int]:
    """The dry run's counts per fate."""
    return {fate: int(n.replace(".", "")) for fate, n in
            re.findall(r'data-fate="(\w+)">[^<]*<strong>([\d.]+)</strong>', html)}


@pytest.mark.slow
def test_export_then_import_of_1000_awards_gives_back_the_same_registry(client, secretary):
    seed_awards(1000)
    voided = db.session.scalars(db.select(Award).order_by(Award.id).limit(3)).all()
    for award in voided:
        records.void_award(award, "Hủy để thử: trùng quyết định")
    db.session.commit()
    first = download(client, "/awards/export.xlsx").data

    # The same registry reads the file back as unchanged, row for row.
    same = upload(client, first)
    assert same.status_code == 200
    assert fate_counts(same.get_data(as_text=True)) == {
        "new": 0, "update": 0, "unchanged": 1000, "duplicate": 0, "error": 0}

    # A second, empty registry takes every row as new, voided ones voided.
    wipe_registry()
    dry = upload(client, first)
    html = dry.get_data(as_text=True)
    assert fate_counts(html)["new"] == 1000, fate_counts(html)
    done = client.post("/awards/import/confirm", data=confirm_fields(html))
    assert done.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 1000
    assert db.session.scalar(db.select(db.func.count(Award.id)).where(Award.is_voided)) == 3

    second = download(client, "/awards/export.xlsx").data
    before, after = data_rows(sheet_of(first)), data_rows(sheet_of(second))
    # Every cell but the ID column (the new registry numbered the awards itself).
    assert [row[:-1] for row in after] == [row[:-1] for row in before]
    assert list(sheet_of(second).values)[-1] == list(sheet_of(first).values)[-1]


def test_seeded_demo_awards_follow_the_registry_rules(app):
    seed_awards(300)
    seed_awards(50)  # the one-by-one path, through records.create_award
    awards = db.session.scalars(db.select(Award)).all()
    assert len(awards) == 350
    for award in awards:
        values = records.AwardValues(
            award.recipient_type, award.recipient_name, award.organization, award.kind,
            award.year, award.decision.number, award.decision.signed_on,
            award.recipient_title, award.achievement, award.decision.issuer,
            award.decision.signer, award.amount)
        assert not records.check(values).errors, (award.recipient_name, values.errors)
        assert award.name_sort_key == records.sort_key(award.recipient_type,
                                                       award.recipient_name)
        assert award.search_text.startswith(fold(award.recipient_name))
        assert award.history and award.history[0].action == "create"
    names = {a.recipient_name for a in awards}
    assert any(n.startswith("Hộ ông ") or n.startswith("Hộ bà ") for n in names)
    assert any(n.startswith("Chi hội ") for n in names)
    assert db.session.scalar(db.select(db.func.count(Decision.id)).where(Decision.is_public))
    assert all(re.fullmatch(r"\d+/QĐ-[A-ZĐ]+", d.number)
               for d in db.session.scalars(db.select(Decision)))
    assert db.session.execute(text("SELECT count(*) FROM award_history")).scalar() == 350
