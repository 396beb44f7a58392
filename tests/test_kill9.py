"""A real server killed with SIGKILL in the middle of a write keeps all of it or none of it.

Each test starts gunicorn (one worker) on its own database and upload folder, drives it over
HTTP, waits until the write is under way (SQLite: a writer holds the database's write lock;
PostgreSQL: the worker's INSERT is running), kills the whole process group with SIGKILL,
starts a new server on the same data and checks what is there.
"""

import io
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from PIL import Image

from bulletin.awards.importing.writing import WRITE_BATCH
from tests.conftest import DATABASES, _drop_postgres_database, _postgres_database
from tests.servers import Gunicorn
from tests.test_awards_import import row, workbook

pytestmark = pytest.mark.slow  # `scripts/test --quick` leaves these out

ROOT = Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = "mot cau mat khau that dai"
# Three of the import's write batches (importing.writing.WRITE_BATCH): a kill between them
# would leave a part written if the confirm were not one transaction.
IMPORT_ROWS = 3000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Quang", "Thanh", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
         "Vân", "Việt", "Yến", "Khánh", "Loan", "Nhung", "Oanh", "Phúc", "Quyên", "Thủy",
         "Tiến", "Toàn", "Trung", "Uyên", "Xuân", "Hạnh", "Huệ", "Kiên", "Lực", "Mạnh",
         "Ngân", "Nhàn", "Phương", "Sen", "Thắng", "Thịnh", "Vinh", "Bảo"]


class Server:
    """gunicorn serving the board on one database and upload folder, on a port of its own."""

    def __init__(self, kind: str, database_url: str, upload_dir: Path, log_path: Path):
        self.kind, self.database_url, self.upload_dir = kind, database_url, upload_dir
        env = {**os.environ, "DATABASE_URL": database_url, "UPLOAD_DIR": str(upload_dir),
               "SECRET_KEY": "kill-test-" + "k" * 40, "BULLETIN_ADMIN_PASSWORD": ADMIN_PASSWORD}
        self.gunicorn = Gunicorn(
            [str(ROOT / ".venv/bin/gunicorn"), "--workers", "1", "--timeout", "300",
             "--no-control-socket", "app:app"],
            cwd=ROOT, env=env, log_path=log_path, new_session=True)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()))

    def start(self) -> None:
        """Start gunicorn in a process group of its own and wait until /healthz says ok."""
        self.gunicorn.start(lambda _url: self.get("/healthz") == "ok")

    def kill(self) -> None:
        """SIGKILL the master and its worker at once, like a pulled power cable."""
        self.gunicorn.stop(signal.SIGKILL)

    def stop(self) -> None:
        """Stop the server if it still runs."""
        self.gunicorn.stop(signal.SIGTERM)

    def get(self, path: str) -> str:
        """GET a page's text."""
        with self.opener.open(self.gunicorn.url + path, timeout=300) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict, files: dict | None = None) -> str:
        """POST a form (multipart when files are given) and return the answer's text."""
        boundary = uuid.uuid4().hex
        body = multipart(boundary, fields, files or {})
        request = urllib.request.Request(  # noqa: S310 -- our own server's http:// URL
            self.gunicorn.url + path, data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            return error.read().decode()

    def csrf(self, path: str) -> str:
        """The CSRF token of a form page."""
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path)).group(1)

    def login(self) -> None:
        """Log in as the admin made from BULLETIN_ADMIN_PASSWORD."""
        self.post("/login", {"csrf_token": self.csrf("/login"), "username": "admin",
                             "password": ADMIN_PASSWORD})
        assert "Đăng xuất" in self.get("/")


def multipart(boundary: str, fields: dict, files: dict) -> bytes:
    """Encode form fields and files ({name: [(filename, bytes), …]}) as multipart."""
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, uploads in files.items():
        for filename, data in uploads:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: application/octet-stream'
                         f"\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


@pytest.fixture(params=DATABASES)
def server(request, tmp_path):
    """A gunicorn server on a fresh, migrated database of its own."""
    kind = request.param
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'board.db'}"
    else:
        name = f"bulletin_kill_{uuid.uuid4().hex[:8]}"
        url = _postgres_database(name)
        migrate(url, tmp_path)
    running = Server(kind, url, tmp_path / "uploads", tmp_path / "server.log")
    running.start()
    yield running
    running.stop()
    if kind == "postgresql":
        _drop_postgres_database(name)


