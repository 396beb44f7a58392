"""Importing the registry from an .xlsx: read the sheet, dry run, keep the file, confirm, write.

The importer takes what `/awards/export.xlsx` writes and tolerates a hand-kept book: title
rows (merged or not), blank rows, headers in any order and spelling of case, diacritics and
spaces, dates typed as text, amounts with dots, names in NFD, trailing total rows.

Every row goes through `records.check()`, the rules the web form uses. The dry run writes
nothing; the file waits under UPLOAD_DIR/imports/, named by a signed token, until the secretary
confirms. The confirm reads and checks the file again and writes every new row in one
transaction, or none. Work is done in batches (one query per 500 rows for duplicates), never
one query per row.
"""

import hashlib
import io
import os
import re
import secrets
import time
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import selectinload

from bulletin import audit
from bulletin.awards import records
from bulletin.awards.records import AwardValues, ValueProblem
from bulletin.awards.spreadsheets import COLUMNS, TYPE_LABELS, VOID_LABEL
from bulletin.extensions import db
from bulletin.i18n import format_number
from bulletin.models import (
    RECIPIENT_TYPES,
    Award,
    AwardHistory,
    AwardKind,
    Decision,
    Organization,
    User,
    utcnow,
)
from bulletin.permissions import can_manage_award_org
from bulletin.text import clean_line, fold, nfc
from bulletin.uploads import upload_root

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 150 * 1024 * 1024
MAX_ROWS = 50_000
HEADER_SCAN_ROWS = 30
MIN_HEADER_FIELDS = 4
# A sheet formatted down to row 1,048,576 has that many empty rows: stop after this many.
MAX_BLANK_RUN = 1_000
CHECK_BATCH = 500
WRITE_BATCH = 1_000
KEEP_SECONDS = 24 * 3600
CONFIRM_SALT = "awards-import"
REQUIRED = ("recipient_name", "organization", "kind", "year", "decision_number",
            "decision_date")

NEW, DUPLICATE, UNCHANGED, UPDATE, ERROR = "new", "duplicate", "unchanged", "update", "error"
FATES = (NEW, UPDATE, UNCHANGED, DUPLICATE, ERROR)

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
TYPE_WORDS = {fold(label): key for key, label in TYPE_LABELS.items()} | {
    key: key for key in RECIPIENT_TYPES} | {"ho": "household", "gia dinh": "household"}
# How the names of households and collectives begin. Family names that look like these
# words (Hồ, Tô, Đoàn, Trương, Bàn, Đới) are deliberately not on the lists.
HOUSEHOLD_WORDS = ("ho ong ", "ho ba ", "ho gia dinh ", "gia dinh ong ", "gia dinh ba ")
COLLECTIVE_WORDS = ("chi hoi ", "chi doan ", "chi bo ", "to dan pho ", "to cong doan ",
                    "to hoi ", "to phu nu ", "thon ", "khu ", "ban cong tac ", "ban chap hanh ",
                    "ban thuong truc ", "hoi ", "doan thanh nien ", "doan tncs ", "cong doan ",
                    "tap the ", "uy ban ", "ubnd ", "truong mam non ", "truong tieu hoc ",
                    "truong thcs ", "truong thpt ", "truong trung hoc ", "cau lac bo ", "clb ",
                    "hop tac xa ", "htx ", "co quan ")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(ValueError):
    """A file that cannot be imported at all; the message is for the user."""


# ---- reading the sheet ------------------------------------------------------------------

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


