"""Message houses and suggested posts built through the real services, as the communication team does."""

import datetime
from collections.abc import Sequence

from portevoix.accounts.models import Organization, Population, User
from portevoix.ambassadors.models import Topic
from portevoix.content import services
from portevoix.content.models import ContentItem, MessageHouseVersion, MessageItem
from portevoix.content.services import ContentData, HouseFields, ItemData, VariantData
from portevoix.lib.networks import Network
from portevoix.policies.models import PolicyVersion
from portevoix.policies.tests.check_policy import ACME_POLICY, publish_policy

# Acme's policy of the check tests, with a French disclosure rule for ambassadors.
SHARE_POLICY = (
    ACME_POLICY
    + """
[[rule]]
id = "disclosure-fr"
kind = "disclosure"
clause = "c-2-1"
severity = "info"
scope = ["ambassadors"]
message.fr = "Dites que vous travaillez chez Acme."
message.en = "Say that you work at Acme."
suggestion.fr = "Ajoutez « {wording} »."
suggestion.en = "Add \\"{wording}\\"."
jurisdiction = "FR"
company_names = ["Acme"]
accepted_wordings = ["#collaborateur", "je travaille chez {company}"]
product_names = ["RoadRunner"]
"""
)

SUGGESTION = (
    "Notre nouvelle usine de Lyon produit désormais des panneaux solaires recyclables à 95 %, "
    "une première en Europe pour une installation de cette taille."
)
PERSONAL = (
    "J'ai visité hier l'atelier de Lyon avec mon équipe : voir sortir ces panneaux recyclables "
    "m'a rendu fier du travail de nos techniciens. #collaborateur"
)


def publish_share_policy(organization: Organization, actor: User | None) -> PolicyVersion:
    return publish_policy(organization, actor, SHARE_POLICY)


def make_topic(organization: Organization, slug: str = "innovation", name: str = "Innovation") -> Topic:
    return Topic.objects.create(organization=organization, slug=slug, name=name)


def approved_house(
    topic: Topic, director: User, key_message: str = "Nous innovons pour le solaire."
) -> MessageHouseVersion:
    draft = services.start_house_draft(topic=topic, actor=director)
    services.save_house_draft(
        version=draft,
        actor=director,
        fields=HouseFields(core_message="Le solaire, accessible à tous.", hashtags="#solaire"),
        items=[
            ItemData(kind=MessageItem.Kind.KEY_MESSAGE, text=key_message),
            ItemData(kind=MessageItem.Kind.PROOF_POINT, text="95 % recyclable", source="https://acme.test/rapport"),
            ItemData(
                kind=MessageItem.Kind.HARD_QUESTION, text="Est-ce rentable ?", answer="Oui, en 8 ans.", level="expert"
            ),
        ],
    )
    services.submit_house_version(version=draft, actor=director)
    services.approve_house_version(version=draft, actor=director)
    return draft


def draft_item(
    director: User,
    topic: Topic,
    *,
    title: str = "Usine de Lyon",
    text: str = SUGGESTION,
    language: str = "fr",
    networks: Sequence[Network] = (Network.LINKEDIN, Network.X, Network.MASTODON),
    link: str = "https://acme.test/lyon",
    populations: Sequence[Population] = (),
    is_for_topic_followers_only: bool = False,
    visible_from: datetime.datetime | None = None,
    visible_until: datetime.datetime | None = None,
    variants: Sequence[VariantData] = (),
) -> ContentItem:
    data = ContentData(
        topic=topic,
        title=title,
        networks=list(networks),
        variants=list(variants) or [VariantData(language=language, level="general", text=text)],
        link=link,
        hashtags="#solaire",
        populations=list(populations),
        is_for_topic_followers_only=is_for_topic_followers_only,
        visible_from=visible_from,
        visible_until=visible_until,
    )
    return services.save_content(organization=director.organization, actor=director, data=data)


def published_item(director: User, topic: Topic, **kwargs: object) -> ContentItem:
    item = draft_item(director, topic, **kwargs)  # type: ignore[arg-type]
    for event in ("submitted", "approved", "published"):
        services.move_content(item=item, actor=director, event=event)
    return item
