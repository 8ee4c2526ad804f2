"""Demo message houses, content library and shares: what Lumarelle's ambassadors speak from and share.

Four topics (created here if the programme's step has not made them: same slugs), each with an
approved message house in French and English; the employer-brand house has its next version in
review. The library holds published posts, one under embargo, one expired, one draft and one in
review with a comment. Ambassadors have shared posts with texts of their own, and their tracked
links have clicks over the demo's last days. Everything goes through the services, then shares
are dated back.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.ambassadors.models import Topic
from portevoix.content import services, sharing
from portevoix.content.models import ContentItem, MessageItem, Share
from portevoix.content.services import ContentData, HouseFields, ItemData, VariantData
from portevoix.crisis.selectors import active_crisis
from portevoix.lib.networks import Network
from portevoix.links import clicks

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext

KEY, PROOF, STORY, QUESTION = (
    MessageItem.Kind.KEY_MESSAGE, MessageItem.Kind.PROOF_POINT, MessageItem.Kind.STORY, MessageItem.Kind.HARD_QUESTION,
)  # fmt: skip

# slug: (name, core message, hashtags, items)
HOUSES: dict[str, tuple[str, str, str, list[ItemData]]] = {
    "innovation": (
        "Innovation",
        "Lumarelle invente une énergie plus sobre et plus locale.",
        "#innovation #énergie",
        [
            ItemData(
                KEY,
                "Nos équipes de R&D à Lyon conçoivent des batteries domestiques qui durent deux fois plus longtemps.",
            ),
            ItemData(KEY, "Our Lyon R&D teams design home batteries that last twice as long.", language="en"),
            ItemData(
                PROOF, "42 brevets déposés depuis 2022.", level="professional", source="Rapport annuel 2025, p. 18"
            ),
            ItemData(
                PROOF,
                "Cycle life measured at 8,000 cycles by an independent lab.",
                level="expert",
                language="en",
                source="https://www.lumarelle.example/rapport-2025",
            ),
            ItemData(STORY, "Comment une technicienne de Nantes a réduit de 30 % les pertes d'un onduleur."),
            ItemData(
                QUESTION,
                "Vos batteries contiennent-elles du cobalt ?",
                answer="Non : nos cellules sont au lithium-fer-phosphate.",
            ),
        ],
    ),
    "marque-employeur": (
        "Marque employeur",
        "Chez Lumarelle, on apprend et on grandit.",
        "#recrutement #transition",
        [
            ItemData(KEY, "Un parcours d'intégration de trois mois pour chaque nouvelle recrue."),
            ItemData(KEY, "Every newcomer gets a three-month onboarding path.", language="en"),
            ItemData(PROOF, "87 % des alternants embauchés à l'issue de leur contrat.", source="Bilan social 2025"),
            ItemData(STORY, "D'alternante à cheffe de projet en quatre ans : le parcours de Léa."),
            ItemData(
                QUESTION,
                "Le télétravail est-il possible ?",
                answer="Oui, jusqu'à deux jours par semaine selon les postes.",
            ),
        ],
    ),
    "rse": (
        "RSE",
        "Nous réduisons notre empreinte autant que celle de nos clients.",
        "#RSE #climat",
        [
            ItemData(KEY, "Nos sites sont alimentés à 100 % par de l'électricité renouvelable depuis 2024."),
            ItemData(KEY, "All our sites have run on renewable electricity since 2024.", language="en"),
            ItemData(
                PROOF,
                "-38 % d'émissions directes depuis 2019.",
                level="professional",
                source="Bilan carbone vérifié, 2025",
            ),
            ItemData(
                QUESTION, "Et le recyclage des panneaux ?", answer="Nous reprenons 95 % des matériaux en fin de vie."
            ),
        ],
    ),
    "solaire-residentiel": (
        "Solaire résidentiel",
        "Le solaire sur son toit, simple et rentable.",
        "#solaire #autoconsommation",
        [
            ItemData(KEY, "Une installation posée en une journée, suivie dans une application."),
            ItemData(KEY, "Rooftop solar installed in one day, followed in an app.", language="en"),
            ItemData(PROOF, "12 000 toits équipés en France en 2025.", source="https://www.lumarelle.example/chiffres"),
            ItemData(STORY, "Une famille lyonnaise couvre 60 % de sa consommation avec neuf panneaux."),
        ],
    ),
}

# (topic slug, title, French text, English text, link, days: embargo when positive, expired when negative)
POSTS: list[tuple[str, str, str, str, str, int]] = [
    (
        "innovation",
        "Batteries longue durée",
        "Nos batteries domestiques durent désormais deux fois plus longtemps : le fruit de trois ans de "
        "travail de nos équipes de Lyon.",
        "Our home batteries now last twice as long: three years of work by our Lyon teams.",
        "https://www.lumarelle.example/batteries",
        0,
    ),
    (
        "marque-employeur",
        "Intégration des nouvelles recrues",
        "Trois mois pour trouver sa place : chaque nouvelle recrue suit un parcours d'intégration avec un "
        "parrain ou une marraine.",
        "Three months to find your feet: every newcomer follows an onboarding path with a mentor.",
        "https://www.lumarelle.example/carrieres",
        0,
    ),
    (
        "rse",
        "Sites 100 % renouvelables",
        "Depuis 2024, tous nos sites fonctionnent avec de l'électricité renouvelable, et nos émissions "
        "directes ont baissé de 38 %.",
        "Since 2024 all our sites run on renewable electricity, and our direct emissions are down 38%.",
        "https://www.lumarelle.example/rse",
        0,
    ),
    (
        "solaire-residentiel",
        "Un toit solaire en une journée",
        "Une installation solaire posée en une journée et suivie depuis une application : 12 000 foyers ont "
        "déjà franchi le pas.",
        "Solar installed in a day and followed from an app: 12,000 homes have made the switch.",
        "https://www.lumarelle.example/solaire",
        0,
    ),
    (
        "solaire-residentiel",
        "Salon de l'habitat (sous embargo)",
        "Retrouvez-nous au salon de l'habitat de Lyon pour découvrir notre nouvelle offre solaire.",
        "Meet us at the Lyon home show to discover our new solar offer.",
        "https://www.lumarelle.example/salon",
        5,
    ),
    (
        "innovation",
        "Prix de l'innovation 2025 (expiré)",
        "Notre onduleur compact a reçu le prix de l'innovation énergétique 2025.",
        "Our compact inverter won the 2025 energy innovation award.",
        "https://www.lumarelle.example/prix",
        -3,
    ),
]

# Ambassadors make each post their own: an opening and a closing of their own around the news.
OPENINGS = [
    "Je suis allée voir l'équipe cette semaine et j'en reviens impressionnée.",
    "Petite fierté du jour au bureau.",
    "Ce qui me plaît dans mon métier, c'est de voir ce genre de résultat concret.",
    "On en parlait à la machine à café ce matin :",
    "Après quinze ans dans l'énergie, je mesure le chemin parcouru.",
    "Une nouvelle que j'attendais depuis longtemps !",
    "Je partage parce que c'est le travail de collègues que j'admire.",
    "Vu de mon poste de technicien, voilà ce que ça change :",
]
CLOSINGS = [
    "Curieux d'avoir vos retours. #collaborateur",
    "Bravo à toute l'équipe ! #collaborateur",
    "Fier d'y contribuer à ma petite échelle. #collaborateur",
    "Des questions ? Je réponds volontiers. #collaboratrice",
    "La suite s'annonce passionnante. #collaborateur",
    "Merci aux collègues qui rendent ça possible. #collaboratrice",
]


def _topic(context: "DemoContext", slug: str, name: str) -> Topic:
    topic, _created = Topic.objects.get_or_create(organization=context.organization, slug=slug, defaults={"name": name})
    return topic


def _houses(context: "DemoContext") -> dict[str, Topic]:
    director = context.personas["communication_director"]
    topics = {}
    for slug, (name, core, hashtags, items) in HOUSES.items():
        topic = topics[slug] = _topic(context, slug, name)
        draft = services.start_house_draft(topic=topic, actor=director)
        fields = HouseFields(core_message=core, hashtags=hashtags, summary="Première version",
                             say="Parlez de ce que vous voyez dans votre travail.",
                             avoid="Aucun chiffre non publié, aucun client nommé, aucun prix.")  # fmt: skip
        services.save_house_draft(version=draft, actor=director, fields=fields, items=items)
        services.submit_house_version(version=draft, actor=director)
        services.approve_house_version(version=draft, actor=director)
    # The employer-brand house's next version waits for the director's approval.
    manager = context.personas["community_manager"]
    draft = services.start_house_draft(topic=topics["marque-employeur"], actor=manager)
    extra = ItemData(STORY, "Trois collègues racontent leur reconversion vers les métiers du solaire.")
    services.save_house_draft(version=draft, actor=manager, fields=HouseFields(core_message=draft.core_message,
                              hashtags=draft.hashtags, summary="Ajout d'une histoire"),
                              items=[*(_copy(item) for item in draft.items.all()), extra])  # fmt: skip
    services.submit_house_version(version=draft, actor=manager)
    return topics


def _copy(item: MessageItem) -> ItemData:
    return ItemData(item.kind, item.text, item.level, item.language, item.source, item.answer)


def _days(now: datetime.datetime, days: int) -> datetime.datetime | None:
    return now + datetime.timedelta(days=days) if days else None


def _library(context: "DemoContext", topics: dict[str, Topic]) -> list[ContentItem]:
    director, manager = context.personas["communication_director"], context.personas["community_manager"]
    now = timezone.now()
    published = []
    for slug, title, french, english, link, days in POSTS:
        data = ContentData(
            topic=topics[slug], title=title, link=link, hashtags=HOUSES[slug][2],
            networks=[Network.LINKEDIN, Network.X, Network.BLUESKY, Network.MASTODON],
            variants=[VariantData("fr", "general", french), VariantData("en", "general", english)],
            visible_from=_days(now, max(days, 0)), visible_until=_days(now, min(days, 0)),
        )  # fmt: skip
        item = services.save_content(organization=context.organization, actor=manager, data=data)
        for event in ("submitted", "approved", "published"):
            services.move_content(item=item, actor=manager if event == "submitted" else director, event=event)
        if not days:
            published.append(item)
    services.expire_content()
    for slug, title, text, comment in DRAFTS:
        data = ContentData(
            topic=topics[slug], title=title, networks=[Network.LINKEDIN, Network.X],
            link="https://www.lumarelle.example/" + slug, variants=[VariantData("fr", "general", text)],
        )  # fmt: skip
        item = services.save_content(organization=context.organization, actor=manager, data=data)
        if comment:
            services.move_content(item=item, actor=manager, event="submitted", comment="Chiffre validé par les RH.")
            services.comment_content(item=item, actor=director, body=comment)
    return published


# Posts still with the team: (topic slug, title, French text, the director's comment if in review).
DRAFTS = [
    ("rse", "Journée du vélo (brouillon)", "Ce jeudi, on vient au travail à vélo : atelier réparation à Lyon.", ""),
    ("marque-employeur", "Alternance 2026 (en relecture)",
     "Nous recrutons 40 alternants pour la rentrée 2026 dans les métiers du solaire.",
     "Ajoutons le lien vers les témoignages ?"),
]  # fmt: skip


def _shares(context: "DemoContext", items: list[ContentItem]) -> None:
    if active_crisis(context.organization) is not None:
        return  # a crisis started by an earlier step refuses every share, as it should
    rng = context.rng("load_content")
    ambassadors = list(
        User.objects.filter(organization=context.organization, is_active=True, roles__role=Role.AMBASSADOR).order_by(
            "pk"
        )[:12]
    )
    networks = [Network.LINKEDIN, Network.X, Network.BLUESKY]
    for index, person in enumerate(ambassadors):
        for offset, item in enumerate(items):
            if (index + offset) % 3 == 2:
                continue  # nobody shares everything
            variant = item.variants.get(language="en" if person.language == "en" else "fr")
            # Two ambassadors sharing the same post never draw the same opening and closing.
            opening = OPENINGS[(index + offset) % len(OPENINGS)]
            closing = CLOSINGS[(index // len(OPENINGS) + offset) % len(CLOSINGS)]
            network = networks[(index + offset) % len(networks)]
            # X and Bluesky are short: their own words and the link; LinkedIn gets the news too.
            body = opening if network in {Network.X, Network.BLUESKY} else f"{opening}\n\n{variant.text}"
            text = f"{body}\n\n{closing} {person.full_name.split()[0]}"
            share = sharing.share(
                sharing.ShareRequest(person=person, item=item, variant=variant, network=network, text=text)
            )
            _date_back(context, share, days_ago=rng.randint(1, 25), clicks_count=rng.randint(0, 40))


def _date_back(context: "DemoContext", share: Share, *, days_ago: int, clicks_count: int) -> None:
    moment = timezone.make_aware(
        datetime.datetime.combine(context.today - datetime.timedelta(days=days_ago), datetime.time(9))
    )
    Share.objects.filter(pk=share.pk).update(created_at=moment)
    if share.tracked_link_id is None:
        return
    for click in range(clicks_count):
        at = moment.timestamp() + 3600 * (click % 72)
        referer = ("https://www.linkedin.com/", "https://t.co/", "")[click % 3]
        clicks.buffer.add(
            link_id=share.tracked_link_id, method="GET", referer=referer, user_agent="Mozilla/5.0", now=at
        )
    clicks.buffer.flush()


def load_content(context: "DemoContext") -> None:
    """Message houses for four topics, a content library with embargoed and expired posts, shares with clicks."""
    topics = _houses(context)
    published = _library(context, topics)
    _shares(context, published)
