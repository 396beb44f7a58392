"""Two app servers, one PostgreSQL, one Redis, one upload folder: the board scales out.

Starts two gunicorn servers (2 sync workers each) on their own ports against one fresh
PostgreSQL database, one Redis (a key prefix of this run's own) and a shared UPLOAD_DIR, and
proves over real HTTP that what one server does, the other sees at once. The load test runs
SCALE_OUT_LOAD_SECONDS (20 by default; 60 for a full run) of 32 concurrent readers over both
servers while an editor publishes.
"""

import io
import json
import os
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from flask_migrate import upgrade
from PIL import Image

from bulletin import create_app, standard
from bulletin.auth.passwords import hash_password
from bulletin.database import MIGRATIONS_DIR
from bulletin.extensions import db
from bulletin.models import Organization, User
from tests.conftest import (
    DATABASES,
    REDIS_URL,
    _drop_postgres_database,
    _postgres_database,
    redis_key_prefix,
)
from tests.servers import Gunicorn

pytestmark = [
    pytest.mark.scale_out,
    pytest.mark.skipif("postgresql" not in DATABASES, reason="needs the PostgreSQL leg"),
]

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# 8 s of 32 readers is thousands of requests over both servers and a few posts published
# meanwhile; SCALE_OUT_LOAD_SECONDS=60 gives a longer soak.
LOAD_SECONDS = float(os.environ.get("SCALE_OUT_LOAD_SECONDS", "8"))
READERS = 32
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
PASSWORD = "mat-khau-du-dai-cho-bien-tap"  # noqa: S105 -- a throwaway account
SECRET = "scale-out-test-secret-key-0123456789-abcdefghijkl"  # noqa: S105 -- throwaway


# --- The setup: database, Redis, two servers ---------------------------------------------

@pytest.fixture(scope="module")
def redis_prefix():
    """A key prefix of this run's own in the test Redis; its keys are deleted afterwards."""
    with redis_key_prefix("bulletin-scale", "the scale-out test is") as prefix:
        yield prefix


@pytest.fixture(scope="module")
def shared(tmp_path_factory, redis_prefix):
    """The settings both servers share: one database, one Redis prefix, one upload folder."""
    name = f"bulletin_scale_{uuid.uuid4().hex[:8]}"
    url = _postgres_database(name)
    config = {
        "DATABASE_URL": url, "SECRET_KEY": SECRET, "REDIS_URL": REDIS_URL,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("shared-uploads")),
        "VISITS_REDIS_PREFIX": redis_prefix + "visits:",
        "PAGE_CACHE_REDIS_KEY": redis_prefix + "pages:version",
        "VISITS_FLUSH_SECONDS": 0.5,
        "ARGON2_COST": [1, 1024, 1],
    }
    app = create_app(config)
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        standard.ensure_standard_data()
        mttq = db.session.scalar(db.select(Organization).where(Organization.slug == "mttq"))
        db.session.add(User(username="bientap", role="editor", full_name="Biên tập viên",
                            password_hash=hash_password(PASSWORD), organizations=[mttq]))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    yield config
    _drop_postgres_database(name)


def start_server(config: dict, log: Path) -> Gunicorn:
    """Start gunicorn (2 sync workers) serving `create_app(config)` on a port of its own."""
    factory = f"bulletin:create_app({json.dumps(config)})"
    server = Gunicorn([str(GUNICORN), "--workers", "2", "--no-control-socket",
                       "--graceful-timeout", "5", factory], cwd=ROOT, log_path=log)
    server.start(lambda url: Browser(url).get("/healthz")[0] == 200, timeout=60)
    return server


@pytest.fixture(scope="module")
def servers(shared, tmp_path_factory):
    """Two servers' base URLs: "a" and "b"."""
    logs = tmp_path_factory.mktemp("gunicorn")
    started, bases = [], {}
    try:
        for name in ("a", "b"):
            started.append(start_server(shared, logs / f"{name}.log"))
            bases[name] = started[-1].url
        yield bases
    finally:
        for server in started:
            server.stop()


# --- A browser over real HTTP -------------------------------------------------------------

class NoRedirect(HTTPRedirectHandler):
    """Hand redirects back to the caller instead of following them."""

    def redirect_request(self, *args, **kwargs):
        """Never follow."""
        return None


class Browser:
    """Cookies, a browser's User-Agent, no redirects followed; `base` may be swapped."""

    def __init__(self, base: str, jar: CookieJar | None = None):
        self.base = base
        self.jar = jar if jar is not None else CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar), NoRedirect)

    def on(self, base: str) -> "Browser":
        """The same browser (same cookies) talking to another server."""
        return Browser(base, self.jar)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        """Send a request; return (status, headers, body text)."""
        request = Request(self.base + path, data=data,  # noqa: S310 -- loopback
                          headers={"User-Agent": FIREFOX, **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode(
                    errors="replace")
        except HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def get(self, path: str):
        """GET a path."""
        return self.request(path)

    def post(self, path: str, fields: dict, files: dict | None = None):
        """POST a form (multipart when there are files)."""
        if not files:
            return self.request(path, urlencode(fields).encode(),
                                {"Content-Type": "application/x-www-form-urlencoded"})
        body, content_type = multipart(fields, files)
        return self.request(path, body, {"Content-Type": content_type})

    def token(self, path: str) -> str:
        """The CSRF token of the form on `path`."""
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path)[2]).group(1)

    def login(self, username: str, password: str):
        """Post the login form; return the status."""
        return self.post("/login", {"username": username, "password": password,
                                    "csrf_token": self.token("/login")})[0]


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """Encode a form with files as multipart/form-data."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields.items()]
    for name, (filename, data, mimetype) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {mimetype}\r\n\r\n'.encode()
                     + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def jpeg() -> bytes:
    """A small photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def publish(editor: Browser, title: str, photo: bool = False) -> str:
    """Publish a post through the editor's form; return its page's path."""
    fields = {"csrf_token": editor.token("/posts/new"), "title": title,
              "summary": f"Tóm tắt: {title}", "body": f"<p>{title}: nội dung.</p>",
              "organization": "mttq", "category": "tin-hoat-dong", "status": "published",
              "byline": "Biên tập viên"}
    files = {"images": ("anh-hoi-nghi.jpg", jpeg(), "image/jpeg")} if photo else None
    status, headers, _body = editor.post("/posts/new", fields, files)
    assert status in (302, 303), status
    return headers["Location"].replace("http://localhost", "")


