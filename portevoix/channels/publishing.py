"""The one way out for official posts: claim a due dispatch, hand it to its connector, record the outcome.

Exactly once, never early (docs/adr/0008-publishing-outbox.md):

- a single conditional claim: one UPDATE moves the row from scheduled to sending only if it is
  due (`scheduled_at` and `next_attempt_at` passed), its channel is connected and no crisis is on
  in its organisation, so two workers can never both win it;
- the network's idempotency key goes with every publish (the same key for every try of the
  same text);
- an outcome that may have published (timeout after sending, 5xx, a worker that died holding
  the claim) sets `needs_check`: the next try reads the account back first and sends only if
  the post is not there; when the network cannot tell, the post ends "unconfirmed" for a person;
- every result is written only while our claim still holds (same `claimed_by`), so a worker
  that lost its lease cannot overwrite what another one found;
- retries with backoff for safe errors, Retry-After respected, a sweep for anything overdue or
  stuck in "sending" past its lease;
- a refused token is renewed where the network allows it (`portevoix.channels.refresh`) and the
  same call made again in the same attempt, with the same key: the network refused the first
  one, so nothing went out; a token that cannot be renewed fails the post and expires the channel.
"""

import datetime
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.channels import alerts
from portevoix.channels.connectors.base import (
    Connector,
    ConnectorError,
    MediaItem,
    OutgoingPost,
    PermanentError,
    PublishedPost,
    RateLimited,
    RetryableError,
)
from portevoix.channels.models import Attempt, Channel, Dispatch
from portevoix.channels.refresh import ReconnectNeeded, with_renewed_access
from portevoix.crisis.selectors import crisis_is_on
from portevoix.jobs.retry import backoff

logger = logging.getLogger(__name__)

RETRY_CAP = datetime.timedelta(minutes=15)


def claim_dispatch(dispatch_id: int, *, worker: str, now: datetime.datetime | None = None) -> Dispatch | None:
    """Take the dispatch for sending if, and only if, it is due, its channel connected and no crisis on."""
    now = now or timezone.now()
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    claimed = (
        Dispatch.objects.filter(
            pk=dispatch_id,
            state=Dispatch.State.SCHEDULED,
            scheduled_at__lte=now,
            next_attempt_at__lte=now,
            channel__state=Channel.State.CONNECTED,
        )
        .filter(~crisis_is_on())
        .update(
            state=Dispatch.State.SENDING,
            attempts=F("attempts") + 1,
            claimed_at=now,
            claimed_by=token,
            lease_expires_at=now + datetime.timedelta(seconds=settings.CHANNELS_LEASE_SECONDS),
            first_sent_at=Coalesce(F("first_sent_at"), now),
            updated_at=now,
        )
    )
    if not claimed:
        return None
    return Dispatch.objects.select_related("channel").get(pk=dispatch_id)


def publish_dispatch(dispatch_id: int, *, worker: str) -> str:
    """Claim and publish one dispatch; returns what happened (for logs and tests)."""
    dispatch = claim_dispatch(dispatch_id, worker=worker)
    if dispatch is None:
        return "not_claimed"
    channel = dispatch.channel
    now = timezone.now()
    if channel.rate_limited_until and channel.rate_limited_until > now:
        _release(dispatch, until=channel.rate_limited_until)
        return "rate_limited"
    kind = Attempt.Kind.RECONCILE if dispatch.needs_check else Attempt.Kind.PUBLISH
    # The attempt starts at the claim's own time, which the claim's condition was checked against.
    attempt = Attempt.objects.create(
        dispatch=dispatch, kind=kind, worker=dispatch.claimed_by, started_at=dispatch.claimed_at or now
    )
    try:
        found = _send_renewing_access(channel, dispatch, attempt)
    except ClaimLost:
        _finish(attempt, Attempt.Outcome.RETRY, _("claim lost before sending: another worker took over; nothing sent"))
        return "lost_claim"
    except RateLimited as error:
        return _rate_limited(dispatch, attempt, error)
    except ReconnectNeeded as error:
        # The channel is now expired and its owner learnt it, with this post; a post that may be out
        # (checked before) still needs their decision, which has its own alert.
        return _failed(dispatch, attempt, error, alert=dispatch.needs_check or not error.alerted)
    except PermanentError as error:
        return _failed(dispatch, attempt, error)
    except RetryableError as error:
        return _retry(dispatch, attempt, error, outcome=Attempt.Outcome.RETRY)
    except ConnectorError as error:
        return _retry(dispatch, attempt, error, outcome=Attempt.Outcome.AMBIGUOUS, needs_check=True)
    return _sent(dispatch, attempt, found)


