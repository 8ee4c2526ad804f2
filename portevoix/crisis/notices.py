"""The crisis notices to ambassadors: an e-mail each when it starts and when it is lifted, in their
language, and the reading of the notice in the app.

The first e-mail says what not to comment on and gives the holding statement, the only thing to
say in public while the crisis is on; the second says that sharing is back. Jobs are idempotent:
a notice already e-mailed is not sent again.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.tasks import Task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portevoix.accounts.models import User
from portevoix.crisis import tasks
from portevoix.crisis.models import Crisis, CrisisNotice
from portevoix.jobs.retry import TransientError

EMAIL_LANGUAGES = ("en", "fr")


def send_notices(*, crisis_id: int) -> int:
    """Enqueue one e-mail job per ambassador not e-mailed yet, while the crisis is on; returns how many."""
    pending = CrisisNotice.objects.filter(crisis_id=crisis_id, crisis__ended_at__isnull=True, emailed_at__isnull=True)
    return _enqueue_each(pending, tasks.send_notice_task)


def send_lift_notices(*, crisis_id: int) -> int:
    """Enqueue the e-mail saying the crisis is lifted, for every ambassador who was told it started."""
    pending = CrisisNotice.objects.filter(
        crisis_id=crisis_id, crisis__ended_at__isnull=False, emailed_at__isnull=False, lift_emailed_at__isnull=True
    )
    return _enqueue_each(pending, tasks.send_lift_notice_task)


def _enqueue_each(pending: QuerySet[CrisisNotice], task: Task[[int], None]) -> int:
    count = 0
    for notice_id in pending.values_list("pk", flat=True).iterator():
        task.enqueue(notice_id)
        count += 1
    return count


def send_notice(*, notice_id: int) -> bool:
    """E-mail one ambassador the crisis notice, in their language; once, however often the job runs.

    Nothing is sent for a crisis lifted in the meantime, nor to a person who left. Returns whether
    an e-mail was sent. Connection failures are transient: the job retries.
    """
    notice = _notice(notice_id)
    if notice is None or notice.emailed_at is not None or not notice.crisis.is_active:
        return False
    _mail(notice, "notice")
    CrisisNotice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True


def send_lift_notice(*, notice_id: int) -> bool:
    """E-mail one ambassador that the crisis is lifted and sharing is back; once, and only if told it started."""
    notice = _notice(notice_id)
    if notice is None or notice.emailed_at is None or notice.lift_emailed_at is not None or notice.crisis.is_active:
        return False
    _mail(notice, "lifted")
    CrisisNotice.objects.filter(pk=notice.pk, lift_emailed_at__isnull=True).update(lift_emailed_at=timezone.now())
    return True


def _notice(notice_id: int) -> CrisisNotice | None:
    notice = CrisisNotice.objects.select_related("crisis__organization", "recipient").filter(pk=notice_id).first()
    return notice if notice is not None and notice.recipient.is_active else None


def _mail(notice: CrisisNotice, kind: str) -> None:
    recipient = notice.recipient
    language = recipient.language if recipient.language in EMAIL_LANGUAGES else "en"
    context = {
        "recipient": recipient,
        "organization": notice.crisis.organization,
        "texts": notice.crisis.texts(language),
        "url": settings.PUBLIC_URL.rstrip("/") + reverse("crisis:notice"),
    }
    with translation.override(language):
        subject = render_to_string(f"crisis/email/{kind}_subject.{language}.txt", context).strip()
        body = render_to_string(f"crisis/email/{kind}_body.{language}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"crisis {kind} e-mail {notice.pk} to person {recipient.pk}: {error}") from error


def mark_notice_read(*, crisis: Crisis, reader: User) -> None:
    """The ambassador has read the notice in the app; the first reading is the one kept."""
    CrisisNotice.objects.filter(crisis=crisis, recipient=reader, read_at__isnull=True).update(read_at=timezone.now())
