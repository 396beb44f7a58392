"""Measure the board from outside: gunicorn (2 sync workers) loaded with wrk.

    .venv/bin/python scripts/bench_http.py [--quick] [--sizes 1000,100000] [--seconds 10]
        [--data-dir DIR] [--port 5200]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

For each size, seeds a board with that many posts and awards (`flask seed-demo`, kept in
--data-dir, and with --database-url in a PostgreSQL database of the server, for the next run),
serves a copy of it with gunicorn and loads every route over loopback with wrk (Debian's
`wrk`) at concurrency 1 and 8, in three rounds each right after /healthz (the round with the
median ratio is kept). Prints per route: requests/s, the ratio to /healthz measured just
before, p50/p99 latency, the growth of the p50 from the smallest size and from the size
before, the workers' memory after the load; the time and the workers' memory growth of a full
/awards/export.xlsx against openpyxl writing as many rows in write-only mode (the library's
floor), and the times of a 10,000-row import's dry run and confirm against openpyxl reading the
workbook in read-only mode. Readers' pages are loaded anonymously, the registry's as a
secretary and the editor's desk as an editor (Cookie headers from real logins). --quick: 1,000
and 20,000 rows, 3 s per run.
"""

import argparse
import contextlib
import gzip
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import CSRF_RE, SECRET, import_workbook, read_floor, rss_mb, write_floor

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) bulletin-bench"
VISITOR = "bench" + "x" * 40  # one returning reader's visit cookie
SECRETARY = "bench-thuky"
EDITOR = "bench-bientap"
PASSWORD = "benchmark-password-123"  # noqa: S105 -- a throwaway account on a throwaway board
LATENCY_RE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
ROUNDS = 3  # /healthz and the route, side by side, this many times (the median is kept)


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument("--sizes", help="comma-separated posts (= awards) per board")
    parser.add_argument("--seconds", type=int, help="seconds of load per route and concurrency")
    parser.add_argument("--concurrency", default="1,8", help="wrk connections, comma-separated")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--data-dir", default=str(ROOT / "instance" / "bench"),
                        help="where seeded boards are kept between runs")
    parser.add_argument("--port", type=int, default=5200)
    parser.add_argument("--files-up-to", type=int, default=100_000,
                        help="time the export and the import on boards up to this size")
    parser.add_argument("--database-url",
                        help="a PostgreSQL server to keep the boards on (default: SQLite files)")
    args = parser.parse_args()
    global DATABASE_SERVER  # noqa: PLW0603 -- one setting read by every helper below
    DATABASE_SERVER = args.database_url
    default_sizes = "1000,20000" if args.quick else "1000,100000"
    args.sizes = [int(n) for n in (args.sizes or default_sizes).split(",")]
    args.seconds = args.seconds or (3 if args.quick else 10)
    args.concurrency = [int(n) for n in args.concurrency.split(",")]
    return args


# --- The board: seeded once, copied for each run ---------------------------------------------

DATABASE_SERVER: str | None = None  # --database-url: boards live there, else in SQLite files


def database_name(folder: Path) -> str:
    """The PostgreSQL database of a board folder (its name, made safe)."""
    return "bulletin_bench_" + re.sub(r"\W", "_", f"{folder.parent.name}_{folder.name}")[-40:]


def database_url(folder: Path) -> str:
    """The database of the board in `folder`."""
    if DATABASE_SERVER is None:
        return f"sqlite:///{folder / 'bench.db'}"
    return re.sub(r"/[^/]*$", "/" + database_name(folder), DATABASE_SERVER)


def server_sql(*statements: str) -> None:
    """Run statements on the PostgreSQL server (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(DATABASE_SERVER, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def query(folder: Path, sql: str) -> tuple | None:
    """The first row of a query on the board's database (SQLite or PostgreSQL)."""
    if DATABASE_SERVER is None:
        with sqlite3.connect(folder / "bench.db") as conn:
            return conn.execute(sql).fetchone()
    import psycopg

    url = re.sub(r"^postgresql\+\w+://", "postgresql://", database_url(folder))
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchone()


