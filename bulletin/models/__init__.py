"""The one model layer shared by every blueprint."""

from bulletin.models.audit import AuditEntry, LoginAttempt
from bulletin.models.award import (
    CONFERRING_BODIES,
    DECISION_TYPES,
    ISSUER_LEVELS,
    KIND_CATEGORIES,
    RECIPIENT_TYPES,
    SEXES,
    SIGNING_MODES,
    Award,
    AwardHistory,
    AwardKind,
    Decision,
)
from bulletin.models.base import Base, UTCDateTime, utcnow
from bulletin.models.cache import CacheVersion
from bulletin.models.demo import DemoRow
from bulletin.models.organization import Category, OldSlug, Organization
from bulletin.models.people import ImportBatch, Person
from bulletin.models.post import STATUSES, Attachment, Post, PostImage, PostRevision
from bulletin.models.proposal import (
    PROPOSAL_STATES,
    ROW_VERDICTS,
    CouncilMeeting,
    ImportMapping,
    Proposal,
    ProposalRow,
)
from bulletin.models.rules import RULE_TYPES, AwardRule, BaseSalary
from bulletin.models.site import SiteSettings
from bulletin.models.user import ROLES, PendingStep, RecoveryCode, User, user_organizations
from bulletin.models.visit import PostViews, VisitDay, VisitorSeen, VisitTotal

__all__ = [
    "CONFERRING_BODIES",
    "DECISION_TYPES",
    "ISSUER_LEVELS",
    "PROPOSAL_STATES",
    "ROW_VERDICTS",
    "SEXES",
    "CouncilMeeting",
    "ImportMapping",
    "Proposal",
    "ProposalRow",
    "RULE_TYPES",
    "SIGNING_MODES",
    "AwardRule",
    "BaseSalary",
    "KIND_CATEGORIES",
    "RECIPIENT_TYPES",
    "Award",
    "AwardHistory",
    "AwardKind",
    "Decision",
    "ImportBatch",
    "Person",
    "ROLES",
    "STATUSES",
    "Attachment",
    "AuditEntry",
    "LoginAttempt",
    "Base",
    "CacheVersion",
    "Category",
    "DemoRow",
    "OldSlug",
    "Organization",
    "Post",
    "PostImage",
    "PostRevision",
    "PostViews",
    "PendingStep",
    "RecoveryCode",
    "SiteSettings",
    "UTCDateTime",
    "User",
    "VisitDay",
    "VisitTotal",
    "VisitorSeen",
    "user_organizations",
    "utcnow",
]
