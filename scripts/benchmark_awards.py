"""Seed a throwaway registry with many awards; time the list, the exports and an import.

    .venv/bin/python scripts/benchmark_awards.py [--awards 100000] [--import-rows 10000]
        [--requests 15] [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--keep]

The board lives in a temporary folder (SQLite there by default). With --database-url the
named server gets a fresh database of its own, dropped at the end. Awards are seeded by
`bulletin.demo.awards.seed_awards` (what `seed-demo --awards N` runs). Pages are timed through
the Flask test client against /healthz as the baseline (median, ratio); pages that answer 404
(the registry list not built yet) are skipped and said so. Each export runs in a child process
of its own so that its peak memory (RSS) is its own. The import posts a generated workbook of
new awards for the dry run, then confirms it.
"""

import argparse
import contextlib
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import (  # noqa: E402
    SECRET,
    drop_database,
    import_workbook,
    make_database,
    read_floor,
    rss_mb,
    write_floor,
)

from bulletin import create_app, standard  # noqa: E402
from bulletin.auth.passwords import hash_password  # noqa: E402
from bulletin.demo.awards import seed_awards  # noqa: E402
from bulletin.extensions import db  # noqa: E402
from bulletin.models import Award, Organization, User  # noqa: E402

WARMUP = 3
USERNAME = "bench-admin"
PASSWORD = "benchmark-password-123"  # noqa: S105 -- a throwaway account on a throwaway board


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--awards", type=int, default=100_000, help="awards to seed")
    parser.add_argument("--import-rows", type=int, default=10_000,
                        help="rows of the workbook to import")
    parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
    parser.add_argument("--database-url", help="a PostgreSQL server to make a database on")
    parser.add_argument("--keep", action="store_true", help="keep the folder and database")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # "URL|DATABASE_URL|FOLDER"
    return parser.parse_args()


def build_app(database_url: str, folder: Path):
    """Create the app on the throwaway database (migrated on start)."""
    return create_app({"DATABASE_URL": database_url, "UPLOAD_DIR": str(folder / "uploads"),
                       "SECRET_KEY": SECRET, "AUTO_MIGRATE": True,
                       # A light password hash, so that logging in does not set the peak RSS.
                       "ARGON2_COST": (1, 1024, 1),
                       # Visits are written at once, not by a thread outliving the run.
                       "VISITS_FLUSH_SECONDS": 0})


