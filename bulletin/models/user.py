"""Staff accounts: who may write posts and keep the registry."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import BigInteger, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bulletin.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from bulletin.models.organization import Organization
    from bulletin.models.post import Post

ROLES = ("reader", "editor", "secretary", "admin")

user_organizations = Table(
    "user_organizations",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organization_id",
        ForeignKey("organizations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


def new_session_token() -> str:
    """Return a fresh random token; changing it ends every session of the account."""
    return secrets.token_urlsafe(24)


class User(UserMixin, Base):
    """A staff account. Readers need none unless READ_REQUIRES_LOGIN is set."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    # Werkzeug scrypt and argon2 strings are 100–170 characters.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="reader", index=True)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor login: the TOTP secret once enrolment is confirmed, encrypted with a key
    # outside the database (auth.secret_box), and the last time step a code was accepted for
    # (a code is good once). `totp_secret` held it in clear before; it stays empty now.
    totp_sealed: Mapped[str | None] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    organizations: Mapped[list[Organization]] = relationship(secondary=user_organizations)
    posts: Mapped[list[Post]] = relationship(back_populates="author")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    @property
    def has_two_factor(self) -> bool:
        """Return True once the account has confirmed a two-factor app."""
        return bool(self.totp_sealed or self.totp_secret)

    @property
    def is_active(self) -> bool:
        """Flask-Login: a disabled account cannot log in or keep a session."""
        return self.is_enabled

    def get_id(self) -> str:
        """Flask-Login: the id carries the session token so that rotating it logs out."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class RecoveryCode(Base):
    """A one-time recovery code for two-factor login, kept as a SHA-256 hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class PendingStep(Base):
    """A step of a login kept on the server, named by a single-use nonce the browser holds:
    "password accepted, waiting for a code", or a two-factor enrolment's new secret."""

    __tablename__ = "pending_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    payload: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