def _is_empty(value) -> bool:
    """True for an empty cell (None or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank(row: dict) -> bool:
    """True for a row with nothing but (maybe) a pre-filled number."""
    return all(_is_empty(value) for name, value in row.items() if name != "stt")


def _is_total(row: dict) -> bool:
    """True for a "Tổng cộng" row: a total label, and no kind, year, decision."""
    if any(not _is_empty(row.get(name)) for name in ("kind", "year", "decision_number",
                                                        "decision_date")):
        return False
    for name in ("recipient_name", "stt", "recipient_type"):
        text = header_key(row.get(name)) if isinstance(row.get(name), str) else ""
        if re.match(r"(tong cong|tong so|tong|cong|cong lai)\b", text):
            return True
    return False


# ---- reading one row ----------------------------------------------------------------------

def as_text(raw) -> str:
    """A cell as one line of text (numbers without ".0", dates dd/mm/yyyy)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return clean_line(str(raw))


def long_text(raw) -> str:
    """A cell as text that may span lines (the achievement)."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        return as_text(raw)
    lines = nfc(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def parse_cell_date(raw) -> date | None:
    """Read a date cell, a date typed as text, or a date Excel kept as a serial number."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2_958_466:
            from openpyxl.utils.datetime import from_excel  # loaded by read_sheet already

            return from_excel(raw).date()
        raise ValueProblem(_("Ngày phải viết dạng dd/mm/yyyy, ví dụ 15/01/2026."))
    return records.parse_date(raw if not isinstance(raw, str) else clean_line(raw))


def parse_id(raw) -> int | None:
    """Read the ID column: empty for a new award."""
    if _is_empty(raw):
        return None
    text = as_text(raw).lstrip("#")
    if text.isdigit() and len(text) < 12:
        return int(text)
    raise ValueProblem(_("Mã số phải là số (để trống với khen thưởng mới)."))


def parse_type(raw) -> str | None:
    """Read the recipient type label; None when the cell is empty."""
    if _is_empty(raw):
        return None
    found = TYPE_WORDS.get(header_key(raw))
    if found is None:
        raise ValueProblem(_("Loại đối tượng phải là “Cá nhân”, “Tập thể” hoặc “Hộ gia "
                             "đình”."))
    return found


def guess_type(name: str, kind: AwardKind | None) -> str | None:
    """Guess an empty recipient type from the kind, or from how the name begins."""
    allowed = kind.recipient_types.split(",") if kind else list(RECIPIENT_TYPES)
    if len(allowed) == 1:
        return allowed[0]
    folded = fold(name) + " "
    if folded.startswith(HOUSEHOLD_WORDS) and "household" in allowed:
        return "household"
    if folded.startswith(COLLECTIVE_WORDS) and "collective" in allowed:
        return "collective"
    return "individual" if "individual" in allowed else None


def is_voided_status(raw) -> bool:
    """True when the status cell says the award was voided."""
    return header_key(raw).startswith(("da huy", "huy"))


class Lookups:
    """Organizations and award kinds by every name a sheet may use; loaded once per file."""

    def __init__(self):
        self.orgs = self._index(db.session.scalars(db.select(Organization)),
                                lambda o: (o.name, o.short_name, o.slug))
        self.kinds = self._index(db.session.scalars(db.select(AwardKind)),
                                 lambda k: (k.name, k.slug))

    @staticmethod
    def _index(items, names) -> dict[str, list]:
        """Index items by their folded names."""
        index: dict[str, list] = {}
        for item in items:
            for name in names(item):
                bucket = index.setdefault(header_key(name), [])
                if item not in bucket:
                    bucket.append(item)
        return index

    def org(self, raw) -> Organization | None:
        """The organization a cell names; a problem when unknown or ambiguous."""
        return self._one(self.orgs, raw,
                         lambda v: _("Không có tổ chức “%(v)s” trong danh sách.", v=v))

    def kind(self, raw) -> AwardKind | None:
        """The award kind a cell names; a problem when unknown."""
        return self._one(self.kinds, raw, lambda v: _(
            "Không có hình thức “%(v)s” trong danh mục khen thưởng.", v=v))

    @staticmethod
    def _one(index: dict, raw, unknown):
        """Find exactly one item by name."""
        text = as_text(raw)
        if not text:
            return None
        found = index.get(header_key(text), [])
        if not found:
            raise ValueProblem(unknown(text))
        if len(found) > 1:
            raise ValueProblem(_("“%(v)s” trùng tên nhiều mục, hãy ghi tên đầy đủ.", v=text))
        return found[0]