def _send_renewing_access(channel: Channel, dispatch: Dispatch, attempt: Attempt) -> tuple[PublishedPost, str]:
    """Send; if the network refuses the token, renew it and send again, in this same attempt.

    Repeating is safe: a refused token (AuthExpired) means the network refused the call, so
    nothing went out, and the same idempotency key goes with the second call. A token that
    cannot be renewed raises ReconnectNeeded.
    """

    def send(connector: Connector) -> tuple[PublishedPost, str]:
        try:
            return send_post(connector, dispatch, attempt)
        finally:
            _remember_rate_limit(channel, connector.rate_limit)

    def renewed() -> None:
        _note(attempt, _("the network refused the access token; renewed it and tried again"))

    return with_renewed_access(channel, send, dispatch=dispatch, on_renewed=renewed)


def _note(attempt: Attempt, detail: str) -> None:
    attempt.detail = f"{attempt.detail}; {detail}" if attempt.detail else detail


def send_post(connector: Connector, dispatch: Dispatch, attempt: Attempt) -> tuple[PublishedPost, str]:
    """Read the account back first if the last try may have gone out; send unless found; raises ClaimLost."""
    post = OutgoingPost(
        text=dispatch.text,
        idempotency_key=dispatch.idempotency_key,
        media=[MediaItem(**item) for item in dispatch.media],
        in_reply_to=dispatch.in_reply_to,
    )
    if dispatch.needs_check:
        found = connector.find_published(post, since=dispatch.first_sent_at or dispatch.claimed_at or timezone.now())
        if found is not None:
            return found, Attempt.Outcome.FOUND
        # Certainly not on the account: send it now, with the same key as before.
        _note(attempt, _("not found on the network; publishing"))
    # A read-back or a token renewal may have taken long: make sure the claim is still ours, and
    # long enough for this one call, or another worker may already be sending it.
    if not _extend_lease(dispatch):
        raise ClaimLost
    sent = connector.reply(post) if post.in_reply_to else connector.publish(post)
    return sent, Attempt.Outcome.PUBLISHED


class ClaimLost(Exception):
    """The lease ran out before the send and the sweep gave the dispatch back: this worker must not send."""


def _extend_lease(dispatch: Dispatch) -> bool:
    lease = timezone.now() + datetime.timedelta(seconds=settings.CHANNELS_LEASE_SECONDS)
    return bool(_ours(dispatch).update(lease_expires_at=lease))


def _ours(dispatch: Dispatch) -> Any:
    return Dispatch.objects.filter(pk=dispatch.pk, state=Dispatch.State.SENDING, claimed_by=dispatch.claimed_by)


def _finish(attempt: Attempt, outcome: str, detail: str = "", status: int | None = None) -> None:
    attempt.outcome = outcome
    attempt.finished_at = timezone.now()
    attempt.detail = (f"{attempt.detail}; {detail}" if attempt.detail and detail else detail or attempt.detail)[:2000]
    attempt.http_status = status
    attempt.save(update_fields=["outcome", "finished_at", "detail", "http_status"])


def _sent(dispatch: Dispatch, attempt: Attempt, result: tuple[PublishedPost, str]) -> str:
    published, outcome = result
    now = timezone.now()
    with transaction.atomic():
        won = _ours(dispatch).update(
            state=Dispatch.State.SENT,
            remote_id=published.remote_id,
            remote_url=published.remote_url,
            published_at=published.published_at or now,
            needs_check=False,
            last_error="",
            lease_expires_at=None,
            updated_at=now,
        )
        _finish(attempt, outcome, "" if won else _("claim lost: another worker took over"))
    return "sent" if won else "lost_claim"


def _release(dispatch: Dispatch, *, until: datetime.datetime) -> None:
    # Nothing was sent: give the claim back without counting it, and ring again when allowed.
    from portevoix.channels.tasks import ring

    with transaction.atomic():
        if _ours(dispatch).update(
            state=Dispatch.State.SCHEDULED, next_attempt_at=until, attempts=F("attempts") - 1, lease_expires_at=None
        ):
            ring(dispatch.pk, at=until)


def _remember_rate_limit(channel: Channel, rate_limit: Any) -> None:
    if rate_limit is not None and rate_limit.remaining is not None:
        Channel.objects.filter(pk=channel.pk).update(rate_limit_remaining=rate_limit.remaining)


