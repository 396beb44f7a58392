"""The registry as a spreadsheet: the column layout, and the streamed .xlsx and .csv exports.

The layout below is also what `/awards/import` reads back (bulletin.awards.importing), so a
secretary can export, correct in Excel and import again. Rows are read from the database in
batches of plain columns (no ORM objects), and streamed as they come: the .xlsx laid out by
openpyxl (styles, title and header rows, printing) with its data rows written here as worksheet
XML (see xlsx_stream), the .csv through a generator.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

from sqlalchemy import Select

from bulletin.awards import issuers
from bulletin.awards.queries import AwardFilters
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import Award, AwardKind, Decision, Organization, utcnow
from bulletin.text import slugify

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
TITLE = "SỔ THEO DÕI THI ĐUA, KHEN THƯỞNG"
SHEET_TITLE = "Sổ khen thưởng"
DATE_FORMAT = "dd/mm/yyyy"
AMOUNT_FORMAT = "#,##0"
BATCH = 2_000
CSV_FLUSH_ROWS = 500

TYPE_LABELS = {"individual": "Cá nhân", "collective": "Tập thể", "household": "Hộ gia đình"}
LIVE_LABEL = "Còn hiệu lực"
VOID_LABEL = "Đã hủy"
TOTAL_LABEL = "Tổng cộng"


@dataclass(frozen=True)
class Column:
    """One column of the registry's spreadsheet layout."""

    key: str
    header: str
    width: float


# The export's own layout; the importer finds these headers (and synonyms) in any order, so
# files exported before the ID column moved last (it came second) still import.
COLUMNS = (
    Column("stt", "STT", 6),
    Column("recipient_type", "Đối tượng", 13),
    Column("recipient_name", "Họ và tên / Tên tập thể", 30),
    Column("recipient_title", "Chức vụ", 20),
    Column("birth_year", "Năm sinh", 9),
    Column("organization", "Tổ chức", 30),
    Column("kind", "Hình thức khen thưởng", 28),
    Column("year", "Năm thành tích", 10),
    Column("achievement", "Thành tích", 50),
    Column("decision_number", "Số quyết định", 17),
    Column("decision_date", "Ngày quyết định", 14),
    Column("issuer", "Cấp / cơ quan quyết định", 30),
    Column("signer", "Người ký", 22),
    Column("signer_title", "Chức vụ người ký", 22),
    Column("subject", "Trích yếu", 40),
    Column("amount", "Số tiền (đồng)", 15),
    Column("status", "Trạng thái", 14),
    Column("void_reason", "Lý do hủy", 30),
    # Added at the end, before the ID (which stays last): every older column keeps its place.
    Column("sex", "Giới tính", 9),
    Column("ethnicity", "Dân tộc", 12),
    Column("issuer_level", "Cấp của cơ quan quyết định", 30),
    Column("id", "Mã số (ID)", 10),
)
SEX_WORDS = {"male": "Nam", "female": "Nữ"}
HEADERS = tuple(column.header for column in COLUMNS)
INDEX = {column.key: position for position, column in enumerate(COLUMNS)}
LABELS_BY_KEY = {column.key: column.header for column in COLUMNS}
TITLE_ROWS = 4  # title, scope, export time, a blank line; the header row comes next
FONT_NAME = "Times New Roman"
WRAPPED = ("recipient_name", "recipient_title", "organization", "kind", "achievement",
           "issuer", "signer", "signer_title", "subject", "void_reason")
# OWASP: a cell starting with these runs as a formula in a spreadsheet; "'" keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_SEPARATORS = {"comma": ",", "semicolon": ";"}
# openpyxl's own ILLEGAL_CHARACTERS_RE: the control characters a worksheet cannot hold.
# Copied so that a worker serving pages never loads openpyxl (about 14 MB).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# What XML 1.0 cannot hold at all: those, lone surrogates and two non-characters.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELL_TEXT = 32_767  # Excel's limit; openpyxl cuts longer text there too
TEXTS_KEPT = 5_000  # distinct texts whose XML an export keeps (a few MB at most)
XML_ROWS = 500  # rows of worksheet XML handed to the zip at a time


