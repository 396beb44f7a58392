"""Statistics for the level above: awards in force of a year by kind × level of the
conferring body (its tier: commune, district, province, central), each split by recipient
(collectives and households, individuals) and, for individuals, by sex and by ethnic minority.

An ethnic minority is any recorded ethnicity other than Kinh (folded, so "kinh", "Kinh " and
"dân tộc Kinh" are one); an empty sex or ethnicity counts as "not stated".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from bulletin.awards import issuers, queries
from bulletin.awards.issuers import TIER_LABELS, TIERS
from bulletin.awards.queries import AwardFilters
from bulletin.awards.summaries import ReportHead, table_workbook
from bulletin.extensions import db
from bulletin.models import Award, AwardKind, Decision, Organization
from bulletin.text import fold

if TYPE_CHECKING:
    from openpyxl import Workbook

# The columns of the table, in order, with their headings.
COLUMNS = {
    "total": _l("Tổng số"),
    "collective": _l("Tập thể, hộ gia đình"),
    "individual": _l("Cá nhân"),
    "male": _l("Nam"),
    "female": _l("Nữ"),
    "sex_unknown": _l("Chưa ghi giới tính"),
    "minority": _l("Dân tộc thiểu số"),
    "minority_female": _l("Nữ dân tộc thiểu số"),
    "kinh": _l("Dân tộc Kinh"),
    "ethnicity_unknown": _l("Chưa ghi dân tộc"),
}


def ethnic_group(ethnicity: str) -> str:
    """ "kinh", "minority" or "unknown" for an ethnicity as written."""
    folded = fold(ethnicity or "").strip().removeprefix("dan toc ").strip()
    if not folded:
        return "unknown"
    return "kinh" if folded == "kinh" else "minority"


def columns_of(recipient_type: str, sex: str, ethnicity: str) -> list[str]:
    """The columns one award counts in."""
    if recipient_type != "individual":
        return ["total", "collective"]
    sex = sex if sex in ("male", "female") else "sex_unknown"
    group = ethnic_group(ethnicity)
    found = ["total", "individual", sex,
             {"kinh": "kinh", "minority": "minority", "unknown": "ethnicity_unknown"}[group]]
    if group == "minority" and sex == "female":
        found.append("minority_female")
    return found


@dataclass
class StatRow:
    """One kind at one tier (or a kind's or the tier's total): counts by column."""

    label: str
    tier: str = ""
    counts: Counter = field(default_factory=Counter)
    is_total: bool = False


@dataclass
class Statistics:
    """The year's table, kinds in their order of honour, tiers within each kind."""

    year: int
    org: Organization | None
    rows: list[StatRow] = field(default_factory=list)
    by_tier: dict[str, Counter] = field(default_factory=dict)
    total: Counter = field(default_factory=Counter)


def statistics(year: int, org: Organization | None, allowed: set[int] | None) -> Statistics:
    """Count the awards in force of `year` (the registry's own filter) by kind, tier, column."""
    stmt = queries.filtered(AwardFilters(year=year, org=org, include_voided=False), allowed)
    grouped = stmt.with_only_columns(
        Award.kind_id, Award.decision_id, Award.recipient_type, Award.sex, Award.ethnicity,
        func.count()).group_by(Award.kind_id, Award.decision_id, Award.recipient_type,
                               Award.sex, Award.ethnicity).order_by(None)
    found = list(db.session.execute(grouped))
    tiers = _tiers({row[1] for row in found})
    cube: dict[tuple[int, str], Counter] = {}
    for kind_id, decision_id, recipient_type, sex, ethnicity, count in found:
        cell = cube.setdefault((kind_id, tiers[decision_id]), Counter())
        for column in columns_of(recipient_type, sex or "", ethnicity or ""):
            cell[column] += int(count)
    return _table(year, org, cube)


def _tiers(decision_ids: set[int]) -> dict[int, str]:
    """The tier of each decision's conferring body (chosen level, else read from its text)."""
    if not decision_ids:
        return {}
    decisions = db.session.scalars(db.select(Decision).where(Decision.id.in_(sorted(decision_ids))))
    return {d.id: issuers.tier(issuers.level_of(d)) for d in decisions}


def _table(year: int, org: Organization | None, cube: dict) -> Statistics:
    """Lay the counts out: per kind its tiers and (with several) its total; then per tier."""
    result = Statistics(year, org, by_tier={tier: Counter() for tier in TIERS})
    kind_ids = sorted({kind_id for kind_id, _tier in cube})
    kinds = db.session.scalars(db.select(AwardKind).where(AwardKind.id.in_(kind_ids))
                               .order_by(AwardKind.position, AwardKind.id)) if kind_ids else []
    for kind in kinds:
        present = [tier for tier in TIERS if (kind.id, tier) in cube]
        kind_total = Counter()
        for tier in present:
            counts = cube[kind.id, tier]
            result.rows.append(StatRow(kind.name, tier, counts))
            kind_total.update(counts)
            result.by_tier[tier].update(counts)
        if len(present) > 1:
            result.rows.append(StatRow(kind.name, "", kind_total, is_total=True))
        result.total.update(kind_total)
    result.by_tier = {tier: counts for tier, counts in result.by_tier.items() if counts}
    return result


def statistics_workbook(stats: Statistics, paper: ReportHead) -> Workbook:
    """The table as a workbook under the report's heading block."""
    from openpyxl.styles import Font

    head = [str(_l("Hình thức, danh hiệu")), str(_l("Cấp khen thưởng")),
            *[str(label) for label in COLUMNS.values()]]
    rows = []
    for row in stats.rows:
        tier = str(_l("Cộng các cấp")) if row.is_total else str(TIER_LABELS[row.tier])
        rows.append([row.label, tier, *[row.counts[c] for c in COLUMNS]])
    for tier, counts in stats.by_tier.items():
        rows.append([str(_l("Cộng")), str(TIER_LABELS[tier]), *[counts[c] for c in COLUMNS]])
    rows.append([str(_l("Tổng cộng")), "", *[stats.total[c] for c in COLUMNS]])
    book = table_workbook(str(stats.year), paper.title, head, rows,
                          {"A": 34, "B": 16} | {chr(ord("C") + i): 11 for i in range(len(COLUMNS))},
                          paper)
    for cell in book.active[book.active.max_row]:
        cell.font = Font(bold=True)
    return book