def board_env(folder: Path) -> dict:
    """The environment that points the app at a board folder."""
    return {**os.environ, "DATABASE_URL": database_url(folder),
            "UPLOAD_DIR": str(folder / "uploads"), "SECRET_KEY": SECRET}


def flask(folder: Path, *arguments: str) -> None:
    """Run `flask --app app …` on the board in `folder`."""
    subprocess.run([str(VENV_BIN / "flask"), "--app", "app", *arguments],  # noqa: S603
                   cwd=ROOT, env=board_env(folder), check=True, stdout=subprocess.DEVNULL)


def seeded_board(data_dir: Path, size: int) -> Path:
    """Return a folder holding a board of `size` posts and awards, seeding it the first time."""
    folder = data_dir / f"seed-{size}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if DATABASE_SERVER is not None:
        name = database_name(folder)
        server_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    print(f"seeding {size:,} posts and awards in {folder} …", flush=True)
    started = time.perf_counter()
    flask(folder, "db", "upgrade")  # SQLite migrates on start; a shared server does not
    flask(folder, "seed-demo", "--posts", str(size), "--awards", str(size))
    seconds = time.perf_counter() - started
    print(f"seeded {size:,} posts and {size:,} awards in {seconds:.0f} s", flush=True)
    flask(folder, "user", "create", SECRETARY, "--role", "secretary", "--password", PASSWORD)
    flask(folder, "user", "create", EDITOR, "--role", "editor", "--org", "mttq",
          "--password", PASSWORD)
    (folder / "done").write_text(f"{seconds:.1f}\n")
    return folder


def working_copy(seed: Path, work: Path) -> Path:
    """Copy a seeded board, so runs (and the import) never change the seed."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(seed, work)
    if DATABASE_SERVER is not None:
        name = database_name(work)
        server_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                   f'CREATE DATABASE "{name}" TEMPLATE "{database_name(seed)}"')
    return work


def drop_copy(work: Path) -> None:
    """Drop a working copy's PostgreSQL database (its folder goes with the scratch folder)."""
    if DATABASE_SERVER is not None:
        server_sql(f'DROP DATABASE IF EXISTS "{database_name(work)}" WITH (FORCE)')


# --- The server -------------------------------------------------------------------------------

@dataclass
class Server:
    """A gunicorn with 2 sync workers serving one board."""

    folder: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start gunicorn and wait for /healthz."""
        self.process = subprocess.Popen(  # noqa: S603 -- our own venv's gunicorn
            [str(VENV_BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--no-control-socket", "--timeout", "300",
             "app:app"], cwd=ROOT, env=board_env(self.folder),
            stdout=subprocess.DEVNULL, stderr=open(self.folder / "gunicorn.log", "w"))  # noqa: SIM115
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):  # noqa: S310
                    if len(self.workers()) == 2:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start; see {self.folder / 'gunicorn.log'}")

    def workers(self) -> list[int]:
        """The worker processes' ids."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == self.process.pid:
                found.append(int(stat.parent.name))
        return sorted(found)

    def worker_rss(self) -> list[float]:
        """Each worker's resident memory in MB."""
        return [rss_mb("VmRSS", pid) for pid in self.workers()]

    def stop(self) -> None:
        """Stop gunicorn gracefully."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


# --- HTTP helpers -----------------------------------------------------------------------------

def opener():
    """A urllib opener that keeps cookies and never follows redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    jar = urllib.request.HTTPCookieProcessor()
    built = urllib.request.build_opener(jar, NoRedirect)
    built.addheaders = [("User-Agent", USER_AGENT)]
    return built, jar.cookiejar


