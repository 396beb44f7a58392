"""The papers the secretary prints: the annex of a decision and the yearly registry book.

Both are A4 portrait pages in administrative-document style (Nghị định 30/2020/NĐ-CP): the
issuing body and the national motto at the top, collectives before individuals, the total in
figures and in words, the signature block. Nothing of the staff interface is printed.
"""

from dataclasses import dataclass

from flask import render_template
from sqlalchemy.orm import selectinload

from bulletin.awards import bp, queries
from bulletin.awards.labels import RECIPIENT_LABELS
from bulletin.awards.money import in_words
from bulletin.awards.queries import AwardFilters
from bulletin.awards.scope import allowed_ids, load_decision, visible_awards
from bulletin.awards.summaries import report_org, report_year
from bulletin.extensions import db
from bulletin.models import Award, Decision
from bulletin.permissions import can_use_registry, requires

MODE_HEADS = {"TM": "TM.", "KT": "KT.", "Q": "Q.", "TL": "TL."}


@dataclass
class Signature:
    """The signature block of a decision: its mode line, the title, the name."""

    mode_line: str
    title: str
    name: str


def upper(text: str) -> str:
    """Upper case as printed headings are (Vietnamese letters included)."""
    return (text or "").upper()


def issuing_body(issuer: str) -> str:
    """The issuing body as the header names it: "Chủ tịch UBND xã X" → "UBND xã X"."""
    text = (issuer or "").strip()
    for title in ("Chủ tịch ", "Trưởng ban ", "Bí thư "):
        if text.lower().startswith(title.lower()):
            return text[len(title):]
    return text


def signature(decision: Decision) -> Signature:
    """The signing mode line (TM./KT./Q./TL.), the signer's title and name."""
    title = decision.signer_title or ""
    mode = decision.signing_mode
    if mode == "TM":
        line = f"TM. {upper(issuing_body(decision.issuer))}"
    elif mode == "KT":
        line = f"KT. {upper(title.removeprefix('Phó ').removeprefix('phó '))}"
    elif mode in MODE_HEADS:
        line = f"{MODE_HEADS[mode]} {upper(title)}"
        title = ""
    else:
        line = ""
    return Signature(line, upper(title), decision.signer)


@bp.get("/awards/decisions/<int:decision_id>/annex")
@requires(can_use_registry)
def decision_annex(decision_id: int):
    """The printable list annexed to a decision: every live award, total in words."""
    decision = load_decision(decision_id)
    awards = queries.annex_order([a for a in visible_awards(decision) if not a.is_voided])
    groups = []
    for label, personal in (("collective", False), ("individual", True)):
        rows = [a for a in awards if (a.recipient_type == "individual") == personal]
        if rows:
            groups.append((label, rows, sum(a.amount or 0 for a in rows)))
    total = sum(a.amount or 0 for a in awards)
    return render_template("awards/papers/annex.html", decision=decision, groups=groups,
                           count=len(awards), total=total, total_words=in_words(total),
                           body_name=issuing_body(decision.issuer),
                           mixed_kinds=len({a.kind_id for a in awards}) > 1,
                           signature=signature(decision), labels=RECIPIENT_LABELS)


@bp.get("/awards/reports/book")
@requires(can_use_registry)
def yearly_book():
    """The yearly registry book: every live award of a year, by organization, with totals."""
    year, org = report_year(), report_org()
    stmt = queries.filtered(AwardFilters(year=year, org=org, include_voided=False),
                            allowed_ids())
    awards = list(db.session.scalars(
        stmt.options(selectinload(Award.decision), selectinload(Award.kind),
                     selectinload(Award.organization))
        .order_by(Award.organization_id, Award.recipient_type == "individual",
                  Award.name_sort_key, Award.id)))
    sections: dict = {}
    for award in awards:
        sections.setdefault(award.organization, []).append(award)
    ordered = sorted(sections.items(), key=lambda item: queries.display_order(item[0]))
    total = sum(a.amount or 0 for a in awards)
    return render_template("awards/papers/book.html", year=year, org=org, sections=ordered,
                           count=len(awards), total=total, total_words=in_words(total),
                           labels=RECIPIENT_LABELS)
