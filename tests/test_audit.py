"""The audit log: what is recorded, by whom, from where, and the admin page that lists it."""

import logging
import re
from datetime import datetime, timedelta

import pytest
from flask_login import login_user

from bulletin import audit
from bulletin.admin import audit_log
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import AuditEntry, User

PASSWORD = "correct-horse-battery"
GOOD_NEW_PASSWORD = "Hoa sen nở giữa đầm 2026"


def entries(action: str | None = None) -> list[AuditEntry]:
    """Return the audit entries, oldest first (optionally of one action)."""
    db.session.expire_all()
    stmt = db.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


def csrf(client, path="/account") -> str:
    """Return a CSRF token valid for the client's session."""
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


@pytest.fixture
def admin_client(app, make, auth):
    """A client logged in as the admin `quantri`."""
    make.user("quantri", "admin")
    auth.login("quantri")
    return auth.client


# --- the helper ----------------------------------------------------------------------------

def test_record_adds_an_entry_that_the_callers_commit_writes(app, make):
    user = make.user("bientap", "editor")
    audit.record("post.publish", "post", 42, "Hội nghị tổng kết", user=user)
    db.session.commit()
    (entry,) = entries()
    assert (entry.action, entry.target_type, entry.target_id) == ("post.publish", "post", 42)
    assert (entry.user_id, entry.username, entry.detail) == (user.id, "bientap",
                                                             "Hội nghị tổng kết")
    assert entry.created_at.tzinfo is not None


def test_record_does_not_commit_so_a_rollback_drops_it(app):
    audit.record("post.publish", "post", 1)
    db.session.rollback()
    assert entries() == []


def test_record_takes_the_logged_in_user_and_the_address_from_the_request(app, make):
    user = make.user("bientap", "editor")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        login_user(user)
        audit.record("post.archive", "post", 7)
        db.session.commit()
    (entry,) = entries()
    assert (entry.user_id, entry.username, entry.ip_address) == (user.id, "bientap", "10.1.2.3")


def test_record_escapes_control_characters_in_what_was_typed(app):
    audit.record("login.failure", "user", username="evil\r\nadmin\x00", detail="a\tb\x1b[31m")
    db.session.commit()
    (entry,) = entries()
    assert entry.username == "evil\\r\\nadmin\\x00"
    assert entry.detail == "a\\tb\\x1b[31m"


# --- what is recorded -------------------------------------------------------------------------

