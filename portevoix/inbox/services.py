"""The unified inbox: receiving interactions, triage by the policy engine, assignment, replies.

Replies leave through the channel's outbox (`portevoix.channels.services.schedule_dispatch`)
like any official post: same claim, same idempotency, same crisis freeze.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance_engine import check
from compliance_engine.model import RuleKind, Scope, Severity
from portevoix.accounts.models import Organization, User
from portevoix.audit.services import record
from portevoix.channels.connectors.base import Connector, ConnectorError, Interaction, InteractionPage, RateLimited
from portevoix.channels.connectors.registry import UnsupportedNetwork, connector_entry
from portevoix.channels.models import Channel
from portevoix.channels.refresh import with_renewed_access
from portevoix.channels.services import schedule_dispatch
from portevoix.crisis.selectors import active_crisis
from portevoix.inbox.models import InboxSettings, Message, PullState, Reply, SavedReply, Tag
from portevoix.policies.services import active_version, check_text, compiled_policy, finding_data

# What an outsider's message can be flagged for: a disclosure rule is about our own promotions.
_TRIAGED_KINDS = frozenset(RuleKind) - {RuleKind.DISCLOSURE}


class InboxError(ValueError):
    """An action refused: the message says why, for the person."""


def settings_of(organization: Organization) -> InboxSettings:
    found, _created = InboxSettings.objects.get_or_create(organization=organization)
    return found


def update_targets(*, organization: Organization, actor: User, normal_hours: int, hostile_hours: int) -> InboxSettings:
    if not (1 <= hostile_hours <= normal_hours <= 24 * 14):
        raise InboxError(_("Targets are whole hours, at most two weeks, the hostile one no longer than the other."))
    found = settings_of(organization)
    found.response_target_hours, found.hostile_target_hours = normal_hours, hostile_hours
    found.save()
    record(
        organization=organization,
        actor=actor,
        action="inbox.targets_changed",
        data={"normal_hours": normal_hours, "hostile_hours": hostile_hours},
    )
    return found


def triage(
    organization: Organization, text: str, *, today: datetime.date | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The risk of a received text under the organisation's published policy, and the findings why.

    Hostile when the tone rules find insults, threats or harassment; risky when anything else
    that warns or blocks is found (personal data posted publicly, a confidential project named,
    a question inside a quiet period, a look-alike link); otherwise nothing flagged.
    """
    version = active_version(organization)
    if version is None or not text.strip():
        return Message.Risk.NONE, []
    verdict = check(
        text,
        compiled_policy(version),
        date=today or timezone.localdate(),
        scope=Scope.OFFICIAL,
        language=organization.default_language,
    )
    findings = [
        finding
        for finding in verdict.findings
        if finding.kind in _TRIAGED_KINDS and finding.severity in (Severity.BLOCK, Severity.WARN)
    ]
    if any(finding.kind == RuleKind.TONE for finding in findings):
        risk = Message.Risk.HOSTILE
    elif findings:
        risk = Message.Risk.RISKY
    else:
        risk = Message.Risk.NONE
    return risk, [finding_data(finding) for finding in findings]


def _due(received_at: datetime.datetime, risk: str, targets: InboxSettings) -> datetime.datetime:
    hours = targets.response_target_hours if risk == Message.Risk.NONE else targets.hostile_target_hours
    return received_at + datetime.timedelta(hours=hours)


def receive_interactions(*, channel: Channel, interactions: Sequence[Interaction]) -> list[Message]:
    """Store what a pull brought, once per (channel, remote id), triaged; returns the new messages."""
    if not interactions:
        return []
    organization = channel.organization
    known = set(
        Message.objects.filter(channel=channel, remote_id__in=[item.remote_id for item in interactions]).values_list(
            "remote_id", flat=True
        )
    )
    targets = settings_of(organization)
    now = timezone.now()
    fresh: dict[str, Message] = {}
    for item in interactions:
        if item.remote_id in known or item.remote_id in fresh:
            continue
        risk, findings = triage(organization, item.text)
        fresh[item.remote_id] = Message(
            organization=organization,
            channel=channel,
            remote_id=item.remote_id,
            kind=item.kind if item.kind in Message.Kind.values else Message.Kind.MENTION,
            author_handle=item.author_handle[:255],
            author_name=item.author_name[:255],
            text=item.text,
            url=item.url[:500],
            in_reply_to=item.in_reply_to[:255],
            sent_at=item.created_at,
            received_at=now,
            risk=risk,
            findings=findings,
            due_at=_due(now, risk, targets),
        )
    # A concurrent pull of the same channel may have stored some meanwhile: the unique
    # constraint keeps one row each, and the rows it skipped are not reported as new.
    Message.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return list(Message.objects.filter(channel=channel, remote_id__in=list(fresh), received_at=now).order_by("sent_at"))


def assign(*, message: Message, assignee: User | None, actor: User) -> Message:
    if assignee is not None and (assignee.organization_id != message.organization_id or not assignee.is_active):
        raise InboxError(_("This person cannot be assigned here."))
    message.assignee = assignee
    if assignee is not None and message.status == Message.Status.NEW:
        message.status = Message.Status.IN_PROGRESS
    message.save(update_fields=["assignee", "status"])
    record(
        organization=message.organization,
        actor=actor,
        action="inbox.assigned",
        target=message,
        data={"assignee": assignee.email if assignee else None},
    )
    return message


