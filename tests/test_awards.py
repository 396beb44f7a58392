"""The registry of commendations: record, correct, void, list, filter, permissions."""

import html
import json
import re

import pytest

from bulletin.awards import parsing, records
from bulletin.extensions import db
from bulletin.models import AuditEntry, Award, AwardHistory, Decision

THIS_YEAR = records.today().year
LAST_YEAR = THIS_YEAR - 1
# 1 January of this year: never in the future, and after last year.
DECISION_DATE = f"01/01/{THIS_YEAR}"

AWARD = {
    "recipient_type": "individual",
    "recipient_name": "Nguyễn Thị Hoa",
    "recipient_title": "Chi hội trưởng khu 3",
    "organization": "hoi-lhpn",
    "kind": "giay-khen",
    "year": str(LAST_YEAR),
    "achievement": "Hoàn thành xuất sắc nhiệm vụ năm",
    "decision_number": "15/QĐ-UBND",
    "decision_date": DECISION_DATE,
    "issuer": "UBND thị trấn",
    "signer": "Trần Văn Hùng",
    "amount": "300.000",
}


def login(auth, make, role="secretary", orgs=(), username=None):
    """Make an account and log it in."""
    name = username or role
    make.user(name, role=role, orgs=orgs)
    auth.login(name)
    return name


def post_form(client, auth, path, **fields):
    """POST a form with a CSRF token taken from the page."""
    return client.post(path, data={"csrf_token": auth.csrf_token(path), **fields})


def field_error(page: str, field: str) -> str:
    """The error text shown next to a field ('' when none)."""
    found = re.findall(rf'id="{re.escape(field)}-error">(.*?)</p>', page, re.S)
    return html.unescape(" ".join(found))


def all_awards() -> list[Award]:
    """Every award in the database, fresh."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(Award).order_by(Award.id)))


def listed_names(page: str) -> list[str]:
    """The recipients' names in the order the registry lists them."""
    return [html.unescape(n) for n in re.findall(
        r'<td class="who">\s*<a href="/awards/\d+">(.*?)</a>', page)]


# --- Recording ------------------------------------------------------------------------

def test_secretary_records_award_and_lands_on_its_page(client, auth, make):
    login(auth, make)
    response = post_form(client, auth, "/awards/new", **AWARD)
    assert response.status_code == 303
    [award] = all_awards()
    assert response.headers["Location"].endswith(f"/awards/{award.id}")
    assert (award.recipient_name, award.organization.slug, award.kind.slug, award.year) == (
        "Nguyễn Thị Hoa", "hoi-lhpn", "giay-khen", LAST_YEAR)
    assert award.amount == 300_000
    assert award.decision.number == "15/QĐ-UBND"
    assert award.decision.signed_on.strftime("%d/%m/%Y") == DECISION_DATE
    page = client.get(f"/awards/{award.id}").get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in page and "300.000" in page and "15/QĐ-UBND" in page
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "award.create"))
    assert audit.target_id == award.id and audit.username == "secretary"


def test_amount_with_thousands_dots_is_the_same_as_plain_digits(client, auth, make):
    login(auth, make)
    post_form(client, auth, "/awards/new", **{**AWARD, "amount": "300.000"})
    post_form(client, auth, "/awards/new", **{**AWARD, "recipient_name": "Lê Văn Tám",
                                               "amount": "300000"})
    assert [a.amount for a in all_awards()] == [300_000, 300_000]
    assert parsing.parse_amount("300.000") == parsing.parse_amount("300000") == 300_000


def test_form_accepts_an_id_for_organization_and_kind(client, auth, make):
    login(auth, make, role="admin")
    data = {**AWARD, "organization": str(make.org("hoi-ccb").id),
            "kind": str(make.award_kind("bang-khen").id)}
    assert post_form(client, auth, "/awards/new", **data).status_code == 303
    [award] = all_awards()
    assert (award.organization.slug, award.kind.slug) == ("hoi-ccb", "bang-khen")


def test_new_award_form_offers_contract_fields_and_labels(client, auth, make):
    login(auth, make)
    page = client.get("/awards/new").get_data(as_text=True)
    for name in AWARD:
        assert f'name="{name}"' in page
    options = dict((v, label) for v, label in re.findall(
        r'<option(?: selected)? value="([^"]*)">([^<]*)</option>', page))
    assert options["individual"] == "Cá nhân" and options["collective"] == "Tập thể"
    assert options["household"] == "Hộ gia đình"
    assert options["hoi-lhpn"] == "Hội Liên hiệp Phụ nữ" and options["giay-khen"] == "Giấy khen"


