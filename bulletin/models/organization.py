"""Organizations (the Front and its member unions, with branches) and post categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bulletin.models.base import Base

if TYPE_CHECKING:
    from bulletin.models.post import Post


class Organization(Base):
    """A mass organization (Ủy ban MTTQ, Hội LHPN, …) or one of its branches."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    parent: Mapped[Organization | None] = relationship(
        back_populates="branches", remote_side="Organization.id"
    )
    branches: Mapped[list[Organization]] = relationship(back_populates="parent")
    posts: Mapped[list[Post]] = relationship(back_populates="organization")

    def __repr__(self) -> str:
        return f"<Organization {self.slug}>"


class Category(Base):
    """A section of the board: news, announcements, reports, …"""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    posts: Mapped[list[Post]] = relationship(back_populates="category")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class OldSlug(Base):
    """A slug an organization or category had before it was changed; its URL redirects."""

    __tablename__ = "old_slugs"
    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "organization" or "category"
    slug: Mapped[str] = mapped_column(String(80))
    target_id: Mapped[int] = mapped_column(Integer, index=True)
