"""Two-factor login: enrolment with a locally drawn QR code, the code step after the password,
one-time codes and recovery codes, throttling, required roles, and resets."""

import os
import re
import time
from pathlib import Path

import pyotp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bulletin.auth import secret_box, two_factor
from bulletin.extensions import db
from bulletin.models import AuditEntry, PendingStep, RecoveryCode, User

PASSWORD = "correct-horse-battery"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def audit_actions() -> list[str]:
    """Return the audited actions, oldest first."""
    return db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()


def enrolled(make, username="bientap", role="editor", **fields) -> tuple[User, list[str]]:
    """Make an account with two-factor login on; return it and its recovery codes."""
    user = make.user(username, role, orgs=["hoi-lhpn"] if role == "editor" else (), **fields)
    codes = two_factor.enrol(user, SECRET)
    db.session.commit()
    return user, codes


def password_step(client, auth, username="bientap", **extra):
    """Post the login form (the contract's fields only)."""
    return client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": auth.csrf_token(), **extra})


def code_step(client, auth, code):
    """Post the second step."""
    return client.post("/login/code", data={"code": code,
                                            "csrf_token": auth.csrf_token("/login/code")})


def is_logged_in(client) -> bool:
    """Return True when the client's cookies open a staff page."""
    return client.get("/account").status_code == 200


def setup_secret(html: str) -> str:
    """The new secret the setup page shows for typing in by hand."""
    return re.search(r"<code>([A-Z2-7]{32})</code>", html).group(1)


def confirm_setup(client, auth, secret, password=PASSWORD):
    """Post the setup form: the app's current code and the password."""
    return client.post("/account/two-factor/setup", data={
        "code": pyotp.TOTP(secret).now(), "password": password,
        "csrf_token": auth.csrf_token("/account")})


def current_code(offset_steps=0) -> str:
    """Return the authenticator app's code now (or a neighbouring step)."""
    return pyotp.TOTP(SECRET).at(time.time() + 30 * offset_steps)


def test_enrolment_shows_a_qr_code_drawn_by_the_app_and_gives_ten_recovery_codes(
        client, auth, make):
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    page = client.get("/account/two-factor/setup")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'src="data:image/svg+xml' in html
    secret = setup_secret(html)  # for typing in by hand
    response = confirm_setup(client, auth, secret)
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    user = db.session.scalar(db.select(User))
    db.session.refresh(user)
    assert two_factor.stored_secret(user) == secret
    hashes = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10
    codes = [c for c in shown.split("<code>")[1:]]
    assert len(codes) == 10
    assert all(code.split("<")[0] not in hashes for code in codes)  # only hashes are kept
    assert "account.2fa_enable" in audit_actions()
    assert is_logged_in(client)  # this browser stays in; others must log in with a code


def test_a_wrong_code_does_not_enrol(client, auth, make):
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    client.get("/account/two-factor/setup")
    response = client.post("/account/two-factor/setup", data={
        "code": "000000", "password": PASSWORD, "csrf_token": auth.csrf_token("/account")})
    assert response.status_code == 422
    assert not db.session.scalar(db.select(User)).has_two_factor


def test_an_enrolled_account_needs_its_code_after_the_password(client, auth, make):
    enrolled(make)
    response = password_step(client, auth, next="/posts/manage")
    assert response.status_code == 303 and response.headers["Location"].endswith("/login/code")
    assert not is_logged_in(client)  # the password alone opens nothing
    response = code_step(client, auth, current_code())
    assert response.status_code == 302 and response.headers["Location"].endswith("/posts/manage")
    assert is_logged_in(client)
    assert audit_actions()[-1] == "login.success"


def test_a_code_works_only_once(client, auth, make):
    enrolled(make)
    code = current_code()
    password_step(client, auth)
    assert code_step(client, auth, code).status_code == 302
    auth.logout()
    password_step(client, auth)
    response = code_step(client, auth, code)
    assert response.status_code == 422
    assert "Mã không đúng hoặc đã dùng" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_a_wrong_code_is_refused_and_audited(client, auth, make):
    enrolled(make)
    password_step(client, auth)
    assert code_step(client, auth, "123456" if current_code() != "123456" else "654321"
                     ).status_code == 422
    assert "login.second_factor_failure" in audit_actions()
    assert not is_logged_in(client)


