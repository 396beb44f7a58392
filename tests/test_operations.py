"""Operations: the backups page and retention, durable post saves, sweeping, health, logs."""

import errno
import io
import logging
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from PIL import Image
from sqlalchemy import event as sa_event

from bulletin import config, create_app, disk, errors, logs, sweep
from bulletin.auth import two_factor
from bulletin.backup import format as fmt
from bulletin.backup import store
from bulletin.extensions import db
from bulletin.models import Post, PostImage, User
from bulletin.uploads import image_path
from tests.conftest import BASE_CONFIG
from tests.factories import DEFAULT_PASSWORD
from tests.test_editor import form as post_form
from tests.test_editor import jpeg
from tests.test_site_admin import save_site


@pytest.fixture
def admin(make, auth):
    """An admin, logged in."""
    make.user("quantri", role="admin")
    assert auth.login("quantri").status_code == 302
    return auth


def csrf(client, path) -> str:
    """Return the CSRF token of a page's form."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def upload_files(app) -> list[Path]:
    """Every file under UPLOAD_DIR."""
    return sorted(p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file())


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


# Backups page and retention.

def test_admin_downloads_a_fresh_verified_backup_listed_on_the_page(client, admin, app, make,
                                                                    tmp_path):
    make.photo(make.post("Hội nghị có ảnh"))
    response = ask_backup(client)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    saved = tmp_path / "downloaded.tar"
    saved.write_bytes(response.data)
    response.close()
    manifest = fmt.verify(saved)
    assert manifest["tables"]["posts"]["rows"] == 1
    assert manifest["uploads"]["files"] == 2
    page = client.get("/admin/backups").get_data(as_text=True)
    name = re.search(r"filename=(bangtin-[0-9-]+\.tar)", response.headers["Content-Disposition"])
    assert name.group(1) in page
    assert "Đã đọc lại, mã băm khớp" in page


def ask_backup(client, password=DEFAULT_PASSWORD, **extra):
    """Post "Sao lưu ngay" with the admin's password (and what else is given)."""
    data = {"csrf_token": csrf(client, "/admin/backups"), "password": password, **extra}
    return client.post("/admin/backups/new", data=data)


def test_a_backup_asks_for_the_password_again_and_makes_nothing_without_it(client, admin, app):
    for password in ("", "sai-mat-khau"):
        refused = ask_backup(client, password=password)
        assert refused.status_code == 422
        assert "attachment" not in refused.headers.get("Content-Disposition", "")
        assert 'class="error"' in refused.get_data(as_text=True)
    assert not Path(app.config["BACKUP_DIR"]).exists()


def test_a_backup_asks_for_a_two_factor_code_when_it_is_on(client, admin, app):
    user = db.session.scalar(db.select(User).where(User.username == "quantri"))
    two_factor.enrol(user, TOTP_SECRET)
    db.session.commit()
    assert 'name="code"' in client.get("/admin/backups").get_data(as_text=True)
    assert ask_backup(client, code="000000").status_code == 422
    assert ask_backup(client).status_code == 422  # the password alone is not enough
    response = ask_backup(client, code=pyotp.TOTP(TOTP_SECRET).now())
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    response.close()


@pytest.fixture
def env_app(app):
    """Build an app like `flask` and gunicorn do: settings from the environment only."""
    built = []

    def build():
        application = create_app({**BASE_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"],
                                  "UPLOAD_DIR": app.config["UPLOAD_DIR"]})
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.engine.dispose()


