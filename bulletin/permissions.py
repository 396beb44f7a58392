"""Who may do what: every permission rule of the board, in one place."""

from flask_login import AnonymousUserMixin

from bulletin.models import Organization, Post, User, utcnow


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
