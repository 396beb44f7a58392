"""Rules of commendation as dated data: prerequisites, who may confer, money; base salary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bulletin.models.award import AwardKind
from bulletin.models.base import Base

# prerequisite: another kind in the same year (and/or an initiative);
# streak: `years` consecutive years of another kind, ending with the award's year;
# authority: the bodies that may confer the kind;
# money: coefficient × base salary for one type of recipient.
RULE_TYPES = ("prerequisite", "streak", "authority", "money")


class AwardRule(Base):
    """One rule about a kind, in force from `valid_from` to `valid_to` (inclusive)."""

    __tablename__ = "award_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int] = mapped_column(
        ForeignKey("award_kinds.id", ondelete="CASCADE"), index=True)
    rule_type: Mapped[str] = mapped_column(String(20), index=True)
    valid_from: Mapped[date] = mapped_column(Date, index=True)
    valid_to: Mapped[date | None] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # prerequisite / streak: the kind that must come first.
    required_kind_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_kinds.id", ondelete="CASCADE"), index=True)
    years: Mapped[int] = mapped_column(Integer, default=1)
    needs_initiative: Mapped[bool] = mapped_column(default=False)
    # authority: comma-separated CONFERRING_BODIES.
    bodies: Mapped[str] = mapped_column(String(200), default="")
    # money: for which recipients, how many times the base salary.
    recipient_type: Mapped[str] = mapped_column(String(16), default="")
    coefficient: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))

    kind: Mapped[AwardKind] = relationship(foreign_keys=[kind_id])
    required_kind: Mapped[AwardKind | None] = relationship(foreign_keys=[required_kind_id])

    def in_force(self, day: date) -> bool:
        """Return True when the rule applies on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class BaseSalary(Base):
    """The base salary (mức lương cơ sở) from a date on, and the rounding of rewards then."""

    __tablename__ = "base_salaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    # Rewards are rounded up to a multiple of this (10,000 đồng by the decree).
    round_up_to: Mapped[int] = mapped_column(Integer, default=10_000)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
