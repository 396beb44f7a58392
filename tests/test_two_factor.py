"""Two-factor login: enrolment with a locally drawn QR code, the code step after the password,
one-time codes and recovery codes, throttling, required roles, and resets."""

import time

import pyotp
import pytest

from bulletin.auth import two_factor
from bulletin.auth.login_flow import PENDING_KEY
from bulletin.auth.two_factor_views import SETUP_KEY
from bulletin.extensions import db
from bulletin.models import AuditEntry, RecoveryCode, User

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
    with client.session_transaction() as session:
        secret = session[SETUP_KEY]
    assert secret in html  # for typing in by hand
    response = client.post("/account/two-factor/setup", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": auth.csrf_token("/account")})
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    user = db.session.scalar(db.select(User))
    db.session.refresh(user)
    assert user.totp_secret == secret
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
        "code": "000000", "csrf_token": auth.csrf_token("/account")})
    assert response.status_code == 422
    assert db.session.scalar(db.select(User)).totp_secret is None


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
    with client.session_transaction() as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "at": int(time.time()) - 301}
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
    assert user.totp_secret is None
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
    assert user.totp_secret == SECRET


def test_cli_resets_two_factor(runner, make):
    user, _ = enrolled(make)
    result = runner.invoke(args=["user", "reset-2fa", "bientap"])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.totp_secret is None


def test_turning_off_needs_the_password(client, auth, make):
    enrolled(make)
    password_step(client, auth)
    code_step(client, auth, current_code())
    token = auth.csrf_token("/account/two-factor")
    response = client.post("/account/two-factor/off", data={"password": "sai", "csrf_token": token})
    assert response.status_code == 422
    assert client.post("/account/two-factor/off", data={"password": PASSWORD,
                                                        "csrf_token": token}).status_code == 303
    assert db.session.scalar(db.select(User.totp_secret)) is None


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
        assert db.session.scalar(db.select(User.totp_secret)) == SECRET


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
    client.get("/account/two-factor/setup")
    with client.session_transaction() as session:
        secret = session[SETUP_KEY]
    client.post("/account/two-factor/setup", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": auth.csrf_token("/account")})
    assert is_logged_in(client)
    assert not is_logged_in(other)
