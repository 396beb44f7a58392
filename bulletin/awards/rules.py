"""The rules of commendation, as dated data: what a kind needs, who may confer it, its money.

Every check picks the rules in force on the decision's date, so changing or adding a rule
never rewrites a past award. Rules only warn: the secretary may still record, with a note.
The single form, the decision form and the import all call `warnings_for()`; the import
passes a `RuleBook` that loads the rules, the base salaries and the prior awards its rows
need once, so that checking 10,000 rows costs a handful of queries.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from bulletin.awards import issuers
from bulletin.awards.money import round_up
from bulletin.awards.records import AwardValues, sort_key, today
from bulletin.extensions import db
from bulletin.i18n import format_number
from bulletin.models import ISSUER_LEVELS, Award, AwardKind, AwardRule, BaseSalary
from bulletin.permissions import registry_org_ids
from bulletin.text import fold

# Who may confer a kind: the issuing bodies' levels (issuers.ISSUER_LEVELS), and two older
# codes without a level that rows written before the levels still hold: any level of the
# Front's committees, any level of the associations.
GENERIC_BODIES = {
    "front_committee": ("commune_front", "district_front", "province_front", "central_front"),
    "association": ("commune_association", "district_association", "province_association",
                    "central_association"),
}
BODY_LABELS = {code: issuers.LEVEL_LABELS[code] for code in ISSUER_LEVELS if code != "other"} | {
    "front_committee": _l("Ban Thường trực Ủy ban MTTQ (mọi cấp)"),
    "association": _l("Ban Chấp hành hội, đoàn, công đoàn (mọi cấp)"),
}
RULE_LABELS = {
    "prerequisite": _l("Điều kiện cùng năm"),
    "streak": _l("Số năm liên tục"),
    "authority": _l("Thẩm quyền tặng"),
    "money": _l("Tiền thưởng"),
}
@dataclass
class RuleWarning:
    """A rule an award breaks: which rule, what is missing, on what legal basis."""

    rule: str
    missing: str
    legal_basis: str

    def __str__(self) -> str:
        """The warning as one line, legal basis last."""
        basis = f" ({self.legal_basis})" if self.legal_basis else ""
        return f"{self.rule}: {self.missing}{basis}"


@dataclass
class Suggestion:
    """A suggested reward: coefficient × base salary, rounded up as the decree says."""

    amount: int
    coefficient: Decimal
    base_salary: int
    round_up_to: int
    legal_basis: str

    def explain(self) -> str:
        """"0,3 × 2.340.000 = 702.000, làm tròn lên 710.000 đồng" for the form."""
        raw = self.coefficient * self.base_salary
        text = _("%(c)s × %(b)s (lương cơ sở) = %(raw)s đ, làm tròn lên %(a)s đ",
                 c=f"{self.coefficient.normalize():f}".replace(".", ","),
                 b=format_number(self.base_salary), raw=format_number(int(raw)),
                 a=format_number(self.amount))
        return f"{text} – {self.legal_basis}" if self.legal_basis else text


def allowed_levels(bodies: str) -> set[str]:
    """The levels a rule's bodies name (an older code without a level: all its levels)."""
    allowed = set()
    for code in (bodies or "").split(","):
        allowed.update(GENERIC_BODIES.get(code, (code,)) if code else ())
    return allowed


def issuer_level(values: AwardValues) -> str:
    """The level that conferred the award: chosen, else read from the issuer as typed (a
    district is read whatever the date, so that one after 30/06/2025 is noticed)."""
    return values.issuer_level or issuers.guess_level(values.issuer)