def test_logins_failures_and_logouts_are_recorded_with_address(app, client, auth, make):
    make.user("bientap", "editor")
    token = csrf(client, "/login")
    client.post("/login", data={"username": "BienTap\r\nX", "password": "sai",
                                "csrf_token": token}, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    client.post("/login", data={"username": "bientap", "password": PASSWORD,
                                "csrf_token": token}, environ_base={"REMOTE_ADDR": "10.0.0.8"})
    auth.logout()
    failure, success, logout = entries()
    assert (failure.action, failure.username, failure.user_id, failure.ip_address) == (
        "login.failure", "BienTap\\r\\nX", None, "10.0.0.7")
    user = db.session.scalar(db.select(User).where(User.username == "bientap"))
    assert (success.action, success.user_id, success.ip_address) == (
        "login.success", user.id, "10.0.0.8")
    assert (logout.action, logout.user_id) == ("logout", user.id)
    assert PASSWORD not in "".join(e.detail + e.username for e in entries())


def test_account_changes_are_recorded(app, admin_client, make):
    org = make.org("hoi-lhpn")
    admin_client.post("/admin/accounts/new", data={
        "csrf_token": csrf(admin_client), "username": "bientap", "full_name": "Lê Hoa",
        "role": "editor", "organizations": [org.id], "password": GOOD_NEW_PASSWORD})
    user = db.session.scalar(db.select(User).where(User.username == "bientap"))
    admin_client.post(f"/admin/accounts/{user.id}/edit", data={
        "csrf_token": csrf(admin_client), "full_name": "Lê Thị Hoa", "role": "secretary",
        "organizations": [org.id]})
    admin_client.post(f"/admin/accounts/{user.id}/disable", data={"csrf_token": csrf(admin_client)})
    admin_client.post(f"/admin/accounts/{user.id}/enable", data={"csrf_token": csrf(admin_client)})
    admin_client.post(f"/admin/accounts/{user.id}/password", data={
        "csrf_token": csrf(admin_client), "new_password": GOOD_NEW_PASSWORD + "!"})
    recorded = [e for e in entries() if e.action.startswith("account.")]
    assert [e.action for e in recorded] == [
        "account.create", "account.update", "account.disable", "account.enable",
        "account.password_reset"]
    assert all(e.username == "quantri" and e.target_id == user.id for e in recorded)
    assert "editor" in recorded[1].detail and "secretary" in recorded[1].detail
    assert GOOD_NEW_PASSWORD not in "".join(e.detail for e in entries())


def test_an_edit_that_changes_nothing_is_not_recorded(app, admin_client, make):
    user = make.user("bientap", "editor", full_name="Lê Hoa")
    admin_client.post(f"/admin/accounts/{user.id}/edit", data={
        "csrf_token": csrf(admin_client), "full_name": "Lê Hoa", "role": "editor"})
    assert entries("account.update") == []


def test_own_password_change_is_recorded(app, make, auth):
    make.user("bientap", "editor")
    auth.login("bientap")
    auth.client.post("/account/password", data={
        "csrf_token": csrf(auth.client), "current_password": PASSWORD,
        "new_password": GOOD_NEW_PASSWORD, "confirm": GOOD_NEW_PASSWORD})
    (entry,) = entries("account.password_change")
    assert entry.username == "bientap"


def test_command_line_changes_are_recorded_as_cli(app, runner):
    runner.invoke(args=["user", "create", "bientap", "--role", "editor",
                        "--password", GOOD_NEW_PASSWORD])
    runner.invoke(args=["user", "disable", "bientap"])
    runner.invoke(args=["user", "enable", "bientap"])
    runner.invoke(args=["user", "reset-password", "bientap", "--password", GOOD_NEW_PASSWORD])
    recorded = entries()
    assert [e.action for e in recorded] == [
        "account.create", "account.disable", "account.enable", "account.password_reset"]
    assert {e.username for e in recorded} == {audit.CLI_ACTOR}


# --- the audit page ---------------------------------------------------------------------------

def add_entry(action, username, when, detail=""):
    """Add an entry at a given time."""
    db.session.add(AuditEntry(action=action, username=username, created_at=when, detail=detail))
    db.session.commit()


def local(year, month, day, hour=12):
    """A time in Vietnam."""
    return datetime(year, month, day, hour, tzinfo=TIMEZONE)


def rows(html: str) -> list[str]:
    """Return the text of the audit table's body rows."""
    body = re.search(r"<tbody>(.*)</tbody>", html, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", row) for row in
            re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)] if body else []


def test_audit_page_lists_entries_newest_first_with_time_who_what_where(admin_client):
    add_entry("post.publish", "bientap", local(2026, 3, 1))
    add_entry("post.archive", "thuky", local(2026, 3, 2, 8))
    html = admin_client.get("/admin/audit").get_data(as_text=True)
    listed = rows(html)
    assert "thuky" in listed[0] and "Lưu trữ bài viết" in listed[0]
    assert "08:00:00 02/03/2026" in listed[0]
    assert "bientap" in listed[1]


@pytest.mark.parametrize(("query", "expected"), [
    ("action=post.publish", {"a-publish", "c-publish"}),
    ("username=BIEN", {"a-publish", "b-archive"}),
    ("date_from=02/03/2026", {"b-archive", "c-publish"}),
    ("date_to=01/03/2026", {"a-publish"}),
    ("date_from=02/03/2026&date_to=02/03/2026", {"b-archive"}),
    ("action=post.publish&username=thu", {"c-publish"}),
])
def test_audit_page_filters_by_action_person_and_dates(admin_client, query, expected):
    add_entry("post.publish", "bientap", local(2026, 3, 1, 23), "a-publish")  # 16:00 UTC
    add_entry("post.archive", "bientap2", local(2026, 3, 2, 0), "b-archive")  # 17:00 UTC the 1st
    add_entry("post.publish", "thuky", local(2026, 3, 3), "c-publish")
    html = admin_client.get(f"/admin/audit?{query}").get_data(as_text=True)
    shown = {d for d in ("a-publish", "b-archive", "c-publish") if d in html}
    assert shown == expected


def test_audit_filters_offer_the_recorded_actions(admin_client):
    add_entry("post.publish", "bientap", local(2026, 3, 1))
    html = admin_client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="post.publish">Đăng bài viết</option>' in html


@pytest.mark.parametrize("query", [
    "date_from=31/02/2026", "date_to=99/99/9999", "date_from=01/01/0001", "date_to=31/12/9999",
    "username=" + "x" * 200, "username=%00", "action=%00", "action=" + "x" * 500,
    "before=abc", "before=99999999999999999999", "before=-1",
])
def test_bad_filters_get_a_message_never_a_500(admin_client, query):
    response = admin_client.get(f"/admin/audit?{query}")
    assert response.status_code == 200


