"""A decision belongs to the organizations of its awards: nobody reaches another's by number.

Security review, finding 1: a secretary limited to one organization typed another
organization's decision number and date with an empty issuer, was attached to that decision,
then read its page and scan and locked its owners out of editing it.
"""

from datetime import date

from bulletin.awards import records
from bulletin.extensions import db
from bulletin.models import Award, Decision

NUMBER, SIGNED = "45/QĐ-MTTQ-BTT", date(2026, 1, 10)


def front_decision(make) -> Decision:
    """A decision of the Front committee with one of its own awards on it."""
    return make.award("Nguyễn Thị Hòa", organization="mttq", year=2025, number=NUMBER,
                      signed_on=SIGNED, issuer="Ban Thường trực UBMTTQ").decision


def award_form(auth, client, **fields) -> dict:
    """The single-award form, filled for the Women's Union."""
    return {"csrf_token": auth.csrf_token("/awards/new"), "recipient_type": "individual",
            "recipient_name": "Lê Thị Mai", "organization": "hoi-lhpn", "kind": "giay-khen",
            "year": "2025", "decision_number": NUMBER, "decision_date": "10/01/2026",
            "issuer": "", "signer": "", "amount": "", **fields}


def women_secretary(auth, make) -> None:
    """Log in a secretary who manages only the Women's Union."""
    make.user("thuky-phunu", role="secretary", orgs=["hoi-lhpn"])
    auth.login("thuky-phunu")


def test_blank_issuer_never_attaches_an_award_to_another_organizations_decision(
        client, auth, make):
    theirs = front_decision(make)
    women_secretary(auth, make)
    response = client.post("/awards/new", data=award_form(auth, client))
    assert response.status_code == 303
    mine = db.session.scalar(db.select(Award).where(Award.recipient_name == "Lê Thị Mai"))
    assert mine.decision_id != theirs.id
    assert [a.recipient_name for a in db.session.get(Decision, theirs.id).awards] == [
        "Nguyễn Thị Hòa"]


def test_same_issuer_makes_a_new_decision_record_for_an_out_of_scope_secretary(
        client, auth, make):
    theirs = front_decision(make)
    women_secretary(auth, make)
    client.post("/awards/new", data=award_form(auth, client, issuer="Ban Thường trực UBMTTQ"))
    mine = db.session.scalar(db.select(Award).where(Award.recipient_name == "Lê Thị Mai"))
    assert mine.decision_id != theirs.id
    assert client.get(f"/awards/decisions/{theirs.id}").status_code == 403
    assert client.get(f"/awards/decisions/{theirs.id}/scan").status_code == 403
    assert client.get(f"/awards/decisions/{theirs.id}/edit").status_code == 403


def test_owners_still_edit_their_decision_after_an_outsider_used_its_number(
        client, auth, make):
    theirs = front_decision(make)
    women_secretary(auth, make)
    client.post("/awards/new", data=award_form(auth, client))
    auth.logout()
    make.user("thuky-mttq", role="secretary", orgs=["mttq"])
    auth.login("thuky-mttq")
    assert client.get(f"/awards/decisions/{theirs.id}/edit").status_code == 200


def test_decision_form_does_not_confirm_that_another_organizations_decision_exists(
        client, auth, make):
    front_decision(make)
    women_secretary(auth, make)
    page = client.get("/awards/decisions/new").get_data(as_text=True)
    assert "csrf_token" in page
    response = client.post("/awards/decisions/new", data={
        "csrf_token": auth.csrf_token("/awards/decisions/new"), "decision_number": NUMBER,
        "decision_date": "10/01/2026", "issuer": "Ban Thường trực UBMTTQ", "signer": "",
        "organization": "hoi-lhpn", "kind": "giay-khen", "year": "2025",
        "recipients-0-recipient_type": "individual", "recipients-0-recipient_name": "Lê Thị Mai"})
    assert "đã có trong sổ" not in response.get_data(as_text=True)
    assert response.status_code == 303


def test_an_unrestricted_secretary_still_adds_to_a_decision_by_number_and_issuer(app, make):
    theirs = front_decision(make)
    admin = make.user("thuky", role="secretary")
    values = records.AwardValues(
        recipient_type="individual", recipient_name="Phạm Văn Nam",
        organization=make.org("hoi-ccb"), kind=make.award_kind("giay-khen"), year=2025,
        decision_number=NUMBER, decision_date=SIGNED, issuer="ban thường trực ubmttq")
    assert records.matching_decision(values, user=admin) is theirs
    values.issuer = ""
    assert records.matching_decision(values, user=admin) is None
