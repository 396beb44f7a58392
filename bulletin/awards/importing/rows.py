"""Reading one row of the sheet into checked award values, with the registry's own rules.

What is particular to a sheet stays here: cells too long, names of organizations and kinds
looked up, the recipient type read from its label or guessed, the ID column, the status.
The row itself is read and checked by `reading.read_values`, as the web forms' rows are.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from bulletin.awards import aliases, records
from bulletin.awards.importing.workbook import LABELS, SheetRow, header_key
from bulletin.awards.parsing import (
    ValueProblem,
    as_text,
    is_empty,
    long_text,
    parse_amount,
    parse_cell_date,
    parse_year,
)
from bulletin.awards.reading import Readers, read_values
from bulletin.awards.records import AwardValues
from bulletin.awards.spreadsheets import TYPE_LABELS
from bulletin.extensions import db
from bulletin.models import RECIPIENT_TYPES, Award, AwardKind, Organization, User
from bulletin.permissions import can_manage_award_org
from bulletin.security import MAX_ID, parse_int
from bulletin.text import fold

NEW, DUPLICATE, UNCHANGED, UPDATE, ERROR = "new", "duplicate", "unchanged", "update", "error"
FATES = (NEW, UPDATE, UNCHANGED, DUPLICATE, ERROR)

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
# The longest text a cell may hold, by field (the columns' sizes); longer is an error row.
CELL_LIMITS = {"recipient_name": records.NAME_LENGTH, "recipient_title": records.NAME_LENGTH,
               "organization": 200, "kind": 200, "achievement": records.ACHIEVEMENT_LENGTH,
               "decision_number": 60, "issuer": records.NAME_LENGTH,
               "signer": records.NAME_LENGTH, "signer_title": 200, "subject": 2000,
               "status": 60, "void_reason": 1000, "recipient_type": 60, "id": 20, "year": 20,
               "decision_date": 40, "amount": 40, "stt": 20, "initiative": 500, "birth_year": 20,
               "sex": 20, "female_mark": 20, "male_mark": 20,
               "ethnicity": records.ETHNICITY_LENGTH, "issuer_level": 200}
# What a "Nữ" or "Nam" column holds where it is not marked.
UNMARKED = ("", "0", "khong", "-")
SHOWN_LENGTH = 120


def parse_id(raw) -> int | None:
    """Read the ID column: empty for a new award."""
    if is_empty(raw):
        return None
    text = as_text(raw).lstrip("#")
    number = parse_int(text, low=1, high=MAX_ID)
    if number is not None:
        return number
    raise ValueProblem(_("Mã số phải là số (để trống với khen thưởng mới)."))


def parse_birth_year(raw) -> int | None:
    """Read a year of birth: "1968", 1968, or a whole date of birth (its year is kept)."""
    if is_empty(raw):
        return None
    if isinstance(raw, date | datetime):
        return raw.year
    if isinstance(raw, int | float) and raw == int(raw):
        return int(raw)
    text = as_text(raw)
    found = re.fullmatch(r"(?:\d{1,2}[/.-]){0,2}(\d{4})", text)
    if found is None:
        raise ValueProblem(_("Năm sinh phải là năm có 4 chữ số (ví dụ 1968) hoặc ngày sinh "
                             "dd/mm/yyyy."))
    return int(found.group(1))


def parse_type(raw) -> str | None:
    """Read the recipient type label; None when the cell is empty."""
    if is_empty(raw):
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
    """Organizations and award kinds by every name a sheet may use; loaded once per file.

    A name the catalogue holds wins; then the words people write for it (`aliases`:
    "Hội Phụ nữ", "LĐTT", "Giấy khen của Chủ tịch UBND xã").
    """

    def __init__(self):
        orgs = db.session.scalars(db.select(Organization)).all()
        kinds = db.session.scalars(db.select(AwardKind)).all()
        self.orgs = self._index(orgs, lambda o: (o.name, o.short_name, o.slug))
        self.kinds = self._index(kinds, lambda k: (k.name, k.slug))
        self._orgs_by_slug = {o.slug: o for o in orgs}
        self._kinds_by_slug = {k.slug: k for k in kinds}
        # Words mapped in earlier dry runs, and the words of this file still unknown:
        # (field, folded word) → (the word as written, how many rows hold it).
        self.mapped = aliases.remembered()
        self.unknown: dict[tuple[str, str], list] = {}
        self.readers = sheet_readers(self)
        self._manages: dict[int, bool] = {}

    def manages(self, user: User, organization: Organization) -> bool:
        """can_manage_award_org, asked once per organization of the file."""
        if organization.id not in self._manages:
            self._manages[organization.id] = can_manage_award_org(user, organization)
        return self._manages[organization.id]

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
        return self._one(self.orgs, raw, self._org_alias,
                         lambda v: _("Không có tổ chức “%(v)s” trong danh sách.", v=v),
                         "organization")

    def kind(self, raw) -> AwardKind | None:
        """The award kind a cell names; a problem when unknown."""
        return self._one(self.kinds, raw, self._kind_alias, lambda v: _(
            "Không có hình thức “%(v)s” trong danh mục khen thưởng.", v=v), "kind")

    def _org_alias(self, key: str) -> list[Organization]:
        """The organization a folded text means, by its name without the place or an alias."""
        for candidate in aliases.organization_keys(key)[1:]:
            if candidate in self.orgs:
                return self.orgs[candidate]
        slug = self.mapped.get(("organization", key)) or aliases.organization_slug(key)
        found = self._orgs_by_slug.get(slug or "")
        return [found] if found else []

    def _kind_alias(self, key: str) -> list[AwardKind]:
        """The award kind a folded text means by the words people write for it."""
        slug = self.mapped.get(("kind", key)) or aliases.kind_slug(key)
        found = self._kinds_by_slug.get(slug or "")
        return [found] if found else []

    def _one(self, index: dict, raw, alias, unknown, field: str):
        """Find exactly one item by name, else by what people write for it; an unknown word
        is noted, for the dry run to ask once what it means."""
        text = as_text(raw)
        if not text:
            return None
        key = header_key(text)
        found = index.get(key) or alias(key)
        if not found:
            noted = self.unknown.setdefault((field, key[:200]), [text[:200], 0])
            noted[1] += 1
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
    duplicate_of: Award | None = None
    keep_reason: str = ""
    signer_title: str = ""
    subject: str = ""
    converted: list[tuple[str, str, str]] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # rules.RuleWarning: warn, never block
    has_birth_year: bool = False  # the sheet has a "Năm sinh" column

    def problem(self, name: str, message: str) -> None:
        """Note a problem with one field."""
        self.problems.setdefault(name, []).append(message)

    @property
    def messages(self) -> list[str]:
        """The problems as lines "Column: message"."""
        return [f"{LABELS.get(name, name)}: {message}" if name in LABELS else message
                for name, messages in self.problems.items() for message in messages]


def sheet_readers(lookups: Lookups) -> Readers:
    """How a sheet's cells are read: names looked up, spreadsheet numbers and dates."""
    return Readers(organization=lookups.org, kind=lookups.kind, recipient_type=parse_type,
                   year=parse_year_cell, decision_date=parse_cell_date, amount=parse_amount,
                   birth_year=parse_birth_year, text=as_text, long_text=long_text,
                   guess_type=guess_type)


