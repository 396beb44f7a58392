"""The mark on every row the demo made, so that `seed-demo --remove` finds exactly those."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from bulletin.models.base import Base


class DemoRow(Base):
    """One row of one table that `seed-demo` made (by its integer `id`)."""

    __tablename__ = "demo_rows"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