def set_status(*, message: Message, status: str, actor: User) -> Message:
    if status not in Message.Status.values:
        raise InboxError(_("Unknown status."))
    message.status = status
    message.save(update_fields=["status"])
    return message


def set_tags(*, message: Message, names: Iterable[str], actor: User) -> list[Tag]:
    """Replace the message's tags by these names (created for the organisation when new)."""
    cleaned = sorted({" ".join(name.split())[:60] for name in names if name.strip()}, key=str.casefold)
    tags = [Tag.objects.get_or_create(organization=message.organization, name=name)[0] for name in cleaned]
    message.tags.set(tags)
    return tags


def reply(*, message: Message, author: User, text: str, override_reason: str = "") -> Reply:
    """Answer a message from its channel: checked by the policy engine, sent through the outbox now.

    A reply with a blocking finding is refused; one with warnings needs a reason, which is kept.
    During a crisis nothing official goes out, replies included.
    """
    text = text.strip()
    if not text:
        raise InboxError(_("Write the reply first."))
    if active_crisis(message.organization_id) is not None:
        raise InboxError(_("Crisis mode is on: replies are held. Use the holding statement."))
    if not message.channel.can_publish:
        raise InboxError(_("%(channel)s is not connected: reconnect it to reply.") % {"channel": message.channel.name})
    checked = check_text(user=author, text=text, scope=Scope.OFFICIAL, channel="inbox")
    if checked is not None:
        verdict, _version = checked
        if any(finding.severity == Severity.BLOCK for finding in verdict.findings):
            raise InboxError(_("The check blocks this reply: change what it points out."))
        if any(finding.severity == Severity.WARN for finding in verdict.findings) and not override_reason.strip():
            raise InboxError(_("The check warns about this reply: say why it should go out as it is."))
    now = timezone.now()
    with transaction.atomic():
        answer = Reply.objects.create(
            message=message, author=author, text=text, created_at=now, override_reason=override_reason.strip()
        )
        schedule_dispatch(
            channel=message.channel,
            source_key=answer.source_key,
            text=text,
            scheduled_at=now,
            in_reply_to=message.remote_id,
            actor=author,
        )
        if message.first_response_at is None:
            message.first_response_at = now
        if message.status in (Message.Status.NEW, Message.Status.IN_PROGRESS):
            message.status = Message.Status.WAITING
        if message.assignee_id is None:
            message.assignee = author
        message.save(update_fields=["first_response_at", "status", "assignee"])
        record(
            organization=message.organization,
            actor=author,
            action="inbox.replied",
            target=message,
            data={"reply": answer.pk, "override_reason": answer.override_reason},
        )
    return answer


def save_reply_template(
    *, organization: Organization, actor: User, title: str, language: str, text: str, saved: SavedReply | None = None
) -> SavedReply:
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise InboxError(_("A saved reply needs a title and a text."))
    target = saved or SavedReply(organization=organization)
    target.title, target.language, target.text = title, language, text
    target.save()
    return target


def pull_channel(*, channel: Channel, connector: Connector | None = None, now: datetime.datetime | None = None) -> int:
    """Fetch what arrived on a channel since the last pull and store it; returns how many are new.

    Without `connector`, the channel's own is used, and a refused token is renewed once where the
    network allows it (a read is safe to repeat); one that cannot be renewed expires the channel.
    The cursor moves only after the messages are stored, so a pull that dies half-way is
    repeated from the same place, and the unique (channel, remote id) keeps that harmless.
    A rate limit postpones the next pull of this channel; other errors are kept for the team.
    """
    now = now or timezone.now()
    state, _created = PullState.objects.get_or_create(channel=channel)
    if state.not_before is not None and state.not_before > now:
        return 0

    def fetch(connector: Connector) -> InteractionPage:
        return connector.fetch_interactions(cursor=state.cursor)

    try:
        page = fetch(connector) if connector is not None else with_renewed_access(channel, fetch)
    except RateLimited as error:
        state.not_before = now + error.retry_after
        state.last_error = error.message
        state.save(update_fields=["not_before", "last_error"])
        return 0
    except ConnectorError as error:
        state.last_error = error.message
        state.save(update_fields=["last_error"])
        return 0
    with transaction.atomic():
        new = receive_interactions(channel=channel, interactions=page.items)
        state.cursor = page.cursor or state.cursor
        state.pulled_at, state.not_before, state.last_error = now, None, ""
        state.save(update_fields=["cursor", "pulled_at", "not_before", "last_error"])
    return len(new)


def pull_all_channels(now: datetime.datetime | None = None) -> int:
    """Pull every connected channel that can fetch interactions; returns how many messages are new.

    Demo channels receive nothing. One channel's failure is kept on its pull state and never
    stops the others.
    """
    total = 0
    for channel in Channel.objects.filter(state=Channel.State.CONNECTED, is_demo=False).select_related("organization"):
        try:
            capabilities = connector_entry(channel.network).connector.capabilities
        except UnsupportedNetwork:
            continue
        if capabilities.can_fetch_interactions:
            total += pull_channel(channel=channel, now=now)
    return total
