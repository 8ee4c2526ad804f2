"""E-mails of the approval workflow: to the people who decide a post's step when it reaches them,
and to its author when a reviewer requests changes or rejects it.

Each e-mail is one job per recipient, enqueued on commit, in the recipient's language, with a link
to the post and never its text (e-mail leaves the company's systems). A job that runs twice sends
once (a unique row per post, recipient and event).
"""

import contextlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.jobs.retry import TransientError
from portevoix.publishing.models import ApprovalStep, Post, PostDecision, PostNotification

EMAIL_LANGUAGES = ("en", "fr")


def step_event(step: ApprovalStep, post: Post) -> str:
    return f"step:{step.pk}:{post.revision}"


def decision_event(decision: PostDecision) -> str:
    return f"decision:{decision.pk}"


def deciders_of(step: ApprovalStep, post: Post) -> QuerySet[User]:
    """The active people of the post's organisation who decide this step, never its author."""
    people = User.objects.filter(organization=post.organization_id, is_active=True, roles__role=step.role)
    if post.author_id is not None:
        people = people.exclude(pk=post.author_id)
    return people.distinct()


def _message(post: Post, event: str) -> tuple[str, str] | None:
    kind, _separator, rest = event.partition(":")
    if kind == "step":
        step = ApprovalStep.objects.filter(pk=int(rest.split(":")[0]), organization=post.organization_id).first()
        if step is None or post.status != Post.Status.IN_REVIEW or rest.split(":")[1] != str(post.revision):
            return None  # the post moved on before the job ran: nothing to ask any more
        subject = _("An official post waits for your approval: %(title)s") % {"title": post.title}
        body = _("The post “%(title)s” waits for the step “%(step)s”, which you decide.") % {
            "title": post.title,
            "step": step.name,
        }
        return subject, body
    decision = PostDecision.objects.filter(pk=int(rest), post=post).select_related("actor").first()
    if decision is None:
        return None
    subject = _("%(decision)s: %(title)s") % {"decision": decision.get_kind_display(), "title": post.title}
    body = _("%(person)s decided on your post “%(title)s”: %(decision)s.") % {
        "person": decision.actor.full_name if decision.actor else "—",
        "title": post.title,
        "decision": decision.get_kind_display(),
    }
    return subject, body


def send_notification(*, post_id: int, recipient_id: int, event: str) -> bool:
    """Send one e-mail about a post, once; returns whether one was sent. SMTP failures are transient."""
    post = Post.objects.filter(pk=post_id).first()
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if post is None or recipient is None or recipient.organization_id != post.organization_id:
        return False
    if PostNotification.objects.filter(post=post, recipient=recipient, event=event).exists():
        return False
    language = recipient.language if recipient.language in EMAIL_LANGUAGES else "en"
    with translation.override(language):
        message = _message(post, event)
        if message is None:
            return False
        url = settings.PUBLIC_URL.rstrip("/") + reverse("publishing:post-detail", args=[post.pk])
        body = f"{message[1]}\n\n{url}\n"
    try:
        EmailMessage(subject=message[0], body=body, to=[recipient.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"e-mail about post {post_id} to person {recipient_id}: {error}") from error
    with contextlib.suppress(IntegrityError), transaction.atomic():
        PostNotification.objects.create(post=post, recipient=recipient, event=event)
    return True
