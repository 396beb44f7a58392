"""Recording, correcting and voiding awards, with their history; shared validation.

This module is the only one that writes awards and their history: the single form, the
decision form, the import and the demo all go through `create_award()`, `update_award()`,
`void_award()`, `join_person()` and `leave_person()` (a merge and its split) or, for thousands
of rows at once, `insert_many()`. The initiative, the rule warnings an award was saved with
and the secretary's note are kept here too, so a change leaves its history entry wherever it
comes from. The values come in as `AwardValues`, read by `reading` and checked by `check()`.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from flask_babel import gettext as _
from flask_login import current_user

from bulletin.awards import issuers
from bulletin.bulk import insert_rows, reserved_ids
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE, format_date
from bulletin.models import (
    RECIPIENT_TYPES,
    Award,
    AwardHistory,
    AwardKind,
    Decision,
    Organization,
    Person,
    User,
    utcnow,
)
from bulletin.permissions import can_see_decision, registry_org_ids
from bulletin.text import clean_line, fold, name_sort_key, nfc, text_sort_key

FIRST_YEAR = 1945
FIRST_BIRTH_YEAR = 1900
MAX_AMOUNT = 10**12
# Column widths of the award and decision tables.
NAME_LENGTH = 200
ACHIEVEMENT_LENGTH = 5000
INITIATIVE_LENGTH = 500
ETHNICITY_LENGTH = 60


@dataclass
class AwardValues:
    """Everything that describes one award, as typed or imported, already parsed."""

    recipient_type: str
    recipient_name: str
    organization: Organization | None
    kind: AwardKind | None
    year: int | None
    decision_number: str
    decision_date: date | None
    recipient_title: str = ""
    achievement: str = ""
    issuer: str = ""
    signer: str = ""
    amount: int | None = None
    # A corrected award keeps its stored initiative unless another one is given.
    initiative: str = ""
    birth_year: int | None = None
    # For the statistics: "male", "female" or ""; an ethnic group as written, or "".
    sex: str = ""
    ethnicity: str = ""
    # The issuing body's level (issuers.ISSUER_LEVELS), chosen or read from `issuer`.
    issuer_level: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, name: str, message: str) -> None:
        """Note a problem with one field."""
        self.errors.setdefault(name, []).append(message)


def today() -> date:
    """Today in Vietnam."""
    return utcnow().astimezone(TIMEZONE).date()


def check(values: AwardValues) -> AwardValues:
    """Apply the registry's rules; errors refuse the award, warnings only inform."""
    if values.recipient_type not in RECIPIENT_TYPES:
        values.error("recipient_type", _("Chọn loại đối tượng: cá nhân, tập thể hoặc hộ gia đình."))
    if not values.recipient_name:
        values.error("recipient_name", _("Nhập tên người hoặc tập thể được khen."))
    if values.recipient_title and values.recipient_type != "individual":
        values.error("recipient_title", _("Chức vụ chỉ ghi cho cá nhân, không ghi cho tập thể "
                                          "hay hộ gia đình."))
    _check_birth_year(values)
    _check_person_facts(values)
    if values.organization is None and "organization" not in values.errors:
        values.error("organization", _("Chọn tổ chức."))
    if values.kind is None:
        if "kind" not in values.errors:
            values.error("kind", _("Chọn hình thức khen thưởng có trong danh mục."))
    elif values.recipient_type in RECIPIENT_TYPES and not values.kind.allows(values.recipient_type):
        values.error("kind", _("“%(kind)s” không dùng cho loại đối tượng này.",
                               kind=values.kind.name))
    _check_year(values)
    if values.amount is not None and not 0 <= values.amount <= MAX_AMOUNT:
        values.error("amount", _("Số tiền không hợp lệ."))
    for name in ("recipient_name", "recipient_title"):
        if len(getattr(values, name) or "") > NAME_LENGTH:
            values.error(name, _("Tối đa %(n)s ký tự.", n=NAME_LENGTH))
    if len(values.achievement or "") > ACHIEVEMENT_LENGTH:
        values.error("achievement", _("Thành tích tối đa %(n)s ký tự.", n=ACHIEVEMENT_LENGTH))
    check_decision(values)
    if values.year is not None and values.decision_date is not None \
            and values.decision_date.year < values.year:
        values.error("decision_date", year_after_decision_message(values.decision_date,
                                                                  values.year))
    return values


