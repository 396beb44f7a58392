"""Login under attack: simultaneous guesses against a real server, and equal-cost answers."""

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
