"""Demo of the official voice's editorial side: four demo channels, three campaigns, a month of posts.

Everything goes through the services: channels are the channels app's demo channels (they
publish to nothing real), posts are composed by the community manager, and approved by the
director (and by compliance for the sensitive ones), so the approved posts sit in the outbox
as scheduled dispatches. Posts are spread over the coming month in every editorial state.
"""

import datetime
from typing import TYPE_CHECKING, NamedTuple

from django.utils import timezone

from portevoix.channels.models import Channel
from portevoix.channels.services import create_demo_channel
from portevoix.lib.networks import Network
from portevoix.publishing import services
from portevoix.publishing.models import Campaign, Post
from portevoix.publishing.setup import ensure_default_steps, save_campaign

if TYPE_CHECKING:
    from portevoix.accounts.models import User
    from portevoix.demo.loaders import DemoContext

CHANNELS = (
    (Network.LINKEDIN, "Lumarelle Énergie", "lumarelle-energie"),
    (Network.X, "Lumarelle", "@lumarelle"),
    (Network.MASTODON, "Lumarelle sur Mastodon", "@lumarelle@social.example"),
    (Network.BLUESKY, "Lumarelle", "@lumarelle.example"),
)
CAMPAIGNS = (
    ("Semaine de l'hydrogène", "teal"),
    ("Recrutement alternance", "orange"),
    ("Résultats et RSE", "purple"),
)


class DemoPost(NamedTuple):
    days: int  # from the first day of the demo's month
    hour: int
    campaign: int | None  # index in CAMPAIGNS
    title: str
    message: str
    state: str  # the editorial state the demo brings it to
    is_sensitive: bool


POSTS = tuple(
    DemoPost(*row)
    for row in (
        (
            1,
            9,
            0,
            "Ouverture de la semaine",
            "La semaine de l'hydrogène commence : cinq jours pour découvrir nos sites et nos équipes. #hydrogène",
            "scheduled",
            False,
        ),
        (
            2,
            12,
            0,
            "Visite du site de Fos",
            "Nos électrolyseurs de Fos-sur-Mer en images : une visite guidée avec l'équipe d'exploitation.",
            "scheduled",
            False,
        ),
        (
            3,
            18,
            0,
            "Webinaire hydrogène",
            "Jeudi à 18 h, webinaire ouvert à tous : comment produire un hydrogène bas carbone ?",
            "in_review",
            False,
        ),
        (
            4,
            10,
            1,
            "Forum alternance",
            "Nous recrutons 40 alternants pour la rentrée : ingénierie, maintenance, support. Venez au forum !",
            "scheduled",
            False,
        ),
        (
            5,
            9,
            1,
            "Portrait d'alternante",
            "Camille, alternante en maintenance à Lyon, raconte sa première année chez Lumarelle.",
            "changes_requested",
            False,
        ),
        (
            6,
            11,
            None,
            "Journée portes ouvertes",
            "Portes ouvertes samedi sur notre site de Grenoble : familles bienvenues.",
            "draft",
            False,
        ),
        (
            8,
            9,
            2,
            "Rapport RSE",
            "Notre rapport RSE 2025 est en ligne : émissions, sécurité, diversité, tout y est.",
            "awaiting_legal",
            True,
        ),
        (
            9,
            14,
            0,
            "Partenariat universitaire",
            "Nouveau partenariat avec l'université Grenoble Alpes pour former aux métiers de l'hydrogène.",
            "scheduled",
            False,
        ),
        (
            10,
            9,
            None,
            "Sécurité au travail",
            "365 jours sans accident sur le site de Dunkerque : bravo aux équipes !",
            "scheduled",
            False,
        ),
        (
            11,
            16,
            1,
            "Job dating",
            "Job dating en ligne mardi : 20 minutes pour rencontrer nos recruteurs.",
            "rejected",
            False,
        ),
        (
            13,
            10,
            2,
            "Assemblée générale",
            "L'assemblée générale des actionnaires se tiendra le mois prochain ; les documents sont disponibles.",
            "in_review",
            True,
        ),
        (15, 9, 0, "Bilan de la semaine", "Merci aux 2 000 visiteurs de la semaine de l'hydrogène !", "draft", False),
        (
            16,
            11,
            None,
            "Newsletter clients",
            "La lettre d'information de Lumarelle est parue : tarifs, conseils d'économie d'énergie, actualités.",
            "scheduled",
            False,
        ),
        (
            18,
            9,
            1,
            "Témoignage d'apprenti",
            "Yanis, apprenti électrotechnicien, nous parle de son parcours.",
            "scheduled",
            False,
        ),
        (
            20,
            15,
            None,
            "Conférence énergie",
            "Retrouvez notre directrice technique au salon Energaïa.",
            "in_review",
            False,
        ),
        (
            22,
            9,
            2,
            "Indicateurs trimestriels",
            "Nos indicateurs environnementaux du trimestre, en toute transparence.",
            "draft",
            True,
        ),
        (
            24,
            10,
            None,
            "Fête de l'énergie",
            "Animations pour petits et grands dans nos agences pour la fête de l'énergie.",
            "scheduled",
            False,
        ),
        (
            27,
            9,
            1,
            "Fin des candidatures",
            "Dernière semaine pour candidater à nos offres d'alternance !",
            "scheduled",
            False,
        ),
    )
)


