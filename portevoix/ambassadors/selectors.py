"""Reads of the ambassador programme, always scoped to the viewer's organisation."""

from dataclasses import dataclass

from portevoix.accounts.models import User
from portevoix.ambassadors.models import AmbassadorProfile, Audience, DeclaredNetwork, Network


@dataclass(frozen=True)
class NetworkPresence:
    """A network a person declared: where they post, as whom, and to how many people (a range).

    `instance` is the Mastodon server's domain (e.g. "mastodon.social"), empty for other networks.
    """

    network: Network
    handle: str
    instance: str
    audience: Audience

    @property
    def label(self) -> str:
        return str(self.network.label)


def declared_networks(user: User) -> list[NetworkPresence]:
    """The networks a person declared in their ambassador profile, in a fixed order; empty if none."""
    rows = DeclaredNetwork.objects.filter(profile__person=user).order_by("network")
    return [
        NetworkPresence(
            network=Network(row.network), handle=row.handle, instance=row.instance, audience=Audience(row.audience)
        )
        for row in rows
    ]


def profile_of(user: User) -> AmbassadorProfile | None:
    """A person's declared profile, or None until they fill it in."""
    return AmbassadorProfile.objects.filter(person=user).first()
