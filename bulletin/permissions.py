"""Who may do what: every permission rule of the board, in one place."""

from functools import wraps

from flask import abort, current_app
from flask_login import AnonymousUserMixin, current_user

from bulletin.caching.orgs import family_ids
from bulletin.extensions import db, login_manager
from bulletin.models import Decision, Organization, Post, User, utcnow


def is_staff(user: User | AnonymousUserMixin) -> bool:
    """Return True for a logged-in editor, secretary or admin."""
    return bool(user.is_authenticated and user.role in ("editor", "secretary", "admin"))


def org_ids(user: User) -> set[int]:
    """Return the ids of the organizations the account belongs to."""
    return {org.id for org in user.organizations}


def can_write_for(user: User | AnonymousUserMixin, organization: Organization) -> bool:
    """Editors write for their own organizations; admins for every one."""
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    return user.role == "editor" and organization.id in org_ids(user)


def can_edit_post(user: User | AnonymousUserMixin, post: Post) -> bool:
    """Return True when the account may edit, publish or archive `post`."""
    return can_write_for(user, post.organization)


def can_view_post(user: User | AnonymousUserMixin, post: Post) -> bool:
    """Readers see published posts whose time has come; their editors see everything."""
    return post.is_visible_at(utcnow()) or can_edit_post(user, post)


def writable_organizations(user: User | AnonymousUserMixin) -> list[Organization]:
    """Return the organizations the account may write posts for, in display order."""
    if not user.is_authenticated or user.role not in ("editor", "admin"):
        return []
    if user.role == "admin":
        orgs = db.session.scalars(db.select(Organization)).all()
    else:
        orgs = list(user.organizations)
    orgs = [org for org in orgs if not org.is_archived]
    return sorted(orgs, key=lambda o: (o.parent_id is not None, o.position, o.id))


def can_manage_accounts(user: User | AnonymousUserMixin) -> bool:
    """Only admins create, change, disable accounts and reset their passwords."""
    return bool(user.is_authenticated and user.role == "admin")


# Roles asked to turn on two-factor login (reminded at each login until they do).
TWO_FACTOR_ROLES = ("admin", "secretary")


def should_use_two_factor(user: User) -> bool:
    """Admins and secretaries are asked for two-factor login; editors may choose it."""
    return user.role in TWO_FACTOR_ROLES


def must_enrol_two_factor(user: User | AnonymousUserMixin) -> bool:
    """Return True when the account may do nothing before enrolling: its role is listed in
    REQUIRE_2FA_ROLES and it has no two-factor app yet."""
    required = current_app.config["REQUIRE_2FA_ROLES"] or ()
    return bool(user.is_authenticated and user.role in required and not user.has_two_factor)


def can_turn_off_two_factor(user: User) -> bool:
    """An account whose role requires two-factor login cannot turn it off itself."""
    return user.role not in (current_app.config["REQUIRE_2FA_ROLES"] or ())


def can_manage_structure(user: User | AnonymousUserMixin) -> bool:
    """Only admins change the site's identity, organizations, categories and backups."""
    return bool(user.is_authenticated and user.role == "admin")


def can_read_audit_log(user: User | AnonymousUserMixin) -> bool:
    """Only admins read the audit log."""
    return bool(user.is_authenticated and user.role == "admin")


def requires(rule):
    """Decorate a view: anonymous visitors go to the login page, accounts failing `rule` get 403.

    The undecorated view stays reachable as `view.__wrapped__`; the route-matrix test uses it
    to prove that a missing check is caught.
    """

    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorator


def can_use_registry(user: User | AnonymousUserMixin) -> bool:
    """Secretaries and admins keep (and read) the registry; it holds names and amounts."""
    return bool(user.is_authenticated and user.role in ("secretary", "admin"))


def registry_org_ids(user: User | AnonymousUserMixin) -> set[int] | None:
    """The organizations whose awards the account manages: None means all of them.

    A secretary made with --org manages those organizations and their branches; one made
    without --org manages all.
    """
    if not can_use_registry(user):
        return set()
    if user.role == "admin" or not user.organizations:
        return None
    # The branches come from the organizations kept per process, not a lazy load per level.
    return family_ids(org.id for org in user.organizations)


def can_manage_award_org(user: User | AnonymousUserMixin, organization: Organization) -> bool:
    """Return True when the account may record or correct awards of `organization`."""
    if not can_use_registry(user):
        return False
    allowed = registry_org_ids(user)
    return allowed is None or organization.id in allowed


def can_manage_award_kinds(user: User | AnonymousUserMixin) -> bool:
    """Only admins keep the catalogue of award kinds."""
    return bool(user.is_authenticated and user.role == "admin")


def can_see_decision(user: User | AnonymousUserMixin, decision: Decision) -> bool:
    """A decision is seen by those who manage one of its awards (or made it while empty).

    A decision belongs to the organizations of the awards on it: a secretary limited to some
    organizations sees it when it holds an award of theirs.
    """
    return _decision_in_scope(user, decision, any)


def can_edit_decision(user: User | AnonymousUserMixin, decision: Decision) -> bool:
    """A decision is corrected only by those who manage every award on it."""
    return _decision_in_scope(user, decision, all)


def _decision_in_scope(user: User | AnonymousUserMixin, decision: Decision, quantifier) -> bool:
    """Whether `quantifier` (any/all) of the decision's awards are in the account's scope."""
    allowed = registry_org_ids(user)
    if allowed is None:
        return True
    if not decision.awards:
        return bool(allowed) and decision.created_by_id == user.id
    return quantifier(award.organization_id in allowed for award in decision.awards)