def guard(value):
    """Prefix text a spreadsheet would run as a formula with "'" (the importer removes it)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_select(stmt: Select) -> Select:
    """Turn the registry's filtered, ordered select into plain columns joined to decisions."""
    return (stmt.with_only_columns(
        Award.id, Award.recipient_type, Award.recipient_name, Award.recipient_title,
        Award.birth_year, Award.organization_id, Award.kind_id, Award.year, Award.achievement,
        Award.amount, Award.is_voided, Award.void_reason, Award.sex, Award.ethnicity,
        Decision.number, Decision.signed_on, Decision.issuer, Decision.issuer_level,
        Decision.signer, Decision.signer_title, Decision.subject)
        .join_from(Award, Decision, Award.decision_id == Decision.id))


def names_by_id() -> tuple[dict[int, str], dict[int, str]]:
    """Return every organization's and award kind's name by id (two small queries)."""
    orgs = db.session.execute(db.select(Organization.id, Organization.name))
    kinds = db.session.execute(db.select(AwardKind.id, AwardKind.name))
    return {i: name for i, name in orgs}, {i: name for i, name in kinds}


def stream_rows(stmt: Select) -> Iterator[list]:
    """Yield the export's rows (typed values, in COLUMNS order), reading in batches."""
    orgs, kinds = names_by_id()
    levels = issuers.vietnamese_labels()
    read: dict[tuple, str] = {}  # a decision without a chosen level: read once per issuer
    # Plain rows from the connection: the session would pass each through the ORM's loading.
    result = db.session.connection().execute(export_select(stmt),
                                             execution_options={"yield_per": BATCH})
    for number, (award_id, recipient_type, name, title, birth_year, org_id, kind_id, year,
                 achievement, amount, is_voided, void_reason, sex, ethnicity, decision_number,
                 signed_on, issuer, level, signer, signer_title, subject) in enumerate(result, 1):
        if not level:
            key = (issuer, signed_on)
            if key not in read:
                read[key] = issuers.guess_level(issuer, signed_on)
            level = read[key]
        yield [
            number, TYPE_LABELS.get(recipient_type, recipient_type), name, title, birth_year,
            orgs.get(org_id, ""), kinds.get(kind_id, ""), year, achievement, decision_number,
            signed_on, issuer, signer, signer_title, subject, amount,
            VOID_LABEL if is_voided else LIVE_LABEL, void_reason if is_voided else "",
            SEX_WORDS.get(sex, ""), ethnicity, levels.get(level, ""), award_id,
        ]


@dataclass
class Totals:
    """Running totals of an export: rows written, live awards and their amount."""

    rows: int = 0
    live: int = 0
    amount: int = 0

    def add(self, row: list) -> None:
        """Count one exported row."""
        self.rows += 1
        if row[INDEX["status"]] == LIVE_LABEL:
            self.live += 1
            self.amount += row[INDEX["amount"]] or 0


def describe_filters(filters: AwardFilters) -> str:
    """Say in Vietnamese what part of the registry an export holds."""
    parts = []
    if filters.year is not None:
        parts.append(f"Năm {filters.year}")
    if filters.org is not None:
        parts.append(f"Tổ chức: {filters.org.name}")
    if filters.kind is not None:
        parts.append(f"Hình thức: {filters.kind.name}")
    if filters.recipient_type:
        parts.append(f"Đối tượng: {TYPE_LABELS[filters.recipient_type]}")
    if filters.q:
        parts.append(f"Tìm: “{filters.q}”")
    if filters.batch is not None:
        parts.append(f"Lần nhập số {filters.batch}")
    return "Phạm vi: " + ("; ".join(parts) if parts else "toàn bộ sổ")


def export_time() -> datetime:
    """Now, in Vietnam."""
    return utcnow().astimezone(TIMEZONE)


def file_names(filters: AwardFilters, extension: str) -> tuple[str, str]:
    """Return (Vietnamese name, ASCII fallback) for the downloaded file."""
    today = export_time().date()
    parts = [str(filters.year) if filters.year else "",
             filters.org.short_name if filters.org else "",
             filters.kind.name if filters.kind else "",
             TYPE_LABELS[filters.recipient_type] if filters.recipient_type else ""]
    label = " ".join(p for p in parts if p)
    name = f"Sổ khen thưởng {label} {today:%d-%m-%Y}".replace("  ", " ")
    name = re.sub(r'[\\/:*?"<>|]+', "-", name)
    ascii_name = "-".join(p for p in ("so-khen-thuong", slugify(label) if label else "",
                                      today.isoformat()) if p)
    return f"{name}.{extension}", f"{ascii_name}.{extension}"


