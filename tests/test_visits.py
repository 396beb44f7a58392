"""Visit statistics: who counts, when, the widget and /stats/visits, Redis, several workers.

In-process tests flush synchronously (VISITS_FLUSH_SECONDS=0) and read uncached figures
(STATS_CACHE_SECONDS=0), with the counter's clock frozen on a Wednesday in Vietnam. The last
tests start real worker processes on the test database and talk to them over HTTP.
"""

import json
import re
import select
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
import redis
from sqlalchemy import event, func

from bulletin import visits
from bulletin.extensions import db
from bulletin.models import PostViews, VisitDay, VisitorSeen, VisitTotal
from tests.conftest import REDIS_URL, redis_key_prefix

ROOT = Path(__file__).resolve().parent.parent

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_PHONE = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like "
                "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")
NOTHING = {"online": 0, "today": 0, "week": 0, "total": 0}

# 10:00 on Wednesday 25/11/2026 in Vietnam (UTC+7).
WEDNESDAY_MORNING = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


class Clock:
    """The counter's clock, frozen; `advance(...)` moves it on."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        """Return the frozen time."""
        return self.moment

    def set(self, moment: datetime) -> None:
        """Jump to `moment`."""
        self.moment = moment

    def advance(self, **delta) -> None:
        """Move the clock on by a timedelta's worth (`minutes=5`, `days=1`)."""
        self.moment += timedelta(**delta)


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    """Freeze the visit counter's clock on a Wednesday morning in Vietnam."""
    frozen = Clock(WEDNESDAY_MORNING)
    monkeypatch.setattr(visits.rules, "utcnow", frozen)
    return frozen


def browser(app, user_agent: str = FIREFOX):
    """A test client that keeps its cookies and sends a browser's User-Agent."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def figures(app) -> dict:
    """Return /stats/visits as a dict."""
    response = app.test_client().get("/stats/visits")
    assert response.status_code == 200
    return response.get_json()


def widget_figures(html: str) -> dict:
    """Read the four figures the widget shows on a page."""
    found = re.findall(r'<dd data-stat="(\w+)">([\d.]+)</dd>', html)
    return {name: int(value.replace(".", "")) for name, value in found}


def visitor_cookie(response) -> str | None:
    """Return the Set-Cookie header of the visitor cookie, if the response sets it."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{visits.COOKIE_NAME}="):
            return header
    return None


def rows(model) -> list:
    """Return every row of a visits table."""
    return list(db.session.scalars(db.select(model)))


# --- Who counts ------------------------------------------------------------------------

def test_a_new_browser_counts_once_however_many_pages_it_reads(app, make):
    post = make.post()
    reader = browser(app)
    for path in ("/", f"/posts/{post.id}/{post.slug}", "/org/mttq", "/", f"/posts/{post.id}"):
        assert reader.get(path, follow_redirects=True).status_code == 200
    assert figures(app) == {"online": 1, "today": 1, "week": 1, "total": 1}


def test_a_second_browser_adds_one(app):
    browser(app).get("/")
    browser(app, CHROME_PHONE).get("/")
    browser(app, CHROME_PHONE).get("/org/mttq")  # a phone without cookies is another browser
    assert figures(app) == {"online": 3, "today": 3, "week": 3, "total": 3}


def test_first_page_counts_and_sets_a_long_lived_anonymous_cookie(app):
    reader = browser(app)
    first = reader.get("/")
    header = visitor_cookie(first)
    assert header is not None
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Max-Age=63072000" in header  # two years
    assert figures(app)["total"] == 1  # counted at once, before the cookie comes back
    token = reader.get_cookie(visits.COOKIE_NAME).value
    assert visitor_cookie(reader.get("/")) is None  # kept, not renewed on every page
    stored = [row.visitor for row in rows(VisitDay)] + [row.visitor for row in rows(VisitorSeen)]
    assert stored and all(len(v) == 32 and v != token and v not in token for v in stored)


