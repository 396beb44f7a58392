"""The site's identity, organizations, branches and categories, edited by admins."""

import io
import re

import pytest
from PIL import Image

from bulletin import site
from bulletin.extensions import db
from bulletin.models import AuditEntry, Organization, Post, SiteSettings, User
from tests.test_editor import form as post_form
from tests.test_editor import gps_exif, jpeg


@pytest.fixture
def admin(make, auth):
    """An admin, logged in."""
    make.user("quantri", role="admin")
    assert auth.login("quantri").status_code == 302
    return auth


def csrf(client, path) -> str:
    """Return the CSRF token of a page's form."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def new_org(client, **fields):
    """Post the contract's new-organization form."""
    data = {"csrf_token": csrf(client, "/admin/organizations/new"),
            "name": "Chi hội Phụ nữ thôn Đông",
            "short_name": "CHPN thôn Đông", "slug": "chpn-thon-dong", "parent": "hoi-lhpn",
            **fields}
    return client.post("/admin/organizations/new", data=data)


def org_by_slug(slug):
    """Return an organization by slug, fresh from the database."""
    db.session.expire_all()
    return db.session.scalar(db.select(Organization).where(Organization.slug == slug))


def test_admin_creates_a_branch_listed_at_its_slug_and_accepted_by_user_create(client, admin,
                                                                                runner, make):
    assert new_org(client).status_code == 303
    branch = org_by_slug("chpn-thon-dong")
    assert branch.parent.slug == "hoi-lhpn"
    make.post("Họp chi hội thôn Đông", organization="chpn-thon-dong")
    html = client.get("/org/chpn-thon-dong").get_data(as_text=True)
    assert "Họp chi hội thôn Đông" in html
    assert "Họp chi hội thôn Đông" in client.get("/org/hoi-lhpn").get_data(as_text=True)
    result = runner.invoke(args=["user", "create", "canbo", "--role", "editor",
                                 "--org", "chpn-thon-dong", "--password", "mot cau dai de nho"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(db.select(User).where(User.username == "canbo"))
    assert [o.slug for o in user.organizations] == ["chpn-thon-dong"]
    assert db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "organization.create")) is not None


def test_empty_slug_is_made_from_the_short_name(client, admin):
    assert new_org(client, slug="", short_name="Chi đoàn thôn Bắc", parent="").status_code == 303
    assert org_by_slug("chi-doan-thon-bac").parent is None


