"""What the current account may see and choose in the registry.

The rules themselves live in `bulletin.permissions`; this module applies them to the current
account and loads rows through them (404 when missing, 403 when out of scope).
"""

from flask import abort
from flask_login import current_user

from bulletin.awards import queries
from bulletin.awards.catalog import Catalog
from bulletin.extensions import db
from bulletin.models import Award, AwardKind, Decision, Organization
from bulletin.permissions import (
    can_edit_decision,
    can_manage_award_org,
    can_see_decision,
    can_use_registry,
    registry_org_ids,
)


def allowed_ids() -> set[int] | None:
    """The organizations whose awards the account manages (None: all)."""
    return registry_org_ids(current_user)


def manageable_organizations() -> list[Organization]:
    """The organizations the account may record awards for, parents before branches."""
    allowed = allowed_ids()
    stmt = db.select(Organization)
    if allowed is not None:
        stmt = stmt.where(Organization.id.in_(sorted(allowed)))
    return sorted(db.session.scalars(stmt), key=queries.display_order)


def offered_kinds(current: AwardKind | None = None) -> list[AwardKind]:
    """The active kinds in their order of honour (plus a retired one an award still has)."""
    kinds = list(db.session.scalars(
        db.select(AwardKind).where(AwardKind.is_active.is_(True))
        .order_by(AwardKind.position, AwardKind.id)))
    if current is not None and current not in kinds:
        kinds.append(current)
    return kinds


def catalog_for(award: Award | None = None) -> Catalog:
    """What a form may choose; 403 for an account that manages no organization."""
    orgs = manageable_organizations()
    if not orgs:
        abort(403)
    # Archived organizations keep their awards but get no new ones (an award being edited
    # keeps its own).
    current = award.organization if award else None
    return Catalog([org for org in orgs if not org.is_archived or org is current],
                   offered_kinds(award.kind if award else None))


def load_award(award_id: int) -> Award:
    """Load an award the account manages: 404 if missing, 403 if another organization's."""
    award = db.get_or_404(Award, award_id)
    if not can_manage_award_org(current_user, award.organization):
        abort(403)
    return award


def may_void_batch(batch_id: int) -> bool:
    """Whether the account manages every award the import wrote (so may undo it whole)."""
    if not can_use_registry(current_user):
        return False
    return queries.batch_foreign_count(batch_id, allowed_ids()) == 0


def visible_awards(decision: Decision) -> list[Award]:
    """The awards of a decision that the account manages."""
    allowed = allowed_ids()
    return [a for a in decision.awards if allowed is None or a.organization_id in allowed]


def load_decision(decision_id: int, for_edit: bool = False) -> Decision:
    """Load a decision the account may see (or, `for_edit`, correct): 404 if missing, else 403."""
    decision = db.get_or_404(Decision, decision_id)
    rule = can_edit_decision if for_edit else can_see_decision
    if not rule(current_user, decision):
        abort(403)
    return decision


def can_edit(decision: Decision) -> bool:
    """Whether the current account may correct `decision` (for its page's buttons)."""
    return can_edit_decision(current_user, decision)
