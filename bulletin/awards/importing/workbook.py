"""Reading an uploaded workbook: refuse what is unsafe, find the header, collect the rows."""

import codecs
import io
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from flask_babel import gettext as _

from bulletin.awards.importing import guard, legacy
from bulletin.awards.parsing import is_empty
from bulletin.awards.spreadsheets import COLUMNS, FORMULA_STARTS
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
    "birth_year": ("nam sinh", "sinh nam", "ngay sinh", "ngay thang nam sinh"),
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
               "co quan ban hanh", "don vi quyet dinh", "quyet dinh cap", "cap",
               "quyet dinh co quan"),
    "signer": ("nguoi ky", "nguoi ky quyet dinh", "quyet dinh nguoi ky"),
    "signer_title": ("chuc vu nguoi ky", "chuc danh nguoi ky", "quyet dinh chuc vu nguoi ky"),
    "subject": ("trich yeu", "trich yeu quyet dinh", "trich yeu noi dung", "quyet dinh trich yeu",
                "trich yeu noi dung quyet dinh"),
    "amount": ("so tien", "tien thuong", "muc thuong", "so tien thuong", "gia tri"),
    "status": ("trang thai", "tinh trang"),
    "void_reason": ("ly do huy",),
    # Read when a book has it (the export has no such column): a Chiến sĩ thi đua needs one.
    "initiative": ("sang kien", "sang kien de tai", "sang kien duoc cong nhan", "ten sang kien",
                   "de tai sang kien", "sang kien giai phap"),
    # For the statistics: "Giới tính" (Nam/Nữ), or a "Nữ" column marked with an x.
    "sex": ("gioi tinh", "gioi", "gioi tinh nam nu", "nam nu"),
    "female_mark": ("nu", "gioi tinh nu", "nu x", "nu danh x"),
    "male_mark": ("gioi tinh nam", "nam x"),
    "ethnicity": ("dan toc", "dan toc kinh", "thanh phan dan toc"),
    "issuer_level": ("cap cua co quan quyet dinh", "cap co quan ky", "cap ra quyet dinh",
                     "cap khen thuong ma", "cap cua co quan", "cap co quan khen"),
}
_HEADER_LOOKUP = {name: key for key, names in HEADER_NAMES.items() for name in names}
# Longer headers that begin with a known multi-word name ("Họ và tên người được khen").
_HEADER_PREFIXES = sorted((name for name in _HEADER_LOOKUP if " " in name), key=len,
                          reverse=True)