@dataclass
class RowResult:
    """One data row of the file and its fate in the import."""

    row: int
    name: str
    fate: str = NEW
    values: AwardValues | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    award_id: int | None = None
    award: Award | None = None
    is_voided: bool = False
    void_reason: str = ""
    changes: dict = field(default_factory=dict)
    duplicate_of_row: int | None = None
    duplicate_of_award: int | None = None

    def problem(self, name: str, message: str) -> None:
        """Note a problem with one field."""
        self.problems.setdefault(name, []).append(message)

    @property
    def messages(self) -> list[str]:
        """The problems as lines "Column: message"."""
        return [f"{LABELS.get(name, name)}: {message}" if name in LABELS else message
                for name, messages in self.problems.items() for message in messages]


def read_row(sheet_row: SheetRow, lookups: Lookups, user: User) -> RowResult:
    """Parse and check one row with the registry's own rules."""
    cells = sheet_row.cells
    name = as_text(cells.get("recipient_name"))
    result = RowResult(sheet_row.number, name)

    def parsed(key, parse):
        """Read one cell with `parse`; a ValueProblem becomes that column's problem."""
        try:
            return parse(cells.get(key))
        except ValueProblem as problem:
            result.problem(key, str(problem))
            return None

    org, kind = parsed("organization", lookups.org), parsed("kind", lookups.kind)
    recipient_type = parsed("recipient_type", parse_type)
    if recipient_type is None and "recipient_type" not in result.problems:
        recipient_type = guess_type(name, kind)
        if "recipient_type" in cells and recipient_type:
            result.notes.append(_("Chưa ghi loại đối tượng, coi là: %(t)s.",
                                  t=TYPE_LABELS[recipient_type]))
    values = AwardValues(
        recipient_type=recipient_type or "", recipient_name=name, organization=org, kind=kind,
        year=parsed("year", lambda raw: None if _is_empty(raw) else records.parse_year(raw)),
        decision_number=as_text(cells.get("decision_number")),
        decision_date=parsed("decision_date", parse_cell_date),
        recipient_title=as_text(cells.get("recipient_title")),
        achievement=long_text(cells.get("achievement")), issuer=as_text(cells.get("issuer")),
        signer=as_text(cells.get("signer")), amount=parsed("amount", records.parse_amount))
    result.award_id = parsed("id", parse_id)
    result.is_voided = is_voided_status(cells.get("status"))
    result.void_reason = as_text(cells.get("void_reason"))
    _apply_rules(result, values, user)
    result.values = values
    return result


def _apply_rules(result: RowResult, values: AwardValues, user: User) -> None:
    """Run records.check() and the permission rule; keep the reading problem of a field."""
    records.check(values)
    for name, messages in values.errors.items():
        if name not in result.problems:
            result.problems[name] = list(messages)
    if values.organization is not None and not can_manage_award_org(user, values.organization):
        result.problem("organization", _("Bạn không quản lý khen thưởng của “%(org)s”.",
                                         org=values.organization.name))
    if result.problems:
        result.fate = ERROR


# ---- the dry run ------------------------------------------------------------------------

@dataclass
class DryRun:
    """What importing a file would do, row by row."""

    sheet_title: str
    header_row: int
    rows: list[RowResult]
    skipped: int = 0

    @property
    def counts(self) -> Counter:
        """How many rows have each fate."""
        return Counter(row.fate for row in self.rows)

    @property
    def blocked(self) -> bool:
        """Any error row blocks the whole file."""
        return any(row.fate == ERROR for row in self.rows)

    @property
    def to_write(self) -> int:
        """Rows the confirm would write (new and corrected awards)."""
        counts = self.counts
        return counts[NEW] + counts[UPDATE]

    @property
    def attention(self) -> list[RowResult]:
        """Rows to look at first: errors, then duplicates."""
        return [r for r in self.rows if r.fate == ERROR] + \
            [r for r in self.rows if r.fate == DUPLICATE]


