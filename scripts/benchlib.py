"""What the benchmark scripts share: throwaway databases, percentiles, memory, a workbook.

Imported by scripts/benchmark.py, scripts/benchmark_awards.py and scripts/bench_http.py (a
script's own folder is first on sys.path, so `import benchlib` finds this file).
"""

import datetime
import io
import re
import resource
import time
import uuid
from pathlib import Path

import psycopg
from openpyxl import Workbook

SECRET = "benchmark-secret-key-0123456789-abcdefghijklmnop"  # noqa: S105 -- throwaway boards
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_database(server_url: str | None, folder: Path) -> tuple[str, str | None]:
    """Return the URL of an empty database, and the PostgreSQL database's name if one was made."""
    if not server_url:
        return f"sqlite:///{folder / 'bench.db'}", None
    name = f"bulletin_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return re.sub(r"/[^/]*$", f"/{name}", server_url), name


def drop_database(server_url: str, name: str) -> None:
    """Drop the benchmark's PostgreSQL database."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(samples: list[float], share: float) -> float:
    """Return the value below which `share` of the samples fall."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(field: str = "VmRSS", pid: int | str = "self") -> float:
    """A memory figure of a process from /proc (VmRSS now, VmHWM peak), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def floor_row(number: int) -> list:
    """One row like the export's: its 22 columns in its order, with values of its kinds and
    lengths (Vietnamese text, int years and amounts, a date; the columns the demo registry
    leaves empty stay empty)."""
    return [number, "Cá nhân", f"Nguyễn Thị Thu Hà {number}",
            "Chi hội trưởng" if number % 5 > 1 else None,
            1970 + number % 30 if number % 2 else None, "Hội Liên hiệp Phụ nữ",
            "Giấy khen", 2025,
            "Có thành tích xuất sắc trong phong trào thi đua “Phụ nữ tích cực học tập, lao động "
            "sáng tạo” năm 2025", f"{number % 200}/QĐ-HLHPN", datetime.date(2025, 12, 1),
            "Ban Chấp hành Hội Liên hiệp Phụ nữ xã Hòa Sơn", "Lê Thị Mai", "Chủ tịch Hội",
            "V/v tặng Giấy khen cho các tập thể, cá nhân có thành tích năm 2025",
            500_000 if number % 4 else None, "Còn hiệu lực", None, None, None,
            "Ban Chấp hành hội, đoàn, công đoàn cấp xã (cơ sở)", number]


def write_floor(rows: int) -> float:
    """Seconds openpyxl alone takes to write `rows` export-like rows in write-only mode.

    Like for like with the export: the same 22 columns with values like its own, but no
    styles, no database and no formula guard: the library's own time for as many cells.
    """
    from openpyxl import Workbook

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ")
    sheet.append(["Sổ theo dõi khen thưởng"])
    for number in range(1, rows + 1):
        sheet.append(floor_row(number))
    workbook.save(io.BytesIO())
    return time.perf_counter() - started


def read_floor(data: bytes) -> float:
    """Seconds openpyxl alone takes to read every cell of a workbook in read-only mode."""
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass
    workbook.close()
    return time.perf_counter() - started


def import_workbook(app, rows: int) -> bytes:
    """A workbook of `rows` new awards (empty ID) in the export's own layout."""
    from bulletin.awards import spreadsheets
    from bulletin.demo.awards import Generator
    from bulletin.extensions import db
    from bulletin.i18n import TIMEZONE
    from bulletin.models import AwardKind, Organization, utcnow

    with app.app_context():
        orgs = list(db.session.scalars(db.select(Organization)))
        kinds = list(db.session.scalars(db.select(AwardKind)))
        today = utcnow().astimezone(TIMEZONE).date()
        generator = Generator(orgs, kinds, today, seed=987_654)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Nhập")
        sheet.append([spreadsheets.TITLE])
        sheet.append([])
        sheet.append(list(spreadsheets.HEADERS))
        for number, item in enumerate(generator.awards(rows), 1):
            v = item.values
            cells = {"stt": number, "recipient_type": spreadsheets.TYPE_LABELS[v.recipient_type],
                     "recipient_name": v.recipient_name, "recipient_title": v.recipient_title,
                     "birth_year": v.birth_year, "organization": v.organization.name,
                     "kind": v.kind.name, "year": v.year, "achievement": v.achievement,
                     "decision_number": v.decision_number, "decision_date": v.decision_date,
                     "issuer": v.issuer, "signer": v.signer, "amount": v.amount}
            # By key, in the export's column order (the ID column, last, stays empty).
            sheet.append([cells.get(column.key) for column in spreadsheets.COLUMNS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        db.session.remove()
    return buffer.getvalue()
