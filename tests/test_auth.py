"""Login, logout, sessions, "remember me" and login throttling."""

import re
import time
import unicodedata
from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from bulletin.auth import throttle
from bulletin.extensions import db
from bulletin.models import LoginAttempt, User, utcnow

PASSWORD = "correct-horse-battery"
BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


def csrf_token(client, path="/login") -> str:
    """Return the CSRF token of a page's form."""
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def post_login(client, username, password, address="127.0.0.1", token=None, **extra):
    """Post the login form from `address`."""
    data = {"username": username, "password": password,
            "csrf_token": token or csrf_token(client), **extra}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def is_logged_in(client) -> bool:
    """Return True when the client's cookies open a staff page."""
    return client.get("/account").status_code == 200


def cookie_value(client, name: str) -> str | None:
    """Return a cookie the client holds."""
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def client_with_cookies(app, **cookies):
    """A new browser holding only the given cookies (a copy, or one after a restart)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value, domain="localhost")
    return other


def set_cookie_headers(response, name: str) -> list[str]:
    """Return the Set-Cookie headers of a response for one cookie."""
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


@pytest.fixture
def editor(make):
    """An editor of the Women's Union."""
    return make.user("bientap", "editor", orgs=["hoi-lhpn"], full_name="Hoàng Thị Anh")


# --- logging in ---------------------------------------------------------------------------

def test_login_form_has_the_contract_fields(client):
    html = client.get("/login").get_data(as_text=True)
    for name in ("username", "password", "remember", "csrf_token"):
        assert f'name="{name}"' in html
    assert 'type="password"' in html


def test_fresh_install_has_no_accounts_and_admin_admin_fails(client):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert post_login(client, "admin", "admin").status_code == 422


def test_staff_member_logs_in_and_sees_their_name_and_logout(client, editor):
    response = post_login(client, "bientap", PASSWORD)
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert "Hoàng Thị Anh" in html
    assert 'action="/logout"' in html


def test_username_ignores_case_but_password_does_not(client, editor):
    assert post_login(client, "BienTap", PASSWORD).status_code == 302
    assert is_logged_in(client)
    assert "Hoàng Thị Anh" in client.get("/account").get_data(as_text=True)
    other = client.application.test_client()
    response = post_login(other, "bientap", PASSWORD.upper())
    assert response.status_code == 422
    assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert not is_logged_in(other)


