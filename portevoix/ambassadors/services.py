"""Writes of the ambassador programme: declared profiles, populations, topics, invitations, consent.

Every change that matters is audited. Nobody becomes an ambassador without saying yes.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization, Population, User
from portevoix.ambassadors.languages import LANGUAGE_CODES
from portevoix.ambassadors.models import (
    AMBASSADOR_NETWORK_VALUES,
    AmbassadorProfile,
    Audience,
    DeclaredNetwork,
    Topic,
    TopicTarget,
)
from portevoix.audit.services import record
from portevoix.lib.networks import Network

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
    topics: list[Topic] | None = None,
) -> AmbassadorProfile:
    """Replace what a person declares about themselves, all of it or nothing.

    A Mastodon presence needs its instance, since Mastodon's share page lives there. An
    ambassador may also choose their topics (None leaves them as they are).
    """
    if topics is not None and any(topic.organization_id != person.organization_id for topic in topics):
        raise ProgrammeRefused(_("Unknown topic."))
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
        data: dict[str, object] = {"networks": sorted(declared), "is_interested": is_interested}
        if topics is not None:
            profile.topics.set(topics)
            data["topics"] = sorted(topic.slug for topic in topics)
        record(
            organization=person.organization,
            actor=person,
            action="ambassador.profile_updated",
            target=person,
            data=data,
        )
    return profile


@dataclass(frozen=True)
class TopicFields:
    slug: str
    name: str
    description: str = ""
    keywords: str = ""
    is_active: bool = True
    population_ids: frozenset[int] = frozenset()
    # (dimension, value) → ambassadors wanted; language codes and network keys.
    targets: dict[tuple[str, str], int] = field(default_factory=dict)


def _check_topic(organization: Organization, fields: TopicFields, topic: Topic | None) -> None:
    taken = Topic.objects.filter(organization=organization, slug=fields.slug)
    if topic is not None:
        taken = taken.exclude(pk=topic.pk)
    if taken.exists():
        raise ProgrammeRefused(_("Another topic already has the key “%(slug)s”.") % {"slug": fields.slug})
    if Population.objects.filter(pk__in=fields.population_ids).exclude(organization=organization).exists():
        raise ProgrammeRefused(_("Unknown population."))
    for (dimension, value), wanted in fields.targets.items():
        known = LANGUAGE_CODES if dimension == TopicTarget.Dimension.LANGUAGE else AMBASSADOR_NETWORK_VALUES
        if dimension not in TopicTarget.Dimension.values or value not in known:
            raise ProgrammeRefused(_("Unknown target: %(value)s.") % {"value": value})
        if not 0 <= wanted <= 10_000:
            raise ProgrammeRefused(_("A target is a number of ambassadors between 0 and 10,000."))


def save_topic(*, organization: Organization, actor: User, fields: TopicFields, topic: Topic | None = None) -> Topic:
    """Create or change a topic with its targets (a target of 0 is removed), all of it or nothing."""
    _check_topic(organization, fields, topic)
    with transaction.atomic():
        if topic is None:
            topic = Topic(organization=organization)
        topic.slug, topic.name, topic.description = fields.slug, fields.name.strip(), fields.description.strip()
        topic.keywords = ", ".join(part.strip() for part in fields.keywords.split(",") if part.strip())[:500]
        topic.is_active = fields.is_active
        is_new = topic.pk is None
        topic.save()
        topic.populations.set(fields.population_ids)
        TopicTarget.objects.filter(topic=topic).delete()
        TopicTarget.objects.bulk_create(
            TopicTarget(topic=topic, dimension=dimension, value=value, wanted=wanted)
            for (dimension, value), wanted in sorted(fields.targets.items())
            if wanted > 0
        )
        targets = {f"{dimension}:{value}": wanted for (dimension, value), wanted in fields.targets.items() if wanted}
        action = "ambassador.topic_created" if is_new else "ambassador.topic_changed"
        record(organization=organization, actor=actor, action=action, target=topic, data={"targets": targets})
    return topic
