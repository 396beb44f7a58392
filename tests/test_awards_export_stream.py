"""The streamed .xlsx export: its rows written as worksheet XML keep every text, type and
style openpyxl would give them, and the file is sent while it is written."""

import io
import zipfile
from unittest.mock import patch

from openpyxl import load_workbook

from bulletin.awards import spreadsheets
from bulletin.awards.queries import AwardFilters, filtered, in_registry_order
from bulletin.extensions import db
from tests.test_awards_export import (
    COL,
    HEADER_ROW,
    add_award,
    data_rows,
    download,
    secretary,  # noqa: F401 -- a fixture
    sheet_of,
)


def test_xlsx_is_sent_while_it_is_written_with_the_sheet_last(client, secretary):  # noqa: F811
    for number in range(3):
        add_award(f"Nguyễn Văn An {number}")
    response = download(client, "/awards/export.xlsx")
    assert response.status_code == 200
    assert "Content-Length" not in response.headers  # a generator, not a file
    stmt = in_registry_order(filtered(AwardFilters(), None))
    with patch.object(spreadsheets, "XML_ROWS", 1):
        chunks = list(spreadsheets.stream_xlsx(stmt, AwardFilters()))
    # The package's small parts first, then the sheet as deflate hands it on, then the
    # directory.
    assert chunks[0].startswith(b"PK") and len(chunks) >= 3
    package = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert package.testzip() is None
    assert package.namelist()[-1] == "xl/worksheets/sheet1.xml"
    assert len(data_rows(load_workbook(io.BytesIO(b"".join(chunks))).worksheets[0])) == 3


def test_awkward_text_comes_back_as_it_was_less_what_a_sheet_cannot_hold(client,
                                                                           secretary):  # noqa: F811
    award = add_award()
    award.achievement = "  Tốt & <giỏi> \"nhất\"\r\n'2025'\t "
    award.recipient_title = "Chi hội\x01 trưởng\x0b"
    award.decision.subject = "x" * 40_000
    db.session.commit()
    row = data_rows(sheet_of(download(client, "/awards/export.xlsx").data))[0]
    assert row[COL["achievement"]] == "  Tốt & <giỏi> \"nhất\"\r\n'2025'\t "
    assert row[COL["recipient_title"]] == "Chi hội trưởng"
    assert row[COL["subject"]] == "x" * spreadsheets.MAX_CELL_TEXT


def test_text_left_empty_by_the_cleaning_is_an_empty_bordered_cell(client, secretary):  # noqa: F811
    award = add_award(title="\x02\x03")
    award.recipient_title = "\x02\x03"
    db.session.commit()
    sheet = load_workbook(io.BytesIO(download(client, "/awards/export.xlsx").data)).worksheets[0]
    cell = sheet.cell(row=HEADER_ROW + 1, column=COL["recipient_title"] + 1)
    assert cell.value is None
    assert cell.border.left.style == "thin"


def test_data_cells_keep_their_font_border_wrapping_and_formats(client, secretary):  # noqa: F811
    add_award(amount=250_000)
    sheet = load_workbook(io.BytesIO(download(client, "/awards/export.xlsx").data)).worksheets[0]
    cells = {column.key: sheet.cell(row=HEADER_ROW + 1, column=position + 1)
             for position, column in enumerate(spreadsheets.COLUMNS)}
    for key, cell in cells.items():
        assert cell.font.name == spreadsheets.FONT_NAME, key
        assert cell.border.bottom.style == "thin", key
        assert bool(cell.alignment.wrap_text) == (key in spreadsheets.WRAPPED), key
    assert cells["decision_date"].number_format == spreadsheets.DATE_FORMAT
    assert cells["amount"].number_format == spreadsheets.AMOUNT_FORMAT
    total = sheet.cell(row=HEADER_ROW + 2, column=COL["amount"] + 1)
    assert total.value == 250_000 and total.font.b
    assert total.number_format == spreadsheets.AMOUNT_FORMAT


def test_an_empty_registry_exports_its_header_and_a_zero_total(client, secretary):  # noqa: F811
    sheet = sheet_of(download(client, "/awards/export.xlsx").data)
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    assert list(rows[0]) == list(spreadsheets.HEADERS)
    assert rows[1][COL["recipient_name"]] == \
        f"{spreadsheets.TOTAL_LABEL}: 0 khen thưởng còn hiệu lực"
    assert rows[1][COL["amount"]] == 0


def test_xml_text_drops_what_xml_cannot_hold_and_guards_formulas():
    assert spreadsheets._xml_text("a\ud800b\ufffec\x1f") == "<t>abc</t>"
    assert spreadsheets._xml_text("\x00") is None
    assert spreadsheets._xml_text("=1+1") == "<t>'=1+1</t>"
    assert spreadsheets._xml_text("a<b&c>") == "<t>a&lt;b&amp;c&gt;</t>"
    assert spreadsheets._xml_text(" a") == '<t xml:space="preserve"> a</t>'
    assert spreadsheets._xml_text("a\rb") == "<t>a&#13;b</t>"
