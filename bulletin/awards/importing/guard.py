"""Spreadsheet bombs: count a workbook's cells before a reader expands them, and read it in
a child process with a memory limit and a timeout.

A 1 KB .ods can declare a row repeated 10,000 times holding a cell repeated 1,000 times; the
reader (python-calamine) expands it into 10 million cells, and a Rust allocation failure
aborts the whole process. So `count_cells` adds up what a file declares (an .ods's repeat
counts, an .xlsx's dimension and shared strings, an .xls's DIMENSIONS records) and refuses
what passes the import's limits, and `read_isolated` runs the reader in a child process that
may use at most IMPORT_MEMORY_MB and IMPORT_TIMEOUT_SECONDS: whatever bomb nobody foresaw ends
only that child, and the secretary gets a message.
"""

import io
import logging
import re
import struct
import zipfile
from pathlib import Path
from xml.parsers import expat

from flask import current_app, has_app_context
from flask_babel import gettext as _

from bulletin.i18n import format_number

log = logging.getLogger(__name__)

# The import's limits: 50,000 awards (workbook.MAX_ROWS) with room for titles, blank rows and
# notes; columns as many as an .xls can hold; cells what a reader expands in a few hundred MB.
MAX_SHEET_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELLS = 3_000_000
DEFAULT_MEMORY_MB = 1024
DEFAULT_TIMEOUT_SECONDS = 120
_CHUNK = 64 * 1024
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d{1,7})"
                           rb"(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?\"")
_SST_RE = re.compile(rb"<(?:\w+:)?sst\b[^>]*>")
_COUNT_RE = re.compile(rb"\b(?:count|uniqueCount)=\"(\d{1,12})\"")
# BIFF8 DIMENSIONS: id 0x0200, length 14, first row, row after the last (32 bit), first
# column, column after the last (16 bit), two reserved bytes.
_XLS_DIMENSIONS_RE = re.compile(rb"\x00\x02\x0e\x00(.{12})\x00\x00", re.DOTALL)


class TooBig(Exception):
    """A sheet that declares more rows, columns or cells than the import reads."""

    def __init__(self, rows: int, columns: int):
        super().__init__(rows, columns)
        self.rows, self.columns = rows, columns


def check_size(rows: int, columns: int) -> None:
    """Raise TooBig when a sheet of `rows` × `columns` passes the import's limits."""
    if rows > MAX_SHEET_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise TooBig(rows, columns)


def too_big_message(error: TooBig) -> str:
    """What the secretary reads about a sheet too big to import."""
    return _("Bảng tính khai báo %(rows)s dòng × %(cols)s cột, quá giới hạn nhập (tối đa "
             "%(max_rows)s dòng, %(max_cols)s cột, %(max_cells)s ô): không nhập được. Hãy xóa "
             "các dòng, cột trống thừa dưới và bên phải bảng, hoặc chia thành nhiều tệp nhỏ hơn.",
             rows=format_number(error.rows), cols=format_number(error.columns),
             max_rows=format_number(MAX_SHEET_ROWS), max_cols=format_number(MAX_COLUMNS),
             max_cells=format_number(MAX_CELLS))


def count_cells(data: bytes, kind: str) -> None:
    """Refuse (TooBig) a workbook whose declared size passes the limits, before reading it."""
    if kind == "xls":
        _count_xls(data)
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if kind == "ods":
            with archive.open("content.xml") as member:
                OdsCounter().feed(member)
        else:
            _count_xlsx(archive)


def _number(text: str | None, default: int = 1) -> int:
    """A repeat count from an attribute (an absurd one counts as absurdly many)."""
    if not text:
        return default
    try:
        return max(int(text), 0)
    except ValueError:
        return MAX_CELLS + 1