def test_bad_date_shows_a_vietnamese_message(admin_client):
    html = admin_client.get("/admin/audit?date_from=31/02/2026").get_data(as_text=True)
    assert "dd/mm/yyyy" in html and 'value="31/02/2026"' in html


def test_audit_page_goes_back_page_by_page(admin_client, monkeypatch):
    monkeypatch.setattr(audit_log, "AUDIT_PAGE_SIZE", 3)
    start = local(2026, 1, 1)
    for number in range(7):
        add_entry("post.edit", "bientap", start + timedelta(minutes=number), f"muc-{number}")
    seen, url = [], "/admin/audit?action=post.edit"
    while url:
        html = admin_client.get(url).get_data(as_text=True)
        seen += re.findall(r"muc-\d", html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = following.group(1).replace("&amp;", "&") if following else None
        if url:
            assert "action=post.edit" in url  # the filters are kept
    assert seen == [f"muc-{n}" for n in range(6, -1, -1)]


def test_typed_text_is_shown_escaped(admin_client):
    add_entry("login.failure", "<script>alert(1)</script>", local(2026, 3, 1),
              '"><img src=x onerror=alert(1)>')
    html = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_login_events_are_logged_with_user_and_address_but_never_the_password(
        app, client, auth, make, caplog):
    make.user("bientap", "editor")
    caplog.set_level(logging.INFO, logger="bulletin")
    token = csrf(client, "/login")
    for _ in range(11):
        client.post("/login", data={"username": "bientap\r\nFAKE", "password": "sai-mat-khau",
                                    "csrf_token": token},
                    environ_base={"REMOTE_ADDR": "10.0.0.7"})
    auth.login("bientap")
    auth.logout()
    lines = [record.getMessage() for record in caplog.records]
    # One line, whatever was typed; the reason after the address.
    failure = "failed login: user 'bientap fake' from 10.0.0.7 (unknown user)"
    assert failure in lines
    assert any(line.startswith("login refused") for line in lines)
    assert "login: user 'bientap' from 127.0.0.1" in lines
    assert "logout: user 'bientap' from 127.0.0.1" in lines
    assert not any("\n" in line or "\r" in line for line in lines)
    for secret in ("sai-mat-khau", PASSWORD, token):
        assert not any(secret in line for line in lines)


def test_audit_page_names_what_an_entry_was_about_in_words(admin_client, make):
    post = make.post(title="Bài được đăng")
    db.session.add_all([
        AuditEntry(action="post.publish", username="bientap", created_at=local(2026, 3, 1),
                   target_type="post", target_id=post.id),
        AuditEntry(action="award.void", username="thuky", created_at=local(2026, 3, 2),
                   target_type="award", target_id=7),
        AuditEntry(action="account.create", username="admin", created_at=local(2026, 3, 3),
                   target_type="user", target_id=3),
    ])
    db.session.commit()
    html = admin_client.get("/admin/audit").get_data(as_text=True)
    listed = rows(html)
    assert "Tài khoản số 3" in listed[0] and "Khen thưởng số 7" in listed[1]
    assert f"Bài viết số {post.id}" in listed[2]
    assert f'<a href="/posts/{post.id}">Bài viết số {post.id}</a>' in html
    assert "user #3" not in html and ">award" not in html


def test_every_action_the_code_records_has_a_name_and_a_target_word():
    """The audit page names what happened in words: no action or target shows as its code."""
    from pathlib import Path

    source = Path(audit.__file__).parent
    recorded = re.compile(r'record\(\s*"([a-z_0-9]+\.[a-z_0-9.]+|logout)",\s*"([a-z_]+)"')
    chosen = re.compile(r'action = "([a-z_.]+)" if \w+ else "([a-z_.]+)"')
    actions, targets = set(), set()
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for action, target in recorded.findall(text):
            actions.add(action)
            targets.add(target)
        for pair in chosen.findall(text):
            actions.update(pair)
    assert len(actions) > 40, actions  # the scan still finds the calls
    assert actions - set(audit.ACTION_LABELS) == set()
    assert targets - set(audit.TARGET_LABELS) == set()


def test_every_target_page_the_audit_log_links_to_exists(app):
    """A misspelt endpoint would only drop the link silently (target_page catches it)."""
    with app.test_request_context("/"):
        for target_type, pages in audit.TARGET_PAGES.items():
            for endpoint, _argument in pages:
                assert endpoint in app.view_functions, (target_type, endpoint)
            assert audit.target_page(target_type, 7) is not None, target_type
