"""The registry as a spreadsheet: the column layout, and the streamed .xlsx and .csv exports.

The layout below is also what `/awards/import` reads back (bulletin.awards.importing), so a
secretary can export, correct in Excel and import again. Rows are read from the database in
batches of plain columns (no ORM objects), and written as they come: the .xlsx through an
openpyxl write-only workbook into a temporary file, the .csv through a generator.
"""

import csv
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select

from bulletin.awards.queries import AwardFilters
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import Award, AwardKind, Decision, Organization, utcnow
from bulletin.text import slugify

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


# The export's own layout; the importer finds these headers (and synonyms) in any order.
COLUMNS = (
    Column("stt", "STT", 6),
    Column("id", "Mã số (ID)", 10),
    Column("recipient_type", "Đối tượng", 13),
    Column("recipient_name", "Họ và tên / Tên tập thể", 30),
    Column("recipient_title", "Chức vụ", 20),
    Column("organization", "Tổ chức", 30),
    Column("kind", "Hình thức khen thưởng", 28),
    Column("year", "Năm thành tích", 10),
    Column("achievement", "Thành tích", 50),
    Column("decision_number", "Số quyết định", 17),
    Column("decision_date", "Ngày quyết định", 14),
    Column("issuer", "Cấp / cơ quan quyết định", 30),
    Column("signer", "Người ký", 22),
    Column("amount", "Số tiền (đồng)", 15),
    Column("status", "Trạng thái", 14),
    Column("void_reason", "Lý do hủy", 30),
)
HEADERS = tuple(column.header for column in COLUMNS)
TITLE_ROWS = 4  # title, scope, export time, a blank line; the header row comes next

# What openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE). openpyxl itself is imported
# only when a workbook is written: loaded at start it would cost every worker ~7 MB.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Text a spreadsheet would run as a formula ("-" alone starts many achievements: "- Hoàn thành").
_CSV_FORMULA_RE = re.compile(r"^[=+@\t\r]|^-[^\s\d]")


def export_select(stmt: Select) -> Select:
    """Turn the registry's filtered, ordered select into plain columns joined to decisions."""
    return (stmt.with_only_columns(
        Award.id, Award.recipient_type, Award.recipient_name, Award.recipient_title,
        Award.organization_id, Award.kind_id, Award.year, Award.achievement, Award.amount,
        Award.is_voided, Award.void_reason, Decision.number, Decision.signed_on,
        Decision.issuer, Decision.signer)
        .join_from(Award, Decision, Award.decision_id == Decision.id))


def names_by_id() -> tuple[dict[int, str], dict[int, str]]:
    """Return every organization's and award kind's name by id (two small queries)."""
    orgs = db.session.execute(db.select(Organization.id, Organization.name))
    kinds = db.session.execute(db.select(AwardKind.id, AwardKind.name))
    return {i: name for i, name in orgs}, {i: name for i, name in kinds}


def stream_rows(stmt: Select) -> Iterator[list]:
    """Yield the export's rows (typed values, in COLUMNS order), reading in batches."""
    orgs, kinds = names_by_id()
    result = db.session.execute(export_select(stmt).execution_options(yield_per=BATCH))
    for number, row in enumerate(result, 1):
        yield [
            number, row.id, TYPE_LABELS.get(row.recipient_type, row.recipient_type),
            row.recipient_name, row.recipient_title, orgs.get(row.organization_id, ""),
            kinds.get(row.kind_id, ""), row.year, row.achievement, row.number, row.signed_on,
            row.issuer, row.signer, row.amount, VOID_LABEL if row.is_voided else LIVE_LABEL,
            row.void_reason if row.is_voided else "",
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
        if row[14] == LIVE_LABEL:
            self.live += 1
            self.amount += row[13] or 0


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


class _SheetWriter:
    """Append registry rows to a write-only worksheet with styled date and amount cells."""

    def __init__(self, sheet):
        from openpyxl.cell import WriteOnlyCell

        self.sheet = sheet
        # Write-only rows are serialised as soon as they are appended, so one styled cell
        # per column can be reused for every row.
        self.date_cell = WriteOnlyCell(sheet)
        self.date_cell.number_format = DATE_FORMAT
        self.amount_cell = WriteOnlyCell(sheet)
        self.amount_cell.number_format = AMOUNT_FORMAT

    def text_cell(self, value: str):
        """A cell that stays text even when it starts with "=" (never a formula)."""
        cell = _styled(self.sheet, value)
        cell.data_type = "s"
        return cell

    def append(self, row: list) -> None:
        """Write one award."""
        out = []
        for value in row:
            value = _clean(value)
            if isinstance(value, str) and value.startswith("="):
                value = self.text_cell(value)
            out.append(value)
        self.date_cell.value = row[10]
        out[10] = self.date_cell if row[10] is not None else None
        self.amount_cell.value = row[13]
        out[13] = self.amount_cell if row[13] is not None else None
        self.sheet.append(out)


def _styled(sheet, value, **style):
    """A one-off styled cell (titles, headers, totals)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _write_head(sheet, filters: AwardFilters, username: str) -> None:
    """Write the title rows and the header row; set widths, frozen header and printing."""
    from openpyxl.styles import Alignment, Font, PatternFill
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
    now = export_time()
    sheet.append([_styled(sheet, TITLE, font=Font(bold=True, size=14))])
    sheet.append([_styled(sheet, _clean(describe_filters(filters)), font=Font(italic=True))])
    sheet.append([f"Xuất ngày {now:%d/%m/%Y} lúc {now:%H:%M}"
                  + (f", người xuất: {username}" if username else "")])
    sheet.append([])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F0EEE9")
    wrap = Alignment(wrap_text=True, vertical="center")
    sheet.append([_styled(sheet, header, font=bold, fill=fill, alignment=wrap)
                  for header in HEADERS])


def write_xlsx(stmt: Select, filters: AwardFilters, username: str = ""):
    """Write the filtered registry to an .xlsx in a temporary file; return it, rewound."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    _write_head(sheet, filters, username)
    writer, totals = _SheetWriter(sheet), Totals()
    for row in stream_rows(stmt):
        writer.append(row)
        totals.add(row)
    total_row = [None] * len(COLUMNS)
    total_row[3] = _styled(sheet, f"{TOTAL_LABEL}: {totals.live} khen thưởng còn hiệu lực",
                           font=Font(bold=True))
    total_row[13] = _styled(sheet, totals.amount, font=Font(bold=True),
                            number_format=AMOUNT_FORMAT)
    sheet.append(total_row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the response that sends it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _csv_text(value) -> str:
    """One CSV field: dates dd/mm/yyyy, numbers plain, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        # A spreadsheet would run "=…", "+…", "@…" as a formula: make it plain text.
        return "'" + value if _CSV_FORMULA_RE.match(value) else value
    return str(value)


def stream_csv(stmt: Select) -> Iterator[bytes]:
    """Yield the filtered registry as UTF-8 CSV with a byte order mark, a few rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    for count, row in enumerate(stream_rows(stmt), 1):
        writer.writerow([_csv_text(value) for value in row])
        if count % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