def migrate(url: str, tmp_path: Path) -> None:
    """Bring a PostgreSQL database to the newest schema, as `flask db upgrade` does."""
    env = {**os.environ, "DATABASE_URL": url, "UPLOAD_DIR": str(tmp_path / "uploads"),
           "SECRET_KEY": "kill-test-" + "k" * 40}
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)


def count(server: Server, table: str) -> int:
    """Count a table's rows, straight from the database."""
    sql = f"SELECT count(*) FROM {table}"
    if server.kind == "sqlite":
        with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchone()[0]
    with psycopg.connect(server.database_url) as conn:
        return conn.execute(sql).fetchone()[0]


def write_under_way(server: Server, *statements: str) -> bool:
    """Tell whether the server is inside a write transaction (for PostgreSQL: one that has
    written, its last statement one of `statements`)."""
    if server.kind == "sqlite":
        conn = sqlite3.connect(server.database_url.removeprefix("sqlite:///"), timeout=0,
                               isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True  # the write lock is held
        finally:
            conn.close()
    with psycopg.connect(server.database_url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state <> 'idle' AND backend_xid IS NOT NULL "
            "AND query ILIKE ANY(%s)",
            ([f"%{statement}%" for statement in statements],)).fetchone()[0] > 0


def post_in_background(server: Server, path: str, fields: dict, files=None) -> dict:
    """Send a POST from a thread; the dict gets "answer" or "error" when it ends."""
    outcome: dict = {}

    def send():
        """Send and record what came back."""
        try:
            outcome["answer"] = server.post(path, fields, files)
        except OSError as error:
            outcome["error"] = error

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


def kill_when(server: Server, ready, outcome: dict, limit: float = 240,
              pause: float = 0.02) -> None:
    """Kill the server as soon as `ready()` holds, and check the request had not finished."""
    assert try_kill_when(server, ready, outcome, limit, pause), \
        "the request finished before it could be killed"


def try_kill_when(server: Server, ready, outcome: dict, limit: float = 240,
                  pause: float = 0.02) -> bool:
    """Kill the server as soon as `ready()` holds; False when the request ended first."""
    deadline = time.monotonic() + limit
    while not ready():
        assert time.monotonic() < deadline, "the write never started"
        if not outcome["thread"].is_alive():
            return False
        time.sleep(pause)
    server.kill()
    outcome["thread"].join(timeout=30)
    assert "answer" not in outcome, "the server answered before it was killed"
    return True


def registry_workbook() -> bytes:
    """IMPORT_ROWS awards in the export's layout, each to a different person."""
    names = [f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN][:IMPORT_ROWS]
    return workbook([row(name=name, number=f"{i // 100 + 1}/QĐ-MTTQ")
                     for i, name in enumerate(names)])


def dry_run(server: Server, data: bytes) -> dict:
    """Upload the workbook; return the dry run's confirm fields."""
    page = server.post("/awards/import", {"csrf_token": server.csrf("/awards/import")},
                       {"file": [("so-khen-thuong.xlsx", data)]})
    form = re.search(r'<form[^>]*action="/awards/import/confirm".*?</form>', page, re.S)
    assert form, page[-3000:]
    return dict(re.findall(r'name="(csrf_token|token)"[^>]*value="([^"]*)"', form.group(0)))


def sweep_uploads(server: Server) -> None:
    """Run `flask sweep-uploads --hours 0` on the server's data (as if a day had passed)."""
    env = {**os.environ, "DATABASE_URL": server.database_url,
           "UPLOAD_DIR": str(server.upload_dir), "SECRET_KEY": "kill-test-" + "k" * 40}
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "sweep-uploads",
                    "--hours", "0"], cwd=ROOT, env=env, check=True, capture_output=True)