def test_a_recovery_code_logs_in_once(client, auth, make):
    _, codes = enrolled(make)
    password_step(client, auth)
    assert code_step(client, auth, codes[0].upper()).status_code == 302
    assert "login.recovery_code" in audit_actions()
    assert two_factor.unused_recovery_codes(db.session.scalar(db.select(User))) == 9
    auth.logout()
    password_step(client, auth)
    assert code_step(client, auth, codes[0]).status_code == 422


def test_the_code_step_is_throttled_like_passwords(client, auth, make):
    enrolled(make)
    password_step(client, auth)
    wrong = "111111" if current_code() != "111111" else "222222"
    for _ in range(10):
        assert code_step(client, auth, wrong).status_code == 422
    response = code_step(client, auth, current_code())
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_code_step_expires_after_five_minutes(client, auth, make):
    enrolled(make)
    password_step(client, auth)
    for step in db.session.scalars(db.select(PendingStep)):  # five minutes later
        step.expires_at = step.created_at
    db.session.commit()
    response = client.post("/login/code", data={"code": current_code(),
                                                "csrf_token": auth.csrf_token()})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not is_logged_in(client)


def test_by_default_an_admin_logs_in_with_the_password_alone_and_is_reminded(client, auth, make):
    make.user("quantri", "admin")
    response = password_step(client, auth, username="quantri")
    assert response.status_code == 302
    assert "xác thực hai bước" in client.get("/").get_data(as_text=True)
    assert client.get("/awards/").status_code == 200


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_a_required_role_enrols_before_anything_else(make_app, make, role):
    app = make_app(REQUIRE_2FA_ROLES=("admin", "secretary"))
    with app.app_context():
        make.user("canbo", role)
        client = app.test_client()
        from tests.conftest import AuthActions

        auth = AuthActions(client)
        assert password_step(client, auth, username="canbo").status_code == 302
        response = client.get("/awards/")
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/account/two-factor/setup")
        assert client.get("/account/two-factor/setup").status_code == 200


def test_an_editor_is_not_forced_to_enrol_by_the_required_roles(make_app, make):
    app = make_app(REQUIRE_2FA_ROLES=("admin", "secretary"))
    with app.app_context():
        make.user("bientap", "editor", orgs=["hoi-lhpn"])
        client = app.test_client()
        from tests.conftest import AuthActions

        password_step(client, AuthActions(client))
        assert client.get("/posts/manage").status_code == 200


def test_an_admin_resets_a_users_two_factor(client, auth, make):
    user, _ = enrolled(make)
    admin = make.user("quantri", "admin")
    auth.login("quantri")
    response = client.post(f"/admin/accounts/{user.id}/reset-2fa",
                           data={"csrf_token": auth.csrf_token(f"/admin/accounts/{user.id}/edit")})
    assert response.status_code == 303
    db.session.refresh(user)
    assert not user.has_two_factor
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "account.2fa_reset"))
    assert entry.user_id == admin.id


def test_an_editor_cannot_reset_someone_elses_two_factor(client, auth, make):
    user, _ = enrolled(make, "bientap2")
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    response = client.post(f"/admin/accounts/{user.id}/reset-2fa",
                           data={"csrf_token": auth.csrf_token("/account")})
    assert response.status_code == 403
    db.session.refresh(user)
    assert two_factor.stored_secret(user) == SECRET


def test_cli_resets_two_factor(runner, make):
    user, _ = enrolled(make)
    result = runner.invoke(args=["user", "reset-2fa", "bientap"])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert not user.has_two_factor


def test_turning_off_needs_the_password(client, auth, make):
    enrolled(make)
    password_step(client, auth)
    code_step(client, auth, current_code())
    token = auth.csrf_token("/account/two-factor")
    response = client.post("/account/two-factor/off", data={"password": "sai", "csrf_token": token})
    assert response.status_code == 422
    assert client.post("/account/two-factor/off", data={"password": PASSWORD,
                                                        "csrf_token": token}).status_code == 303
    assert not db.session.scalar(db.select(User)).has_two_factor


