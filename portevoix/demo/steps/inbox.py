"""The demo inbox: a week of mentions and comments on Lumarelle's official channels, in French and
English, triaged by the demo policy (a hostile one, one posting a phone number, a question during
the quiet period), some assigned, some answered, some done, with saved replies in both languages."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.channels.connectors.base import Interaction
from portevoix.channels.models import Channel
from portevoix.channels.services import create_demo_channel
from portevoix.inbox import services
from portevoix.inbox.models import Message
from portevoix.lib.networks import Network

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext


@dataclass(frozen=True)
class DemoMessage:
    network: Network
    author: str
    name: str
    text: str
    hours_ago: int
    assignee: str = ""  # a persona key
    tags: tuple[str, ...] = ()
    reply: str = ""
    status: str = ""


MESSAGES = (
    DemoMessage(
        Network.LINKEDIN,
        "urn:li:person:marie-lefort",
        "Marie Lefort",
        "Bravo pour la mise en service du parc solaire de Castelnau ! Quelle puissance installée au final ?",
        70,
        assignee="community_manager",
        tags=("solaire",),
        reply="Merci Marie ! 12 MWc, de quoi alimenter environ 5 000 foyers.",
        status=Message.Status.DONE,
    ),
    DemoMessage(
        Network.MASTODON,
        "@jules@piaille.fr",
        "Jules",
        "@lumarelle Vous êtes des escrocs, je vais vous le faire payer, bande d'incapables.",
        30,
        assignee="community_manager",
        tags=("réclamation",),
    ),
    DemoMessage(
        Network.MASTODON,
        "@nadia@mastodon.social",
        "Nadia B.",
        "@lumarelle Ma facture a doublé ce mois-ci, rappelez-moi au 06 12 34 56 78 s'il vous plaît.",
        20,
        tags=("facturation",),
    ),
    DemoMessage(
        Network.LINKEDIN,
        "urn:li:person:tom-harris",
        "Tom Harris",
        "Great to see Lumarelle hiring in Lyon. Is the data engineer role open to remote candidates?",
        26,
        assignee="communication_director",
        tags=("recrutement",),
        reply="Thanks Tom! Two days a week remote; details are in the job post.",
    ),
    DemoMessage(
        Network.MASTODON,
        "@analyste@finance.social",
        "Analyste Énergie",
        "@lumarelle Vous confirmez un chiffre d'affaires en hausse au troisième trimestre ?",
        5,
        tags=("presse",),
    ),
    DemoMessage(
        Network.LINKEDIN,
        "urn:li:person:claire-dumas",
        "Claire Dumas",
        "Votre webinaire sur l'autoconsommation était très clair, merci ! Le replay sera-t-il disponible ?",
        3,
    ),
    DemoMessage(
        Network.MASTODON,
        "@green@techhub.social",
        "Sam Green",
        "@lumarelle any plans to offer home batteries with your solar panels?",
        2,
    ),
    DemoMessage(
        Network.LINKEDIN,
        "urn:li:person:paul-mercier",
        "Paul Mercier",
        "Trois semaines sans réponse du service client pour mon raccordement. Inacceptable.",
        40,
        assignee="community_manager",
        tags=("réclamation", "raccordement"),
    ),
)

SAVED_REPLIES = (
    ("fr", "Remerciement", "Merci pour votre message ! Toute l'équipe Lumarelle vous souhaite une belle journée."),
    (
        "fr",
        "Demande personnelle",
        "Bonjour, pour protéger vos données, écrivez-nous en message privé : "
        "nous reprenons contact avec vous au plus vite.",
    ),
    ("en", "Thanks", "Thank you for your message! The whole Lumarelle team wishes you a great day."),
    (
        "en",
        "Private request",
        "Hello, to protect your data, please send us a private message and we will get back to you shortly.",
    ),
)


def _channels(context: "DemoContext") -> dict[Network, Channel]:
    """The organisation's demo channels by network, created if the official step has not made them."""
    found: dict[Network, Channel] = {}
    for channel in Channel.objects.filter(organization=context.organization, is_demo=True).order_by("pk"):
        found.setdefault(Network(channel.network), channel)
    for network, name, handle in (
        (Network.LINKEDIN, "Lumarelle Énergie (LinkedIn)", "lumarelle-energie"),
        (Network.MASTODON, "Lumarelle sur Mastodon", "@lumarelle@piaille.fr"),
    ):
        if network not in found:
            found[network] = create_demo_channel(
                organization=context.organization,
                network=network,
                name=name,
                handle=handle,
                owner=context.personas["community_manager"],
                actor=None,
            )
    return found


def load_inbox(context: "DemoContext") -> None:
    channels = _channels(context)
    organization = context.organization
    for language, title, text in SAVED_REPLIES:
        services.save_reply_template(
            organization=organization,
            actor=context.personas["community_manager"],
            title=title,
            language=language,
            text=text,
        )
    now = timezone.now()
    for number, item in enumerate(MESSAGES, start=1):
        channel = channels[item.network]
        sent_at = now - datetime.timedelta(hours=item.hours_ago)
        interaction = Interaction(
            remote_id=f"demo-{number}",
            kind="comment" if item.network == Network.LINKEDIN else "mention",
            author_handle=item.author,
            author_name=item.name,
            text=item.text,
            url="",
            created_at=sent_at,
        )
        [message] = services.receive_interactions(channel=channel, interactions=[interaction])
        # Received when it was sent, so the response targets show what is overdue.
        Message.objects.filter(pk=message.pk).update(
            received_at=sent_at, due_at=sent_at + (message.due_at - message.received_at)
        )
        message.refresh_from_db()
        if item.tags:
            services.set_tags(message=message, names=item.tags, actor=context.personas["community_manager"])
        if item.assignee:
            services.assign(
                message=message, assignee=context.personas[item.assignee], actor=context.personas["community_manager"]
            )
        if item.reply:
            author = context.personas[item.assignee or "community_manager"]
            services.reply(message=message, author=author, text=item.reply)
            Message.objects.filter(pk=message.pk).update(first_response_at=sent_at + datetime.timedelta(minutes=50))
        if item.status:
            services.set_status(message=message, status=item.status, actor=context.personas["community_manager"])