def test_killing_the_server_during_a_3000_row_import_keeps_all_or_nothing(server):
    assert IMPORT_ROWS >= 3 * WRITE_BATCH  # several write batches, one transaction
    server.login()
    data = registry_workbook()
    fields = dry_run(server, data)
    decisions_before = count(server, "decisions")
    outcome = post_in_background(server, "/awards/import/confirm", fields)
    # Bulk rows go in by COPY on PostgreSQL, after the import's decisions.
    kill_when(server, lambda: write_under_way(server, "INSERT INTO award", "INSERT INTO decisions",
                                              "COPY award"), outcome)
    server.start()
    report = {"awards": count(server, "awards"), "decisions": count(server, "decisions"),
              "history": count(server, "award_history")}
    assert report["awards"] in (0, IMPORT_ROWS), report
    assert report["history"] in (0, IMPORT_ROWS), report
    if report["awards"] == 0:
        assert report["decisions"] == decisions_before, report
        server.login()  # the killed confirm claimed its workbook: upload it again
        server.post("/awards/import/confirm", dry_run(server, data))
        assert count(server, "awards") == IMPORT_ROWS
    # The killed confirm's claimed workbook waits in imports/ until it is a day old.
    sweep_uploads(server)
    assert list((server.upload_dir / "imports").glob("*")) == []


def noisy_photo(seed: int) -> bytes:
    """A large photo that takes the server a while to re-encode."""
    image = Image.effect_noise((2600, 1900), 60 + seed).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def image_files(server: Server) -> set[Path]:
    """Every file under the upload folder's images/."""
    return {p for p in (server.upload_dir / "images").rglob("*") if p.is_file()}


def referenced_image_files(server: Server) -> set[Path]:
    """The image files the post_images rows refer to."""
    sql = "SELECT file_key FROM post_images"
    if server.kind == "sqlite":
        with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as conn:
            keys = [r[0] for r in conn.execute(sql)]
    else:
        with psycopg.connect(server.database_url) as conn:
            keys = [r[0] for r in conn.execute(sql)]
    return {server.upload_dir / "images" / k[:2] / f"{k}_{size}.jpg"
            for k in keys for size in ("large", "thumb")}


@contextmanager
def revisions_locked(server: Server):
    """PostgreSQL: hold back inserts into post_revisions, so a post save stops half-way
    (its post and photo rows written, the transaction open); SQLite: nothing."""
    if server.kind == "sqlite":
        yield
        return
    with psycopg.connect(server.database_url) as conn:
        conn.execute("LOCK TABLE post_revisions IN SHARE ROW EXCLUSIVE MODE")
        yield
        conn.rollback()


def waiting_on_revisions(server: Server) -> bool:
    """Tell whether the server's save waits at its revision row, inside its transaction."""
    with psycopg.connect(server.database_url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO post_revisions%%'"
        ).fetchone()[0] > 0


@pytest.mark.parametrize("moment", ["while storing photos", "after the photos, at the insert"])
def test_killing_the_server_during_a_post_save_with_photos_keeps_all_or_nothing(server, moment):
    server.login()
    photos = [(f"anh-{i}.jpg", noisy_photo(i)) for i in range(8)]
    fields = {"csrf_token": server.csrf("/posts/new"), "title": "Hội nghị có nhiều ảnh",
              "summary": "", "body": "<p>Ảnh hội nghị.</p>", "organization": "mttq",
              "category": "", "status": "published", "byline": ""}
    saved = 0  # posts whose save ended before the kill could catch it
    if moment == "while storing photos":
        outcome = post_in_background(server, "/posts/new", fields, {"images": photos})
        kill_when(server, lambda: len(image_files(server)) >= 4, outcome)  # 2 of 8 stored
    elif server.kind == "sqlite":
        # SQLite holds its write lock for a few milliseconds only: poll closely, and when
        # the save still ends first (a busy machine), send the form again.
        for _attempt in range(8):
            fields["csrf_token"] = server.csrf("/posts/new")
            outcome = post_in_background(server, "/posts/new", fields, {"images": photos})
            if try_kill_when(server, lambda: write_under_way(server, "INSERT INTO post"),
                             outcome, pause=0.001):
                break
            saved += 1
        else:
            pytest.fail("every save ended before the kill could catch its write")
    else:
        with revisions_locked(server):
            outcome = post_in_background(server, "/posts/new", fields, {"images": photos})
            kill_when(server, lambda: waiting_on_revisions(server), outcome)
    server.start()
    posts, images = count(server, "posts"), count(server, "post_images")
    assert (posts, images) in ((saved, 8 * saved), (saved + 1, 8 * (saved + 1)))
    referenced = referenced_image_files(server)
    assert referenced <= image_files(server)  # no row points at a missing file
    # What is left unreferenced is a pending upload; the sweep removes it once it is old.
    sweep_uploads(server)
    assert image_files(server) == referenced
