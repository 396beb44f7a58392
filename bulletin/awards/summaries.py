"""The figures behind the reports: the yearly summary by organization × kind (and its Excel
workbook) and who is eligible for a title, with the awards that qualify each person.

A year is the year of the achievement (năm thành tích), as in the registry's `year` filter;
the summary is built on the registry's own filtered select, so its total is the registry's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import func

from bulletin.awards import queries, records, rules
from bulletin.awards.queries import AwardFilters
from bulletin.awards.scope import manageable_organizations
from bulletin.extensions import db
from bulletin.models import Award, AwardKind, AwardRule, Organization
from bulletin.security import parse_int
from bulletin.text import fold

if TYPE_CHECKING:
    from openpyxl import Workbook


@dataclass
class Cell:
    """How many live awards, and how much money, one organization has of one kind."""

    count: int = 0
    amount: int = 0

    def add(self, count: int, amount: int) -> None:
        """Add a group's figures."""
        self.count += count
        self.amount += amount


@dataclass
class YearlySummary:
    """Counts and money by organization × kind for one year, with totals."""

    year: int
    org: Organization | None
    organizations: list[Organization] = field(default_factory=list)
    kinds: list[AwardKind] = field(default_factory=list)
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    by_org: dict[int, Cell] = field(default_factory=lambda: defaultdict(Cell))
    by_kind: dict[int, Cell] = field(default_factory=lambda: defaultdict(Cell))
    total: Cell = field(default_factory=Cell)

    def cell(self, org: Organization, kind: AwardKind) -> Cell:
        """The figures of one organization and kind (zero when none)."""
        return self.cells.get((org.id, kind.id), Cell())


def report_year() -> int:
    """The `year` asked for (this year when absent); 404 for a malformed year."""
    raw = request.args.get("year", "")
    if not raw:
        return records.today().year
    year = parse_int(raw, low=1000, high=9999)
    if year is None:
        abort(404)
    return year


def report_org() -> Organization | None:
    """The `org` asked for (a slug), or None for every organization; 404 when unknown."""
    slug = request.args.get("org", "")
    if not slug:
        return None
    org = db.session.scalar(db.select(Organization).where(Organization.slug == slug))
    if org is None:
        abort(404)
    return org


def yearly_summary(year: int, org: Organization | None,
                   allowed: set[int] | None) -> YearlySummary:
    """Group the registry's live awards of `year` by organization and kind."""
    stmt = queries.filtered(AwardFilters(year=year, org=org, include_voided=False), allowed)
    rows = stmt.with_only_columns(Award.organization_id, Award.kind_id, func.count(),
                                  func.coalesce(func.sum(Award.amount), 0)) \
        .group_by(Award.organization_id, Award.kind_id).order_by(None)
    summary = YearlySummary(year, org)
    for org_id, kind_id, count, amount in db.session.execute(rows):
        summary.cells[org_id, kind_id] = Cell(int(count), int(amount))
        summary.by_org[org_id].add(int(count), int(amount))
        summary.by_kind[kind_id].add(int(count), int(amount))
        summary.total.add(int(count), int(amount))
    summary.organizations = [o for o in manageable_organizations() if o.id in summary.by_org]
    summary.kinds = [k for k in db.session.scalars(
        db.select(AwardKind).order_by(AwardKind.position, AwardKind.id))
        if k.id in summary.by_kind]
    return summary


@dataclass
class Family:
    """A parent organization with its branches: their figures added up."""

    parent: Organization
    members: list[Organization] = field(default_factory=list)
    total: Cell = field(default_factory=Cell)
    by_kind: dict[int, Cell] = field(default_factory=lambda: defaultdict(Cell))


def families(summary: YearlySummary) -> dict[int, Family]:
    """The subtotals of parent organizations whose branches are in the summary, keyed by the
    id of the family's last row (where the subtotal line goes)."""
    grouped: dict[int, Family] = {}
    for org in summary.organizations:
        top = org.parent or org
        family = grouped.setdefault(top.id, Family(top))
        family.members.append(org)
        family.total.add(summary.by_org[org.id].count, summary.by_org[org.id].amount)
        for kind in summary.kinds:
            cell = summary.cell(org, kind)
            family.by_kind[kind.id].add(cell.count, cell.amount)
    return {f.members[-1].id: f for f in grouped.values()
            if any(member.parent_id for member in f.members)}