def check_decision(values: AwardValues) -> AwardValues:
    """The decision's own fields: a number, a real date not in the future, short texts."""
    if not values.decision_number:
        values.error("decision_number", _("Nhập số quyết định, ví dụ 15/QĐ-UBND."))
    elif len(values.decision_number) > 60:
        values.error("decision_number", _("Số quyết định tối đa 60 ký tự."))
    for name in ("issuer", "signer"):
        if len(getattr(values, name) or "") > NAME_LENGTH:
            values.error(name, _("Tối đa %(n)s ký tự.", n=NAME_LENGTH))
    _check_issuer_level(values)
    if values.decision_date is None:
        if "decision_date" not in values.errors:
            values.error("decision_date", _("Nhập ngày quyết định (dd/mm/yyyy)."))
    elif values.decision_date > today():
        values.error("decision_date", _("Ngày quyết định không thể sau hôm nay."))
    elif values.decision_date.year < FIRST_YEAR:
        values.error("decision_date", _("Ngày quyết định phải từ năm %(a)s trở đi.",
                                        a=FIRST_YEAR))
    return values


def _check_issuer_level(values: AwardValues) -> None:
    """A chosen level must exist on the decision's date; none chosen: read from the issuer."""
    if "issuer_level" in values.errors:
        return
    if not values.issuer_level:
        values.issuer_level = issuers.guess_level(values.issuer, values.decision_date)
    problem = issuers.level_problem(values.issuer_level, values.decision_date)
    if problem:
        values.error("issuer_level", problem)


def year_after_decision_message(decision_date: date, year: int) -> str:
    """The message for a decision signed before the year it commends."""
    return _("Quyết định ngày %(d)s không thể khen thành tích năm %(y)s (ký trước năm đó).",
             d=format_date(decision_date), y=year)


def _check_birth_year(values: AwardValues) -> None:
    """A year of birth is for a person, and plausible (before the achievement's year)."""
    if values.birth_year is None:
        return
    if values.recipient_type != "individual":
        values.error("birth_year", _("Năm sinh chỉ ghi cho cá nhân."))
    elif not FIRST_BIRTH_YEAR <= values.birth_year <= (values.year or today().year):
        values.error("birth_year", _("Năm sinh phải từ %(a)s đến năm thành tích.",
                                     a=FIRST_BIRTH_YEAR))


def _check_person_facts(values: AwardValues) -> None:
    """Sex and ethnicity are a person's, and short."""
    for name in ("sex", "ethnicity"):
        if getattr(values, name) and values.recipient_type not in ("individual", ""):
            values.error(name, _("Giới tính và dân tộc chỉ ghi cho cá nhân."))
    if len(values.ethnicity or "") > ETHNICITY_LENGTH:
        values.error("ethnicity", _("Tối đa %(n)s ký tự.", n=ETHNICITY_LENGTH))


def _check_year(values: AwardValues) -> None:
    """The year of the achievement is given and plausible."""
    last = today().year + 1
    if values.year is None:
        if "year" not in values.errors:
            values.error("year", _("Nhập năm thành tích."))
    elif not FIRST_YEAR <= values.year <= last:
        values.error("year", _("Năm phải trong khoảng %(a)s–%(b)s.", a=FIRST_YEAR, b=last))


def probable_duplicates(values: AwardValues, exclude_id: int | None = None,
                        allowed: set[int] | None | bool = True) -> list[Award]:
    """Live awards recording the same thing: a warning, not a refusal.

    The same recipient (folded name; and year of birth when both have one), the same kind
    and year, under the same organization with the same decision or issuing body (two Giấy
    khen from two bodies in one year are not duplicates), or under another organization
    with the same decision number. Only awards the account may see are returned
    (`allowed`: organization ids, None for all; by default the logged-in account's).
    """
    if values.kind is None or values.year is None or not values.recipient_name \
            or values.organization is None:
        return []
    if allowed is True:
        allowed = registry_org_ids(current_user)
    if allowed is not None and values.organization.id not in allowed:
        return []
    stmt = db.select(Award).where(
        Award.kind_id == values.kind.id, Award.year == values.year, Award.is_voided.is_(False),
        Award.name_sort_key == sort_key(values.recipient_type, values.recipient_name))
    if allowed is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed)))
    if exclude_id is not None:
        stmt = stmt.where(Award.id != exclude_id)

    def same(award: Award) -> bool:
        """Same person, and the same decision (or body) as the organization's rule asks."""
        if award.birth_year and values.birth_year and award.birth_year != values.birth_year:
            return False
        if award.organization_id == values.organization.id:
            return same_decision_or_issuer(award.decision.number, award.decision.signed_on,
                                           award.decision.issuer, values)
        return bool(award.decision.number) and \
            fold(award.decision.number) == fold(values.decision_number)

    return [a for a in db.session.scalars(stmt)
            if fold(a.recipient_name) == fold(values.recipient_name) and same(a)]


