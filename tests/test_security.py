"""Security headers, no caching of staff pages, CSRF, HTTP methods and private mode."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed

from bulletin.extensions import db
from bulletin.models import Attachment
from bulletin.uploads import store_attachment
from tests.test_route_matrix import make_world, rule_url

PASSWORD = "correct-horse-battery"
# Pages made for paper, without the site's header (nor its logout button).
# Pages made for paper: no menu, no logout form (the papers carry no staff controls).
PRINT_LAYOUTS = {"posts.print_view", "awards.decision_annex", "awards.yearly_book",
                 "awards.proposal_paper", "awards.meeting_minutes", "awards.decision_paper",
                 "awards.decision_payout", "awards.decision_certificates"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def csrf(client, path="/login") -> str:
    """Return a CSRF token valid for the client's session."""
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def get(client, url):
    """GET a URL and close the answer (file answers hold the file open until closed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def assert_security_headers(response):
    """The headers every answer carries."""
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'",
                      "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp, (directive, csp)
    assert "http:" not in csp and "https:" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    if response.mimetype == "text/html":
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def attachment(make, post) -> Attachment:
    """Attach a small PDF to a post."""
    stored = store_attachment(PDF)
    item = Attachment(post_id=post.id, original_name="Báo cáo.pdf", stored_name=stored.stored_name,
                      mime_type=stored.mime_type, size_bytes=stored.size_bytes)
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture
def failing_app(make_app):
    """An app with a route that raises, to see the 500 page."""
    application = make_app()

    def boom():
        """Fail like a bug would."""
        raise RuntimeError("secret detail /srv/bulletin/db.py SELECT * FROM users")

    application.add_url_rule("/boom", "boom", boom)
    return application


# --- headers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/feed.atom", "/stats/visits",
                                  "/static/css/site.css", "/khong-co-trang-nay"])
def test_every_answer_carries_the_security_headers(client, path):
    assert_security_headers(get(client, path))


def test_not_found_page_carries_the_headers(client):
    response = client.get("/posts/999999")
    assert response.status_code == 404
    assert_security_headers(response)


def test_server_error_page_carries_the_headers_and_hides_the_details(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert_security_headers(response)
    html = response.get_data(as_text=True)
    assert "Mã sự cố" in html
    for secret in ("secret detail", "/srv/bulletin", "SELECT", "Traceback"):
        assert secret not in html


def test_downloads_carry_the_headers(client, make):
    item = attachment(make, make.post())
    response = get(client, f"/attachments/{item.id}")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


# --- no caching of staff pages ------------------------------------------------------------

def test_pages_for_a_logged_in_user_are_not_stored(client, auth, make):
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    for path in ("/", "/account", "/account/password", "/khong-co-trang-nay"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path


def test_remember_cookie_alone_also_means_no_store(app, client, auth, make):
    make.user("bientap", "editor")
    auth.login("bientap", remember="y")
    restarted = app.test_client()
    restarted.set_cookie("remember_token", client.get_cookie("remember_token").value,
                         domain="localhost")
    assert restarted.get("/").headers["Cache-Control"] == "no-store"


def test_anonymous_pages_and_static_files_keep_their_caching(client, auth, make):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    make.user("bientap", "editor")
    auth.login("bientap")
    static = get(client, "/static/css/site.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_error_pages_for_a_logged_in_user_are_not_stored(client, auth, make):
    make.user("bientap", "editor")
    auth.login("bientap")
    response = client.get("/posts/999999")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


# --- CSRF and methods ---------------------------------------------------------------------

def test_login_without_a_csrf_token_is_refused(client, make):
    make.user("bientap", "editor")
    response = client.post("/login", data={"username": "bientap", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code != 200


def test_csrf_token_from_another_session_is_refused(app, client, make):
    make.user("bientap", "editor")
    foreign = csrf(app.test_client())
    response = client.post("/login", data={"username": "bientap", "password": PASSWORD,
                                           "csrf_token": foreign})
    assert response.status_code == 400
    assert client.get("/account").status_code != 200
    own = client.post("/login", data={"username": "bientap", "password": PASSWORD,
                                      "csrf_token": csrf(client)})
    assert own.status_code == 302  # the same form with this session's token logs in


@pytest.fixture
def admin_client(make, auth):
    """A client logged in as an admin."""
    make.user("quantri", "admin")
    auth.login("quantri")
    return auth.client


def staff_posts(target_id: int) -> list[tuple[str, dict]]:
    """State-changing staff forms, each with data that would otherwise succeed."""
    return [
        ("/logout", {}),
        (f"/admin/accounts/{target_id}/disable", {}),
        (f"/admin/accounts/{target_id}/enable", {}),
        (f"/admin/accounts/{target_id}/password", {"new_password": "Hoa sen nở giữa đầm"}),
        (f"/admin/accounts/{target_id}/edit", {"full_name": "X", "role": "admin"}),
        ("/admin/accounts/new", {"username": "moi", "role": "admin",
                                 "password": "Hoa sen nở giữa đầm"}),
        ("/account/password", {"current_password": PASSWORD,
                               "new_password": "Hoa sen nở giữa đầm",
                               "confirm": "Hoa sen nở giữa đầm"}),
    ]


def test_staff_forms_without_a_csrf_token_are_refused(admin_client, make):
    target = make.user("bientap", "editor")
    token_before = target.session_token
    for path, data in staff_posts(target.id):
        response = admin_client.post(path, data=data)
        assert response.status_code == 400, path
    db.session.refresh(target)
    assert (target.is_enabled, target.role, target.session_token) == (
        True, "editor", token_before)
    assert admin_client.get("/account").status_code == 200  # still logged in


@pytest.mark.parametrize("path", ["/logout", "/admin/accounts/1/disable",
                                  "/admin/accounts/1/enable", "/lang"])
def test_state_changes_refuse_get(admin_client, path):
    assert admin_client.get(path).status_code == 405


def admin_session(app, world):
    """A client holding the world's admin login."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = world.users["admin"].get_id()
    return client