def family_subtotals(sections: list[tuple[Organization, list]]) -> dict[int, Family]:
    """The yearly book's subtotals of parents with branches, keyed by the id of the family's
    last section (the subtotal follows it)."""
    grouped: dict[int, Family] = {}
    for org, awards in sections:
        top = org.parent or org
        family = grouped.setdefault(top.id, Family(top))
        family.members.append(org)
        family.total.add(len(awards), sum(a.amount or 0 for a in awards))
    return {f.members[-1].id: f for f in grouped.values()
            if any(member.parent_id for member in f.members)}


def table_workbook(sheet_title: str, title: str, head: list[str], rows: list[list],
                   widths: dict[str, int]) -> Workbook:
    """One sheet as a report prints: a bold title, a blank row, a bold wrapped header row
    (frozen) and the rows, text wrapped at the top of each cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(head)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    return book


def yearly_workbook(summary: YearlySummary) -> Workbook:
    """One sheet: a title, then organizations down, kinds across (count, money), totals."""
    from openpyxl.styles import Font

    title = _("Tổng hợp khen thưởng năm %(y)s", y=summary.year)
    if summary.org:
        title += f" – {summary.org.name}"
    head = [_("Tổ chức")]
    for kind in summary.kinds:
        head += [_("%(kind)s – số lượng", kind=kind.name),
                 _("%(kind)s – tiền thưởng", kind=kind.name)]
    head += [_("Tổng số"), _("Tổng tiền thưởng")]
    rows = []
    for org in summary.organizations:
        row = [org.name]
        for kind in summary.kinds:
            row += [summary.cell(org, kind).count, summary.cell(org, kind).amount]
        rows.append([*row, summary.by_org[org.id].count, summary.by_org[org.id].amount])
    total = [_("Tổng cộng")]
    for kind in summary.kinds:
        total += [summary.by_kind[kind.id].count, summary.by_kind[kind.id].amount]
    rows.append([*total, summary.total.count, summary.total.amount])
    book = table_workbook(str(summary.year), title, head, rows, {"A": 40})
    sheet = book.active
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=4):
        for cell in row[1:]:
            cell.number_format = "#,##0"
    return book


# --- Eligibility ------------------------------------------------------------------------

@dataclass
class Candidate:
    """Someone who meets (or nearly meets) a title's prerequisites in a year."""

    recipient_type: str
    name: str
    organization: Organization
    qualifying: list[Award] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    already: Award | None = None

    @property
    def eligible(self) -> bool:
        """Every prerequisite on record (an initiative is checked when the title is given)."""
        return not self.missing


def eligibility_rules(kind: AwardKind, year: int) -> list[AwardRule]:
    """The prerequisite and streak rules of `kind` in force at the end of `year`."""
    day = date(year, 12, 31)
    return [*rules.rules_in_force(kind, "prerequisite", day),
            *rules.rules_in_force(kind, "streak", day)]


def eligible_candidates(kind: AwardKind, year: int,
                        allowed: set[int] | None) -> list[Candidate]:
    """Everyone with an award a rule of `kind` asks for, and what each still lacks."""
    needed = {}  # kind id -> the years a rule asks for
    for rule in eligibility_rules(kind, year):
        if rule.required_kind_id:
            first = year - (rule.years - 1 if rule.rule_type == "streak" else 0)
            needed.setdefault(rule.required_kind_id, set()).update(range(first, year + 1))
    if not needed:
        return []
    awards = _live_awards(set(needed) | {kind.id}, min(min(y) for y in needed.values()),
                          year, allowed)
    people: dict[tuple, Candidate] = {}
    for award in awards:
        key = (award.recipient_type, fold(award.recipient_name))
        if award.kind_id == kind.id:
            continue
        person = people.setdefault(key, Candidate(award.recipient_type, award.recipient_name,
                                                  award.organization))
        person.qualifying.append(award)
    for award in awards:  # the title itself, for people found after it
        key = (award.recipient_type, fold(award.recipient_name))
        if award.kind_id == kind.id and award.year == year and key in people:
            people[key].already = award
    for person in people.values():
        person.missing = _missing(person, needed)
    return sorted(people.values(), key=lambda c: (not c.eligible, c.recipient_type != "collective",
                                                  records.sort_key(c.recipient_type, c.name)))


