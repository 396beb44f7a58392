"""Seed a throwaway board with many posts and time the pages readers open most.

    .venv/bin/python scripts/benchmark.py [--posts 100000] [--requests 25]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--http] [--keep]

The board lives in a temporary folder (SQLite there by default). With --database-url the
named server gets a fresh database of its own, dropped at the end. Posts are seeded by the
same code as `flask seed-demo`; pages are timed through the Flask test client, and with
--http also through a real HTTP server on a local port. Prints median and p95 latency per
page, the ratio to the bare /healthz route, the seed time and the peak memory.
"""

import argparse
import html
import logging
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import SECRET, drop_database, make_database, peak_rss_mb, percentile  # noqa: E402

from bulletin import create_app, visits  # noqa: E402
from bulletin.demo import seed as demo  # noqa: E402
from bulletin.extensions import db  # noqa: E402
from bulletin.models import Post, PostImage  # noqa: E402
from bulletin.posts.queries import published_posts  # noqa: E402

WARMUP = 3
FOLLOW_NEXT = 50
DEEP_PAGE = 2000
NEXT_LINK_RE = re.compile(r'<a rel="next"[^>]*href="([^"]+)"')


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts to seed")
    parser.add_argument("--requests", type=int, default=25, help="timed requests per page")
    parser.add_argument("--database-url", help="a PostgreSQL server to make a database on")
    parser.add_argument("--http", action="store_true", help="also time a real HTTP server")
    parser.add_argument("--keep", action="store_true", help="keep the folder and database")
    parser.add_argument("--no-analyze", action="store_true",
                        help="skip refreshing planner statistics after seeding (as on a board "
                             "that grew without ANALYZE)")
    return parser.parse_args()






def build_app(database_url: str, folder: Path):
    """Create the app on the throwaway database (migrated on start)."""
    return create_app({
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": str(folder / "uploads"),
        "SECRET_KEY": SECRET,
        "AUTO_MIGRATE": True,
    })


def seed(app, posts: int, analyze: bool) -> float:
    """Seed `posts` posts with seed-demo's code; return the seconds it took."""
    with app.app_context():
        started = time.perf_counter()
        summary = demo.seed(posts, progress=print, analyze=analyze)
        elapsed = time.perf_counter() - started
        print(summary.describe())
        db.session.remove()
    return elapsed


def sample_urls(app, client) -> list[tuple[str, str]]:
    """Return the pages to time, as (label, URL)."""
    with app.app_context():
        post = db.session.scalar(
            published_posts().where(Post.images.any()).order_by(Post.published_at.desc())
            .limit(1)
        ) or db.session.scalar(published_posts().order_by(Post.published_at.desc()).limit(1))
        detail = f"/posts/{post.id}/{post.slug}"
        image = db.session.scalar(db.select(PostImage.id).where(PostImage.post_id == post.id))
        visible = db.session.scalar(published_posts().with_only_columns(db.func.count()))
        # Page 2000 when there are that many pages (100,000 posts), else the last full one.
        deep = max(1, min(DEEP_PAGE, visible // app.config["POSTS_PER_PAGE"]))
        db.session.remove()
    urls = [
        ("healthz (baseline)", "/healthz"),
        ("home", "/"),
        ("post page", detail),
        ("organization", "/org/mttq"),
        ("organization page 2", "/org/mttq?page=2"),
        (f"home, {FOLLOW_NEXT} × next (cursor)", follow_next(client, "/", FOLLOW_NEXT)),
        (f"home ?page={deep} (no cursor)", f"/?page={deep}"),
        ("category", "/category/tin-hoat-dong"),
        ("feed.atom", "/feed.atom"),
        ("search, common words", "/search?q=hoi+nghi"),
        ("search, no diacritics", "/search?q=dai+doan+ket"),
        ("search, rare word", "/search?q=tiet+kiem"),
        ("search, typo (suggestion)", "/search?q=phong+traoo"),
    ]
    if image:
        urls.insert(3, ("photo thumbnail", f"/images/{image}/thumb.jpg"))
    return urls


def follow_next(client, url: str, times: int) -> str:
    """Follow the "older" link of a list `times` times; return the last URL reached."""
    for _ in range(times):
        page = client.get(url).get_data(as_text=True)
        found = NEXT_LINK_RE.search(page)
        if not found:
            break
        url = html.unescape(found.group(1))
    return url


def time_requests(get, url: str, count: int) -> tuple[list[float], int]:
    """Request `url` a few times to warm up, then `count` times; return seconds and bytes."""
    size = 0
    for _ in range(WARMUP):
        status, size = get(url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        get(url)
        samples.append(time.perf_counter() - started)
    return samples, size


def client_getter(client):
    """Return a function that GETs a URL through the test client."""
    def get(url: str) -> tuple[int, int]:
        response = client.get(url)
        return response.status_code, len(response.get_data())
    return get


def http_getter(base: str):
    """Return a function that GETs a URL from a real server."""
    def get(url: str) -> tuple[int, int]:
        with urllib.request.urlopen(base + url) as response:  # noqa: S310 - our own server
            return response.status, len(response.read())
    return get




def report(title: str, get, urls: list[tuple[str, str]], count: int) -> None:
    """Time every page and print the table."""
    rows = []
    for label, url in urls:
        samples, size = time_requests(get, url, count)
        rows.append((label, url, statistics.median(samples), percentile(samples, 0.95), size))
    base = rows[0][2]
    print(f"\n{title} ({count} timed requests per page after {WARMUP} warm-up)")
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'× healthz':>10} {'KB':>7}  URL")
    for label, url, median, p95, size in rows:
        short = url if len(url) < 60 else url[:57] + "…"
        print(f"{label:<34} {median * 1000:>10.2f} {p95 * 1000:>8.2f} {median / base:>10.1f} "
              f"{size / 1024:>7.1f}  {short}")


def serve(app) -> tuple[object, str]:
    """Start a threaded HTTP server on a free local port; return it and its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"




def main() -> None:
    """Build, seed, measure, clean up."""
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bulletin-bench-"))
    database_url, pg_name = make_database(args.database_url, folder)
    engine = "PostgreSQL" if pg_name else "SQLite"
    try:
        app = build_app(database_url, folder)
        print(f"Seeding {args.posts:,} posts on {engine} in {folder} …")
        seconds = seed(app, args.posts, analyze=not args.no_analyze)
        print(f"seed: {args.posts:,} posts in {seconds:.1f} s; peak RSS {peak_rss_mb():.0f} MB")
        client = app.test_client()
        urls = sample_urls(app, client)
        report(f"Flask test client, {engine}, {args.posts:,} posts", client_getter(client),
               urls, args.requests)
        if args.http:
            server, base = serve(app)
            try:
                report(f"HTTP (werkzeug, threaded), {engine}", http_getter(base), urls,
                       args.requests)
            finally:
                server.shutdown()
        print(f"\nseed time {seconds:.1f} s · peak RSS {peak_rss_mb():.0f} MB")
        visits.counter(app).flush()  # now, not at exit when the database is gone
        with app.app_context():
            db.engine.dispose()
    finally:
        if args.keep:
            print(f"kept {folder}" + (f" and database {pg_name}" if pg_name else ""))
        else:
            shutil.rmtree(folder, ignore_errors=True)
            if pg_name:
                drop_database(args.database_url, pg_name)


if __name__ == "__main__":
    main()