def test_a_forged_cookie_is_replaced(app):
    reader = browser(app)
    reader.set_cookie(visits.COOKIE_NAME, "x", domain="localhost")
    assert visitor_cookie(reader.get("/")) is not None
    assert figures(app)["total"] == 1


@pytest.mark.parametrize("user_agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 SkypeUriPreview Preview/0.5",
    "Mozilla/5.0 (compatible; archive.org_bot; Wayback Machine Live Record)",
    "",
])
def test_crawlers_and_requests_without_user_agent_are_not_counted(app, user_agent):
    bot = browser(app, user_agent)
    for _ in range(3):
        response = bot.get("/")
        assert response.status_code == 200
        assert visitor_cookie(response) is None
    assert figures(app) == NOTHING


def test_http_clients_and_headless_browsers_count_like_browsers(app):
    for user_agent in (
        "python-requests/2.32.3",
        "curl/8.5.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 Chrome/120.0 Mobile",
    ):
        client = browser(app, user_agent)
        client.get("/")
        client.get("/")
    assert figures(app)["total"] == 4


def test_only_pages_count_not_health_static_stats_feeds_images_or_errors(app, make):
    photo = make.photo(make.post())
    reader = browser(app)
    for path in ("/healthz", "/static/css/site.css", "/static/js/visits.js", "/stats/visits",
                 "/feed.atom", "/org/mttq/feed.atom", f"/images/{photo.id}/thumb.jpg",
                 "/khong-co-trang-nay"):
        with reader.get(path) as response:
            assert response.status_code in (200, 404), path
            assert visitor_cookie(response) is None, path
    assert figures(app) == NOTHING


def test_only_get_requests_count(make_app):
    app = make_app(WTF_CSRF_ENABLED=False)  # a POST reaches the view and answers a page
    app.add_url_rule("/a-form", "a_form", lambda: "<p>Biểu mẫu</p>",
                     methods=["GET", "POST", "PUT"])
    reader = browser(app)
    for method in (reader.head, reader.post, reader.put):
        response = method("/a-form")
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert visitor_cookie(response) is None
    assert figures(app) == NOTHING
    reader.get("/a-form")
    assert figures(app)["total"] == 1


# --- Days, weeks, online ---------------------------------------------------------------

def test_a_visit_yesterday_counts_in_the_week_but_not_today(app, clock):
    clock.set(WEDNESDAY_MORNING - timedelta(days=1))
    tuesday_reader = browser(app)
    tuesday_reader.get("/")
    clock.set(WEDNESDAY_MORNING)
    browser(app, CHROME_PHONE).get("/")
    assert figures(app) == {"online": 1, "today": 1, "week": 2, "total": 2}
    tuesday_reader.get("/")  # the same browser on a new day is a new visit
    assert figures(app) == {"online": 2, "today": 2, "week": 3, "total": 3}


def test_days_and_weeks_turn_at_midnight_in_vietnam_on_monday(app, clock):
    # 23:50 on Sunday 22/11 in Vietnam, then 00:10 on Monday 23/11 (still Sunday in UTC).
    clock.set(datetime(2026, 11, 22, 16, 50, tzinfo=UTC))
    browser(app).get("/")
    assert figures(app) == {"online": 1, "today": 1, "week": 1, "total": 1}
    clock.advance(minutes=20)
    browser(app, CHROME_PHONE).get("/")
    assert figures(app) == {"online": 1, "today": 1, "week": 1, "total": 2}


def test_online_counts_browsers_of_the_last_five_minutes(app, clock):
    first = browser(app)
    first.get("/")
    clock.advance(minutes=3)
    browser(app, CHROME_PHONE).get("/")
    clock.advance(minutes=1, seconds=59)
    assert figures(app)["online"] == 2
    clock.advance(seconds=2)  # the first browser's last page is now over five minutes old
    assert figures(app) == {"online": 1, "today": 2, "week": 2, "total": 2}
    first.get("/org/mttq")  # back again: online, but no new visit today
    assert figures(app) == {"online": 2, "today": 2, "week": 2, "total": 2}
    clock.advance(minutes=3)
    assert figures(app)["online"] == 1
    clock.advance(minutes=3)
    assert figures(app)["online"] == 0