def test_every_post_route_refuses_a_missing_csrf_token(app, make):
    world = make_world(make)
    client = admin_session(app, world)
    posted = 0
    for rule in app.url_map.iter_rules():
        # The language switch sets only the reader's own cookie: no token, so no session.
        if "POST" in rule.methods and rule.endpoint != "i18n.switch_language":
            response = client.post(rule_url(app, world, rule), buffered=True)
            assert response.status_code == 400, rule.endpoint
            posted += 1
    assert posted >= 10
    assert client.get("/account").status_code == 200  # the logout POST did nothing


def test_every_page_a_logged_in_user_sees_offers_logout(app, make):
    world = make_world(make)
    client = admin_session(app, world)
    pages = 0
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            response = client.get(rule_url(app, world, rule), buffered=True)
            if rule.endpoint in PRINT_LAYOUTS:
                continue
            if response.status_code == 200 and response.mimetype == "text/html":
                assert 'action="/logout"' in response.get_data(as_text=True), rule.endpoint
                pages += 1
    assert pages >= 20


def test_every_post_only_route_refuses_get(app, make):
    world = make_world(make)
    client = admin_session(app, world)
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            url = rule_url(app, world, rule)
            try:
                # /posts/<id>/archive also reads as /posts/<id>/<slug>: a page, not the action.
                endpoint, _ = adapter.match(urlsplit(url).path, method="GET")
            except MethodNotAllowed:
                assert client.get(url, buffered=True).status_code == 405, rule.endpoint
            else:
                assert endpoint != rule.endpoint
                client.get(url, buffered=True)
    db.session.expire_all()
    assert world.archive_post.status == "published" and world.target.is_enabled


def test_trace_is_refused(client):
    assert client.open("/", method="TRACE").status_code == 405


# --- private mode ----------------------------------------------------------------------------

@pytest.fixture
def private_app(make_app):
    """The board with READ_REQUIRES_LOGIN set."""
    application = make_app(READ_REQUIRES_LOGIN=True)
    with application.app_context():
        yield application


@pytest.fixture
def content(private_app, make):
    """A published post with a photo and an attachment."""
    post = make.post("Hội nghị tổng kết", organization="hoi-lhpn")
    photo = make.photo(post)
    item = attachment(make, post)
    return post, photo, item


def private_urls(post, photo, item) -> list[str]:
    """Every kind of reading URL."""
    return [
        "/", f"/posts/{post.id}", f"/posts/{post.id}/{post.slug}", f"/posts/{post.id}/print",
        "/org/hoi-lhpn", "/category/tin-hoat-dong", "/feed.atom", "/org/hoi-lhpn/feed.atom",
        "/category/tin-hoat-dong/feed.atom", f"/images/{photo.id}/thumb.jpg",
        f"/images/{photo.id}/large.jpg", f"/attachments/{item.id}",
        f"/attachments/{item.id}/Báo cáo.pdf", "/search?q=hoi+nghi", "/stats/visits",
        "/account", "/admin/accounts", "/admin/audit", "/posts/new", "/khong-co-trang-nay",
    ]