def test_backup_now_keeps_the_nightly_retention_in_backup_dir(admin, env_app, tmp_path,
                                                             monkeypatch):
    folder = tmp_path / "mnt-backup"
    folder.mkdir()
    old = [dated(folder, f"2026{month:02d}15-020000") for month in range(1, 12)]
    monkeypatch.setenv("BACKUP_DIR", str(folder))
    monkeypatch.setenv("BACKUP_KEEP_DAILY", "2")
    monkeypatch.setenv("BACKUP_KEEP_MONTHLY", "3")
    env_app = env_app()
    assert env_app.config["BACKUP_DIR"] == str(folder)
    env_client = env_app.test_client()
    page = env_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    env_client.post("/login", data={"csrf_token": token, "username": "quantri",
                                    "password": DEFAULT_PASSWORD})
    listing = env_client.get("/admin/backups").get_data(as_text=True)
    assert str(folder) in listing and old[-1].name in listing
    response = ask_backup(env_client)
    assert response.status_code == 200
    response.close()
    kept = sorted(path.name for path in folder.glob("bangtin-*.tar"))
    assert len(kept) == 3 and old[-1].name in kept and old[-2].name in kept
    assert old[0].name not in kept


def test_the_backups_page_shows_free_space_and_refuses_a_backup_that_would_not_fit(
        client, admin, app, make, monkeypatch):
    make.photo(make.post("Hội nghị có ảnh"))
    page = client.get("/admin/backups").get_data(as_text=True)
    assert "Chỗ trống trên đĩa" in page and "Tệp tải lên" in page and "Còn trống" in page
    monkeypatch.setattr(disk, "free_bytes", lambda _path: 5 * 1024 * 1024)
    assert "sắp hết chỗ" in client.get("/admin/backups").get_data(as_text=True)
    refused = ask_backup(client)
    assert refused.status_code == 303
    page = client.get("/admin/backups").get_data(as_text=True)
    assert "Không đủ chỗ trống để sao lưu" in page
    assert not list(Path(app.config["BACKUP_DIR"]).glob("bangtin-*"))


def test_a_damaged_backup_is_shown_as_damaged(client, admin, app, runner):
    folder = Path(app.config["BACKUP_DIR"])
    folder.mkdir(parents=True)
    assert runner.invoke(args=["backup", str(folder)]).exit_code == 0
    backup = next(folder.glob("bangtin-*.tar"))
    data = bytearray(backup.read_bytes())
    data[700] ^= 0xFF  # inside the first member
    backup.write_bytes(bytes(data))
    store.verify_file(backup)
    assert "Hỏng" in client.get("/admin/backups").get_data(as_text=True)


def dated(folder: Path, stamp: str) -> Path:
    """Make a placeholder backup named for `stamp` (YYYYmmdd-HHMMSS)."""
    path = folder / f"bangtin-{stamp}.tar"
    path.write_bytes(b"old backup")
    return path