def parse_year_cell(raw) -> int | None:
    """Read the year of the achievement (a cell of spaces is empty)."""
    return None if is_empty(raw) else parse_year(raw)


def read_row(sheet_row: SheetRow, lookups: Lookups, user: User) -> RowResult:
    """Parse and check one row with the registry's own reader and rules."""
    result = RowResult(sheet_row.number, "", converted=[
        (key, before[:SHOWN_LENGTH], after[:SHOWN_LENGTH])
        for key, before, after in sheet_row.converted])
    cells = _within_limits(sheet_row.cells, result)
    result.name = as_text(cells.get("recipient_name"))
    result.raw = {key: as_text(value)[:SHOWN_LENGTH] for key, value in cells.items()}
    # A book with only a "Nữ" column marks the women, so the others are men; one with a column
    # for each marks both, and a row marked in neither says nothing.
    women_only_marked = "female_mark" in cells and "male_mark" not in cells
    cells = _sex_from_marks(cells)
    values = read_values(cells, lookups.readers, problems=result.problems)
    if women_only_marked and not values.sex and values.recipient_type == "individual" \
            and "sex" not in values.errors:
        values.sex = "male"  # a book's "Nữ" column marks the women; the others are men
    result.problems = {name: list(messages) for name, messages in values.errors.items()}
    if "recipient_type" in cells and is_empty(cells["recipient_type"]) \
            and values.recipient_type:
        result.notes.append(_("Chưa ghi loại đối tượng, coi là: %(t)s.",
                              t=TYPE_LABELS[values.recipient_type]))
    result.has_birth_year = "birth_year" in cells
    try:
        result.award_id = parse_id(cells.get("id"))
    except ValueProblem as problem:
        result.problem("id", str(problem))
    result.is_voided = is_voided_status(cells.get("status"))
    result.void_reason = as_text(cells.get("void_reason"))
    result.signer_title = as_text(cells.get("signer_title"))
    result.subject = long_text(cells.get("subject"))
    _check_permission(result, values, user, lookups)
    result.values = values
    return result


def _sex_from_marks(cells: dict) -> dict:
    """A "Nữ" (or "Nam") column marked with an x read as the sex, unless "Giới tính" says it."""
    female, male = cells.get("female_mark"), cells.get("male_mark")
    if female is None and male is None:
        return cells
    kept = {key: value for key, value in cells.items() if key not in ("female_mark", "male_mark")}
    if not is_empty(kept.get("sex")):
        return kept
    if header_key(female) not in UNMARKED:
        kept["sex"] = "female"
    elif header_key(male) not in UNMARKED:
        kept["sex"] = "male"
    return kept


def _within_limits(cells: dict, result: RowResult) -> dict:
    """Cells cut to what their field holds; a longer cell is that column's problem."""
    kept = dict(cells)
    for key, value in cells.items():
        limit = CELL_LIMITS.get(key)
        if isinstance(value, str) and limit and len(value) > limit:
            result.problem(key, _("Ô dài %(n)s ký tự, quá %(max)s ký tự cho phép.",
                                  n=len(value), max=limit))
            kept[key] = value[:min(limit, SHOWN_LENGTH)] + "…"
    return kept


def _check_permission(result: RowResult, values: AwardValues, user: User,
                      lookups: Lookups) -> None:
    """The account must manage the row's organization; any problem makes the row an error."""
    if values.organization is not None and not lookups.manages(user, values.organization):
        result.problem("organization", _("Bạn không quản lý khen thưởng của “%(org)s”.",
                                         org=values.organization.name))
    if result.problems:
        result.fate = ERROR
