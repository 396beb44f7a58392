"""Sweeping the upload folder: files no row refers to, left by abandoned forms or failures.

A photo or file is written before the row that refers to it (so a row never points at
nothing). A form that failed validation keeps its uploads for the next try; one that is never
sent again, or a request killed half-way, leaves files no row refers to. Those older than
PENDING_UPLOAD_HOURS are removed: at a start when the last sweep is older than that (a
marker file in the instance folder), by `flask --app app sweep-uploads` (the backup timer runs
it), never on an ordinary request.
"""

import hashlib
import logging
import os
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from bulletin.extensions import db
from bulletin.models import Attachment, Decision, PostImage, Proposal, SiteSettings
from bulletin.uploads import (
    IMAGE_SIZES,
    RENDITIONS,
    attachment_path,
    image_path,
    rendition_path,
    upload_root,
)

log = logging.getLogger(__name__)
# imports/ holds workbooks waiting for a confirm (or claimed by one a crash cut short);
# renditions/ the copies of photos made when first asked for (and a worker killed while
# writing one leaves its .tmp there).
SWEPT_FOLDERS = ("images", "files", "site", "imports", "renditions")


def referenced() -> set[Path]:
    """Return every upload path a row refers to."""
    keys = list(db.session.scalars(db.select(PostImage.file_key)))
    paths = {image_path(key, size) for key in keys for size in IMAGE_SIZES}
    paths |= {rendition_path(key, size, ext) for key in keys for size, ext in RENDITIONS}
    names = [*db.session.scalars(db.select(Attachment.stored_name)),
             *db.session.scalars(db.select(Decision.scan_stored_name)),
             *db.session.scalars(db.select(Proposal.scan_stored_name))]
    paths |= {attachment_path(name) for name in names if name}
    logo = db.session.scalar(db.select(SiteSettings.logo_key).where(SiteSettings.id == 1))
    if logo:
        paths.add(upload_root() / "site" / f"logo-{logo}.png")
    return paths


def candidates(cutoff: float) -> list[Path]:
    """List the files in the swept folders last changed before `cutoff` (a time.time())."""
    found = []
    for folder in SWEPT_FOLDERS:
        for parent, _dirs, names in os.walk(upload_root() / folder):
            for name in names:
                path = Path(parent, name)
                try:
                    if path.stat().st_mtime < cutoff:
                        found.append(path)
                except FileNotFoundError:
                    continue
    return found


def sweep(hours: float | None = None) -> list[Path]:
    """Remove unreferenced upload files older than `hours` (default PENDING_UPLOAD_HOURS)."""
    if hours is None:
        hours = current_app.config["PENDING_UPLOAD_HOURS"]
    old = candidates(time.time() - hours * 3600)
    if not old:
        return []
    keep = referenced()
    removed = [path for path in old if path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    if removed:
        log.info("swept %d abandoned upload file(s) older than %s h", len(removed), hours)
    return removed


def sweep_marker() -> Path:
    """The file whose age says when this machine last swept this upload folder.

    It lives in the instance folder, not among the uploads (which backups copy), one per
    upload folder (named by a hash of its path)."""
    folder = str(upload_root().resolve())
    name = hashlib.sha256(folder.encode()).hexdigest()[:16]
    return Path(current_app.instance_path) / f"upload-sweep-{name}"


def sweep_if_due() -> None:
    """Sweep at start when the last sweep is older than PENDING_UPLOAD_HOURS.

    The marker file makes it once per period, not once per worker start; a problem is
    logged, never fatal.
    """
    hours = current_app.config["PENDING_UPLOAD_HOURS"]
    try:
        marker = sweep_marker()
        if marker.exists() and marker.stat().st_mtime > time.time() - hours * 3600:
            return
        marker.touch()
        sweep(hours)
    except OSError:
        log.exception("could not sweep the upload folder")


@click.command("sweep-uploads")
@click.option("--hours", type=click.FloatRange(min=0), default=None,
              help="Remove unreferenced files older than this many hours "
                   "(default: PENDING_UPLOAD_HOURS, 24).")
@with_appcontext
def sweep_command(hours: float | None) -> None:
    """Remove upload files no post, decision, proposal or setting refers to (abandoned forms)."""
    removed = sweep(hours)
    click.echo(f"Removed {len(removed)} abandoned upload file(s).")