def _live_awards(kind_ids: set[int], first: int, last: int,
                 allowed: set[int] | None) -> list[Award]:
    """Live awards of these kinds in these years, within the account's organizations."""
    stmt = db.select(Award).where(Award.kind_id.in_(sorted(kind_ids)),
                                  Award.year.between(first, last), Award.is_voided.is_(False))
    if allowed is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed)))
    return list(db.session.scalars(queries.with_details(stmt.order_by(Award.year, Award.id))))


def _missing(person: Candidate, needed: dict[int, set[int]]) -> list[str]:
    """What a person lacks: a required kind in a required year."""
    have = {(a.kind_id, a.year) for a in person.qualifying}
    names = {a.kind_id: a.kind.name for a in person.qualifying}
    missing = []
    for kind_id, years in needed.items():
        for year in sorted(years):
            if (kind_id, year) not in have:
                name = names.get(kind_id) or db.session.get(AwardKind, kind_id).name
                missing.append(_("%(kind)s năm %(year)s", kind=name, year=year))
    return missing


# --- Streaks ----------------------------------------------------------------------------

@dataclass
class Streak:
    """A recipient's run of consecutive years with one kind, ending with the report's year."""

    recipient_type: str
    name: str
    organization: Organization
    awards: list[Award] = field(default_factory=list)

    @property
    def years(self) -> int:
        """How many consecutive years."""
        return len(self.awards)


def streaks(kind: AwardKind, year: int, minimum: int,
            allowed: set[int] | None) -> list[Streak]:
    """Recipients with `kind` in every year from year − n + 1 to `year`, n ≥ minimum."""
    by_recipient: dict[tuple, dict[int, Award]] = {}
    for award in _live_awards({kind.id}, year - 60, year, allowed):
        key = (award.recipient_type, fold(award.recipient_name))
        by_recipient.setdefault(key, {}).setdefault(award.year, award)
    found = []
    for years in by_recipient.values():
        run = []
        while year - len(run) in years:
            run.append(years[year - len(run)])
        if len(run) >= minimum:
            latest = run[0]
            found.append(Streak(latest.recipient_type, latest.recipient_name,
                                latest.organization, sorted(run, key=lambda a: a.year)))
    return sorted(found, key=lambda s: (-s.years, s.recipient_type == "individual",
                                        records.sort_key(s.recipient_type, s.name)))


# --- The reports as workbooks -----------------------------------------------------------

def eligible_workbook(kind: AwardKind, year: int, candidates: list[Candidate],
                      labels: dict) -> Workbook:
    """The eligibility report: each person, the awards that qualify them, what they lack."""
    rows = []
    for number, person in enumerate(candidates, 1):
        qualifying = "\n".join(f"{a.kind.name} {a.year} ({a.decision.number})"
                                for a in person.qualifying)
        verdict = _("Đủ điều kiện") if person.eligible else \
            _("Còn thiếu:") + " " + ", ".join(person.missing)
        already = (f"{person.already.decision.number} "
                   f"{person.already.decision.signed_on:%d/%m/%Y}") if person.already else ""
        rows.append([number, person.name, str(labels[person.recipient_type]),
                     person.organization.name, qualifying, verdict, already])
    head = [_("STT"), _("Người, tập thể"), _("Đối tượng"), _("Tổ chức"),
            _("Khen thưởng làm căn cứ"), _("Kết quả"), _("Đã được tặng")]
    title = _("Danh sách đủ điều kiện đề nghị %(kind)s năm %(y)s", kind=kind.name, y=year)
    return table_workbook(str(year), title, head, rows,
                          {"A": 6, "B": 30, "C": 12, "D": 32, "E": 40, "F": 36, "G": 22})


def streaks_workbook(kind: AwardKind, year: int, minimum: int, found: list[Streak],
                     labels: dict) -> Workbook:
    """The streak report: each recipient, how many consecutive years, which years."""
    rows = [[number, streak.name, str(labels[streak.recipient_type]),
             streak.organization.name, streak.years,
             ", ".join(str(a.year) for a in streak.awards)]
            for number, streak in enumerate(found, 1)]
    head = [_("STT"), _("Người, tập thể"), _("Đối tượng"), _("Tổ chức"), _("Số năm"),
            _("Các năm")]
    title = _("%(kind)s: đạt từ %(n)s năm liên tục đến năm %(y)s", kind=kind.name,
              n=minimum, y=year)
    return table_workbook(str(year), title, head, rows,
                          {"A": 6, "B": 30, "C": 12, "D": 32, "E": 9, "F": 30})