def login(base: str, username: str = SECRETARY) -> str:
    """Log an account in through the real form; return the Cookie header to send."""
    browser, jar = opener()
    page = browser.open(base + "/login").read().decode()
    token = CSRF_RE.search(page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrf_token": token}).encode()
    try:
        browser.open(base + "/login", data=data)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise SystemExit(f"login failed: HTTP {error.code}") from error
    # Login renews the session; the first form after it stores the session's CSRF secret.
    browser.open(base + ("/awards/import" if username == SECRETARY else "/posts/new")).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def status_of(url: str, cookie: str = "") -> int:
    """GET `url` and return its status."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def deep_page(base: str, path: str, wanted: int = 500) -> str:
    """`path?page=500`, or the deepest page up to it that exists on a smaller board."""
    page = wanted
    while page > 1 and status_of(f"{base}{path}?page={page}") == 404:
        page //= 2
    return f"{path}?page={page}"


def sample_post(folder: Path) -> str:
    """The newest published post that has photos (else the newest), as its URL."""
    row = query(folder, "SELECT p.id, p.slug FROM posts p WHERE p.status = 'published' AND "
                        "EXISTS (SELECT 1 FROM post_images i WHERE i.post_id = p.id) "
                        "ORDER BY p.published_at DESC LIMIT 1") or query(
        folder, "SELECT id, slug FROM posts WHERE status = 'published' "
                "ORDER BY published_at DESC LIMIT 1")
    return f"/posts/{row[0]}/{row[1]}"


def registry_filters(folder: Path) -> str:
    """A filtered registry URL: the newest year, the first organization, a common kind."""
    year = query(folder, "SELECT max(year) FROM awards")[0]
    kind = query(folder, "SELECT k.slug FROM awards a JOIN award_kinds k ON k.id = a.kind_id"
                         " GROUP BY k.slug ORDER BY count(*) DESC LIMIT 1")[0]
    return f"/awards/?year={year}&org=mttq&kind={kind}"


def decision_form(folder: Path) -> tuple[str, int]:
    """The edit form of the decision whose count of awards is nearest 50 (and that count)."""
    found = query(folder, "SELECT decision_id, count(*) AS n FROM awards GROUP BY decision_id "
                          "ORDER BY abs(count(*) - 50), decision_id DESC LIMIT 1")
    return f"/awards/decisions/{found[0]}/edit", found[1]


def latest_year(folder: Path) -> int:
    """The newest year of achievement in the registry."""
    return query(folder, "SELECT max(year) FROM awards")[0]


def routes(server: Server, folder: Path) -> list[tuple[str, str, str | None]]:
    """(label, path, the account loading it: None for an anonymous reader) of every route."""
    base = server.base
    form, _lines = decision_form(folder)
    return [
        ("/healthz", "/healthz", None),
        ("/", "/", None),
        ("post page", sample_post(folder), None),
        ("organization", "/org/mttq", None),
        ("organization deep", deep_page(base, "/org/mttq"), None),
        ("category", "/category/tin-hoat-dong", None),
        ("search hoi nghi", "/search?q=hoi+nghi", None),
        ("/feed.atom", "/feed.atom", None),
        ("honour roll", "/honour-roll", None),
        ("/awards/ secretary", "/awards/", SECRETARY),
        ("/awards/ filtered", registry_filters(folder), SECRETARY),
        ("editor's desk", "/posts/manage", EDITOR),
        ("decision form", form, SECRETARY),
        ("proposals list", "/awards/proposals/", SECRETARY),
        ("yearly report", f"/awards/reports/yearly?year={latest_year(folder)}", SECRETARY),
    ]


# --- wrk --------------------------------------------------------------------------------------

@dataclass
class Load:
    """What one wrk run measured."""

    rps: float
    p50: float
    p99: float
    errors: int
    note: str = ""
    requests: int = 0
    cpu_ms: float = 0.0  # the workers' CPU time per request: steady on a busy machine


def run_wrk(url: str, connections: int, seconds: int, cookie: str) -> Load:
    """Load `url` with wrk; return requests/s and p50/p99 in ms."""
    command = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s",
               "--latency", "--timeout", "30s", "-H", f"User-Agent: {USER_AGENT}",
               "-H", "Accept-Encoding: gzip", "-H", f"Cookie: {cookie}", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    latency = {p: float(v) * UNITS[u] for p, v, u in LATENCY_RE.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return Load(rps, latency.get("50", 0.0), latency.get("99", 0.0),
                int(errors.group(1)) if errors else 0,
                socket_errors.group(1) if socket_errors else "", requests)


def cpu_seconds(pids: list[int]) -> float:
    """The CPU time (user + system) the processes have used so far."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measured_load(server: "Server", url: str, connections: int, seconds: int,
                  cookie: str) -> Load:
    """Run wrk and add the workers' CPU milliseconds per request."""
    pids = server.workers()
    before = cpu_seconds(pids)
    load = run_wrk(url, connections, seconds, cookie)
    load.cpu_ms = (cpu_seconds(pids) - before) * 1000 / max(1, load.requests)
    return load


