"""`flask --app app backup DEST`: write the database and the uploads to one file."""

import gzip
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Connection, Engine, Table, func, select
from sqlalchemy.exc import SQLAlchemyError

from bulletin.backup import format as fmt
from bulletin.backup import store
from bulletin.backup.format import BackupError
from bulletin.backup.report import describe, human_size, progress, reason
from bulletin.database import MIGRATIONS_DIR
from bulletin.extensions import db
from bulletin.models import Attachment, PostImage, utcnow
from bulletin.uploads import IMAGE_SIZES, attachment_path, image_path, upload_root

BATCH = 1000
# Restore's scratch space lives inside UPLOAD_DIR, on the same filesystem, so that swapping
# the uploads is a few renames even when UPLOAD_DIR is a mount point. Backups skip it.
STAGING_PREFIX = ".restore-"
GZIP_SUFFIXES = (".gz", ".tgz")


class AfterCommitError(BackupError):
    """The database was restored but a later step failed; the message says what to do."""


@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--keep-daily", type=click.IntRange(min=1), default=None,
              help="DEST is a folder: afterwards keep the newest backup of each of the last "
                   "N days (and the monthly ones), delete older backups there.")
@click.option("--keep-monthly", type=click.IntRange(min=0), default=0,
              help="With --keep-daily: also keep the newest backup of each of the last M "
                   "months.")
@with_appcontext
def backup_command(dest: Path, keep_daily: int | None, keep_monthly: int) -> None:
    """Write the database and every upload to one file DEST (.tar, .tar.gz, or a folder)."""
    started = time.monotonic()
    into_folder = dest.is_dir()
    if keep_daily is not None and not into_folder:
        raise click.UsageError("--keep-daily needs DEST to be an existing folder")
    dest = resolve_dest(dest)
    try:
        manifest = write_backup(dest)
        check = store.verify_file(dest) if into_folder else None
    except (BackupError, OSError, SQLAlchemyError) as error:
        raise click.ClickException(f"backup failed: {reason(error)}") from error
    report_backup(dest, manifest, time.monotonic() - started)
    if check is not None:
        click.echo(f"Read back and verified: sha256 {check['sha256']}.")
    if keep_daily is not None:
        for removed in store.prune(dest.parent, keep_daily, keep_monthly):
            click.echo(f"Removed old backup {removed.name}.")


def resolve_dest(dest: Path) -> Path:
    """Return DEST, or a dated file name inside DEST when it is a folder."""
    if not dest.is_dir():
        return dest
    return dest / dated_name()


def dated_name(suffix: str = ".tar") -> str:
    """Return a new backup's file name, dated in the board's time zone."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return f"bangtin-{utcnow().astimezone(zone):%Y%m%d-%H%M%S}{suffix}"


def write_backup(dest: Path) -> dict:
    """Write the backup through DEST.tmp and a rename, so DEST is never half-written."""
    if not dest.parent.is_dir():
        raise BackupError(f"the folder {dest.parent} does not exist")
    tmp = dest.with_name(dest.name + ".tmp")
    passphrase = store.passphrase()
    if passphrase:
        from bulletin.backup import crypto  # `cryptography` is not loaded by serving pages
    try:
        with private_file(tmp) as raw:
            out = crypto.EncryptingWriter(raw, passphrase) if passphrase else raw
            with tarfile.open(fileobj=out, mode=write_mode(dest, stream=bool(passphrase))) as tar:
                manifest = new_manifest()
                referenced = dump_database(tar, manifest, dest.parent)
                archive_uploads(tar, manifest, referenced)
                add_manifest(tar, manifest)
            if passphrase:
                out.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


@contextmanager
def private_file(path: Path) -> Iterator[BinaryIO]:
    """Create a file only its owner can read: a backup holds password hashes."""
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
        yield raw


def write_mode(dest: Path, stream: bool = False) -> str:
    """Compress the whole archive when the name asks for it (the tables are always gzipped);
    `stream` for an encrypting writer, which cannot seek."""
    compression = "gz" if dest.name.endswith(GZIP_SUFFIXES) else ""
    return ("w|" if stream else "w:") + compression


def new_manifest() -> dict:
    """Return the manifest's fields known before anything is read."""
    return {
        "format": fmt.FORMAT,
        "format_version": fmt.FORMAT_VERSION,
        "created_at": utcnow().isoformat(),
        "database": db.engine.dialect.name,
        "schema_revision": None,
        "tables": {},
        "uploads": {"files": 0, "bytes": 0},
        "missing_uploads": [],
        "members": {},
    }


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """Yield a connection that reads one moment of the database while others go on writing."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        else:
            # pysqlite opens a transaction only before writes: without this BEGIN each SELECT
            # would see a later moment than the one before. WAL lets writers go on meanwhile.
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def dump_database(tar: tarfile.TarFile, manifest: dict, spool_dir: Path) -> set[str]:
    """Dump every table from one snapshot; return the upload files its rows refer to."""
    with snapshot(db.engine) as conn:
        manifest["schema_revision"] = schema_revision(conn)
        tables = db.metadata.sorted_tables
        total = sum(conn.scalar(select(func.count()).select_from(t)) for t in tables)
        with progress("Saving the database", total) as advance:
            for table in tables:
                dump_table(conn, table, tar, manifest, spool_dir, advance)
        return referenced_uploads(conn)


def schema_revision(conn: Connection) -> str:
    """Return the database's migration revision, refusing one this code is not at."""
    from alembic.runtime.migration import MigrationContext  # not loaded by serving pages
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(MIGRATIONS_DIR).get_current_head()
    current = set(MigrationContext.configure(conn).get_current_heads())
    if current != {head}:
        raise BackupError(
            f"the database is at schema {', '.join(sorted(current)) or '(none)'}, this version "
            f"of Bảng tin expects {head}: run `flask --app app db upgrade` first"
        )
    return head


