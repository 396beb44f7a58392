"""A folder of dated backups: list them, verify them, keep N daily and M monthly ones.

Next to each backup `bangtin-YYYYmmdd-HHMMSS.tar[.gz]` a small `….verified.json` records when
the whole file was last read back and every member matched its checksum, and the file's
own sha256, so the admin page can show it without rereading gigabytes.
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app, has_app_context

from bulletin.backup import format as fmt
from bulletin.backup.format import BackupError
from bulletin.models import utcnow

NAME_RE = re.compile(r"^bangtin-(\d{8})-(\d{6})\.(tar|tar\.gz|tgz)$")
SIDECAR = ".verified.json"


@dataclass
class BackupFile:
    """One backup in the folder, with what its last check found."""

    path: Path
    taken_at: datetime
    size: int
    verified_at: str | None
    sha256: str | None
    problem: str | None

    @property
    def name(self) -> str:
        """The file's name."""
        return self.path.name


def passphrase() -> str | None:
    """Return the passphrase backups are encrypted with (BACKUP_PASSPHRASE), if any."""
    return (current_app.config.get("BACKUP_PASSPHRASE") or None) if has_app_context() else None


def sidecar(path: Path) -> Path:
    """Return where a backup's check result is kept."""
    return path.with_name(path.name + SIDECAR)


def taken_at(path: Path) -> datetime | None:
    """Return the local time in a backup's name, or None for another file."""
    match = NAME_RE.match(path.name)
    if match is None:
        return None
    return datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")


def list_backups(folder: Path) -> list[BackupFile]:
    """Return the folder's backups, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        moment = taken_at(path)
        if moment is None or not path.is_file():
            continue
        check = read_sidecar(path)
        found.append(BackupFile(path, moment, path.stat().st_size, check.get("verified_at"),
                                check.get("sha256"), check.get("problem")))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def read_sidecar(path: Path) -> dict:
    """Return the last check of a backup, if it still describes this file."""
    try:
        check = json.loads(sidecar(path).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(check, dict) or check.get("size") != path.stat().st_size:
        return {}
    return check


def verify_file(path: Path) -> dict:
    """Read a backup whole, check every member, record and return the result."""
    digest = hashlib.sha256()
    with open(path, "rb") as raw:
        while chunk := raw.read(fmt.CHUNK):
            digest.update(chunk)
    check = {"size": path.stat().st_size, "sha256": digest.hexdigest(),
             "verified_at": utcnow().isoformat(), "problem": None}
    try:
        fmt.verify(path, passphrase=passphrase())
    except BackupError as error:
        check["problem"] = str(error)
        check["verified_at"] = None
    tmp = sidecar(path).with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    # Owner only, like the backup: nothing beside a backup is readable by others.
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(json.dumps(check))
    tmp.replace(sidecar(path))
    return check


def to_remove(backups: list[BackupFile], keep_daily: int, keep_monthly: int) -> list[BackupFile]:
    """Choose what retention drops: keep the newest of each of the last N days and M months."""
    keep: set[Path] = set()
    for key_of, count in ((lambda b: b.taken_at.date(), keep_daily),
                          (lambda b: (b.taken_at.year, b.taken_at.month), keep_monthly)):
        seen: list = []
        for backup in backups:  # newest first: the first of each period is its newest
            period = key_of(backup)
            if period not in seen and len(seen) < count:
                seen.append(period)
                keep.add(backup.path)
    return [b for b in backups if b.path not in keep]


def prune(folder: Path, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Delete the backups retention does not keep (never the newest); return them."""
    backups = list_backups(folder)
    removed = []
    for backup in to_remove(backups, max(keep_daily, 1), keep_monthly):
        backup.path.unlink(missing_ok=True)
        sidecar(backup.path).unlink(missing_ok=True)
        removed.append(backup.path)
    return removed
