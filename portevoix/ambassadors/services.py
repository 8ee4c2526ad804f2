"""Writes of the ambassador programme: declared profiles, populations, topics, invitations, consent.

Every change that matters is audited. Nobody becomes an ambassador without saying yes.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.ambassadors.models import AmbassadorProfile, Audience, DeclaredNetwork, Network
from portevoix.audit.services import record

LANGUAGE_CODES = ("fr", "en", "de", "es", "it", "nl", "pt")
# A host name: labels of letters, digits and hyphens, with at least one dot.
_DOMAIN = re.compile(r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class ProgrammeRefused(Exception):
    """A change that cannot be made; the message says why, for the person."""


@dataclass(frozen=True)
class NetworkDeclaration:
    network: Network
    handle: str = ""
    instance: str = ""
    audience: Audience = Audience.UNDER_500


def clean_instance(value: str) -> str:
    """A Mastodon instance as a bare domain ("https://Mastodon.Social/" → "mastodon.social")."""
    domain = value.strip().lower().removeprefix("https://").removeprefix("http://").split("/")[0]
    if not _DOMAIN.fullmatch(domain):
        raise ProgrammeRefused(_("“%(value)s” is not a server address such as mastodon.social.") % {"value": value})
    return domain


def update_profile(
    *,
    person: User,
    expertise: str,
    posting_languages: list[str],
    is_interested: bool,
    networks: list[NetworkDeclaration],
) -> AmbassadorProfile:
    """Replace what a person declares about themselves, all of it or nothing.

    A Mastodon presence needs its instance, since Mastodon's share page lives there.
    """
    unknown = sorted(set(posting_languages) - set(LANGUAGE_CODES))
    if unknown:
        raise ProgrammeRefused(_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)})
    declared: dict[str, NetworkDeclaration] = {}
    for item in networks:
        instance = ""
        if item.network == Network.MASTODON:
            if not item.instance.strip():
                raise ProgrammeRefused(_("Mastodon needs the address of your server, such as mastodon.social."))
            instance = clean_instance(item.instance)
        declared[item.network] = NetworkDeclaration(item.network, item.handle.strip()[:200], instance, item.audience)
    with transaction.atomic():
        profile, _created = AmbassadorProfile.objects.get_or_create(person=person)
        profile.expertise = ", ".join(part.strip() for part in expertise.split(",") if part.strip())[:500]
        profile.posting_languages = ",".join(sorted(set(posting_languages)))
        profile.is_interested = is_interested
        profile.updated_at = timezone.now()
        profile.save(update_fields=["expertise", "posting_languages", "is_interested", "updated_at"])
        DeclaredNetwork.objects.filter(profile=profile).exclude(network__in=list(declared)).delete()
        for item in declared.values():
            DeclaredNetwork.objects.update_or_create(
                profile=profile,
                network=item.network,
                defaults={"handle": item.handle, "instance": item.instance, "audience": item.audience},
            )
        record(
            organization=person.organization,
            actor=person,
            action="ambassador.profile_updated",
            target=person,
            data={"networks": sorted(declared), "is_interested": is_interested},
        )
    return profile