def test_a_required_role_cannot_turn_it_off(make_app, make):
    app = make_app(REQUIRE_2FA_ROLES=("admin",))
    with app.app_context():
        enrolled(make, "quantri", "admin")
        client = app.test_client()
        from tests.conftest import AuthActions

        auth = AuthActions(client)
        password_step(client, auth, username="quantri")
        code_step(client, auth, current_code())
        client.post("/account/two-factor/off", data={
            "password": PASSWORD, "csrf_token": auth.csrf_token("/account/two-factor")})
        assert two_factor.stored_secret(db.session.scalar(db.select(User))) == SECRET


def test_new_recovery_codes_replace_the_old_ones(client, auth, make):
    _, old = enrolled(make)
    password_step(client, auth)
    code_step(client, auth, current_code())
    response = client.post("/account/two-factor/recovery-codes", data={
        "password": PASSWORD, "csrf_token": auth.csrf_token("/account/two-factor")})
    assert response.status_code == 200
    user = db.session.scalar(db.select(User))
    assert not two_factor.use_recovery_code(user, old[1])
    assert "account.2fa_recovery_codes" in audit_actions()


def test_required_roles_come_from_the_environment():
    from bulletin.config import from_environment

    assert from_environment({"REQUIRE_2FA_ROLES": "admin, secretary"}) == {
        "REQUIRE_2FA_ROLES": ("admin", "secretary")}


def test_turning_it_on_ends_the_accounts_other_sessions(app, client, auth, make):
    from tests.conftest import AuthActions

    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    other = app.test_client()
    AuthActions(other).login("bientap")
    auth.login("bientap")
    secret = setup_secret(client.get("/account/two-factor/setup").get_data(as_text=True))
    confirm_setup(client, auth, secret)
    assert is_logged_in(client)
    assert not is_logged_in(other)


# --- Issue 20: setup asks for the password; secrets at rest; the waiting mark ------------

def session_text(client) -> str:
    """Everything the session cookie holds, as text."""
    with client.session_transaction() as session:
        return repr(dict(session))


def test_turning_it_on_needs_the_password(client, auth, make):
    # Whoever holds a session cookie cannot enrol their own authenticator.
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    secret = setup_secret(client.get("/account/two-factor/setup").get_data(as_text=True))
    for password in ("", "sai mat khau"):
        response = confirm_setup(client, auth, secret, password=password)
        assert response.status_code == 422
        assert 'name="password"' in response.get_data(as_text=True)
        assert not db.session.scalar(db.select(User)).has_two_factor
    assert confirm_setup(client, auth, secret).status_code == 200
    assert db.session.scalar(db.select(User)).has_two_factor


def test_the_pending_secret_is_kept_on_the_server_not_in_the_cookie(client, auth, make):
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    first = setup_secret(client.get("/account/two-factor/setup").get_data(as_text=True))
    assert first not in session_text(client)
    again = setup_secret(client.get("/account/two-factor/setup").get_data(as_text=True))
    assert again == first  # the same secret for this session, from the server
    stored = db.session.scalar(db.select(PendingStep.payload))
    assert first not in stored and "enc1:" in stored


def test_secrets_are_encrypted_at_rest_with_a_key_outside_the_database(app, make):
    user, _ = enrolled(make)
    db.session.refresh(user)
    assert user.totp_secret is None
    assert user.totp_sealed.startswith("enc1:") and SECRET not in user.totp_sealed
    key_file = Path(app.instance_path) / "totp.key"
    assert key_file.exists() and key_file.stat().st_mode & 0o777 == 0o600
    other = Fernet.generate_key().decode()
    with pytest.raises(secret_box.SecretKeyError):
        secret_box.open_secret(user.totp_sealed, make_key_app(app, other))


def make_key_app(app, keys: str):
    """A stand-in app whose TOTP_KEYS are `keys` (the instance folder of `app`)."""
    class KeyApp:
        config = {"TOTP_KEYS": keys}
        instance_path = app.instance_path
    return KeyApp()


