"""Staff accounts: the `flask user …` commands, the password policy, the admin pages and
changing one's own password."""

import re
import unicodedata

import pytest

from bulletin import config
from bulletin.auth.passwords import _hasher, check_password, hash_password, password_problem
from bulletin.extensions import db
from bulletin.models import User

PASSWORD = "correct-horse-battery"
GOOD_NEW_PASSWORD = "Hoa sen nở giữa đầm 2026"

COMMON_PASSWORDS = [
    "12345678", "123456789012", "matkhau123", "matkhau123456", "Mật khẩu 123", "password",
    "Password1!", "doanthanhnien", "DoanThanhNien2026", "congdoan2026", "hoinongdan",
    "qwertyuiop", "abcdefgh", "87654321", "aaaaaaaa", "abababab", "anhyeuem", "admin@123",
]


def account(username: str) -> User | None:
    """Reload an account from the database."""
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.username == username))


def is_logged_in(client) -> bool:
    """Return True when the client's cookies open a staff page."""
    return client.get("/account").status_code == 200


def csrf(client, path="/account") -> str:
    """Return a CSRF token valid for the client's session."""
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


@pytest.fixture
def admin_client(app, make, auth):
    """A client logged in as the admin `quantri`."""
    make.user("quantri", "admin", full_name="Quản trị viên")
    assert auth.login("quantri").status_code == 302
    return auth.client


# --- the command line ------------------------------------------------------------------------

def test_cli_creates_an_account_that_can_log_in(runner, auth, make):
    result = runner.invoke(args=["user", "create", "bientap", "--role", "editor",
                                 "--org", "hoi-lhpn", "--org", "doan-tncs",
                                 "--password", GOOD_NEW_PASSWORD, "--name", "Lê Thị Hoa"])
    assert result.exit_code == 0, result.output
    user = account("bientap")
    assert user.role == "editor" and user.full_name == "Lê Thị Hoa"
    assert sorted(org.slug for org in user.organizations) == ["doan-tncs", "hoi-lhpn"]
    assert auth.login("bientap", GOOD_NEW_PASSWORD).status_code == 302


