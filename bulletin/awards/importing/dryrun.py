"""The dry run: every row read and checked, matched by id, duplicates found; nothing written."""

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from bulletin.awards import issuers, records, rules
from bulletin.awards.importing import progress
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
from bulletin.awards.importing.workbook import Sheet, read_sheet
from bulletin.awards.labels import SEX_LABELS
from bulletin.awards.parsing import long_text
from bulletin.awards.records import AwardValues
from bulletin.awards.spreadsheets import VOID_LABEL
from bulletin.extensions import db
from bulletin.models import Award, Decision, User
from bulletin.permissions import can_manage_award_org, registry_org_ids
from bulletin.text import fold

CHECK_BATCH = 500

@dataclass
class DryRun:
    """What importing a file would do, row by row."""

    sheet_title: str
    header_row: int
    rows: list[RowResult]
    skipped: int = 0
    encodings: dict[str, Counter] = field(default_factory=dict)
    as_typed: frozenset[str] = frozenset()
    tails: list[list[int]] = field(default_factory=list)
    # Words of the kind and organization columns the catalogue does not know:
    # (field, folded word) → [the word as written, how many rows hold it].
    unknown: dict[tuple[str, str], list] = field(default_factory=dict)
    # The sheet as read, for the confirm to reuse (keeping.keep_file).
    sheet: Sheet | None = field(default=None, repr=False)

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
    def warned(self) -> list[RowResult]:
        """Rows to be written that break a rule of commendation (a warning, not a block)."""
        return [r for r in self.rows if r.warnings]

    @property
    def attention(self) -> list[RowResult]:
        """Rows to look at first: errors, then duplicates, then rule warnings."""
        return [r for r in self.rows if r.fate == ERROR] + \
            [r for r in self.rows if r.fate == DUPLICATE] + \
            [r for r in self.rows if r.warnings and r.fate not in (ERROR, DUPLICATE)]

    @property
    def attention_rows(self) -> set[int]:
        """The sheet rows of `attention`, for the full list to link to them."""
        return {r.row for r in self.rows if r.fate in (ERROR, DUPLICATE) or r.warnings}


def dry_run(data: bytes | None, user: User, keep: dict[int, str] | None = None,
            as_typed: frozenset[str] = frozenset(), sheet: Sheet | None = None) -> DryRun:
    """Read and check a workbook; write nothing. Raises ImportFileError for a bad file.

    `keep` maps sheet rows to the reason the secretary gave for importing a suspected
    duplicate anyway ("Vẫn nhập"); such rows become new, their reason kept in history.
    `as_typed` names the columns whose legacy-font cells are left as typed. `sheet` is the
    file as an earlier dry run read it (with the same `as_typed`): the file is not read again,
    every row is checked again.
    """
    progress.report("read")
    user = real_user(user)
    sheet = sheet if sheet is not None else read_sheet(data, as_typed)
    lookups = Lookups()
    rows = [read_row(sheet_row, lookups, user)
            for sheet_row in progress.every(sheet.rows, "check")]
    progress.report("compare", len(rows), len(rows))
    _match_ids(rows, user)
    _find_duplicates(rows, registry_org_ids(user))
    _keep_anyway(rows, keep or {})
    _check_rules(rows, registry_org_ids(user))
    return DryRun(sheet.title, sheet.header_row, rows, sheet.skipped, sheet.encodings,
                  sheet.as_typed, sheet.tails, lookups.unknown, sheet)


def real_user(user: User) -> User:
    """The account itself rather than flask_login's proxy (asked for every row)."""
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def _keep_anyway(rows: list[RowResult], keep: dict[int, str]) -> None:
    """Turn the duplicates the secretary chose to keep, with a reason, into new rows."""
    for row in rows:
        reason = keep.get(row.row, "").strip()
        if row.fate == DUPLICATE and reason:
            row.fate, row.keep_reason = NEW, reason[:500]
            row.notes.append(_("Vẫn nhập, lý do: %(r)s", r=row.keep_reason))


