"""The demo guidelines: version 1 (archived) and version 2 (published to everyone, two clauses
changed materially), with acknowledgements spread over the last weeks so the dashboard is populated."""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.accounts.models import User
from portevoix.demo.steps.guidelines_text import CHANGED, CLAUSES, INTRO, TITLE
from portevoix.guidelines import services
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.guidelines.services import ClauseData, Publication

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext

FIRST_PUBLISHED_DAYS_AGO = 70
SECOND_PUBLISHED_DAYS_AGO = 24
# Share of each department that has acknowledged version 2; the others use DEFAULT_SHARE.
SHARES = {"Communication": 0.95, "Juridique & Conformité": 0.9, "Ressources humaines": 0.85, "Ventes": 0.35,
          "Service client": 0.4, "Supply chain": 0.3}  # fmt: skip
DEFAULT_SHARE = 0.6


def _clause(position: int, anchor: str, category: str, texts: list[tuple[str, str]]) -> ClauseData:
    names = ("title", "body", "do_examples", "dont_examples")
    values = {f"{name}_{language}": pair[index] for name, pair in zip(names, texts, strict=True)
              for index, language in enumerate(("fr", "en"))}  # fmt: skip
    return ClauseData(anchor=anchor, number=anchor, position=position, category=category, texts=values)


def _write(context: "DemoContext", author: User, *, changed: dict[str, tuple[str, str]]) -> GuidelinesVersion:
    draft = services.create_draft(organization=context.organization, actor=author)
    texts = {"title_fr": TITLE[0], "title_en": TITLE[1], "intro_fr": INTRO[0], "intro_en": INTRO[1]}
    services.update_version_texts(version=draft, actor=author, values=texts)
    existing = {clause.anchor: clause for clause in draft.clauses.all()}
    for position, (anchor, category, title, body, do, dont) in enumerate(CLAUSES, start=1):
        if existing and anchor not in changed:
            continue
        data = _clause(position, anchor, category, [title, changed.get(anchor, body), do, dont])
        services.save_clause(version=draft, actor=author, data=data, clause=existing.get(anchor))
    return draft


def _moment(context: "DemoContext", days_ago: float) -> datetime.datetime:
    midnight = datetime.datetime.combine(context.today, datetime.time(9), tzinfo=timezone.get_current_timezone())
    return midnight - datetime.timedelta(days=days_ago)


def load_guidelines(context: "DemoContext") -> None:
    """Version 1 then version 2 of Lumarelle's guidelines, and who has acknowledged them when."""
    director = context.personas["communication_director"]
    rng = context.rng("load_guidelines")
    first = _write(context, director, changed={})
    services.publish(
        version=first, actor=director, publication=Publication(), at=_moment(context, FIRST_PUBLISHED_DAYS_AGO)
    )
    people = list(User.objects.filter(organization=context.organization, is_active=True).select_related("department"))
    earlier = [(person, _moment(context, FIRST_PUBLISHED_DAYS_AGO - rng.uniform(0, 30))) for person in people
               if rng.random() < 0.7]  # fmt: skip
    services.import_acknowledgements(version=first, actor=None, acknowledged=earlier)
    second = _write(context, director, changed=CHANGED)
    publication = Publication(material_anchors=frozenset(CHANGED), reminder_every_days=7, reminder_max_count=3)
    services.publish(
        version=second, actor=director, publication=publication, at=_moment(context, SECOND_PUBLISHED_DAYS_AGO)
    )
    unacknowledged = {"employee"}  # the employee persona meets the card and the reading page
    skipped = {context.personas[key].pk for key in unacknowledged if key in context.personas}
    recent = []
    for person in people:
        share = SHARES.get(person.department.name if person.department else "", DEFAULT_SHARE)
        if person.pk not in skipped and rng.random() < share:
            days_after = min(rng.expovariate(1 / 5), SECOND_PUBLISHED_DAYS_AGO - 0.5)
            recent.append((person, _moment(context, SECOND_PUBLISHED_DAYS_AGO - days_after)))
    services.import_acknowledgements(version=second, actor=None, acknowledged=recent)
