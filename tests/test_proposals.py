"""An organization's proposal: written with the decision form's rows, kept to its
organization, submitted, and printed as the tờ trình with its danh sách đề nghị."""

import io
import re

from bulletin.awards import records, rules
from bulletin.extensions import db
from bulletin.i18n import format_number
from bulletin.models import AwardKind, Proposal, SiteSettings
from tests.test_award_decision_rows import selected, value_of
from tests.test_award_decisions import LAST_YEAR, field_error

PROPOSAL = {"organization": "hoi-lhpn", "year": str(LAST_YEAR), "kind": "giay-khen",
            "achievement": "Hoàn thành xuất sắc nhiệm vụ", "number": "12/TTr-HPN",
            "signer": "Nguyễn Thu Hà", "signer_title": "Chủ tịch"}
ROWS = [
    {"recipient_type": "individual", "recipient_name": "Nguyễn Thị Hoa",
     "recipient_title": "Chi hội trưởng", "birth_year": "1980", "sex": "female",
     "ethnicity": "Tày", "amount": "300.000"},
    {"recipient_type": "collective", "recipient_name": "Chi hội Phụ nữ khu 3",
     "amount": "500000"},
    {"recipient_type": "individual", "recipient_name": "Lê Thị Mai",
     "kind": "lao-dong-tien-tien"},
]


def login(auth, make, username, role="secretary", orgs=()):
    """Make an account and log it in."""
    make.user(username, role=role, orgs=orgs)
    auth.login(username)


def proposal_form(rows, **fields) -> dict:
    """The proposal's fields with rows `recipients-N-<field>` (five, padded)."""
    data = {**PROPOSAL, **fields}
    for index, row in enumerate(rows + [{}] * max(0, 5 - len(rows))):
        for name, value in row.items():
            data[f"recipients-{index}-{name}"] = value
        data.setdefault(f"recipients-{index}-recipient_type", "individual")
    return data


def post(client, auth, path, data=None):
    """POST with a CSRF token."""
    return client.post(path, data={"csrf_token": auth.csrf_token("/"), **(data or {})})


def make_proposal(client, auth, rows=ROWS, **fields) -> Proposal:
    """Save a proposal through the form; return it."""
    response = post(client, auth, "/awards/proposals/new", proposal_form(rows, **fields))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    proposal_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert response.headers["Location"].endswith(f"/awards/proposals/{proposal_id}")
    return db.session.get(Proposal, proposal_id)


