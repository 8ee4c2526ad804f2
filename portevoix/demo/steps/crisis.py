"""A past crisis of Lumarelle Énergie, lifted, with its timeline: the crisis pages are populated
while no crisis is on when the demo starts (every page would otherwise show the banner)."""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.crisis import services
from portevoix.crisis.models import Crisis, CrisisNotice, CrisisTexts, TimelineEntry

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext

DAYS_AGO = 19
STARTED_AT = datetime.time(7, 40)
HOURS_ON = 31

TITLE = "Fuite d'ammoniac à la centrale biomasse de Grenoble"
STATEMENT = (
    "Ce matin, une fuite d'ammoniac a été détectée à la centrale biomasse de Grenoble. Le site a été "
    "évacué par précaution et les secours sont sur place. Aucune personne n'a été blessée à ce stade. "
    "Lumarelle Énergie communiquera de nouveau à 12 h."
)
DO_NOT_COMMENT = (
    "Les causes de la fuite, les noms des personnes présentes sur le site, les conséquences pour les "
    "riverains et tout chiffre de production."
)
TITLE_EN = "Ammonia leak at the Grenoble biomass plant"
STATEMENT_EN = (
    "This morning an ammonia leak was detected at the Grenoble biomass plant. The site was evacuated as a "
    "precaution and emergency services are on site. Nobody has been injured so far. Lumarelle Énergie "
    "will give an update at noon."
)
DO_NOT_COMMENT_EN = (
    "The causes of the leak, the names of people on site, consequences for residents, and any production figures."
)
# (minutes after the switch, persona key, text)
NOTES = (
    (25, "community_manager", "Premières questions sur X et LinkedIn : réponse par la déclaration d'attente."),
    (70, "communication_director", "Point presse avec la préfecture confirmé à 11 h 30."),
    (240, "community_manager", "Article du Dauphiné libéré en ligne, conforme à notre déclaration."),
    (1_380, "communication_director", "Levée de l'évacuation ; mesures de l'air normales selon la préfecture."),
)
REASON = "Fuite maîtrisée, site rouvert, communiqué final publié avec la préfecture."
READ_SHARE = 0.8


def load_crisis(context: "DemoContext") -> None:
    """One crisis, 19 days ago, on for 31 hours, with notes from the team; e-mails count as sent."""
    director = context.personas["communication_director"]
    crisis = services.start_crisis(
        actor=director,
        title=TITLE,
        holding_statement=STATEMENT,
        do_not_comment=DO_NOT_COMMENT,
        translations={"en": CrisisTexts("en", TITLE_EN, STATEMENT_EN, DO_NOT_COMMENT_EN)},
        sends_emails=False,
    )
    for _minutes, persona, text in NOTES:
        services.add_note(crisis=crisis, actor=context.personas[persona], text=text)
    services.lift_crisis(crisis=crisis, actor=director, reason=REASON, sends_emails=False)
    _move_into_the_past(context, crisis)


def _move_into_the_past(context: "DemoContext", crisis: Crisis) -> None:
    # The services stamp everything now; the demo's crisis happened weeks ago.
    day = context.today - datetime.timedelta(days=DAYS_AGO)
    started = timezone.make_aware(datetime.datetime.combine(day, STARTED_AT))
    ended = started + datetime.timedelta(hours=HOURS_ON)
    Crisis.objects.filter(pk=crisis.pk).update(started_at=started, ended_at=ended)
    entries = TimelineEntry.objects.filter(crisis=crisis)
    entries.exclude(kind__in=[TimelineEntry.Kind.NOTE, TimelineEntry.Kind.LIFTED]).update(at=started)
    entries.filter(kind=TimelineEntry.Kind.LIFTED).update(at=ended)
    for entry, (minutes, _persona, _text) in zip(entries.filter(kind=TimelineEntry.Kind.NOTE), NOTES, strict=True):
        TimelineEntry.objects.filter(pk=entry.pk).update(at=started + datetime.timedelta(minutes=minutes))
    rng = context.rng("load_crisis")
    for notice in CrisisNotice.objects.filter(crisis=crisis).order_by("pk"):
        emailed = started + datetime.timedelta(seconds=rng.randint(2, 40))
        read = emailed + datetime.timedelta(minutes=rng.randint(3, 300)) if rng.random() < READ_SHARE else None
        told = ended + datetime.timedelta(seconds=rng.randint(2, 40))
        CrisisNotice.objects.filter(pk=notice.pk).update(emailed_at=emailed, read_at=read, lift_emailed_at=told)
