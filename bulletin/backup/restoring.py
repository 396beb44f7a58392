"""`flask --app app restore SRC`: check a backup file whole, then put it back."""

import gzip
import os
import shutil
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import Connection, MetaData, Table, bindparam, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from bulletin import search
from bulletin.backup import format as fmt
from bulletin.backup import store
from bulletin.backup.format import BackupError
from bulletin.backup.report import batched, describe, progress, reason, short
from bulletin.backup.writing import (
    BATCH,
    STAGING_PREFIX,
    AfterCommitError,
    table_entry,
    write_rows,
)
from bulletin.database import MIGRATIONS_DIR
from bulletin.extensions import db
from bulletin.models import User
from bulletin.models.user import new_session_token
from bulletin.uploads import upload_root


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Replace the board's content without asking.")
@with_appcontext
def restore_command(src: Path, yes: bool) -> None:
    """Replace the database and the uploads with those of the backup file SRC."""
    started = time.monotonic()
    passphrase = ask_passphrase(src)
    try:
        with progress("Checking the backup", src.stat().st_size) as advance:
            manifest = fmt.verify(src, advance, passphrase=passphrase)
        check_restorable(manifest)
    except (BackupError, OSError, SQLAlchemyError) as error:
        raise click.ClickException(f"cannot restore {src}: {reason(error)}. Nothing was "
                                   f"changed.") from error
    if not yes:
        confirm_restore(src, manifest)
    try:
        restore_backup(src, manifest, passphrase)
    except AfterCommitError as error:
        raise click.ClickException(str(error)) from error
    except (BackupError, OSError, SQLAlchemyError) as error:
        raise click.ClickException(f"restore of {src} failed: {reason(error)}. Nothing was "
                                   f"changed.") from error
    click.echo(f"Restored from {src} (backup of {manifest['created_at']}): {describe(manifest)}; "
               f"{time.monotonic() - started:.1f} s.")


def ask_passphrase(src: Path) -> str | None:
    """Return the passphrase of an encrypted backup: BACKUP_PASSPHRASE, or asked for."""
    from bulletin.backup import crypto  # `cryptography` is not loaded by serving pages

    if not crypto.is_encrypted(src) or store.passphrase():
        return store.passphrase()
    return click.prompt("The backup is encrypted; its passphrase", hide_input=True)


def check_restorable(manifest: dict) -> None:
    """Refuse a backup of another schema than this code's, or a database newer than it."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(MIGRATIONS_DIR)
    known = {revision.revision for revision in script.walk_revisions()}
    revision, head = manifest["schema_revision"], script.get_current_head()
    if revision not in known:
        raise BackupError(f"it was made by a newer version of Bảng tin (database schema "
                          f"{revision}); upgrade this installation first")
    if not target_revisions() <= known:
        raise BackupError("the database was upgraded by a newer version of Bảng tin")
    if revision == head:
        check_tables(manifest["tables"], db.metadata.sorted_tables)


def target_revisions() -> set[str]:
    """Return the migration revision(s) of the database being restored into."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def check_tables(entries: dict, tables: list[Table]) -> None:
    """Refuse a backup whose tables or columns differ from those of its schema revision."""
    expected = {table.name: sorted(column.name for column in table.columns) for table in tables}
    if set(entries) != set(expected):
        raise BackupError("its tables do not match its database schema")
    for name, columns in expected.items():
        if sorted(column[0] for column in entries[name]["columns"]) != columns:
            raise BackupError(f"its table {name} does not match its database schema")


def confirm_restore(src: Path, manifest: dict) -> None:
    """Say what the backup holds and what it replaces; stop unless the user says yes."""
    url = db.engine.url.render_as_string(hide_password=True)
    click.echo(f"{src}: backup of {manifest['created_at']} from a {manifest['database']} "
               f"database, {describe(manifest)}.")
    click.echo(f"Restoring it REPLACES every post, account and upload of this board:\n"
               f"  database: {url}\n  uploads:  {upload_root()}")
    click.confirm("Replace them with the backup?", abort=True)


