"""Demo of the official voice's editorial side: four demo channels, three campaigns, a month of posts.

Everything goes through the services: channels are the demo channels of the channels step (they
publish to nothing real), posts are composed by the community manager, and approved by the
director (and by compliance for the sensitive ones), so the approved posts sit in the outbox
as scheduled dispatches. Posts are spread over the coming month in every editorial state, and
the past weeks hold posts the outbox published (dated back, as the asks step does).
"""

import datetime
from typing import TYPE_CHECKING, NamedTuple

from django.utils import timezone

from portevoix.channels.models import Channel, Dispatch
from portevoix.channels.publishing import publish_dispatch
from portevoix.channels.services import create_demo_channel
from portevoix.lib.networks import Network
from portevoix.publishing import selectors, services
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


# Posts of the past weeks, published by the outbox itself through the demo connector.
PUBLISHED = (
    (-24, 9, 2, "Résultats annuels", "Nos résultats annuels sont en ligne, avec notre trajectoire climat."),
    (-20, 12, None, "Nouvelle agence à Rennes", "Lumarelle ouvre une agence à Rennes : bienvenue aux 15 collègues !"),
    (-16, 9, 1, "Lancement de la campagne alternance", "Notre campagne de recrutement en alternance commence."),
    (-12, 17, 0, "Teaser semaine de l'hydrogène", "Dans quinze jours, la semaine de l'hydrogène : restez connectés !"),
    (-8, 10, None, "Bilan sécurité", "Un trimestre sans accident grave sur nos sites : merci à toutes et à tous."),
    (-5, 9, 2, "Label bas carbone", "Notre site de Fos obtient le label bas carbone pour sa production."),
    (
        -2,
        14,
        1,
        "Témoignage de tutrice",
        "Nadia, tutrice depuis dix ans, partage ses conseils aux nouveaux alternants.",
    ),
)


def _at(start: datetime.date, days: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(start + datetime.timedelta(days=days), datetime.time(hour)))


def _campaign(campaigns: list[Campaign], index: int | None) -> Campaign | None:
    return campaigns[index] if index is not None else None


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
    services.submit_post(actor=manager, post=post, sends_emails=False)
    if state == "in_review":
        return
    if state == "awaiting_legal":  # the communication step approved, legal's turn
        services.decide_post(actor=director, post=post, kind="approved", revision=post.revision, sends_emails=False)
        return
    if state == "changes_requested":
        comment = "Ajoutez une photo et le lien vers l'offre, s'il vous plaît."
        services.decide_post(
            actor=director, post=post, kind=state, comment=comment, revision=post.revision, sends_emails=False
        )
    elif state == "rejected":
        comment = "Le job dating est reporté : ne l'annonçons pas."
        services.decide_post(
            actor=director, post=post, kind=state, comment=comment, revision=post.revision, sends_emails=False
        )
    else:
        services.decide_post(actor=director, post=post, kind="approved", revision=post.revision, sends_emails=False)


def _publish_in_the_past(post: Post, when: datetime.datetime, context: "DemoContext") -> None:
    """Approve a post like the others, then date it back and let the outbox send it, as it did then."""
    services.submit_post(actor=context.personas["community_manager"], post=post, sends_emails=False)
    deciders = {"communication_director": "communication_director", "compliance_officer": "compliance_officer"}
    while (step := selectors.current_step(post)) is not None:
        decider = context.personas[deciders[step.role]]
        services.decide_post(actor=decider, post=post, kind="approved", revision=post.revision, sends_emails=False)
        post.refresh_from_db()
    Post.objects.filter(pk=post.pk).update(scheduled_at=when, approved_at=when - datetime.timedelta(days=1))
    for dispatch in Dispatch.objects.filter(organization=post.organization, source_key=post.source_key):
        Dispatch.objects.filter(pk=dispatch.pk).update(scheduled_at=when, next_attempt_at=when)
        publish_dispatch(dispatch.pk, worker="demo")
        Dispatch.objects.filter(pk=dispatch.pk).update(published_at=when)


def _demo_channels(context: "DemoContext") -> list[Channel]:
    """The demo channels of the channels step, made here only if that step made none."""
    existing = list(Channel.objects.filter(organization=context.organization, is_demo=True).order_by("pk"))
    if existing:
        return existing
    manager, director = context.personas["community_manager"], context.personas["communication_director"]
    return [
        create_demo_channel(
            organization=context.organization, network=network, name=name, handle=handle, owner=manager, actor=director
        )
        for network, name, handle in CHANNELS
    ]


def load_official(context: "DemoContext") -> None:
    """Demo channels, campaigns, the default approval steps and a month of official posts."""
    manager = context.personas["community_manager"]
    channels = _demo_channels(context)
    campaigns = [save_campaign(actor=manager, name=name, colour=colour) for name, colour in CAMPAIGNS]
    ensure_default_steps(context.organization)
    rng = context.rng("load_official")
    # Posts never go out in the past: the month starts tomorrow, even for a demo dated back.
    start = max(context.today, timezone.localdate())
    for row in POSTS:
        campaign = _campaign(campaigns, row.campaign)
        chosen = rng.sample(channels, k=rng.randint(2, len(channels)))
        post = _compose(manager, chosen, campaign, row, start)
        _bring_to(post, row.state, context)
    for days, hour, index, title, message in PUBLISHED:
        later = DemoPost(days=1, hour=hour, campaign=index, title=title, message=message, state="", is_sensitive=False)
        post = _compose(
            manager, rng.sample(channels, k=rng.randint(2, len(channels))), _campaign(campaigns, index), later, start
        )
        _publish_in_the_past(post, _at(context.today, days, hour), context)
    services.save_post(
        actor=manager,
        composition=services.Composition(
            title="Idée : série sur nos métiers",
            message="Une série de portraits de nos techniciens, un par semaine.",
            variants={channels[0]: "Une série de portraits de nos techniciens, un par semaine."},
        ),
    )
