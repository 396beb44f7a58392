"""Free disk space where the board writes: the database, the uploads and the backups.

`/healthz` warns below LOW_DISK_MB, the admin pages show each place's free space, and
"Sao lưu ngay" refuses a backup that would not fit.
"""

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bulletin.extensions import db

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
MB = 1024 * 1024


@dataclass(frozen=True)
class Place:
    """A folder the board writes into, and the free space of its disk."""

    name: str
    path: Path
    free: int | None  # bytes; None when the folder (and its parents) cannot be read

    @property
    def is_low(self) -> bool:
        """Return True when less than LOW_DISK_MB is left."""
        return self.free is not None and self.free < low_limit()


def low_limit() -> int:
    """Return the free space (bytes) below which the board warns."""
    return int(current_app.config["LOW_DISK_MB"]) * MB


def free_bytes(path: Path) -> int | None:
    """Return the free bytes on the disk holding `path` (or its nearest existing parent)."""
    path = Path(path).absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None


def is_disk_full(error: BaseException | None) -> bool:
    """Return True when an error (or the error it wraps) means a full disk or quota."""
    while error is not None:
        if isinstance(error, OSError) and error.errno in FULL_ERRNOS:
            return True
        if "database or disk is full" in str(error) or "No space left" in str(error):
            return True
        error = error.__cause__ or error.__context__ or getattr(error, "orig", None)
    return False


def sqlite_file() -> Path | None:
    """Return the embedded database's file, or None on a database server."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def places() -> list[Place]:
    """Return the folders the board writes into, with their free space."""
    folders = [("uploads", Path(current_app.config["UPLOAD_DIR"])),
               ("backups", Path(current_app.config["BACKUP_DIR"]))]
    database = sqlite_file()
    if database is not None:
        folders.insert(0, ("database", database.parent))
    return [Place(name, path, free_bytes(path)) for name, path in folders]


def database_bytes() -> int:
    """Return about how many bytes the database takes (file or server size)."""
    database = sqlite_file()
    if database is not None:
        return sum(p.stat().st_size for p in database.parent.glob(database.name + "*")
                   if p.is_file())
    if db.engine.dialect.name == "postgresql":
        return int(db.session.scalar(text("SELECT pg_database_size(current_database())")) or 0)
    return 0


def folder_bytes(root: Path) -> int:
    """Return the bytes of every file under `root`."""
    total = 0
    for folder, _subfolders, names in os.walk(root):
        for name in names:
            try:
                total += os.stat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total