def test_old_rows_are_deleted_but_totals_keep_them(app, clock):
    now = clock()
    today = visits.local_day(now)
    db.session.add_all([
        VisitDay(day_on=today - timedelta(days=10), visitor="a" * 32),
        VisitDay(day_on=today - timedelta(days=2), visitor="b" * 32),
        VisitTotal(day_on=today - timedelta(days=10), visits=5),
        VisitTotal(day_on=today - timedelta(days=2), visits=1),
        VisitorSeen(visitor="a" * 32, seen_at=now - timedelta(days=2)),
        VisitorSeen(visitor="b" * 32, seen_at=now - timedelta(hours=1)),
    ])
    db.session.commit()
    browser(app).get("/")  # the first flush of a process also cleans up
    db.session.rollback()
    assert {row.day_on for row in rows(VisitDay)} == {today - timedelta(days=2), today}
    assert "a" * 32 not in {row.visitor for row in rows(VisitorSeen)}
    assert figures(app) == {"online": 1, "today": 1, "week": 2, "total": 7}


# --- No write per page view, caching, several buffers ---------------------------------

@contextmanager
def watching_writes(app):
    """Collect the INSERT, UPDATE and DELETE statements `app` sends while inside."""
    writes: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        """Keep a statement that changes rows."""
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield writes
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_page_views_do_not_write_to_the_database_until_the_flush(make_app):
    app = make_app(VISITS_FLUSH_SECONDS=60, REDIS_URL=None)
    counter = visits.counter(app)
    try:
        with watching_writes(app) as writes:
            for user_agent in (FIREFOX, CHROME_PHONE):
                reader = browser(app, user_agent)
                for _ in range(3):
                    assert reader.get("/").status_code == 200
            assert writes == []
            assert figures(app)["total"] == 0  # buffered, not yet written
            assert counter.state.flusher.is_alive()  # started by the first page view
            counter.flush()
            assert any("visit_days" in statement for statement in writes)
        assert figures(app) == {"online": 2, "today": 2, "week": 2, "total": 2}
    finally:
        counter.close()