class RuleBook:
    """The rules, base salaries and awards that the checks read, each read once.

    A book made for one award queries as it goes. An import `preload()`s it with every
    row's values: then each rule, salary and prior award is read in a few batched queries,
    and the rows themselves count as pending awards (a prerequisite among them is met).
    """

    def __init__(self, pending: Iterable[AwardValues] = (),
                 allowed: set[int] | None | bool = True):
        # Whose prior awards the checks may look at: a secretary scoped to some organizations
        # sees only theirs (True: the logged-in account's; None: every organization), so a
        # warning's absence tells nothing of another organization's book.
        self.allowed = account_scope() if allowed is True else allowed
        self._rules: dict[tuple[int, str], list[AwardRule]] = {}
        self._salaries: list[BaseSalary] | None = None
        # Who holds what, as (kind, year, type, folded name) → the years of birth written
        # (None where the book gives none): namesakes born in different years are two people.
        self._held: dict[tuple, Counter] | None = None
        self._pending: dict[tuple, Counter] = {}
        for other in pending:
            if other.kind is not None and other.year is not None:
                _hold(self._pending, _award_key(other, other.kind, other.year),
                      other.birth_year)

    def rules(self, kind: AwardKind, rule_type: str, day: date) -> list[AwardRule]:
        """The kind's rules of one type in force on `day`."""
        key = (kind.id, rule_type)
        if key not in self._rules:
            self._rules[key] = list(db.session.scalars(db.select(AwardRule).where(
                AwardRule.kind_id == kind.id, AwardRule.rule_type == rule_type)
                .order_by(AwardRule.valid_from, AwardRule.id)))
        return [rule for rule in self._rules[key] if rule.in_force(day)]

    def salary(self, day: date) -> BaseSalary | None:
        """The base salary in force on `day`."""
        if self._salaries is None:
            self._salaries = list(db.session.scalars(
                db.select(BaseSalary).order_by(BaseSalary.valid_from.desc())))
        return next((s for s in self._salaries if s.valid_from <= day), None)

    def preload(self, rows: list[AwardValues], batch: int = 500) -> None:
        """Read, in batches, the live awards the rows' prerequisites and streaks could need."""
        needed: dict[int, set[int]] = {}  # required kind id → years
        names = set()
        for values in rows:
            if values.kind is None or values.year is None:
                continue
            for rule_type in ("prerequisite", "streak"):
                for rule in self.rules(values.kind, rule_type, _day(values)):
                    if rule.required_kind_id is not None:
                        span = max(rule.years or 1, 1) if rule_type == "streak" else 1
                        needed.setdefault(rule.required_kind_id, set()).update(
                            range(values.year - span + 1, values.year + 1))
                        names.add(sort_key(values.recipient_type, values.recipient_name))
        self._held = {}
        ordered = sorted(names)
        for kind_id, years in needed.items():
            for start in range(0, len(ordered), batch):
                found = db.session.execute(self._scoped(db.select(
                    Award.recipient_type, Award.recipient_name, Award.year,
                    Award.birth_year).where(
                    Award.kind_id == kind_id, Award.is_voided.is_(False),
                    Award.year.between(min(years), max(years)),
                    Award.name_sort_key.in_(ordered[start:start + batch]))))
                for recipient_type, name, year, born in found:
                    _hold(self._held, (kind_id, year, recipient_type, fold(name)), born)

    def _scoped(self, stmt):
        """A select of awards kept to the organizations the checks may look at."""
        if self.allowed is None:
            return stmt
        return stmt.where(Award.organization_id.in_(sorted(self.allowed)))

    @property
    def scope_note(self) -> str:
        """What a warning about prior awards adds when only some organizations were read."""
        return "" if self.allowed is None else _("theo sổ của các tổ chức bạn quản lý")

    def has_award(self, values: AwardValues, kind: AwardKind, year: int) -> bool:
        """Whether the recipient has a live award of `kind` in `year`, or one pending.

        The same recipient: the same folded name and, when both give one, the same year of
        birth (an award without it may still be theirs).
        """
        key = _award_key(values, kind, year)
        born = values.birth_year
        own = 1 if (values.kind.id, values.year) == (kind.id, year) \
            and _matching(self._pending.get(key), born) else 0
        if _matching(self._pending.get(key), born) - own > 0:
            return True
        if self._held is not None:
            return _matching(self._held.get(key), born) > 0
        rows = db.session.execute(self._scoped(db.select(
            Award.recipient_name, Award.birth_year).where(
            Award.kind_id == kind.id, Award.year == year, Award.is_voided.is_(False),
            Award.recipient_type == values.recipient_type,
            Award.name_sort_key == sort_key(values.recipient_type, values.recipient_name))))
        return any(fold(other) == key[3] and same_birth_year(born, other_born)
                   for other, other_born in rows)


