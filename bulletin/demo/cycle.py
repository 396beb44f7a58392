"""The demo's commendation cycle: two organizations' proposals, the council's meeting with its
votes, and the commune chairman's decision made from the accepted rows.

Everything is dated in December of the last finished year (after 1 July 2025, in the commune
of the two-level government: no town, no district). The Women's Union's proposal is decided;
the Farmers' Association's is submitted, one row refused and one still waiting. Like the
demo's decisions, the proposals, the meeting and the decision are made by nobody
(`created_by_id` is NULL): that is how `seed-demo --remove` knows them.
"""

from dataclasses import dataclass
from datetime import date

from bulletin.awards import records, rules
from bulletin.demo.content import TOWN
from bulletin.extensions import db
from bulletin.models import (
    AwardKind,
    CouncilMeeting,
    Decision,
    Organization,
    Proposal,
    ProposalRow,
    utcnow,
)

# (type, name, title, born, sex, ethnicity, kind, achievement, verdict, reason, for, against)
WOMEN_ROWS = (
    ("collective", "Chi hội Phụ nữ thôn Bản Giới", "", None, "", "", "giay-khen",
     "Duy trì tổ tiết kiệm xoay vòng 32 thành viên; giúp 6 hội viên thoát nghèo trong năm",
     "accepted", "", 7, 0),
    ("individual", "Hoàng Thị Thu Hương", "Chi hội trưởng Chi hội Phụ nữ thôn Bản Giới", 1983,
     "female", "Tày", "giay-khen",
     "Vận động 18 hội viên góp vốn lập tổ hợp tác dệt thổ cẩm, đưa sản phẩm lên chợ phiên",
     "accepted", "", 7, 0),
    ("individual", "Đinh Thị Ngọc Lan", "Chi hội phó Chi hội Phụ nữ tổ dân phố 2", 1990,
     "female", "Kinh", "giay-khen",
     "Mở lớp nấu ăn dinh dưỡng cho 40 bà mẹ nuôi con nhỏ, không còn trẻ suy dinh dưỡng ở tổ",
     "accepted", "", 6, 1),
    ("individual", "Lý Thị Mai", "Hội viên", 1978, "female", "Nùng", "giay-khen",
     "Tích cực tham gia ngày hội đoàn kết toàn dân tộc",
     "refused", "Thành tích này đã được Ban Chấp hành Hội LHPN xã tặng giấy khen trong năm; "
     "không đề nghị khen hai lần", 1, 6),
    ("individual", "Vũ Thị Bích Ngọc", "Ủy viên Ban Chấp hành Hội LHPN xã", 1986, "female",
     "Kinh", "lao-dong-tien-tien", "Hoàn thành tốt nhiệm vụ được giao cả năm",
     "accepted", "", 7, 0),
)
FARMER_ROWS = (
    ("household", "Hộ ông Lục Văn Sáng", "", None, "", "", "giay-khen",
     "Chuyển 1,2 ha đồi tạp sang trồng quế xen chè, thu nhập khá trong thôn",
     "accepted", "", 7, 0),
    ("collective", "Chi hội Nông dân thôn Đồng Tâm", "", None, "", "", "giay-khen",
     "Lập tổ hợp tác nuôi ong lấy mật cho 15 hộ hội viên", "accepted", "", 6, 1),
    ("individual", "Nông Văn Khải", "Chi hội trưởng Chi hội Nông dân thôn Đồng Tâm", 1972,
     "male", "Tày", "giay-khen", "Vận động hội viên góp đất, ngày công làm đường liên thôn",
     "refused", "Việc góp đất làm đường đã được Ủy ban MTTQ xã đề nghị khen trong đợt sơ kết "
     "cuộc vận động; không khen trùng", 2, 5),
    ("individual", "Hà Thị Duyên", "Hội viên", 1988, "female", "Dao", "giay-khen",
     "Phục hồi giống lúa nương địa phương trên 0,8 ha", "pending", "", None, None),
)
MEMBERS = ("Trần Văn Thắng, Chủ tịch UBND xã, Chủ tịch Hội đồng",
           "Hoàng Văn Thắng, Chủ tịch Ủy ban MTTQ xã, Phó Chủ tịch Hội đồng",
           "Nguyễn Thu Hà, Chủ tịch Hội LHPN xã", "Vi Văn Phúc, Chủ tịch Hội Nông dân xã",
           "Bế Văn Hùng, Chủ tịch Hội Cựu chiến binh xã", "Lục Văn Tùng, Bí thư Đoàn xã",
           "Lương Minh Đức, Công chức Văn hóa – Xã hội, thư ký Hội đồng")


@dataclass
class CycleSummary:
    """What the cycle added (nothing when it was there already)."""

    proposals: int = 0
    decisions: int = 0


def cycle_year(today: date) -> int | None:
    """The last finished emulation year whose December falls after 1 July 2025."""
    year = today.year if today >= date(today.year, 12, 28) else today.year - 1
    return year if year >= 2025 else None


# The awards the cycle's decision makes (the Women's Union's accepted rows): they count among
# the awards `seed-demo --awards N` asked for.
CYCLE_AWARDS = sum(1 for row in WOMEN_ROWS if row[8] == "accepted")