def test_the_background_thread_flushes_on_its_own(make_app):
    app = make_app(VISITS_FLUSH_SECONDS=0.2)
    counter = visits.counter(app)
    try:
        browser(app).get("/")
        deadline = time.monotonic() + 5
        while figures(app)["total"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert figures(app) == {"online": 1, "today": 1, "week": 1, "total": 1}
    finally:
        counter.close()


def test_figures_are_cached_for_stats_cache_seconds(make_app, monkeypatch):
    ticks = [1000.0]
    monkeypatch.setattr(visits.buffer, "monotonic", lambda: ticks[0])
    app = make_app(STATS_CACHE_SECONDS=5)
    assert figures(app) == NOTHING
    browser(app).get("/")
    ticks[0] += 4
    assert figures(app) == NOTHING
    ticks[0] += 2
    assert figures(app)["total"] == 1


def test_buffers_of_several_processes_count_a_browser_once(make_app):
    first, second = make_app(VISITS_FLUSH_SECONDS=60), make_app(VISITS_FLUSH_SECONDS=60)
    try:
        reader = browser(first)
        reader.get("/")
        same_reader = browser(second)
        same_reader.set_cookie(visits.COOKIE_NAME, reader.get_cookie(visits.COOKIE_NAME).value,
                               domain="localhost")
        same_reader.get("/")
        browser(second, CHROME_PHONE).get("/")
        visits.counter(first).flush()
        visits.counter(second).flush()
        assert figures(first) == figures(second) == {
            "online": 2, "today": 2, "week": 2, "total": 2}
    finally:
        visits.counter(first).close()
        visits.counter(second).close()


def test_the_widget_shows_the_same_figures_as_the_json(app, make, clock):
    post = make.post()
    reader = browser(app)
    reader.get("/")
    clock.advance(minutes=1)
    browser(app, CHROME_PHONE).get(f"/posts/{post.id}/{post.slug}")
    home = reader.get("/").get_data(as_text=True)
    detail = reader.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    expected = {"online": 2, "today": 2, "week": 2, "total": 2}
    assert widget_figures(home) == widget_figures(detail) == figures(app) == expected


def test_the_widget_refreshes_itself_from_a_script_of_our_own(app):
    html = browser(app).get("/").get_data(as_text=True)
    assert 'data-stats-url="/stats/visits"' in html
    assert '<script src="/static/js/visits.js' in html
    assert "<script>" not in html  # no inline script: the CSP allows 'self' only
    with app.test_client().get("/static/js/visits.js") as script:
        assert script.status_code == 200
        assert "data-stats-url" in script.get_data(as_text=True)
    assert app.test_client().get("/stats/visits").headers["Cache-Control"] == "no-store"


# --- Redis ------------------------------------------------------------------------------

@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the test Redis; its keys are deleted afterwards."""
    with redis_key_prefix("bulletin-test", "the Redis tests are") as prefix:
        yield prefix


def test_redis_mode_shares_visitors_and_online_across_processes(make_app, redis_prefix):
    config = {"REDIS_URL": REDIS_URL, "VISITS_REDIS_PREFIX": redis_prefix}
    first, second = make_app(**config), make_app(**config)
    reader = browser(first)
    reader.get("/")
    same_reader = browser(second)
    same_reader.set_cookie(visits.COOKIE_NAME, reader.get_cookie(visits.COOKIE_NAME).value,
                           domain="localhost")
    same_reader.get("/org/mttq")
    browser(second, CHROME_PHONE).get("/")
    expected = {"online": 2, "today": 2, "week": 2, "total": 2}
    assert figures(first) == figures(second) == expected
    client = redis.Redis.from_url(REDIS_URL)
    assert client.scard(f"{redis_prefix}day:2026-11-25") == 2
    assert client.zcard(f"{redis_prefix}online") == 2
    with first.app_context():
        assert rows(VisitorSeen) == []  # "online" lives in Redis: no row per page view
        assert len(rows(VisitDay)) == 2  # while visits and totals are in the database


def test_redis_mode_online_drops_after_five_minutes(make_app, redis_prefix, clock):
    app = make_app(REDIS_URL=REDIS_URL, VISITS_REDIS_PREFIX=redis_prefix)
    browser(app).get("/")
    clock.advance(minutes=4)
    assert figures(app)["online"] == 1
    clock.advance(minutes=1, seconds=1)
    assert figures(app) == {"online": 0, "today": 1, "week": 1, "total": 1}


def test_totals_survive_a_redis_restart(make_app, redis_prefix):
    app = make_app(REDIS_URL=REDIS_URL, VISITS_REDIS_PREFIX=redis_prefix)
    reader = browser(app)
    reader.get("/")
    browser(app, CHROME_PHONE).get("/")
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(*client.scan_iter(match=redis_prefix + "*"))  # Redis keeps nothing on disk
    reader.get("/")  # the database still knows this browser's visit of today
    assert figures(app) == {"online": 1, "today": 2, "week": 2, "total": 2}


def free_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_redis_falls_back_to_the_database(make_app, caplog):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    counting_first = make_app(REDIS_URL=dead_redis)
    assert browser(counting_first).get("/org/mttq").status_code == 200  # a page without figures
    assert browser(counting_first, CHROME_PHONE).get("/").status_code == 200
    assert figures(counting_first) == {"online": 2, "today": 2, "week": 2, "total": 2}
    reading_first = make_app(REDIS_URL=dead_redis)
    assert figures(reading_first) == {"online": 2, "today": 2, "week": 2, "total": 2}
    assert any("Redis is unreachable" in record.getMessage() for record in caplog.records)


# --- Real worker processes --------------------------------------------------------------

WORKER = """
import json, signal, sys
from werkzeug.serving import make_server
from bulletin import create_app

app = create_app(json.loads(sys.argv[1]))
server = make_server("127.0.0.1", 0, app, threaded=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a graceful stop, as gunicorn's
print(server.server_port, flush=True)
server.serve_forever()
"""


def start_worker(database_url: str, log_path: Path, **settings) -> subprocess.Popen:
    """Start serving the app in a process of its own on the test database."""
    config = {"SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
              "DATABASE_URL": database_url, "AUTO_MIGRATE": False, "REDIS_URL": None,
              "UPLOAD_DIR": str(log_path.parent / "uploads"), **settings}
    with open(log_path, "w") as log:
        return subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(config)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)


def worker_url(process: subprocess.Popen, log_path: Path) -> str:
    """Wait until a worker listens and return its base URL."""
    ready, _, _ = select.select([process.stdout], [], [], 30)
    port = process.stdout.readline().strip() if ready else ""
    assert port.isdigit(), f"the worker did not start: {log_path.read_text()[-2000:]}"
    return f"http://127.0.0.1:{port}"


@contextmanager
def workers(database_url: str, folder: Path, count: int, **settings):
    """Run `count` worker processes side by side; yield them and their URLs; stop them all."""
    logs = [folder / f"worker-{n}.log" for n in range(count)]
    with ExitStack() as stack:
        processes = []
        for log_path in logs:
            processes.append(start_worker(database_url, log_path, **settings))
            stack.callback(stop, processes[-1])
        yield processes, [worker_url(p, log) for p, log in zip(processes, logs, strict=True)]


def stop(process: subprocess.Popen) -> None:
    """Stop a worker gracefully, or kill it after ten seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.stdout.close()


class HttpBrowser:
    """A browser over real HTTP: keeps its cookies, sends its User-Agent."""

    def __init__(self, user_agent: str):
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))
        self.user_agent = user_agent

    def get(self, url: str) -> str:
        """GET `url` and return the body."""
        request = Request(url, headers={"User-Agent": self.user_agent})  # noqa: S310 - our http
        with self.opener.open(request, timeout=10) as response:
            assert response.status == 200
            return response.read().decode()


