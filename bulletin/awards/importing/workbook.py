"""Reading an uploaded workbook: refuse what is unsafe, find the header, collect the rows."""

import io
import re
import warnings
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

from bulletin.awards.parsing import is_empty
from bulletin.awards.spreadsheets import COLUMNS
from bulletin.i18n import format_number
from bulletin.text import clean_line, fold

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 150 * 1024 * 1024
MAX_ROWS = 50_000
HEADER_SCAN_ROWS = 30
MIN_HEADER_FIELDS = 4
# A sheet formatted down to row 1,048,576 has that many empty rows: stop after this many.
MAX_BLANK_RUN = 1_000
REQUIRED = ("recipient_name", "organization", "kind", "year", "decision_number",
            "decision_date")

# Header texts, folded (see header_key), by field. The export's own headers come first.
HEADER_NAMES = {
    "stt": ("stt", "tt", "so tt", "so thu tu"),
    "id": ("ma so", "id", "ma", "ma khen thuong", "ma so khen thuong"),
    "recipient_type": ("doi tuong", "loai doi tuong", "loai", "ca nhan tap the",
                       "doi tuong khen"),
    "recipient_name": ("ho va ten ten tap the", "ho va ten", "ho ten", "ten",
                       "ten ca nhan tap the", "ten ca nhan tap the ho gia dinh",
                       "ten tap the ca nhan", "nguoi duoc khen", "ca nhan tap the duoc khen",
                       "doi tuong duoc khen", "ten doi tuong", "ho va ten ten don vi"),
    "recipient_title": ("chuc vu", "chuc danh", "chuc vu chuc danh"),
    "organization": ("to chuc", "don vi", "to chuc don vi", "don vi to chuc", "thuoc to chuc",
                     "thuoc don vi", "to chuc hoi"),
    "kind": ("hinh thuc khen thuong", "hinh thuc", "danh hieu", "hinh thuc danh hieu",
             "danh hieu hinh thuc", "danh hieu thi dua", "hinh thuc khen",
             "danh hieu hinh thuc khen thuong", "loai khen thuong"),
    "year": ("nam thanh tich", "nam", "nam khen thuong", "nam khen", "nam dat"),
    "achievement": ("thanh tich", "noi dung", "thanh tich dat duoc", "noi dung thanh tich",
                    "ly do khen", "ly do khen thuong", "tom tat thanh tich"),
    "decision_number": ("so quyet dinh", "so qd", "quyet dinh so", "so ky hieu",
                        "so ky hieu quyet dinh", "so hieu quyet dinh", "so va ky hieu"),
    "decision_date": ("ngay quyet dinh", "ngay qd", "ngay ky", "ngay ky quyet dinh",
                      "ngay ban hanh", "ngay thang nam quyet dinh", "ngay"),
    "issuer": ("cap co quan quyet dinh", "cap quyet dinh", "co quan quyet dinh",
               "co quan ra quyet dinh", "cap khen", "cap khen thuong", "co quan khen thuong",
               "co quan ban hanh", "don vi quyet dinh"),
    "signer": ("nguoi ky", "nguoi ky quyet dinh"),
    "amount": ("so tien", "tien thuong", "muc thuong", "so tien thuong", "gia tri"),
    "status": ("trang thai", "tinh trang"),
    "void_reason": ("ly do huy",),
}
_HEADER_LOOKUP = {name: key for key, names in HEADER_NAMES.items() for name in names}
# Longer headers that begin with a known multi-word name ("Họ và tên người được khen").
_HEADER_PREFIXES = sorted((name for name in _HEADER_LOOKUP if " " in name), key=len,
                          reverse=True)
LABELS = {column.key: column.header for column in COLUMNS}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(ValueError):
    """A file that cannot be imported at all; the message is for the user."""


def header_key(text) -> str:
    """Fold a header for matching: no case, diacritics, notes in brackets or punctuation."""
    folded = fold(clean_line(str(text))) if text is not None else ""
    folded = re.sub(r"\([^)]*\)", " ", folded)
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def header_field(text) -> str | None:
    """The field a header cell names, if any."""
    key = header_key(text)
    if not key:
        return None
    if key in _HEADER_LOOKUP:
        return _HEADER_LOOKUP[key]
    for name in _HEADER_PREFIXES:
        if key.startswith(name + " "):
            return _HEADER_LOOKUP[name]
    return None


def match_header(cells: tuple) -> dict[str, int]:
    """Map fields to column positions in a candidate header row (first column wins)."""
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = header_field(cell) if isinstance(cell, str) else None
        if name and name not in found:
            found[name] = position
    return found


