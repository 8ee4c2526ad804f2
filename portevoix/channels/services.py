"""Writes on channels and the outbox that other apps call: schedule, cancel, reschedule, decide.

`schedule_dispatch` is how every official post enters the outbox; the publishing itself (claim,
connector call, reconciliation, sweep) is in `portevoix.channels.publishing`.
"""

import datetime
from collections.abc import Sequence
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portevoix.accounts.models import Organization, User
from portevoix.audit.services import record
from portevoix.channels.connectors.base import MediaItem as MediaItem
from portevoix.channels.connectors.registry import UnsupportedNetwork, connector_entry
from portevoix.channels.models import Alert, Attempt, Channel, Dispatch, new_idempotency_key
from portevoix.channels.tasks import ring
from portevoix.crisis.models import Crisis
from portevoix.lib.networks import NETWORKS, Network, text_length

DEFAULT_MAX_MEDIA = 4
SOURCE_KEY_MAX_LENGTH = 200

# States a dispatch can be scheduled again from, by an editor's change or a person's decision.
_OPEN_STATES = {Dispatch.State.SCHEDULED, Dispatch.State.FAILED, Dispatch.State.CANCELLED, Dispatch.State.FROZEN}


class DispatchError(ValueError):
    """A dispatch that cannot be scheduled, changed or decided as asked: the message says why."""


def create_demo_channel(
    *, organization: Organization, network: Network, name: str, handle: str, owner: User | None, actor: User | None
) -> Channel:
    """A channel that publishes to nothing real: for the demo company, trials and tests."""
    name, handle = name.strip(), handle.strip()
    if not name:
        raise DispatchError(_("A channel needs a name."))
    with transaction.atomic():
        channel = Channel.objects.create(
            organization=organization,
            network=network,
            name=name,
            handle=handle,
            is_demo=True,
            state=Channel.State.CONNECTED,
            owner=owner,
            connected_at=timezone.now(),
        )
        record(organization=organization, actor=actor, action="channel.demo_created", target=channel)
    return channel


def _max_media(network: Network) -> int:
    try:
        return connector_entry(network).connector.capabilities.max_media
    except UnsupportedNetwork:
        return DEFAULT_MAX_MEDIA


def _validate(
    channel: Channel, *, source_key: str, text: str, media: Sequence[MediaItem], when: datetime.datetime
) -> None:
    network = channel.network_enum
    if not source_key or len(source_key) > SOURCE_KEY_MAX_LENGTH:
        raise DispatchError(_("A dispatch needs a source key of 1 to 200 characters."))
    if not text.strip() and not media:
        raise DispatchError(_("The post to %(channel)s is empty.") % {"channel": channel.name})
    length, limit = text_length(network, text), NETWORKS[network].text_limit
    if length > limit:
        raise DispatchError(
            _("The post to %(channel)s is %(length)d characters long; %(network)s allows %(limit)d.")
            % {"channel": channel.name, "length": length, "network": network.label, "limit": limit}
        )
    if len(media) > _max_media(network):
        raise DispatchError(
            _("%(network)s takes at most %(count)d images or videos per post.")
            % {"network": network.label, "count": _max_media(network)}
        )
    for item in media:
        if not item.alt_text.strip():
            raise DispatchError(_("Every image needs an alternative text (%(file)s has none).") % {"file": item.path})
    if timezone.is_naive(when):
        raise DispatchError(_("The publication time needs a time zone."))
    if channel.state == Channel.State.DISCONNECTED:
        raise DispatchError(_("%(channel)s is disconnected: reconnect it first.") % {"channel": channel.name})


