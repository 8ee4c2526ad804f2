"""Telling a channel's owner what needs them: a failed or unconfirmed post, an expiring or refused token.

Each alert is a row shown in the app (the channels page) and one e-mail, sent by a job after
commit, in the owner's language, once however often the job runs.
"""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.channels.models import Alert, Channel, Dispatch
from portevoix.jobs.enqueue import enqueue_on_commit
from portevoix.jobs.retry import TransientError

EXPIRY_WARNING = datetime.timedelta(days=7)
EMAIL_LANGUAGES = ("en", "fr")


def _recipient(channel: Channel, dispatch: Dispatch | None = None) -> User | None:
    for person in (channel.owner, dispatch.created_by if dispatch else None):
        if person is not None and person.is_active:
            return person
    return None


def _raise(channel: Channel, kind: str, *, dispatch: Dispatch | None = None, detail: str = "") -> Alert | None:
    from portevoix.channels.tasks import send_alert_email_task

    recipient = _recipient(channel, dispatch)
    if recipient is None:
        return None
    alert = Alert.objects.create(
        organization_id=channel.organization_id,
        recipient=recipient,
        channel=channel,
        dispatch=dispatch,
        kind=kind,
        detail=detail[:2000],
    )
    enqueue_on_commit(send_alert_email_task, alert.pk)
    return alert


def alert_dispatch(dispatch: Dispatch, *, error: str) -> Alert | None:
    """The owner learns that a post failed, or needs their decision (it may be out)."""
    kind = (
        Alert.Kind.DISPATCH_UNCONFIRMED if dispatch.state == Dispatch.State.UNCONFIRMED else Alert.Kind.DISPATCH_FAILED
    )
    return _raise(dispatch.channel, kind, dispatch=dispatch, detail=error)


def alert_reconnect(channel: Channel, *, dispatch: Dispatch | None = None, detail: str = "") -> Alert | None:
    """The owner learns that the channel's access was refused and cannot be renewed (with the post that met it)."""
    return _raise(channel, Alert.Kind.TOKEN_EXPIRED, dispatch=dispatch, detail=detail)


def warn_cannot_renew(channel: Channel, *, detail: str, now: datetime.datetime | None = None) -> Alert | None:
    """The owner learns, once, that the channel's token could not be renewed and will expire."""
    if not Channel.objects.filter(pk=channel.pk, expiry_warned_at__isnull=True).update(
        expiry_warned_at=now or timezone.now()
    ):
        return None
    return _raise(channel, Alert.Kind.TOKEN_EXPIRING, detail=detail)


def warn_expiring_tokens(now: datetime.datetime | None = None) -> int:
    """Warn each connected channel's owner once, a week before its token expires; return how many.

    Channels whose tokens are renewed without the person (`portevoix.channels.refresh`) are not
    warned: the renewal keeps them working, and a renewal refused is told to the owner then.
    """
    from portevoix.channels.refresh import refreshable

    now = now or timezone.now()
    due = Channel.objects.filter(
        state=Channel.State.CONNECTED,
        token_expires_at__isnull=False,
        token_expires_at__lte=now + EXPIRY_WARNING,
        expiry_warned_at__isnull=True,
    ).select_related("owner")
    warned = 0
    for channel in due:
        if refreshable(channel):
            continue
        with transaction.atomic():
            if Channel.objects.filter(pk=channel.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now):
                _raise(
                    channel,
                    Alert.Kind.TOKEN_EXPIRING,
                    detail=channel.token_expires_at.isoformat() if channel.token_expires_at else "",
                )
                warned += 1
    return warned


def _subject_and_body(alert: Alert) -> tuple[str, str]:
    channel = alert.channel.name
    if alert.kind == Alert.Kind.TOKEN_EXPIRING:
        subject = _("Access to %(channel)s expires soon") % {"channel": channel}
        lead = _("Porte-Voix's access to %(channel)s expires soon. Reconnect the channel to keep publishing.")
    elif alert.kind == Alert.Kind.TOKEN_EXPIRED:
        subject = _("Reconnect %(channel)s") % {"channel": channel}
        lead = _(
            "The network refused Porte-Voix's access to %(channel)s and it could not be renewed. Reconnect "
            "the channel to publish and receive messages again."
        )
        if alert.dispatch_id:
            lead += " " + _("A post to this channel could not be published because of it.")
    elif alert.kind == Alert.Kind.DISPATCH_UNCONFIRMED:
        subject = _("A post to %(channel)s needs your decision") % {"channel": channel}
        lead = _(
            "The network did not say whether a post to %(channel)s was published. Check the account, then "
            "mark it as published or schedule it again."
        )
    else:
        subject = _("A post to %(channel)s failed") % {"channel": channel}
        lead = _("A post to %(channel)s could not be published.")
    url = settings.PUBLIC_URL.rstrip("/") + reverse("channels:channel-detail", args=[alert.channel_id])
    body = "\n\n".join([lead % {"channel": channel}, alert.detail, url]).replace("\n\n\n\n", "\n\n")
    return subject, body


def send_alert_email(*, alert_id: int) -> bool:
    """E-mail one alert to its recipient, in their language; once. Connection failures are retried by the job."""
    alert = Alert.objects.select_related("recipient", "channel").filter(pk=alert_id, emailed_at__isnull=True).first()
    if alert is None or not alert.recipient.is_active:
        return False
    language = alert.recipient.language if alert.recipient.language in EMAIL_LANGUAGES else "en"
    with translation.override(language):
        subject, body = _subject_and_body(alert)
    try:
        EmailMessage(subject=subject, body=body, to=[alert.recipient.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"e-mail for channel alert {alert_id}: {error}") from error
    Alert.objects.filter(pk=alert_id).update(emailed_at=timezone.now())
    return True
