"""The demo company's official channels: demo channels (they publish to nothing real) on four
networks, a few posts already published through the outbox and a few scheduled in the coming days."""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.channels import publishing, services
from portevoix.lib.networks import Network

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext

CHANNELS = [
    (Network.LINKEDIN, "Lumarelle Énergie — LinkedIn", "lumarelle-energie"),
    (Network.MASTODON, "Lumarelle Énergie — Mastodon", "@lumarelle@social.example"),
    (Network.BLUESKY, "Lumarelle Énergie — Bluesky", "@lumarelle.example"),
    (Network.X, "Lumarelle Énergie — X", "@LumarelleFR"),
]
PUBLISHED = [
    (9, "Notre parc éolien de la Beauce produit désormais l'équivalent de la consommation de 40 000 foyers."),
    (5, "Bienvenue aux 24 alternants qui nous rejoignent cette année ! #collaborateur"),
    (2, "Nos équipes étaient au salon Energaïa cette semaine : merci pour vos visites."),
]
SCHEDULED = [
    (1, "Le rapport RSE 2025 est en ligne : objectifs, résultats, et ce qui reste à faire."),
    (3, "Portes ouvertes du site de Lorient samedi : venez découvrir le stockage par batteries."),
]


def load_channels(context: "DemoContext") -> None:
    """Four demo channels owned by the community manager; published posts went through the real outbox."""
    manager = context.personas["community_manager"]
    channels = [
        services.create_demo_channel(
            organization=context.organization, network=network, name=name, handle=handle, owner=manager, actor=manager
        )
        for network, name, handle in CHANNELS
    ]
    now = timezone.now()
    for number, (days_ago, text) in enumerate(PUBLISHED):
        for channel in channels[:2]:
            dispatch = services.schedule_dispatch(
                channel=channel,
                source_key=f"demo:published:{number}",
                text=text,
                scheduled_at=now - datetime.timedelta(days=days_ago),
                actor=manager,
            )
            publishing.publish_dispatch(dispatch.pk, worker="demo-loader")
    for number, (days_ahead, text) in enumerate(SCHEDULED):
        for channel in channels:
            services.schedule_dispatch(
                channel=channel,
                source_key=f"demo:scheduled:{number}",
                text=text,
                scheduled_at=now + datetime.timedelta(days=days_ahead, hours=1),
                actor=manager,
            )
