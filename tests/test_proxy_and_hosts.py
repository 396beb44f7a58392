"""Behind a reverse proxy: Secure cookies over HTTPS, and absolute URLs from BASE_URL."""

import pytest

from bulletin.config import from_environment

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def login_cookies(app, make, headers) -> dict[str, str]:
    """Log in with "remember me" and return the login's Set-Cookie headers by cookie name."""
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    response = app.test_client().post("/login", headers=headers, data={
        "username": "bientap", "password": "correct-horse-battery", "remember": "y"})
    assert response.status_code == 302
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def is_secure(set_cookie: str) -> bool:
    """Return True when a Set-Cookie header carries the Secure attribute."""
    return "secure" in [part.strip().lower() for part in set_cookie.split(";")[1:]]


def test_login_cookies_are_secure_behind_a_trusted_https_proxy(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1)
    with app.app_context():
        cookies = login_cookies(app, make, HTTPS)
    assert is_secure(cookies["session"]) and is_secure(cookies["remember_token"])


def test_login_cookies_are_not_secure_over_plain_http(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1)
    with app.app_context():
        cookies = login_cookies(app, make, {})
    assert not is_secure(cookies["session"]) and not is_secure(cookies["remember_token"])


def test_a_forwarded_proto_from_an_untrusted_client_is_ignored(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=0)
    with app.app_context():
        cookies = login_cookies(app, make, HTTPS)
    assert not is_secure(cookies["session"])


def test_secure_cookies_setting_marks_every_cookie_secure_even_over_http(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=False, SECURE_COOKIES=True)
    with app.app_context():
        cookies = login_cookies(app, make, {})
    assert cookies and all(is_secure(header) for header in cookies.values())


def test_proxy_settings_come_from_the_environment():
    found = from_environment({"SECURE_COOKIES": "1", "BASE_URL": "https://bangtin.xa.vn",
                              "TRUSTED_HOSTS": "bangtin.xa.vn, 10.0.0.5"})
    assert found == {"SECURE_COOKIES": True, "BASE_URL": "https://bangtin.xa.vn",
                     "TRUSTED_HOSTS": ["bangtin.xa.vn", "10.0.0.5"]}


@pytest.mark.parametrize("path", ["/feed.atom", "/org/hoi-lhpn/feed.atom"])
def test_feed_ids_and_links_come_from_base_url_never_the_host_header(make_app, make, path):
    app = make_app(SERVER_NAME=None, BASE_URL="https://bangtin.xa.vn")
    with app.app_context():
        post_id = make.post("Hội nghị", organization="hoi-lhpn").id
        response = app.test_client().get(path, headers={"Host": "evil.example"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "evil.example" not in body
    assert f"<id>https://bangtin.xa.vn{path}</id>" in body
    assert f"https://bangtin.xa.vn/posts/{post_id}/" in body


def test_feed_ids_ignore_the_query_string(make_app, make):
    app = make_app(SERVER_NAME=None, BASE_URL="https://bangtin.xa.vn")
    with app.app_context():
        body = app.test_client().get("/feed.atom?x=y").get_data(as_text=True)
    assert "<id>https://bangtin.xa.vn/feed.atom</id>" in body


def test_an_untrusted_host_is_refused_when_trusted_hosts_is_set(make_app):
    app = make_app(SERVER_NAME=None, TRUSTED_HOSTS=["bangtin.xa.vn"])
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "bangtin.xa.vn"}).status_code == 200