INVALID = [
    ("decision_date", {"decision_date": f"31/02/{THIS_YEAR}"}, "Ngày không có thật"),
    ("decision_date", {"decision_date": "2026/13/45"}, "dd/mm/yyyy"),
    ("decision_date", {"decision_date": f"01/06/{LAST_YEAR - 1}"}, "ký trước năm đó"),
    ("decision_date", {"decision_date": f"01/01/{THIS_YEAR + 1}"}, "không thể sau hôm nay"),
    ("kind", {"kind": "huan-chuong-khong-co"}, "Chọn hình thức khen thưởng có trong danh mục"),
    ("kind", {"kind": "lao-dong-tien-tien", "recipient_type": "collective",
              "recipient_title": ""}, "không dùng cho loại đối tượng này"),
    ("amount", {"amount": "-300.000"}, "không được âm"),
    ("amount", {"amount": "ba trăm nghìn"}, "Số tiền không hợp lệ"),
    ("recipient_title", {"recipient_type": "collective", "kind": "bang-khen",
                         "recipient_name": "Chi hội Phụ nữ khu 3"}, "Chức vụ chỉ ghi cho cá nhân"),
    ("year", {"year": "1800"}, "Năm phải trong khoảng"),
    ("year", {"year": "20x5"}, "4 chữ số"),
    ("recipient_name", {"recipient_name": ""}, "Nhập tên"),
    ("decision_number", {"decision_number": ""}, "Nhập số quyết định"),
    ("organization", {"organization": ""}, "Chọn tổ chức"),
]


@pytest.mark.parametrize(("field", "change", "message"), INVALID,
                         ids=[f"{f}:{m}" for f, _, m in INVALID])
