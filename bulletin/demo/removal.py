"""The demo's mark on its rows, and `seed-demo --remove`, which takes them away again.

While `seed-demo` runs, `marking()` notes the highest id of every table that can hold demo
rows; afterwards each row above it that names no account is marked in `demo_rows` (table and
id). The demo runs without a user, so every row it makes names none; staff who write at the
same time are named on what they write (a post's author, a decision's recorder, a history
entry's user) and their rows are not marked. A new kind of demo row (proposals, say) needs
nothing more: any table with an integer `id` that is not in KEPT_TABLES is watched, and a
column referring to `users` tells a staff row. A seeding step that makes rows outside the
watched window can call `mark()` itself.

`remove_demo()` deletes the marked rows, children before parents, in one transaction; rows
that cascade from them (photos, attachments, history) go with them. A marked row that an
unmarked row still refers to (a decision holding an award a secretary added to it) is kept,
with its mark, and reported. The files of removed photos and attachments are deleted after
the commit; the search index forgets the removed posts.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Table, exists, func, literal, select, text
from sqlalchemy.exc import SQLAlchemyError

from bulletin import audit
from bulletin.extensions import db
from bulletin.models import Attachment, DemoRow, PostImage
from bulletin.uploads import IMAGE_SIZES, attachment_path, image_path

# What the board keeps when the demo goes: its structure, accounts and records of use.
KEPT_TABLES = {"organizations", "categories", "award_kinds", "award_rules", "base_salaries",
               "users", "recovery_codes", "site_settings", "old_slugs", "cache_versions",
               "audit_log", "login_attempts", "demo_rows"}


def watched_tables() -> list[Table]:
    """Return the tables that can hold demo rows: an integer `id` key, not kept."""
    return [table for table in db.metadata.sorted_tables
            if table.name not in KEPT_TABLES and [c.name for c in table.primary_key] == ["id"]]


def staff_columns(table: Table) -> list:
    """Return the columns of `table` that name an account."""
    return [column for column in table.columns
            if any(fk.column.table.name == "users" for fk in column.foreign_keys)]


@contextmanager
def marking() -> Iterator[None]:
    """Mark every row the block adds that names no account (even when the block fails)."""
    ceilings = {table.name: db.session.scalar(select(func.max(table.c.id))) or 0
                for table in watched_tables()}
    try:
        yield
    finally:
        db.session.rollback()  # whatever the block left unfinished is not the demo's
        mark_new_rows(ceilings)


def mark_new_rows(ceilings: dict[str, int]) -> None:
    """Mark the rows above each table's ceiling that name no account and hang from no staff
    row (parents first, so a demo post is marked before its photos); commit."""
    watched = {table.name for table in watched_tables()}
    for table in watched_tables():
        if table.name not in ceilings:
            continue
        conditions = [table.c.id > ceilings[table.name],
                      ~exists().where(DemoRow.table_name == table.name,
                                      DemoRow.row_id == table.c.id)]
        conditions += [column.is_(None) for column in staff_columns(table)]
        conditions += [parent_is_demo(fk) for fk in table.foreign_keys
                       if fk.column.table.name in watched and fk.column.table is not table]
        db.session.execute(DemoRow.__table__.insert().from_select(
            ["table_name", "row_id"], select(literal(table.name), table.c.id).where(*conditions)))
    db.session.commit()


def parent_is_demo(fk):
    """Return the condition that a row's parent through `fk` is absent or a demo row."""
    return fk.parent.is_(None) | fk.parent.in_(
        select(DemoRow.row_id).where(DemoRow.table_name == fk.column.table.name))


def mark(table: Table, ids: Iterable[int]) -> None:
    """Mark rows of `table` as the demo's (the caller commits)."""
    rows = [{"table_name": table.name, "row_id": row_id} for row_id in ids]
    if rows:
        db.session.execute(DemoRow.__table__.insert(), rows)


