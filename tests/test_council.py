"""The council's side: verdicts on rows, a proposal sent back, the meeting and its biên bản,
and the decision made from the accepted rows, linked back to them."""

import re

from bulletin.awards import records
from bulletin.extensions import db
from bulletin.models import Award, CouncilMeeting, Decision, Proposal
from tests.test_award_decision_rows import selected, value_of
from tests.test_award_decisions import THIS_YEAR, field_error
from tests.test_proposals import ROWS, login, make_proposal, post

TODAY = records.today().strftime("%d/%m/%Y")


def submitted(client, auth, make, rows=ROWS) -> Proposal:
    """A proposal of the Women's Union, written and submitted by its secretary; then the
    council's secretary (no --org) is logged in."""
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    proposal = make_proposal(client, auth, rows)
    assert post(client, auth, f"/awards/proposals/{proposal.id}/submit").status_code == 303
    auth.logout()
    login(auth, make, "thuky_xa")
    return proposal


def verdicts(proposal, *choices) -> dict:
    """The verdict form: (verdict, reason) per row, in the rows' order."""
    data = {}
    for index, (row, (verdict, reason)) in enumerate(zip(proposal.rows, choices, strict=True)):
        data |= {f"rows-{index}-row_id": str(row.id), f"rows-{index}-verdict": verdict,
                 f"rows-{index}-reason": reason}
    return data


def test_the_council_accepts_and_refuses_rows_and_the_proposer_sees_why(client, auth, make):
    proposal = submitted(client, auth, make)
    page = client.get(f"/awards/council/?year={proposal.year}").get_data(as_text=True)
    assert proposal.organization.name in page
    response = post(client, auth, f"/awards/proposals/{proposal.id}/verdicts", verdicts(
        proposal, ("accepted", ""), ("accepted", ""), ("refused", "Chưa đủ hai năm LĐTT")))
    assert response.status_code == 303
    db.session.expire_all()
    assert [row.verdict for row in proposal.rows] == ["accepted", "accepted", "refused"]
    auth.logout()
    auth.login("thuky_pn")
    page = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert "Chưa đủ hai năm LĐTT" in page and "Không đề nghị" in page


def test_a_refusal_without_reason_is_refused_next_to_its_cell(client, auth, make):
    proposal = submitted(client, auth, make)
    response = post(client, auth, f"/awards/proposals/{proposal.id}/verdicts", verdicts(
        proposal, ("accepted", ""), ("refused", ""), ("refused", "Trùng")))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ghi lý do" in field_error(page, "rows-1-reason")
    assert selected(page, "rows-1-verdict") == "refused"
    assert value_of(page, "rows-2-reason") == "Trùng"
    db.session.expire_all()
    assert {row.verdict for row in proposal.rows} == {"pending"}


def test_only_the_council_judges_returns_and_decides(client, auth, make):
    proposal = submitted(client, auth, make)
    auth.logout()
    auth.login("thuky_pn")
    assert client.get("/awards/council/").status_code == 403
    for action in ("verdicts", "return", "decide"):
        assert post(client, auth, f"/awards/proposals/{proposal.id}/{action}").status_code \
            == 403, action
    assert client.get("/awards/council/meetings/new").status_code == 403


