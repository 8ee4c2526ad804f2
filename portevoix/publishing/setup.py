"""What the communication team sets up once: campaigns, and the approval steps of the organisation.

Every change is audited. Steps are read when a post is decided on, so a change applies to every
post still in review.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Role
from portevoix.audit.services import record
from portevoix.publishing.models import ApprovalStep, Campaign


class SetupRefused(Exception):
    """A change that cannot be made; the message says why, for the person."""


def save_campaign(
    *,
    actor: User,
    campaign: Campaign | None = None,
    name: str,
    colour: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Campaign:
    """Create a campaign, or change one; names are unique in the organisation."""
    name = name.strip()
    if not name:
        raise SetupRefused(_("A campaign needs a name."))
    if colour not in Campaign.Colour.values:
        raise SetupRefused(_("Choose one of the colours offered."))
    if starts_on and ends_on and ends_on < starts_on:
        raise SetupRefused(_("The campaign ends before it starts."))
    target = campaign or Campaign(organization=actor.organization)
    target.name, target.colour, target.description = name, colour, description.strip()
    target.starts_on, target.ends_on = starts_on, ends_on
    try:
        with transaction.atomic():
            target.save()
            record(
                organization=actor.organization,
                actor=actor,
                action="campaign.saved",
                target=target,
                data={"created": campaign is None},
            )
    except IntegrityError:
        raise SetupRefused(_("Another campaign already has this name.")) from None
    return target


def set_campaign_archived(*, actor: User, campaign: Campaign, is_archived: bool) -> None:
    """Archive a campaign (no longer offered in the composer) or bring it back; its posts keep it."""
    with transaction.atomic():
        campaign.is_archived = is_archived
        campaign.save(update_fields=["is_archived"])
        action = "campaign.archived" if is_archived else "campaign.restored"
        record(organization=actor.organization, actor=actor, action=action, target=campaign)


DEFAULT_STEPS = (
    # (name, role, condition); names are the organisation's own words, so stored in its language.
    ({"en": "Communication", "fr": "Communication"}, Role.COMMUNICATION_DIRECTOR, ApprovalStep.Condition.ALWAYS),
    ({"en": "Legal", "fr": "Juridique"}, Role.COMPLIANCE_OFFICER, ApprovalStep.Condition.SENSITIVE_OR_WARNING),
)


def ensure_default_steps(organization: Organization) -> None:
    """Give an organisation without approval steps the usual two: communication, then legal when needed.

    An organisation that never chose its steps must not publish without anyone's approval.
    """
    with transaction.atomic():
        if ApprovalStep.objects.filter(organization=organization).exists():
            return
        language = "fr" if organization.default_language == "fr" else "en"
        for position, (names, role, condition) in enumerate(DEFAULT_STEPS, start=1):
            ApprovalStep.objects.create(
                organization=organization, position=position, name=names[language], role=role, condition=condition
            )


def save_step(*, actor: User, step: ApprovalStep | None = None, name: str, role: str, condition: str) -> ApprovalStep:
    """Add a step at the end, or change one."""
    name = name.strip()
    if not name:
        raise SetupRefused(_("A step needs a name."))
    if role not in Role.values or role in (Role.EMPLOYEE, Role.AMBASSADOR):
        raise SetupRefused(_("Choose a role of the communication team, compliance or HR to decide this step."))
    if condition not in ApprovalStep.Condition.values:
        raise SetupRefused(_("Choose when the step applies from the list."))
    with transaction.atomic():
        if step is None:
            last = ApprovalStep.objects.filter(organization=actor.organization).aggregate(last=Max("position"))["last"]
            step = ApprovalStep(organization=actor.organization, position=(last or 0) + 1)
            created = True
        else:
            created = False
        step.name, step.role, step.condition = name, role, condition
        step.save()
        data = {"created": created, "role": role, "condition": condition}
        record(organization=actor.organization, actor=actor, action="approval_step.saved", target=step, data=data)
    return step


def remove_step(*, actor: User, step: ApprovalStep) -> None:
    """Remove a step; decisions already taken keep its name. The last step cannot go."""
    with transaction.atomic():
        if not ApprovalStep.objects.filter(organization=actor.organization).exclude(pk=step.pk).exists():
            raise SetupRefused(_("Keep at least one step: a post must be approved by someone."))
        record(
            organization=actor.organization,
            actor=actor,
            action="approval_step.removed",
            target=step,
            data={"name": step.name},
        )
        step.delete()


def move_step(*, actor: User, step: ApprovalStep, offset: int) -> None:
    """Move a step one place earlier (-1) or later (+1) in the order."""
    with transaction.atomic():
        steps = list(ApprovalStep.objects.select_for_update().filter(organization=actor.organization))
        index = next(i for i, item in enumerate(steps) if item.pk == step.pk)
        other = index + offset
        if not 0 <= other < len(steps):
            return
        steps[index], steps[other] = steps[other], steps[index]
        for position, item in enumerate(steps, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        record(organization=actor.organization, actor=actor, action="approval_step.moved", target=step)