def dry_run(data: bytes, user: User) -> DryRun:
    """Read and check a workbook; write nothing. Raises ImportFileError for a bad file."""
    sheet = read_sheet(data)
    lookups = Lookups()
    rows = [read_row(sheet_row, lookups, user) for sheet_row in sheet.rows]
    _match_ids(rows, user)
    _find_duplicates(rows)
    return DryRun(sheet.title, sheet.header_row, rows, sheet.skipped)


def _batches(items: list, size: int = CHECK_BATCH):
    """Split a list into slices of `size`."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _match_ids(rows: list[RowResult], user: User) -> None:
    """Rows with an ID: compare with the stored award (unchanged or update), in batches."""
    seen: dict[int, int] = {}
    with_id = []
    for row in rows:
        if row.award_id is None or row.fate == ERROR:
            continue
        if row.award_id in seen:
            row.problem("id", _("Mã số %(id)s đã có ở dòng %(row)s.", id=row.award_id,
                                row=seen[row.award_id]))
            row.fate = ERROR
            continue
        seen[row.award_id] = row.row
        with_id.append(row)
    for batch in _batches(with_id):
        stored = {a.id: a for a in db.session.scalars(
            db.select(Award).where(Award.id.in_([r.award_id for r in batch]))
            .options(selectinload(Award.decision)))}
        for row in batch:
            award = stored.get(row.award_id)
            if award is None:
                row.notes.append(_("Mã số %(id)s không có trong sổ này: sẽ thêm thành khen "
                                   "thưởng mới.", id=row.award_id))
            else:
                _compare(row, award, user)


def comparable(values: AwardValues) -> dict[str, str]:
    """The values as records.snapshot() shows an award, to tell what an import changes."""
    is_person = values.recipient_type == "individual"
    return {
        "recipient_type": values.recipient_type, "recipient_name": values.recipient_name,
        "recipient_title": values.recipient_title if is_person else "",
        "organization": values.organization.name, "kind": values.kind.name,
        "year": str(values.year), "achievement": values.achievement,
        "amount": "" if values.amount is None else str(values.amount),
        "decision_number": values.decision_number,
        "decision_date": values.decision_date.strftime("%d/%m/%Y"),
        "issuer": values.issuer, "signer": values.signer,
    }


def _compare(row: RowResult, award: Award, user: User) -> None:
    """Decide between unchanged and update for a row naming a stored award."""
    row.award = award
    if not can_manage_award_org(user, award.organization):
        row.problem("id", _("Bạn không được sửa khen thưởng mã số %(id)s (thuộc “%(org)s”).",
                            id=award.id, org=award.organization.name))
        row.fate = ERROR
        return
    before = records.snapshot(award)
    before["achievement"] = long_text(before["achievement"])
    after = comparable(row.values)
    row.changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if award.is_voided and row.changes:
        row.problem("status", _("Khen thưởng này đã bị hủy, không sửa được bằng tệp."))
    elif row.is_voided and not award.is_voided:
        row.problem("status", _("Tệp ghi “%(v)s” nhưng khen thưởng còn hiệu lực. Muốn hủy, "
                                "hãy dùng nút Hủy trên trang của khen thưởng.", v=VOID_LABEL))
    if row.problems:
        row.fate = ERROR
        return
    row.fate = UPDATE if row.changes else UNCHANGED
    if award.is_voided and not row.is_voided:
        row.notes.append(_("Khen thưởng này đã bị hủy trên hệ thống."))


@lru_cache(maxsize=65_536)
def sort_key(recipient_type: str, name: str) -> str:
    """records.sort_key, remembered: the dry run and the confirm each need it for every row."""
    return records.sort_key(recipient_type, name)


def _duplicate_key(values: AwardValues) -> tuple:
    """Same person (or collective), same kind, same year: records.probable_duplicates' rule."""
    return (values.kind.id, values.year, sort_key(values.recipient_type, values.recipient_name),
            fold(values.recipient_name))


