"""The one model layer shared by every blueprint."""

from bulletin.models.base import Base, UTCDateTime, utcnow
from bulletin.models.organization import Category, Organization
from bulletin.models.post import STATUSES, Attachment, Post, PostImage
from bulletin.models.user import ROLES, User, user_organizations
from bulletin.models.visit import VisitDay, VisitorSeen, VisitTotal

__all__ = [
    "ROLES",
    "STATUSES",
    "Attachment",
    "Base",
    "Category",
    "Organization",
    "Post",
    "PostImage",
    "UTCDateTime",
    "User",
    "VisitDay",
    "VisitTotal",
    "VisitorSeen",
    "user_organizations",
    "utcnow",
]
