"""Spreadsheet bombs: a file that declares millions of cells is refused before it is read,
and one the count does not foresee ends only the child process reading it."""

import io
import re
import resource
import struct
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from bulletin.awards.importing import guard
from tests.test_awards_export import fate_counts, login_as, upload
from tests.test_awards_import import HPN

FIXTURES = Path(__file__).with_name("fixtures")
HEADERS = ["Họ và tên", "Tổ chức", "Hình thức", "Năm", "Số quyết định", "Ngày quyết định"]
AWARD = ["Phạm Thị Dung", HPN, "Giấy khen", "2023", "3/QĐ-HPN", "15/12/2023"]


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def ods(rows_xml: str) -> bytes:
    """An .ods whose one table holds these rows (written as table XML)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sổ">'
        f"{rows_xml}</table:table></office:spreadsheet></office:body>"
        "</office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
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


def text_row(items) -> str:
    """One table row of text cells."""
    return "<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{item}</text:p>'
        "</table:table-cell>" for item in items) + "</table:table-row>"


def ods_bomb() -> bytes:
    """The review's file: a header, then one row repeated 10,000 times holding one cell
    repeated 1,000 times (ten million cells in about a kilobyte)."""
    return ods(text_row(HEADERS) + (
        '<table:table-row table:number-rows-repeated="10000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'))


def peak_mb() -> int:
    """This process's peak resident memory, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def test_a_kilobyte_ods_declaring_ten_million_cells_is_refused_unread(client, secretary):
    data = ods_bomb()
    assert len(data) < 2000
    before, started = peak_mb(), time.monotonic()
    response = upload(client, data, "bom.ods")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "10.001 dòng × 1.000 cột, quá giới hạn nhập" in html
    assert 'name="file"' in html  # the form is there to try another file
    assert time.monotonic() - started < 5
    assert peak_mb() - before < 100


def test_trailing_empty_repeats_of_an_ods_count_as_nothing(client, secretary):
    # What LibreOffice writes under a table: empty rows and cells to the sheet's edge.
    data = ods(text_row(HEADERS) + text_row(AWARD) + (
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'))
    assert fate_counts(upload(client, data, "so.ods").get_data(as_text=True))["new"] == 1


def test_the_counter_adds_rows_times_columns_after_repeats():
    def count(rows_xml):
        counter = guard.OdsCounter()
        counter.feed(io.BytesIO(zipfile.ZipFile(io.BytesIO(ods(rows_xml))).read("content.xml")))
        return counter.cells

    assert count(text_row(HEADERS) + text_row(AWARD)) == 12
    wide = '<table:table-row table:number-rows-repeated="3"><table:table-cell ' \
           'table:number-columns-repeated="4"><text:p>x</text:p></table:table-cell>' \
           '<table:table-cell table:number-columns-repeated="900"/></table:table-row>'
    assert count(text_row(HEADERS) + wide) == 4 * 6
    with pytest.raises(guard.TooBig):
        count(wide.replace('"4"', '"400"'))


def xlsx_with(part: str, replace: str, by: str, more: dict | None = None) -> bytes:
    """An .xlsx holding a header and one award, with one of its parts rewritten (and the
    parts `more` added)."""
    book = Workbook()
    for values in (HEADERS, AWARD):
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    source, target = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == part:
                assert re.search(replace.encode(), member), member[:300]
                member = re.sub(replace.encode(), by.encode(), member, count=1)
            archive.writestr(info, member)
        for name, member in (more or {}).items():
            archive.writestr(name, member)
    return target.getvalue()


def test_an_xlsx_declaring_a_whole_sheet_is_refused(client, secretary):
    data = xlsx_with("xl/worksheets/sheet1.xml", r'<dimension ref="[^"]*"',
                     '<dimension ref="A1:XFD1048576"')
    response = upload(client, data)
    assert response.status_code == 422
    assert "1.048.576 dòng × 16.384 cột, quá giới hạn nhập" in response.get_data(as_text=True)


def test_an_xlsx_with_millions_of_shared_strings_is_refused(client, secretary):
    # Four million empty shared strings: 52 MB of XML in a 100 KB file, a list of four
    # million strings in memory once read.
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
               b'.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               + b"<si><t/></si>" * 4_000_000 + b"</sst>")
    data = xlsx_with("xl/_rels/workbook.xml.rels", "</Relationships>",
                     '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/sharedStrings" '
                     'Target="sharedStrings.xml"/></Relationships>',
                     {"xl/sharedStrings.xml": strings})
    assert len(data) < 1_000_000
    response = upload(client, data)
    assert response.status_code == 422
    assert "4.000.000 dòng × 1 cột, quá giới hạn nhập" in response.get_data(as_text=True)


def xls_fixture() -> bytearray:
    """The committed old-format (BIFF8) book: a title, a header, three awards."""
    return bytearray((FIXTURES / "so-khen-thuong-2019.xls").read_bytes())


def test_an_xls_declaring_its_whole_grid_is_refused(client, secretary):
    data = xls_fixture()
    at = data.index(b"\x00\x02\x0e\x00") + 4  # the DIMENSIONS record of the sheet
    data[at:at + 12] = struct.pack("<IIHH", 0, 65_536, 0, 256)
    response = upload(client, bytes(data), "so.xls")
    assert response.status_code == 422
    assert "65.536 dòng × 256 cột, quá giới hạn nhập" in response.get_data(as_text=True)


def test_a_bomb_the_count_misses_ends_only_the_child(app, client, secretary):
    # One cell moved to row 65,536, column 256 (the DIMENSIONS record left as it was): the
    # reader lays out 16.7 million cells, about 1 GB, in a child allowed 400 MB.
    app.config["IMPORT_MEMORY_MB"] = 400
    data = xls_fixture()
    last = [m.start() for m in re.finditer(rb"\xfd\x00\x0a\x00", data)][-1]  # a LABELSST
    data[last + 4:last + 8] = struct.pack("<HH", 65_535, 255)
    before = peak_mb()
    response = upload(client, bytes(data), "so.xls")
    assert response.status_code == 422
    assert "cần quá nhiều bộ nhớ để đọc (quá 400 MB)" in response.get_data(as_text=True)
    assert peak_mb() - before < 100


def test_a_reader_that_runs_too_long_is_stopped(app, client, secretary):
    # The bomb above, with memory enough: laying out its 16.7 million cells takes seconds.
    # (A small book is read by a child forked in milliseconds, faster than any timeout.)
    app.config["IMPORT_TIMEOUT_SECONDS"] = 0.3
    app.config["IMPORT_MEMORY_MB"] = 4096
    data = xls_fixture()
    last = [m.start() for m in re.finditer(rb"\xfd\x00\x0a\x00", data)][-1]  # a LABELSST
    data[last + 4:last + 8] = struct.pack("<HH", 65_535, 255)
    response = upload(client, bytes(data), "so.xls")
    assert response.status_code == 422
    assert "mất quá 0 giây nên đã dừng" in response.get_data(as_text=True)