@pytest.mark.parametrize("fields, field_error", [
    ({"slug": "hoi-lhpn"}, "đã (hoặc từng) được"),
    ({"slug": "Có Dấu"}, "chữ thường không dấu"),
    ({"name": ""}, "bắt buộc"),
    ({"parent": "khong-co"}, "không hợp lệ"),
])
def test_bad_organization_is_refused_with_the_form_kept(client, admin, fields, field_error):
    response = new_org(client, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error in html
    assert "CHPN thôn Đông" in html or fields.get("name") == ""
    assert org_by_slug("chpn-thon-dong") is None


def test_renaming_keeps_the_slug_and_a_changed_slug_redirects(client, admin, make):
    new_org(client)
    branch = org_by_slug("chpn-thon-dong")
    path = f"/admin/organizations/{branch.id}/edit"
    data = {"csrf_token": csrf(client, path), "name": "Chi hội Phụ nữ khu Đông",
            "short_name": "CHPN khu Đông", "slug": "chpn-thon-dong", "parent": "hoi-lhpn",
            "position": "3"}
    assert client.post(path, data=data).status_code == 303
    assert org_by_slug("chpn-thon-dong").name == "Chi hội Phụ nữ khu Đông"
    data["slug"] = "chpn-khu-dong"
    assert client.post(path, data=data).status_code == 303
    old = client.get("/org/chpn-thon-dong?page=2")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/org/chpn-khu-dong?page=2")
    assert client.get("/org/chpn-thon-dong/feed.atom").status_code == 301
    assert client.get("/org/chpn-khu-dong").status_code == 200
    # The old slug stays reserved: no other organization may take it.
    assert new_org(client, slug="chpn-thon-dong").status_code == 422


def test_an_organization_cannot_be_put_under_its_own_branch(client, admin):
    new_org(client)
    lhpn = org_by_slug("hoi-lhpn")
    path = f"/admin/organizations/{lhpn.id}/edit"
    html = client.get(path).get_data(as_text=True)
    assert 'value="chpn-thon-dong"' not in html
    data = {"csrf_token": csrf(client, path), "name": lhpn.name, "short_name": lhpn.short_name,
            "slug": "hoi-lhpn", "parent": "chpn-thon-dong"}
    assert client.post(path, data=data).status_code == 422
    assert org_by_slug("hoi-lhpn").parent_id is None


def test_archived_organization_leaves_menus_and_selects_but_its_posts_stay(client, admin, make):
    ccb = org_by_slug("hoi-ccb")
    make.post("Kỷ niệm ngày thành lập Hội CCB", organization="hoi-ccb")
    award = make.award(organization="hoi-ccb")
    token = csrf(client, "/admin/organizations")
    response = client.post(f"/admin/organizations/{ccb.id}/archive", data={"csrf_token": token})
    assert response.status_code == 303
    assert org_by_slug("hoi-ccb").is_archived
    assert 'href="/org/hoi-ccb"' not in menu(client.get("/").get_data(as_text=True))
    assert 'value="hoi-ccb"' not in client.get("/posts/new").get_data(as_text=True)
    page = client.get("/org/hoi-ccb")
    assert page.status_code == 200
    assert "Kỷ niệm ngày thành lập Hội CCB" in page.get_data(as_text=True)
    assert client.get(f"/awards/{award.id}").status_code == 200
    # The registry records no new award for it, but its awards stay findable and editable.
    assert 'value="hoi-ccb"' not in client.get("/awards/new").get_data(as_text=True)
    assert 'value="hoi-ccb"' not in client.get("/awards/decisions/new").get_data(as_text=True)
    assert 'value="hoi-ccb"' in client.get("/awards/").get_data(as_text=True)
    edit = client.get(f"/awards/{award.id}/edit").get_data(as_text=True)
    assert re.search(r'<option[^>]*(selected[^>]*value="hoi-ccb"|value="hoi-ccb"[^>]*selected)',
                     edit)
    client.post(f"/admin/organizations/{ccb.id}/restore", data={"csrf_token": token})
    assert 'href="/org/hoi-ccb"' in menu(client.get("/").get_data(as_text=True))


def menu(html: str) -> str:
    """Return the organizations menu of a page."""
    return re.search(r'<nav class="org-nav".*?</nav>', html, re.S).group(0)


def test_an_organization_with_branches_in_use_is_not_archived(client, admin):
    new_org(client)
    lhpn = org_by_slug("hoi-lhpn")
    token = csrf(client, "/admin/organizations")
    response = client.post(f"/admin/organizations/{lhpn.id}/archive",
                           data={"csrf_token": token}, follow_redirects=True)
    assert "Hãy lưu trữ các chi hội" in response.get_data(as_text=True)
    assert not org_by_slug("hoi-lhpn").is_archived


def test_admin_adds_renames_and_archives_a_category(client, admin, make):
    data = {"csrf_token": csrf(client, "/admin/categories/new"), "name": "Gương người tốt",
            "slug": ""}
    assert client.post("/admin/categories/new", data=data).status_code == 303
    make.post("Bà Lan giúp hàng xóm", cat="guong-nguoi-tot")
    assert "Bà Lan giúp hàng xóm" in client.get("/category/guong-nguoi-tot").get_data(True)
    category = make.category("guong-nguoi-tot")
    path = f"/admin/categories/{category.id}/edit"
    data = {"csrf_token": csrf(client, path), "name": "Người tốt việc tốt",
            "slug": "nguoi-tot-viec-tot", "position": "1"}
    assert client.post(path, data=data).status_code == 303
    moved = client.get("/category/guong-nguoi-tot")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/category/nguoi-tot-viec-tot")
    assert 'value="nguoi-tot-viec-tot"' in client.get("/posts/new").get_data(as_text=True)
    client.post(f"/admin/categories/{category.id}/archive",
                data={"csrf_token": csrf(client, "/admin/categories")})
    assert 'value="nguoi-tot-viec-tot"' not in client.get("/posts/new").get_data(as_text=True)
    assert "Bà Lan giúp hàng xóm" in client.get("/category/nguoi-tot-viec-tot").get_data(True)
    post = db.session.scalar(db.select(Post).where(Post.title == "Bà Lan giúp hàng xóm"))
    edit_page = client.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert '<option selected value="nguoi-tot-viec-tot"' in edit_page


def save_site(client, **fields):
    """Post the site settings form."""
    data = {"csrf_token": csrf(client, "/admin/site"), "committee_name": "Ủy ban MTTQ Việt Nam",
            "locality_name": "thị trấn Đông Anh",
            "footer_text": "Số 5 đường Cao Lỗ, thị trấn Đông Anh\nĐiện thoại: 024 3883 1234",
            **fields}
    return client.post("/admin/site", data=data, content_type="multipart/form-data")


def test_site_names_show_in_header_title_footer_print_and_feed(client, admin, make):
    assert save_site(client).status_code == 303
    post = make.post("Hội nghị tổng kết năm")
    html = client.get("/").get_data(as_text=True)
    assert "<strong>Ủy ban MTTQ Việt Nam</strong>" in html
    assert "<small>thị trấn Đông Anh</small>" in html
    assert "– Ủy ban MTTQ Việt Nam thị trấn Đông Anh</title>" in html
    assert "Điện thoại: 024 3883 1234" in html
    printed = client.get(f"/posts/{post.id}/print").get_data(as_text=True)
    assert "Ủy ban MTTQ Việt Nam thị trấn Đông Anh" in printed
    feed = client.get("/feed.atom").get_data(as_text=True)
    assert "<title>Ủy ban MTTQ Việt Nam thị trấn Đông Anh</title>" in feed


def test_site_settings_are_cached_and_refreshed_when_saved(client, admin, app):
    save_site(client)
    with app.test_request_context():
        assert site.identity().locality_name == "thị trấn Đông Anh"
    with db.engine.begin() as connection:  # behind the app's back: nothing bumps the version
        connection.execute(db.update(SiteSettings).values(locality_name="xã Kim Chung"))
    assert "thị trấn Đông Anh" in client.get("/").get_data(as_text=True)
    save_site(client, locality_name="xã Vân Nội")
    assert "xã Vân Nội" in client.get("/").get_data(as_text=True)


def test_logo_is_checked_by_content_and_re_encoded_without_metadata(client, admin, app):
    photo = jpeg(1200, 800, exif=gps_exif())
    response = save_site(client, logo=(io.BytesIO(photo), "logo.jpg"))
    assert response.status_code == 303
    key = site.load().logo_key
    html = client.get("/").get_data(as_text=True)
    assert f"/site/logo/{key}.png" in html
    served = client.get(f"/site/logo/{key}.png")
    assert served.status_code == 200
    image = Image.open(io.BytesIO(served.data))
    served.close()
    assert image.format == "PNG"
    assert max(image.size) <= site.LOGO_SIZE
    assert not image.getexif()
    refused = save_site(client, logo=(io.BytesIO(b"<svg onload=alert(1)>"), "logo.png"))
    assert refused.status_code == 422
    assert "không phải ảnh" in refused.get_data(as_text=True)
    assert site.load().logo_key == key
    assert save_site(client, remove_logo="y").status_code == 303
    assert client.get(f"/site/logo/{key}.png").status_code == 404
    assert not site_logo_files(app)


def site_logo_files(app):
    """Return the logo files kept on disk."""
    with app.test_request_context():
        return list((site.logo_path("x").parent).glob("*"))


def test_editor_cannot_open_the_site_pages(client, make, auth):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    for path in ("/admin/site", "/admin/organizations", "/admin/organizations/new",
                 "/admin/categories", "/admin/backups"):
        assert client.get(path).status_code == 403, path


def test_post_form_still_saves_to_a_new_branch(client, make, auth):
    make.user("quantri", role="admin")
    auth.login("quantri")
    new_org(client)
    response = client.post("/posts/new", data=post_form(client, organization="chpn-thon-dong"))
    assert response.status_code in (302, 303)