def seed(app, count: int) -> float:
    """Seed the awards and the benchmark's admin account; return the seconds seeding took."""
    with app.app_context():
        standard.ensure_standard_data()
        started = time.perf_counter()
        summary = seed_awards(count, progress=print)
        elapsed = time.perf_counter() - started
        print(summary.describe())
        db.session.add(User(username=USERNAME, role="admin",
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        db.session.remove()
    return elapsed


def logged_in_client(app):
    """A test client logged in as the benchmark's admin, through the real form."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": USERNAME, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit(f"login failed: {response.status_code}")
    return client


def list_urls(app) -> list[tuple[str, str]]:
    """The registry pages to time, as (label, URL); /healthz first as the baseline."""
    with app.app_context():
        year = db.session.scalar(db.select(db.func.max(Award.year)))
        org = db.session.scalar(db.select(Organization.slug).where(
            Organization.parent_id.is_(None)).order_by(Organization.position).limit(1))
        db.session.remove()
    return [
        ("healthz (baseline)", "/healthz"),
        ("/awards/ first page", "/awards/"),
        (f"/awards/ year {year} + org {org}", f"/awards/?year={year}&org={org}"),
        ("/awards/ q=nguyen van", "/awards/?q=nguyen+van"),
        ("/awards/ q=nguyen van, page 5", "/awards/?q=nguyen+van&page=5"),
    ]


def time_pages(client, urls: list[tuple[str, str]], count: int) -> list[tuple]:
    """Median and p95 of each page; pages answering 404 are skipped and said so."""
    rows = []
    for label, url in urls:
        first = client.get(url)
        if first.status_code == 404:
            rows.append((label, url, None, None, "skipped: answered 404 (no such page yet?)"))
            continue
        if first.status_code != 200:
            rows.append((label, url, None, None, f"skipped: answered {first.status_code}"))
            continue
        for _ in range(WARMUP - 1):
            client.get(url)
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            client.get(url).get_data()
            samples.append(time.perf_counter() - started)
        ordered = sorted(samples)
        rows.append((label, url, statistics.median(samples),
                     ordered[int(0.95 * (len(ordered) - 1))], f"{len(first.data) / 1024:.0f} KB"))
    return rows




def reset_peak_rss() -> None:
    """Start measuring the peak RSS afresh (Linux: "5" in clear_refs resets VmHWM)."""
    # Where that is not allowed, the peak includes what came before the export.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def run_child(spec: str) -> None:
    """In a child process: download one export, print time, first byte, size and peak RSS
    as JSON."""
    url, database_url, folder = spec.split("|")
    app = build_app(database_url, Path(folder))
    client = logged_in_client(app)
    before = rss_mb("VmRSS")
    reset_peak_rss()
    started = time.perf_counter()
    response = client.get(url)
    first_byte, size = None, 0
    for chunk in response.response:  # as a server would send it, chunk by chunk
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    print(json.dumps({"status": response.status_code, "seconds": seconds, "bytes": size,
                      "first_byte_seconds": first_byte, "rss_before_mb": before,
                      "rss_peak_mb": rss_mb("VmHWM")}))


def time_export(url: str, database_url: str, folder: Path) -> dict:
    """Run one export in a fresh process and return its figures (and say how soon its first
    bytes came and how much the worker's memory grew)."""
    done = subprocess.run(  # noqa: S603 -- this very script, with our own arguments
        [sys.executable, __file__, "--child", f"{url}|{database_url}|{folder}"],
        capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{url}: {figures['seconds']:.1f} s, first byte after "
          f"{figures['first_byte_seconds'] or 0:.2f} s, memory grew "
          f"{figures['rss_peak_mb'] - figures['rss_before_mb']:.0f} MB (target < 50)")
    return figures




def time_import(app, client, data: bytes) -> dict:
    """Post the workbook (dry run), then confirm it; return times and counts."""
    page = client.get("/awards/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    started = time.perf_counter()
    dry = client.post("/awards/import", content_type="multipart/form-data",
                      data={"csrf_token": token, "file": (io.BytesIO(data), "nhap.xlsx")})
    dry_seconds = time.perf_counter() - started
    html = dry.get_data(as_text=True)
    counts = dict(re.findall(r'data-fate="(\w+)">[^<]*<strong>([\d.]+)</strong>', html))
    fields = dict(re.findall(r'name="(csrf_token|token)"[^>]*value="([^"]*)"',
                             html[html.find("/awards/import/confirm"):]))
    result = {"dry_status": dry.status_code, "dry_seconds": dry_seconds, "counts": counts,
              "page_kb": len(html.encode()) / 1024}
    if "token" not in fields:
        return result | {"confirm_status": None, "confirm_seconds": None}
    started = time.perf_counter()
    confirm = client.post("/awards/import/confirm", data=fields)
    return result | {"confirm_status": confirm.status_code,
                     "confirm_seconds": time.perf_counter() - started}


def print_report(database: str, awards: int, seed_seconds: float, pages: list[tuple],
                 exports: dict, imported: dict, rows: int) -> None:
    """Print the results as one table."""
    print(f"\nRegistry benchmark on {database}: {awards:,} awards "
          f"(seeded in {seed_seconds:.1f} s)")
    base = pages[0][2]
    print(f"{'what':<38} {'median ms':>10} {'p95 ms':>8} {'× healthz':>10}  note")
    for label, _url, median, p95, note in pages:
        if median is None:
            print(f"{label:<38} {'—':>10} {'—':>8} {'—':>10}  {note}")
        else:
            print(f"{label:<38} {median * 1000:>10.1f} {p95 * 1000:>8.1f} "
                  f"{median / base:>10.1f}  {note}")
    print(f"\n{'export':<38} {'seconds':>10} {'MB':>8} {'peak RSS MB':>12} {'RSS before':>11}")
    for label, figures in exports.items():
        floor = figures.get("floor")
        print(f"{label:<38} {figures['seconds']:>10.1f} {figures['bytes'] / 2**20:>8.1f} "
              f"{figures['rss_peak_mb']:>12.0f} {figures['rss_before_mb']:>11.0f}"
              + ("" if figures["status"] == 200 else f"  (HTTP {figures['status']})")
              + (f"  openpyxl write-only {floor:.1f} s, × floor {figures['seconds'] / floor:.2f}"
                 if floor else ""))
    confirm = imported["confirm_seconds"]
    print(f"\nimport of {rows:,} rows: dry run {imported['dry_seconds']:.1f} s "
          f"(HTTP {imported['dry_status']}, page {imported['page_kb']:.0f} KB), confirm "
          + (f"{confirm:.1f} s (HTTP {imported['confirm_status']})" if confirm is not None
             else "not offered")
          + f"; total {imported['dry_seconds'] + (confirm or 0):.1f} s; fates {imported['counts']}")
    floor = imported["floor"]
    print(f"openpyxl read-only reads the workbook in {floor:.2f} s: dry run × floor "
          f"{imported['dry_seconds'] / floor:.1f}"
          + (f", confirm × floor {confirm / floor:.1f}" if confirm is not None else "")
          + " (target ≤ 3 each)")


def main() -> None:
    """Seed, time, report, clean up."""
    args = parse_args()
    if args.child:
        run_child(args.child)
        return
    folder = Path(tempfile.mkdtemp(prefix="bulletin-awards-bench-"))
    database_url, pg_name = make_database(args.database_url, folder)
    try:
        app = build_app(database_url, folder)
        seed_seconds = seed(app, args.awards)
        client = logged_in_client(app)
        pages = time_pages(client, list_urls(app), args.requests)
        exports = {f"{args.awards:,} rows export.{ext}":
                   time_export(f"/awards/export.{ext}", database_url, folder)
                   for ext in ("xlsx", "csv")}
        workbook = import_workbook(app, args.import_rows)
        imported = time_import(app, client, workbook)
        # The library's floors, measured in the same run: openpyxl alone writing as many rows
        # (write-only) and reading the import's workbook (read-only).
        imported["floor"] = read_floor(workbook)
        exports[f"{args.awards:,} rows export.xlsx"]["floor"] = write_floor(args.awards)
        with app.app_context():
            db.engine.dispose()
        print_report("PostgreSQL" if pg_name else "SQLite", args.awards, seed_seconds, pages,
                     exports, imported, args.import_rows)
    finally:
        if args.keep:
            print(f"\nKept {folder}" + (f" and database {pg_name}" if pg_name else ""))
        else:
            shutil.rmtree(folder, ignore_errors=True)
            if pg_name:
                drop_database(args.database_url, pg_name)


if __name__ == "__main__":
    main()