def test_a_returned_proposal_carries_its_reason_and_can_be_corrected(client, auth, make):
    proposal = submitted(client, auth, make)
    response = post(client, auth, f"/awards/proposals/{proposal.id}/return", {"reason": ""})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "reason")
    response = post(client, auth, f"/awards/proposals/{proposal.id}/return",
                    {"reason": "Thiếu biên bản bình xét của chi hội"})
    assert response.status_code == 303
    auth.logout()
    auth.login("thuky_pn")
    db.session.expire_all()
    assert proposal.status == "returned"
    page = client.get(f"/awards/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert "Thiếu biên bản bình xét của chi hội" in page
    assert post(client, auth, f"/awards/proposals/{proposal.id}/submit").status_code == 303
    db.session.expire_all()
    assert proposal.status == "submitted"


def test_the_meeting_records_votes_and_prints_its_minutes(client, auth, make):
    proposal = submitted(client, auth, make)
    rows = proposal.rows
    page = client.get(f"/awards/council/meetings/new?year={proposal.year}").get_data(
        as_text=True)
    assert len(re.findall(r'name="votes-\d+-votes_for"', page)) == 3
    data = {"held_on": TODAY, "place": "Hội trường UBND xã", "chair": "Hoàng Văn Thắng",
            "clerk": "Lương Minh Đức", "members_present": "Hoàng Văn Thắng\nLương Minh Đức\n"
            "Nông Thị Hằng", "members_total": "5"}
    for index, row in enumerate(rows):
        data |= {f"votes-{index}-row_id": str(row.id), f"votes-{index}-votes_for": "3",
                 f"votes-{index}-votes_against": "0"}
    bad = dict(data, **{"votes-2-votes_for": "5", "votes-2-votes_against": "2"})
    response = post(client, auth, f"/awards/council/meetings/new?year={proposal.year}", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "nhiều hơn số thành viên" in field_error(page, "votes-2-votes_against")
    assert value_of(page, "place") == "Hội trường UBND xã"
    assert db.session.scalar(db.select(db.func.count(CouncilMeeting.id))) == 0
    response = post(client, auth, f"/awards/council/meetings/new?year={proposal.year}", data)
    assert response.status_code == 303
    meeting = db.session.scalar(db.select(CouncilMeeting))
    db.session.expire_all()
    assert [(r.meeting_id, r.votes_for) for r in proposal.rows] == [(meeting.id, 3)] * 3
    minutes = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Biên bản" in minutes and "Hoàng Văn Thắng" in minutes
    assert "Có mặt 3/5 thành viên" in minutes and "Nguyễn Thị Hoa" in minutes


def test_deciding_fills_the_decision_form_and_links_rows_to_awards(client, auth, make):
    proposal = submitted(client, auth, make)
    post(client, auth, f"/awards/proposals/{proposal.id}/verdicts", verdicts(
        proposal, ("accepted", ""), ("refused", "Chưa đủ điều kiện"), ("accepted", "")))
    response = post(client, auth, f"/awards/proposals/{proposal.id}/decide")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'action="/awards/decisions/new"' in page
    assert value_of(page, "proposal") == str(proposal.id)
    assert value_of(page, "recipients-0-recipient_name") == "Nguyễn Thị Hoa"
    assert value_of(page, "recipients-1-recipient_name") == "Lê Thị Mai"
    assert value_of(page, "recipients-2-recipient_name") == ""
    assert selected(page, "recipients-1-kind") == "lao-dong-tien-tien"
    # The secretary chooses number, date, issuer and signer once, then saves the form as is.
    data = {name: value_of(page, name) for tag, name in re.findall(
        r'(<input[^>]*name="([^"]+)"[^>]*>)', page)
        if 'type="submit"' not in tag and name != "csrf_token"}
    for key in re.findall(r'<select[^>]*name="([^"]+)"', page):
        data[key] = selected(page, key)
    data |= {"decision_number": "30/QĐ-UBND", "decision_date": TODAY,
             "issuer": "Chủ tịch UBND xã Hòa Sơn", "signer": "Trần Văn Hùng",
             "achievement": "Hoàn thành xuất sắc nhiệm vụ"}
    response = post(client, auth, "/awards/decisions/new", data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    decision = db.session.scalar(db.select(Decision))
    db.session.expire_all()
    assert (proposal.status, proposal.decision_id) == ("decided", decision.id)
    first, refused, third = proposal.rows
    awards = {a.id: a for a in db.session.scalars(db.select(Award))}
    assert awards[first.award_id].recipient_name == "Nguyễn Thị Hoa"
    assert awards[third.award_id].recipient_name == "Lê Thị Mai"
    assert refused.award_id is None and len(awards) == 2
    page = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/awards/{first.award_id}" in page and f"/awards/decisions/{decision.id}" in page
    assert post(client, auth, f"/awards/proposals/{proposal.id}/decide").status_code == 303


def test_a_decision_naming_a_proposal_one_may_not_decide_links_nothing(client, auth, make):
    proposal = submitted(client, auth, make, rows=ROWS[:1])
    post(client, auth, f"/awards/proposals/{proposal.id}/verdicts",
         verdicts(proposal, ("accepted", "")))
    auth.logout()
    # The Women's Union's own secretary records a decision naming the proposal: ignored.
    auth.login("thuky_pn")
    data = {"decision_number": "31/QĐ-HPN", "decision_date": TODAY, "issuer": "Hội LHPN xã",
            "organization": "hoi-lhpn", "kind": "giay-khen", "year": str(THIS_YEAR - 1),
            "proposal": str(proposal.id), "recipients-0-recipient_type": "individual",
            "recipients-0-recipient_name": "Nguyễn Thị Hoa"}
    assert post(client, auth, "/awards/decisions/new", data).status_code == 303
    db.session.expire_all()
    assert proposal.status == "submitted" and proposal.rows[0].award_id is None