def wait_for_figures(urls: list[str], expected: dict, seconds: float = 10) -> list[dict]:
    """Poll /stats/visits on every URL until all show `expected` or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        found = [json.loads(HttpBrowser(FIREFOX).get(url + "/stats/visits")) for url in urls]
        if all(f == expected for f in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_two_worker_processes_count_browsers_once_and_agree(app, database_url, tmp_path):
    fast = {"VISITS_FLUSH_SECONDS": 0.5, "STATS_CACHE_SECONDS": 0.5}
    with workers(database_url, tmp_path, 2, **fast) as (_, (first, second)):
        alice, bob = HttpBrowser(FIREFOX), HttpBrowser(CHROME_PHONE)
        for url in (first + "/", second + "/", first + "/org/mttq", second + "/"):
            alice.get(url)
        bob.get(second + "/")
        bob.get(first + "/")
        expected = {"online": 2, "today": 2, "week": 2, "total": 2}
        started = time.monotonic()
        assert wait_for_figures([first, second], expected) == [expected, expected]
        assert time.monotonic() - started < 10
        assert widget_figures(alice.get(first + "/")) == expected


def test_a_worker_flushes_its_buffer_when_it_stops(app, database_url, tmp_path):
    with workers(database_url, tmp_path, 1, VISITS_FLUSH_SECONDS=3600,
                 STATS_CACHE_SECONDS=0) as ((process,), (url,)):
        HttpBrowser(FIREFOX).get(url + "/")
        assert json.loads(HttpBrowser(FIREFOX).get(url + "/stats/visits"))["total"] == 0
        stop(process)
        assert process.returncode == 0
    db.session.rollback()
    assert db.session.scalar(db.select(func.sum(VisitTotal.visits))) == 1


# --- The reader's own visit, and views of a post ------------------------------------------

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def views_shown(html: str) -> int:
    """Read the "Lượt xem" figure of a post page."""
    found = re.search(r'<span class="views">Lượt xem: ([\d.]+)</span>', html)
    assert found, "no view count on the page"
    return int(found.group(1).replace(".", ""))


def post_views(post) -> int:
    """Return the stored views of `post` (a post or its id)."""
    db.session.expire_all()
    return visits.post_views(getattr(post, "id", post))


def test_the_very_first_visitor_sees_their_own_visit_on_the_page(app):
    html = browser(app).get("/").get_data(as_text=True)
    assert widget_figures(html) == {"online": 1, "today": 1, "week": 1, "total": 1}
    assert figures(app) == {"online": 1, "today": 1, "week": 1, "total": 1}  # no double


def test_a_returning_browser_is_not_added_twice(app):
    reader = browser(app)
    reader.get("/")
    html = reader.get("/").get_data(as_text=True)
    assert widget_figures(html) == {"online": 1, "today": 1, "week": 1, "total": 1}


def test_a_reader_adds_one_view_a_day_and_the_page_shows_it(app, make, clock):
    post = make.post()
    reader = browser(app)
    assert views_shown(reader.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)) == 1
    assert views_shown(reader.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)) == 1
    browser(app, CHROME_PHONE).get(f"/posts/{post.id}/{post.slug}")
    assert post_views(post) == 2
    clock.advance(days=1)
    reader.get(f"/posts/{post.id}/{post.slug}")
    assert post_views(post) == 3


# --- Counters anyone could inflate (issue 20) --------------------------------------------

def inflate(app, path: str, times: int, address: str = "203.0.113.7") -> None:
    """The review's attack: a browser User-Agent and a made-up visitor cookie each time."""
    for number in range(times):
        client = browser(app)
        client.environ_base["REMOTE_ADDR"] = address
        client.set_cookie(visits.COOKIE_NAME, f"{number:032d}", domain="localhost")
        assert client.get(path).status_code == 200


