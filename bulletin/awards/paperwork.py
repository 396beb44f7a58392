"""What a decision's papers say: its live awards by kind, the articles of the decision, the
payout lines. The views in `papers` render these; the certificates read them too.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from bulletin.awards import queries
from bulletin.awards.letterhead import dated, issuing_body, spelled_out
from bulletin.awards.money import in_words
from bulletin.awards.scope import visible_awards
from bulletin.i18n import format_number
from bulletin.models import Award, AwardKind, Decision

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DEFAULT_GROUNDS = (
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
    "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
)


@dataclass
class KindSection:
    """One kind of award on the annex: collectives and households, then individuals."""

    kind: AwardKind
    collectives: list[Award] = field(default_factory=list)
    individuals: list[Award] = field(default_factory=list)

    @property
    def awards(self) -> list[Award]:
        """Every award of the section in its printed order."""
        return self.collectives + self.individuals

    @property
    def amount(self) -> int:
        """The section's money."""
        return sum(a.amount or 0 for a in self.awards)


def live_awards(decision: Decision) -> list[Award]:
    """The awards in force of a decision that the account manages, in the annex's order."""
    return queries.annex_order([a for a in visible_awards(decision) if not a.is_voided])


def kind_sections(awards: list[Award]) -> list[KindSection]:
    """One section per kind in the order of honour, collectives and households first."""
    sections: dict[int, KindSection] = {}
    for award in awards:
        section = sections.setdefault(award.kind_id, KindSection(award.kind))
        if award.recipient_type == "individual":
            section.individuals.append(award)
        else:
            section.collectives.append(award)
    return sorted(sections.values(), key=lambda s: (s.kind.position, s.kind.id))


def total(awards: list[Award]) -> tuple[int, str]:
    """The money of these awards in figures and in words."""
    amount = sum(a.amount or 0 for a in awards)
    return amount, in_words(amount)


def subject(decision: Decision) -> str:
    """The trích yếu as printed: "Về việc khen thưởng …" (from the subject, else the campaign)."""
    text = " ".join((decision.subject or "").split()).rstrip(".")
    if not text:
        text = _("khen thưởng %(what)s", what=decision.campaign) if decision.campaign \
            else _("khen thưởng")
    if text.lower().startswith("về việc"):
        return text
    return _("Về việc %(s)s", s=text[0].lower() + text[1:])


def grounds(decision: Decision) -> list[str]:
    """The Căn cứ paragraphs, each ending with ";" and the last with "." (the law and its
    decree when the decision records none)."""
    lines = [line.strip().rstrip(";.,") for line in (decision.legal_grounds or "").splitlines()]
    lines = [line for line in lines if line] or list(DEFAULT_GROUNDS)
    return [line + (";" if index < len(lines) - 1 else ".") for index, line in enumerate(lines)]


def _counted(section: KindSection) -> str:
    """ "2 tập thể, hộ gia đình và 5 cá nhân" (the parts there are)."""
    parts = []
    if section.collectives:
        parts.append(_("%(n)s tập thể, hộ gia đình", n=len(section.collectives)))
    if section.individuals:
        parts.append(_("%(n)s cá nhân", n=len(section.individuals)))
    if len(parts) == 2:
        return _("%(a)s và %(b)s", a=parts[0], b=parts[1])
    return "".join(parts)


def article_one(decision: Decision, sections: list[KindSection]) -> list[str]:
    """Điều 1's lines: one per kind, the title recognised or the form given, to whom."""
    lines = []
    for section in sections:
        verb = _("Công nhận danh hiệu") if section.kind.category == "emulation_title" \
            else _("Tặng")
        years = sorted({a.year for a in section.awards})
        year = _(" năm %(y)s", y=", ".join(str(y) for y in years)) \
            if section.kind.is_yearly else ""
        lines.append(_("%(verb)s %(kind)s%(year)s cho %(who)s (có tên trong danh sách kèm "
                       "theo)", verb=verb, kind=section.kind.name, year=year,
                       who=_counted(section)))
    if decision.campaign:
        lines.append(_("Đã có thành tích trong %(c)s.", c=decision.campaign))
    elif lines:
        lines[-1] += "."
    return lines


def article_two(decision: Decision, awards: list[Award]) -> str:
    """Điều 2: the money, its amount in figures and words, and its fund."""
    amount, words = total(awards)
    body = spelled_out(issuing_body(decision.issuer))
    if not amount:
        return _("Khen thưởng tại Điều 1 không kèm tiền thưởng.")
    return _("Kèm theo khen thưởng là tiền thưởng theo quy định; tổng số tiền: %(a)s đồng "
             "(Bằng chữ: %(w)s), chi từ Quỹ thi đua, khen thưởng của %(b)s.",
             a=format_number(amount), w=words, b=body or _("cơ quan quyết định"))


def article_three(decision: Decision, awards: list[Award]) -> str:
    """Điều 3: who carries the decision out, and from when it takes effect."""
    orgs = []
    for award in awards:
        if award.organization.name not in orgs:
            orgs.append(award.organization.name)
    body = spelled_out(issuing_body(decision.issuer))
    office = _("Văn phòng %(b)s", b=body) if body else _("Văn phòng")
    who = ", ".join([office, *orgs])
    return _("%(who)s và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
             "Quyết định này. Quyết định có hiệu lực kể từ ngày ký./.", who=who)


def attached_line(decision: Decision) -> str:
    """ "(Kèm theo Quyết định số 31/QĐ-UBND ngày 20 tháng 12 năm 2025 của …)"."""
    text = _("Kèm theo Quyết định số %(n)s %(d)s", n=decision.number, d=dated(decision.signed_on))
    if decision.issuer:
        text += " " + _("của %(i)s", i=decision.issuer)
    return f"({text})"