def test_invalid_award_is_refused_with_message_next_to_field_and_values_kept(
        client, auth, make, field, change, message):
    login(auth, make)
    data = {**AWARD, **change}
    response = post_form(client, auth, "/awards/new", **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in field_error(page, field)
    for name in ("recipient_name", "recipient_title", "year", "achievement", "decision_number",
                 "decision_date", "issuer", "signer", "amount"):
        if data[name]:
            assert html.escape(data[name]) in page, name
    assert all_awards() == []
    assert db.session.scalar(db.select(Decision.id)) is None


def test_probable_duplicate_is_a_warning_saved_only_when_confirmed(client, auth, make):
    login(auth, make)
    first = make.award(name="Nguyễn Thị Hòa", organization="hoi-lhpn", year=LAST_YEAR)
    # Same person: other case, the other tone placement ("hoà" / "hòa").
    data = {**AWARD, "recipient_name": "NGUYỄN THỊ HOÀ", "decision_number": "20/QĐ-MTTQ"}
    response = post_form(client, auth, "/awards/new", **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Có thể đã ghi rồi" in page and f'href="/awards/{first.id}"' in page
    assert 'name="confirm_duplicate"' in page and "Vẫn ghi" in page
    assert html.escape("NGUYỄN THỊ HOÀ") in page
    assert len(all_awards()) == 1
    response = post_form(client, auth, "/awards/new", **data, confirm_duplicate="y")
    assert response.status_code == 303
    assert len(all_awards()) == 2


def test_new_award_form_prefills_a_chosen_decision(client, auth, make):
    existing = make.award(number="07/QĐ-UBND", issuer="UBND thị trấn")
    login(auth, make, role="admin")
    page = client.get(f"/awards/new?decision={existing.decision.id}").get_data(as_text=True)
    assert 'value="07/QĐ-UBND"' in page and 'value="UBND thị trấn"' in page


# --- Correcting and voiding -----------------------------------------------------------

def test_correction_is_kept_in_history_with_who_when_and_what(client, auth, make):
    award = make.award(amount=200_000, achievement="Hoàn thành tốt nhiệm vụ",
                       organization="hoi-lhpn", year=LAST_YEAR)
    login(auth, make, username="thuky")
    page = client.get(f"/awards/{award.id}/edit").get_data(as_text=True)
    assert 'value="200.000"' in page and 'value="Nguyễn Thị Hoa"' in page
    data = {**AWARD, "recipient_title": "", "decision_number": "15/QĐ-UBND",
            "decision_date": award.decision.signed_on.strftime("%d/%m/%Y"),
            "year": str(LAST_YEAR), "amount": "500.000",
            "achievement": "Hoàn thành xuất sắc nhiệm vụ"}
    response = post_form(client, auth, f"/awards/{award.id}/edit", **data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/awards/{award.id}")
    db.session.expire_all()
    assert award.amount == 500_000
    entry = award.history[-1]
    assert (entry.action, entry.username) == ("update", "thuky")
    assert entry.created_at is not None
    changes = json.loads(entry.changes)
    assert changes["amount"] == ["200000", "500000"]
    assert changes["achievement"] == ["Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"]
    assert "recipient_name" not in changes
    page = client.get(f"/awards/{award.id}").get_data(as_text=True)
    history = page[page.index("Lịch sử thay đổi"):]
    assert "thuky" in history and "Sửa" in history
    assert re.search(r"<th scope=\"row\">Tiền thưởng</th><td>200\.000</td><td>500\.000</td>",
                     history)
    assert db.session.scalar(db.select(AuditEntry.id).where(
        AuditEntry.action == "award.update", AuditEntry.target_id == award.id))


def test_correction_with_errors_answers_422_and_changes_nothing(client, auth, make):
    award = make.award(amount=200_000, organization="hoi-lhpn", year=LAST_YEAR)
    login(auth, make)
    data = {**AWARD, "amount": "-1", "recipient_name": "Tên đã sửa"}
    response = post_form(client, auth, f"/awards/{award.id}/edit", **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "không được âm" in field_error(page, "amount")
    assert 'value="Tên đã sửa"' in page
    db.session.expire_all()
    assert (award.amount, award.recipient_name) == (200_000, "Nguyễn Thị Hoa")
    assert [h.action for h in award.history] == ["create"]


def test_correcting_a_lone_award_fixes_its_own_decision(client, auth, make):
    award = make.award(number="15/QĐ-UBND", organization="hoi-lhpn", year=LAST_YEAR)
    decision_id = award.decision_id
    login(auth, make)
    data = {**AWARD, "decision_number": "16/QĐ-UBND",
            "decision_date": award.decision.signed_on.strftime("%d/%m/%Y")}
    assert post_form(client, auth, f"/awards/{award.id}/edit", **data).status_code == 303
    db.session.expire_all()
    assert award.decision_id == decision_id and award.decision.number == "16/QĐ-UBND"
    assert json.loads(award.history[-1].changes)["decision_number"] == ["15/QĐ-UBND",
                                                                        "16/QĐ-UBND"]
    listed = client.get("/awards/?q=16/QĐ").get_data(as_text=True)
    assert listed_names(listed) == ["Nguyễn Thị Hoa"]


def test_void_needs_a_reason(client, auth, make):
    award = make.award()
    login(auth, make)
    response = post_form(client, auth, f"/awards/{award.id}/void", reason="  ")
    assert response.status_code == 422
    assert "Nhập lý do hủy" in field_error(response.get_data(as_text=True), "reason")
    db.session.expire_all()
    assert not award.is_voided


def test_voided_award_stays_in_registry_struck_through_with_history(client, auth, make):
    award = make.award(amount=300_000)
    make.award(name="Lê Văn Tám", amount=100_000)
    login(auth, make, username="thuky")
    response = post_form(client, auth, f"/awards/{award.id}/void", reason="Nhập sai người")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/awards/{award.id}")
    assert len(all_awards()) == 2
    db.session.expire_all()
    assert award.is_voided and award.void_reason == "Nhập sai người"
    entry = award.history[-1]
    assert (entry.action, entry.username) == ("void", "thuky")
    assert json.loads(entry.changes) == {"void_reason": [None, "Nhập sai người"]}
    detail = client.get(f"/awards/{award.id}").get_data(as_text=True)
    assert "Đã hủy" in detail and "Nhập sai người" in detail
    listing = client.get("/awards/").get_data(as_text=True)
    row = re.search(rf'<tr class="voided">(?:(?!</tr>).)*?/awards/{award.id}".*?</tr>',
                    listing, re.S)
    assert row and "Đã hủy" in row.group(0)
    assert "1 khen thưởng" in listing and "100.000 đồng" in listing
    assert db.session.scalar(db.select(AuditEntry.id).where(AuditEntry.action == "award.void"))


def test_voided_award_cannot_be_corrected_or_voided_again(client, auth, make):
    award = make.award()
    login(auth, make)
    post_form(client, auth, f"/awards/{award.id}/void", reason="Trùng")
    token = auth.csrf_token("/")
    response = client.post(f"/awards/{award.id}/edit", data={"csrf_token": token, **AWARD})
    assert response.status_code == 303
    assert client.get(f"/awards/{award.id}/edit").status_code == 303
    client.post(f"/awards/{award.id}/void", data={"csrf_token": token, "reason": "Lần nữa"})
    db.session.expire_all()
    assert [h.action for h in award.history] == ["create", "void"]


def test_there_is_no_way_to_delete_an_award(client, auth, make):
    award = make.award()
    login(auth, make, role="admin")
    for path in (f"/awards/{award.id}/delete", f"/awards/{award.id}"):
        assert post_form(client, auth, path).status_code in (404, 405)
    assert client.delete(f"/awards/{award.id}").status_code in (400, 404, 405)
    assert len(all_awards()) == 1


# --- The list -------------------------------------------------------------------------

def test_registry_lists_newest_year_first_then_vietnamese_name_order(client, auth, make):
    for name in ("Phạm Văn Dũng", "Lê Văn Đức", "Nguyễn Thị Bình", "Trần Văn Anh"):
        make.award(name=name, year=LAST_YEAR - 1)
    make.award(name="Chi hội Cựu chiến binh khu 2", recipient_type="collective",
               year=LAST_YEAR - 1)
    make.award(name="Vũ Thị Yến", year=LAST_YEAR)
    make.award(name="Đỗ Văn An", year=LAST_YEAR - 2)
    login(auth, make)
    page = client.get("/awards/").get_data(as_text=True)
    assert listed_names(page) == [
        "Vũ Thị Yến",
        # Given names first: Anh, Bình, (the collective "Chi hội…"), Dũng, then Đức (Đ
        # comes after D in the Vietnamese alphabet).
        "Trần Văn Anh", "Nguyễn Thị Bình", "Chi hội Cựu chiến binh khu 2", "Phạm Văn Dũng",
        "Lê Văn Đức",
        "Đỗ Văn An",
    ]


def test_each_filter_narrows_the_list_and_totals_follow(client, auth, make):
    make.award(name="Nguyễn Thị Hoa", organization="hoi-lhpn", year=LAST_YEAR, amount=300_000,
               achievement="Phong trào phụ nữ")
    make.award(name="Đặng Văn Bảo", organization="hoi-ccb", kind="bang-khen", year=LAST_YEAR,
               amount=500_000, number="20/QĐ-CCB")
    make.award(name="Tổ dân phố 5", recipient_type="collective", organization="mttq",
               kind="tap-the-lao-dong-tien-tien", year=LAST_YEAR - 1, amount=1_000_000)
    login(auth, make)
    cases = {
        "": ["Đặng Văn Bảo", "Nguyễn Thị Hoa", "Tổ dân phố 5"],
        f"year={LAST_YEAR - 1}": ["Tổ dân phố 5"],
        "org=hoi-ccb": ["Đặng Văn Bảo"],
        "kind=bang-khen": ["Đặng Văn Bảo"],
        "recipient_type=collective": ["Tổ dân phố 5"],
        "q=nguyen thi hoa": ["Nguyễn Thị Hoa"],
        "q=dang": ["Đặng Văn Bảo"],
        "q=20/qđ-ccb": ["Đặng Văn Bảo"],
        # An achievement's words are looked through only when asked (issue 18).
        "q=phu nu": [],
        "q=phu nu&all=1": ["Nguyễn Thị Hoa"],
        f"org=hoi-lhpn&year={LAST_YEAR - 1}": [],
    }
    for query, names in cases.items():
        page = client.get(f"/awards/?{query}").get_data(as_text=True)
        assert sorted(listed_names(page)) == sorted(names), query
    page = client.get(f"/awards/?year={LAST_YEAR}").get_data(as_text=True)
    assert "2 khen thưởng" in page and "800.000 đồng" in page
    page = client.get("/awards/").get_data(as_text=True)
    assert "3 khen thưởng" in page and "1.800.000 đồng" in page


def test_list_links_to_exports_with_the_current_filters_and_to_import(client, auth, make):
    login(auth, make)
    page = html.unescape(client.get(f"/awards/?year={LAST_YEAR}&org=hoi-ccb&q=hoa")
                         .get_data(as_text=True))
    assert f'href="/awards/export.xlsx?year={LAST_YEAR}&org=hoi-ccb&q=hoa"' in page
    assert f'href="/awards/export.csv?year={LAST_YEAR}&org=hoi-ccb&q=hoa"' in page
    assert 'href="/awards/import"' in page
    assert "Xuất Excel" in page and "Xuất CSV" in page and "Nhập từ Excel" in page


def test_registry_pages_fifty_awards_at_a_time(client, auth, make):
    for number in range(51):
        make.award(name=f"Người số {number:02d}", year=LAST_YEAR)
    login(auth, make)
    first = client.get("/awards/").get_data(as_text=True)
    assert len(listed_names(first)) == 50 and "51 khen thưởng" in first
    assert 'href="/awards/?page=2"' in first
    second = client.get("/awards/?page=2").get_data(as_text=True)
    assert len(listed_names(second)) == 1
    assert client.get("/awards/?page=3").status_code == 404
    assert client.get("/awards/?page=abc").status_code == 200


def test_recipient_page_lists_everything_a_person_received_year_by_year(client, auth, make):
    make.award(name="Nguyễn Thị Hoa", year=LAST_YEAR - 2, kind="lao-dong-tien-tien")
    make.award(name="Nguyễn Thị Hoà", year=LAST_YEAR, kind="giay-khen")
    make.award(name="Nguyen Thi Hoa", year=LAST_YEAR - 1, kind="bang-khen", number="2/QĐ")
    make.award(name="Nguyễn Thị Hoa Mai", year=LAST_YEAR)
    make.award(name="Nguyễn Thị Hoa", recipient_type="household", kind="gia-dinh-van-hoa",
               year=LAST_YEAR)
    login(auth, make)
    page = client.get("/awards/recipient?type=individual&name=Nguyễn Thị Hoa") \
        .get_data(as_text=True)
    years = [int(y) for y in re.findall(r'<h2 id="year-(\d+)"', page)]
    assert years == [LAST_YEAR, LAST_YEAR - 1, LAST_YEAR - 2]
    assert "Lao động tiên tiến" in page and "Bằng khen" in page and "Giấy khen" in page
    assert "Hoa Mai" not in page and "Gia đình văn hóa" not in page


# --- Who may do what ------------------------------------------------------------------

REGISTRY_GETS = ["/awards/", "/awards/new", "/awards/{id}", "/awards/{id}/edit",
                 "/awards/recipient?type=individual&name=x", "/awards/decisions/",
                 "/awards/decisions/new", "/awards/decisions/{decision}",
                 "/awards/decisions/{decision}/edit", "/awards/kinds"]
REGISTRY_POSTS = ["/awards/new", "/awards/{id}/edit", "/awards/{id}/void",
                  "/awards/decisions/new", "/awards/decisions/{decision}/edit"]


def _paths(paths, award):
    """The registry's addresses for one award and its decision."""
    return [p.format(id=award.id, decision=award.decision_id) for p in paths]


def test_anonymous_visitor_is_sent_to_login(client, auth, make):
    award = make.award()
    for path in _paths(REGISTRY_GETS, award):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path
    token = auth.csrf_token("/login")
    for path in _paths(REGISTRY_POSTS, award):
        response = client.post(path, data={"csrf_token": token, **AWARD, "reason": "x"})
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    db.session.expire_all()
    assert not award.is_voided and len(all_awards()) == 1


@pytest.mark.parametrize("role", ["editor", "reader"])
def test_editors_and_readers_are_refused_the_registry(client, auth, make, role):
    award = make.award()
    login(auth, make, role=role, orgs=["mttq"])
    token = auth.csrf_token("/")
    for path in _paths(REGISTRY_GETS, award):
        assert client.get(path).status_code == 403, path
    for path in _paths(REGISTRY_POSTS, award):
        response = client.post(path, data={"csrf_token": token, **AWARD, "reason": "x"})
        assert response.status_code == 403, path
    db.session.expire_all()
    assert not award.is_voided and len(all_awards()) == 1


def test_secretary_of_one_organization_cannot_touch_anothers_awards(client, auth, make):
    theirs = make.award(name="Đặng Văn Bảo", organization="hoi-ccb", amount=100_000)
    mine = make.award(name="Nguyễn Thị Hoa", organization="hoi-lhpn", number="3/QĐ-PN")
    login(auth, make, orgs=["hoi-lhpn"])
    token = auth.csrf_token("/")
    listing = client.get("/awards/").get_data(as_text=True)
    assert listed_names(listing) == ["Nguyễn Thị Hoa"]
    assert listed_names(client.get("/awards/?org=hoi-ccb").get_data(as_text=True)) == []
    assert client.get(f"/awards/{mine.id}").status_code == 200
    for path in (f"/awards/{theirs.id}", f"/awards/{theirs.id}/edit",
                 f"/awards/decisions/{theirs.decision_id}"):
        assert client.get(path).status_code in (403, 404), path
    for path in (f"/awards/{theirs.id}/edit", f"/awards/{theirs.id}/void"):
        response = client.post(path, data={"csrf_token": token, **AWARD, "reason": "x"})
        assert response.status_code in (403, 404), path
    recipient = client.get("/awards/recipient?type=individual&name=Đặng Văn Bảo") \
        .get_data(as_text=True)
    assert f"/awards/{theirs.id}" not in recipient and "Không tìm thấy" in recipient
    db.session.expire_all()
    assert not theirs.is_voided and theirs.amount == 100_000
    assert [h.action for h in theirs.history] == ["create"]


def test_secretary_can_only_choose_own_organizations_and_a_forged_one_is_refused(
        client, auth, make):
    branch = make.make_org("Chi hội Phụ nữ khu 1", parent=make.org("hoi-lhpn"))
    login(auth, make, orgs=["hoi-lhpn"])
    page = client.get("/awards/new").get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]*)"', page.split('name="organization"')[1]
                         .split("</select>")[0])
    assert offered == ["", "hoi-lhpn", branch.slug]
    for forged in ("hoi-ccb", str(make.org("hoi-ccb").id)):
        response = post_form(client, auth, "/awards/new", **{**AWARD, "organization": forged})
        assert response.status_code == 422
        assert "không có trong danh sách" in field_error(response.get_data(as_text=True),
                                                          "organization")
    assert all_awards() == []
    response = post_form(client, auth, "/awards/new", **{**AWARD, "organization": branch.slug})
    assert response.status_code == 303


def test_secretary_manages_branches_of_own_organization(client, auth, make):
    branch = make.make_org("Chi hội Phụ nữ khu 2", parent=make.org("hoi-lhpn"))
    award = make.award(organization=branch)
    login(auth, make, orgs=["hoi-lhpn"])
    assert client.get(f"/awards/{award.id}").status_code == 200
    response = post_form(client, auth, f"/awards/{award.id}/void", reason="Nhập sai")
    assert response.status_code == 303


def test_secretary_without_organization_and_admin_manage_everything(client, auth, make):
    awards = [make.award(name=f"Người {slug}", organization=slug, number=f"{i}/QĐ")
              for i, slug in enumerate(("mttq", "hoi-ccb", "cong-doan"), start=1)]
    for role in ("secretary", "admin"):
        login(auth, make, role=role, username=f"{role}-all")
        page = client.get("/awards/").get_data(as_text=True)
        assert len(listed_names(page)) == 3, role
        for award in awards:
            assert client.get(f"/awards/{award.id}/edit").status_code == 200
        auth.logout()


def test_history_rows_are_never_removed_by_the_views(client, auth, make):
    award = make.award()
    login(auth, make)
    post_form(client, auth, f"/awards/{award.id}/edit",
              **{**AWARD, "organization": "mttq", "year": str(award.year),
                 "decision_date": award.decision.signed_on.strftime("%d/%m/%Y"),
                 "amount": "1000"})
    post_form(client, auth, f"/awards/{award.id}/void", reason="Sai")
    db.session.expire_all()
    actions = db.session.scalars(db.select(AwardHistory.action)
                                 .where(AwardHistory.award_id == award.id)
                                 .order_by(AwardHistory.id)).all()
    assert actions == ["create", "update", "void"]