def test_a_secretary_of_an_organization_writes_its_proposal_with_rows(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    page = client.get("/awards/proposals/new").get_data(as_text=True)
    for name in ("organization", "year", "kind", "achievement"):
        assert f'name="{name}"' in page
    for field in ("recipient_name", "birth_year", "initiative", "sex", "ethnicity"):
        assert len(re.findall(rf'name="recipients-\d+-{field}"', page)) == 5, field
    proposal = make_proposal(client, auth)
    assert (proposal.status, proposal.year, proposal.organization.slug) == (
        "draft", LAST_YEAR, "hoi-lhpn")
    first, collective, third = proposal.rows
    assert (first.recipient_name, first.birth_year, first.sex, first.ethnicity, first.amount,
            first.kind.slug, first.achievement) == (
        "Nguyễn Thị Hoa", 1980, "female", "Tày", 300000, "giay-khen",
        "Hoàn thành xuất sắc nhiệm vụ")
    assert (collective.recipient_type, collective.amount) == ("collective", 500000)
    assert third.kind.slug == "lao-dong-tien-tien"
    page = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in page and "Bản nháp" in page
    assert f"/awards/proposals/{proposal.id}" in client.get("/awards/proposals/").get_data(
        as_text=True)


def test_a_bad_row_keeps_what_was_typed_with_the_message_next_to_it(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    rows = [dict(ROWS[0], birth_year="1790"), ROWS[1]]
    response = post(client, auth, "/awards/proposals/new", proposal_form(rows))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Năm sinh phải từ" in field_error(page, "recipients-0-birth_year")
    assert value_of(page, "recipients-0-birth_year") == "1790"
    assert value_of(page, "recipients-1-recipient_name") == "Chi hội Phụ nữ khu 3"
    assert selected(page, "recipients-0-sex") == "female"
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_a_proposal_needs_its_organization_and_year(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    response = post(client, auth, "/awards/proposals/new",
                    proposal_form(ROWS[:1], organization="", year=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "organization") and field_error(page, "year")


def test_another_organizations_secretary_gets_404(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    proposal = make_proposal(client, auth)
    auth.logout()
    login(auth, make, "thuky_doan", orgs=["doan-tncs"])
    for path in ("", "/paper", "/edit"):
        assert client.get(f"/awards/proposals/{proposal.id}{path}").status_code == 404, path
    assert post(client, auth, f"/awards/proposals/{proposal.id}/submit").status_code == 404
    assert "Nguyễn Thị Hoa" not in client.get("/awards/proposals/").get_data(as_text=True)
    # Choosing another organization in the form is refused too.
    response = post(client, auth, "/awards/proposals/new", proposal_form(ROWS[:1]))
    assert response.status_code == 422
    assert "không có trong danh sách" in field_error(response.get_data(as_text=True),
                                                     "organization")


def test_paste_from_excel_fills_the_rows(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    pasted = ("STT\tHọ và tên\tNăm sinh\tChức vụ\tSố tiền\n"
              "1\tTrần Thị Lan\t1975\tHội viên\t200.000\n")
    response = post(client, auth, "/awards/proposals/new",
                    proposal_form([], paste=pasted, fill_rows="1"))
    page = response.get_data(as_text=True)
    assert value_of(page, "recipients-0-recipient_name") == "Trần Thị Lan"
    assert value_of(page, "recipients-0-birth_year") == "1975"


def test_submit_then_edit_is_closed_until_returned(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    proposal = make_proposal(client, auth)
    assert post(client, auth, f"/awards/proposals/{proposal.id}/submit").status_code == 303
    db.session.expire_all()
    assert proposal.status == "submitted" and proposal.submitted_at is not None
    assert client.get(f"/awards/proposals/{proposal.id}/edit").status_code == 403
    assert post(client, auth, f"/awards/proposals/{proposal.id}/submit").status_code == 403


def test_editing_a_draft_replaces_its_rows(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    proposal = make_proposal(client, auth)
    page = client.get(f"/awards/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert value_of(page, "recipients-1-recipient_name") == "Chi hội Phụ nữ khu 3"
    assert value_of(page, "recipients-0-amount") == "300.000"
    response = post(client, auth, f"/awards/proposals/{proposal.id}/edit",
                    proposal_form(ROWS[:1]))
    assert response.status_code == 303
    db.session.expire_all()
    assert [row.recipient_name for row in proposal.rows] == ["Nguyễn Thị Hoa"]


def test_the_paper_prints_the_to_trinh_and_its_list(client, auth, make):
    settings = db.session.get(SiteSettings, 1) or SiteSettings(id=1)
    settings.locality_name, settings.committee_name = "xã Hòa Sơn", "Ủy ban MTTQ Việt Nam"
    db.session.add(settings)
    db.session.commit()
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    proposal = make_proposal(client, auth, dated=f"04/12/{LAST_YEAR}")
    page = client.get(f"/awards/proposals/{proposal.id}/paper").get_data(as_text=True)
    # The heading names the organization and its commune in upper case, on two lines.
    assert proposal.organization.name.upper() in page and "XÃ HÒA SƠN" in page
    assert f"Hòa Sơn, ngày 04 tháng 12 năm {LAST_YEAR}" in page
    assert "Tờ trình" in page and "Danh sách đề nghị khen thưởng" in page
    assert "Số: 12/TTr-HPN" in page and proposal.organization.name in page
    assert "800.000" in page and "Tám trăm nghìn đồng" in page
    # Collectives come first in the list.
    assert page.index("Chi hội Phụ nữ khu 3") < page.index("Nguyễn Thị Hoa")


def test_a_scan_is_kept_by_its_content(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    proposal = make_proposal(client, auth)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client.post(f"/awards/proposals/{proposal.id}/scan", data={
        "csrf_token": auth.csrf_token("/"), "scan": (io.BytesIO(pdf), "to-trinh.pdf")})
    assert response.status_code == 303
    with client.get(f"/awards/proposals/{proposal.id}/scan") as download:
        assert download.data == pdf
    response = client.post(f"/awards/proposals/{proposal.id}/scan", data={
        "csrf_token": auth.csrf_token("/"), "scan": (io.BytesIO(b"MZ\x90\x00"), "x.pdf")})
    assert "không được nhận" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert proposal.scan_name == "to-trinh.pdf"



def test_the_upload_sweep_keeps_a_proposals_scan(app, client, auth, make):
    """The signed tờ trình is a file no post refers to: the sweep must know proposals."""
    from bulletin import sweep
    from bulletin.uploads import attachment_path

    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    proposal = make_proposal(client, auth)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(f"/awards/proposals/{proposal.id}/scan", data={
        "csrf_token": auth.csrf_token("/"), "scan": (io.BytesIO(pdf), "to-trinh.pdf")})
    db.session.expire_all()
    path = attachment_path(proposal.scan_stored_name)
    with app.test_request_context():
        assert path.exists() and sweep.sweep(hours=0) == []
    assert path.read_bytes() == pdf


def test_rule_warnings_and_suggested_money_come_from_the_registry_rules(client, auth, make):
    login(auth, make, "thuky_pn", orgs=["hoi-lhpn"])
    rows = [{"recipient_name": "Trần Thị Lan", "kind": "chien-si-thi-dua-co-so"}]
    response = post(client, auth, "/awards/proposals/new",
                    proposal_form(rows, check_rules="1"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "chưa ghi sáng kiến" in page and "row-warning" in page
    suggestion = rules.suggested_amount(db.session.scalar(db.select(AwardKind).where(
        AwardKind.slug == "giay-khen")), "individual", records.today())
    response = post(client, auth, "/awards/proposals/new",
                    proposal_form(ROWS[:1] + [{"recipient_name": "Lê Thị Mai"}],
                                  fill_amounts="1"))
    page = response.get_data(as_text=True)
    assert value_of(page, "recipients-0-amount") == "300.000"  # typed: kept
    assert value_of(page, "recipients-1-amount") == format_number(suggestion.amount)
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0