def cycle_due(today: date) -> bool:
    """Whether `seed_cycle` would add the cycle (not there yet, its organizations are)."""
    year = cycle_year(today)
    if year is None:
        return False
    slugs = set(db.session.scalars(db.select(Organization.slug)))
    return {"hoi-lhpn", "hoi-nong-dan"} <= slugs and not db.session.scalar(
        db.select(Proposal.id).where(Proposal.year == year, Proposal.created_by_id.is_(None)))


def seed_cycle(today: date) -> CycleSummary:
    """Add the cycle once (a second run finds the demo's proposals and adds nothing)."""
    if not cycle_due(today):
        return CycleSummary()
    year = cycle_year(today)
    orgs = {o.slug: o for o in db.session.scalars(db.select(Organization))}
    kinds = {k.slug: k for k in db.session.scalars(db.select(AwardKind))}
    women = proposal(orgs["hoi-lhpn"], year, "18/TTr-HPN", date(year, 12, 4), "Nguyễn Thu Hà",
                     "Chủ tịch Hội LHPN xã", WOMEN_ROWS, kinds)
    women.campaign = ("phong trào “Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia "
                      "đình hạnh phúc”")
    farmers = proposal(orgs["hoi-nong-dan"], year, "09/TTr-HND", date(year, 12, 6),
                       "Vi Văn Phúc", "Chủ tịch Hội Nông dân xã", FARMER_ROWS, kinds)
    meeting = CouncilMeeting(
        year=year, held_on=date(year, 12, 15), created_by_id=None,
        place=f"Phòng họp số 1, trụ sở Đảng ủy – HĐND – UBND xã {TOWN}",
        chair=MEMBERS[0].split(",")[0], clerk=MEMBERS[-1].split(",")[0],
        members_present="\n".join(MEMBERS), members_total=9,
        notes="Hội đồng thống nhất trình Chủ tịch UBND xã khen thưởng các trường hợp được "
              "tán thành; Hội Nông dân bổ sung xác nhận của thôn cho trường hợp chị Hà Thị "
              "Duyên để xét ở phiên sau.")
    db.session.add(meeting)
    for row in women.rows + farmers.rows:
        if row.votes_for is not None:
            row.meeting = meeting
    db.session.flush()
    decide(women, kinds)
    db.session.commit()
    return CycleSummary(proposals=2, decisions=1)


def proposal(org: Organization, year: int, number: str, dated: date, signer: str,
             signer_title: str, rows: tuple, kinds: dict) -> Proposal:
    """A submitted proposal with its rows and the council's verdicts on them."""
    made = Proposal(organization=org, year=year, number=number, dated=dated, signer=signer,
                    signer_title=signer_title, kind=kinds["giay-khen"], status="submitted",
                    achievement=f"Có thành tích xuất sắc trong công tác Hội năm {year}",
                    submitted_at=utcnow(), created_by_id=None)
    for line_no, (kind_of, name, title, born, sex, ethnicity, kind, deed, verdict, reason,
                  yes, no) in enumerate(rows, start=1):
        amount = rules.suggested_amount(kinds[kind], kind_of, date(year, 12, 22))
        made.rows.append(ProposalRow(
            line_no=line_no, recipient_type=kind_of, recipient_name=name, recipient_title=title,
            birth_year=born, sex=sex, ethnicity=ethnicity, organization=org, kind=kinds[kind],
            year=year, achievement=deed, amount=amount.amount if amount else None,
            verdict=verdict, verdict_reason=reason, votes_for=yes, votes_against=no))
    db.session.add(made)
    return made


def decide(proposal_: Proposal, kinds: dict) -> Decision:
    """The commune chairman's decision on the proposal's accepted rows, linked to them."""
    year = proposal_.year
    decision = Decision(
        number="286/QĐ-UBND", signed_on=date(year, 12, 22), issuer=f"Chủ tịch UBND xã {TOWN}",
        signer="Trần Văn Thắng", signer_title="Chủ tịch", signing_mode="",
        decision_type="regular", campaign=proposal_.campaign, is_public=True,
        created_by_id=None,
        subject=f"V/v khen thưởng tập thể, cá nhân của Hội LHPN xã có thành tích năm {year}",
        legal_grounds="Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;\n"
                      "Căn cứ Luật Thi đua, khen thưởng năm 2022;\n"
                      f"Xét Tờ trình số {proposal_.number} ngày "
                      f"{proposal_.dated:%d/%m/%Y} của Hội LHPN xã và biên bản họp Hội đồng "
                      f"Thi đua – Khen thưởng ngày 15/12/{year}.")
    db.session.add(decision)
    for row in proposal_.rows:
        if row.verdict != "accepted":
            continue
        values = records.check(records.AwardValues(
            recipient_type=row.recipient_type, recipient_name=row.recipient_name,
            organization=row.organization, kind=row.kind, year=year,
            decision_number=decision.number, decision_date=decision.signed_on,
            recipient_title=row.recipient_title, achievement=row.achievement,
            issuer=decision.issuer, signer=decision.signer, amount=row.amount,
            birth_year=row.birth_year, sex=row.sex, ethnicity=row.ethnicity))
        if values.errors:
            raise ValueError(f"demo cycle row breaks the rules: {values.errors}")
        award = records.create_award(values, decision=decision)
        db.session.flush()
        row.award_id = award.id
    proposal_.status, proposal_.decision = "decided", decision
    proposal_.decided_at = utcnow()
    return decision