def _clean(value):
    """Make a value safe for a worksheet: strings lose control characters; "" is no cell."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    return value


@cache
def styles() -> SimpleNamespace:
    """The cells' shared font, bold font and thin border, made when a sheet is first written."""
    from openpyxl.styles import Border, Font, Side

    thin = Side(style="thin", color="808080")
    return SimpleNamespace(border=Border(left=thin, right=thin, top=thin, bottom=thin),
                           font=Font(name=FONT_NAME, size=12),
                           bold=Font(name=FONT_NAME, size=12, bold=True))


class SheetRows:
    """Registry rows as worksheet XML: bordered cells in Times New Roman, long texts wrapped,
    real date cells and numeric amounts, text never a formula.

    openpyxl makes each column's style (so styles.xml holds it) and this writes the cells as
    text, as openpyxl would write them, at a fraction of the time its cell objects take.
    """

    def __init__(self, sheet, first_row: int):
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.datetime import to_excel

        self.to_excel = to_excel
        self.number = first_row
        self.starts = [f'<c r="{get_column_letter(index)}' for index in range(1, len(COLUMNS) + 1)]
        self.styles = [f'" s="{_style_cell(sheet, column.key).style_id}"' for column in COLUMNS]
        # Names of organizations, kinds, issuers, statuses... come back on row after row.
        self.texts: dict[str, str] = {}

    def xml(self, row: list, styles: list[str] | None = None) -> str:
        """One row's XML, numbered after the last; `styles` ('" s="N"', or '"' for none)
        instead of the columns' own."""
        number, self.number = self.number, self.number + 1
        texts = self.texts
        parts = [f'<row r="{number}">']
        add = parts.append
        for start, style, value in zip(self.starts, styles or self.styles, row, strict=True):
            kind = type(value)
            if kind is str:
                text = texts.get(value)
                if text is None:
                    text = self._remember(value)
                add(f"{start}{number}{style}{text}")
            elif kind is int:
                add(f'{start}{number}{style} t="n"><v>{value}</v></c>')
            elif value is None:
                if style != '"':
                    add(f"{start}{number}{style}/>")
            elif isinstance(value, date):
                add(f'{start}{number}{style} t="n"><v>{self.to_excel(value):.16g}</v></c>')
            elif isinstance(value, int | float) and not isinstance(value, bool):
                add(f'{start}{number}{style} t="n"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"no cell for {type(value).__name__}")
        add("</row>")
        return "".join(parts)

    def _remember(self, value: str) -> str:
        """A text cell's end (after its style), kept for the next row holding the same text."""
        if len(self.texts) >= TEXTS_KEPT:
            self.texts.clear()
        text = _xml_text(value)
        self.texts[value] = text = '/>' if text is None else \
            f' t="inlineStr"><is>{text}</is></c>'
        return text


def _xml_text(value: str) -> str | None:
    """A text cell's `<t>` element, or None for no text: control characters removed (the
    printable fast path skips the search), cut to Excel's 32,767 characters, guarded against
    formulas, escaped."""
    if not value.isprintable():
        value = XML_ILLEGAL_RE.sub("", value)
    if not value:
        return None
    value = guard(value[:MAX_CELL_TEXT])
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in text:  # an XML reader would read it as "\n"
        text = text.replace("\r", "&#13;")
    if value[0].isspace() or value[-1].isspace():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _style_cell(sheet, key: str) -> WriteOnlyCell:
    """A cell styled like the data cells of one column (its style id goes in the XML)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    cell = WriteOnlyCell(sheet)
    cell.font, cell.border = styles().font, styles().border
    cell.alignment = Alignment(wrap_text=key in WRAPPED, vertical="top")
    if key == "decision_date":
        cell.number_format = DATE_FORMAT
    elif key == "amount":
        cell.number_format = AMOUNT_FORMAT
    return cell


def _styled(sheet, value, **style) -> WriteOnlyCell:
    """A one-off styled cell (titles, headers, totals)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = styles().font
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def set_layout(sheet) -> None:
    """Column widths, a frozen header, its repetition on every page, A4 landscape."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header_row = TITLE_ROWS + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def header_cells(sheet) -> list:
    """The header row's cells: bold, shaded, bordered, wrapped."""
    from openpyxl.styles import Alignment, PatternFill

    fill = PatternFill("solid", fgColor="F0EEE9")
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return [_styled(sheet, header, font=styles().bold, fill=fill, alignment=wrap,
                    border=styles().border) for header in HEADERS]


def _write_head(sheet, filters: AwardFilters, username: str) -> None:
    """Write the title rows and the header row; set widths, frozen header and printing."""
    from openpyxl.styles import Font

    set_layout(sheet)
    now = export_time()
    sheet.append([_styled(sheet, TITLE, font=Font(name=FONT_NAME, bold=True, size=14))])
    sheet.append([_styled(sheet, guard(_clean(describe_filters(filters))),
                          font=Font(name=FONT_NAME, italic=True))])
    sheet.append([_styled(sheet, guard(_clean(
        f"Xuất ngày {now:%d/%m/%Y} lúc {now:%H:%M}"
        + (f", người xuất: {username}" if username else ""))))])
    sheet.append([])
    sheet.append(header_cells(sheet))


def _total_styles(sheet) -> list[str]:
    """The total row's styles: bold label and amount, no other cell."""
    bold = {"recipient_name": _styled(sheet, None, font=styles().bold),
            "amount": _styled(sheet, None, font=styles().bold, number_format=AMOUNT_FORMAT)}
    return [f'" s="{bold[column.key].style_id}"' if column.key in bold else '"'
            for column in COLUMNS]


def _sheet_xml(stmt: Select, writer: SheetRows, totals_style: list[str]) -> Iterator[str]:
    """The data rows and the total row as worksheet XML, XML_ROWS rows at a time."""
    totals, batch = Totals(), []
    for row in stream_rows(stmt):
        totals.add(row)
        batch.append(writer.xml(row))
        if len(batch) == XML_ROWS:
            yield "".join(batch)
            batch.clear()
    total_row: list = [None] * len(COLUMNS)
    total_row[INDEX["recipient_name"]] = f"{TOTAL_LABEL}: {totals.live} khen thưởng còn hiệu lực"
    total_row[INDEX["amount"]] = totals.amount
    batch.append(writer.xml(total_row, totals_style))
    yield "".join(batch)


def stream_xlsx(stmt: Select, filters: AwardFilters, username: str = "") -> Iterator[bytes]:
    """Yield the filtered registry as an .xlsx while its rows are read and written."""
    from openpyxl import Workbook

    from bulletin.awards import xlsx_stream

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    _write_head(sheet, filters, username)
    writer = SheetRows(sheet, first_row=TITLE_ROWS + 2)
    yield from xlsx_stream.stream(workbook, sheet, _sheet_xml(stmt, writer, _total_styles(sheet)))


# The columns stream_rows may fill with text; the others hold numbers, a date or nothing.
TEXT_COLUMNS = tuple(position for position, column in enumerate(COLUMNS)
                     if column.key not in ("stt", "birth_year", "year", "decision_date",
                                           "amount", "id"))
DATE_COLUMN = INDEX["decision_date"]


def _csv_row(row: list) -> list:
    """One CSV line's fields: dates dd/mm/yyyy, text guarded against formulas; the writer
    prints numbers plainly and None as nothing."""
    for position in TEXT_COLUMNS:
        value = row[position]
        if type(value) is str and value.startswith(FORMULA_STARTS):
            row[position] = "'" + value
    signed = row[DATE_COLUMN]
    if signed is not None:
        row[DATE_COLUMN] = f"{signed.day:02d}/{signed.month:02d}/{signed.year}"
    return row


def stream_csv(stmt: Select, separator: str = ",") -> Iterator[bytes]:
    """Yield the filtered registry as UTF-8 CSV with a byte order mark, a few rows at a time.

    `separator` ";" suits Excel in a Vietnamese locale, whose list separator is ";".
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    for count, row in enumerate(stream_rows(stmt), 1):
        writer.writerow(_csv_row(row))
        if count % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


TEMPLATE_ROWS = 1_000
INSTRUCTIONS = (
    "Cách điền mẫu nhập sổ khen thưởng",
    "",
    "1. Điền mỗi khen thưởng trên một dòng của trang “Mẫu nhập”, bắt đầu ngay dưới dòng "
    "tiêu đề. Không đổi tên các cột; có thể bỏ trống cột không cần.",
    "2. Cột bắt buộc: Họ và tên / Tên tập thể, Tổ chức, Hình thức khen thưởng, Năm thành "
    "tích, Số quyết định, Ngày quyết định.",
    "3. Đối tượng, Tổ chức và Hình thức khen thưởng: chọn trong danh sách thả xuống (đúng "
    "tên trong danh mục của sổ).",
    "4. Ngày viết dd/mm/yyyy, ví dụ 15/01/2026. Số tiền ghi số: 300000 hoặc 300.000.",
    "5. Chức vụ và Năm sinh chỉ ghi cho cá nhân (năm sinh, nếu biết, giúp phân biệt người "
    "trùng tên). Năm thành tích là năm đạt thành tích, không phải năm ký quyết định.",
    "6. Cột “Mã số (ID)” để trống: mỗi dòng là một khen thưởng mới.",
    "7. Giới tính (Nam/Nữ) và Dân tộc chỉ ghi cho cá nhân, nếu biết. Cấp của cơ quan quyết "
    "định: chọn trong danh sách; để trống thì hệ thống đọc theo tên cơ quan.",
    "8. Tải tệp lên ở trang Nhập từ Excel: hệ thống kiểm tra và cho xem trước từng dòng; "
    "chưa có gì được ghi cho tới khi bấm “Xác nhận nhập”.",
    "",
    "Ví dụ một dòng:",
)
EXAMPLE = ("", "Cá nhân", "Nguyễn Thị Hòa", "Chi hội trưởng", 1972, "Hội Liên hiệp Phụ nữ",
           "Giấy khen", 2025, "Hoàn thành xuất sắc nhiệm vụ năm 2025", "15/QĐ-HLHPN",
           "20/12/2025", "Ban Thường vụ Hội LHPN", "Lê Thị Mai", "Chủ tịch",
           "Về việc khen thưởng tổng kết năm 2025", 300000, "", "", "Nữ", "Kinh",
           "Ban Chấp hành hội, đoàn, công đoàn cấp xã (cơ sở)", "")


def write_template(organizations: list[str], kinds: list[str]):
    """The import template: the export's layout, drop-down lists and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Mẫu nhập"
    set_layout(sheet)
    sheet.append([TITLE])
    sheet["A1"].font = Font(name=FONT_NAME, bold=True, size=14)
    sheet.append(["Mẫu nhập sổ khen thưởng: điền từ dòng 6, mỗi dòng một khen thưởng."])
    sheet.append([])
    sheet.append([])
    for index, header in enumerate(HEADERS, 1):
        cell = sheet.cell(row=TITLE_ROWS + 1, column=index, value=header)
        cell.font, cell.border = styles().bold, styles().border
        cell.fill = PatternFill("solid", fgColor="F0EEE9")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    lists = _catalog_sheet(workbook, {"recipient_type": list(TYPE_LABELS.values()),
                                      "organization": organizations, "kind": kinds,
                                      "sex": list(SEX_WORDS.values()),
                                      "issuer_level": list(issuers.vietnamese_labels().values())})
    first, last = TITLE_ROWS + 2, TITLE_ROWS + 1 + TEMPLATE_ROWS
    for key, formula in lists.items():
        letter = get_column_letter(INDEX[key] + 1)
        rule = DataValidation(type="list", formula1=formula, allow_blank=True,
                              showErrorMessage=True, errorTitle="Không có trong danh mục",
                              error="Hãy chọn trong danh sách thả xuống.")
        rule.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(rule)
    for key, number_format in (("decision_date", DATE_FORMAT), ("amount", AMOUNT_FORMAT)):
        letter = get_column_letter(INDEX[key] + 1)
        for row in range(first, last + 1):
            sheet[f"{letter}{row}"].number_format = number_format
    _instructions(workbook.create_sheet("Hướng dẫn"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _catalog_sheet(workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet holding the drop-down lists; return each list's range formula."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet("Danh mục")
    formulas = {}
    for column, (key, values) in enumerate(lists.items(), 1):
        letter = get_column_letter(column)
        sheet.cell(row=1, column=column, value=LABELS_BY_KEY[key]).font = styles().bold
        for row, value in enumerate(values, 2):
            sheet.cell(row=row, column=column, value=guard(_clean(value)))
        formulas[key] = f"'Danh mục'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    sheet.sheet_state = "hidden"
    return formulas


def _instructions(sheet) -> None:
    """The instructions sheet: how to fill the template, and an example row."""
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 110
    for line in INSTRUCTIONS:
        sheet.append([line])
    sheet.append(list(HEADERS))
    sheet.append([guard(value) for value in EXAMPLE])
    for row in sheet.iter_rows():
        for cell in row:
            cell.font = styles().font
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(name=FONT_NAME, bold=True, size=14)