def account_scope() -> set[int] | None:
    """The organizations the logged-in account manages (None: all, or nobody logged in)."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    return registry_org_ids(current_user)


def same_birth_year(one: int | None, other: int | None) -> bool:
    """Whether two years of birth may be one person's (a blank one matches any)."""
    return one is None or other is None or one == other


def _hold(held: dict[tuple, Counter], key: tuple, born: int | None) -> None:
    """Count one award under its recipient's key and year of birth."""
    held.setdefault(key, Counter())[born] += 1


def _matching(born_counts: Counter | None, born: int | None) -> int:
    """How many of the counted awards may be the recipient's, by year of birth."""
    if not born_counts:
        return 0
    return sum(n for year, n in born_counts.items() if same_birth_year(born, year))


def _award_key(values: AwardValues, kind: AwardKind, year: int) -> tuple:
    """Who got what when, as the checks compare it: kind, year, type, folded name."""
    return kind.id, year, values.recipient_type, fold(values.recipient_name)


def _day(values: AwardValues) -> date:
    """The day whose rules apply: the decision's date, or today for an undated award."""
    return values.decision_date or today()


def rules_in_force(kind: AwardKind, rule_type: str, day: date) -> list[AwardRule]:
    """The kind's rules of one type in force on `day`."""
    return RuleBook().rules(kind, rule_type, day)


def base_salary_on(day: date) -> BaseSalary | None:
    """The base salary in force on `day`."""
    return RuleBook().salary(day)


def suggested_amount(kind: AwardKind | None, recipient_type: str,
                     day: date | None, book: RuleBook | None = None) -> Suggestion | None:
    """The reward the rules give this kind and recipient on `day` (None: no money rule)."""
    if kind is None or day is None:
        return None
    book = book or RuleBook()
    money = [r for r in book.rules(kind, "money", day)
             if r.recipient_type == recipient_type and r.coefficient is not None]
    salary = book.salary(day)
    if not money or salary is None:
        return None
    rule = money[-1]
    coefficient = Decimal(rule.coefficient)
    amount = round_up(coefficient * salary.amount, salary.round_up_to)
    basis = "; ".join(b for b in (rule.legal_basis, salary.legal_basis) if b)
    return Suggestion(amount, coefficient, salary.amount, salary.round_up_to, basis)


def warnings_for(values: AwardValues, pending: Iterable[AwardValues] = (),
                 book: RuleBook | None = None) -> list[RuleWarning]:
    """The rules in force at the decision date that these award values break.

    `pending` are other awards being recorded together (a decision's rows): a prerequisite
    among them counts as met. An import passes a preloaded `book` instead, which holds its
    rows as pending.
    """
    if values.kind is None or values.year is None or not values.recipient_name:
        return []
    if book is None:
        book = RuleBook(p for p in pending if p is not values)
    day = _day(values)
    found = []
    for rule in book.rules(values.kind, "authority", day):
        found.extend(_authority(rule, values, day))
    for rule in book.rules(values.kind, "prerequisite", day):
        found.extend(_prerequisite(rule, values, book))
    for rule in book.rules(values.kind, "streak", day):
        found.extend(_streak(rule, values, book))
    found.extend(_money(values, day, book))
    return found