def restore_backup(src: Path, manifest: dict, passphrase: str | None = None) -> None:
    """Unpack and check again, load the rows in one transaction, then swap the uploads in."""
    from alembic.script import ScriptDirectory

    root = upload_root()
    head = ScriptDirectory(MIGRATIONS_DIR).get_current_head()
    with staging_area(root) as staging:
        unpack(src, manifest, staging, passphrase)
        tables = manifest["tables"]
        if manifest["schema_revision"] != head:
            tables = convert_to_head(staging, manifest["schema_revision"], tables)
        upgrade_target(head)
        load_database(staging, tables)
        try:
            swap_uploads(staging / "uploads", root, staging / "old")
        except OSError as error:
            raise AfterCommitError(
                f"the database was restored, but the uploads could not be put in place "
                f"({error}). Run the restore again; if files are missing from {root}, they are "
                f"in {staging / 'old'}."
            ) from error
    rebuild_search_index()


def rebuild_search_index() -> None:
    """Index the restored posts: the index is derived data, so backups leave it out."""
    click.echo("Rebuilding the search index …")
    try:
        search.rebuild()
    except SQLAlchemyError as error:
        raise AfterCommitError(
            f"the database and uploads were restored, but the search index could not be "
            f"rebuilt ({short(error)}): run `flask --app app search rebuild`."
        ) from error


@contextmanager
def staging_area(root: Path) -> Iterator[Path]:
    """Make scratch space inside UPLOAD_DIR; remove it afterwards unless old files remain."""
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        old = staging / "old"
        # Only reached if undoing a failed swap failed too: never delete the board's files.
        if not (old.is_dir() and any(old.iterdir())):
            shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def unpack(src: Path, manifest: dict, staging: Path, passphrase: str | None = None) -> None:
    """Copy the members into scratch space, checking their checksums again on the way."""
    with progress("Unpacking", src.stat().st_size) as advance:
        data, digests = fmt.scan_archive(src, lambda name: staging / name, advance,
                                         passphrase=passphrase)
    if fmt.parse_manifest(data) != manifest:
        raise BackupError("the file changed while it was being restored")
    fmt.check_digests(manifest, digests)


def convert_to_head(staging: Path, revision: str, entries: dict) -> dict:
    """Bring an older backup's rows to this version's schema; return the new table entries.

    The rows go into a scratch SQLite database at the backup's own schema, the migrations
    upgrade it as they would upgrade the board, and its tables are dumped again.
    """
    from flask_migrate import upgrade

    click.echo(f"The backup's database schema {revision} is older: converting its rows …")
    with scratch_database(staging / "convert.db"):
        upgrade(directory=MIGRATIONS_DIR, revision=revision)
        schema = MetaData()
        schema.reflect(bind=db.engine, only=lambda name, _: name in entries)
        tables = [table for table in schema.sorted_tables if table.name in entries]
        check_tables(entries, tables)
        with db.engine.begin() as conn:
            load_rows(conn, staging, entries, tables)
        upgrade(directory=MIGRATIONS_DIR)
        return dump_to_folder(staging, "converted/", sum(e["rows"] for e in entries.values()))


@contextmanager
def scratch_database(path: Path) -> Iterator[None]:
    """Make `db` and the migrations work on a scratch SQLite file for a while."""
    from flask_migrate import Migrate

    scratch = Flask(__name__)
    scratch.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    db.init_app(scratch)
    Migrate(scratch, db, directory=MIGRATIONS_DIR)
    with scratch.app_context():
        try:
            yield
        finally:
            db.engine.dispose()


def dump_to_folder(staging: Path, prefix: str, expected_rows: int) -> dict:
    """Write every table as a member file under staging/prefix; return the table entries."""
    (staging / prefix).mkdir()
    entries = {}
    with db.engine.connect() as conn, progress("Converting", expected_rows) as advance:
        for table in db.metadata.sorted_tables:
            kinds = [fmt.column_kind(column) for column in table.columns]
            member = f"{prefix}{table.name}.jsonl.gz"
            with open(staging / member, "wb") as out:
                rows = write_rows(conn, table, kinds, out, advance)
            entries[table.name] = table_entry(table, kinds, member, rows)
    return entries


def upgrade_target(revision: str) -> None:
    """Bring the database up to this version's schema (a new, or not yet upgraded, install)."""
    from flask_migrate import upgrade

    if target_revisions() != {revision}:
        click.echo(f"Upgrading the database schema to {revision} …")
        upgrade(directory=MIGRATIONS_DIR, revision=revision)


def load_database(staging: Path, entries: dict) -> None:
    """Replace every row of every table with the backup's, in one transaction."""
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        hold_writers(conn, tables)
        delete_all(conn, tables)
        load_rows(conn, staging, entries, tables)
        reset_sequences(conn, tables)
        renew_session_tokens(conn)