def test_made_up_cookies_from_one_address_count_a_handful_at_most(app, make):
    post = make.post()
    inflate(app, f"/posts/{post.id}/{post.slug}", 40)
    handful = visits.rules.NEWCOMERS_PER_ADDRESS + 1
    assert 1 <= figures(app)["total"] <= handful and figures(app)["online"] <= handful
    assert post_views(post) <= handful
    assert len(rows(VisitDay)) <= handful


def test_another_address_is_another_visitor(app):
    inflate(app, "/", 20, "203.0.113.7")
    inflate(app, "/", 20, "198.51.100.9")
    assert figures(app)["total"] == 2 * (visits.rules.NEWCOMERS_PER_ADDRESS + 1)


def test_one_ipv6_network_counts_as_one_address(app):
    for host in range(20):
        inflate(app, "/", 1, f"2001:db8:1:2::{host + 1:x}")
    assert figures(app)["total"] == visits.rules.NEWCOMERS_PER_ADDRESS + 1


def test_browsers_behind_one_address_count_once_they_keep_the_cookie(app):
    readers = [browser(app) for _ in range(12)]  # an office behind one address
    for reader in readers:
        reader.get("/")
    for reader in readers:
        reader.get("/org/mttq")
    # Each counts as itself from its second page; the address adds its one visitor.
    assert figures(app)["total"] == 12 + 1


def test_the_visitor_cookie_is_signed(app):
    reader = browser(app)
    reader.get("/")
    value = reader.get_cookie(visits.COOKIE_NAME).value
    token, signature = value.rsplit(".", 1)
    assert visits.rules.TOKEN_PATTERN.fullmatch(token) and signature
    reader.set_cookie(visits.COOKIE_NAME, f"{token[:-1]}x.{signature}", domain="localhost")
    assert visitor_cookie(reader.get("/")) is not None  # a tampered cookie is replaced


