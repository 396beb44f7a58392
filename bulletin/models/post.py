"""Posts with their captioned photos and attachments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bulletin.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from bulletin.models.organization import Category, Organization
    from bulletin.models.user import User

STATUSES = ("draft", "published", "archived")


class Post(Base):
    """An organization's update: title, lead, sanitised HTML body, photos, files, byline."""

    __tablename__ = "posts"
    __table_args__ = (
        # The three list orders readers see: home (pinned first), organization, category.
        Index("ix_posts_listing", "status", "is_pinned", "published_at", "id"),
        Index("ix_posts_status_published", "status", "published_at", "id"),
        Index("ix_posts_org_listing", "organization_id", "status", "published_at", "id"),
        Index("ix_posts_category_listing", "category_id", "status", "published_at", "id"),
        # The editor's desk: an organization's posts by their last change.
        Index("ix_posts_org_desk", "organization_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    is_pinned: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Indexed by the listing indexes above, which start with these columns.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    organization: Mapped[Organization] = relationship(back_populates="posts")
    category: Mapped[Category | None] = relationship(back_populates="posts")
    author: Mapped[User | None] = relationship(back_populates="posts")
    images: Mapped[list[PostImage]] = relationship(
        back_populates="post", order_by="PostImage.position", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="post", order_by="Attachment.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[PostRevision]] = relationship(
        order_by="PostRevision.id.desc()", cascade="all, delete-orphan", viewonly=False
    )

    def is_visible_at(self, moment: datetime) -> bool:
        """Return True when readers may see the post at `moment`."""
        return (
            self.status == "published"
            and self.published_at is not None
            and self.published_at <= moment
        )

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.status}>"


class PostImage(Base):
    """A photo of a post's gallery, stored re-encoded in a large and a thumbnail size."""

    __tablename__ = "post_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(String(500), default="")
    file_key: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    thumb_width: Mapped[int] = mapped_column(Integer)
    thumb_height: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="images")


class Attachment(Base):
    """A document attached to a post (report, plan) kept under a server-made name."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mime_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="attachments")


class PostRevision(Base):
    """A copy of a post as it was saved, with who saved it and when."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16))
    is_pinned: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organization_id: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(Integer)
    # The photos as saved, in order: JSON [{"id", "caption", "name"}]; '' when unknown (a
    # revision saved before photos were kept).
    photos: Mapped[str] = mapped_column(Text, default="", server_default="")

    editor: Mapped[User | None] = relationship()