def _identical_key(values: AwardValues) -> tuple:
    """Every field of the award, texts folded: two rows recording the same thing."""
    return (values.recipient_type, fold(values.recipient_name), fold(values.recipient_title),
            values.organization.id, values.kind.id, values.year, fold(values.achievement),
            fold(values.decision_number), values.decision_date, fold(values.issuer),
            fold(values.signer), values.amount)


def _find_duplicates(rows: list[RowResult]) -> None:
    """Mark new live rows that repeat a row above them, or a live award already recorded.

    In the file a duplicate is an identical row (a person may get the same kind twice in a
    year, on two decisions); against the registry it is the same person, kind and year,
    which records.probable_duplicates warns about in the form.
    """
    first_row: dict[tuple, int] = {}
    candidates = []
    for row in rows:
        if row.fate == ERROR or row.is_voided:
            continue
        same = _identical_key(row.values)
        if row.fate == NEW and same in first_row:
            row.fate, row.duplicate_of_row = DUPLICATE, first_row[same]
            row.notes.append(_("Giống hệt dòng %(row)s của tệp: không nhập lần nữa.",
                               row=first_row[same]))
            continue
        first_row.setdefault(same, row.row)
        if row.fate == NEW:
            candidates.append((row, _duplicate_key(row.values)))
    for batch in _batches(candidates):
        stored = _stored_matches([key for _row, key in batch])
        for row, key in batch:
            match = stored.get(key)
            if match:
                award_id, number = match
                row.fate, row.duplicate_of_award = DUPLICATE, award_id
                row.notes.append(_("Đã có trong sổ: khen thưởng mã số %(id)s (quyết định "
                                   "%(n)s) cho cùng người, cùng hình thức, cùng năm: không "
                                   "nhập.", id=award_id, n=number))


def _stored_matches(keys: list[tuple]) -> dict[tuple, tuple[int, str]]:
    """Live awards matching any of the keys: one query for the whole batch."""
    sort_keys = sorted({key[2] for key in keys})
    wanted = set(keys)
    found: dict[tuple, tuple[int, str]] = {}
    stmt = (db.select(Award.id, Award.kind_id, Award.year, Award.name_sort_key,
                      Award.recipient_name, Decision.number)
            .join(Decision, Award.decision_id == Decision.id)
            .where(Award.is_voided.is_(False), Award.name_sort_key.in_(sort_keys),
                   Award.year.in_(sorted({key[1] for key in keys})))
            .order_by(Award.id))
    for row in db.session.execute(stmt):
        key = (row.kind_id, row.year, row.name_sort_key, fold(row.recipient_name))
        if key in wanted:
            found.setdefault(key, (row.id, row.number))
    return found


# ---- writing ----------------------------------------------------------------------------

@dataclass
class ImportSummary:
    """What a confirmed import wrote."""

    file_name: str
    created: int = 0
    updated: int = 0
    voided: int = 0
    unchanged: int = 0
    duplicates: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        """One sentence for the secretary."""
        return _("Đã nhập tệp “%(f)s”: %(new)s khen thưởng mới (%(void)s đã hủy), %(upd)s "
                 "khen thưởng được sửa; %(same)s dòng không đổi, %(dup)s dòng trùng không "
                 "nhập. Thời gian: %(s)s giây.", f=self.file_name,
                 new=format_number(self.created), void=format_number(self.voided),
                 upd=format_number(self.updated), same=format_number(self.unchanged),
                 dup=format_number(self.duplicates), s=format_number(round(self.seconds, 1)))


