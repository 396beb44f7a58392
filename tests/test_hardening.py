"""Small guards found while reviewing: NUL bytes, the first admin's password, caching."""

import logging

import pytest

from bulletin.extensions import db
from bulletin.models import Attachment, User
from bulletin.uploads import store_attachment


@pytest.mark.parametrize("url", ["/org/%00", "/category/a%00", "/posts/1/a%00b"])
def test_nul_characters_in_paths_are_404_not_500(client, url):
    assert client.get(url).status_code == 404


def test_nul_in_a_recipient_name_is_not_an_error(client, make, auth):
    make.user("thuky", role="secretary")
    auth.login("thuky")
    assert client.get("/awards/recipient?type=individual&name=a%00b").status_code == 200


def test_weak_first_admin_password_is_refused_with_a_log_line(make_app, caplog):
    with caplog.at_level(logging.ERROR):
        app = make_app(BULLETIN_ADMIN_PASSWORD="admin")
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.username == "admin")) is None
    assert "BULLETIN_ADMIN_PASSWORD refused" in caplog.text


def test_strong_first_admin_password_creates_the_admin(make_app):
    app = make_app(BULLETIN_ADMIN_PASSWORD="Mặt trận đoàn kết 2026!")
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        assert admin is not None and admin.role == "admin"


def test_attachment_of_a_draft_is_never_cached_publicly(client, make, auth):
    post = make.post(status="draft", organization="hoi-lhpn")
    stored = store_attachment(b"%PDF-1.4 test")
    item = Attachment(post=post, original_name="Bản nháp.pdf", stored_name=stored.stored_name,
                      mime_type=stored.mime_type, size_bytes=stored.size_bytes)
    db.session.add(item)
    db.session.commit()
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    with client.get(f"/attachments/{item.id}") as response:
        assert response.status_code == 200
        assert "public" not in response.headers["Cache-Control"]


def test_proxy_setting_uses_the_forwarded_address(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    seen = {}

    @app.get("/_address")
    def address():
        from flask import request

        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get("/_address", headers={"X-Forwarded-For": "10.1.2.3"})
    assert seen["addr"] == "10.1.2.3"


def test_fields_without_errors_have_no_aria_invalid(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'aria-invalid="None"' not in html