class OdsCounter:
    """Stream an .ods's content.xml and add up each table's rows × columns after the repeat
    counts, the way a reader lays them out: up to the last row and the last column that hold
    something (trailing empty repeats count as nothing)."""

    def __init__(self):
        self.row = 0  # rows seen in the current table, repeats included
        self.used_rows = 0  # up to the last row holding something
        self.width = 0  # up to the last column holding something, widest row
        self.cells = 0  # whole workbook
        self.row_repeat = 0
        self.row_width = 0  # in the current row
        self.position = 0  # columns seen in the current row
        self.cell_repeat = 0
        self.cell_full = False
        self.depth = 0  # inside a cell (its paragraphs)

    def feed(self, stream) -> None:
        """Parse the document in chunks; raise TooBig as soon as it passes a limit."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def start(self, name: str, attrs: dict) -> None:
        """Open a table, a row or a cell; anything inside a cell makes it hold something."""
        if self.depth:
            self.depth += 1
            self.cell_full = True
        elif name == f"{_TABLE} table":
            self.row = self.used_rows = self.width = 0
        elif name == f"{_TABLE} table-row":
            self.row_repeat = _number(attrs.get(f"{_TABLE} number-rows-repeated"))
            self.row_width = self.position = 0
        elif name in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            self.cell_repeat = _number(attrs.get(f"{_TABLE} number-columns-repeated"))
            self.cell_full = f"{_OFFICE} value-type" in attrs
            self.depth = 1

    def text(self, data: str) -> None:
        """Text inside a cell makes it hold something."""
        if self.depth and data.strip():
            self.cell_full = True

    def end(self, name: str) -> None:
        """Close a cell, a row or a table, adding up what it spans."""
        if self.depth > 1:
            self.depth -= 1
            return
        if self.depth == 1:
            self.depth = 0
            self.position += self.cell_repeat
            if self.cell_full:
                self.row_width = self.position
                check_size(self.row + self.row_repeat, self.row_width)
        elif name == f"{_TABLE} table-row":
            self.row += self.row_repeat
            if self.row_width:
                self.used_rows = self.row
                self.width = max(self.width, self.row_width)
                check_size(self.used_rows, self.width)
                self._check_workbook(self.used_rows * self.width)
        elif name == f"{_TABLE} table":
            self.cells += self.used_rows * self.width
            self._check_workbook(0)

    def _check_workbook(self, current: int) -> None:
        """Every table of the file is read: their cells together stay under the limit."""
        if self.cells + current > MAX_CELLS:
            raise TooBig(self.used_rows, self.width)


def _count_xlsx(archive: zipfile.ZipFile) -> None:
    """Check each worksheet's declared dimension and the shared strings' count."""
    for info in archive.infolist():
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(info) as member:
                found = _DIMENSION_RE.search(member.read(_CHUNK))
            if found:
                check_size(*_dimension_size(found))
        elif name == "xl/sharedStrings.xml":
            with archive.open(info) as member:
                strings = _shared_strings(member)
            if strings > MAX_CELLS:
                raise TooBig(strings, 1)


def _column_number(letters: bytes) -> int:
    """A column's number from its letters (A = 1, XFD = 16,384)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _dimension_size(found: re.Match) -> tuple[int, int]:
    """Rows and columns an xlsx `<dimension ref="A1:Z100"/>` spans."""
    first_col, first_row, last_col, last_row = found.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    rows = int(last_row) - int(first_row) + 1
    return max(rows, 1), max(_column_number(last_col) - _column_number(first_col) + 1, 1)


def _shared_strings(stream) -> int:
    """The shared strings an xlsx holds: the larger of what `<sst>` declares and the `<si>`
    elements really there (counted on the bytes, nothing kept)."""
    head = stream.read(_CHUNK)
    sst = _SST_RE.search(head)
    declared = max((int(n) for n in _COUNT_RE.findall(sst.group(0))), default=0) if sst else 0
    found, tail, chunk = 0, b"", head
    while chunk:
        block = tail + chunk
        found += len(re.findall(rb"<(?:\w+:)?si[ >/]", block))
        # Keep the last bytes (no complete "<si" in them) for a tag split between chunks.
        cut = max(block.rfind(b"<"), len(block) - 8)
        tail = block[cut:] if cut >= 0 and not re.search(rb"<(?:\w+:)?si[ >/]", block[cut:]) \
            else b""
        chunk = stream.read(_CHUNK)
    return max(declared, found)