def same_decision_or_issuer(number: str, signed_on: date, issuer: str,
                            values: AwardValues) -> bool:
    """The second half of a duplicate: the same decision, or the same issuing body."""
    if fold(number) == fold(values.decision_number) and signed_on == values.decision_date:
        return True
    return bool(issuer and values.issuer) and fold(issuer) == fold(values.issuer)


@lru_cache(maxsize=65_536)
def sort_key(recipient_type: str, name: str) -> str:
    """People sort by given name; collectives and households by their full name.

    Remembered: an import and the demo need it for thousands of names, many of them alike.
    """
    return name_sort_key(name) if recipient_type == "individual" else text_sort_key(name)


def matching_decision(values: AwardValues, exclude_id: int | None = None,
                      user: User | None = None) -> Decision | None:
    """The decision with this number, date and issuer that the account may add awards to.

    A blank issuer matches nothing, and a decision outside the account's scope (one holding
    only other organizations' awards) is never matched: the caller makes a new decision
    record instead, so nobody reaches another organization's decision by its number.
    """
    if not values.issuer:
        return None
    actor = _actor(user)
    candidates = db.session.scalars(db.select(Decision).where(
        Decision.signed_on == values.decision_date,
        Decision.number == values.decision_number)).all()
    for decision in candidates:
        if decision.id is not None and decision.id == exclude_id:
            continue
        if fold(decision.issuer) == fold(values.issuer) and \
                (actor is None or can_see_decision(actor, decision)):
            return decision
    return None


def find_or_create_decision(values: AwardValues, user: User | None = None) -> Decision:
    """Return the decision with this number, date and issuer, making it if new."""
    decision = matching_decision(values, user=user)
    if decision is not None:
        if values.signer and not decision.signer:
            decision.signer = values.signer
        if values.issuer_level and not decision.issuer_level:
            decision.issuer_level = values.issuer_level
        return decision
    decision = Decision(number=values.decision_number, signed_on=values.decision_date,
                        issuer=values.issuer, issuer_level=values.issuer_level,
                        signer=values.signer, created_by_id=_user_id(user))
    db.session.add(decision)
    return decision


PERSON_FIELDS = ("recipient_type", "recipient_name", "recipient_title", "birth_year", "sex",
                 "ethnicity", "year", "achievement", "amount")


def award_columns(values: AwardValues, decision_number: str) -> dict:
    """The award-table columns that follow from checked values: one rule for form and import."""
    name = nfc(values.recipient_name)
    title = values.recipient_title if values.recipient_type == "individual" else ""
    return {
        "recipient_type": values.recipient_type, "recipient_name": name,
        "recipient_title": title, "organization_id": values.organization.id,
        "birth_year": values.birth_year if values.recipient_type == "individual" else None,
        "sex": (values.sex or "") if values.recipient_type == "individual" else "",
        "ethnicity": (values.ethnicity or "") if values.recipient_type == "individual" else "",
        "kind_id": values.kind.id, "year": values.year, "achievement": values.achievement,
        "amount": values.amount, "name_sort_key": sort_key(values.recipient_type, name),
        "search_text": search_text(name, title, values.achievement, decision_number),
        "name_search": name_search(name, title, decision_number),
    }


def search_text(name: str, title: str, achievement: str, decision_number: str) -> str:
    """The folded text a search of every column looks through."""
    return fold(" ".join((name, title, achievement, decision_number)))


def name_search(name: str, title: str, decision_number: str) -> str:
    """The folded text a registry search looks through by default: who, and which decision."""
    return fold(" ".join((name, title, decision_number)))


