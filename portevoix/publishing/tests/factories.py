"""Official posts built through the real services, so tests obey the same rules as people do."""

import datetime

from django.utils import timezone

from portevoix.accounts.models import User
from portevoix.channels import services as channel_services
from portevoix.channels.models import Channel
from portevoix.lib.networks import Network
from portevoix.publishing import services
from portevoix.publishing.models import Campaign, Post
from portevoix.publishing.setup import save_campaign

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def channel(owner: User, network: Network = Network.MASTODON, name: str = "Acme sur Mastodon") -> Channel:
    return channel_services.create_demo_channel(
        organization=owner.organization, network=network, name=name, handle="@acme", owner=owner, actor=owner
    )


def campaign(actor: User, name: str = "Salon VivaTech", colour: str = "green") -> Campaign:
    return save_campaign(actor=actor, name=name, colour=colour)


def later(days: int = 3, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def compose(
    author: User,
    channels: list[Channel],
    *,
    message: str = "Nous serons au salon VivaTech la semaine prochaine, venez nous voir !",
    title: str = "Annonce VivaTech",
    at: datetime.datetime | None = None,
    is_sensitive: bool = False,
    campaign: Campaign | None = None,
) -> Post:
    composition = services.Composition(
        title=title,
        message=message,
        variants=dict.fromkeys(channels, message),
        campaign=campaign,
        is_sensitive=is_sensitive,
        scheduled_at=at or later(),
    )
    return services.save_post(actor=author, composition=composition)