def _rate_limited(dispatch: Dispatch, attempt: Attempt, error: RateLimited) -> str:
    until = timezone.now() + error.retry_after
    with transaction.atomic():
        Channel.objects.filter(pk=dispatch.channel_id).update(rate_limited_until=until)
        _finish(attempt, Attempt.Outcome.RATE_LIMITED, error.message, error.status)
        _release(dispatch, until=until)
    return "rate_limited"


def _retry(
    dispatch: Dispatch, attempt: Attempt, error: ConnectorError, *, outcome: str, needs_check: bool = False
) -> str:
    from portevoix.channels.tasks import ring

    check = needs_check or dispatch.needs_check
    if dispatch.attempts >= settings.CHANNELS_MAX_ATTEMPTS:
        final = Dispatch.State.UNCONFIRMED if check else Dispatch.State.FAILED
        return _give_up(dispatch, attempt, error, state=final, outcome=outcome)
    base = datetime.timedelta(seconds=settings.CHANNELS_RETRY_BASE_SECONDS)
    when = timezone.now() + backoff(dispatch.attempts, base=base, cap=RETRY_CAP)
    with transaction.atomic():
        if _ours(dispatch).update(
            state=Dispatch.State.SCHEDULED,
            next_attempt_at=when,
            needs_check=check,
            last_error=error.message[:2000],
            lease_expires_at=None,
            updated_at=timezone.now(),
        ):
            ring(dispatch.pk, at=when)
        _finish(attempt, outcome, error.message, error.status)
    return "retry"


def _failed(dispatch: Dispatch, attempt: Attempt, error: ConnectorError, *, alert: bool = True) -> str:
    state = Dispatch.State.UNCONFIRMED if dispatch.needs_check else Dispatch.State.FAILED
    return _give_up(dispatch, attempt, error, state=state, outcome=Attempt.Outcome.FAILED, alert=alert)


def _give_up(
    dispatch: Dispatch, attempt: Attempt, error: ConnectorError, *, state: str, outcome: str, alert: bool = True
) -> str:
    with transaction.atomic():
        won = _ours(dispatch).update(
            state=state, last_error=error.message[:2000], lease_expires_at=None, updated_at=timezone.now()
        )
        _finish(attempt, outcome, error.message, error.status)
        if won and alert:
            dispatch.state = state
            alerts.alert_dispatch(dispatch, error=error.message)
    return str(state)


def sweep_outbox(now: datetime.datetime | None = None, *, limit: int = 500) -> dict[str, int]:
    """Take back claims whose lease ran out (to be checked on the network) and ring for overdue dispatches."""
    from portevoix.channels.tasks import ring

    now = now or timezone.now()
    stuck = list(
        Dispatch.objects.filter(state=Dispatch.State.SENDING, lease_expires_at__lt=now).values_list("pk", "claimed_by")[
            :limit
        ]
    )
    recovered = 0
    for pk, claimed_by in stuck:
        with transaction.atomic():
            taken = Dispatch.objects.filter(pk=pk, state=Dispatch.State.SENDING, claimed_by=claimed_by).update(
                state=Dispatch.State.SCHEDULED,
                needs_check=True,
                next_attempt_at=now,
                lease_expires_at=None,
                updated_at=now,
            )
            Attempt.objects.filter(dispatch_id=pk, worker=claimed_by, outcome=Attempt.Outcome.RUNNING).update(
                outcome=Attempt.Outcome.AMBIGUOUS, finished_at=now, detail=_("the worker stopped while publishing")
            )
        recovered += taken
    # The doorbell rung at scheduling time normally does the work: ring again only for what is
    # overdue by two sweeps, and at most once per two sweeps, so a backlog is not flooded with
    # duplicate jobs.
    grace = now - datetime.timedelta(seconds=2 * settings.CHANNELS_SWEEP_SECONDS)
    overdue = list(
        Dispatch.objects.filter(state=Dispatch.State.SCHEDULED, next_attempt_at__lte=grace, scheduled_at__lte=now)
        .filter(Q(rung_at__isnull=True) | Q(rung_at__lt=grace))
        .filter(~crisis_is_on())
        .values_list("pk", flat=True)[:limit]
    )
    Dispatch.objects.filter(pk__in=overdue).update(rung_at=now)
    for pk in overdue:
        ring(pk, at=None)
    return {"recovered": recovered, "rung": len(overdue)}
