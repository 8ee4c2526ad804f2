"""Demo requests to the communication team: an answered thread, an open request, a closed one, in French and English.

They are made through the services without e-mails (the demo's people have no mailbox), then
dated back into the demo's last days so the queue reads as real activity.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from compliance_engine.model import Scope
from portevoix.asks import services
from portevoix.asks.models import Ask, AskMessage

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext


def _at(context: "DemoContext", days_ago: int, hour: int) -> datetime.datetime:
    day = context.today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _date_back(ask: Ask, times: list[datetime.datetime]) -> None:
    messages = list(AskMessage.objects.filter(ask=ask).order_by("created_at", "id"))
    for message, moment in zip(messages, times, strict=True):
        AskMessage.objects.filter(pk=message.pk).update(created_at=moment)
    closed_at = times[-1] if ask.status == Ask.Status.CLOSED else None
    Ask.objects.filter(pk=ask.pk).update(created_at=times[0], last_activity_at=times[-1], closed_at=closed_at)


def load_asks(context: "DemoContext") -> None:
    """Three requests: Thomas's thread answered by the team (French), Inès's open request and closed one (English)."""
    rng = context.rng("load_asks")
    employee, ambassador = context.personas["employee"], context.personas["ambassador"]
    manager = context.personas["community_manager"]

    answered = services.open_ask(
        author=employee,
        question="Est-ce que je peux parler de notre chantier sur le stockage ? J'ai mis le nom du projet.",
        draft="Fier de l'équipe du projet Atlas : nos batteries tiennent enfin l'hiver !",
        draft_date=context.today,
        clause_id="3.1",
        sends_emails=False,
    )
    services.reply(
        ask=answered,
        author=manager,
        body="Bonjour Thomas,\nmerci d'avoir demandé ! Atlas n'est pas annoncé : retirez le nom, et parlez de "
        "« nos travaux sur le stockage ».",
        sends_emails=False,
    )
    services.reply(
        ask=answered,
        author=context.personas["communication_director"],
        body="Et pensez à dire que vous travaillez chez Lumarelle : #collaborateur.",
        sends_emails=False,
    )
    start = rng.randint(5, 9)
    _date_back(answered, [_at(context, start, 9), _at(context, start, 11), _at(context, start, 14)])

    pending = services.open_ask(
        author=ambassador,
        question="Can I share our recruiting video with a comment about our salaries being the best in the region?",
        draft="We're hiring engineers in Lyon! Best salaries in the region, come and join us.",
        draft_date=context.today,
        scope=Scope.AMBASSADORS,
        sends_emails=False,
    )
    _date_back(pending, [_at(context, rng.randint(1, 2), 10)])

    closed = services.open_ask(
        author=ambassador,
        question="Which hashtag should ambassadors use for the open day?",
        sends_emails=False,
    )
    services.reply(ask=closed, author=manager, body="#LumarelleOpenDay, in both languages.", sends_emails=False)
    services.close_ask(ask=closed, actor=manager)
    days = rng.randint(12, 20)
    _date_back(closed, [_at(context, days, 16), _at(context, days - 1, 9)])
