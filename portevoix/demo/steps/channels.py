"""The demo company's official channels: demo channels (they publish to nothing real) on four
networks, a few posts already published through the outbox, a few scheduled in the coming days,
and two that went wrong as posts do: one refused by the network (failed), one sent without an
answer and never readable back (unconfirmed: a person must decide)."""

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.channels import publishing, services
from portevoix.channels.connectors.base import ConnectorError, PermanentError, RetryableError
from portevoix.channels.connectors.demo import script_errors
from portevoix.channels.models import Channel, Dispatch
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
REFUSED = "Offre d'alternance : technicien·ne de maintenance éolienne à Chartres. Postulez !"
UNANSWERED = "Merci aux 300 visiteurs de notre site de Fos pour les journées portes ouvertes !"
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
    _went_wrong(context, channels)
    for number, (days_ahead, text) in enumerate(SCHEDULED):
        for channel in channels:
            services.schedule_dispatch(
                channel=channel,
                source_key=f"demo:scheduled:{number}",
                text=text,
                scheduled_at=now + datetime.timedelta(days=days_ahead, hours=1),
                actor=manager,
            )


def _went_wrong(context: "DemoContext", channels: list[Channel]) -> None:
    """One post the network refused, one it never answered for: both raise the owner's alert."""
    manager = context.personas["community_manager"]
    linkedin, x = channels[0], channels[3]
    refused = services.schedule_dispatch(
        channel=x,
        source_key="demo:failed:0",
        text=REFUSED,
        scheduled_at=timezone.now() - datetime.timedelta(days=1, hours=3),
        actor=manager,
    )
    script_errors(
        refused.idempotency_key,
        [PermanentError(_("X refused the post: the same text was posted recently."), status=403)],
    )
    publishing.publish_dispatch(refused.pk, worker="demo-loader")
    unanswered = services.schedule_dispatch(
        channel=linkedin,
        source_key="demo:unconfirmed:0",
        text=UNANSWERED,
        scheduled_at=timezone.now() - datetime.timedelta(hours=20),
        actor=manager,
    )
    # The post left, no answer came; each later look at the account failed too.
    script_errors(
        unanswered.idempotency_key,
        [ConnectorError(_("LinkedIn did not answer within 15 seconds after the post was sent."))]
        + [RetryableError(_("LinkedIn's list of the page's posts could not be read."), status=503)] * 10,
    )
    for _round in range(settings.CHANNELS_MAX_ATTEMPTS):
        if not Dispatch.objects.filter(pk=unanswered.pk, state=Dispatch.State.SCHEDULED).exists():
            break
        # Retries wait a little longer each time; the demo does not wait for them.
        Dispatch.objects.filter(pk=unanswered.pk).update(next_attempt_at=timezone.now())
        publishing.publish_dispatch(unanswered.pk, worker="demo-loader")
    script_errors(unanswered.idempotency_key, [])
