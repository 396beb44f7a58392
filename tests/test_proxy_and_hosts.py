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


def test_a_forged_host_never_reaches_another_readers_cached_feed(make_app, make):
    # The review: a few `Host: evil.example` requests filled the page cache, then a plain
    # request got <id>http://evil.example/feed.atom</id>. No BASE_URL here (the default).
    app = make_app(SERVER_NAME=None, PAGE_CACHE_SECONDS=60)
    with app.app_context():
        make.post("Hội nghị", organization="hoi-lhpn")
    client = app.test_client()
    for _ in range(3):
        forged = client.get("/feed.atom", headers={"Host": "evil.example"})
        assert forged.status_code == 200
    plain = client.get("/feed.atom", headers={"Host": "bangtin.xa.vn"})
    body = plain.get_data(as_text=True)
    assert "evil.example" not in body
    assert "<id>http://bangtin.xa.vn/feed.atom</id>" in body


def test_a_clients_own_forwarded_host_is_ignored_behind_a_proxy(make_app, make):
    # The README's nginx sets X-Forwarded-For and -Proto: a client's X-Forwarded-Host passes.
    app = make_app(SERVER_NAME=None, TRUSTED_PROXIES=1)
    with app.app_context():
        make.post("Hội nghị", organization="hoi-lhpn")
    client = app.test_client()
    headers = {"Host": "bangtin.xa.vn", "X-Forwarded-For": "203.0.113.7",
               "X-Forwarded-Host": "evil.example"}
    body = client.get("/feed.atom", headers=headers).get_data(as_text=True)
    assert "evil.example" not in body
    assert "<id>http://bangtin.xa.vn/feed.atom</id>" in body


def test_forwarded_host_is_taken_when_the_setting_says_the_proxy_sets_it(make_app):
    app = make_app(SERVER_NAME=None, TRUSTED_PROXIES=1, TRUST_FORWARDED_HOST=True,
                   PAGE_CACHE_SECONDS=0)
    body = app.test_client().get("/feed.atom", headers={
        "Host": "app.internal:8000", "X-Forwarded-Host": "bangtin.xa.vn"}).get_data(as_text=True)
    assert "<id>http://bangtin.xa.vn/feed.atom</id>" in body


def test_trust_forwarded_host_comes_from_the_environment():
    assert from_environment({"TRUST_FORWARDED_HOST": "1"}) == {"TRUST_FORWARDED_HOST": True}


def test_serving_beyond_loopback_without_base_url_is_warned_once(make_app, caplog):
    app = make_app(SERVER_NAME=None)
    client = app.test_client()
    with caplog.at_level("WARNING", logger="bulletin.security"):
        client.get("/healthz")
        assert "BASE_URL" not in caplog.text  # this computer only: nothing to say
        client.get("/healthz", headers={"Host": "bangtin.xa.vn"})
        client.get("/healthz", headers={"Host": "bangtin.xa.vn"})
    warnings = [r for r in caplog.records if "without BASE_URL or TRUSTED_HOSTS" in r.message]
    assert len(warnings) == 1
    assert "Host bangtin.xa.vn" in warnings[0].getMessage()


def test_no_warning_when_base_url_is_set(make_app, caplog, monkeypatch):
    monkeypatch.setenv("HOST", "192.168.1.10")
    with caplog.at_level("WARNING", logger="bulletin.security"):
        app = make_app(SERVER_NAME=None, BASE_URL="https://bangtin.xa.vn")
        app.test_client().get("/healthz", headers={"Host": "bangtin.xa.vn"})
        assert "BASE_URL" not in caplog.text
        make_app(SERVER_NAME=None)
    assert "HOST=192.168.1.10" in caplog.text


def test_the_page_the_readme_gives_nginx_for_a_too_large_upload_is_served_and_self_contained(
        client):
    """nginx refuses an upload over client_max_body_size before the board sees it; the README
    points its error_page at this file, so the refusal is in Vietnamese (and English)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert readme.count("error_page 413 /static/errors/413.html") == 3
    # Each fetches the page from the board with the Host it answered for (TRUSTED_HOSTS).
    for block in readme.split("location = /static/errors/413.html")[1:]:
        assert "proxy_set_header Host $host;" in block.split("}")[0]
    with client.get("/static/errors/413.html") as page:
        assert page.status_code == 200 and page.mimetype == "text/html"
        text = page.get_data(as_text=True)
    assert "Tệp quá lớn" in text and "File too large" in text
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", text)  # nothing from another host
