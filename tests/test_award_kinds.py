"""The catalogue of award kinds: admins only; kinds are retired, never deleted."""

import html
import re

import pytest

from bulletin.awards import records
from bulletin.extensions import db
from bulletin.models import AuditEntry, AwardKind

THIS_YEAR = records.today().year


def login(auth, make, role="admin", orgs=()):
    """Make an account and log it in."""
    make.user(role, role=role, orgs=orgs)
    auth.login(role)


def post_form(client, auth, path, **fields):
    """POST with a CSRF token."""
    return client.post(path, data={"csrf_token": auth.csrf_token("/"), **fields})


def field_error(page: str, field: str) -> str:
    """The error text shown next to a field."""
    found = re.findall(rf'id="{re.escape(field)}-error">(.*?)</p>', page, re.S)
    return html.unescape(" ".join(found))


def kind(slug) -> AwardKind | None:
    """A kind by slug, fresh."""
    db.session.expire_all()
    return db.session.scalar(db.select(AwardKind).where(AwardKind.slug == slug))


def test_admin_lists_the_catalogue_with_usage(client, auth, make):
    make.award(kind="bang-khen")
    login(auth, make)
    page = client.get("/awards/kinds").get_data(as_text=True)
    assert "Giấy khen" in page and "Lao động tiên tiến" in page and "bang-khen" in page
    assert "/awards/kinds/new" in page


def test_admin_adds_a_kind_that_the_award_form_then_offers(client, auth, make):
    login(auth, make)
    response = post_form(client, auth, "/awards/kinds/new", name="Kỷ niệm chương Vì sự phát "
                         "triển của phụ nữ Việt Nam", category="org_honour",
                         recipient_types=["individual"], is_yearly="", is_active="y",
                         position="50")
    assert response.status_code == 303
    added = kind("ky-niem-chuong-vi-su-phat-trien-cua-phu-nu-viet-nam")
    assert (added.category, added.recipient_types, added.is_active, added.position) == (
        "org_honour", "individual", True, 50)
    assert db.session.scalar(db.select(AuditEntry.id).where(
        AuditEntry.action == "award_kind.create"))
    assert added.slug in client.get("/awards/new").get_data(as_text=True)


def test_new_kind_needs_a_name_types_and_a_free_code(client, auth, make):
    login(auth, make)
    response = post_form(client, auth, "/awards/kinds/new", name="", category="award_form")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nhập tên" in field_error(page, "name")
    assert "Chọn ít nhất một" in field_error(page, "recipient_types")
    response = post_form(client, auth, "/awards/kinds/new", name="Giấy khen mới",
                         slug="giay-khen", category="award_form", recipient_types=["household"])
    assert response.status_code == 422
    assert "đã dùng" in field_error(response.get_data(as_text=True), "slug")
    assert 'value="Giấy khen mới"' in response.get_data(as_text=True)


def test_retired_kind_leaves_the_form_but_keeps_its_awards(client, auth, make):
    award = make.award(kind="co-thi-dua", recipient_type="collective", name="Hội CCB khu 1")
    retired = kind("co-thi-dua")
    login(auth, make)
    response = post_form(client, auth, f"/awards/kinds/{retired.id}/edit", name="Cờ thi đua",
                         category="award_form", recipient_types=["collective"],
                         is_yearly="", is_active="", position="8")
    assert response.status_code == 303
    assert kind("co-thi-dua").is_active is False
    assert 'value="co-thi-dua"' not in client.get("/awards/new").get_data(as_text=True)
    page = client.get(f"/awards/{award.id}/edit").get_data(as_text=True)
    assert 'value="co-thi-dua"' in page  # the award keeps its (retired) kind
    assert client.get(f"/awards/{award.id}").status_code == 200


def test_editing_allowed_recipients_changes_what_the_registry_accepts(client, auth, make):
    giay_khen = kind("giay-khen")
    login(auth, make)
    post_form(client, auth, f"/awards/kinds/{giay_khen.id}/edit", name="Giấy khen",
              category="award_form", recipient_types=["individual"], is_active="y",
              position="0")
    assert kind("giay-khen").recipient_types == "individual"
    response = post_form(client, auth, "/awards/new", recipient_type="household",
                         recipient_name="Hộ ông Nguyễn Văn Ba", organization="mttq",
                         kind="giay-khen", year=str(THIS_YEAR - 1),
                         decision_number="3/QĐ", decision_date=f"01/01/{THIS_YEAR}")
    assert response.status_code == 422
    assert "không dùng cho loại đối tượng này" in field_error(response.get_data(as_text=True),
                                                              "kind")


def test_kinds_are_never_deleted(client, auth, make):
    giay_khen = kind("giay-khen")
    login(auth, make)
    for path in (f"/awards/kinds/{giay_khen.id}/delete", f"/awards/kinds/{giay_khen.id}"):
        assert post_form(client, auth, path).status_code in (404, 405)
    assert kind("giay-khen") is not None


@pytest.mark.parametrize("role", ["secretary", "editor", "reader"])
def test_only_admins_keep_the_catalogue(client, auth, make, role):
    giay_khen = kind("giay-khen")
    login(auth, make, role=role)
    for path in ("/awards/kinds", "/awards/kinds/new", f"/awards/kinds/{giay_khen.id}/edit"):
        assert client.get(path).status_code == 403, path
    response = post_form(client, auth, f"/awards/kinds/{giay_khen.id}/edit", name="Đổi tên",
                         category="award_form", recipient_types=["individual"])
    assert response.status_code == 403
    assert kind("giay-khen").name == "Giấy khen"


def test_anonymous_visitor_is_sent_to_login_from_the_catalogue(client):
    response = client.get("/awards/kinds")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
