"""Invitation campaigns and the choices people make about the programme.

Being an active ambassador is holding `Role.AMBASSADOR`. Only a person's own "yes" to an
invitation grants it here; leaving (or being removed) takes it away. Every choice is kept as a
`ConsentRecord` with its date and the text the person was shown, and audited.
"""

import secrets
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import set_roles
from portevoix.ambassadors import tasks
from portevoix.ambassadors.models import AmbassadorProfile, ConsentRecord, Invitation, InvitationCampaign, Topic
from portevoix.ambassadors.services import ProgrammeRefused
from portevoix.ambassadors.terms import joining_statement
from portevoix.audit.services import record
from portevoix.jobs.enqueue import enqueue_on_commit
from portevoix.jobs.retry import TransientError

EMAIL_LANGUAGES = ("en", "fr")
MAX_MESSAGE_LENGTH = 5_000


def create_campaign(
    *,
    organization: Organization,
    actor: User,
    topic: Topic | None,
    name: str,
    message: str,
    people: list[User],
    sends_emails: bool = True,
) -> InvitationCampaign:
    """Invite people to join, each by e-mail (a job per person, after commit).

    People already invited to the same topic and still to answer are not invited twice, and
    people who are already ambassadors on the topic are left out.
    """
    if not message.strip():
        raise ProgrammeRefused(_("Write the message of the invitation."))
    if any(person.organization_id != organization.pk or not person.is_active for person in people):
        raise ProgrammeRefused(_("Only active people of your organisation can be invited."))
    chosen = [person for person in people if not _is_invited_or_on_topic(person, topic)]
    if not chosen:
        raise ProgrammeRefused(_("Choose at least one person who is not already invited or an ambassador here."))
    with transaction.atomic():
        campaign = InvitationCampaign.objects.create(
            organization=organization, topic=topic, name=name.strip()[:200], message=message.strip(), created_by=actor
        )
        invitations = Invitation.objects.bulk_create(
            Invitation(campaign=campaign, person=person, token=secrets.token_urlsafe(32)) for person in chosen
        )
        data = {"topic": topic.slug if topic else "", "invited": len(invitations)}
        record(organization=organization, actor=actor, action="ambassador.campaign_sent", target=campaign, data=data)
        for invitation, person in zip(invitations, chosen, strict=True):
            record(
                organization=organization,
                actor=actor,
                action="ambassador.invited",
                target=person,
                data={"campaign": campaign.pk, "invitation": invitation.pk},
            )
            if sends_emails:
                enqueue_on_commit(tasks.send_invitation_task, invitation.pk)
    return campaign


def _is_invited_or_on_topic(person: User, topic: Topic | None) -> bool:
    pending = Invitation.objects.filter(person=person, status=Invitation.Status.PENDING, campaign__topic=topic)
    if pending.exists():
        return True
    if topic is None:
        return person.has_role(Role.AMBASSADOR)
    on_topic = AmbassadorProfile.objects.filter(person=person, topics=topic).exists()
    return on_topic and person.has_role(Role.AMBASSADOR)


def invitation_url(invitation: Invitation) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse("ambassadors:invitation", args=[invitation.token])