def shown(columns: dict, organization: Organization | None, kind: AwardKind | None,
          decision: Decision | None) -> dict[str, str]:
    """An award as a reader of its history sees it: every field as display text."""
    return {
        "recipient_type": columns["recipient_type"],
        "recipient_name": columns["recipient_name"],
        "recipient_title": columns["recipient_title"],
        "birth_year": "" if columns.get("birth_year") is None else str(columns["birth_year"]),
        "sex": columns.get("sex") or "",
        "ethnicity": columns.get("ethnicity") or "",
        "organization": organization.name if organization else "",
        "kind": kind.name if kind else "",
        "year": str(columns["year"]),
        "achievement": columns["achievement"],
        "amount": "" if columns["amount"] is None else str(columns["amount"]),
        "decision_number": decision.number if decision else "",
        # dd/mm/yyyy whatever the reader's language: history is stored once, read by all.
        "decision_date": decision.signed_on.strftime("%d/%m/%Y") if decision else "",
        "issuer": decision.issuer if decision else "",
        # The level chosen, or the one its issuer reads as (a code: history shows its label).
        "issuer_level": issuers.level_of(decision) if decision else "",
        "signer": decision.signer if decision else "",
    }


def snapshot(award: Award) -> dict[str, str]:
    """A stored award as its history shows it."""
    columns = {name: getattr(award, name) for name in PERSON_FIELDS}
    return shown(columns, award.organization, award.kind, award.decision)


def _actor(user: User | None) -> User | None:
    """The acting account: `user`, else the logged-in one (None for the command line)."""
    if user is not None:
        return user
    return current_user if getattr(current_user, "is_authenticated", False) else None


def _user_id(user: User | None) -> int | None:
    """The acting account's id (the logged-in one unless given)."""
    actor = _actor(user)
    return actor.id if actor is not None else None


def history_entry(action: str, changes: dict, user: User | None = None) -> AwardHistory:
    """A history entry: what changed, by whom (the logged-in account unless given)."""
    actor = _actor(user)
    return AwardHistory(
        action=action, changes=json.dumps(changes, ensure_ascii=False),
        user_id=actor.id if actor else None, username=actor.username if actor else "")


def add_history(award: Award, action: str, changes: dict, user: User | None = None) -> None:
    """Append a history entry to an award."""
    award.history.append(history_entry(action, changes, user))


def verdict(warnings: Iterable = (), note: str = "") -> dict:
    """The rule warnings an award is saved with and the secretary's note, as history keeps
    them (each warning as its text, legal basis last)."""
    changes = {}
    texts = [str(warning) for warning in warnings]
    if texts:
        changes["warnings"] = [None, "; ".join(texts)]
    if note:
        changes["note"] = [None, note]
    return changes


def _apply(award: Award, values: AwardValues, decision: Decision | None = None) -> None:
    """Copy values onto an award (and its decision), keeping derived columns right."""
    # The decision first: finding it queries, and nothing half-set must be flushed before.
    decision = decision or find_or_create_decision(values)
    columns = award_columns(values, decision.number)
    award.decision = decision
    award.organization = values.organization
    award.kind = values.kind
    for name, value in columns.items():
        if not name.endswith("_id"):  # the relationships above set those
            setattr(award, name, value)


def refresh_search_text(award: Award) -> None:
    """Keep the folded texts staff search looks through in step with the award."""
    award.search_text = search_text(award.recipient_name, award.recipient_title,
                                    award.achievement, award.decision.number)
    award.name_search = name_search(award.recipient_name, award.recipient_title,
                                    award.decision.number)


def create_award(values: AwardValues, source: str = "manual", user: User | None = None,
                 decision: Decision | None = None, warnings: Iterable = (),
                 note: str = "") -> Award:
    """Record a checked award with a 'create' history entry (the caller commits).

    `decision` puts the award on that decision (a whole decision typed at once); without it
    the decision is found by number, date and issuer, or made. The entry also keeps the rule
    `warnings` the award is saved with and the secretary's `note`.
    """
    award = Award(source=source, initiative=values.initiative[:INITIATIVE_LENGTH])
    _apply(award, values, decision)
    db.session.add(award)
    award.line_no = max((a.line_no or 0 for a in award.decision.awards if a is not award),
                        default=0) + 1
    changes = {k: [None, v] for k, v in snapshot(award).items() if v}
    add_history(award, "import" if source == "import" else "create",
                changes | verdict(warnings, note), user)
    return award


