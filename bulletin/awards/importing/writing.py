"""Writing a checked file: corrections, then new awards in batches, in one transaction."""

import time
from dataclasses import dataclass

from flask_babel import gettext as _

from bulletin import audit
from bulletin.awards import records, rules
from bulletin.awards.importing.dryrun import DryRun, batches
from bulletin.awards.importing.rows import DUPLICATE, NEW, UNCHANGED, UPDATE, RowResult
from bulletin.awards.records import AwardValues
from bulletin.extensions import db
from bulletin.i18n import format_number
from bulletin.models import Award, AwardHistory, Decision, ImportBatch, User, utcnow
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
    summary = ImportSummary(file_name, unchanged=result.counts[UNCHANGED],
                            duplicates=result.counts[DUPLICATE], warned=len(result.warned))
    try:
        for row in result.rows:
            if row.fate == UPDATE:
                entries_before = len(row.award.history)
                records.update_award(row.award, row.values, user)
                row.award.initiative = row.values.initiative[:500]
                rules.record_warnings(row.award, row.warnings, note if row.warnings else "",
                                      entries_before)
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
    """Insert the new awards and their history in batches (Core executemany)."""
    decisions = _decisions_for(rows)
    lines = _last_lines([d.id for d in decisions.values()])
    awards, history = Award.__table__, AwardHistory.__table__
    for batch in batches(rows, WRITE_BATCH):
        made = []
        for row in batch:
            decision = decisions[_decision_key(row.values)]
            lines[decision.id] = (lines.get(decision.id) or 0) + 1
            made.append(new_award(row, decision, lines[decision.id], user, summary.batch_id,
                                  note))
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


def new_award(row: RowResult, decision: Decision, line_no: int, user: User,
              batch_id: int | None = None, note: str = "") -> tuple[dict, list[AwardHistory]]:
    """The awards-table row and history that records.create_award would write for a row.

    The columns come from records.award_columns, the function the form's path uses too; rows
    are inserted with Core executemany, because the ORM's bookkeeping per object costs more
    than all the rest of an import of thousands of rows.
    """
    values = row.values
    columns = records.award_columns(values, decision.number)
    changes = {key: [None, value] for key, value in records.shown(
        columns, values.organization, values.kind, decision).items() if value}
    if batch_id is not None:
        changes["import_batch"] = [None, str(batch_id)]
    if row.keep_reason:
        changes["duplicate_reason"] = [None, row.keep_reason]
    if row.warnings:  # as rules.record_warnings keeps them for the forms
        changes["warnings"] = [None, "; ".join(str(w) for w in row.warnings)]
        if note:
            changes["note"] = [None, note]
    entries = [records.history_entry("import", changes, user)]
    columns.update(is_voided=False, void_reason="", voided_at=None)
    if row.is_voided:
        columns.update(records.void_columns(row.void_reason or _("(không ghi lý do)")))
        entries.append(records.history_entry(
            "void", {"void_reason": [None, columns["void_reason"]]}, user))
    now = utcnow()
    columns.update(initiative=values.initiative[:500], decision_id=decision.id,
                   line_no=line_no, source="import", created_at=now, updated_at=now,
                   import_batch_id=batch_id)
    return columns, entries
