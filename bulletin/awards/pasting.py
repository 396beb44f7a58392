"""Rows copied from Excel (tab-separated) and pasted into the decision form, read as
recipients.

When the first pasted line is a header ("STT", "Họ và tên", "Năm sinh", "Chức vụ", "Đơn vị",
"Hình thức", "Thành tích", "Số tiền", "Sáng kiến", "Giới tính" or "Nam/Nữ", "Dân tộc"…,
diacritics and case ignored), each column
is read by its header; a column no header word names is left out. Without a header the cells
are read in the old order: name, position, achievement, amount; a leading STT column is
dropped. Organizations and kinds come back as typed: the form matches them with what it offers.
"""

import re

from bulletin.awards.parsing import ValueProblem, parse_amount, parse_sex
from bulletin.text import clean_line, fold

MAX_PASTED = 300
# Folded first words that name a collective rather than a person.
COLLECTIVE_WORDS = ("chi hoi", "chi doan", "to ", "ban ", "thon", "khu ", "tap the",
                    "cong doan", "hoi ", "doan ", "truong", "phong", "xom", "ap ")
HEADER_WORDS = ("ho va ten", "ho ten", "ten", "ten tap the", "stt", "tt")
SKIP = ""
# A header cell (folded, punctuation as spaces) starting with one of these words names that
# field; the more specific words come first ("nam sinh" before "nam").
HEADER_FIELDS = (
    (("stt", "tt", "so tt", "so thu tu"), SKIP),
    (("nam sinh", "ngay sinh", "ngay thang nam sinh", "sinh nam"), "birth_year"),
    (("gioi tinh", "gioi", "nam nu", "nam hay nu"), "sex"),
    (("dan toc",), "ethnicity"),
    (("ho va ten", "ho ten", "ten", "ca nhan", "tap the", "nguoi duoc khen"), "recipient_name"),
    (("chuc vu", "chuc danh"), "recipient_title"),
    (("don vi", "to chuc", "co quan"), "organization"),
    (("hinh thuc", "danh hieu", "loai khen"), "kind"),
    (("nam thanh tich", "nam"), "year"),
    (("thanh tich", "noi dung", "ly do"), "achievement"),
    (("so tien", "tien thuong", "muc thuong", "muc tien", "thanh tien", "tien"), "amount"),
    (("sang kien", "de tai", "giai phap"), "initiative"),
)
_NOT_WORD_RE = re.compile(r"[^0-9a-z]+")
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def recipient_type_of(name: str) -> str:
    """Guess whether a pasted name is a household, a collective or a person."""
    folded = fold(name) + " "
    if folded.startswith("ho "):
        return "household"
    if folded.startswith(COLLECTIVE_WORDS):
        return "collective"
    return "individual"


def parse_pasted(text: str) -> list[dict]:
    """Each non-empty line as a row's fields, read by the header line when there is one."""
    lines = [[clean_line(cell) for cell in line.split("\t")]
             for line in (text or "").replace("\r\n", "\n").split("\n")]
    lines = [cells for cells in lines if any(cells)]
    columns = header_columns(lines[0]) if lines else None
    if columns is not None:
        lines = lines[1:]
    rows = []
    for cells in lines:
        row = _by_header(cells, columns) if columns is not None else _by_position(cells)
        if row is not None:
            rows.append(row)
        if len(rows) >= MAX_PASTED:
            break
    return rows


def header_field(cell: str) -> str | None:
    """The field a header cell names (SKIP for a number column), or None."""
    words = folded_words(cell)
    for starts, name in HEADER_FIELDS:
        if any(words == start or words.startswith(start + " ") for start in starts):
            return name
    return None


def header_columns(cells: list[str]) -> list[str | None] | None:
    """The fields a header line's columns name; None when the line is not a header."""
    columns = [header_field(cell) if cell else None for cell in cells]
    if "recipient_name" not in columns:
        return None
    return columns


def _by_header(cells: list[str], columns: list[str | None]) -> dict | None:
    """One line read by the header's columns; None for a line without a name."""
    at = columns.index("recipient_name")
    if len(cells) < len(columns) and at < len(cells) and "recipient_title" in columns \
            and recipient_type_of(cells[at]) != "individual":
        # A short line of a collective (typed without its empty position cell): its other
        # cells follow in the header's order.
        columns = [name for name in columns if name != "recipient_title"]
    row = {}
    for name, cell in zip(columns, cells, strict=False):
        if name and cell and name not in row:
            row[name] = cell
    if not row.get("recipient_name"):
        return None
    row["recipient_type"] = recipient_type_of(row["recipient_name"])
    if "birth_year" in row:
        row["birth_year"] = birth_year_of(row["birth_year"])
    if "sex" in row:
        row["sex"] = sex_of(row["sex"])
    if row["recipient_type"] != "individual":
        for name in ("birth_year", "sex", "ethnicity"):
            row.pop(name, None)
    return row


def folded_words(text: str) -> str:
    """Text folded to its words ("Hội LHPN" → "hoi lhpn"), for matching names."""
    return _NOT_WORD_RE.sub(" ", fold(text)).strip()


def named(rows, text: str):
    """The row (an organization or a kind) whose name, short name or slug the text is."""
    wanted = folded_words(text)
    if not wanted:
        return None
    for row in rows:
        names = (row.name, getattr(row, "short_name", ""), row.slug.replace("-", " "))
        if wanted in (folded_words(name) for name in names if name):
            return row
    return None


def birth_year_of(cell: str) -> str:
    """A year of birth from a pasted cell ("1975", "12/03/1975"); the cell when none is seen."""
    found = _YEAR_RE.findall(cell)
    return found[-1] if len(found) == 1 else cell


def sex_of(cell: str) -> str:
    """The form's code for a pasted sex ("Nữ" → "female"); "" when it says neither."""
    try:
        return parse_sex(cell) or ""
    except ValueProblem:
        return ""


def _by_position(cells: list[str]) -> dict | None:
    """One line without a header: name, position, achievement, amount; None for a header."""
    if cells and cells[0].rstrip(".").isdigit():
        cells = cells[1:]
    if not cells or not cells[0] or fold(cells[0]) in HEADER_WORDS:
        return None
    row = {"recipient_name": cells[0], "recipient_type": recipient_type_of(cells[0]),
           "recipient_title": "", "achievement": "", "amount": ""}
    rest = cells[1:]
    if rest and _is_amount(rest[-1]):
        row["amount"] = rest.pop()
    if row["recipient_type"] == "individual" and rest:
        row["recipient_title"] = rest.pop(0)
    row["achievement"] = " ".join(cell for cell in rest if cell)
    return row


def _is_amount(cell: str) -> bool:
    """Whether a cell holds money (300000, 300.000)."""
    try:
        return parse_amount(cell) is not None
    except ValueProblem:
        return False
