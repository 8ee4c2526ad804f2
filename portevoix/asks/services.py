"""Requests to the communication team: open, answer, reply, assign, close, and their e-mails.

Every change of state is audited without the question or the draft (the audit log is read by
people who must not read them), and every e-mail is a job enqueued on commit, one per recipient.
"""

import contextlib
import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance_engine.model import Scope
from portevoix.accounts.models import User
from portevoix.asks import selectors, tasks
from portevoix.asks.models import Ask, AskMessage, AskNotification
from portevoix.audit.services import record
from portevoix.jobs.enqueue import enqueue_on_commit
from portevoix.jobs.retry import TransientError
from portevoix.policies import checking
from portevoix.policies import services as policy_services

MAX_MESSAGE_LENGTH = 5_000
EMAIL_LANGUAGES = ("en", "fr")


class AskRefused(Exception):
    """A change that cannot be made; the message says why, for the person."""


def open_ask(
    *,
    author: User,
    question: str,
    draft: str = "",
    draft_date: datetime.date | None = None,
    scope: Scope = Scope.EVERYONE,
    clause_id: str = "",
    sends_emails: bool = True,
) -> Ask:
    """Open a request with its first message, check its draft, and tell the team.

    The draft is checked against the policy in force, and the verdict kept with the request, but
    not counted in the check statistics: the check page counted it already. `sends_emails=False`
    is for the demo, whose people have no mailbox.
    """
    date = draft_date or timezone.localdate()
    outcome, report = _check(author, draft, date, scope)
    with transaction.atomic():
        ask = Ask.objects.create(
            organization=author.organization,
            author=author,
            draft=draft,
            draft_date=date if draft.strip() else None,
            scope=scope.value if draft.strip() else "",
            clause_id=clause_id,
            outcome=outcome,
            check_report=report,
        )
        message = AskMessage.objects.create(ask=ask, author=author, body=question, created_at=ask.created_at)
        data = {"has_draft": bool(draft.strip()), "outcome": outcome, "clause": clause_id}
        record(organization=author.organization, actor=author, action="ask.opened", target=ask, data=data)
        if sends_emails:
            _notify(message, selectors.team_members(organization=author.organization).exclude(pk=author.pk))
    return ask


def _check(author: User, draft: str, date: datetime.date, scope: Scope) -> tuple[str, dict[str, object]]:
    version = policy_services.active_version(author.organization)
    if version is None or not draft.strip():
        return "", {}
    report = checking.check_with_policy(
        draft,
        policy_services.compiled_policy(version),
        date=date,
        scope=scope,
        language=author.language,
        policy_version=version.number,
    )
    return report.outcome.value, checking.report_data(report)


def reply(*, ask: Ask, author: User, body: str, sends_emails: bool = True) -> AskMessage:
    """Add a message to a request's thread.

    A message from the team answers the request (and assigns it to whoever answers first); a
    message from its author puts it back in the queue. A closed request takes no more messages.
    """
    is_from_team = author.pk != ask.author_id and selectors.is_team_member(author)
    with transaction.atomic():
        locked = Ask.objects.select_for_update().get(pk=ask.pk)
        if locked.is_closed:
            raise AskRefused(_("This request is closed: open a new one to ask again."))
        now = timezone.now()
        message = AskMessage.objects.create(
            ask=locked, author=author, is_from_team=is_from_team, body=body, created_at=now
        )
        locked.last_activity_at = now
        if is_from_team:
            locked.status = Ask.Status.ANSWERED
            locked.is_unread_by_author, locked.is_unread_by_team = True, False
            locked.assignee_id = locked.assignee_id or author.pk
            recipients = User.objects.filter(pk=locked.author_id, is_active=True)
        else:
            locked.status = Ask.Status.OPEN
            locked.is_unread_by_team = True
            recipients = _team_recipients(locked)
        locked.save(
            update_fields=["last_activity_at", "status", "is_unread_by_author", "is_unread_by_team", "assignee"]
        )
        action = "ask.answered" if is_from_team else "ask.replied"
        record(organization=locked.organization, actor=author, action=action, target=locked)
        if sends_emails:
            _notify(message, recipients.exclude(pk=author.pk))
    _refresh(ask, locked)
    return message