def _at(start: datetime.date, days: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(start + datetime.timedelta(days=days), datetime.time(hour)))


def _compose(
    author: "User", channels: list[Channel], campaign: Campaign | None, row: DemoPost, start: datetime.date
) -> Post:
    composition = services.Composition(
        title=row.title,
        message=row.message,
        variants=dict.fromkeys(channels, row.message),
        campaign=campaign,
        is_sensitive=row.is_sensitive,
        scheduled_at=_at(start, row.days, row.hour),
    )
    return services.save_post(actor=author, composition=composition)


def _bring_to(post: Post, state: str, context: "DemoContext") -> None:
    manager = context.personas["community_manager"]
    director = context.personas["communication_director"]
    if state == "draft":
        return
    services.submit_post(actor=manager, post=post)
    if state == "in_review":
        return
    if state == "awaiting_legal":  # the communication step approved, legal's turn
        services.decide_post(actor=director, post=post, kind="approved", revision=post.revision)
        return
    if state == "changes_requested":
        comment = "Ajoutez une photo et le lien vers l'offre, s'il vous plaît."
        services.decide_post(actor=director, post=post, kind=state, comment=comment, revision=post.revision)
    elif state == "rejected":
        comment = "Le job dating est reporté : ne l'annonçons pas."
        services.decide_post(actor=director, post=post, kind=state, comment=comment, revision=post.revision)
    else:
        services.decide_post(actor=director, post=post, kind="approved", revision=post.revision)


def load_official(context: "DemoContext") -> None:
    """Demo channels, campaigns, the default approval steps and a month of official posts."""
    manager = context.personas["community_manager"]
    director = context.personas["communication_director"]
    channels = [
        create_demo_channel(
            organization=context.organization, network=network, name=name, handle=handle, owner=manager, actor=director
        )
        for network, name, handle in CHANNELS
    ]
    campaigns = [save_campaign(actor=manager, name=name, colour=colour) for name, colour in CAMPAIGNS]
    ensure_default_steps(context.organization)
    rng = context.rng("load_official")
    # Posts never go out in the past: the month starts tomorrow, even for a demo dated back.
    start = max(context.today, timezone.localdate())
    for row in POSTS:
        campaign = campaigns[row.campaign] if row.campaign is not None else None
        chosen = rng.sample(channels, k=rng.randint(2, len(channels)))
        post = _compose(manager, chosen, campaign, row, start)
        _bring_to(post, row.state, context)
    services.save_post(
        actor=manager,
        composition=services.Composition(
            title="Idée : série sur nos métiers",
            message="Une série de portraits de nos techniciens, un par semaine.",
            variants={channels[0]: "Une série de portraits de nos techniciens, un par semaine."},
        ),
    )