def _check_rules(rows: list[RowResult], allowed: set[int] | None) -> None:
    """Warn on the live rows to be written that break a rule in force at their decision date.

    Every live row of the file counts as pending (a Lao động tiên tiến two rows up meets
    the Chiến sĩ thi đua's prerequisite); rules and prior awards are read in batches, only
    those of the organizations the account manages (`allowed`; None: all).
    """
    live = [row for row in rows if row.fate in (NEW, UPDATE, UNCHANGED) and not row.is_voided]
    book = rules.RuleBook((row.values for row in live), allowed=allowed)
    to_check = [row for row in live if row.fate in (NEW, UPDATE)]
    book.preload([row.values for row in to_check])
    for row in to_check:
        row.warnings = rules.warnings_for(row.values, book=book)


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
    allowed = registry_org_ids(user)
    for batch in batches(with_id):
        # An award of an organization the account does not manage reads as unknown: the
        # dry run must not tell that it exists, nor whose it is.
        stmt = db.select(Award).where(Award.id.in_([r.award_id for r in batch]))
        if allowed is not None:
            stmt = stmt.where(Award.organization_id.in_(sorted(allowed)))
        stored = {a.id: a for a in db.session.scalars(
            stmt.options(selectinload(Award.decision)))}
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
                        issuer=values.issuer, issuer_level=values.issuer_level,
                        signer=values.signer)
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
    _keep_stored(row, award)
    before = records.snapshot(award)
    before["achievement"] = long_text(before["achievement"])
    after = comparable(row.values)
    row.changes = {k: (_readable(k, before[k]), _readable(k, after[k])) for k in after
                   if before[k] != after[k]}
    initiative = row.values.initiative[:records.INITIATIVE_LENGTH]
    if initiative != (award.initiative or ""):
        row.changes["initiative"] = (award.initiative, initiative)
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


def _readable(key: str, value: str) -> str:
    """A changed value as the dry run shows it: labels for the sex and level codes."""
    labels = {"sex": SEX_LABELS, "issuer_level": issuers.LEVEL_LABELS}.get(key)
    return str(labels.get(value, value)) if labels and value else value


def _keep_stored(row: RowResult, award: Award) -> None:
    """What a book does not say leaves the stored award as it is: a year of birth without
    the column, an empty initiative, sex or ethnicity cell, and the level of the same
    decision when the book gives none (it would be read again from the issuer)."""
    values = row.values
    if not row.has_birth_year:
        values.birth_year = award.birth_year
    values.initiative = values.initiative or award.initiative or ""
    values.sex = values.sex or award.sex or ""
    values.ethnicity = values.ethnicity or award.ethnicity or ""
    decision = award.decision
    if not row.raw.get("issuer_level") and values.decision_number == decision.number \
            and values.decision_date == decision.signed_on \
            and fold(values.issuer) == fold(decision.issuer):
        values.issuer_level = issuers.level_of(decision)


@lru_cache(maxsize=65_536)
def sort_key(recipient_type: str, name: str) -> str:
    """records.sort_key, remembered: the dry run and the confirm each need it for every row."""
    return records.sort_key(recipient_type, name)


def _person_key(values: AwardValues) -> tuple:
    """Same recipient (folded name), same kind, same year: whatever the organization."""
    return (values.kind.id, values.year, sort_key(values.recipient_type, values.recipient_name),
            fold(values.recipient_name))


def same_award(org_id: int, birth_year: int | None, number: str, signed_on, issuer: str,
               values: AwardValues) -> bool:
    """The rest of a duplicate, once person, kind and year match.

    Born in different years (both known): two namesakes. Under the same organization: the
    same decision, or the same issuing body (records.probable_duplicates' rule: two Giấy
    khen from two bodies in one year are two awards). Under another organization: the same
    decision number (the award was filed under the wrong organization once).
    """
    if birth_year and values.birth_year and birth_year != values.birth_year:
        return False
    if org_id == values.organization.id:
        return records.same_decision_or_issuer(number, signed_on, issuer, values)
    return bool(number) and fold(number) == fold(values.decision_number)


