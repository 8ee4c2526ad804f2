"""Crisis mode (C7): switch it on, add notes to its timeline, lift it.

Switching is one transaction: the crisis row, its timeline, what the layers above freeze (through
the signals), a notice row for every ambassador and the audit entry commit together or not at
all. The e-mails to ambassadors are a job enqueued on commit (see `notices`).
"""

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.audit.services import record
from portevoix.crisis import selectors, tasks
from portevoix.crisis.models import Crisis, CrisisNotice, CrisisTexts, TimelineEntry
from portevoix.crisis.signals import crisis_lifted, crisis_started
from portevoix.jobs.enqueue import enqueue_on_commit

MAX_NOTE_LENGTH = 2_000


class CrisisError(ValueError):
    """A switch that cannot be made: the message says why."""


def _log_receivers(crisis: Crisis, actor: User, responses: Sequence[tuple[object, object]]) -> None:
    for _receiver, said in responses:
        if isinstance(said, str) and said:
            TimelineEntry.objects.create(crisis=crisis, actor=actor, kind=TimelineEntry.Kind.EFFECT, text=said)


def _translations_data(translations: Mapping[str, CrisisTexts], main_language: str) -> dict[str, dict[str, str]]:
    known = {code for code, _name in settings.LANGUAGES}
    data: dict[str, dict[str, str]] = {}
    for language, texts in translations.items():
        if language not in known:
            raise CrisisError(_("Unknown language: %(language)s.") % {"language": language})
        if language == main_language or not texts.holding_statement.strip():
            continue
        data[language] = {
            "title": texts.title.strip(),
            "holding_statement": texts.holding_statement.strip(),
            "do_not_comment": texts.do_not_comment.strip(),
        }
    return data


def start_crisis(
    *,
    actor: User,
    title: str,
    holding_statement: str,
    do_not_comment: str = "",
    translations: Mapping[str, CrisisTexts] | None = None,
    sends_emails: bool = True,
) -> Crisis:
    """Switch the organisation into crisis mode; what layers above freeze happens in the same transaction.

    The texts are in the organisation's default language; `translations` gives them in its other
    languages (a language without a holding statement reads the default one). Every ambassador
    gets a notice in the app, and an e-mail unless `sends_emails` is off (the demo's people have
    no mailbox).
    """
    title, holding_statement = title.strip(), holding_statement.strip()
    if not title or not holding_statement:
        raise CrisisError(_("A crisis needs a title and a holding statement."))
    language = actor.organization.default_language
    translated = _translations_data(translations or {}, language)
    try:
        with transaction.atomic():
            crisis = Crisis.objects.create(
                organization=actor.organization,
                title=title,
                holding_statement=holding_statement,
                do_not_comment=do_not_comment.strip(),
                started_by=actor,
                language=language,
                translations=translated,
            )
            _switch_on(crisis, actor, sends_emails=sends_emails)
    except IntegrityError:
        raise CrisisError(_("A crisis is already on.")) from None
    _forget(crisis)
    return crisis


def _switch_on(crisis: Crisis, actor: User, *, sends_emails: bool) -> None:
    TimelineEntry.objects.create(crisis=crisis, actor=actor, kind=TimelineEntry.Kind.STARTED, text=crisis.title)
    _log_receivers(crisis, actor, crisis_started.send(sender=Crisis, crisis=crisis, actor=actor))
    recipients = selectors.ambassadors(organization=crisis.organization_id).values_list("pk", flat=True)
    notices = CrisisNotice.objects.bulk_create(
        CrisisNotice(crisis=crisis, recipient_id=recipient_id) for recipient_id in recipients
    )
    TimelineEntry.objects.create(crisis=crisis, actor=actor, kind=TimelineEntry.Kind.NOTIFIED, text=str(len(notices)))
    record(
        organization=crisis.organization,
        actor=actor,
        action="crisis.started",
        target=crisis,
        data={"ambassadors": len(notices), "languages": [crisis.language, *crisis.translations]},
    )
    if sends_emails and notices:
        enqueue_on_commit(tasks.send_notices_task, crisis.pk)


def _forget(crisis: Crisis) -> None:
    # Now for this request's thread, and again on commit in case another thread cached the old state.
    selectors.forget_active_crisis(crisis.organization_id)
    transaction.on_commit(lambda: selectors.forget_active_crisis(crisis.organization_id))


def lift_crisis(*, crisis: Crisis, actor: User, reason: str, sends_emails: bool = True) -> Crisis:
    """End the crisis. A reason is required; nothing frozen is unfrozen here: people reschedule it.

    Ambassadors who were e-mailed that the crisis started are e-mailed that it is lifted (not the
    reason, which is the team's). The demo passes `sends_emails=False`.
    """
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
        TimelineEntry.objects.create(crisis=locked, actor=actor, kind=TimelineEntry.Kind.LIFTED, text=reason)
        _log_receivers(locked, actor, crisis_lifted.send(sender=Crisis, crisis=locked, actor=actor))
        record(
            organization=actor.organization, actor=actor, action="crisis.lifted", target=locked, data={"reason": reason}
        )
        if sends_emails:
            enqueue_on_commit(tasks.send_lift_notices_task, locked.pk)
    _forget(locked)
    return locked


def add_note(*, crisis: Crisis, actor: User, text: str) -> TimelineEntry:
    """Add a note of the team to the crisis timeline (what was decided, seen, answered)."""
    text = text.strip()
    if not text:
        raise CrisisError(_("Write the note before adding it."))
    if len(text) > MAX_NOTE_LENGTH:
        raise CrisisError(_("A note holds at most %(limit)d characters.") % {"limit": MAX_NOTE_LENGTH})
    with transaction.atomic():
        entry = TimelineEntry.objects.create(crisis=crisis, actor=actor, kind=TimelineEntry.Kind.NOTE, text=text)
        record(organization=crisis.organization, actor=actor, action="crisis.note_added", target=crisis)
    return entry