@pytest.fixture(scope="module")
def editor(servers):
    """The editor, logged in on server A."""
    browser = Browser(servers["a"])
    assert browser.login("bientap", PASSWORD) == 302
    return browser


# --- What one server does, the other sees ---------------------------------------------------

def test_a_post_published_on_one_server_is_on_the_other_at_once(servers, editor):
    reader_b = Browser(servers["b"])
    for _ in range(3):  # B now holds its home page in its cache
        assert reader_b.get("/")[0] == 200
    title = f"Hội nghị liên tịch {uuid.uuid4().hex[:6]}"
    path = publish(editor, title)
    status, _headers, body = reader_b.get(path)
    assert status == 200
    assert title in body
    assert title in reader_b.get("/")[2]  # B's cached home page was dropped


def test_a_login_made_on_one_server_is_valid_on_the_other(servers, editor):
    status, _headers, body = editor.on(servers["b"]).get("/posts/new")
    assert status == 200
    assert 'name="title"' in body
    assert Browser(servers["b"]).get("/posts/new")[0] == 302  # a stranger is sent to log in


def test_an_upload_through_one_server_is_served_by_the_other(servers, editor):
    path = publish(editor, f"Ảnh đại hội {uuid.uuid4().hex[:6]}", photo=True)
    _status, _headers, body = Browser(servers["b"]).get(path)
    image = re.search(r'src="(/images/\d+/[a-z]+\.jpg)"', body).group(1)
    status, headers, _data = Browser(servers["b"]).request(image)
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"


def test_visit_figures_are_shared(servers):
    time.sleep(4)  # earlier tests' visits flushed, every worker's cached figures expired
    before = json.loads(Browser(servers["a"]).get("/stats/visits")[2])
    assert Browser(servers["a"]).get("/")[0] == 200
    assert Browser(servers["b"]).get("/org/mttq")[0] == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        seen = [json.loads(Browser(servers[name]).get("/stats/visits")[2]) for name in "ab"]
        if seen[0] == seen[1] and seen[0]["today"] == before["today"] + 2:
            break
        time.sleep(0.3)
    assert seen[0] == seen[1]
    assert seen[0]["today"] == before["today"] + 2
    assert seen[0]["online"] >= before["online"] + 2


# --- Load over both servers while an editor publishes ----------------------------------------

def read_forever(bases: list[str], paths: list[str], stop: threading.Event,
                 outcomes: Counter, lock: threading.Lock) -> None:
    """One reader: GET random pages from random servers until stopped; count the statuses."""
    browser = Browser(bases[0])
    while not stop.is_set():
        target = browser.on(random.choice(bases))  # noqa: S311 -- load, not security
        try:
            status = target.get(random.choice(paths))[0]  # noqa: S311
        except (URLError, OSError) as error:
            status = type(error).__name__
        with lock:
            outcomes[status] += 1


def test_32_readers_over_both_servers_while_an_editor_publishes(servers, editor):
    bases = [servers["a"], servers["b"]]
    first = publish(editor, "Bài mở đầu cho phép đo")
    paths = ["/", first, "/org/mttq", "/category/tin-hoat-dong",
             "/search?q=hoi+nghi", "/feed.atom", "/stats/visits", "/honour-roll"]
    stop, lock, outcomes = threading.Event(), threading.Lock(), Counter()
    readers = [threading.Thread(target=read_forever, args=(bases, paths, stop, outcomes, lock))
               for _ in range(READERS)]
    published = 0
    with ExitStack() as stack:
        stack.callback(lambda: [reader.join(timeout=60) for reader in readers])
        stack.callback(stop.set)
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + LOAD_SECONDS
        while time.monotonic() < deadline:
            path = publish(editor.on(random.choice(bases)),  # noqa: S311
                           f"Tin trong lúc tải {published}")
            assert Browser(random.choice(bases)).get(path)[0] == 200  # noqa: S311
            published += 1
    answered = sum(count for status, count in outcomes.items() if status == 200)
    assert outcomes == Counter({200: answered}), outcomes
    print(f"{answered} pages in {LOAD_SECONDS:.0f} s over two servers "
          f"({answered / LOAD_SECONDS:.0f}/s), {published} posts published meanwhile")
    assert answered > LOAD_SECONDS * 5
    assert published >= 1


# --- Last: it blocks 127.0.0.1 for 15 minutes -------------------------------------------------

def test_login_throttling_is_shared(servers):
    attacker = Browser(servers["a"])
    for attempt in range(10):
        target = attacker.on(servers["ab"[attempt % 2]])
        assert target.login("bientap-khong-co", "sai-mat-khau") != 302
    for name in "ab":
        status, _headers, body = attacker.on(servers[name]).request(
            "/login", urlencode({"username": "bientap-khong-co", "password": "x",
                                 "csrf_token": attacker.on(servers[name]).token("/login")})
            .encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 429
