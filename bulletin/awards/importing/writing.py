"""Writing a checked file: corrections, then new awards in batches, in one transaction.

Every award is written by `records`: a correction by `update_award` (its history lists
what changed, the initiative included), new awards by `insert_many` (Core executemany).
"""

import time
from dataclasses import dataclass

from flask_babel import gettext as _

from bulletin import audit
from bulletin.awards import records
from bulletin.awards.importing import progress
from bulletin.awards.importing.dryrun import DryRun, batches, real_user
from bulletin.awards.importing.rows import DUPLICATE, NEW, UNCHANGED, UPDATE, RowResult
from bulletin.awards.records import AwardValues
from bulletin.extensions import db
from bulletin.i18n import format_number
from bulletin.models import Award, Decision, ImportBatch, User
from bulletin.text import fold

WRITE_BATCH = 1_000

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
    batch_id: int | None = None
    warned: int = 0

    def describe(self) -> str:
        """One sentence for the secretary, naming only what happened."""
        parts = [_("%(n)s khen thưởng mới", n=format_number(self.created))]
        if self.voided:
            parts[0] += _(" (trong đó %(n)s khen thưởng đã hủy)", n=format_number(self.voided))
        if self.updated:
            parts.append(_("%(n)s khen thưởng được sửa", n=format_number(self.updated)))
        if self.unchanged:
            parts.append(_("%(n)s dòng không đổi", n=format_number(self.unchanged)))
        if self.duplicates:
            parts.append(_("%(n)s dòng trùng không nhập", n=format_number(self.duplicates)))
        if self.warned:
            parts.append(_("%(n)s dòng ghi dù có cảnh báo theo quy định (cảnh báo được lưu "
                           "trong lịch sử từng khen thưởng)", n=format_number(self.warned)))
        return _("Đã nhập tệp “%(f)s”: %(parts)s. Thời gian: %(s)s giây.", f=self.file_name,
                 parts="; ".join(parts), s=format_number(round(self.seconds, 1)))


def commit(result: DryRun, user: User, file_name: str, started: float | None = None,
           note: str = "") -> ImportSummary:
    """Write the new and corrected rows of a checked file in one transaction.

    A row that breaks a rule of commendation is written with its warnings, and the
    secretary's `note`, in its history (as the forms do).
    """
    if result.blocked:
        raise ValueError("a file with error rows is never written")
    started = time.perf_counter() if started is None else started
    user = real_user(user)
    summary = ImportSummary(file_name, unchanged=result.counts[UNCHANGED],
                            duplicates=result.counts[DUPLICATE], warned=len(result.warned))
    try:
        for row in progress.every([row for row in result.rows if row.fate == UPDATE],
                                  "update"):
            records.update_award(row.award, row.values, user, warnings=row.warnings,
                                 note=note if row.warnings else "")
            summary.updated += 1
        batch = ImportBatch(file_name=file_name[:255], user_id=user.id, username=user.username)
        db.session.add(batch)
        db.session.flush()
        summary.batch_id = batch.id
        _insert_new([row for row in result.rows if row.fate == NEW], user, summary, note)
        batch.created, batch.updated = summary.created, summary.updated
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
        _fill_decision(decisions[key], row)
    db.session.flush()
    return decisions


def _fill_decision(decision: Decision, row: RowResult) -> None:
    """Give a decision the signer's title and summary (trích yếu) a row brings, if it has none."""
    if row.signer_title and not decision.signer_title:
        decision.signer_title = row.signer_title
    if row.subject and not decision.subject:
        decision.subject = row.subject


def _last_lines(decision_ids: list[int]) -> dict[int, int]:
    """The highest line number already used on each decision (one query per batch)."""
    last: dict[int, int] = {}
    for batch in batches(sorted(set(decision_ids))):
        for decision_id, line_no in db.session.execute(
                db.select(Award.decision_id, db.func.max(Award.line_no))
                .where(Award.decision_id.in_(batch)).group_by(Award.decision_id)):
            last[decision_id] = line_no
    return last


def _insert_new(rows: list[RowResult], user: User, summary: ImportSummary,
                note: str = "") -> None:
    """Insert the new awards and their history through records, in batches."""
    decisions = _decisions_for(rows)
    lines = _last_lines([d.id for d in decisions.values()])
    for batch in batches(rows, WRITE_BATCH):
        made = []
        for row in batch:
            decision = decisions[_decision_key(row.values)]
            lines[decision.id] = (lines.get(decision.id) or 0) + 1
            made.append(new_award(row, decision, lines[decision.id], summary.batch_id, note))
        records.insert_many(made, source="import", user=user, import_batch_id=summary.batch_id)
        summary.created += len(batch)
        progress.report("write", summary.created, len(rows))
        summary.voided += sum(row.is_voided for row in batch)


def new_award(row: RowResult, decision: Decision, line_no: int, batch_id: int | None = None,
              note: str = "") -> records.NewAward:
    """The award a new row becomes, with what its history keeps: the import batch, why a
    suspected duplicate was kept, the rule warnings with the note, the void."""
    notes = {}
    if batch_id is not None:
        notes["import_batch"] = str(batch_id)
    if row.keep_reason:
        notes["duplicate_reason"] = row.keep_reason
    return records.NewAward(
        row.values, decision, line_no, notes=notes, warnings=row.warnings,
        note=note if row.warnings else "",
        void_reason=(row.void_reason or _("(không ghi lý do)")) if row.is_voided else None)
