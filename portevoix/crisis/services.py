from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.audit.services import record
from portevoix.crisis.models import Crisis, TimelineEntry
from portevoix.crisis.signals import crisis_lifted, crisis_started


class CrisisError(ValueError):
    """A switch that cannot be made: the message says why."""


def _log_receivers(crisis: Crisis, actor: User, responses: Sequence[tuple[object, object]]) -> None:
    for _receiver, said in responses:
        if isinstance(said, str) and said:
            TimelineEntry.objects.create(crisis=crisis, actor=actor, kind="effect", text=said)


def start_crisis(*, actor: User, title: str, holding_statement: str, do_not_comment: str = "") -> Crisis:
    """Switch the organisation into crisis mode; what layers above freeze happens in the same transaction."""
    title, holding_statement = title.strip(), holding_statement.strip()
    if not title or not holding_statement:
        raise CrisisError(_("A crisis needs a title and a holding statement."))
    try:
        with transaction.atomic():
            crisis = Crisis.objects.create(
                organization=actor.organization,
                title=title,
                holding_statement=holding_statement,
                do_not_comment=do_not_comment.strip(),
                started_by=actor,
            )
            TimelineEntry.objects.create(crisis=crisis, actor=actor, kind="started", text=title)
            _log_receivers(crisis, actor, crisis_started.send(sender=Crisis, crisis=crisis, actor=actor))
            record(organization=actor.organization, actor=actor, action="crisis.started", target=crisis)
    except IntegrityError:
        raise CrisisError(_("A crisis is already on.")) from None
    return crisis


def lift_crisis(*, crisis: Crisis, actor: User, reason: str) -> Crisis:
    """End the crisis. A reason is required; nothing frozen is unfrozen here: people reschedule it."""
    reason = reason.strip()
    if not reason:
        raise CrisisError(_("Say why the crisis is lifted."))
    with transaction.atomic():
        locked = Crisis.objects.select_for_update().get(pk=crisis.pk, organization=actor.organization)
        if locked.ended_at is not None:
            raise CrisisError(_("This crisis was already lifted."))
        locked.ended_at = timezone.now()
        locked.ended_by = actor
        locked.end_reason = reason
        locked.save(update_fields=["ended_at", "ended_by", "end_reason"])
        TimelineEntry.objects.create(crisis=locked, actor=actor, kind="lifted", text=reason)
        _log_receivers(locked, actor, crisis_lifted.send(sender=Crisis, crisis=locked, actor=actor))
        record(
            organization=actor.organization, actor=actor, action="crisis.lifted", target=locked, data={"reason": reason}
        )
    return locked