LABELS = {column.key: column.header for column in COLUMNS} | {"initiative": "Sáng kiến",
                                                              "female_mark": "Nữ",
                                                              "male_mark": "Nam"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX, XLS, ODS = "xlsx", "xls", "ods"
_XML_CHUNK = 64 * 1024
_DTD_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# An error cell of a worksheet: <c r="B2" t="e"> (attributes in any order).
_ERROR_CELL_RE = re.compile(rb"<(?:\w+:)?c\b[^>]*\bt=[\"']e[\"']")
_DECLARED_RE = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Text fields the legacy-font conversion looks at (codes and numbers are left alone).
LEGACY_FIELDS = ("recipient_type", "recipient_name", "recipient_title", "organization", "kind",
                 "achievement", "decision_number", "issuer", "signer", "signer_title", "subject",
                 "status", "void_reason", "initiative", "sex", "female_mark", "male_mark",
                 "ethnicity",
                 "issuer_level")


class ImportFileError(ValueError):
    """A file that cannot be imported at all; the message is for the user."""


@lru_cache(maxsize=16_384, typed=True)
def header_key(text) -> str:
    """Fold a header for matching: no case, diacritics, notes in brackets or punctuation.

    Remembered: the import folds every row's organization, kind, type and status with it."""
    folded = fold(clean_line(str(text))) if text is not None else ""
    folded = re.sub(r"\([^)]*\)", " ", folded)
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def header_field(text) -> str | None:
    """The field a header cell names, if any (also when typed in a legacy font)."""
    if not isinstance(text, str):
        return None
    for candidate in (text, legacy.tcvn3_to_unicode(text), legacy.vni_to_unicode(text)):
        found = _header_field(candidate)
        if found:
            return found
    return None


def _header_field(text: str) -> str | None:
    """The field a header text names, if any."""
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
        name = header_field(cell)
        if name and name not in found:
            found[name] = position
    return found


def file_format(data: bytes) -> str:
    """Tell an .xlsx, .ods or .xls apart; refuse what is none of them (a clear message)."""
    if not data:
        raise ImportFileError(_("Tệp rỗng: không có dữ liệu nào để nhập."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("Tệp lớn hơn %(n)s MB: hãy chia thành nhiều tệp nhỏ hơn.",
                                n=MAX_FILE_BYTES // (1024 * 1024)))
    if data.startswith(_OLE_MAGIC):
        return XLS
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("Tệp này không phải bảng tính Excel (.xlsx), Excel cũ (.xls) "
                                "hay OpenDocument (.ods). Tệp CSV, Word hay ảnh không nhập "
                                "được: hãy mở bằng Excel rồi lưu dạng .xlsx."))
    return ODS if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in data[:200] \
        else XLSX


def check_archive(data: bytes) -> str:
    """Refuse what is not a safe workbook before a reader opens it; return its format."""
    kind = file_format(data)
    if kind == XLS:
        return kind
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(archive, kind)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        if isinstance(error, ImportFileError):
            raise
        raise ImportFileError(_("Tệp Excel bị hỏng, không đọc được. Hãy mở lại bằng Excel, "
                                "lưu lại rồi tải lên lần nữa.")) from error
    return kind


def _check_members(archive: zipfile.ZipFile, kind: str) -> None:
    """Check a zip's members: a workbook, not too big once expanded, no DTD anywhere."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    wanted = "content.xml" if kind == ODS else "xl/workbook.xml"
    if wanted not in names:
        what = _("tệp Word") if "word/document.xml" in names else _("tệp nén")
        raise ImportFileError(_("Đây là %(kind)s, không phải bảng tính Excel (.xlsx). Hãy lưu "
                                "lại dạng .xlsx rồi tải lên.", kind=what))
    if len(infos) > 10_000 or sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
        raise ImportFileError(_("Tệp giải nén ra quá lớn (trên %(n)s MB): không nhập được.",
                                n=MAX_UNCOMPRESSED // (1024 * 1024)))
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as member:
                if has_dtd(member):
                    raise ImportFileError(_("Tệp chứa khai báo XML không an toàn (DTD/"
                                            "ENTITY): không nhập được."))


def xml_encoding(head: bytes) -> str:
    """The encoding of an XML document from its byte order mark or its declaration."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return name
    if head.startswith(b"<\x00\x00\x00"):
        return "utf-32-le"
    if head.startswith(b"\x00\x00\x00<"):
        return "utf-32-be"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    declared = _DECLARED_RE.match(head)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def has_dtd(stream) -> bool:
    """True when an XML document declares a DOCTYPE or ENTITY anywhere, whatever its
    encoding (read in chunks, decoded by its byte order mark or declared encoding)."""
    head = stream.read(_XML_CHUNK)
    try:
        decoder = codecs.getincrementaldecoder(xml_encoding(head))(errors="replace")
    except LookupError:
        return True  # an encoding Python does not know: nothing vouches for the content
    tail, chunk = "", head
    while chunk:
        text = tail + decoder.decode(chunk)
        if _DTD_RE.search(text):
            return True
        tail = text[-16:]
        chunk = stream.read(_XML_CHUNK)
    return bool(_DTD_RE.search(tail + decoder.decode(b"", final=True)))


@dataclass
class SheetRow:
    """One data row of the sheet: its number in Excel and its cells by field."""

    number: int
    cells: dict
    converted: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Sheet:
    """The rows read from the first worksheet.

    `encodings` counts, by column, the cells typed in each legacy font; the columns in
    `as_typed` are left as typed (the secretary turned their conversion off). `tails` are the
    (first, last) rows under the table that are its signature block or notes, not awards.
    """

    title: str
    header_row: int
    columns: dict[str, int]
    rows: list[SheetRow]
    skipped: int = 0
    encodings: dict[str, Counter] = field(default_factory=dict)
    as_typed: frozenset[str] = frozenset()
    tails: list[list[int]] = field(default_factory=list)
    in_tail: bool = False


def read_sheet(data: bytes, as_typed: frozenset[str] = frozenset()) -> Sheet:
    """Open the first worksheet and return its header and data rows (title rows skipped),
    read in a child process with a memory limit and a timeout (see `guard`).

    Cells typed in a legacy font are converted one by one, except in the `as_typed` columns.
    """
    return guard.read_isolated(data, frozenset(as_typed))


def parse_sheet(data: bytes, as_typed: frozenset[str] = frozenset()) -> Sheet:
    """Read the first worksheet here, once its declared size is checked (the child's work)."""
    kind = check_archive(data)
    try:
        guard.count_cells(data, kind)
        reader = _read_xlsx if kind == XLSX else _read_with_calamine
        sheet = reader(data, frozenset(as_typed) & set(LEGACY_FIELDS))
    except (ImportFileError, MemoryError):
        raise
    except guard.TooBig as error:
        raise ImportFileError(guard.too_big_message(error)) from None
    except Exception as error:  # the readers raise many kinds of error on a damaged file
        if kind == XLS:
            raise ImportFileError(_("Không đọc được tệp Excel cũ (.xls) này: tệp bị hỏng hoặc "
                                    "có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu nếu có, "
                                    "rồi “Lưu thành” dạng .xlsx.")) from error
        raise ImportFileError(_("Không đọc được tệp này: tệp bị hỏng hoặc không đúng định "
                                "dạng. Hãy mở bằng Excel, lưu lại dạng .xlsx rồi tải lên lần "
                                "nữa.")) from error
    return _checked_sheet(sheet)


def _read_xlsx(data: bytes, as_typed: frozenset[str]) -> Sheet | None:
    """Read the first worksheet of an .xlsx with python-calamine (many times faster than
    openpyxl); a book holding error cells (#N/A, #REF!) is read with openpyxl, which gives
    them as their text where python-calamine gives an empty cell."""
    if has_error_cells(data):
        return _read_with_openpyxl(data, as_typed)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 (CalamineError, XmlError, ZipError…)
        return _after_calamine_failed(error, data, as_typed)
    try:
        sheets = workbook.sheets_metadata
        if not sheets or sheets[0].typ != SheetTypeEnum.WorkSheet:
            raise ImportFileError(_("Trang đầu tiên của tệp không phải bảng tính."))
        try:
            sheet = workbook.get_sheet_by_index(0)
        except Exception as error:  # noqa: BLE001
            return _after_calamine_failed(error, data, as_typed)
        return collect_rows(sheet.name, calamine_rows(sheet), as_typed)
    finally:
        workbook.close()


def _after_calamine_failed(error: Exception, data: bytes, as_typed: frozenset[str]):
    """python-calamine is stricter than openpyxl about some writers' XML: let openpyxl try."""
    if isinstance(error, MemoryError):
        raise error
    return _read_with_openpyxl(data, as_typed)


def has_error_cells(data: bytes) -> bool:
    """True when a worksheet of an .xlsx holds an error cell (`t="e"`), found on its bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as member:
                    tail = b""
                    while chunk := member.read(_XML_CHUNK):
                        if _ERROR_CELL_RE.search(tail + chunk):
                            return True
                        tail = chunk[-256:]
    return False


def _read_with_openpyxl(data: bytes, as_typed: frozenset[str]) -> Sheet | None:
    """Read the first worksheet of an .xlsx with openpyxl (defusedxml parses its XML)."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; they do not matter here.
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets or not hasattr(workbook.worksheets[0],
                                                      "reset_dimensions"):
                raise ImportFileError(_("Trang đầu tiên của tệp không phải bảng tính."))
            worksheet = workbook.worksheets[0]
            # Some programs write a wrong size for the sheet; read every row that is there.
            worksheet.reset_dimensions()
            return collect_rows(worksheet.title, worksheet.iter_rows(values_only=True), as_typed)
        finally:
            workbook.close()


def calamine_rows(sheet):
    """A python-calamine sheet's rows as openpyxl gives them: from column A (calamine starts
    at the first column holding something), None for an empty cell, whole numbers as int,
    dates as datetime."""
    pad = (None,) * (sheet.start[1] if sheet.start else 0)
    for row in sheet.iter_rows():
        yield pad + tuple(cell if type(cell) is str and cell else _as_openpyxl(cell)
                          for cell in row)


def _as_openpyxl(cell):
    """One non-text cell of python-calamine as openpyxl reads it."""
    if cell == "":
        return None
    if type(cell) is float and cell.is_integer() and abs(cell) < 2 ** 53:
        return int(cell)
    if type(cell) is date:
        return datetime(cell.year, cell.month, cell.day)
    return cell


def _read_with_calamine(data: bytes, as_typed: frozenset[str]) -> Sheet | None:
    """Read the first sheet of an .xls or .ods with python-calamine."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        if not workbook.sheet_names:
            raise ImportFileError(_("Trang đầu tiên của tệp không phải bảng tính."))
        sheet = workbook.get_sheet_by_index(0)
        return collect_rows(sheet.name, calamine_rows(sheet), as_typed)
    finally:
        workbook.close()


def two_row_header(top: tuple, below: tuple) -> dict[str, int]:
    """Fields of a header written on two rows, the upper ones merged over their parts.

    "Quyết định" over "Số", "Ngày", "Cấp" reads as "Quyết định số", …; a merged upper cell
    holds its text in its first column only, so it is carried right over the parts below.
    """
    found: dict[str, int] = {}
    parent = None
    for position in range(max(len(top), len(below))):
        upper = top[position] if position < len(top) else None
        lower = below[position] if position < len(below) else None
        if isinstance(upper, str) and upper.strip():
            parent = upper
        elif is_empty(lower):
            parent = None
        texts = [upper]
        if isinstance(lower, str) and lower.strip():
            texts = [f"{parent} {lower}" if parent else lower, lower]
        for text in texts:
            name = header_field(text)
            if name:
                found.setdefault(name, position)
                break
    return found


def _header_at(previous: tuple | None, cells: tuple) -> tuple[dict[str, int], bool] | None:
    """The header a row ends (alone, or under the row before it), if any."""
    single = match_header(cells)
    double = two_row_header(previous, cells) if previous else {}
    best, is_double = (double, True) if len(double) > len(single) else (single, False)
    if len(best) >= MIN_HEADER_FIELDS and "recipient_name" in best:
        return best, is_double
    return None


def collect_rows(title: str, rows, as_typed: frozenset[str] = frozenset()) -> Sheet | None:
    """Find the header (one row or two), then collect the data rows below it."""
    sheet, blank_run, previous, look_below = None, 0, None, False
    for number, cells in enumerate(rows, 1):
        if sheet is None:
            if number > HEADER_SCAN_ROWS + 1:
                break
            header = _header_at(previous, cells)
            previous = cells
            if header:
                sheet = Sheet(str(title)[:100], number - header[1], header[0], [],
                              as_typed=as_typed)
                look_below = not header[1]
            continue
        if look_below:
            # A complete header row may still have its parts written on the row below.
            look_below = False
            below = two_row_header(previous, cells)
            if len(below) > len(sheet.columns):
                sheet.columns = below
                continue
        if not _add_row(sheet, number, cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
        else:
            blank_run = 0
    return sheet


def _add_row(sheet: Sheet, number: int, cells: tuple) -> bool:
    """Keep one data row (totals, column numbers and the signature block are counted, not
    kept); False if blank."""
    row = {name: unguard(cells[pos]) if pos < len(cells) else None
           for name, pos in sheet.columns.items()}
    if _is_blank(row):
        if sheet.in_tail and any(not is_empty(cell) for cell in cells):
            sheet.tails[-1][1] = number  # a signer's name outside the table's columns
            return True
        return False
    converted = _convert_cells(sheet, row)
    if _is_total(row) or _is_numbering(row):
        sheet.skipped += 1
        return True
    if _in_tail(sheet, number, row, cells):
        return True
    for name, _typed, (encoding, _text) in converted:
        sheet.encodings.setdefault(name, Counter())[encoding] += 1
    sheet.rows.append(SheetRow(number, row, [
        (name, typed, text) for name, typed, (_encoding, text) in converted
        if name not in sheet.as_typed]))
    if len(sheet.rows) > MAX_ROWS:
        raise ImportFileError(_("Tệp có hơn %(n)s dòng: hãy chia thành nhiều tệp nhỏ hơn.",
                                n=format_number(MAX_ROWS)))
    return True


def _convert_cells(sheet: Sheet, row: dict) -> list[tuple[str, str, tuple[str, str]]]:
    """Convert each cell typed in a legacy font (outside the `as_typed` columns) in place;
    return (field, as typed, (encoding, converted)) for every such cell."""
    found = []
    for name in LEGACY_FIELDS:
        before = row.get(name)
        if isinstance(before, str) and not before.isascii():
            decided = legacy.decide(before, sheet.encodings.get(name))
            if decided is not None:
                found.append((name, before, decided))
                if name not in sheet.as_typed:
                    row[name] = decided[1]
    return found


# What a book writes under its table (folded): the place and date, the signers' roles, the
# "(Ký, ghi rõ họ tên)" line, notes.
_DATE_LINE_RE = re.compile(r"\bngay\b.{0,20}\bthang\b.{0,20}\bnam\b")
_SIGN_HINT_RE = re.compile(r"\(?\s*(ky|da ky|ky ten|ky va)\b")
_NOTE_WORDS = ("ghi chu", "luu y", "chu y", "noi nhan", "an dinh danh sach", "danh sach nay",
               "danh sach tren", "danh sach co", "danh sach gom", "tong so")
# Roles, read only in capitals ("NGƯỜI LẬP SỔ", "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH").
_ROLE_WORDS = ("nguoi lap", "nguoi ghi", "nguoi ky", "nguoi duyet", "nguoi kiem tra",
               "nguoi tong hop", "lanh dao", "thu truong", "xac nhan", "tm ", "t m ", "kt ",
               "k t ", "q ", "chu tich", "pho chu tich", "truong ban", "pho truong ban",
               "bi thu", "pho bi thu", "thu ky", "can bo", "ke toan", "thu quy", "giam doc",
               "dai dien", "ban thuong vu", "ban thuong truc", "uy vien")
_YEAR_RE = re.compile(r"\s*(19|20)\d\d\s*")
_DATE_RE = re.compile(r"\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\s*")


def is_signature_text(text: str) -> bool:
    """True for a line of a book's signature block or notes (place and date, a signer's
    role in capitals, "(Ký, ghi rõ họ tên)", "Ghi chú: …")."""
    decided = legacy.decide(text) if not text.isascii() else None
    text = clean_line(decided[1] if decided else text)
    folded = fold(text)
    words = " ".join(re.findall(r"[a-z0-9]+", folded)) + " "
    if _DATE_LINE_RE.search(folded) or _SIGN_HINT_RE.match(folded) \
            or words.startswith(_NOTE_WORDS):
        return True
    return text.isupper() and words.startswith(_ROLE_WORDS)


def _has_award_data(row: dict) -> bool:
    """True when a row holds what every award has: a year, or a decision date."""
    year, signed = row.get("year"), row.get("decision_date")
    if isinstance(year, int | float) or isinstance(signed, date | int | float):
        return True
    return (isinstance(year, str) and _YEAR_RE.fullmatch(year) is not None) or \
        (isinstance(signed, str) and _DATE_RE.fullmatch(signed) is not None)


def _in_tail(sheet: Sheet, number: int, row: dict, cells: tuple) -> bool:
    """True when a row is part of what the book writes under its table, not an award.

    After the last award row, a row of signature texts only (in any columns) begins the
    block; the rows below it without an award's year or decision date (a name alone, a note)
    belong to it. A row with a year or a date below it is read again, so no award is ever
    dropped unseen.
    """
    if _has_award_data(row):
        sheet.in_tail = False
        return False
    if not sheet.in_tail:
        texts = [cell for cell in cells if isinstance(cell, str) and cell.strip()]
        if not sheet.rows or not texts or not all(is_signature_text(t) for t in texts):
            return False
        sheet.in_tail = True
        sheet.tails.append([number, number])
    sheet.tails[-1][1] = number
    return True


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


def unguard(value):
    """Remove the "'" the export puts before text that would run as a formula."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and \
            value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _is_numbering(row: dict) -> bool:
    """True for the row of column numbers under a header: (1), (2), (3)… or 1, 2, 3…"""
    numbers = []
    for value in row.values():
        text = str(value).strip().strip("()") if not is_empty(value) else ""
        if text:
            if not text.replace(".0", "").isdigit():
                return False
            numbers.append(int(float(text)))
    return len(numbers) >= MIN_HEADER_FIELDS and numbers == sorted(set(numbers)) \
        and numbers[-1] - numbers[0] == len(numbers) - 1


def _is_total(row: dict) -> bool:
    """True for a "Tổng cộng" row: a total label, and no kind, year, decision."""
    if any(not is_empty(row.get(name)) for name in ("kind", "year", "decision_number",
                                                        "decision_date")):
        return False
    for name in ("recipient_name", "stt", "recipient_type"):
        text = row.get(name) if isinstance(row.get(name), str) else ""
        decided = legacy.decide(text) if text else None  # "Tæng céng" in TCVN3
        if re.match(r"(tong cong|tong so|tong|cong|cong lai)\b",
                    header_key(decided[1] if decided else text)):
            return True
    return False
