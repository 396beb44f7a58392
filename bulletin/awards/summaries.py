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
from sqlalchemy.orm import selectinload

from bulletin.awards import queries, records, rules
from bulletin.awards.letterhead import Heading, place_and_date, place_name, site_heading, upper
from bulletin.awards.queries import AwardFilters
from bulletin.awards.scope import manageable_organizations
from bulletin.extensions import db
from bulletin.models import Award, AwardKind, AwardRule, Organization, Proposal, ProposalRow
from bulletin.security import parse_int
from bulletin.site import identity
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
    """Group the registry's live awards of `year` by organization and kind.

    Added up from `award_counts` (kept by triggers on the awards), not from the awards: the
    same figures, read from a few hundred rows whatever the size of the registry.
    """
    counts = queries.award_counts.c
    filters = AwardFilters(year=year, org=org, include_voided=False)
    rows = queries.counts_where(db.select(
        counts.organization_id, counts.kind_id, func.sum(counts.awards),
        func.coalesce(func.sum(counts.amount), 0),
    ), filters, allowed).group_by(counts.organization_id, counts.kind_id)
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


def family_label(family: Family) -> str:
    """The subtotal line of a parent and its branches."""
    return _("Cộng %(org)s (kể cả cơ sở trực thuộc)", org=family.parent.name)


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


@dataclass
class ReportHead:
    """The heading block of a report on paper and in its workbook: the body (two lines, or
    its parent over it), the number line, the place and date, the title and its subtitle."""

    heading: Heading
    place_date: str
    title: str = ""
    subtitle: str = ""
    number: str = "......../BC"


def report_head(org: Organization | None, title: str = "", subtitle: str = "") -> ReportHead:
    """A report's heading from the site's identity (and the organization chosen)."""
    site = identity()
    heading = site_heading(site, org)
    return ReportHead(heading, place_and_date(place_name(heading, site), records.today()),
                      title, subtitle)


# The workbook's rows: the heading block (1–3), the title (5) and subtitle (6), the header (8).
HEADER_ROW = 8


def _heading_rows(sheet, head: ReportHead, width: int) -> None:
    """Write the heading block over the table, the national heading from the table's middle."""
    from openpyxl.styles import Alignment, Font

    lines = [head.heading.parent, *head.heading.body_lines] if head.heading.parent \
        else list(head.heading.body_lines)
    lines = (lines + ["", ""])[:2]
    right = max(3, width // 2 + 1)
    left_texts = [upper(lines[0]), upper(lines[1]), _("Số: %(n)s", n=head.number)]
    right_texts = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   head.place_date]
    for row, (left, other) in enumerate(zip(left_texts, right_texts, strict=True), 1):
        sheet.cell(row, 1, left).font = Font(bold=row == 2 or (row == 1 and
                                                               not head.heading.parent))
        cell = sheet.cell(row, right, other)
        cell.font = Font(bold=row < 3, italic=row == 3)
        cell.alignment = Alignment(horizontal="center")
    sheet.cell(5, 1, head.title).font = Font(bold=True, size=14)
    sheet.cell(6, 1, head.subtitle).font = Font(bold=True)