def schedule_dispatch(
    *,
    channel: Channel,
    source_key: str,
    text: str,
    media: Sequence[MediaItem] = (),
    scheduled_at: datetime.datetime,
    actor: User | None,
    in_reply_to: str = "",
) -> Dispatch:
    """Put a post in the outbox for `channel` at `scheduled_at`, or update the one with the same source key.

    A dispatch not yet claimed is updated (text, media, time); a frozen one keeps its frozen
    state (only `reschedule_dispatch` takes it out of a crisis). One being sent, already sent or
    waiting for a person's decision is refused. It never goes out before `scheduled_at`.
    `in_reply_to` is the remote id of the post answered, for a reply (from the inbox).
    """
    _validate(channel, source_key=source_key, text=text, media=media, when=scheduled_at)
    stored_media = [asdict(item) for item in media]
    now = timezone.now()
    with transaction.atomic():
        existing = Dispatch.objects.select_for_update().filter(channel=channel, source_key=source_key).first()
        if existing is None:
            created = Dispatch.objects.create(
                organization_id=channel.organization_id,
                channel=channel,
                source_key=source_key,
                text=text,
                media=stored_media,
                in_reply_to=in_reply_to,
                scheduled_at=scheduled_at,
                next_attempt_at=scheduled_at,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
            ring(created.pk, at=scheduled_at)
            return created
        _refuse_unless_open(existing)
        if existing.text != text or existing.media != stored_media:
            # Changed content is another post for the network: a new key, so a replay of the
            # old key can never return the old text.
            existing.idempotency_key = new_idempotency_key()
        existing.text, existing.media = text, stored_media
        existing.scheduled_at = existing.next_attempt_at = scheduled_at
        if existing.state != Dispatch.State.FROZEN:
            existing.state = Dispatch.State.SCHEDULED
            existing.attempts = 0
        existing.updated_at = now
        existing.save(
            update_fields=[
                "idempotency_key",
                "text",
                "media",
                "scheduled_at",
                "next_attempt_at",
                "state",
                "attempts",
                "updated_at",
            ]
        )
        return existing


def _refuse_unless_open(dispatch: Dispatch) -> None:
    if dispatch.state == Dispatch.State.SENDING:
        raise DispatchError(_("This post is being published right now: it can no longer change."))
    if dispatch.state == Dispatch.State.SENT:
        raise DispatchError(_("This post is already published."))
    if dispatch.state == Dispatch.State.UNCONFIRMED:
        raise DispatchError(_("This post may already be published: say first whether it was (on the channels page)."))


def cancel_dispatch(*, channel: Channel, source_key: str, actor: User | None) -> Dispatch | None:
    """Cancel the dispatch of `source_key` to `channel`, if any; refused once it is being sent or sent."""
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().filter(channel=channel, source_key=source_key).first()
        if dispatch is None or dispatch.state == Dispatch.State.CANCELLED:
            return dispatch
        if dispatch.state == Dispatch.State.SENDING:
            raise DispatchError(_("This post is being published right now: it can no longer be cancelled."))
        if dispatch.state == Dispatch.State.SENT:
            raise DispatchError(_("This post is already published: delete it on the network instead."))
        _decide(dispatch, actor=actor, state=Dispatch.State.CANCELLED, action="dispatch.cancelled")
        return dispatch


def _decide(dispatch: Dispatch, *, actor: User | None, state: str, action: str, detail: str = "") -> None:
    """A person's decision on a dispatch: new state, an attempt line saying so, an audit entry."""
    now = timezone.now()
    previous = dispatch.state
    dispatch.state = state
    dispatch.updated_at = now
    dispatch.save(update_fields=["state", "updated_at"])
    Attempt.objects.create(
        dispatch=dispatch,
        kind=Attempt.Kind.DECISION,
        outcome=Attempt.Outcome.DECIDED,
        started_at=now,
        finished_at=now,
        actor=actor,
        detail=detail or f"{previous} → {state}",
    )
    record(
        organization=dispatch.channel.organization,
        actor=actor,
        action=action,
        target=dispatch,
        data={"channel": dispatch.channel_id, "from": previous, "to": state},
    )


def reschedule_dispatch(*, dispatch: Dispatch, scheduled_at: datetime.datetime, actor: User) -> Dispatch:
    """A person's decision to send a frozen, failed, unconfirmed or cancelled post again at `scheduled_at`.

    A post that may already be out (unconfirmed, or checked before) is looked for on the network
    first and sent only if it is not there.
    """
    if timezone.is_naive(scheduled_at):
        raise DispatchError(_("The publication time needs a time zone."))
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().select_related("channel").get(pk=dispatch.pk)
        if locked.state not in _OPEN_STATES | {Dispatch.State.UNCONFIRMED}:
            raise DispatchError(_("Only a frozen, failed, unconfirmed or cancelled post can be scheduled again."))
        if locked.channel.state == Channel.State.DISCONNECTED:
            raise DispatchError(
                _("%(channel)s is disconnected: reconnect it first.") % {"channel": locked.channel.name}
            )
        locked.scheduled_at = locked.next_attempt_at = scheduled_at
        locked.attempts = 0
        locked.save(update_fields=["scheduled_at", "next_attempt_at", "attempts"])
        _decide(locked, actor=actor, state=Dispatch.State.SCHEDULED, action="dispatch.rescheduled")
        ring(locked.pk, at=scheduled_at)
    return locked


def mark_dispatch_published(*, dispatch: Dispatch, remote_url: str, actor: User) -> Dispatch:
    """A person's decision that an unconfirmed (or failed) post is on the network, at `remote_url`."""
    remote_url = remote_url.strip()
    validator = URLValidator(schemes=["http", "https"])
    try:
        validator(remote_url)
    except ValidationError:
        raise DispatchError(_("Give the address of the post on the network, starting with https://.")) from None
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().select_related("channel").get(pk=dispatch.pk)
        if locked.state not in {Dispatch.State.UNCONFIRMED, Dispatch.State.FAILED}:
            raise DispatchError(_("Only an unconfirmed or failed post can be marked as published."))
        locked.remote_url = remote_url
        locked.published_at = timezone.now()
        locked.needs_check = False
        locked.save(update_fields=["remote_url", "published_at", "needs_check"])
        _decide(locked, actor=actor, state=Dispatch.State.SENT, action="dispatch.marked_published", detail=remote_url)
    return locked


def freeze_for_crisis(*, crisis: Crisis, actor: User, **_signal: object) -> str:
    """Receiver of `crisis_started`: every scheduled post of the organisation is frozen, in the switch's transaction."""
    now = timezone.now()
    frozen = Dispatch.objects.filter(organization_id=crisis.organization_id, state=Dispatch.State.SCHEDULED).update(
        state=Dispatch.State.FROZEN, updated_at=now
    )
    if not frozen:
        return ""  # Nothing to say in the timeline.
    record(
        organization=crisis.organization, actor=actor, action="dispatch.frozen", target=crisis, data={"count": frozen}
    )
    # The timeline keeps the sentence as written: in the language of the person who switched.
    with translation.override(actor.language):
        return ngettext("%(count)d scheduled post frozen", "%(count)d scheduled posts frozen", frozen) % {
            "count": frozen
        }


def mark_alerts_read(*, alerts: Sequence[Alert]) -> None:
    """The person saw these alerts (on the channel's page)."""
    if alerts:
        Alert.objects.filter(pk__in=[alert.pk for alert in alerts], read_at__isnull=True).update(read_at=timezone.now())
