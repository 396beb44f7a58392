"""The dry run: every row read and checked, matched by id, duplicates found; nothing written."""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from bulletin.awards import records
from bulletin.awards.importing.rows import (
    DUPLICATE,
    ERROR,
    NEW,
    UNCHANGED,
    UPDATE,
    Lookups,
    RowResult,
    read_row,
)
from bulletin.awards.importing.workbook import read_sheet
from bulletin.awards.parsing import long_text
from bulletin.awards.records import AwardValues
from bulletin.awards.spreadsheets import VOID_LABEL
from bulletin.extensions import db
from bulletin.models import Award, Decision, User
from bulletin.permissions import can_manage_award_org
from bulletin.text import fold

CHECK_BATCH = 500

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


def batches(items: list, size: int = CHECK_BATCH):
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
    for batch in batches(with_id):
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
    decision = Decision(number=values.decision_number, signed_on=values.decision_date,
                        issuer=values.issuer, signer=values.signer)
    return records.shown(records.award_columns(values, values.decision_number),
                         values.organization, values.kind, decision)


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
    for batch in batches(candidates):
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
