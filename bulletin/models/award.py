"""The commendation registry: award kinds, decisions, awards and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bulletin.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from bulletin.models.organization import Organization
    from bulletin.models.user import User

RECIPIENT_TYPES = ("individual", "collective", "household")
KIND_CATEGORIES = ("emulation_title", "award_form", "org_honour")
# Who confers a kind: the bodies a commune's registry meets (Luật TĐKT 2022, Điều 80–84).
CONFERRING_BODIES = ("commune_chair", "district_chair", "province_chair", "central",
                     "front_committee", "association")
SIGNING_MODES = ("", "TM", "KT", "Q", "TL")
# The level of the body that signs a decision, chosen on the decision form (pre-filled from the
# typed issuer, which stays as typed). District levels end on 30/06/2025 (two-level local
# government): the authority rules read them by the decision's date.
ISSUER_LEVELS = ("commune_chair", "district_chair", "province_chair", "central",
                 "commune_front", "district_front", "province_front", "central_front",
                 "commune_association", "district_association", "province_association",
                 "central_association", "other")
SEXES = ("male", "female")
DECISION_TYPES = ("", "regular", "thematic", "ad_hoc")

# Sort keys compare code point by code point (bulletin.text); PostgreSQL must not apply a
# language collation to them.
SortKey = String(400).with_variant(String(400, collation="C"), "postgresql")


class AwardKind(Base):
    """A form of award or emulation title (Giấy khen, Lao động tiên tiến, …): editable data."""

    __tablename__ = "award_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20), default="award_form")
    # Comma-separated subset of RECIPIENT_TYPES that may receive this kind.
    recipient_types: Mapped[str] = mapped_column(String(60), default=",".join(RECIPIENT_TYPES))
    is_yearly: Mapped[bool] = mapped_column(default=False)
    # Comma-separated subset of CONFERRING_BODIES (what the catalogue shows; the dated rules
    # decide the warnings).
    conferred_by: Mapped[str] = mapped_column(String(200), default="")
    # The organization whose own title this is (its top-level slug), empty for State ones.
    owner: Mapped[str] = mapped_column(String(80), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)

    awards: Mapped[list[Award]] = relationship(back_populates="kind")

    def allows(self, recipient_type: str) -> bool:
        """Return True when this kind may be given to that type of recipient."""
        return recipient_type in self.recipient_types.split(",")

    def conferring_bodies(self) -> list[str]:
        """The bodies that confer this kind, as codes."""
        return [code for code in self.conferred_by.split(",") if code]


class Decision(Base):
    """A commendation decision (quyết định khen thưởng) awarding one or many recipients."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), index=True)
    signed_on: Mapped[date] = mapped_column(Date, index=True)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    # One of ISSUER_LEVELS, or empty where nobody chose one (older decisions).
    issuer_level: Mapped[str] = mapped_column(String(30), default="", server_default="")
    signer: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    # TM. (on behalf of), KT. (deputy for), Q. (acting), TL. (by order): ND 30/2020.
    signing_mode: Mapped[str] = mapped_column(String(4), default="")
    legal_grounds: Mapped[str] = mapped_column(Text, default="")
    # thường xuyên / chuyên đề / đột xuất.
    decision_type: Mapped[str] = mapped_column(String(16), default="")
    campaign: Mapped[str] = mapped_column(String(300), default="")
    is_public: Mapped[bool] = mapped_column(default=False, index=True)
    scan_name: Mapped[str] = mapped_column(String(255), default="")
    scan_stored_name: Mapped[str] = mapped_column(String(80), default="")
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    awards: Mapped[list[Award]] = relationship(
        back_populates="decision", order_by="Award.line_no"
    )


class Award(Base):
    """One recipient's commendation: who, which kind, for what, in which year, how much."""

    __tablename__ = "awards"
    __table_args__ = (
        # The registry's order: newest year first, then the Vietnamese name order.
        Index("ix_awards_listing", "year", "name_sort_key", "id"),
        Index("ix_awards_org_listing", "organization_id", "year", "name_sort_key"),
        Index("ix_awards_kind_listing", "kind_id", "year", "name_sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer, default=1)
    recipient_type: Mapped[str] = mapped_column(String(16), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_title: Mapped[str] = mapped_column(String(200), default="")
    # A person's year of birth, when the book gives it: tells namesakes apart.
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    # For the statistics the level above asks for: "male", "female" or empty; an ethnic group
    # as written ("Kinh", "Tày", …) or empty.
    sex: Mapped[str] = mapped_column(String(8), default="", server_default="")
    ethnicity: Mapped[str] = mapped_column(String(60), default="", server_default="")
    name_sort_key: Mapped[str] = mapped_column(SortKey)
    # Folded name, position, achievement and decision number: what "tìm trong mọi cột" reads.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Folded name, position and decision number: what a registry search reads by default.
    name_search: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Indexed by the listing indexes above, which start with these columns.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    kind_id: Mapped[int] = mapped_column(ForeignKey("award_kinds.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    achievement: Mapped[str] = mapped_column(Text, default="")
    # The recognised initiative (sáng kiến) a Chiến sĩ thi đua title rests on.
    initiative: Mapped[str] = mapped_column(String(500), default="")
    amount: Mapped[int | None] = mapped_column(BigInteger)
    is_voided: Mapped[bool] = mapped_column(default=False, index=True)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(16), default="manual")
    # The import that wrote the award (the registry filters by it) and the merged person.
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="awards")
    organization: Mapped[Organization] = relationship()
    kind: Mapped[AwardKind] = relationship(back_populates="awards")
    history: Mapped[list[AwardHistory]] = relationship(
        back_populates="award", order_by="AwardHistory.id"
    )


class AwardHistory(Base):
    """One change to an award, kept forever: who, when, what (a JSON map of changes)."""

    __tablename__ = "award_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    username: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[str] = mapped_column(Text, default="{}")

    award: Mapped[Award] = relationship(back_populates="history")
    user: Mapped[User | None] = relationship()