def renew_session_tokens(conn: Connection) -> None:
    """Give every account a new session token: cookies of the backup's time, or of this
    board before the restore, stop working and everyone logs in again."""
    users = User.__table__
    ids = conn.scalars(select(users.c.id)).all()
    if ids:
        conn.execute(update(users).where(users.c.id == bindparam("uid"))
                     .values(session_token=bindparam("token")),
                     [{"uid": uid, "token": new_session_token()} for uid in ids])


def load_rows(conn: Connection, staging: Path, entries: dict, tables: list[Table]) -> None:
    """Insert the backup's rows of `tables`, in their order (parents first)."""
    total = sum(entries[table.name]["rows"] for table in tables)
    with progress("Loading the database", total) as advance:
        for table in tables:
            entry = entries[table.name]
            load_table(conn, table, staging / entry["member"], entry, advance)


def hold_writers(conn: Connection, tables: list[Table]) -> None:
    """On PostgreSQL make the board's writes wait for the restore's commit; reads go on.

    Otherwise a row the board inserts meanwhile could take an id the backup is about to use.
    (SQLite takes its one write lock with the first delete.)
    """
    if conn.dialect.name == "postgresql":
        names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def self_references(table: Table) -> list[str]:
    """Return the columns of `table` that point at rows of the same table."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def delete_all(conn: Connection, tables: list[Table]) -> None:
    """Delete every row, children first."""
    for table in reversed(tables):
        links = self_references(table)
        if links:
            # SQLite checks ON DELETE RESTRICT row by row: unlink branches from parents first.
            conn.execute(table.update().values(dict.fromkeys(links)))
        conn.execute(table.delete())


def load_table(conn: Connection, table: Table, path: Path, entry: dict,
               advance: Callable[[int], None]) -> None:
    """Insert one table's rows in batches; links inside the table are set once all exist."""
    names = [name for name, _ in entry["columns"]]
    kinds = [kind for _, kind in entry["columns"]]
    links, held = self_references(table), []
    count = 0
    try:
        rows = (dict(zip(names, values, strict=True)) for values in read_rows(path, kinds))
        for batch in batched(rows, BATCH):
            held += hold_links(batch, table, links)
            conn.execute(table.insert(), batch)
            count += len(batch)
            advance(len(batch))
        set_links(conn, table, links, held)
    except SQLAlchemyError as error:
        raise BackupError(f"the database refused table {table.name}: {short(error)}") from error
    except (ValueError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"table {table.name} cannot be read: {error}") from error
    if count != entry["rows"]:
        raise BackupError(f"table {table.name} holds {count} rows, its manifest {entry['rows']}")


def read_rows(path: Path, kinds: list[str]) -> Iterator[list]:
    """Yield the decoded rows of a table member."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield fmt.decode_row(line, kinds)


def hold_links(batch: list[dict], table: Table, links: list[str]) -> list[dict]:
    """Take same-table links out of `batch` (a parent may come later); return them for later."""
    if not links:
        return []
    key = table.primary_key.columns[0].name
    held = []
    for row in batch:
        if any(row[name] is not None for name in links):
            held.append({"key_": row[key], **{f"{name}_": row[name] for name in links}})
            row.update(dict.fromkeys(links))
    return held


def set_links(conn: Connection, table: Table, links: list[str], held: list[dict]) -> None:
    """Put back the same-table links taken out by `hold_links`."""
    if held:
        key = table.primary_key.columns[0]
        stmt = (table.update().where(key == bindparam("key_"))
                .values({name: bindparam(f"{name}_") for name in links}))
        conn.execute(stmt, held)


def reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """On PostgreSQL move each id sequence past the restored ids, so new rows do not collide."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        column = table.autoincrement_column
        if column is not None:
            sequence = func.pg_get_serial_sequence(table.fullname, column.name)
            conn.execute(select(func.setval(sequence, func.coalesce(func.max(column), 0) + 1,
                                            False)))


def swap_uploads(new: Path, root: Path, old: Path) -> None:
    """Move the current uploads aside and the restored ones in; undo every move on failure."""
    new.mkdir(exist_ok=True)
    old.mkdir()
    moves: list[tuple[Path, Path]] = []
    try:
        for entry in [e for e in root.iterdir() if not e.name.startswith(STAGING_PREFIX)]:
            os.rename(entry, old / entry.name)
            moves.append((entry, old / entry.name))
        for entry in list(new.iterdir()):
            os.rename(entry, root / entry.name)
            moves.append((entry, root / entry.name))
    except BaseException:
        for source, target in reversed(moves):
            os.rename(target, source)
        raise