def test_cli_asks_for_the_password_when_it_is_not_given(runner, auth):
    result = runner.invoke(args=["user", "create", "thuky", "--role", "secretary"],
                           input=f"{GOOD_NEW_PASSWORD}\n{GOOD_NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "8" in result.output  # the prompt states the minimum length
    assert auth.login("thuky", GOOD_NEW_PASSWORD).status_code == 302


def test_cli_prompt_asks_again_after_a_refused_password(runner):
    typed = f"12345678\n{GOOD_NEW_PASSWORD}\n{GOOD_NEW_PASSWORD}\n"
    result = runner.invoke(args=["user", "create", "thuky", "--role", "secretary"], input=typed)
    assert result.exit_code == 0, result.output
    assert "quá phổ biến" in result.output
    assert check_password(account("thuky").password_hash, GOOD_NEW_PASSWORD)


def test_cli_refuses_a_short_password_and_says_the_minimum(runner):
    result = runner.invoke(args=["user", "create", "ngan", "--role", "editor",
                                 "--password", "Ab1!xyz"])
    assert result.exit_code != 0
    assert "ít nhất 8 ký tự" in result.output
    assert account("ngan") is None


@pytest.mark.parametrize("password", COMMON_PASSWORDS)
def test_cli_refuses_common_passwords(runner, password):
    result = runner.invoke(args=["user", "create", "thu", "--role", "editor",
                                 "--password", password])
    assert result.exit_code != 0
    assert "quá phổ biến" in result.output
    assert account("thu") is None


def test_cli_refuses_the_username_as_password(runner):
    result = runner.invoke(args=["user", "create", "hoanganh", "--role", "editor",
                                 "--password", "HoangAnh2026"])
    assert result.exit_code != 0
    assert account("hoanganh") is None


def test_cli_refuses_unknown_organization_and_duplicate_username(runner, make):
    make.user("bientap", "editor")
    duplicate = runner.invoke(args=["user", "create", "BIENTAP", "--role", "editor",
                                    "--password", GOOD_NEW_PASSWORD])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    unknown = runner.invoke(args=["user", "create", "moi", "--role", "editor",
                                  "--org", "khong-co", "--password", GOOD_NEW_PASSWORD])
    assert unknown.exit_code != 0 and "khong-co" in unknown.output
    assert account("moi") is None


def test_cli_list_shows_every_account_with_role_state_and_organizations(runner, make):
    make.user("bientap", "editor", orgs=["hoi-lhpn"], full_name="Lê Thị Hoa")
    make.user("nghi", "secretary", is_enabled=False)
    output = runner.invoke(args=["user", "list"]).output
    assert "bientap\teditor\tenabled\thoi-lhpn\tLê Thị Hoa" in output
    assert "nghi\tsecretary\tdisabled" in output


def test_cli_disable_ends_sessions_and_enable_lets_the_account_back(runner, auth, make):
    make.user("bientap", "editor")
    auth.login("bientap")
    assert runner.invoke(args=["user", "disable", "bientap"]).exit_code == 0
    assert not is_logged_in(auth.client)
    assert auth.login("bientap").status_code == 422
    assert runner.invoke(args=["user", "enable", "BienTap"]).exit_code == 0
    assert auth.login("bientap").status_code == 302


def test_cli_reset_password_ends_sessions_and_sets_the_new_one(runner, auth, make):
    make.user("bientap", "editor")
    auth.login("bientap")
    result = runner.invoke(args=["user", "reset-password", "bientap",
                                 "--password", GOOD_NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert not is_logged_in(auth.client)
    assert auth.login("bientap", PASSWORD).status_code == 422
    assert auth.login("bientap", GOOD_NEW_PASSWORD).status_code == 302


def test_cli_reports_unknown_accounts(runner):
    for command in ("disable", "enable", "reset-password"):
        result = runner.invoke(args=["user", command, "khongco", "--password", GOOD_NEW_PASSWORD]
                               if command == "reset-password" else ["user", command, "khongco"])
        assert result.exit_code != 0 and "no account" in result.output


# --- the password policy and storage ------------------------------------------------------

@pytest.mark.parametrize("password", [
    "Mật khẩu rất dài của đồng chí Bí thư Đoàn thanh niên xã Hòa Bình 2026!",  # > 64 chars
    "x7#kQ9!m",                        # exactly 8
    "🔑🌸🏮🎋🌾🐃🛵🍜",                    # emoji only
    "a" * 200 + "bc" + "d" * 54,       # exactly 256
    "trời xanh mây trắng",
])
def test_policy_accepts_long_unicode_passphrases(password):
    assert password_problem(password) is None


@pytest.mark.parametrize(("password", "message"), [
    ("Ab1!xyz", "ít nhất 8 ký tự"),
    ("", "ít nhất 8 ký tự"),
    ("x" * 200 + "yz" + "w" * 55, "tối đa 256 ký tự"),
    *((p, "quá phổ biến") for p in COMMON_PASSWORDS),
])
def test_policy_refuses_short_long_and_common_passwords(password, message):
    assert message in password_problem(password)


def test_policy_counts_characters_after_nfc():
    # Eight letters typed in NFD are more than eight code points, but eight characters.
    assert password_problem(unicodedata.normalize("NFD", "ảẩbbccdd")) is None
    assert "ít nhất" in password_problem(unicodedata.normalize("NFD", "ảẩbbccd"))


def test_stored_password_is_argon2id_and_never_plaintext(app, runner):
    runner.invoke(args=["user", "create", "bientap", "--role", "editor",
                        "--password", GOOD_NEW_PASSWORD])
    stored = account("bientap").password_hash
    assert re.match(r"^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$", stored)
    assert GOOD_NEW_PASSWORD not in stored


def test_production_hash_cost_is_strong(app):
    # the tests' cheap cost replaced by the production default
    app.config["ARGON2_COST"] = config.defaults(app.instance_path)["ARGON2_COST"]
    stored = hash_password("trời xanh mây trắng")
    memory, time_cost = map(int, re.search(r"m=(\d+),t=(\d+)", stored).groups())
    assert memory >= 19456 and time_cost >= 2
    assert _hasher().check_needs_rehash(stored) is False


# --- admin pages ------------------------------------------------------------------------------

def new_account_data(client, **fields) -> dict:
    """The create-account form, filled in."""
    return {"csrf_token": csrf(client, "/admin/accounts/new"), "username": "bientap",
            "full_name": "Lê Thị Hoa", "role": "editor", "password": GOOD_NEW_PASSWORD,
            **fields}


def org_id(make, slug) -> int:
    """Return an organization's id."""
    return make.org(slug).id


def test_admin_creates_an_account_that_can_log_in(app, admin_client, make):
    data = new_account_data(admin_client,
                            organizations=[org_id(make, "hoi-lhpn"), org_id(make, "doan-tncs")])
    response = admin_client.post("/admin/accounts/new", data=data)
    assert response.status_code == 303
    user = account("bientap")
    assert user.role == "editor" and user.full_name == "Lê Thị Hoa"
    assert sorted(org.slug for org in user.organizations) == ["doan-tncs", "hoi-lhpn"]
    other = app.test_client()
    csrf_token = csrf(other, "/login")
    response = other.post("/login", data={"username": "bientap", "password": GOOD_NEW_PASSWORD,
                                          "csrf_token": csrf_token})
    assert response.status_code == 302


def test_create_form_offers_roles_and_organizations_by_name(admin_client):
    html = admin_client.get("/admin/accounts/new").get_data(as_text=True)
    assert re.search(r'<select [^>]*id="organizations" multiple', html)
    assert "Hội Liên hiệp Phụ nữ" in html
    for role in ("reader", "editor", "secretary", "admin"):
        assert f'value="{role}"' in html


@pytest.mark.parametrize(("fields", "message"), [
    ({"password": "matkhau123"}, "quá phổ biến"),
    ({"password": "ngan"}, "ít nhất 8 ký tự"),
    ({"username": "Lê Thị Hoa"}, "chữ không dấu"),
    ({"username": ""}, "Nhập tên đăng nhập"),
    ({"username": "x" * 81}, "tối đa 80"),
    ({"role": "superuser"}, "Lựa chọn không hợp lệ"),
    ({"organizations": ["999999"]}, "Lựa chọn không hợp lệ"),
    ({"organizations": ["abc"]}, "Lựa chọn không hợp lệ"),
    ({"full_name": "x" * 201}, "Tối đa 200"),
])
def test_create_refuses_bad_input_with_a_message_and_keeps_it(admin_client, fields, message):
    data = new_account_data(admin_client, **{"full_name": "Trần Văn Bình", **fields})
    response = admin_client.post("/admin/accounts/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if "full_name" not in fields:
        assert 'value="Trần Văn Bình"' in html
    assert account(data["username"]) is None


def test_create_refuses_a_username_taken_in_another_case(admin_client, make):
    make.user("bientap", "editor")
    response = admin_client.post("/admin/accounts/new",
                                 data=new_account_data(admin_client, username="BienTap"))
    assert response.status_code == 422
    assert "đã có người dùng" in response.get_data(as_text=True)


def test_account_list_is_sorted_by_given_name_the_vietnamese_way(admin_client, make):
    for number, name in enumerate(["Nguyễn Văn Đức", "Trần Thị An", "Lê Văn Dũng",
                                   "Phạm Thị Bình"]):
        make.user(f"u{number}", "editor", full_name=name)
    html = admin_client.get("/admin/accounts").get_data(as_text=True)
    positions = [html.index(name) for name in
                 ("Trần Thị An", "Phạm Thị Bình", "Lê Văn Dũng", "Nguyễn Văn Đức")]
    assert positions == sorted(positions)


def test_admin_changes_role_organizations_and_full_name(admin_client, make):
    user = make.user("bientap", "editor", orgs=["hoi-lhpn"])
    url = f"/admin/accounts/{user.id}/edit"
    page = admin_client.get(url).get_data(as_text=True)
    assert re.search(rf'<option selected value="{org_id(make, "hoi-lhpn")}">', page)
    response = admin_client.post(url, data={
        "csrf_token": csrf(admin_client, url), "full_name": "Đỗ Thị Mai", "role": "secretary",
        "organizations": [org_id(make, "hoi-ccb")],
        # Fields the form does not have are ignored, whatever they say.
        "username": "hacker", "is_enabled": "0", "password_hash": "x", "session_token": "x",
    })
    assert response.status_code == 303
    user = account("bientap")
    assert (user.full_name, user.role) == ("Đỗ Thị Mai", "secretary")
    assert [org.slug for org in user.organizations] == ["hoi-ccb"]
    assert user.is_enabled and user.password_hash != "x" and user.session_token != "x"


def test_admin_cannot_change_their_own_role_or_disable_themselves(admin_client):
    me = account("quantri")
    url = f"/admin/accounts/{me.id}/edit"
    response = admin_client.post(url, data={"csrf_token": csrf(admin_client, url),
                                            "full_name": "Quản trị", "role": "editor"})
    assert response.status_code == 422
    assert "chính mình" in response.get_data(as_text=True)
    response = admin_client.post(f"/admin/accounts/{me.id}/disable",
                                 data={"csrf_token": csrf(admin_client)})
    assert response.status_code == 303
    me = account("quantri")
    assert me.role == "admin" and me.is_enabled
    assert is_logged_in(admin_client)


def test_disabling_an_account_ends_its_live_session(app, admin_client, make):
    user = make.user("bientap", "editor")
    editor_client = app.test_client()
    token = csrf(editor_client, "/login")
    editor_client.post("/login", data={"username": "bientap", "password": PASSWORD,
                                       "csrf_token": token})
    assert is_logged_in(editor_client)
    response = admin_client.post(f"/admin/accounts/{user.id}/disable",
                                 data={"csrf_token": csrf(admin_client)})
    assert response.status_code == 303
    assert not is_logged_in(editor_client)
    assert "Đã khóa" in admin_client.get("/admin/accounts").get_data(as_text=True)


def test_a_session_from_before_disabling_stays_dead_after_enabling(app, admin_client, make):
    user = make.user("bientap", "editor")
    editor_client = app.test_client()
    token = csrf(editor_client, "/login")
    editor_client.post("/login", data={"username": "bientap", "password": PASSWORD,
                                       "csrf_token": token})
    for action in ("disable", "enable"):
        admin_client.post(f"/admin/accounts/{user.id}/{action}",
                          data={"csrf_token": csrf(admin_client)})
    assert account("bientap").is_enabled
    assert not is_logged_in(editor_client)


def test_enabling_lets_the_account_log_in_again(app, admin_client, make, auth):
    user = make.user("bientap", "editor", is_enabled=False)
    response = admin_client.post(f"/admin/accounts/{user.id}/enable",
                                 data={"csrf_token": csrf(admin_client)})
    assert response.status_code == 303
    assert account("bientap").is_enabled
    other = app.test_client()
    token = csrf(other, "/login")
    assert other.post("/login", data={"username": "bientap", "password": PASSWORD,
                                      "csrf_token": token}).status_code == 302


def test_admin_resets_a_password_and_the_accounts_sessions_end(app, admin_client, make):
    user = make.user("bientap", "editor")
    editor_client = app.test_client()
    token = csrf(editor_client, "/login")
    editor_client.post("/login", data={"username": "bientap", "password": PASSWORD,
                                       "csrf_token": token})
    url = f"/admin/accounts/{user.id}/password"
    weak = admin_client.post(url, data={"csrf_token": csrf(admin_client, url),
                                        "new_password": "bientap123"})
    assert weak.status_code == 422 and "quá phổ biến" in weak.get_data(as_text=True)
    response = admin_client.post(url, data={"csrf_token": csrf(admin_client, url),
                                            "new_password": GOOD_NEW_PASSWORD})
    assert response.status_code == 303
    assert not is_logged_in(editor_client)
    assert check_password(account("bientap").password_hash, GOOD_NEW_PASSWORD)


def test_unknown_account_is_404_for_admin(admin_client):
    assert admin_client.get("/admin/accounts/999999/edit").status_code == 404
    response = admin_client.post("/admin/accounts/999999/disable",
                                 data={"csrf_token": csrf(admin_client)})
    assert response.status_code == 404


def test_staff_menu_shows_admin_links_to_admins_only(app, admin_client, make, auth):
    html = admin_client.get("/").get_data(as_text=True)
    assert 'href="/admin/accounts"' in html and 'href="/admin/audit"' in html
    assert 'href="/account"' in html and 'href="/awards/"' in html
    make.user("bientap", "editor")
    editor_client = app.test_client()
    token = csrf(editor_client, "/login")
    editor_client.post("/login", data={"username": "bientap", "password": PASSWORD,
                                       "csrf_token": token})
    html = editor_client.get("/").get_data(as_text=True)
    assert 'href="/account"' in html and 'action="/logout"' in html
    assert 'href="/posts/manage"' in html and 'href="/awards/"' not in html
    assert 'href="/admin/accounts"' not in html


# --- changing one's own password ------------------------------------------------------------

def change_data(client, current=PASSWORD, new=GOOD_NEW_PASSWORD, confirm=None) -> dict:
    """The change-password form, filled in."""
    return {"csrf_token": csrf(client, "/account/password"), "current_password": current,
            "new_password": new, "confirm": new if confirm is None else confirm}


@pytest.fixture
def editor_client(app, make, auth):
    """A client logged in as the editor `bientap`."""
    make.user("bientap", "editor", orgs=["hoi-lhpn"])
    assert auth.login("bientap").status_code == 302
    return auth.client


def test_change_password_requires_the_current_password(editor_client):
    response = editor_client.post("/account/password",
                                  data=change_data(editor_client, current="wrong password"))
    assert response.status_code == 422
    assert "Mật khẩu hiện tại không đúng" in response.get_data(as_text=True)
    assert check_password(account("bientap").password_hash, PASSWORD)


def test_guessing_the_current_password_is_throttled(editor_client):
    for _ in range(10):
        editor_client.post("/account/password",
                           data=change_data(editor_client, current="wrong password"))
    response = editor_client.post("/account/password", data=change_data(editor_client))
    assert response.status_code == 429
    assert "thử lại sau" in response.get_data(as_text=True)
    assert check_password(account("bientap").password_hash, PASSWORD)


@pytest.mark.parametrize(("new", "confirm", "message"), [
    ("bientap2026", None, "quá phổ biến"),          # the username plus digits
    ("short", None, "ít nhất 8 ký tự"),
    (GOOD_NEW_PASSWORD, "something else", "không khớp"),
])
def test_change_password_applies_the_policy(editor_client, new, confirm, message):
    response = editor_client.post("/account/password",
                                  data=change_data(editor_client, new=new, confirm=confirm))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_change_password_ends_other_sessions_but_keeps_this_one(app, editor_client):
    other = app.test_client()
    token = csrf(other, "/login")
    other.post("/login", data={"username": "bientap", "password": PASSWORD,
                               "csrf_token": token})
    copied = editor_client.get_cookie("session").value
    response = editor_client.post("/account/password", data=change_data(editor_client))
    assert response.status_code == 303
    assert is_logged_in(editor_client)
    assert not is_logged_in(other)
    stale = app.test_client()
    stale.set_cookie("session", copied, domain="localhost")
    assert not is_logged_in(stale)
    assert check_password(account("bientap").password_hash, GOOD_NEW_PASSWORD)


def test_change_password_renews_remember_me_on_this_browser_only(app, make, auth):
    make.user("bientap", "editor")
    auth.login("bientap", remember="y")
    old_remember = auth.client.get_cookie("remember_token").value
    auth.client.post("/account/password", data=change_data(auth.client))
    new_remember = auth.client.get_cookie("remember_token").value
    assert new_remember != old_remember
    for value, expected in ((new_remember, True), (old_remember, False)):
        restarted = app.test_client()
        restarted.set_cookie("remember_token", value, domain="localhost")
        assert is_logged_in(restarted) is expected


def test_account_page_shows_the_accounts_details(editor_client):
    html = editor_client.get("/account").get_data(as_text=True)
    assert "bientap" in html and "Biên tập viên" in html and "Hội Liên hiệp Phụ nữ" in html
