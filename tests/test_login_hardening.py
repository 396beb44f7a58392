"""Login under attack: simultaneous guesses against a real server, and equal-cost answers."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from argon2 import PasswordHasher

from bulletin.auth import passwords
from bulletin.extensions import db
from bulletin.models import LoginAttempt
from tests import factories
from tests.servers import serving
from tests.test_auth import PASSWORD, csrf_token, fail, post_login

GUESSES = 30


def post_status(url: str, fields: dict) -> int:
    """POST a form and return the status code."""
    body = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(url, data=body, timeout=60) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def guess_all_at_once(url: str, username: str, count: int) -> Counter:
    """Send `count` wrong passwords for `username` at the same moment; count the answers."""
    start = threading.Barrier(count)
    answers = Counter()

    def guess(number: int) -> None:
        start.wait()
        answers[post_status(url, {"username": username, "password": f"sai-{number}"})] += 1

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def served_app(make_app):
    """An app with CSRF off (a script, not a browser) and a password hash that takes time."""
    application = make_app(WTF_CSRF_ENABLED=False, ARGON2_COST=(2, 8192, 1))
    with application.app_context():
        factories.user("bientap", "editor", orgs=["hoi-lhpn"])
        db.session.remove()
    return application


def test_thirty_simultaneous_wrong_passwords_check_at_most_ten(served_app):
    with serving(served_app) as base:
        answers = guess_all_at_once(f"{base}/login", "bientap", GUESSES)
    assert sum(answers.values()) == GUESSES
    assert set(answers) <= {422, 429}, answers  # a wrong password, or refused: never a 5xx
    assert answers[422] <= 10, answers
    assert answers[429] >= GUESSES - 10, answers
    with served_app.app_context():
        failures = db.session.scalar(db.select(db.func.count()).select_from(LoginAttempt)
                                     .where(LoginAttempt.succeeded.is_(False)))
    assert failures == answers[422]  # refused attempts are not counted


def test_an_attempt_is_counted_before_its_password_is_checked(client, auth, make, monkeypatch):
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    seen = []

    def spy(stored_hash, password):
        seen.append(db.session.scalar(db.select(db.func.count()).select_from(LoginAttempt)))
        return False

    monkeypatch.setattr("bulletin.auth.views.check_password", spy)
    response = client.post("/login", data={"username": "bientap", "password": "x" * 8,
                                           "csrf_token": auth.csrf_token()})
    assert response.status_code == 422
    assert seen == [1]


def test_unknown_usernames_are_verified_against_one_dummy_hash_made_at_start(
        client, auth, make, monkeypatch):
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    dummy = passwords.dummy_hash()
    verified, hashed = [], []
    real_verify, real_hash = PasswordHasher.verify, PasswordHasher.hash
    monkeypatch.setattr(PasswordHasher, "verify",
                        lambda self, h, p: verified.append(h) or real_verify(self, h, p))
    monkeypatch.setattr(PasswordHasher, "hash",
                        lambda self, p, **kw: hashed.append(p) or real_hash(self, p, **kw))
    token = auth.csrf_token()
    for username in ("khongco", "ai-do", "bientap"):
        response = client.post("/login", data={"username": username, "password": "sai mat khau",
                                               "csrf_token": token})
        assert response.status_code == 422
    assert verified[:2] == [dummy, dummy]  # one verification each, like a real account
    assert verified[2] != dummy
    assert hashed == []  # nothing is hashed while answering: both paths cost the same


def test_the_dummy_hash_is_a_real_argon2_hash_of_the_configured_cost(app):
    dummy = passwords.dummy_hash()
    assert dummy.startswith("$argon2id$") and "m=1024,t=1,p=1" in dummy
    assert passwords.dummy_hash() is dummy
    assert not passwords.check_password(None, "not-a-real-password-either")


# --- Lock-outs per account and address (issue 20) -----------------------------------------


@pytest.fixture
def editor(make):
    """An editor of the Women's Union."""
    return make.user("bientap", "editor", orgs=["hoi-lhpn"])


def test_one_accounts_failures_never_lock_another_out_of_the_same_computer(client, editor,
                                                                            make):
    make.user("thuky", "secretary")
    fail(client, "thuky", "192.168.1.20", times=25)  # someone hammers one account
    assert post_login(client, "thuky", PASSWORD, address="192.168.1.20").status_code == 429
    assert post_login(client, "bientap", PASSWORD, address="192.168.1.20").status_code == 302


def test_spraying_many_accounts_from_one_address_locks_the_address(client, editor):
    token = csrf_token(client)
    for number in range(30):
        fail(client, f"thu{number % 4}", "203.0.113.9", token=token)
    assert post_login(client, "bientap", PASSWORD, address="203.0.113.9").status_code == 429
    assert post_login(client, "bientap", PASSWORD, address="203.0.113.10").status_code == 302


def test_spraying_one_account_from_many_addresses_spares_its_owners_computer(client, editor):
    assert post_login(client, "bientap", PASSWORD, address="192.168.1.7").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    token = csrf_token(client)
    for number in range(50):
        fail(client, "bientap", f"198.51.100.{number}", token=token)
    assert post_login(client, "bientap", PASSWORD, address="198.51.100.200",
                      token=token).status_code == 429
    assert post_login(client, "bientap", PASSWORD, address="192.168.1.7",
                      token=token).status_code == 302


def test_the_reason_of_a_refusal_is_in_the_log(client, editor, make, caplog):
    make.user("nghi", "editor", is_enabled=False)
    with caplog.at_level("WARNING"):
        post_login(client, "nghi", PASSWORD)
        post_login(client, "bientap", "wrong password!")
        post_login(client, "khongcoai", "wrong password!")
        fail(client, "bientap", "10.0.0.1", times=10)
        post_login(client, "bientap", PASSWORD, address="10.0.0.1")
    for user, reason in (("nghi", "disabled account"), ("bientap", "wrong password"),
                         ("khongcoai", "unknown user")):
        assert re.search(rf"failed login: user '{user}' from \S+ \({reason}\)", caplog.text)
    assert "login refused: pair lock (10 failures for this account from this address)" \
        in caplog.text


def test_an_admin_lifts_a_lock_from_the_lockouts_page(client, auth, editor, make):
    fail(client, "bientap", "10.0.0.1", times=10)
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 429
    make.user("quantri", "admin")
    admin = client.application.test_client()
    assert auth.__class__(admin).login("quantri").status_code == 302
    page = admin.get("/admin/lockouts")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "bientap" in html and "10.0.0.1" in html
    token = csrf_token(admin, "/admin/lockouts")
    answer = admin.post("/admin/lockouts/unlock", data={
        "csrf_token": token, "username": "bientap", "address": "10.0.0.1"})
    assert answer.status_code == 303
    assert "bientap" not in admin.get("/admin/lockouts").get_data(as_text=True)
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 302


def test_flask_user_unlock_lifts_a_lock(client, runner, editor):
    fail(client, "bientap", "10.0.0.1", times=10)
    result = runner.invoke(args=["user", "unlock", "BienTap"])
    assert result.exit_code == 0, result.output
    assert "10 failed attempts forgotten" in result.output
    assert post_login(client, "bientap", PASSWORD, address="10.0.0.1").status_code == 302
    assert runner.invoke(args=["user", "unlock"]).exit_code != 0