def update_award(award: Award, values: AwardValues, user: User | None = None,
                 warnings: Iterable = (), note: str = "") -> dict:
    """Correct an award; return and record what changed (the caller commits).

    One 'update' entry lists every changed field, the initiative included, with the rule
    `warnings` the correction is saved with and the `note`; with nothing changed, these get
    a 'rules' entry of their own.
    """
    before = snapshot(award)
    _apply(award, values, _own_decision(award, values))
    after = snapshot(award)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    initiative = values.initiative[:INITIATIVE_LENGTH]
    if (award.initiative or "") != initiative:
        changes["initiative"] = [award.initiative, initiative]
        award.initiative = initiative
    if changes:
        add_history(award, "update", changes | verdict(warnings, note), user)
    else:
        record_verdict(award, warnings, note, len(award.history), user)
    return changes


def record_verdict(award: Award, warnings: Iterable, note: str, entries_before: int = 0,
                   user: User | None = None) -> None:
    """Keep, in the award's history, the rule warnings it was saved with and the note.

    They join the entry this save wrote (the award had `entries_before` entries before it);
    when the save wrote none, they get a 'rules' entry of their own.
    """
    changes = verdict(warnings, note)
    if not changes:
        return
    pending = award.history[-1] if len(award.history) > entries_before else None
    if pending is None:
        add_history(award, "rules", changes, user)
    else:
        pending.changes = json.dumps({**json.loads(pending.changes or "{}"), **changes},
                                     ensure_ascii=False)
def _own_decision(award: Award, values: AwardValues) -> Decision | None:
    """The award's decision corrected in place, when the award is its only recipient.

    A lone award's decision is its own: correcting its number, date, issuer or signer fixes
    that decision instead of leaving an empty one behind. An award sharing its decision, or
    corrected to a decision already in the registry, moves to the matching decision.
    """
    decision = award.decision
    if decision is None or any(other is not award for other in decision.awards):
        return None
    if matching_decision(values, exclude_id=decision.id) is not None:
        return None
    decision.number = values.decision_number
    decision.signed_on = values.decision_date
    decision.issuer = values.issuer
    decision.issuer_level = values.issuer_level
    decision.signer = values.signer
    return decision


def update_decision(decision: Decision, values: AwardValues, user: User | None = None,
                    **fields) -> list[str]:
    """Correct a decision's own fields; each of its awards records what changed for it.

    `values` carries the number, date, issuer, its level and signer; `fields` any other column
    (signer_title, subject, is_public, post_id). Returns the names of the changed columns.
    """
    before = {award.id: snapshot(award) for award in decision.awards}
    wanted = {"number": values.decision_number, "signed_on": values.decision_date,
              "issuer": values.issuer, "issuer_level": values.issuer_level,
              "signer": values.signer, **fields}
    changed = [name for name, value in wanted.items() if getattr(decision, name) != value]
    for name in changed:
        setattr(decision, name, wanted[name])
    for award in decision.awards:
        refresh_search_text(award)
        after = snapshot(award)
        changes = {k: [before[award.id][k], after[k]] for k in after
                   if before[award.id][k] != after[k]}
        if changes:
            add_history(award, "update", changes, user)
    return changed


def void_award(award: Award, reason: str, user: User | None = None) -> None:
    """Void an award with a reason; it stays in the registry, marked (the caller commits)."""
    for name, value in void_columns(reason).items():
        setattr(award, name, value)
    add_history(award, "void", {"void_reason": [None, award.void_reason]}, user)


VOID_BATCH = 1_000


def void_many(award_ids: list[int], reason: str, user: User | None = None) -> int:
    """Void many live awards with one reason, each with its 'void' history entry, as
    `void_award` records them: one UPDATE and one executemany INSERT per thousand awards
    instead of an ORM object each (the caller commits). Returns how many were voided."""
    actor = _actor(user)
    columns = void_columns(reason)
    entry = {"action": "void", "created_at": columns["voided_at"],
             "changes": json.dumps({"void_reason": [None, columns["void_reason"]]},
                                   ensure_ascii=False),
             "user_id": actor.id if actor else None, "username": actor.username if actor else ""}
    table = Award.__table__
    voided = 0
    ids = sorted(set(award_ids))
    for start in range(0, len(ids), VOID_BATCH):
        chunk = ids[start:start + VOID_BATCH]
        done = db.session.execute(table.update().where(
            table.c.id.in_(chunk), table.c.is_voided.is_(False)).values(
            **columns, updated_at=columns["voided_at"]).returning(table.c.id)).scalars().all()
        if done:
            db.session.execute(AwardHistory.__table__.insert(),
                               [{"award_id": award_id, **entry} for award_id in done])
        voided += len(done)
    return voided