def table_workbook(sheet_title: str, title: str, head: list[str], rows: list[list],
                   widths: dict[str, int], paper: ReportHead | None = None) -> Workbook:
    """One sheet as a report prints: the heading block (body, national heading, number,
    place and date), a bold title, a bold wrapped header row (frozen) and the rows, text
    wrapped at the top of each cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    paper = paper or ReportHead(Heading([""]), "")
    paper.title = paper.title or title
    _heading_rows(sheet, paper, len(head))
    for column, text in enumerate(head, 1):
        cell = sheet.cell(HEADER_ROW, column, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    return book


def yearly_workbook(summary: YearlySummary, paper: ReportHead | None = None) -> Workbook:
    """One sheet: the heading block, then organizations down, kinds across (count, money),
    a subtotal for each parent with its branches, the totals."""
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
    family_of_last = families(summary)
    for org in summary.organizations:
        row = [("    " if org.parent_id else "") + org.name]
        for kind in summary.kinds:
            row += [summary.cell(org, kind).count, summary.cell(org, kind).amount]
        rows.append([*row, summary.by_org[org.id].count, summary.by_org[org.id].amount])
        family = family_of_last.get(org.id)
        if family:
            row = [family_label(family)]
            for kind in summary.kinds:
                row += [family.by_kind[kind.id].count, family.by_kind[kind.id].amount]
            rows.append([*row, family.total.count, family.total.amount])
    total = [_("Tổng cộng")]
    for kind in summary.kinds:
        total += [summary.by_kind[kind.id].count, summary.by_kind[kind.id].amount]
    rows.append([*total, summary.total.count, summary.total.amount])
    book = table_workbook(str(summary.year), title, head, rows, {"A": 40}, paper)
    sheet = book.active
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
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
    birth_year: int | None = None
    # What a proposal (submitted, not refused) puts forward for the person this year.
    proposed_rows: list[Proposed] = field(default_factory=list)
    initiative: str = ""

    @property
    def eligible(self) -> bool:
        """Every prerequisite on record or proposed (and the initiative, where asked)."""
        return not self.missing

    @property
    def proposed(self) -> list[str]:
        """The proposed prerequisites, as the report prints them."""
        return [_("%(kind)s %(year)s (đề nghị của %(org)s)", kind=row.kind.name,
                  year=row.year, org=row.proposal.organization.name)
                for row in self.proposed_rows]


class People:
    """Tells recipients apart as the rule book does: the type, the folded name and the year
    of birth; a record without a year of birth belongs to the one namesake who has one (with
    several, it stays apart: it cannot be told whose it is)."""

    def __init__(self, records: list) -> None:
        self._born: dict[tuple, set[int]] = {}
        for record in records:
            if record.birth_year:
                self._born.setdefault(self._name(record), set()).add(record.birth_year)

    @staticmethod
    def _name(record) -> tuple:
        """The type and folded name of an award or a proposal row."""
        return record.recipient_type, fold(record.recipient_name)

    def key(self, record) -> tuple:
        """Who a record is: (type, folded name, year of birth or None)."""
        name = self._name(record)
        born = record.birth_year
        if not born and len(self._born.get(name, ())) == 1:
            born = next(iter(self._born[name]))
        return (*name, born or None)


def eligibility_rules(kind: AwardKind, year: int) -> list[AwardRule]:
    """The prerequisite and streak rules of `kind` in force at the end of `year`."""
    day = date(year, 12, 31)
    return [*rules.rules_in_force(kind, "prerequisite", day),
            *rules.rules_in_force(kind, "streak", day)]


def eligible_candidates(kind: AwardKind, year: int,
                        allowed: set[int] | None) -> list[Candidate]:
    """Everyone with an award a rule of `kind` asks for, or proposed for it this year (a
    same-year condition: Lao động tiên tiến for Chiến sĩ thi đua cơ sở), and what each lacks."""
    needed = {}  # kind id -> the years a rule asks for
    needs_initiative = False
    for rule in eligibility_rules(kind, year):
        needs_initiative = needs_initiative or rule.needs_initiative
        if rule.required_kind_id:
            first = year - (rule.years - 1 if rule.rule_type == "streak" else 0)
            needed.setdefault(rule.required_kind_id, set()).update(range(first, year + 1))
    if not needed:
        return []
    first = min(min(y) for y in needed.values())
    awards = _live_awards(set(needed) | {kind.id}, first, year, allowed)
    proposed = proposal_rows(set(needed) | {kind.id}, year, allowed)
    people = People([*awards, *proposed])
    found: dict[tuple, Candidate] = {}
    for award in awards:
        if award.kind_id != kind.id:
            person = found.setdefault(people.key(award), _candidate(award))
            person.qualifying.append(award)
    for row in proposed:
        if row.kind_id in needed and year in needed[row.kind_id]:
            person = found.setdefault(people.key(row), _candidate(row, row.organization
                                                                 or row.proposal.organization))
            person.proposed_rows.append(row)
    for record in [*awards, *proposed]:  # the title itself, and the initiatives on record
        person = found.get(people.key(record))
        if person is None:
            continue
        if isinstance(record, Award) and record.kind_id == kind.id and record.year == year:
            person.already = record
        if (record.initiative or "").strip() and record.year == year:
            person.initiative = record.initiative.strip()
    for person in found.values():
        person.missing = _missing(person, needed)
        if needs_initiative and not person.initiative and person.already is None:
            person.missing.append(_("sáng kiến được công nhận (chưa ghi)"))
    return sorted(found.values(), key=lambda c: (not c.eligible, c.recipient_type != "collective",
                                                 records.sort_key(c.recipient_type, c.name),
                                                 c.birth_year or 0))


def _candidate(record, organization: Organization | None = None) -> Candidate:
    """A new candidate from their first award or proposal row."""
    return Candidate(record.recipient_type, record.recipient_name,
                     organization or record.organization, birth_year=record.birth_year)


@dataclass
class Proposed:
    """A proposal row as the reports read it: blanks filled from its proposal (the row itself
    is never changed)."""

    row: ProposalRow

    def __getattr__(self, name: str):
        """The row's own value, else the proposal's (kind, year, organization)."""
        value = getattr(self.row, name)
        if value is None and name in ("kind_id", "kind", "year", "organization"):
            return getattr(self.row.proposal, name)
        return value

    @property
    def proposal(self) -> Proposal:
        """The proposal the row belongs to."""
        return self.row.proposal


def proposal_rows(kind_ids: set[int], year: int, allowed: set[int] | None) -> list[Proposed]:
    """The rows of `year` proposing these kinds in proposals put forward (submitted or
    decided), not refused and not yet an award, within the account's organizations."""
    stmt = (db.select(ProposalRow).join(ProposalRow.proposal)
            .where(Proposal.status.in_(("submitted", "decided")),
                   ProposalRow.verdict != "refused", ProposalRow.award_id.is_(None),
                   func.coalesce(ProposalRow.kind_id, Proposal.kind_id).in_(sorted(kind_ids)),
                   func.coalesce(ProposalRow.year, Proposal.year) == year))
    if allowed is not None:
        stmt = stmt.where(func.coalesce(ProposalRow.organization_id, Proposal.organization_id)
                          .in_(sorted(allowed)))
    rows = db.session.scalars(stmt.options(
        selectinload(ProposalRow.proposal).selectinload(Proposal.organization),
        selectinload(ProposalRow.proposal).selectinload(Proposal.kind),
        selectinload(ProposalRow.kind), selectinload(ProposalRow.organization))
        .order_by(ProposalRow.id))
    return [Proposed(row) for row in rows]


