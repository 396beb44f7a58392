"""A whole decision typed at once (all or nothing), its page, its corrections."""

import html
import json
import re

from bulletin.awards import parsing, records
from bulletin.extensions import db
from bulletin.models import AuditEntry, Award, Decision

THIS_YEAR = records.today().year
LAST_YEAR = THIS_YEAR - 1
DECISION_DATE = f"01/01/{THIS_YEAR}"

DECISION = {
    "decision_number": "25/QĐ-UBND",
    "decision_date": DECISION_DATE,
    "issuer": "UBND thị trấn",
    "signer": "Trần Văn Hùng",
    "signer_title": "Chủ tịch",
    "subject": f"V/v khen thưởng các tập thể, cá nhân năm {LAST_YEAR}",
    "organization": "hoi-lhpn",
    "kind": "giay-khen",
    "year": str(LAST_YEAR),
}
ROWS = [
    {"recipient_type": "individual", "recipient_name": "Nguyễn Thị Hoa",
     "recipient_title": "Chi hội trưởng", "achievement": "Xuất sắc", "amount": "300.000"},
    {"recipient_type": "collective", "recipient_name": "Chi hội Phụ nữ khu 3",
     "achievement": "Vững mạnh", "amount": "500000"},
    {"recipient_type": "individual", "recipient_name": "Lê Văn Đức", "organization": "hoi-ccb",
     "kind": "bang-khen", "amount": "1.000.000"},
]


def login(auth, make, role="secretary", orgs=(), username=None):
    """Make an account and log it in."""
    name = username or role
    make.user(name, role=role, orgs=orgs)
    auth.login(name)


def decision_form(rows, **fields) -> dict:
    """The fields of a new decision with recipient rows (five, padded with empty ones)."""
    data = {**DECISION, **fields}
    for index, row in enumerate(rows + [{}] * max(0, 5 - len(rows))):
        for name, value in row.items():
            data[f"recipients-{index}-{name}"] = value
        data.setdefault(f"recipients-{index}-recipient_type", "individual")
    return data


def post_decision(client, auth, data, path="/awards/decisions/new"):
    """POST the decision form with a CSRF token."""
    return client.post(path, data={"csrf_token": auth.csrf_token("/"), **data})


def field_error(page: str, field: str) -> str:
    """The error text shown next to a field ('' when none)."""
    found = re.findall(rf'id="{re.escape(field)}-error">(.*?)</p>', page, re.S)
    return html.unescape(" ".join(found))


def counts() -> tuple[int, int]:
    """(decisions, awards) in the database."""
    db.session.expire_all()
    return (len(db.session.scalars(db.select(Decision.id)).all()),
            len(db.session.scalars(db.select(Award.id)).all()))


def test_decision_with_three_recipients_is_saved_at_once(client, auth, make):
    login(auth, make, username="thuky")
    page = client.get("/awards/decisions/new").get_data(as_text=True)
    assert len(re.findall(r'name="recipients-\d+-recipient_name"', page)) == 5
    response = post_decision(client, auth, decision_form(ROWS))
    assert response.status_code == 303
    decision = db.session.scalar(db.select(Decision))
    assert response.headers["Location"].endswith(f"/awards/decisions/{decision.id}")
    assert (decision.number, decision.signer_title, decision.issuer) == (
        "25/QĐ-UBND", "Chủ tịch", "UBND thị trấn")
    awards = sorted(decision.awards, key=lambda a: a.line_no)
    assert [(a.line_no, a.recipient_name) for a in awards] == [
        (1, "Nguyễn Thị Hoa"), (2, "Chi hội Phụ nữ khu 3"), (3, "Lê Văn Đức")]
    # Blank organization, kind and year take the decision's defaults; a row may override.
    assert [(a.organization.slug, a.kind.slug, a.year) for a in awards] == [
        ("hoi-lhpn", "giay-khen", LAST_YEAR), ("hoi-lhpn", "giay-khen", LAST_YEAR),
        ("hoi-ccb", "bang-khen", LAST_YEAR)]
    assert [a.amount for a in awards] == [300_000, 500_000, 1_000_000]
    assert all(a.history[0].action == "create" and a.history[0].username == "thuky"
               for a in awards)
    assert db.session.scalar(db.select(AuditEntry.detail).where(
        AuditEntry.action == "decision.create")).endswith("3 người")
    page = client.get(f"/awards/decisions/{decision.id}").get_data(as_text=True)
    for name in ("Nguyễn Thị Hoa", "Chi hội Phụ nữ khu 3", "Lê Văn Đức"):
        assert name in page
    assert "3 khen thưởng" in page and "1.800.000 đồng" in page


