""".xlsx books are read with python-calamine: the same cells as openpyxl read them, error
cells kept as their text, a chart sheet first still refused."""

import io
import json
import re
import zipfile
from datetime import date, datetime

from openpyxl import Workbook

from bulletin.awards import spreadsheets
from bulletin.awards.importing import workbook as reading
from tests.test_awards_export import upload
from tests.test_awards_import import MTTQ, in_export_layout, row, secretary  # noqa: F401


def book(rows: list[list], at_column: int = 1, at_row: int = 1) -> bytes:
    """An .xlsx with the export's header and `rows`, its top left cell moved down and right."""
    workbook = Workbook()
    sheet = workbook.active
    for offset, values in enumerate([list(spreadsheets.HEADERS)] + rows):
        for position, value in enumerate(values):
            if value is not None:
                sheet.cell(at_row + offset, at_column + position, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(data: bytes, pattern: str, by: str) -> bytes:
    """The book with its first sheet's XML rewritten."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert re.search(pattern.encode(), member)
                member = re.sub(pattern.encode(), by.encode(), member, count=1)
            archive.writestr(info, member)
    return target.getvalue()


def both_readers(app, data: bytes):
    """The sheet as python-calamine and as openpyxl read it."""
    with app.test_request_context():
        return (reading._read_xlsx(data, frozenset()),
                reading._read_with_openpyxl(data, frozenset()))


def test_calamine_reads_the_cells_openpyxl_reads(app):
    values = [in_export_layout(row("Nguyễn Văn An", year=2024, amount=300_000)),
              in_export_layout(row("Trần Thị Bích", signed=datetime(2024, 5, 6, 10, 30),
                                   amount=1.5, number=1234)),
              [None] * len(spreadsheets.HEADERS),
              in_export_layout(row("Lê Văn Cường", signed="20/12/2024", year="2024"))]
    data = book(values, at_column=3, at_row=5)
    fast, slow = both_readers(app, data)
    assert (fast.title, fast.header_row, fast.columns) == (slow.title, 5, slow.columns)
    assert [(r.number, r.cells) for r in fast.rows] == [(r.number, r.cells) for r in slow.rows]
    assert [r.number for r in fast.rows] == [6, 7, 9]
    cells = fast.rows[0].cells
    assert cells["year"] == 2024 and type(cells["year"]) is int
    assert cells["decision_date"] == datetime(2024, 12, 20)
    assert fast.rows[1].cells["amount"] == 1.5
    assert fast.rows[1].cells["decision_number"] == 1234


def test_an_error_cell_is_read_as_its_text(app):
    data = book([in_export_layout(row("Nguyễn Văn An", title="x"))])
    data = rewritten(data, r'<c r="([A-Z]+2)" t="inlineStr"><is><t>x</t></is></c>',
                     r'<c r="\1" t="e"><v>#N/A</v></c>')
    fast, slow = both_readers(app, data)
    assert fast.rows[0].cells["recipient_title"] == "#N/A"
    assert fast.rows[0].cells == slow.rows[0].cells


def test_a_formulas_kept_value_is_read(app):
    data = book([in_export_layout(row("Nguyễn Văn An", amount=300_000))])
    data = rewritten(data, r'<c r="([A-Z]+2)" t="n"><v>300000</v></c>',
                     r'<c r="\1"><f>100000*3</f><v>300000</v></c>')
    fast, slow = both_readers(app, data)
    assert fast.rows[0].cells["amount"] == slow.rows[0].cells["amount"] == 300_000


def test_a_book_whose_first_sheet_is_a_chart_is_refused(client, secretary):  # noqa: F811
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(spreadsheets.HEADERS))
    sheet.append(in_export_layout(row(organization=MTTQ, signed=date(2024, 12, 20))))
    workbook.create_chartsheet("Biểu đồ", 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, buffer.getvalue())
    assert response.status_code == 422
    assert "Trang đầu tiên của tệp không phải bảng tính." in response.get_data(as_text=True)


def test_a_sheet_goes_through_json_unchanged(app):
    from bulletin.awards.importing import parsed

    data = book([in_export_layout(row("Nguyễn Văn An", signed=datetime(2024, 5, 6, 10, 30))),
                 in_export_layout(row("Trần Thị Bích", signed="20/12/2024", amount=1.5))])
    with app.test_request_context():
        sheet = reading.parse_sheet(data)
    sheet.rows[0].cells["signer"] = date(2024, 1, 2)
    back = parsed.sheet_from_json(json.loads(json.dumps(parsed.sheet_to_json(sheet))))
    assert back == sheet


def test_a_book_calamine_refuses_is_read_by_openpyxl(app, monkeypatch):
    import python_calamine

    refused = []

    def refuse(*args):
        refused.append(True)
        raise python_calamine.XmlError("unexpected XML")

    data = book([in_export_layout(row("Nguyễn Văn An"))])
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)
    with app.test_request_context():
        sheet = reading.parse_sheet(data)
    assert sheet.rows[0].cells["recipient_name"] == "Nguyễn Văn An" and refused