def test_private_mode_sends_anonymous_visitors_to_login(private_app, content):
    client = private_app.test_client()
    for url in private_urls(*content):
        response = get(client, url)
        assert response.status_code in (302, 401, 403), url
        if response.status_code == 302:
            location = urlsplit(response.headers["Location"])
            assert location.path == "/login", url
            assert parse_qs(location.query)["next"][0].startswith(urlsplit(url).path[:6]), url


def test_private_mode_keeps_the_requested_page_for_after_login(private_app, content, make):
    post = content[0]
    make.user("docgia", "reader")
    client = private_app.test_client()
    response = client.get(f"/posts/{post.id}/print")
    login_url = response.headers["Location"]
    assert parse_qs(urlsplit(login_url).query)["next"] == [f"/posts/{post.id}/print"]
    page = client.get(login_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "docgia", "password": PASSWORD,
                                           "csrf_token": token,
                                           "next": f"/posts/{post.id}/print"})
    assert response.headers["Location"] == f"/posts/{post.id}/print"


def test_private_mode_still_opens_login_health_and_static_files(private_app):
    client = private_app.test_client()
    for url in ("/login", "/healthz", "/static/css/site.css"):
        assert get(client, url).status_code == 200, url


def test_private_mode_lets_a_reader_account_read(private_app, content, make):
    make.user("docgia", "reader")
    client = private_app.test_client()
    token = csrf(client)
    assert client.post("/login", data={"username": "docgia", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    for url in private_urls(*content)[:-5]:
        expected = 301 if url == f"/posts/{content[0].id}" else 200  # to the canonical URL
        assert get(client, url).status_code == expected, url
    assert client.get("/admin/accounts").status_code == 403
    assert client.get("/posts/new").status_code == 403


def test_private_mode_photos_are_not_cached_publicly(private_app, content, make):
    make.user("docgia", "reader")
    client = private_app.test_client()
    token = csrf(client)
    client.post("/login", data={"username": "docgia", "password": PASSWORD, "csrf_token": token})
    photo = content[1]
    response = get(client, f"/images/{photo.id}/thumb.jpg")
    assert "public" not in response.headers["Cache-Control"]


def test_private_mode_logout_goes_to_the_login_page(private_app, make):
    make.user("docgia", "reader")
    client = private_app.test_client()
    token = csrf(client)
    client.post("/login", data={"username": "docgia", "password": PASSWORD, "csrf_token": token})
    response = client.post("/logout", data={"csrf_token": csrf(client, "/account")})
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert client.get("/").status_code == 302


# --- Issue 20: posts from another site (Fetch Metadata and Origin) -------------------------

EVIL = {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}


def switch_language(client, headers=None):
    """POST the language switch to English, as the footer's form does."""
    return client.post("/lang", data={"lang": "en", "next": "/"}, headers=headers or {})


def lang_cookie_set(response) -> bool:
    """True when the answer sets the language cookie."""
    return any(h.startswith("lang=") for h in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("headers", [
    EVIL,
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://localhost.evil.example"},
], ids=["both", "fetch-metadata", "origin", "opaque-origin", "look-alike"])
def test_the_language_switch_refuses_a_post_from_another_site(client, headers):
    response = switch_language(client, headers)
    assert response.status_code == 403
    assert not lang_cookie_set(response)
    assert "trang web khác" in response.get_data(as_text=True)


@pytest.mark.parametrize("headers", [
    {},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://tin.localhost"},
    {"Origin": "http://localhost"},
], ids=["header-less", "same-origin", "same-site", "own-origin"])
def test_the_language_switch_works_from_this_site_or_without_headers(client, headers):
    response = switch_language(client, headers)
    assert response.status_code == 303
    assert lang_cookie_set(response)


def test_an_origin_on_base_url_is_this_site(make_app):
    app = make_app(SERVER_NAME=None, BASE_URL="https://bangtin.xa.vn")
    response = app.test_client().post("/lang", data={"lang": "en"}, headers={
        "Host": "app.internal:8000", "Origin": "https://bangtin.xa.vn"})
    assert response.status_code == 303


def test_every_post_is_refused_from_another_site_even_with_a_valid_token(client, make):
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    data = {"username": "bientap", "password": "correct-horse-battery",
            "csrf_token": csrf(client)}
    refused = client.post("/login", data=data, headers=EVIL)
    assert refused.status_code == 403
    assert client.get("/account").status_code != 200
    assert client.post("/login", data=data).status_code == 302  # the same form, this site