def check_archive(data: bytes) -> None:
    """Refuse what is not a safe .xlsx before openpyxl opens it (type, size, zip bomb, DTD)."""
    if not data:
        raise ImportFileError(_("Tệp rỗng: không có dữ liệu nào để nhập."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("Tệp lớn hơn %(n)s MB: hãy chia thành nhiều tệp nhỏ hơn.",
                                n=MAX_FILE_BYTES // (1024 * 1024)))
    if data.startswith(_OLE_MAGIC):
        raise ImportFileError(_("Đây là tệp Excel cũ (.xls) hoặc tệp có đặt mật khẩu. Hãy mở "
                                "bằng Excel, bỏ mật khẩu nếu có, rồi “Lưu thành” dạng .xlsx."))
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("Tệp này không phải bảng tính Excel (.xlsx). Tệp CSV, Word "
                                "hay ảnh không nhập được: hãy mở bằng Excel rồi lưu dạng .xlsx."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        if isinstance(error, ImportFileError):
            raise
        raise ImportFileError(_("Tệp Excel bị hỏng, không đọc được. Hãy mở lại bằng Excel, "
                                "lưu lại rồi tải lên lần nữa.")) from error


def _check_members(archive: zipfile.ZipFile) -> None:
    """Check a zip's members: an Excel workbook, not too big once expanded, no DTDs."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        kind = _("tệp OpenDocument (.ods)") if "mimetype" in names else \
            _("tệp Word") if "word/document.xml" in names else _("tệp nén")
        raise ImportFileError(_("Đây là %(kind)s, không phải bảng tính Excel (.xlsx). Hãy lưu "
                                "lại dạng .xlsx rồi tải lên.", kind=kind))
    if len(infos) > 10_000 or sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
        raise ImportFileError(_("Tệp giải nén ra quá lớn (trên %(n)s MB): không nhập được.",
                                n=MAX_UNCOMPRESSED // (1024 * 1024)))
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as member:
                head = member.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ImportFileError(_("Tệp chứa khai báo XML không an toàn: không nhập được."))


@dataclass
class SheetRow:
    """One data row of the sheet: its number in Excel and its cells by field."""

    number: int
    cells: dict


@dataclass
class Sheet:
    """The rows read from the first worksheet."""

    title: str
    header_row: int
    columns: dict[str, int]
    rows: list[SheetRow]
    skipped: int = 0


def read_sheet(data: bytes) -> Sheet:
    """Open the first worksheet and return its header and data rows (title rows skipped)."""
    # Imported here: openpyxl loaded at start would cost every worker ~7 MB.
    from openpyxl import load_workbook

    check_archive(data)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _read_first_sheet(workbook)
            finally:
                workbook.close()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file
        raise ImportFileError(_("Không đọc được tệp Excel này: tệp bị hỏng hoặc không đúng "
                                "định dạng .xlsx. Hãy mở bằng Excel, lưu lại rồi tải lên "
                                "lần nữa.")) from error


def _read_first_sheet(workbook) -> Sheet:
    """Find the header row of the first sheet, then collect the data rows below it."""
    if not workbook.worksheets or not hasattr(workbook.worksheets[0], "reset_dimensions"):
        raise ImportFileError(_("Trang đầu tiên của tệp không phải bảng tính."))
    worksheet = workbook.worksheets[0]
    # Some programs write a wrong size for the sheet; read every row that is there.
    worksheet.reset_dimensions()
    sheet, blank_run = None, 0
    for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
        if sheet is None:
            if number > HEADER_SCAN_ROWS:
                break
            columns = match_header(cells)
            if len(columns) >= MIN_HEADER_FIELDS and "recipient_name" in columns:
                sheet = Sheet(worksheet.title, number, columns, [])
            continue
        row = {name: cells[pos] if pos < len(cells) else None
               for name, pos in sheet.columns.items()}
        if _is_blank(row):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if _is_total(row):
            sheet.skipped += 1
            continue
        sheet.rows.append(SheetRow(number, row))
        if len(sheet.rows) > MAX_ROWS:
            raise ImportFileError(_("Tệp có hơn %(n)s dòng: hãy chia thành nhiều tệp nhỏ hơn.",
                                    n=format_number(MAX_ROWS)))
    return _checked_sheet(sheet)


def _checked_sheet(sheet: Sheet | None) -> Sheet:
    """Refuse a sheet without a usable header row, or with no awards under it."""
    if sheet is None:
        raise ImportFileError(_(
            "Không tìm thấy dòng tiêu đề trong %(n)s dòng đầu của trang tính thứ nhất. Cần "
            "các cột như trong tệp xuất: “Họ và tên / Tên tập thể”, “Tổ chức”, “Hình thức "
            "khen thưởng”, “Năm thành tích”, “Số quyết định”, “Ngày quyết định”…",
            n=HEADER_SCAN_ROWS))
    missing = [LABELS[name] for name in REQUIRED if name not in sheet.columns]
    if missing:
        raise ImportFileError(_("Dòng tiêu đề (dòng %(row)s) thiếu cột: %(cols)s.",
                                row=sheet.header_row, cols=", ".join(missing)))
    if not sheet.rows:
        raise ImportFileError(_("Dưới dòng tiêu đề không có khen thưởng nào để nhập."))
    return sheet


def _is_blank(row: dict) -> bool:
    """True for a row with nothing but (maybe) a pre-filled number."""
    return all(is_empty(value) for name, value in row.items() if name != "stt")


def _is_total(row: dict) -> bool:
    """True for a "Tổng cộng" row: a total label, and no kind, year, decision."""
    if any(not is_empty(row.get(name)) for name in ("kind", "year", "decision_number",
                                                        "decision_date")):
        return False
    for name in ("recipient_name", "stt", "recipient_type"):
        text = header_key(row.get(name)) if isinstance(row.get(name), str) else ""
        if re.match(r"(tong cong|tong so|tong|cong|cong lai)\b", text):
            return True
    return False
