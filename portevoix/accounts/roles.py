"""The seven roles and what each may do. Checked by `require_permission` on every view and API call."""

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    AMBASSADOR = "ambassador", _("Ambassador")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    COMMUNICATION_DIRECTOR = "communication_director", _("Communication director")
    COMPLIANCE_OFFICER = "compliance_officer", _("Compliance officer")
    HR = "hr", _("HR")
    ADMINISTRATOR = "administrator", _("Administrator")


class Permission(enum.StrEnum):
    VIEW_MAP = "view_map"
    VIEW_DIRECTORY = "view_directory"
    IMPORT_PEOPLE = "import_people"
    MANAGE_ROLES = "manage_roles"
    VIEW_AUDIT = "view_audit"
    VIEW_SYSTEM = "view_system"
    VIEW_GUIDELINES_ADMIN = "view_guidelines_admin"
    ANSWER_ASKS = "answer_asks"
    WRITE_GUIDELINES = "write_guidelines"
    MANAGE_POLICY = "manage_policy"
    VIEW_CHECK_STATISTICS = "view_check_statistics"
    VIEW_AMBASSADOR_PROGRAMME = "view_ambassador_programme"
    MANAGE_AMBASSADOR_PROGRAMME = "manage_ambassador_programme"
    VIEW_OFFICIAL_CHANNELS = "view_official_channels"
    VIEW_INCIDENTS = "view_incidents"
    MANAGE_INCIDENTS = "manage_incidents"
    MANAGE_TRACKED_LINKS = "manage_tracked_links"
    COMPOSE_OFFICIAL_POSTS = "compose_official_posts"
    REVIEW_OFFICIAL_POSTS = "review_official_posts"
    MANAGE_APPROVAL_STEPS = "manage_approval_steps"
    USE_INBOX = "use_inbox"
    MANAGE_CHANNELS = "manage_channels"
    SHARE_CONTENT = "share_content"
    EDIT_AMBASSADOR_CONTENT = "edit_ambassador_content"
    APPROVE_AMBASSADOR_CONTENT = "approve_ambassador_content"
    VIEW_CRISIS = "view_crisis"
    MANAGE_CRISIS = "manage_crisis"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.EMPLOYEE: frozenset(),
    Role.AMBASSADOR: frozenset({Permission.SHARE_CONTENT}),
    Role.COMMUNITY_MANAGER: frozenset(
        {
            Permission.VIEW_MAP,
            Permission.VIEW_DIRECTORY,
            Permission.ANSWER_ASKS,
            Permission.VIEW_AMBASSADOR_PROGRAMME,
            Permission.VIEW_OFFICIAL_CHANNELS,
            Permission.MANAGE_TRACKED_LINKS,
            Permission.COMPOSE_OFFICIAL_POSTS,
            Permission.REVIEW_OFFICIAL_POSTS,
            Permission.USE_INBOX,
            Permission.MANAGE_CHANNELS,
            Permission.EDIT_AMBASSADOR_CONTENT,
            Permission.VIEW_CRISIS,
        }
    ),
    Role.COMMUNICATION_DIRECTOR: frozenset(
        {
            Permission.VIEW_MAP,
            Permission.VIEW_CHECK_STATISTICS,
            Permission.VIEW_DIRECTORY,
            Permission.ANSWER_ASKS,
            Permission.VIEW_GUIDELINES_ADMIN,
            Permission.WRITE_GUIDELINES,
            Permission.VIEW_AMBASSADOR_PROGRAMME,
            Permission.MANAGE_AMBASSADOR_PROGRAMME,
            Permission.VIEW_OFFICIAL_CHANNELS,
            Permission.VIEW_INCIDENTS,
            Permission.MANAGE_INCIDENTS,
            Permission.MANAGE_TRACKED_LINKS,
            Permission.COMPOSE_OFFICIAL_POSTS,
            Permission.REVIEW_OFFICIAL_POSTS,
            Permission.MANAGE_APPROVAL_STEPS,
            Permission.USE_INBOX,
            Permission.MANAGE_CHANNELS,
            Permission.EDIT_AMBASSADOR_CONTENT,
            Permission.APPROVE_AMBASSADOR_CONTENT,
            Permission.VIEW_CRISIS,
            Permission.MANAGE_CRISIS,
        }
    ),
    Role.COMPLIANCE_OFFICER: frozenset(
        {
            Permission.VIEW_MAP,
            Permission.VIEW_AUDIT,
            Permission.VIEW_GUIDELINES_ADMIN,
            Permission.WRITE_GUIDELINES,
            Permission.MANAGE_POLICY,
            Permission.VIEW_CHECK_STATISTICS,
            Permission.VIEW_INCIDENTS,
            Permission.MANAGE_INCIDENTS,
            Permission.REVIEW_OFFICIAL_POSTS,
        }
    ),
    Role.HR: frozenset(
        {
            Permission.VIEW_MAP,
            Permission.VIEW_DIRECTORY,
            Permission.IMPORT_PEOPLE,
            Permission.VIEW_GUIDELINES_ADMIN,
            Permission.VIEW_INCIDENTS,
            Permission.VIEW_AMBASSADOR_PROGRAMME,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.VIEW_DIRECTORY,
            Permission.IMPORT_PEOPLE,
            Permission.MANAGE_ROLES,
            Permission.VIEW_AUDIT,
            Permission.VIEW_SYSTEM,
        }
    ),
}


def permissions_for(roles: frozenset[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= _GRANTS[role]
    return frozenset(granted)