def _team_recipients(ask: Ask) -> QuerySet[User]:
    # Whoever took the request hears about the reply; until someone does, the whole team.
    if ask.assignee_id is not None:
        return User.objects.filter(pk=ask.assignee_id, is_active=True)
    return selectors.team_members(organization=ask.organization)


def assign_to_self(*, ask: Ask, actor: User) -> None:
    """The team member takes the request: replies from its author go to them."""
    with transaction.atomic():
        Ask.objects.filter(pk=ask.pk).update(assignee=actor)
        record(organization=ask.organization, actor=actor, action="ask.assigned", target=ask)
    ask.assignee = actor


def close_ask(*, ask: Ask, actor: User) -> None:
    """Close a request: the thread is kept, and takes no more messages."""
    with transaction.atomic():
        locked = Ask.objects.select_for_update().get(pk=ask.pk)
        if locked.is_closed:
            raise AskRefused(_("This request is already closed."))
        locked.status = Ask.Status.CLOSED
        locked.closed_at = timezone.now()
        # The author learns in the app that the team closed it; closing one's own needs no news.
        locked.is_unread_by_author = actor.pk != locked.author_id
        locked.is_unread_by_team = False
        locked.save(update_fields=["status", "closed_at", "is_unread_by_author", "is_unread_by_team"])
        record(organization=locked.organization, actor=actor, action="ask.closed", target=locked)
    _refresh(ask, locked)


def _refresh(ask: Ask, saved: Ask) -> None:
    for field in ("status", "closed_at", "last_activity_at", "is_unread_by_author", "is_unread_by_team"):
        setattr(ask, field, getattr(saved, field))
    ask.assignee_id = saved.assignee_id


def mark_read(*, ask: Ask, reader: User) -> None:
    """The reader has seen the request's latest messages; writes only when something was unread."""
    if reader.pk == ask.author_id and ask.is_unread_by_author:
        Ask.objects.filter(pk=ask.pk).update(is_unread_by_author=False)
        ask.is_unread_by_author = False
    elif reader.pk != ask.author_id and ask.is_unread_by_team and selectors.is_team_member(reader):
        Ask.objects.filter(pk=ask.pk).update(is_unread_by_team=False)
        ask.is_unread_by_team = False


def _notify(message: AskMessage, recipients: QuerySet[User]) -> None:
    for recipient_id in recipients.values_list("pk", flat=True):
        enqueue_on_commit(tasks.notify_task, message.pk, recipient_id)


def _email_kind(message: AskMessage) -> str:
    if message.is_from_team:
        return "answered"
    is_first = not AskMessage.objects.filter(ask_id=message.ask_id, created_at__lt=message.created_at).exists()
    return "opened" if is_first and message.author_id == message.ask.author_id else "replied"


def send_notification(*, message_id: int, recipient_id: int) -> bool:
    """E-mail one person about one message, in their language; once, however often the job runs.

    The e-mail names the request and links to it, without the question, the answer or the draft:
    a draft sent to the team may hold exactly what must not leave the company's systems.
    Returns whether an e-mail was sent. Connection failures are transient: the job retries.
    """
    message = AskMessage.objects.select_related("ask__author", "author").filter(pk=message_id).first()
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if message is None or recipient is None:
        return False
    if AskNotification.objects.filter(message=message, recipient=recipient).exists():
        return False
    language = recipient.language if recipient.language in EMAIL_LANGUAGES else "en"
    kind = _email_kind(message)
    context = {
        "recipient": recipient,
        "ask": message.ask,
        "sender": message.author,
        "url": settings.PUBLIC_URL.rstrip("/") + reverse("asks:detail", args=[message.ask_id]),
    }
    with translation.override(language):
        subject = render_to_string(f"asks/email/{kind}_subject.{language}.txt", context).strip()
        body = render_to_string(f"asks/email/{kind}_body.{language}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"e-mail about ask message {message_id} to person {recipient_id}: {error}") from error
    # Another run of the same job may have sent it at the same time: one row is enough.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        AskNotification.objects.create(message=message, recipient=recipient)
    return True
