"""The site's identity (commune, Front committee, logo, footer): read cached, saved by admins.

Every page shows these settings, so each app (each worker process) keeps the copy it read
under the shared version the page cache uses (`caching.versions`, in Redis or the database):
saving the settings, an organization or a category commits through the session, which bumps
that version, so every worker on every server reads them again at its next request. A worker
that cannot read the version reads the settings from the database on each request, and a copy
lives at most SITE_CACHE_SECONDS in any case.
"""

import io
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g

from bulletin.caching import versions
from bulletin.extensions import db
from bulletin.models import SiteSettings
from bulletin.uploads import UploadError, open_image, upload_root

LOGO_SIZE = 256
CACHE_KEY = "bulletin.site_identity"


@dataclass(frozen=True)
class Identity:
    """What pages show of the site's settings."""

    locality_name: str = ""
    committee_name: str = ""
    footer_text: str = ""
    logo_key: str = ""

    @property
    def footer_lines(self) -> list[str]:
        """The footer's contact lines, blank ones dropped."""
        return [line.strip() for line in self.footer_text.splitlines() if line.strip()]

    @property
    def full_name(self) -> str:
        """The committee and the commune together, e.g. "Ủy ban MTTQ thị trấn Đông Anh"."""
        return " ".join(part for part in (self.committee_name, self.locality_name) if part)


def site_changed() -> None:
    """Hook called after the settings or the organizations change: drop cached copies.

    The commit that saved the change bumped the shared version, so every worker reads the
    settings again; this drops this worker's copy at once even when the version is unreadable.
    """
    current_app.extensions.pop(CACHE_KEY, None)
    g.pop("site_identity", None)


def identity() -> Identity:
    """Return the site's settings, from the request, the process cache or the database."""
    if "site_identity" in g:
        return g.site_identity
    version = shared_version()
    cached = current_app.extensions.get(CACHE_KEY)
    if (cached is None or version is None or cached[1] != version
            or time.monotonic() - cached[0] > current_app.config["SITE_CACHE_SECONDS"]):
        cached = (time.monotonic(), version, load())
        current_app.extensions[CACHE_KEY] = cached
    g.site_identity = cached[2]
    return cached[2]


def shared_version() -> int | None:
    """Return the shared version, or None when it cannot be read or is never bumped."""
    if current_app.config["PAGE_CACHE_SECONDS"] <= 0:  # nothing bumps it then
        return None
    return versions.current()


def load() -> Identity:
    """Read the settings row (defaults when there is none yet)."""
    row = db.session.get(SiteSettings, 1)
    if row is None:
        return Identity()
    return Identity(row.locality_name, row.committee_name, row.footer_text, row.logo_key)


def settings_row() -> SiteSettings:
    """Return the settings row for editing, made when missing."""
    row = db.session.get(SiteSettings, 1)
    if row is None:
        row = SiteSettings(id=1, locality_name="", committee_name="", footer_text="",
                           logo_key="")
        db.session.add(row)
    return row


def logo_path(key: str) -> Path:
    """Return where a logo is kept."""
    return upload_root() / "site" / f"logo-{key}.png"


def store_logo(data: bytes) -> str:
    """Check an image by its content, re-encode it as a small PNG without metadata; its key."""
    from PIL import Image

    image = open_image(data)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    image.thumbnail((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    key = uuid.uuid4().hex
    path = logo_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(path)
    return key


def remove_logo(key: str) -> None:
    """Delete a logo file that nothing refers to any more."""
    if key:
        logo_path(key).unlink(missing_ok=True)


__all__ = ["Identity", "UploadError", "identity", "site_changed", "store_logo"]
