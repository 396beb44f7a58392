"""Who may do what: every permission rule of the board, in one place."""

from functools import wraps

from flask import abort
from flask_login import AnonymousUserMixin, current_user

from bulletin.extensions import db, login_manager
from bulletin.models import Organization, Post, User, utcnow
from bulletin.organizations import family_ids


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
    ids = set()
    for org in user.organizations:
        ids.update(family_ids(org))
    return ids


def can_manage_award_org(user: User | AnonymousUserMixin, organization: Organization) -> bool:
    """Return True when the account may record or correct awards of `organization`."""
    if not can_use_registry(user):
        return False
    allowed = registry_org_ids(user)
    return allowed is None or organization.id in allowed


def can_manage_award_kinds(user: User | AnonymousUserMixin) -> bool:
    """Only admins keep the catalogue of award kinds."""
    return bool(user.is_authenticated and user.role == "admin")