def test_backup_command_keeps_n_daily_and_m_monthly_backups(runner, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    for stamp in ("20260915-020000", "20261001-020000", "20261020-020000",
                  "20261129-020000", "20261130-010000", "20261130-020000"):
        dated(folder, stamp)
    result = runner.invoke(args=["backup", str(folder), "--keep-daily", "2",
                                 "--keep-monthly", "3"])
    assert result.exit_code == 0, result.output
    kept = sorted(p.name for p in folder.glob("bangtin-*.tar"))
    assert len(kept) == 3
    assert kept[:2] == ["bangtin-20261020-020000.tar", "bangtin-20261130-020000.tar"]
    newest = folder / kept[2]
    assert fmt.verify(newest)["format"] == fmt.FORMAT
    assert store.sidecar(newest).is_file()
    assert "Removed old backup bangtin-20260915-020000.tar" in result.output


def test_retention_needs_a_folder_and_the_file_contract_still_works(runner, tmp_path):
    dest = tmp_path / "one.tar"
    refused = runner.invoke(args=["backup", str(dest), "--keep-daily", "3"])
    assert refused.exit_code != 0
    assert "folder" in refused.output
    assert runner.invoke(args=["backup", str(dest)]).exit_code == 0
    assert fmt.verify(dest)


# Durable post saves.

def test_full_disk_while_storing_photos_gives_a_message_and_writes_nothing(client, make, auth,
                                                                           app, monkeypatch):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    real_save, calls = Image.Image.save, []

    def fill_disk(image, target, *args, **kwargs):
        """Write the first photo's two sizes, then run out of space half-way."""
        calls.append(target)
        if len(calls) > 2:
            Path(target).write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(image, target, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", fill_disk)
    data = post_form(client, images=[(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(jpeg()), "b.jpg")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "thư mục tải lên đã đầy hoặc không ghi được" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
    assert upload_files(app) == []


def test_unwritable_upload_folder_gives_a_message_and_writes_nothing(client, make, auth, app):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    Path(app.config["UPLOAD_DIR"], "images").write_text("not a folder")  # mkdir fails, as root too
    data = post_form(client, images=[(io.BytesIO(jpeg()), "a.jpg")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "không ghi được" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_a_failed_transaction_removes_the_photos_it_wrote(client, make, auth, app, monkeypatch):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    auth.login("bientap")

    def broken(_post):
        """Fail in the middle of the save's transaction."""
        raise RuntimeError("database went away")

    monkeypatch.setattr("bulletin.posts.saving.add_revision", broken)
    data = post_form(client, images=[(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(jpeg()), "b.jpg")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 500
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
    assert db.session.scalar(db.select(db.func.count(PostImage.id))) == 0
    assert upload_files(app) == []


def age(path: Path, hours: float) -> None:
    """Make a file look `hours` old."""
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_sweep_removes_only_old_files_no_row_refers_to(app, make, runner):
    kept = make.photo(make.post("Bài có ảnh"))
    for size in ("large", "thumb"):
        age(image_path(kept.file_key, size), 48)
    old_orphan = image_path("ab" + "0" * 30, "large")
    new_orphan = image_path("cd" + "0" * 30, "large")
    for path in (old_orphan, new_orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"jpeg")
    age(old_orphan, 25)
    result = runner.invoke(args=["sweep-uploads"])
    assert result.exit_code == 0
    assert "Removed 1 abandoned upload file(s)." in result.output
    assert not old_orphan.exists()
    assert new_orphan.exists()
    assert image_path(kept.file_key, "large").exists()
    assert image_path(kept.file_key, "thumb").exists()
    with app.test_request_context():
        assert sweep.sweep(hours=0) == [new_orphan]



def test_sweep_keeps_a_kept_photos_renditions_and_removes_orphans_and_torn_writes(app, make):
    from bulletin.uploads import ensure_rendition, rendition_path

    kept = make.photo(make.post("Bài có ảnh"))
    with app.test_request_context():
        made = ensure_rendition(kept.file_key, "medium", "webp")
        orphan = rendition_path("ef" + "0" * 30, "medium", "jpg")
        torn = orphan.with_name(orphan.name + ".0123abcd.tmp")  # a worker killed mid-write
        for path in (orphan, torn):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"jpeg")
        for path in (made, orphan, torn):
            age(path, 48)
        assert sorted(sweep.sweep()) == sorted([orphan, torn])
        assert made.exists()


def test_sweep_runs_at_a_start_once_per_period_not_at_every_start(make_app, tmp_path):
    orphan = tmp_path / "uploads" / "files" / "ab" / "abandoned.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4")
    age(orphan, 30)
    make_app()
    assert not orphan.exists()
    with make_app().app_context():
        marker = sweep.sweep_marker()
    assert marker.exists()

    # A second start within PENDING_UPLOAD_HOURS walks nothing: the marker says it is done.
    second = orphan.with_name("second.pdf")
    second.write_bytes(b"%PDF-1.4")
    age(second, 30)
    make_app()
    assert second.exists()

    # Once the last sweep is older than the period, the next start sweeps again.
    age(marker, 25)
    make_app()
    assert not second.exists()


# Health and logs.

def health(client) -> tuple[int, str]:
    """Return the health check's status and body."""
    response = client.get("/healthz")
    return response.status_code, response.get_data(as_text=True)


def test_healthz_says_which_part_failed_without_secrets(make_app, tmp_path):
    make_app()  # the fixture empties the test database through its first app
    secret_path = tmp_path / "bi-mat" / "khong-co" / "board.db"
    broken_uploads = tmp_path / "uploads-file"
    broken_uploads.write_text("a file, not a folder")
    app = make_app(DATABASE_URL=f"sqlite:///{secret_path}", UPLOAD_DIR=str(broken_uploads))
    status, body = health(app.test_client())
    assert status == 503
    assert body.splitlines() == ["database unavailable", "upload folder not writable"]
    assert "bi-mat" not in body


@pytest.fixture
def failing_app(make_app):
    """An app with a page that always fails, and the log handler writing to a buffer."""
    application = make_app()

    def boom():
        """Fail like a bug would."""
        raise ZeroDivisionError("boom\nsecond line")

    application.add_url_rule("/boom", "boom", boom)
    stream = io.StringIO()
    handler = logs.stderr_handler()
    handler.setStream(stream)
    logger = logging.getLogger("bulletin")
    logger.addHandler(handler)
    yield application, stream
    logger.removeHandler(handler)


def test_error_page_shows_the_request_id_that_the_log_line_carries(failing_app):
    application, stream = failing_app
    response = application.test_client().get("/boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert f"Mã sự cố: {request_id}" in response.get_data(as_text=True)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1  # the traceback too stays on the one line
    assert f"[{request_id}]" in lines[0]
    assert "ERROR bulletin.errors" in lines[0]
    assert "ZeroDivisionError: boom | second line" in lines[0]


def test_a_sane_request_id_from_the_proxy_is_kept(failing_app):
    application, _stream = failing_app
    client = application.test_client()
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-1234abcd"})
    assert kept.headers["X-Request-ID"] == "nginx-1234abcd"
    forged = client.get("/healthz", headers={"X-Request-ID": "x; Set-Cookie: a=b <script>"})
    assert re.fullmatch(r"[0-9a-f]{12}", forged.headers["X-Request-ID"])


def write_to_a_full_disk():
    """Write where the kernel always answers "no space left on device"."""
    with open("/dev/full", "wb") as full:
        full.write(b"a post")
        full.flush()


def test_a_full_disk_gives_the_boards_own_page_with_an_incident_number(failing_app):
    application, stream = failing_app
    application.add_url_rule("/full", "full", write_to_a_full_disk)
    response = application.test_client().get("/full")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Máy chủ hết chỗ trống" in html and '<html lang="vi">' in html
    assert f"Mã sự cố: {response.headers['X-Request-ID']}" in html
    assert "No space left on device" in stream.getvalue()  # the log has the details


@pytest.fixture
def read_only_database(app):
    """Make every new connection of the app's engine refuse writes, as a read-only disk does."""

    def refuse_writes(dbapi_connection, _record):
        """Turn the connection read-only."""
        cursor = dbapi_connection.cursor()
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            cursor.execute("PRAGMA query_only = 1")
        else:
            cursor.execute("SET default_transaction_read_only = on")
        cursor.close()

    db.session.remove()
    db.engine.dispose()
    sa_event.listen(db.engine, "connect", refuse_writes)
    yield
    sa_event.remove(db.engine, "connect", refuse_writes)
    db.engine.dispose()


def test_a_read_only_database_gives_the_boards_own_page_at_login(client, auth,
                                                                 read_only_database):
    response = auth.login("admin")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Chưa ghi được dữ liệu" in html and "Internal Server Error" not in html
    assert f"Mã sự cố: {response.headers['X-Request-ID']}" in html


def test_when_the_error_page_cannot_be_drawn_a_plain_one_still_gives_the_number(failing_app,
                                                                               monkeypatch):
    application, _stream = failing_app

    def broken_layout(*_args, **_kwargs):
        """Fail like a layout that reads a database that is gone."""
        raise RuntimeError("layout needs the database")

    monkeypatch.setattr(errors, "render_template", broken_layout)
    response = application.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in html and f"Mã sự cố: {response.headers['X-Request-ID']}" in html


# Site settings on every worker.

def test_a_new_commune_name_shows_on_every_worker_at_once(client, admin, make_app):
    other_worker = make_app().test_client()  # another process: its own copy of the settings
    assert save_site(client, locality_name="xã Kim Chung").status_code == 303
    assert "xã Kim Chung" in other_worker.get("/").get_data(as_text=True)
    assert save_site(client, locality_name="xã Vân Nội").status_code == 303
    assert "xã Vân Nội" in other_worker.get("/").get_data(as_text=True)
    assert "xã Vân Nội" in other_worker.get("/search?q=x").get_data(as_text=True)


# The README's settings and the configuration.

def readme_settings() -> list[str]:
    """Return the variables named in the first column of the README's settings table."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z0-9_]+)` \|", section, re.M)


def test_every_setting_the_readme_names_is_read_from_the_environment(app):
    named = readme_settings()
    assert len(named) >= 15 and len(set(named)) == len(named)
    assert set(named) == set(config.ENV_SETTINGS)  # nothing undocumented, nothing unread
    defaults = config.defaults(app.instance_path)
    for name in named:
        value = "1"  # a flag, a number, a list and a text alike
        assert name in config.from_environment({name: value}), name
        assert name in defaults or name == "SECRET_KEY", f"{name} has no default"


def test_backup_dir_and_page_cache_seconds_come_from_the_environment(env_app, monkeypatch,
                                                                     tmp_path):
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "usb"))
    monkeypatch.setenv("PAGE_CACHE_SECONDS", "0")
    application = env_app()
    assert application.config["BACKUP_DIR"] == str(tmp_path / "usb")
    assert application.config["PAGE_CACHE_SECONDS"] == 0
    monkeypatch.setenv("PAGE_CACHE_SECONDS", "nhiều")
    with pytest.raises(ValueError, match="PAGE_CACHE_SECONDS must be a number"):
        env_app()


# The accounts command.

def test_user_list_shows_the_last_login_in_vietnams_time(runner, make):
    user = make.user("bientap", "editor", orgs=["hoi-lhpn"])
    user.last_login_at = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)  # 03:30 the next day there
    db.session.commit()
    output = runner.invoke(args=["user", "list"]).output
    assert "02/12/2026 03:30 (UTC+7)" in output and "UTC\n" not in output


def test_a_wrong_org_slug_lists_the_valid_ones(runner):
    result = runner.invoke(args=["user", "create", "moi", "--role", "editor", "--org", "hoi-pn",
                                 "--password", "một mật khẩu đủ dài"])
    assert result.exit_code != 0
    for slug in ("mttq", "hoi-lhpn", "doan-tncs", "hoi-ccb", "hoi-nong-dan", "cong-doan"):
        assert slug in result.output


# scripts/run: where it serves.

def run_addresses(host: str, port: str) -> list[str]:
    """Return what scripts/run prints about where it serves."""
    script = Path(__file__).parent.parent / "scripts" / "addresses.py"
    done = subprocess.run([sys.executable, str(script), host, port], capture_output=True,
                          text=True, check=True, timeout=30)
    return done.stdout.splitlines()


def test_run_on_loopback_says_only_this_computer_can_open_it():
    lines = run_addresses("127.0.0.1", "5000")
    assert lines[0].startswith("Bảng tin is serving on http://127.0.0.1:" + "5000")
    assert "HOST=0.0.0.0" in lines[1]


def test_run_beyond_loopback_prints_the_address_phones_should_open():
    lines = run_addresses("0.0.0.0", "8080")  # noqa: S104
    phones = [line.strip() for line in lines if line.startswith("    http://")]
    assert phones or "No network address found" in lines[1]  # a machine on no network
    assert all(re.fullmatch(r"http://\d+\.\d+\.\d+\.\d+:8080", p) for p in phones)
    assert not any(p.startswith("http://127.") for p in phones)
    assert "BASE_URL and TRUSTED_HOSTS" in lines[-1]
    assert run_addresses("192.168.1.20", "80")[2] == "    http://192.168.1.20:80"
