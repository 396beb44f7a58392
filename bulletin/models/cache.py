"""The version of the anonymous readers' page cache, shared by every worker and machine."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from bulletin.models.base import Base


class CacheVersion(Base):
    """A named counter; bumping it makes every process drop the pages it cached."""

    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