def _live_awards(kind_ids: set[int], first: int, last: int,
                 allowed: set[int] | None) -> list[Award]:
    """Live awards of these kinds in these years, within the account's organizations."""
    stmt = db.select(Award).where(Award.kind_id.in_(sorted(kind_ids)),
                                  Award.year.between(first, last), Award.is_voided.is_(False))
    if allowed is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed)))
    return list(db.session.scalars(queries.with_details(stmt.order_by(Award.year, Award.id))))


def _missing(person: Candidate, needed: dict[int, set[int]]) -> list[str]:
    """What a person lacks: a required kind in a required year (on record or proposed)."""
    have = {(a.kind_id, a.year) for a in person.qualifying}
    have |= {(row.kind_id, row.year) for row in person.proposed_rows}
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
    birth_year: int | None = None

    @property
    def years(self) -> int:
        """How many consecutive years."""
        return len(self.awards)


def streaks(kind: AwardKind, year: int, minimum: int,
            allowed: set[int] | None) -> list[Streak]:
    """Recipients with `kind` in every year from year − n + 1 to `year`, n ≥ minimum
    (namesakes born in different years are two recipients)."""
    awards = _live_awards({kind.id}, year - 60, year, allowed)
    people = People(awards)
    by_recipient: dict[tuple, dict[int, Award]] = {}
    for award in awards:
        by_recipient.setdefault(people.key(award), {}).setdefault(award.year, award)
    found = []
    for key, years in by_recipient.items():
        run = []
        while year - len(run) in years:
            run.append(years[year - len(run)])
        if len(run) >= minimum:
            latest = run[0]
            found.append(Streak(latest.recipient_type, latest.recipient_name,
                                latest.organization, sorted(run, key=lambda a: a.year),
                                key[2]))
    return sorted(found, key=lambda s: (-s.years, s.recipient_type == "individual",
                                        records.sort_key(s.recipient_type, s.name),
                                        s.birth_year or 0))


# --- The reports as workbooks -----------------------------------------------------------

def eligible_workbook(kind: AwardKind, year: int, candidates: list[Candidate],
                      labels: dict, paper: ReportHead | None = None) -> Workbook:
    """The eligibility report: each person, the awards that qualify them, what they lack."""
    rows = []
    for number, person in enumerate(candidates, 1):
        qualifying = "\n".join([*(f"{a.kind.name} {a.year} ({a.decision.number})"
                                   for a in person.qualifying), *person.proposed])
        verdict = _("Đủ điều kiện") if person.eligible else \
            _("Còn thiếu:") + " " + ", ".join(person.missing)
        already = (f"{person.already.decision.number} "
                   f"{person.already.decision.signed_on:%d/%m/%Y}") if person.already else ""
        rows.append([number, person.name, str(labels[person.recipient_type]),
                     person.organization.name, qualifying, verdict, already,
                     person.birth_year])
    head = [_("STT"), _("Người, tập thể"), _("Đối tượng"), _("Tổ chức"),
            _("Khen thưởng làm căn cứ"), _("Kết quả"), _("Đã được tặng"), _("Năm sinh")]
    title = _("Danh sách đủ điều kiện đề nghị %(kind)s năm %(y)s", kind=kind.name, y=year)
    return table_workbook(str(year), title, head, rows,
                          {"A": 6, "B": 30, "C": 12, "D": 32, "E": 40, "F": 36, "G": 22, "H": 10},
                          paper)


def streaks_workbook(kind: AwardKind, year: int, minimum: int, found: list[Streak],
                     labels: dict, paper: ReportHead | None = None) -> Workbook:
    """The streak report: each recipient, how many consecutive years, which years."""
    rows = [[number, streak.name, str(labels[streak.recipient_type]),
             streak.organization.name, streak.years,
             ", ".join(str(a.year) for a in streak.awards), streak.birth_year]
            for number, streak in enumerate(found, 1)]
    head = [_("STT"), _("Người, tập thể"), _("Đối tượng"), _("Tổ chức"), _("Số năm"),
            _("Các năm"), _("Năm sinh")]
    title = _("%(kind)s: đạt từ %(n)s năm liên tục đến năm %(y)s", kind=kind.name,
              n=minimum, y=year)
    return table_workbook(str(year), title, head, rows,
                          {"A": 6, "B": 30, "C": 12, "D": 32, "E": 9, "F": 30, "G": 10},
                          paper)