def _earlier_row(rows: list[RowResult], row: RowResult) -> RowResult | None:
    """A live row above that records the same award as this one."""
    return next((r for r in rows if same_award(
        r.values.organization.id, r.values.birth_year, r.values.decision_number,
        r.values.decision_date, r.values.issuer, row.values)), None)


def _stored_award(awards: list[Award], row: RowResult) -> Award | None:
    """A stored award that records the same award as this row."""
    return next((a for a in awards if same_award(
        a.organization_id, a.birth_year, a.decision.number, a.decision.signed_on,
        a.decision.issuer, row.values)), None)


def _find_duplicates(rows: list[RowResult], allowed: set[int] | None) -> None:
    """Mark new live rows that repeat a row above them, or a live award already recorded
    under any organization the account may see (see `same_award`)."""
    above: dict[tuple, list[RowResult]] = {}
    candidates = []
    for row in rows:
        if row.fate == ERROR or row.is_voided:
            continue
        key = _person_key(row.values)
        earlier = _earlier_row(above.get(key, []), row)
        above.setdefault(key, []).append(row)
        if row.fate == NEW and earlier is not None:
            row.fate, row.duplicate_of_row = DUPLICATE, earlier.row
            row.notes.append(_duplicate_row_note(earlier, row))
        elif row.fate == NEW:
            candidates.append((row, key))
    for batch in batches(candidates):
        stored = _stored_matches([key for _row, key in batch], allowed)
        for row, key in batch:
            match = _stored_award(stored.get(key, []), row)
            if match is not None:
                row.fate, row.duplicate_of_award, row.duplicate_of = DUPLICATE, match.id, match
                row.notes.append(_("Trùng khen thưởng mã số %(id)s đã có trong sổ (quyết "
                                   "định %(n)s ngày %(d)s, %(issuer)s; thuộc %(org)s): cùng "
                                   "người, cùng hình thức, cùng năm.", id=match.id,
                                   org=match.organization.name, n=match.decision.number,
                                   d=match.decision.signed_on.strftime("%d/%m/%Y"),
                                   issuer=match.decision.issuer or "—"))


def _duplicate_row_note(earlier: RowResult, row: RowResult) -> str:
    """Why a row repeats one above it."""
    if earlier.values.organization.id != row.values.organization.id:
        return _("Trùng dòng %(row)s của tệp (ghi cho %(org)s): cùng người, cùng hình thức, "
                 "cùng năm, cùng số quyết định.", row=earlier.row,
                 org=earlier.values.organization.name)
    return _("Trùng dòng %(row)s của tệp: cùng người, cùng hình thức, cùng năm, cùng quyết "
             "định hoặc cùng cơ quan khen.", row=earlier.row)


def _stored_matches(keys: list[tuple], allowed: set[int] | None) -> dict[tuple, list[Award]]:
    """Live awards the account may see matching any of the keys: one query per batch."""
    wanted = set(keys)
    found: dict[tuple, list[Award]] = {}
    if allowed is not None and not allowed:
        return found
    # Plain columns first: on a big registry common names match thousands of awards, and
    # loading each with its decision cost seconds a batch. Only the true matches are loaded.
    stmt = db.select(Award.id, Award.kind_id, Award.year, Award.name_sort_key,
                     Award.recipient_name).where(
        Award.is_voided.is_(False),
        Award.name_sort_key.in_(sorted({key[2] for key in keys})),
        Award.year.in_(sorted({key[1] for key in keys})),
        Award.kind_id.in_(sorted({key[0] for key in keys})))
    if allowed is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed)))
    ids = [award_id for award_id, kind_id, year, sort_name, name in db.session.execute(stmt)
           if (kind_id, year, sort_name, fold(name)) in wanted]
    if not ids:
        return found
    matches = (db.select(Award).where(Award.id.in_(ids))
               .options(selectinload(Award.decision), selectinload(Award.organization))
               .order_by(Award.id))
    for award in db.session.scalars(matches):
        key = (award.kind_id, award.year, award.name_sort_key, fold(award.recipient_name))
        found.setdefault(key, []).append(award)
    return found