def send_invitation_email(*, invitation_id: int) -> bool:
    """E-mail one invitation in the invitee's language; once, however often the job runs.

    Returns whether an e-mail was sent. Connection failures are transient: the job retries.
    """
    invitation = (
        Invitation.objects.select_related("campaign__topic", "campaign__created_by", "person")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING, emailed_at__isnull=True)
        .first()
    )
    if invitation is None or not invitation.person.is_active:
        return False
    person = invitation.person
    language = person.language if person.language in EMAIL_LANGUAGES else "en"
    context: dict[str, object] = {"invitation": invitation, "campaign": invitation.campaign, "person": person}
    with translation.override(language):
        context["url"] = invitation_url(invitation)
        subject = render_to_string(f"ambassadors/email/invitation_subject.{language}.txt", context).strip()
        body = render_to_string(f"ambassadors/email/invitation_body.{language}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[person.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"invitation {invitation_id} e-mail: {error}") from error
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
    return True


def _answer(invitation: Invitation, person: User, status: str) -> Invitation:
    if invitation.person_id != person.pk:
        raise ProgrammeRefused(_("This invitation is for someone else."))
    # Only the invitation row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
    locked = Invitation.objects.select_for_update(of=("self",)).select_related("campaign__topic").get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise ProgrammeRefused(_("You already answered this invitation."))
    locked.status = status
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    return locked


def accept_invitation(*, invitation: Invitation, person: User) -> None:
    """The invitee says yes: they become an ambassador on the campaign's topic, with the date and the text shown."""
    with transaction.atomic():
        answered = _answer(invitation, person, Invitation.Status.ACCEPTED)
        profile, _created = AmbassadorProfile.objects.get_or_create(person=person)
        if answered.campaign.topic is not None:
            profile.topics.add(answered.campaign.topic)
        if not person.has_role(Role.AMBASSADOR):
            set_roles(person=person, roles=person.role_set | {Role.AMBASSADOR}, actor=person)
        _consent(person, ConsentRecord.Choice.ACCEPTED, invitation=answered, statement=joining_statement())
        record(
            organization=person.organization,
            actor=person,
            action="ambassador.invitation_accepted",
            target=person,
            data={"invitation": answered.pk, "topic": answered.campaign.topic.slug if answered.campaign.topic else ""},
        )
    invitation.status, invitation.answered_at = answered.status, answered.answered_at


def decline_invitation(*, invitation: Invitation, person: User) -> None:
    """The invitee says no: recorded with its date; nothing else changes."""
    with transaction.atomic():
        answered = _answer(invitation, person, Invitation.Status.DECLINED)
        _consent(person, ConsentRecord.Choice.DECLINED, invitation=answered)
        record(
            organization=person.organization,
            actor=person,
            action="ambassador.invitation_declined",
            target=person,
            data={"invitation": answered.pk},
        )
    invitation.status, invitation.answered_at = answered.status, answered.answered_at


def leave_programme(*, person: User, reason: str = "", deletes_profile: bool = False) -> None:
    """The ambassador leaves: the role ends at once; what they declared is deleted if they ask."""
    if not person.has_role(Role.AMBASSADOR):
        raise ProgrammeRefused(_("You are not in the ambassador programme."))
    with transaction.atomic():
        set_roles(person=person, roles=person.role_set - {Role.AMBASSADOR}, actor=person)
        if deletes_profile:
            AmbassadorProfile.objects.filter(person=person).delete()
        else:
            AmbassadorProfile.topics.through.objects.filter(ambassadorprofile__person=person).delete()
        _consent(person, ConsentRecord.Choice.LEFT, reason=reason)
        data = {"deletes_profile": deletes_profile}
        record(organization=person.organization, actor=person, action="ambassador.left", target=person, data=data)


def remove_ambassador(*, person: User, actor: User, reason: str) -> None:
    """The programme's director ends someone's membership, with a reason that is kept."""
    if person.organization_id != actor.organization_id or not person.has_role(Role.AMBASSADOR):
        raise ProgrammeRefused(_("This person is not an ambassador."))
    if not reason.strip():
        raise ProgrammeRefused(_("Say why this person leaves the programme."))
    with transaction.atomic():
        set_roles(person=person, roles=person.role_set - {Role.AMBASSADOR}, actor=actor)
        AmbassadorProfile.topics.through.objects.filter(ambassadorprofile__person=person).delete()
        _consent(person, ConsentRecord.Choice.REMOVED, actor=actor, reason=reason.strip())
        record(
            organization=person.organization,
            actor=actor,
            action="ambassador.removed",
            target=person,
            data={"reason": reason.strip()[:500]},
        )


def _consent(
    person: User,
    choice: str,
    *,
    invitation: Invitation | None = None,
    actor: User | None = None,
    statement: str = "",
    reason: str = "",
) -> ConsentRecord:
    return ConsentRecord.objects.create(
        organization=person.organization,
        person=person,
        choice=choice,
        invitation=invitation,
        actor=actor or person,
        language=translation.get_language() or "",
        statement=statement,
        reason=reason.strip()[:500],
    )