@dataclass
class Removal:
    """What `remove_demo` took away, and the marked rows it had to keep."""

    removed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def describe(self) -> str:
        """Return the report `seed-demo --remove` prints."""
        if not self.removed and not self.kept:
            return "There is no demo content to remove."
        removed = ", ".join(f"{count:,} {name}" for name, count in self.removed.items())
        lines = [f"Removed the demo: {removed or 'nothing'}; {self.files:,} files."]
        if self.kept:
            kept = ", ".join(f"{count:,} {name}" for name, count in self.kept.items())
            lines.append(f"Kept {kept} of the demo: rows staff made still refer to them.")
        return "\n".join(lines)


def marked_ids(table: Table):
    """Return a select of the marked ids of `table`."""
    return select(DemoRow.row_id).where(DemoRow.table_name == table.name)


def removable(table: Table):
    """Return the condition of a marked row of `table` that no unmarked row refers to.

    Rows that would cascade away with it are no obstacle; any other reference is.
    """
    condition = table.c.id.in_(marked_ids(table))
    for other in db.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.ondelete != "CASCADE" and other is not table:
                condition &= ~exists().where(fk.parent == table.c.id)
    return condition


def remove_demo() -> Removal:
    """Delete every marked row that nothing else needs, then its files; commit."""
    result = Removal()
    files = upload_files_of_marked_posts()
    removed_posts = []
    try:
        for table in reversed(watched_tables()):
            if table.name == "posts":
                removed_posts = db.session.scalars(select(table.c.id).where(removable(table))).all()
            deleted = db.session.execute(table.delete().where(removable(table))).rowcount
            if deleted:
                result.removed[table.name] = deleted
        forget_marks_of_removed_rows()
        forget_in_search_index(removed_posts)
        audit.record("demo.remove", "demo", None, result.describe().splitlines()[0])
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        raise
    result.removed = dict(reversed(list(result.removed.items())))  # parents first, as read
    result.kept = kept_marks()
    result.files = delete_unreferenced(files)
    return result


def upload_files_of_marked_posts() -> list:
    """Return the upload files of the marked posts' photos and attachments."""
    posts = select(DemoRow.row_id).where(DemoRow.table_name == "posts")
    keys = db.session.scalars(select(PostImage.file_key).where(PostImage.post_id.in_(posts)))
    names = db.session.scalars(select(Attachment.stored_name)
                               .where(Attachment.post_id.in_(posts)))
    return [("image", key) for key in keys] + [("attachment", name) for name in names]


def delete_unreferenced(files: list) -> int:
    """Delete the listed files that no photo or attachment row names any more."""
    images = set(db.session.scalars(select(PostImage.file_key)))
    attachments = set(db.session.scalars(select(Attachment.stored_name)))
    deleted = 0
    for kind, key in files:
        if kind == "image" and key not in images:
            paths = [image_path(key, size) for size in IMAGE_SIZES]
        elif kind == "attachment" and key not in attachments:
            paths = [attachment_path(key)]
        else:
            continue
        for path in paths:
            if path.is_file():
                path.unlink()
                deleted += 1
    return deleted


def forget_marks_of_removed_rows() -> None:
    """Drop the marks whose rows are gone."""
    for table in watched_tables():
        db.session.execute(DemoRow.__table__.delete().where(
            DemoRow.table_name == table.name, DemoRow.row_id.not_in(select(table.c.id))))


def forget_in_search_index(post_ids: list[int]) -> None:
    """Remove deleted posts from the SQLite index (PostgreSQL's cascades by itself)."""
    if post_ids and db.engine.dialect.name == "sqlite":
        db.session.execute(text("DELETE FROM search_posts WHERE rowid = :id"),
                           [{"id": post_id} for post_id in post_ids])


def kept_marks() -> dict[str, int]:
    """Count the marked rows still there, by table."""
    rows = db.session.execute(select(DemoRow.table_name, func.count())
                              .group_by(DemoRow.table_name).order_by(DemoRow.table_name))
    return {name: count for name, count in rows}