def _authority(rule: AwardRule, values: AwardValues, day: date) -> list[RuleWarning]:
    """The issuing body's level must be one that may confer the kind on the decision's date."""
    level = issuer_level(values)
    allowed = allowed_levels(rule.bodies)
    if not level or level == "other" or not allowed:
        return []
    gone = issuers.is_district(level) and day > issuers.LAST_DISTRICT_DAY
    if level in allowed and not gone:
        return []
    who = ", ".join(str(BODY_LABELS.get(code, code)) for code in rule.bodies.split(",") if code)
    issuer = values.issuer or str(issuers.LEVEL_LABELS.get(level, level))
    if gone:
        missing = _("“%(issuer)s”: từ 01/7/2025 không còn cấp huyện; “%(kind)s” do %(who)s "
                    "quyết định", issuer=issuer, kind=values.kind.name, who=who)
    else:
        missing = _("“%(kind)s” do %(who)s quyết định; “%(issuer)s” (%(level)s) không có "
                    "thẩm quyền tặng", kind=values.kind.name, who=who, issuer=issuer,
                    level=issuers.LEVEL_LABELS.get(level, level))
    return [RuleWarning(str(RULE_LABELS["authority"]), missing, rule.legal_basis)]


def _prerequisite(rule: AwardRule, values: AwardValues, book: RuleBook) -> list[RuleWarning]:
    """Another title in the same year, and an initiative, when the rule asks for them."""
    found = []
    label = str(RULE_LABELS["prerequisite"])
    required = rule.required_kind
    if required is not None and not book.has_award(values, required, values.year):
        found.append(RuleWarning(label, _scoped_text(_(
            "chưa có danh hiệu %(kind)s năm %(year)s", kind=required.name, year=values.year),
            book), rule.legal_basis))
    if rule.needs_initiative and not (values.initiative or "").strip():
        found.append(RuleWarning(label, _("chưa ghi sáng kiến (hoặc đề tài) được công nhận"),
                                 rule.legal_basis))
    return found


def _streak(rule: AwardRule, values: AwardValues, book: RuleBook) -> list[RuleWarning]:
    """`years` consecutive years of another kind, ending with the award's year."""
    required = rule.required_kind
    if required is None or rule.years < 1:
        return []
    first = values.year - rule.years + 1
    missing = [y for y in range(first, values.year + 1)
               if not book.has_award(values, required, y)]
    if not missing:
        return []
    return [RuleWarning(str(RULE_LABELS["streak"]), _scoped_text(_(
        "cần %(n)s năm liên tục %(kind)s (%(a)s–%(b)s), còn thiếu năm %(missing)s",
        n=rule.years, kind=required.name, a=first, b=values.year,
        missing=", ".join(str(y) for y in missing)), book), rule.legal_basis)]


def _scoped_text(text: str, book: RuleBook) -> str:
    """A warning about prior awards, saying whose book was read when it was not all of it."""
    note = book.scope_note
    return f"{text} ({note})" if note else text


def _money(values: AwardValues, day: date, book: RuleBook) -> list[RuleWarning]:
    """An amount other than the rules' rounded one: below it (702.000 where rounding up
    gives 710.000), or above it by a rounding step or more."""
    suggestion = suggested_amount(values.kind, values.recipient_type, day, book)
    if suggestion is None or values.amount is None:
        return []
    if suggestion.amount <= values.amount < suggestion.amount + suggestion.round_up_to:
        return []
    return [RuleWarning(str(RULE_LABELS["money"]), _(
        "ghi %(given)s đ, mức theo quy định là %(amount)s đ (%(how)s)",
        given=format_number(values.amount), amount=format_number(suggestion.amount),
        how=suggestion.explain()), "")]


def has_award(values: AwardValues, kind: AwardKind, year: int,
              pending: Iterable[AwardValues] = ()) -> bool:
    """Whether the same recipient has a live award of `kind` in `year` (or one pending)."""
    return RuleBook(p for p in pending if p is not values).has_award(values, kind, year)
