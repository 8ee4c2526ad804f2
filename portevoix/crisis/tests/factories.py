"""Crises for tests, built through the services like real ones."""

from portevoix.accounts.models import User
from portevoix.crisis import services
from portevoix.crisis.models import Crisis, CrisisTexts

STATEMENT_FR = "Nous savons qu'un incident touche le site de Lyon. Nos équipes sont mobilisées."
STATEMENT_EN = "We know an incident affects the Lyon site. Our teams are on it."


def start(actor: User, *, title: str = "Incident à Lyon", sends_emails: bool = True) -> Crisis:
    return services.start_crisis(
        actor=actor,
        title=title,
        holding_statement=STATEMENT_FR,
        do_not_comment="Les causes de l'incident, les blessés.",
        translations={
            "en": CrisisTexts("en", "Incident in Lyon", STATEMENT_EN, "The causes of the incident, the injured.")
        },
        sends_emails=sends_emails,
    )