def test_rotating_the_key_re_encrypts_every_secret(make_app, make):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app = make_app(TOTP_KEYS=old)
    with app.app_context():
        user, _ = enrolled(make)
        before = user.totp_sealed
    rotated = make_app(TOTP_KEYS=f"{new},{old}")
    with rotated.app_context():
        result = rotated.test_cli_runner().invoke(args=["rotate-2fa-key"])
        assert result.exit_code == 0, result.output
        assert "re-encrypted 1 two-factor secrets" in result.output
    with make_app(TOTP_KEYS=new).app_context():  # the old key is gone
        user = db.session.scalar(db.select(User))
        assert user.totp_sealed != before
        assert two_factor.stored_secret(user) == SECRET


def test_a_secret_kept_in_clear_still_works_and_rotation_encrypts_it(client, auth, runner,
                                                                      make):
    user = make.user("bientap", "editor", orgs=["hoi-lhpn"])
    user.totp_secret = SECRET  # as written before this release
    db.session.commit()
    password_step(client, auth)
    assert code_step(client, auth, current_code()).status_code == 302
    result = runner.invoke(args=["rotate-2fa-key"])
    assert "encrypted 1 kept in clear" in result.output
    db.session.refresh(user)
    assert user.totp_secret is None and two_factor.stored_secret(user) == SECRET


def test_the_migration_encrypts_the_secrets_kept_in_clear(database, make_app, tmp_path):
    from flask_migrate import upgrade

    from tests.conftest import MIGRATIONS_DIR, _drop_postgres_database, _postgres_database

    name = None
    if database.url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        name = f"bulletin_test_2fa_{os.getpid()}"
        url = _postgres_database(name)
    try:
        app = make_app(DATABASE_URL=url)
        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR, revision="1da65499b33e")  # before 2FA at rest
            db.session.execute(text(
                "INSERT INTO users (username, full_name, password_hash, role, is_enabled, "
                "session_token, created_at, totp_secret) VALUES ('cu', '', 'x', 'editor', "
                f"{'TRUE' if name else '1'}, 'tok', CURRENT_TIMESTAMP, '{SECRET}')"))
            db.session.commit()
            upgrade(directory=MIGRATIONS_DIR)
            user = db.session.scalar(db.select(User))
            assert user.totp_secret is None and user.totp_sealed.startswith("enc1:")
            assert two_factor.stored_secret(user) == SECRET
            db.session.remove()
            db.engine.dispose()
    finally:
        if name:
            _drop_postgres_database(name)


def test_the_waiting_mark_is_a_single_use_nonce_kept_on_the_server(app, client, auth, make):
    user, _ = enrolled(make)
    password_step(client, auth)
    held = session_text(client)
    assert user.session_token not in held and "remember" not in held  # a nonce, nothing more
    with client.session_transaction() as session:
        copied = dict(session)
    assert code_step(client, auth, current_code()).status_code == 302
    replay = app.test_client()  # the copied cookie of the waiting browser, used again
    with replay.session_transaction() as session:
        session.update(copied)
    from tests.conftest import AuthActions

    token = AuthActions(replay).csrf_token("/login")
    response = replay.post("/login/code", data={"code": current_code(1), "csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not is_logged_in(replay)


def test_the_waiting_mark_is_revoked_when_the_accounts_sessions_end(client, auth, runner,
                                                                    make):
    enrolled(make)
    password_step(client, auth)
    assert db.session.scalar(db.select(db.func.count()).select_from(PendingStep)) == 1
    assert runner.invoke(args=["user", "disable", "bientap"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(PendingStep)) == 0


def test_without_its_key_a_secret_fails_the_code_but_not_the_page(make_app, make, caplog):
    with make_app(TOTP_KEYS=Fernet.generate_key().decode()).app_context():
        _, codes = enrolled(make)
    app = make_app(TOTP_KEYS=Fernet.generate_key().decode())  # restored without its key
    client = app.test_client()
    from tests.conftest import AuthActions

    auth = AuthActions(client)
    with app.app_context():
        password_step(client, auth)
        with caplog.at_level("ERROR"):
            assert code_step(client, auth, current_code()).status_code == 422
        assert "no configured TOTP key opens" in caplog.text
        assert code_step(client, auth, codes[0]).status_code == 302  # a recovery code works