def test_unknown_user_and_wrong_password_get_the_same_answer(client, editor):
    wrong_password = post_login(client, "bientap", "not-the-password")
    unknown_user = post_login(client, "khongcoai", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 422

    def normalised(response, username):
        html = response.get_data(as_text=True).replace(username, "USERNAME")
        return re.sub(r'value="[^"]{40,}"', 'value="TOKEN"', html)

    assert BAD_CREDENTIALS in wrong_password.get_data(as_text=True)
    assert normalised(wrong_password, "bientap") == normalised(unknown_user, "khongcoai")


def test_disabled_account_cannot_log_in_even_with_the_right_password(client, make):
    make.user("nghi", "editor", is_enabled=False)
    response = post_login(client, "nghi", PASSWORD)
    assert response.status_code == 422
    assert "Tài khoản đã bị khóa" in response.get_data(as_text=True)  # the right password only
    assert not is_logged_in(client)
    wrong = post_login(client, "nghi", "wrong password!")
    assert BAD_CREDENTIALS in wrong.get_data(as_text=True)
    assert "Tài khoản đã bị khóa" not in wrong.get_data(as_text=True)


ODD_INPUT = [
    pytest.param("", PASSWORD, id="empty-username"),
    pytest.param("bientap", "", id="empty-password"),
    pytest.param("   ", "   ", id="blank"),
    pytest.param("x" * 10_000, PASSWORD, id="very-long-username"),
    pytest.param("bientap", "x" * 10_000, id="very-long-password"),
    pytest.param("bien\x00tap", PASSWORD, id="nul-in-username"),
    pytest.param("bientap", "pass\x00word", id="nul-in-password"),
    pytest.param("bientap\r\nadmin", PASSWORD, id="newline"),
    pytest.param("Đoàn Thanh Niên", PASSWORD, id="vietnamese-username"),
    pytest.param(unicodedata.normalize("NFD", "Hội Phụ nữ"), "mật khẩu", id="nfd"),
    pytest.param("\u202eadmin\u200b", "🔑🔑🔑🔑🔑🔑🔑🔑", id="bidi-zero-width-emoji"),
    pytest.param("' OR 1=1 --", "' OR '1'='1", id="sql"),
    pytest.param("%s%n{0}", "{{7*7}}", id="format-strings"),
]


@pytest.mark.parametrize(("username", "password"), ODD_INPUT)
def test_odd_input_gets_a_clear_message_never_a_500(client, editor, username, password):
    response = post_login(client, username, password)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error"' in html
    assert not is_logged_in(client)


@pytest.mark.parametrize(("set_as", "typed_as"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_password_typed_in_either_unicode_form_matches(client, make, set_as, typed_as):
    password = "Mật khẩu của đồng chí Bình"
    make.user("binh", "editor", password=unicodedata.normalize(set_as, password))
    response = post_login(client, "binh", unicodedata.normalize(typed_as, password))
    assert response.status_code == 302
    assert is_logged_in(client)


# --- where the login leads ------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    " //evil.example",
    "/\t/evil.example",
])
def test_foreign_next_is_ignored(client, editor, target):
    response = post_login(client, "bientap", PASSWORD, next=target)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert location.path == "/posts/manage"  # an editor lands on their desk


def test_local_next_is_followed(client, editor):
    response = post_login(client, "bientap", PASSWORD, next="/account?tab=1")
    assert response.headers["Location"] == "/account?tab=1"


def test_login_page_keeps_next_from_the_query_string(client):
    html = client.get("/login?next=/account").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/account"' in html


# --- sessions --------------------------------------------------------------------------------

def test_session_is_renewed_at_login(app, client, editor):
    token = csrf_token(client)
    with client.session_transaction() as session:
        session["planted"] = "by whoever set this browser up"
    before = cookie_value(client, "session")
    post_login(client, "bientap", PASSWORD, token=token)
    after = cookie_value(client, "session")
    assert before and after and before != after
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing of the anonymous session carries over
    # The anonymous session cookie from before the login does not become logged in.
    assert not is_logged_in(client_with_cookies(app, session=before))


def test_login_cookies_are_httponly_and_samesite_lax(client, editor):
    response = post_login(client, "bientap", PASSWORD, remember="y")
    for name in ("session", "remember_token"):
        headers = set_cookie_headers(response, name)
        assert headers, f"no {name} cookie set"
        assert all("HttpOnly" in h and "SameSite=Lax" in h for h in headers), headers


def test_session_cookie_without_remember_dies_with_the_browser(app, client, editor):
    response = post_login(client, "bientap", PASSWORD)
    assert not set_cookie_headers(response, "remember_token")
    assert all("Expires" not in h for h in set_cookie_headers(response, "session"))
    restarted = client_with_cookies(app)  # a browser restart drops session cookies
    assert not is_logged_in(restarted)


def test_remember_me_keeps_the_login_across_a_browser_restart(app, client, editor):
    response = post_login(client, "bientap", PASSWORD, remember="y")
    (header,) = set_cookie_headers(response, "remember_token")
    assert "Expires=" in header  # a persistent cookie
    restarted = client_with_cookies(app, remember_token=cookie_value(client, "remember_token"))
    assert is_logged_in(restarted)


def test_copied_cookie_no_longer_works_after_logout(app, client, auth, editor):
    post_login(client, "bientap", PASSWORD)
    copied = cookie_value(client, "session")
    assert is_logged_in(client_with_cookies(app, session=copied))
    auth.logout()
    assert not is_logged_in(client)
    assert not is_logged_in(client_with_cookies(app, session=copied))


def test_copied_remember_cookie_no_longer_works_after_logout(app, client, auth, editor):
    post_login(client, "bientap", PASSWORD, remember="y")
    copied = cookie_value(client, "remember_token")
    auth.logout()
    assert not is_logged_in(client_with_cookies(app, remember_token=copied))


def test_logout_deletes_the_remember_cookie(client, auth, editor):
    post_login(client, "bientap", PASSWORD, remember="y")
    response = auth.logout()
    assert response.status_code == 303
    (header,) = set_cookie_headers(response, "remember_token")
    assert "Expires=Thu, 01 Jan 1970" in header
    assert client.get_cookie("remember_token") is None


def test_logout_ends_the_accounts_sessions_on_other_browsers_too(app, client, auth, editor):
    post_login(client, "bientap", PASSWORD)
    other = app.test_client()
    post_login(other, "bientap", PASSWORD)
    auth.logout()
    assert not is_logged_in(other)


def test_logout_is_a_post(client, editor):
    post_login(client, "bientap", PASSWORD)
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_disabled_account_loses_its_live_session(client, editor):
    post_login(client, "bientap", PASSWORD)
    editor.is_enabled = False
    db.session.commit()
    assert not is_logged_in(client)


# --- throttling ------------------------------------------------------------------------------

def fail(client, username, address, times=1, token=None):
    """Post `times` wrong passwords for `username` from `address`; return the last answer."""
    token = token or csrf_token(client)
    for _ in range(times):
        response = post_login(client, username, "wrong password!", address=address, token=token)
    return response


def shift_attempts(delta: timedelta) -> None:
    """Move every recorded attempt back in time by `delta`."""
    for attempt in db.session.scalars(db.select(LoginAttempt)):
        attempt.created_at -= delta
    db.session.commit()


def test_throttle_blocks_even_the_right_password(client, editor):
    token = csrf_token(client)
    for _ in range(10):  # one account from one address
        assert fail(client, "bientap", "10.0.0.1", token=token).status_code == 422
    response = post_login(client, "bientap", PASSWORD, address="10.0.0.1", token=token)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "thử lại sau 15 phút" in html
    assert 'name="username"' in html and 'value="bientap"' in html  # the form, input kept
    assert int(response.headers["Retry-After"]) > 14 * 60
    assert not is_logged_in(client)


def test_nine_failures_do_not_block(client, editor):
    fail(client, "bientap", "10.0.0.1", times=9)
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 302


def test_throttle_counts_the_account_whatever_the_case(client, editor):
    token = csrf_token(client)
    for name in ["BIENTAP", "bientap", " BienTap "] * 4:
        fail(client, name, "10.0.0.1", token=token)
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 429


def test_throttle_blocks_one_address_for_every_account(client, editor, make):
    token = csrf_token(client)
    for number in range(30):  # spraying: many accounts from one address
        fail(client, f"doan{number % 10}", "192.168.1.50", token=token)
    blocked = post_login(client, "bientap", PASSWORD, address="192.168.1.50", token=token)
    assert blocked.status_code == 429
    elsewhere = post_login(client, "bientap", PASSWORD, address="192.168.1.51", token=token)
    assert elsewhere.status_code == 302


def test_throttle_blocks_odd_input_too(client, editor):
    fail(client, "bientap", "10.0.0.1", times=10)
    response = post_login(client, "bientap", "", address="10.0.0.1")
    assert response.status_code == 429


def test_throttle_lifts_after_fifteen_minutes(client, editor):
    fail(client, "bientap", "10.0.0.1", times=10)
    shift_attempts(timedelta(minutes=14))
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 429
    shift_attempts(timedelta(minutes=1, seconds=1))
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 302


def test_refused_attempts_do_not_stretch_the_lock(client, editor):
    fail(client, "bientap", "10.0.0.1", times=10)
    shift_attempts(timedelta(minutes=10))
    assert fail(client, "bientap", "10.0.0.1", times=5).status_code == 429
    shift_attempts(timedelta(minutes=5, seconds=1))
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_block(client, editor):
    now = utcnow()
    db.session.add_all(
        LoginAttempt(created_at=now - timedelta(minutes=2 * n), username_key="bientap",
                     ip_address=f"10.0.0.{n}", succeeded=False)
        for n in range(10)  # ten failures over eighteen minutes
    )
    db.session.commit()
    assert post_login(client, "bientap", PASSWORD, address="10.1.1.1").status_code == 302


def test_throttle_is_shared_by_every_worker_process(app, make_app, editor):
    # Two app instances stand for two worker processes: only the database is shared.
    one, two = app.test_client(), make_app().test_client()
    fail(one, "bientap", "10.0.0.1", times=10)
    assert post_login(two, "bientap", PASSWORD, address="10.0.0.1").status_code == 429


def test_old_attempts_are_pruned(app):
    now = utcnow()
    db.session.add_all([
        LoginAttempt(created_at=now - age, username_key=key, ip_address="10.0.0.1")
        for key, age in (("cu", timedelta(days=2)), ("moi", timedelta(hours=1)))
    ])
    db.session.commit()
    assert throttle.prune(now) == 1
    db.session.commit()
    assert db.session.scalars(db.select(LoginAttempt.username_key)).all() == ["moi"]


def test_a_login_now_and_then_prunes_old_attempts(client, editor, monkeypatch):
    monkeypatch.setattr(throttle, "PRUNE_ONE_IN", 1)
    db.session.add(LoginAttempt(created_at=utcnow() - timedelta(days=3),
                                username_key="cu", ip_address="10.0.0.1"))
    db.session.commit()
    fail(client, "bientap", "10.0.0.2")
    db.session.expire_all()
    keys = db.session.scalars(db.select(LoginAttempt.username_key)).all()
    assert keys == ["bientap"]


# --- timeouts --------------------------------------------------------------------------------

def age_session(client, **seconds_ago) -> None:
    """Move the session's login and last-seen times back (`login_at=…`, `seen_at=…`)."""
    now = int(time.time())
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[f"_{key}"] = now - ago


def test_a_session_idle_for_over_two_hours_ends(client, editor):
    post_login(client, "bientap", PASSWORD)
    assert is_logged_in(client)
    age_session(client, seen_at=2 * 3600 - 120)
    assert is_logged_in(client)  # still within the limit, and the visit counts as activity
    with client.session_transaction() as session:
        assert session["_seen_at"] >= time.time() - 5
    age_session(client, seen_at=2 * 3600 + 60)
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Phiên đăng nhập đã hết hạn" in client.get("/login").get_data(as_text=True)


def test_a_busy_session_still_ends_after_twelve_hours(client, editor):
    post_login(client, "bientap", PASSWORD)
    age_session(client, login_at=12 * 3600 - 60, seen_at=30)
    assert is_logged_in(client)
    age_session(client, login_at=12 * 3600 + 60, seen_at=30)
    assert not is_logged_in(client)


def test_remember_me_logs_the_browser_back_in_after_a_timeout(client, editor):
    post_login(client, "bientap", PASSWORD, remember="y")
    age_session(client, seen_at=3 * 3600)
    assert is_logged_in(client)


def test_remember_me_lasts_thirty_days(client, editor):
    response = post_login(client, "bientap", PASSWORD, remember="y")
    (header,) = set_cookie_headers(response, "remember_token")
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", header).group(1))
    assert timedelta(days=29) < expires - utcnow() <= timedelta(days=30)


def test_login_without_next_takes_each_role_where_its_work_is(client, make):
    make.user("thuky", role="secretary")
    make.user("docgia", role="editor")  # an editor of no organization has no desk
    assert post_login(client, "thuky", PASSWORD).headers["Location"] == "/awards/"
    fresh = client.application.test_client()
    assert post_login(fresh, "docgia", PASSWORD).headers["Location"] == "/"
