"""The commendation cycle before a decision: an organization's proposal (tờ trình with its
danh sách đề nghị), its rows, and the emulation council's meeting that votes on them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bulletin.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from bulletin.models.award import Award, AwardKind, Decision
    from bulletin.models.organization import Organization
    from bulletin.models.user import User

# draft → submitted → (returned → submitted …) → decided.
PROPOSAL_STATES = ("draft", "submitted", "returned", "decided")
# The council's verdict on one row.
ROW_VERDICTS = ("pending", "accepted", "refused")


class Proposal(Base):
    """One organization's proposal for a year or a campaign."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_year_org", "year", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    campaign: Mapped[str] = mapped_column(String(300), default="")
    # The tờ trình's own number and date, and who signs it for the organization.
    number: Mapped[str] = mapped_column(String(60), default="")
    dated: Mapped[date | None] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    # Defaults for the rows (the form's "for the whole list" fields).
    kind_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_kinds.id", ondelete="SET NULL"), index=True
    )
    achievement: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    # The signed tờ trình or biên bản, scanned (stored like a decision's scan).
    scan_name: Mapped[str] = mapped_column(String(255), default="")
    scan_stored_name: Mapped[str] = mapped_column(String(80), default="")
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    organization: Mapped[Organization] = relationship()
    kind: Mapped[AwardKind | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    rows: Mapped[list[ProposalRow]] = relationship(
        back_populates="proposal", order_by="ProposalRow.line_no",
        cascade="all, delete-orphan"
    )


class ProposalRow(Base):
    """One person, collective or household proposed, with the council's verdict on it."""

    __tablename__ = "proposal_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer, default=1)
    recipient_type: Mapped[str] = mapped_column(String(16), default="individual")
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_title: Mapped[str] = mapped_column(String(200), default="")
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    sex: Mapped[str] = mapped_column(String(8), default="")
    ethnicity: Mapped[str] = mapped_column(String(60), default="")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    kind_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_kinds.id", ondelete="SET NULL"), index=True
    )
    year: Mapped[int | None] = mapped_column(Integer)
    achievement: Mapped[str] = mapped_column(Text, default="")
    initiative: Mapped[str] = mapped_column(String(500), default="")
    amount: Mapped[int | None] = mapped_column(BigInteger)
    verdict: Mapped[str] = mapped_column(String(12), default="pending")
    verdict_reason: Mapped[str] = mapped_column(Text, default="")
    # The council's vote on this row, when its meeting was recorded.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_meetings.id", ondelete="SET NULL"), index=True
    )
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    # The award the row became when the decision was saved.
    award_id: Mapped[int | None] = mapped_column(
        ForeignKey("awards.id", ondelete="SET NULL"), index=True
    )

    proposal: Mapped[Proposal] = relationship(back_populates="rows")
    organization: Mapped[Organization | None] = relationship()
    kind: Mapped[AwardKind | None] = relationship()
    meeting: Mapped[CouncilMeeting | None] = relationship(back_populates="rows")
    award: Mapped[Award | None] = relationship()


class CouncilMeeting(Base):
    """A meeting of the emulation council (Hội đồng thi đua, khen thưởng) and its minutes."""

    __tablename__ = "council_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    chair: Mapped[str] = mapped_column(String(200), default="")
    clerk: Mapped[str] = mapped_column(String(200), default="")
    # One member per line, and how many the council has (the quorum is read against it).
    members_present: Mapped[str] = mapped_column(Text, default="")
    members_total: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    rows: Mapped[list[ProposalRow]] = relationship(back_populates="meeting")


class ImportMapping(Base):
    """A word of a secretary's book the catalogue did not know, mapped once in an import's dry
    run and remembered for the next ("CSTĐ xã" → the kind chien-si-thi-dua-co-so)."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Which column the word was in: "kind", "organization" or "recipient_type".
    field: Mapped[str] = mapped_column(String(20))
    # The word folded (bulletin.text.fold), and what it stands for (a slug or a code).
    folded: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (Index("uq_import_mappings_field_folded", "field", "folded", unique=True),)