def void_columns(reason: str) -> dict:
    """The columns of a voided award."""
    return {"is_voided": True, "void_reason": clean_line(reason), "voided_at": utcnow()}


def join_person(award: Award, person: Person, user: User | None = None) -> None:
    """Join an award to one person's record (a merge); its history notes it."""
    if award.person_id == person.id:
        return
    before = f"#{award.person_id}" if award.person_id else None
    add_history(award, "merge", {"person": [before, f"#{person.id} {person.name}"]}, user)
    award.person_id = person.id


def leave_person(award: Award, previous: Person | None, user: User | None = None) -> None:
    """Split an award out of its merged record, back to `previous` (None: its own name);
    its history notes it."""
    current = db.session.get(Person, award.person_id) if award.person_id else None
    if current is None or (previous is not None and previous.id == current.id):
        return
    after = f"#{previous.id} {previous.name}" if previous is not None else None
    add_history(award, "split", {"person": [f"#{current.id} {current.name}", after]}, user)
    award.person_id = previous.id if previous is not None else None


@dataclass
class NewAward:
    """One award for `insert_many`: checked values on a decision already in the database."""

    values: AwardValues
    decision: Decision  # or anything with its id, number, signed_on, issuer and signer
    line_no: int
    notes: dict[str, str] = field(default_factory=dict)  # more to keep in its first entry
    warnings: list = field(default_factory=list)
    note: str = ""
    void_reason: str | None = None  # recorded as voided, for this reason
    created_at: datetime | None = None


def insert_many(awards: list[NewAward], source: str = "manual", user: User | None = None,
                import_batch_id: int | None = None) -> None:
    """Insert checked awards and their history entries, as `create_award` records them.

    Core executemany, one statement for the awards and one for their history (the caller
    commits): the ORM's bookkeeping per object costs more than all the rest of an import of
    thousands of rows.
    """
    if not awards:
        return
    actor = _actor(user)
    who = {"user_id": actor.id if actor else None, "username": actor.username if actor else ""}
    action = "import" if source == "import" else "create"
    now = utcnow()
    rows, entries = [], []
    for item in awards:
        columns, changes = _new_row(item, source, import_batch_id, item.created_at or now)
        rows.append(columns)
        entries.append([(action, changes)])
        if item.void_reason is not None:
            entries[-1].append(("void", {"void_reason": [None, columns["void_reason"]]}))
    award_ids = _inserted_ids(Award.__table__, rows)
    insert_rows(AwardHistory.__table__, [
        {"award_id": award_id, "created_at": columns["created_at"], "action": name,
         "changes": json.dumps(changes, ensure_ascii=False), **who}
        for award_id, columns, made in zip(award_ids, rows, entries, strict=True)
        for name, changes in made])


def _inserted_ids(table, rows: list[dict]) -> list[int]:
    """Insert award rows; return their ids in the rows' order."""
    ids = reserved_ids(table, len(rows))
    if ids is not None:
        for columns, award_id in zip(rows, ids, strict=True):
            columns["id"] = award_id
        insert_rows(table, rows)
        return ids
    # Each new award has its own line on its decision: that pair finds its id again, which
    # is cheaper than asking the database to keep RETURNING in insert order.
    inserted = db.session.execute(
        table.insert().returning(table.c.id, table.c.decision_id, table.c.line_no), rows)
    found = {(decision_id, line_no): award_id for award_id, decision_id, line_no in inserted}
    return [found[columns["decision_id"], columns["line_no"]] for columns in rows]


def _new_row(item: NewAward, source: str, import_batch_id: int | None,
             moment: datetime) -> tuple[dict, dict]:
    """The awards-table row of a new award and the changes its first history entry lists."""
    values, decision = item.values, item.decision
    columns = award_columns(values, decision.number)
    changes = {key: [None, value] for key, value in shown(
        columns, values.organization, values.kind, decision).items() if value}
    if item.notes or item.warnings or item.note:  # most rows have none: skip the work
        changes.update((key, [None, value]) for key, value in item.notes.items())
        changes.update(verdict(item.warnings, item.note))
    columns.update(initiative=values.initiative[:INITIATIVE_LENGTH], decision_id=decision.id,
                   line_no=item.line_no, source=source, created_at=moment, updated_at=moment,
                   import_batch_id=import_batch_id, is_voided=False, void_reason="",
                   voided_at=None)
    if item.void_reason is not None:
        columns.update(void_columns(item.void_reason))
    return columns, changes