def test_without_redis_the_memory_of_addresses_is_bounded(app, monkeypatch):
    monkeypatch.setattr(visits.buffer, "MAX_ADDRESSES", 3)
    for host in range(10):
        inflate(app, "/", 1, f"203.0.113.{host + 1}")
    assert len(visits.counter(app).state.newcomers) == 3
    assert figures(app)["total"] == 3 + 7  # the others count as their address at once


def test_redis_mode_counts_a_handful_per_address_across_processes(make_app, make,
                                                                  redis_prefix):
    config = {"REDIS_URL": REDIS_URL, "VISITS_REDIS_PREFIX": redis_prefix}
    first, second = make_app(**config), make_app(**config)
    with first.app_context():
        post = make.post()
        path = f"/posts/{post.id}/{post.slug}"
    inflate(first, path, 20)
    inflate(second, path, 20)
    handful = visits.rules.NEWCOMERS_PER_ADDRESS + 1
    assert figures(first)["total"] == handful
    with first.app_context():
        assert db.session.scalar(db.select(func.sum(PostViews.views))) == handful


def test_bots_redirects_and_other_pages_add_no_view(app, make):
    post, other = make.post(), make.post(title="Bài khác")
    browser(app, GOOGLEBOT).get(f"/posts/{post.id}/{post.slug}")
    browser(app).get(f"/posts/{post.id}")  # the redirect to the slug is not a reading
    browser(app).get("/")
    browser(app).get(f"/posts/{post.id}/print")
    assert post_views(post) == 0 and post_views(other) == 0


def test_unpublished_posts_seen_by_staff_add_no_view(client, make, auth):
    draft = make.post(status="draft", organization="hoi-lhpn")
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    client.environ_base["HTTP_USER_AGENT"] = FIREFOX
    auth.login("bientap")
    assert client.get(f"/posts/{draft.id}/{draft.slug}").status_code == 200
    assert post_views(draft) == 0


def test_views_are_buffered_and_written_in_one_flush(make_app, make):
    app = make_app(VISITS_FLUSH_SECONDS=60, REDIS_URL=None)
    counter = visits.counter(app)
    with app.app_context():
        post = make.post()
        post, path = post.id, f"/posts/{post.id}/{post.slug}"
    try:
        with watching_writes(app) as writes:
            for user_agent in (FIREFOX, CHROME_PHONE, FIREFOX):
                browser(app, user_agent).get(path)
            assert writes == []
            counter.flush()
            assert sum("post_views" in statement for statement in writes) == 1
        with app.app_context():
            assert post_views(post) == 3
    finally:
        counter.close()


def test_views_of_several_processes_add_up(make_app, make):
    first, second = make_app(VISITS_FLUSH_SECONDS=60), make_app(VISITS_FLUSH_SECONDS=60)
    with first.app_context():
        post = make.post()
        post, path = post.id, f"/posts/{post.id}/{post.slug}"
    try:
        for app in (first, second, second):
            browser(app).get(path)
        visits.counter(first).flush()
        visits.counter(second).flush()
        with first.app_context():
            assert post_views(post) == 3
    finally:
        visits.counter(first).close()
        visits.counter(second).close()


def test_redis_mode_shares_views_and_a_flush_takes_them_once(make_app, make, redis_prefix):
    config = {"REDIS_URL": REDIS_URL, "VISITS_REDIS_PREFIX": redis_prefix,
              "VISITS_FLUSH_SECONDS": 60}
    first, second = make_app(**config), make_app(**config)
    with first.app_context():
        post = make.post()
        post, path = post.id, f"/posts/{post.id}/{post.slug}"
    try:
        for app in (first, second, first):
            browser(app).get(path)
        visits.counter(second).flush()  # takes every worker's views from Redis
        visits.counter(first).flush()   # finds none left: nothing counted twice
        with first.app_context():
            assert post_views(post) == 3
    finally:
        visits.counter(first).close()
        visits.counter(second).close()
