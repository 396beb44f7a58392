"""The site's own identity: the commune's and the Front committee's names, logo, footer."""

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bulletin.models.base import Base, UTCDateTime, utcnow


class SiteSettings(Base):
    """The one row of settings an admin edits on /admin/site."""

    __tablename__ = "site_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_name: Mapped[str] = mapped_column(String(200), default="")
    committee_name: Mapped[str] = mapped_column(String(200), default="")
    footer_text: Mapped[str] = mapped_column(Text, default="")
    logo_key: Mapped[str] = mapped_column(String(64), default="")
    # Where the texts go on pre-printed blank certificates: a JSON map of offsets in mm,
    # remembered from the last print ("{}" until the secretary adjusts them).
    certificate_layout: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