def commit(result: DryRun, user: User, file_name: str, started: float | None = None
           ) -> ImportSummary:
    """Write the new and corrected rows of a checked file in one transaction."""
    if result.blocked:
        raise ValueError("a file with error rows is never written")
    started = time.perf_counter() if started is None else started
    summary = ImportSummary(file_name, unchanged=result.counts[UNCHANGED],
                            duplicates=result.counts[DUPLICATE])
    try:
        for row in result.rows:
            if row.fate == UPDATE:
                records.update_award(row.award, row.values, user)
                summary.updated += 1
        _insert_new([row for row in result.rows if row.fate == NEW], user, summary)
        audit.record("award.import", "award", None, summary.describe(), user=user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _decision_key(values: AwardValues) -> tuple:
    """What tells decisions apart for records.find_or_create_decision."""
    return values.decision_number, values.decision_date, fold(values.issuer), values.signer


def _decisions_for(rows: list[RowResult]) -> dict[tuple, Decision]:
    """Find or create, once each, the decisions the rows name (as records does)."""
    decisions: dict[tuple, Decision] = {}
    for row in rows:
        key = _decision_key(row.values)
        if key not in decisions:
            decisions[key] = records.find_or_create_decision(row.values)
    db.session.flush()
    return decisions


def _last_lines(decision_ids: list[int]) -> dict[int, int]:
    """The highest line number already used on each decision (one query per batch)."""
    last: dict[int, int] = {}
    for batch in _batches(sorted(set(decision_ids))):
        for decision_id, line_no in db.session.execute(
                db.select(Award.decision_id, db.func.max(Award.line_no))
                .where(Award.decision_id.in_(batch)).group_by(Award.decision_id)):
            last[decision_id] = line_no
    return last


def _insert_new(rows: list[RowResult], user: User, summary: ImportSummary) -> None:
    """Insert the new awards and their history in batches (Core executemany)."""
    decisions = _decisions_for(rows)
    lines = _last_lines([d.id for d in decisions.values()])
    awards, history = Award.__table__, AwardHistory.__table__
    for batch in _batches(rows, WRITE_BATCH):
        made = []
        for row in batch:
            decision = decisions[_decision_key(row.values)]
            lines[decision.id] = (lines.get(decision.id) or 0) + 1
            made.append(new_award(row, decision, lines[decision.id], user))
        # Each new award has its own line on its decision: that pair finds its id again,
        # which is cheaper than asking the database to keep RETURNING in insert order.
        inserted = db.session.execute(
            awards.insert().returning(awards.c.id, awards.c.decision_id, awards.c.line_no),
            [columns for columns, _entries in made])
        ids = {(decision_id, line_no): award_id for award_id, decision_id, line_no in inserted}
        db.session.execute(history.insert(), [
            {"award_id": ids[columns["decision_id"], columns["line_no"]],
             "created_at": columns["created_at"], "action": entry.action,
             "changes": entry.changes, "user_id": entry.user_id, "username": entry.username}
            for columns, entries in made for entry in entries])
        summary.created += len(batch)
        summary.voided += sum(row.is_voided for row in batch)


def new_award(row: RowResult, decision: Decision, line_no: int, user: User
              ) -> tuple[dict, list[AwardHistory]]:
    """The awards-table row records.create_award would write for a row, and its history.

    A plain object stands in for the Award, so that records' own helpers (sort_key,
    refresh_search_text, snapshot, add_history, void_award) give every derived value, while
    the ORM's bookkeeping per object, which costs more than all the rest of an import of
    thousands of rows, is skipped. Keep in step with records.create_award and _apply; the
    test test_imported_award_is_recorded_as_the_form_records_it checks that it is.
    """
    values = row.values
    award = SimpleNamespace(
        recipient_type=values.recipient_type, recipient_name=nfc(values.recipient_name),
        recipient_title=values.recipient_title if values.recipient_type == "individual"
        else "", organization=values.organization, kind=values.kind, year=values.year,
        achievement=values.achievement, amount=values.amount, decision=decision,
        is_voided=False, void_reason="", voided_at=None, history=[])
    award.name_sort_key = sort_key(values.recipient_type, values.recipient_name)
    records.refresh_search_text(award)
    records.add_history(award, "import", {k: [None, v] for k, v in
                                          records.snapshot(award).items() if v}, user)
    if row.is_voided:
        records.void_award(award, row.void_reason or _("(không ghi lý do)"), user)
    now = utcnow()
    columns = {
        "decision_id": decision.id, "line_no": line_no, "recipient_type": award.recipient_type,
        "recipient_name": award.recipient_name, "recipient_title": award.recipient_title,
        "name_sort_key": award.name_sort_key, "search_text": award.search_text,
        "organization_id": values.organization.id, "kind_id": values.kind.id,
        "year": award.year, "achievement": award.achievement, "amount": award.amount,
        "is_voided": award.is_voided, "void_reason": award.void_reason,
        "voided_at": award.voided_at, "source": "import", "created_at": now,
        "updated_at": now,
    }
    return columns, award.history


# ---- the file kept between the dry run and the confirm -----------------------------------

@dataclass
class KeptFile:
    """An uploaded workbook waiting for its confirm."""

    name: str
    digest: str
    original_name: str

    @property
    def path(self) -> Path:
        """Where the file waits."""
        return imports_dir() / f"{self.name}.xlsx"


def imports_dir() -> Path:
    """The shared folder (under UPLOAD_DIR) for workbooks awaiting confirmation."""
    return upload_root() / "imports"


def _serializer() -> URLSafeTimedSerializer:
    """The signer of import tokens."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def keep_file(data: bytes, user: User, original_name: str) -> str:
    """Keep an uploaded workbook for its confirm; return the signed token naming it."""
    remove_stale()
    folder = imports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    tmp = folder / f"{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, folder / f"{name}.xlsx")
    return _serializer().dumps({"f": name, "u": user.id, "h": hashlib.sha256(data).hexdigest(),
                                "n": original_name})


def load_token(token: str, user: User) -> KeptFile:
    """Read a confirm token; refuse a forged, expired or someone else's one."""
    try:
        data = _serializer().loads(token or "", max_age=KEEP_SECONDS)
        kept = KeptFile(str(data["f"]), str(data["h"]), str(data.get("n", "")))
        owner = data["u"]
    except (BadSignature, KeyError, TypeError) as error:
        raise ImportFileError(_("Phiên nhập không hợp lệ hoặc đã hết hạn. Hãy tải tệp lên "
                                "lại.")) from error
    if owner != user.id or not re.fullmatch(r"[0-9a-f]{32}", kept.name):
        raise ImportFileError(_("Phiên nhập không hợp lệ. Hãy tải tệp lên lại."))
    return kept


def claim(kept: KeptFile) -> tuple[Path, bytes]:
    """Take the kept file for this confirm only (an atomic rename); refuse a second confirm."""
    claimed = kept.path.with_name(f"{kept.name}.claimed-{secrets.token_hex(4)}")
    try:
        os.rename(kept.path, claimed)
    except FileNotFoundError as error:
        raise ImportFileError(_("Tệp này đã được nhập rồi, hoặc đã quá hạn xác nhận: không "
                                "ghi thêm gì. Muốn nhập lại, hãy tải tệp lên lần nữa.")) \
            from error
    data = claimed.read_bytes()
    if hashlib.sha256(data).hexdigest() != kept.digest:
        claimed.unlink(missing_ok=True)
        raise ImportFileError(_("Tệp chờ nhập đã bị thay đổi. Hãy tải tệp lên lại."))
    return claimed, data


def release(kept: KeptFile, claimed: Path) -> None:
    """Put a claimed file back (the confirm failed for a reason other than the file)."""
    if claimed.exists():
        os.replace(claimed, kept.path)


def remove_stale(max_age: float = KEEP_SECONDS) -> None:
    """Delete kept files older than a day: dry runs that were never confirmed."""
    folder = imports_dir()
    if not folder.is_dir():
        return
    limit = time.time() - max_age
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # another worker removed it meanwhile
            continue
