"""Requests built through the real services, so tests obey the same rules as people do."""

import datetime

from compliance_engine.model import Scope
from portevoix.accounts.models import User
from portevoix.asks import services
from portevoix.asks.models import Ask

RISKY_DRAFT = "Le Projet Heron avance bien !\nAppelez-moi au 06 12 34 56 78."


def open_ask(
    author: User,
    question: str = "Puis-je publier ceci ?",
    *,
    draft: str = RISKY_DRAFT,
    clause_id: str = "",
    draft_date: datetime.date | None = datetime.date(2026, 5, 4),
) -> Ask:
    return services.open_ask(
        author=author, question=question, draft=draft, draft_date=draft_date, scope=Scope.EVERYONE, clause_id=clause_id
    )