# --- Export and import ------------------------------------------------------------------------

def watch_memory(server: Server, stop: threading.Event, peaks: dict) -> None:
    """Record each worker's highest RSS until `stop` is set."""
    while not stop.is_set():
        for pid in server.workers():
            with contextlib.suppress(OSError):
                peaks[pid] = max(peaks.get(pid, 0.0), rss_mb("VmRSS", pid))
        time.sleep(0.05)


def time_export(server: Server, cookie: str, path: str) -> dict:
    """Download an export; return seconds, MB and the workers' largest memory growth."""
    before = {pid: rss_mb("VmRSS", pid) for pid in server.workers()}
    peaks: dict = {}
    stop = threading.Event()
    watcher = threading.Thread(target=watch_memory, args=(server, stop, peaks))
    watcher.start()
    request = urllib.request.Request(server.base + path,  # noqa: S310
                                     headers={"User-Agent": USER_AGENT, "Cookie": cookie})
    started = time.perf_counter()
    size, first_byte = 0, None
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
        while chunk := response.read1(1 << 16):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    growth = max(peaks.get(pid, before[pid]) - before[pid] for pid in before)
    return {"seconds": seconds, "mb": size / 2**20, "growth": growth,
            "first_byte": first_byte or seconds}


def multipart(fields: dict, file_name: str, data: bytes) -> tuple[bytes, str]:
    """Encode a form with one file as multipart/form-data."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(url: str, cookie: str, body: bytes, content_type: str) -> tuple[int, str]:
    """POST a body; return the status and the page."""
    request = urllib.request.Request(url, data=body, headers={  # noqa: S310
        "User-Agent": USER_AGENT, "Cookie": cookie, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=900) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def time_import(server: Server, cookie: str, folder: Path, rows: int) -> dict:
    """Upload a workbook of `rows` new awards (dry run), then confirm; return the times."""
    from bulletin import create_app

    app = create_app({"DATABASE_URL": database_url(folder), "SECRET_KEY": SECRET,
                      "UPLOAD_DIR": str(folder / "uploads")})
    data = import_workbook(app, rows)
    with app.app_context():
        from bulletin.extensions import db

        db.engine.dispose()  # no connection left open on the copy that is dropped later
    floor = read_floor(data)
    request = urllib.request.Request(server.base + "/awards/import",  # noqa: S310
                                     headers={"User-Agent": USER_AGENT, "Cookie": cookie})
    with urllib.request.urlopen(request) as response:  # noqa: S310
        token = CSRF_RE.search(response.read().decode()).group(1)
    body, content_type = multipart({"csrf_token": token}, "nhap.xlsx", data)
    # The workers' memory through both steps (the reading child is not a worker).
    before = {pid: rss_mb("VmRSS", pid) for pid in server.workers()}
    peaks: dict = {}
    stop = threading.Event()
    watcher = threading.Thread(target=watch_memory, args=(server, stop, peaks))
    watcher.start()
    try:
        started = time.perf_counter()
        dry_status, page = post(server.base + "/awards/import", cookie, body, content_type)
        dry = time.perf_counter() - started
        start = page.find("/awards/import/confirm")
        fields = dict(re.findall(r'name="(csrf_token|token)"[^>]*value="([^"]*)"',
                                 page[start:]))
        confirm = confirm_status = None
        if "token" in fields:
            started = time.perf_counter()
            confirm_status, _page = post(server.base + "/awards/import/confirm", cookie,
                                         urllib.parse.urlencode(fields).encode(),
                                         "application/x-www-form-urlencoded")
            confirm = time.perf_counter() - started
    finally:
        stop.set()
        watcher.join()
    growth = max(peaks.get(pid, before[pid]) - before[pid] for pid in before)
    return {"dry": dry, "dry_status": dry_status, "confirm": confirm,
            "confirm_status": confirm_status, "floor": floor, "growth": growth}


# --- One board --------------------------------------------------------------------------------

@dataclass
class Result:
    """Everything measured on one board."""

    size: int
    loads: dict = field(default_factory=dict)  # (label, c) -> Load
    bases: dict = field(default_factory=dict)  # (label, c) -> the /healthz Load just before
    paths: dict = field(default_factory=dict)
    rss: list = field(default_factory=list)
    readers_rss: list = field(default_factory=list)
    load_average: str = ""
    decision_rows: int = 0
    export: dict = field(default_factory=dict)
    imported: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)


def page_weight(base: str, path: str) -> float:
    """KB transferred for a page and the CSS/JS/icons it links, gzip accepted, no photos."""
    def fetch(url: str) -> tuple[int, str]:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,  # noqa: S310
                                                       "Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:  # noqa: S310
            raw = response.read()
            gzipped = response.headers.get("Content-Encoding") == "gzip"
        return len(raw), (gzip.decompress(raw) if gzipped else raw).decode(errors="replace")
    size, text = fetch(base + path)
    assets = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', text))
    return (size + sum(fetch(base + a.replace("&amp;", "&"))[0] for a in assets)) / 1024


def load_route(args, server: Server, result: Result, route: tuple, cookie: str) -> None:
    """Load one route at one concurrency in rounds, each right after /healthz at the same
    concurrency, and keep the round with the median ratio.

    A machine shared with other work changes speed from one second to the next; rounds of
    /healthz and the route side by side, and the median of their ratios, keep a passing
    spike out of the figure. The CPU time per request is the whole run's.
    """
    label, path, connections = route
    anonymous = f"visitor={VISITOR}"
    run_wrk(server.base + path, connections, 1, cookie)  # warm-up
    seconds = max(1, round(args.seconds / ROUNDS))
    rounds = []
    for _ in range(ROUNDS):
        base = measured_load(server, server.base + "/healthz", connections, seconds, anonymous)
        load = (base if label == "/healthz" else
                measured_load(server, server.base + path, connections, seconds, cookie))
        rounds.append((load.rps / base.rps, load, base))
    rounds.sort(key=lambda found: found[0])
    _ratio, load, base = rounds[len(rounds) // 2]
    loads = [found[1] for found in rounds]
    load.cpu_ms = (sum(run.cpu_ms * run.requests for run in loads)
                   / max(1, sum(run.requests for run in loads)))
    load.errors = sum(run.errors for run in loads)
    result.loads[(label, connections)] = load
    result.bases[(label, connections)] = base if label != "/healthz" else load
    print(f"  {result.size:>7,} {label:<20} c={connections}: {load.rps:8.1f} req/s "
          f"({load.rps / base.rps:5.3f} × healthz {base.rps:.0f}; rounds "
          + " ".join(f"{found[0]:.2f}" for found in rounds)
          + f") p50 {load.p50:7.2f} ms p99 {load.p99:7.2f} ms cpu {load.cpu_ms:6.2f} ms"
          + (f"  {load.errors} errors" if load.errors else ""), flush=True)


def measure(args, size: int, seed: Path, work: Path) -> Result:
    """Serve a copy of one board and measure every route, the export and the import."""
    folder = working_copy(seed, work)
    flask(folder, "db", "upgrade")  # a board seeded by older code gets the new migrations
    server = Server(folder, args.port)
    server.start()
    result = Result(size)
    result.decision_rows = decision_form(folder)[1]
    try:
        cookies = {None: f"visitor={VISITOR}", SECRETARY: login(server.base),
                   EDITOR: login(server.base, EDITOR)}
        cookie = cookies[SECRETARY]
        for label, path, account in routes(server, folder):
            if account is not None and not result.readers_rss:  # readers' routes come first
                result.readers_rss = server.worker_rss()
            result.paths[label] = path
            for connections in args.concurrency:
                load_route(args, server, result, (label, path, connections), cookies[account])
        result.rss = server.worker_rss()
        result.weights = {"/": page_weight(server.base, "/"),
                          "post page": page_weight(server.base, result.paths["post page"])}
        if size <= args.files_up_to:
            result.export = time_export(server, cookie, "/awards/export.xlsx")
            result.export["floor"] = write_floor(size)
            result.export["csv"] = time_export(server, cookie, "/awards/export.csv")
            result.imported = time_import(server, cookie, folder, args.import_rows)
            result.imported["rows"] = args.import_rows
        result.load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    finally:
        server.stop()
        drop_copy(folder)
    return result


# --- The report -------------------------------------------------------------------------------

TARGETS = {"/": 0.8, "post page": 0.8, "organization": 0.8, "organization deep": 0.8,
           "category": 0.8, "search hoi nghi": 0.8, "/feed.atom": 0.8, "honour roll": 0.8,
           "/awards/ secretary": 0.5, "/awards/ filtered": 0.5, "editor's desk": 0.2,
           "decision form": 0.2, "proposals list": 0.2, "yearly report": 0.2}


def print_table(results: list[Result], concurrency: list[int]) -> None:
    """Print one table per board and the growth from the smallest to the largest."""
    small, large = results[0], results[-1]
    engine = "SQLite" if DATABASE_SERVER is None else "PostgreSQL"
    for previous, result in zip([results[0], *results], results, strict=False):
        print(f"\n{result.size:,} posts and awards · gunicorn 2 sync workers · {engine} · wrk"
              f" · load average at the end {result.load_average}")
        head = "".join(f" {'c=' + str(c) + ' req/s':>12} {'×healthz':>8} {'p50 ms':>7} "
                       f"{'p99 ms':>7}" for c in concurrency)
        print(f"{'route':<20}{head} {'growth':>7} {'÷prev':>6} {'×h gr':>6} {'cpu ms':>7} "
              f"{'cpu ×h':>6} {'cpu gr':>7}  target ×healthz")
        for label in result.paths:
            line = f"{label:<20}"
            for c in concurrency:
                load, base = result.loads[(label, c)], result.bases[(label, c)]
                line += (f" {load.rps:>12.1f} {load.rps / base.rps:>8.3f} {load.p50:>7.2f} "
                         f"{load.p99:>7.2f}")
            growth = (result.loads[(label, concurrency[0])].p50
                      / small.loads[(label, concurrency[0])].p50)
            step = (result.loads[(label, concurrency[0])].p50
                    / previous.loads[(label, concurrency[0])].p50)
            target = TARGETS.get(label)
            cpu = result.loads[(label, concurrency[0])].cpu_ms
            base_cpu = result.bases[(label, concurrency[0])].cpu_ms
            cpu_growth = cpu / max(small.loads[(label, concurrency[0])].cpu_ms, 0.001)
            relative = ratio(small, label, concurrency[0]) / ratio(result, label, concurrency[0])
            line += (f" {growth:>6.2f}× {step:>5.2f}× {relative:>5.2f}× {cpu:>7.2f} "
                     f"{base_cpu / max(cpu, 0.001):>6.3f} "
                     f"{cpu_growth:>6.2f}×  " + (f"≥ {target:.0%}" if target else ""))
            errors = sum(result.loads[(label, c)].errors for c in concurrency)
            print(line + (f"  ({errors} errors)" if errors else ""))
        rss = ", ".join(f"{mb:.0f}" for mb in result.rss)
        export = result.export
        imported = result.imported
        readers = ", ".join(f"{mb:.0f}" for mb in result.readers_rss)
        print(f"worker RSS after the readers' load: {readers} MB (target ≤ 90); after the staff "
              f"pages too: {rss} MB")
        print("page weight (gzip, with CSS/JS/icons, no photos): "
              + ", ".join(f"{k} {v:.1f} KB" for k, v in result.weights.items())
              + " (target < 100)")
        print(f"decision form: a decision of {result.decision_rows} rows")
        if not export:
            print("export and import not timed at this size (--files-up-to)")
            continue
        print(f"export.xlsx of {result.size:,} rows: {export['seconds']:.1f} s (first byte "
              f"after {export['first_byte']:.1f} s), "
              f"{export['mb']:.1f} MB, worker memory growth {export['growth']:.0f} MB "
              f"(target < 50); openpyxl write-only writing {result.size:,} rows "
              f"{export['floor']:.1f} s: × floor {export['seconds'] / export['floor']:.2f} "
              "(target ≤ 1)")
        csv = export["csv"]
        print(f"export.csv of {result.size:,} rows: {csv['seconds']:.1f} s (first byte after "
              f"{csv['first_byte']:.1f} s), {csv['mb']:.1f} MB, "
              f"worker memory growth {csv['growth']:.0f} MB")
        confirm, floor = imported["confirm"], imported["floor"]
        print(f"import of {imported['rows']:,} rows: openpyxl read-only reads it in "
              f"{floor:.1f} s; dry run {imported['dry']:.1f} s (HTTP {imported['dry_status']}, "
              f"× floor {imported['dry'] / floor:.2f})"
              + (f", confirm {confirm:.1f} s (HTTP {imported['confirm_status']}, × floor "
                 f"{confirm / floor:.2f})" if confirm is not None else ", no confirm offered")
              + f" (target ≤ 3 each); worker memory growth {imported['growth']:.0f} MB "
              "(target < 150)")
    print(f"\ngrowth = p50 at c={concurrency[0]} on {large.size:,} ÷ on {small.size:,} "
          "(target ≤ 1.2× on every list up to 100,000), ÷prev = ÷ on the size before (target "
          "≤ 1.3× from 100,000 to 1,000,000); ×healthz = the route's requests/s ÷ those of "
          "/healthz loaded just before it; ×h gr = the growth of the time a request takes "
          "compared with /healthz's just before it (×healthz on the smallest ÷ on this one: "
          "the growth with the machine's changing load taken out); "
          "cpu ms = the workers' CPU time per request at "
          f"c={concurrency[0]}, cpu ×h = /healthz's CPU time ÷ the route's, cpu gr = its "
          "growth (both steady when other work shares the machine)")


def ratio(result: Result, label: str, connections: int) -> float:
    """The route's requests/s ÷ those of /healthz loaded just before it."""
    return (result.loads[(label, connections)].rps
            / result.bases[(label, connections)].rps)


def install_wrk() -> None:
    """Install Debian's wrk when it is missing (as scripts/test installs Chromium)."""
    if shutil.which("wrk"):
        return
    print("Installing Debian's wrk for the load …", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)  # noqa: S603
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True,  # noqa: S603
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def main() -> None:
    """Seed (once), serve, load, report."""
    args = parse_args()
    install_wrk()
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bulletin-http-bench-") as scratch:
        for size in args.sizes:
            seed = seeded_board(data_dir, size)
            print(f"measuring {size:,} …", flush=True)
            results.append(measure(args, size, seed, Path(scratch) / str(size)))
    print_table(results, args.concurrency)


if __name__ == "__main__":
    main()