def dump_table(conn: Connection, table: Table, tar: tarfile.TarFile, manifest: dict,
               spool_dir: Path, advance: Callable[[int], None]) -> None:
    """Add one table as a gzip JSON-lines member, spooled on disk to learn its size."""
    kinds = [fmt.column_kind(column) for column in table.columns]
    member = f"{fmt.DB_DIR}{table.name}.jsonl.gz"
    with tempfile.TemporaryFile(dir=spool_dir) as spool:
        rows = write_rows(conn, table, kinds, spool, advance)
        size = spool.tell()
        spool.seek(0)
        manifest["members"][member] = fmt.add_member(tar, member, spool, size, time.time())
    manifest["tables"][table.name] = table_entry(table, kinds, member, rows)


def table_entry(table: Table, kinds: list[str], member: str, rows: int) -> dict:
    """Return what the manifest says of a table: its member, row count and typed columns."""
    columns = [[column.name, kind] for column, kind in zip(table.columns, kinds, strict=True)]
    return {"member": member, "rows": rows, "columns": columns}


def write_rows(conn: Connection, table: Table, kinds: list[str], spool: BinaryIO,
               advance: Callable[[int], None]) -> int:
    """Stream a table's rows in key order into `spool`; return how many there were."""
    stmt = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    count = 0
    with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6, mtime=0) as packed:
        for rows in conn.execute(stmt).partitions():
            packed.write("".join(fmt.encode_row(row, kinds) for row in rows).encode())
            count += len(rows)
            advance(len(rows))
    return count


def referenced_uploads(conn: Connection) -> set[str]:
    """Return the upload files (relative to UPLOAD_DIR) that the snapshot's rows refer to."""
    root = upload_root()
    images = [image_path(key, size) for key in conn.scalars(select(PostImage.file_key))
              for size in IMAGE_SIZES]
    files = [attachment_path(name) for name in conn.scalars(select(Attachment.stored_name))]
    return {path.relative_to(root).as_posix() for path in images + files}


def archive_uploads(tar: tarfile.TarFile, manifest: dict, referenced: set[str]) -> None:
    """Add every upload file; note those the database refers to that the folder lacks."""
    root = upload_root()
    files = upload_files(root)
    archived = set()
    with progress("Saving the uploads", len(files)) as advance:
        for path in files:
            name = path.relative_to(root).as_posix()
            if add_upload(tar, manifest, path, name):
                archived.add(name)
            advance(1)
    manifest["missing_uploads"] = sorted(referenced - archived)


# Workbooks waiting for an import's confirm button: personal data, useless after a day.
TRANSIENT_FOLDERS = {"imports"}


def upload_files(root: Path) -> list[Path]:
    """List the files under UPLOAD_DIR, leaving out half-written ones, restore scratch and
    spreadsheets waiting to be imported."""
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(STAGING_PREFIX)
                               and not (Path(folder) == root and name in TRANSIENT_FOLDERS))
        # uploads.py writes NAME.tmp and renames it: a .tmp file is an upload in progress.
        found += [Path(folder, name) for name in sorted(names) if not name.endswith(".tmp")]
    return found


def add_upload(tar: tarfile.TarFile, manifest: dict, path: Path, name: str) -> bool:
    """Add one upload file, unless it disappeared since the folder was listed."""
    member = fmt.UPLOADS_DIR + name
    try:
        with open(path, "rb") as source:
            stat = os.fstat(source.fileno())
            digest = fmt.add_member(tar, member, source, stat.st_size, stat.st_mtime)
    except FileNotFoundError:
        return False
    manifest["members"][member] = digest
    manifest["uploads"]["files"] += 1
    manifest["uploads"]["bytes"] += digest["size"]
    return True


def add_manifest(tar: tarfile.TarFile, manifest: dict) -> None:
    """Add the manifest as the last member, once every checksum is known."""
    data = json.dumps(manifest, ensure_ascii=False).encode()
    fmt.add_bytes(tar, fmt.MANIFEST, data, time.time())


def report_backup(dest: Path, manifest: dict, seconds: float) -> None:
    """Print what the backup holds, and warn about uploads the posts miss."""
    click.echo(f"Backup written to {dest}: {describe(manifest)}; "
               f"file size {human_size(dest.stat().st_size)}, {seconds:.1f} s.")
    missing = manifest["missing_uploads"]
    if missing:
        click.echo(f"Warning: {len(missing)} file(s) the posts refer to are missing from "
                   f"{upload_root()}, e.g. {missing[0]}", err=True)