def _count_xls(data: bytes) -> None:
    """Check every BIFF8 DIMENSIONS record an .xls holds (found on its bytes)."""
    for found in _XLS_DIMENSIONS_RE.finditer(data):
        first_row, after_row, first_col, after_col = struct.unpack("<IIHH", found.group(1))
        if after_row <= 65_536 and after_col <= 256 and first_row <= after_row \
                and first_col <= after_col:
            check_size(after_row - first_row, after_col - first_col)


def read_isolated(data: bytes, as_typed: frozenset[str]):
    """Read a workbook (workbook.parse_sheet) in a child process with a memory limit and a
    timeout; return its Sheet or raise ImportFileError with a message for the secretary."""
    from bulletin.awards.importing import isolation
    from bulletin.awards.importing.workbook import ImportFileError

    config = current_app.config if has_app_context() else {}
    memory = int(config.get("IMPORT_MEMORY_MB") or DEFAULT_MEMORY_MB)
    timeout = float(config.get("IMPORT_TIMEOUT_SECONDS") or DEFAULT_TIMEOUT_SECONDS)
    try:
        outcome = isolation.run(child_read, (data, frozenset(as_typed), _locale()), memory,
                                timeout)
    except isolation.ReaderTimeout as error:
        log.warning("import: reading a workbook of %d bytes took more than %.0f s; stopped",
                    len(data), timeout)
        raise ImportFileError(_("Đọc tệp này mất quá %(n)s giây nên đã dừng: tệp quá lớn "
                                "hoặc có cấu trúc bất thường. Hãy mở bằng Excel, xóa các dòng, "
                                "cột thừa rồi lưu lại dạng .xlsx, hoặc chia thành nhiều tệp "
                                "nhỏ hơn.", n=format_number(round(timeout)))) from error
    if not (isinstance(outcome, tuple) and len(outcome) == 2):
        log.warning("import: the reader of a workbook of %d bytes ended without an answer "
                    "(memory limit %d MB)", len(data), memory)
        raise ImportFileError(_("Tệp này cần quá nhiều bộ nhớ để đọc (quá %(n)s MB) nên đã "
                                "dừng: tệp quá lớn hoặc có cấu trúc bất thường. Hãy mở bằng "
                                "Excel, xóa các dòng, cột thừa rồi lưu lại dạng .xlsx, hoặc "
                                "chia thành nhiều tệp nhỏ hơn.", n=format_number(memory)))
    status, value = outcome
    if status == "error":
        raise ImportFileError(value)
    return value


def _locale() -> str:
    """The reader's interface language, for the child's messages."""
    if not has_app_context():
        return "vi"
    from flask_babel import get_locale

    return str(get_locale() or "vi")


def child_read(data: bytes, as_typed: frozenset[str], locale: str):
    """In the child: read the workbook; ("ok", sheet) or ("error", message for the secretary).
    A MemoryError ends the child (see isolation)."""
    from flask import Flask
    from flask_babel import Babel

    from bulletin.awards.importing.workbook import ImportFileError, parse_sheet

    app = Flask("bulletin-import", root_path=str(Path(__file__).resolve().parents[2]))
    app.config.update(BABEL_DEFAULT_LOCALE="vi", BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
                      LANGUAGES=("vi", "en"))
    Babel(app, locale_selector=lambda: locale)
    with app.test_request_context():
        try:
            return "ok", parse_sheet(data, as_typed)
        except ImportFileError as error:
            return "error", str(error)
