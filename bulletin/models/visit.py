"""Visit statistics: one row per browser per local day, daily totals, recently seen browsers."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bulletin.models.base import Base, UTCDateTime


class VisitDay(Base):
    """A browser (hashed cookie id) seen on one day in Asia/Ho_Chi_Minh: one visit."""

    __tablename__ = "visit_days"

    day_on: Mapped[date] = mapped_column(Date, primary_key=True)
    visitor: Mapped[str] = mapped_column(String(32), primary_key=True)


class VisitTotal(Base):
    """The number of visits of one day, kept so totals never count the whole history."""

    __tablename__ = "visit_totals"

    day_on: Mapped[date] = mapped_column(Date, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)


class VisitorSeen(Base):
    """When a browser was last seen, for the 'online now' figure."""

    __tablename__ = "visitors_seen"

    visitor: Mapped[str] = mapped_column(String(32), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class PostViews(Base):
    """How many times readers opened a post ("Lượt xem"), added to in batches, never per view."""

    __tablename__ = "post_views"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    views: Mapped[int] = mapped_column(Integer, default=0)
