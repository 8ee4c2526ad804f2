"""Crisis mode in the API: whether a crisis is on, with what to say (for everyone of the
organisation: an intranet or a chat bot can show it), and a crisis's timeline for the team."""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from portevoix.accounts.permissions import authenticated_request, ensure_permission
from portevoix.accounts.roles import Permission
from portevoix.crisis import selectors
from portevoix.crisis.models import Crisis

router = Router(tags=["crisis"])


class CrisisOut(Schema):
    id: int
    title: str
    holding_statement: str
    do_not_comment: str
    language: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    end_reason: str


class CurrentOut(Schema):
    is_on: bool
    crisis: CrisisOut | None


class EntryOut(Schema):
    at: datetime.datetime
    kind: str
    actor: str | None
    text: str


class NoticesOut(Schema):
    recipients: int
    emailed: int
    read: int
    told_lifted: int


class TimelineOut(Schema):
    crisis: CrisisOut
    notices: NoticesOut
    timeline: list[EntryOut]


def _crisis_out(crisis: Crisis, language: str, *, with_reason: bool) -> CrisisOut:
    texts = crisis.texts(language)
    return CrisisOut(
        id=crisis.pk,
        title=texts.title,
        holding_statement=texts.holding_statement,
        do_not_comment=texts.do_not_comment,
        language=texts.language,
        started_at=crisis.started_at,
        ended_at=crisis.ended_at,
        end_reason=crisis.end_reason if with_reason else "",
    )


@router.get("/current", response=CurrentOut, summary="The crisis on now, if any, in the caller's language")
def current(request: HttpRequest, language: str | None = None) -> CurrentOut:
    """Texts in `language` when written in it, by default the caller's interface language."""
    user = authenticated_request(request).user
    crisis = selectors.active_crisis(user.organization)
    language = language or user.language
    return CurrentOut(
        is_on=crisis is not None,
        crisis=_crisis_out(crisis, language, with_reason=False) if crisis is not None else None,
    )


@router.get("/{crisis_id}", response=TimelineOut, summary="A crisis with its timeline (communication team)")
def crisis_timeline(request: HttpRequest, crisis_id: int, language: str | None = None) -> TimelineOut:
    user = authenticated_request(request).user
    ensure_permission(user, Permission.VIEW_CRISIS)
    crisis = selectors.get_crisis_for_user(user=user, crisis_id=crisis_id)
    counts = selectors.notice_counts(crisis=crisis)
    entries = [
        EntryOut(at=entry.at, kind=entry.kind, actor=entry.actor.full_name if entry.actor else None, text=entry.text)
        for entry in selectors.timeline(crisis=crisis)
    ]
    return TimelineOut(
        crisis=_crisis_out(crisis, language or user.language, with_reason=True),
        notices=NoticesOut(
            recipients=counts.recipients, emailed=counts.emailed, read=counts.read, told_lifted=counts.told_lifted
        ),
        timeline=entries,
    )