def test_one_bad_row_blocks_the_whole_decision_and_is_marked_on_its_row(client, auth, make):
    login(auth, make)
    rows = [ROWS[0], {**ROWS[1], "kind": "lao-dong-tien-tien"}, {**ROWS[2], "amount": "-5"}]
    response = post_decision(client, auth, decision_form(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert counts() == (0, 0)
    assert "không dùng cho loại đối tượng này" in field_error(page, "recipients-1-kind")
    assert "không được âm" in field_error(page, "recipients-2-amount")
    assert field_error(page, "recipients-0-recipient_name") == ""
    for value in ("Nguyễn Thị Hoa", "Chi hội Phụ nữ khu 3", "Lê Văn Đức", "300.000", "-5",
                  "25/QĐ-UBND", DECISION_DATE, "Chủ tịch"):
        assert html.escape(value) in page, value


def test_a_row_the_decision_date_cannot_commend_is_refused_on_that_row(client, auth, make):
    login(auth, make)
    rows = [ROWS[0], {**ROWS[1], "year": str(THIS_YEAR + 1)}]
    response = post_decision(client, auth, decision_form(rows))
    assert response.status_code == 422
    assert "ký trước năm đó" in field_error(response.get_data(as_text=True), "recipients-1-year")
    assert counts() == (0, 0)


def test_decision_level_errors_are_shown_once_at_the_top(client, auth, make):
    login(auth, make)
    data = decision_form(ROWS, decision_date=f"30/02/{THIS_YEAR}", decision_number="")
    response = post_decision(client, auth, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ngày không có thật" in field_error(page, "decision_date")
    assert "Nhập số quyết định" in field_error(page, "decision_number")
    assert page.count("Ngày không có thật") == 1
    assert counts() == (0, 0)


def test_empty_rows_are_ignored_and_no_rows_at_all_is_refused(client, auth, make):
    login(auth, make)
    response = post_decision(client, auth, decision_form([]))
    assert response.status_code == 422
    assert "Nhập ít nhất một" in response.get_data(as_text=True)
    response = post_decision(client, auth, decision_form([{}, ROWS[0], {}]))
    assert response.status_code == 303
    assert counts() == (1, 1)


def test_add_rows_button_offers_five_more_rows_keeping_everything_typed(client, auth, make):
    login(auth, make)
    response = post_decision(client, auth, {**decision_form(ROWS), "add_rows": "Thêm dòng"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(r'name="recipients-\d+-recipient_name"', page)) == 10
    assert 'value="Chi hội Phụ nữ khu 3"' in page and 'value="25/QĐ-UBND"' in page
    assert counts() == (0, 0)


def test_decision_already_in_the_registry_is_not_recorded_twice(client, auth, make):
    existing = make.award(number="25/QĐ-UBND", issuer="UBND thị trấn",
                          signed_on=parsing.parse_date(DECISION_DATE), year=LAST_YEAR)
    login(auth, make)
    response = post_decision(client, auth, decision_form(ROWS))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "đã có trong sổ" in field_error(page, "decision_number")
    assert f"/awards/new?decision={existing.decision_id}" in page
    assert counts() == (1, 1)


def test_repeating_an_award_in_a_decision_needs_confirmation(client, auth, make):
    # A duplicate is the same person of the same organization, kind, year and issuing body.
    make.award(name="Nguyễn Thị Hoa", kind="giay-khen", year=LAST_YEAR, number="1/QĐ",
               organization="hoi-lhpn")
    login(auth, make)
    response = post_decision(client, auth, decision_form(ROWS))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Có thể trùng" in field_error(page, "recipients-0-recipient_name")
    assert 'name="confirm_duplicate"' in page
    assert counts() == (1, 1)
    response = post_decision(client, auth, {**decision_form(ROWS), "confirm_duplicate": "y"})
    assert response.status_code == 303
    assert counts() == (2, 4)


def test_correcting_a_decision_is_noted_in_each_awards_history(client, auth, make):
    login(auth, make, username="thuky")
    post_decision(client, auth, decision_form(ROWS[:2]))
    decision = db.session.scalar(db.select(Decision))
    page = client.get(f"/awards/decisions/{decision.id}/edit").get_data(as_text=True)
    assert 'value="25/QĐ-UBND"' in page and f'value="{DECISION_DATE}"' in page
    data = {name: DECISION[name] for name in ("decision_date", "issuer", "signer",
                                              "signer_title", "subject")}
    response = post_decision(client, auth, {**data, "decision_number": "26/QĐ-UBND",
                                            "is_public": "y"},
                             path=f"/awards/decisions/{decision.id}/edit")
    assert response.status_code == 303
    db.session.expire_all()
    assert decision.number == "26/QĐ-UBND" and decision.is_public
    for award in decision.awards:
        entry = award.history[-1]
        assert entry.username == "thuky"
        assert json.loads(entry.changes) == {"decision_number": ["25/QĐ-UBND", "26/QĐ-UBND"]}
    listing = client.get("/awards/?q=26/qđ-ubnd").get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in listing and "Chi hội Phụ nữ khu 3" in listing


def test_decision_cannot_be_moved_before_the_year_it_commends_or_into_the_future(
        client, auth, make):
    award = make.award(year=LAST_YEAR)
    login(auth, make)
    path = f"/awards/decisions/{award.decision_id}/edit"
    for date, message in ((f"31/12/{LAST_YEAR - 1}", "ký trước năm đó"),
                          (f"01/01/{THIS_YEAR + 1}", "không thể sau hôm nay")):
        response = post_decision(client, auth, {"decision_number": "15/QĐ-UBND",
                                                "decision_date": date}, path=path)
        assert response.status_code == 422
        assert message in field_error(response.get_data(as_text=True), "decision_date")
    db.session.expire_all()
    assert award.decision.signed_on.year == LAST_YEAR + 1


def test_decision_links_to_a_post_by_number_or_address(client, auth, make):
    post = make.post(title="Hội nghị tổng kết công tác Hội năm")
    login(auth, make)
    for value in (str(post.id), f"http://localhost/posts/{post.id}/{post.slug}"):
        data = decision_form(ROWS[:1], post=value, decision_number=f"{len(value)}/QĐ",
                             confirm_duplicate="y")
        assert post_decision(client, auth, data).status_code == 303
    assert [d.post_id for d in db.session.scalars(db.select(Decision))] == [post.id, post.id]
    response = post_decision(client, auth, decision_form(ROWS[:1], post="99999"))
    assert response.status_code == 422
    assert "Không tìm thấy bài viết" in field_error(response.get_data(as_text=True), "post")


def test_secretary_sees_only_own_part_of_a_shared_decision_and_cannot_edit_it(
        client, auth, make):
    login(auth, make, role="admin", username="boss")
    post_decision(client, auth, decision_form(ROWS))
    decision = db.session.scalar(db.select(Decision))
    auth.logout()
    login(auth, make, orgs=["hoi-ccb"], username="ccb")
    page = client.get(f"/awards/decisions/{decision.id}").get_data(as_text=True)
    assert "Lê Văn Đức" in page and "Nguyễn Thị Hoa" not in page
    assert client.get(f"/awards/decisions/{decision.id}/edit").status_code == 403
    response = post_decision(client, auth, {**DECISION, "decision_number": "99/QĐ"},
                             path=f"/awards/decisions/{decision.id}/edit")
    assert response.status_code == 403
    db.session.expire_all()
    assert decision.number == "25/QĐ-UBND"
    auth.logout()
    login(auth, make, orgs=["cong-doan"], username="cd")
    assert client.get(f"/awards/decisions/{decision.id}").status_code == 403


def test_secretary_cannot_put_another_organizations_people_in_a_decision(client, auth, make):
    login(auth, make, orgs=["hoi-lhpn"])
    response = post_decision(client, auth, decision_form(ROWS))
    assert response.status_code == 422
    assert "không có trong danh sách" in field_error(response.get_data(as_text=True),
                                                      "recipients-2-organization")
    assert counts() == (0, 0)


def test_decisions_list_shows_the_users_decisions_with_counts(client, auth, make):
    make.award(name="A", organization="hoi-lhpn", number="1/QĐ", amount=100)
    make.award(name="B", organization="hoi-lhpn", number="1/QĐ", amount=200)
    make.award(name="C", organization="hoi-ccb", number="2/QĐ")
    login(auth, make, orgs=["hoi-lhpn"])
    page = client.get("/awards/decisions/").get_data(as_text=True)
    assert ">1/QĐ</a>" in page and ">2/QĐ</a>" not in page
    assert re.search(r'<td class="num">2</td>\s*<td class="num">300</td>', page)
