"""Reads of the ambassador programme, always scoped to the viewer's organisation."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from portevoix.accounts.models import Organization, Population, User
from portevoix.accounts.roles import Role
from portevoix.ambassadors.languages import LANGUAGE_CODES, language_name
from portevoix.ambassadors.models import (
    AMBASSADOR_NETWORKS,
    AmbassadorProfile,
    Audience,
    ConsentRecord,
    DeclaredNetwork,
    Invitation,
    InvitationCampaign,
    Topic,
    TopicTarget,
)
from portevoix.lib.networks import Network


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


@dataclass(frozen=True)
class AmbassadorFacts:
    """What coverage counts of one active ambassador: their topics, languages and networks."""

    person_id: int
    topic_ids: frozenset[int]
    languages: frozenset[str]
    networks: frozenset[str]

    def covers(self, dimension: str, value: str) -> bool:
        return value in (self.languages if dimension == TopicTarget.Dimension.LANGUAGE else self.networks)


@dataclass(frozen=True)
class Column:
    dimension: str
    value: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.dimension}:{self.value}"


@dataclass(frozen=True)
class CoverageCell:
    column: Column
    filled: int
    wanted: int | None  # None: no target for this topic here

    @property
    def missing(self) -> int:
        return max((self.wanted or 0) - self.filled, 0)

    @property
    def state(self) -> str:
        if self.wanted is None:
            return "none"
        return "missing" if self.missing else "filled"


@dataclass(frozen=True)
class TopicCoverage:
    topic: Topic
    ambassador_count: int
    cells: list[CoverageCell]

    @property
    def missing(self) -> int:
        return sum(cell.missing for cell in self.cells)

    @property
    def gaps(self) -> list[CoverageCell]:
        return [cell for cell in self.cells if cell.missing]


@dataclass(frozen=True)
class CoverageMatrix:
    columns: list[Column]
    rows: list[TopicCoverage]

    @property
    def language_columns(self) -> list[Column]:
        return [column for column in self.columns if column.dimension == TopicTarget.Dimension.LANGUAGE]

    @property
    def network_columns(self) -> list[Column]:
        return [column for column in self.columns if column.dimension == TopicTarget.Dimension.NETWORK]


def column_for(dimension: str, value: str) -> Column:
    label = language_name(value) if dimension == TopicTarget.Dimension.LANGUAGE else str(Network(value).label)
    return Column(dimension=dimension, value=value, label=label)


def ambassador_facts(organization: Organization) -> list[AmbassadorFacts]:
    """Every active ambassador of the organisation with a profile, in three queries."""
    profiles = list(
        AmbassadorProfile.objects.filter(
            person__organization=organization, person__is_active=True, person__roles__role=Role.AMBASSADOR
        ).values_list("pk", "person_id", "posting_languages", "person__languages")
    )
    ids = [row[0] for row in profiles]
    topics: dict[int, set[int]] = {}
    for profile_id, topic_id in AmbassadorProfile.topics.through.objects.filter(
        ambassadorprofile_id__in=ids
    ).values_list("ambassadorprofile_id", "topic_id"):
        topics.setdefault(profile_id, set()).add(topic_id)
    networks: dict[int, set[str]] = {}
    for profile_id, network in DeclaredNetwork.objects.filter(profile_id__in=ids).values_list("profile_id", "network"):
        networks.setdefault(profile_id, set()).add(network)
    return [
        AmbassadorFacts(
            person_id=person_id,
            topic_ids=frozenset(topics.get(profile_id, ())),
            # What they post in, as they declared it; else the languages the directory knows.
            languages=frozenset(code for code in (posting or known).split(",") if code),
            networks=frozenset(networks.get(profile_id, ())),
        )
        for profile_id, person_id, posting, known in profiles
    ]


def coverage_matrix(*, organization: Organization, topic_ids: list[int] | None = None) -> CoverageMatrix:
    """Topics by the languages and networks that have a target: how many ambassadors, how many wanted."""
    topics = Topic.objects.filter(organization=organization, is_active=True).prefetch_related("targets")
    if topic_ids is not None:
        topics = topics.filter(pk__in=topic_ids)
    topic_list = list(topics.order_by("name"))
    wanted = {(t.pk, target.dimension, target.value): target.wanted for t in topic_list for target in t.targets.all()}
    keys = {(dimension, value) for _topic, dimension, value in wanted}
    order: dict[str, int] = {code: index for index, code in enumerate(LANGUAGE_CODES)}
    order.update({str(network): index for index, network in enumerate(AMBASSADOR_NETWORKS)})
    columns = [column_for(d, v) for d, v in sorted(keys, key=lambda key: (key[0] != "language", order[key[1]]))]
    facts = ambassador_facts(organization)
    rows = []
    for topic in topic_list:
        on_topic = [fact for fact in facts if topic.pk in fact.topic_ids]
        cells = [
            CoverageCell(
                column=column,
                filled=sum(fact.covers(column.dimension, column.value) for fact in on_topic),
                wanted=wanted.get((topic.pk, column.dimension, column.value)),
            )
            for column in columns
        ]
        rows.append(TopicCoverage(topic=topic, ambassador_count=len(on_topic), cells=cells))
    return CoverageMatrix(columns=columns, rows=rows)


def topics_of(user: User) -> list[Topic]:
    """The active topics an ambassador speaks about (chosen when they accepted, or in their profile)."""
    return list(Topic.objects.filter(ambassador_profiles__person=user, is_active=True).order_by("name"))


def get_topic_for_user(*, user: User, topic_id: int) -> Topic:
    """A topic of the viewer's organisation; 404 for another organisation's."""
    return get_object_or_404(Topic, organization=user.organization, pk=topic_id)


def get_campaign_for_user(*, user: User, campaign_id: int) -> InvitationCampaign:
    return get_object_or_404(
        InvitationCampaign.objects.select_related("topic", "created_by"), organization=user.organization, pk=campaign_id
    )


def get_population_for_user(*, user: User, population_id: int) -> Population:
    return get_object_or_404(
        Population.objects.select_related("organization"), organization=user.organization, pk=population_id
    )


def get_invitation_for_invitee(*, user: User, token: str) -> Invitation:
    """An invitation by its token, only for the person invited: anyone else gets a 404."""
    return get_object_or_404(
        Invitation.objects.select_related("campaign__topic", "campaign__created_by"),
        token=token,
        person=user,
        campaign__organization=user.organization,
    )


def pending_invitations(user: User) -> list[Invitation]:
    return list(
        Invitation.objects.filter(person=user, status=Invitation.Status.PENDING)
        .select_related("campaign__topic")
        .order_by("-created_at")
    )


def consent_history(user: User) -> list[ConsentRecord]:
    """A person's choices about the programme, newest first."""
    return list(ConsentRecord.objects.filter(person=user).select_related("invitation__campaign__topic", "actor"))


def campaigns(*, organization: Organization) -> QuerySet[InvitationCampaign]:
    """Campaigns, newest first, with how many invitations are in each state."""
    invitations = Q(invitations__status=Invitation.Status.PENDING)
    return (
        InvitationCampaign.objects.filter(organization=organization)
        .select_related("topic", "created_by")
        .annotate(
            invited=Count("invitations"),
            pending=Count("invitations", filter=invitations),
            accepted=Count("invitations", filter=Q(invitations__status=Invitation.Status.ACCEPTED)),
            declined=Count("invitations", filter=Q(invitations__status=Invitation.Status.DECLINED)),
        )
    )


def campaign_invitations(campaign: InvitationCampaign) -> list[Invitation]:
    return list(
        Invitation.objects.filter(campaign=campaign).select_related("person__department").order_by("person__full_name")
    )


def ambassadors_of(*, organization: Organization, topic: Topic | None = None) -> QuerySet[User]:
    people = User.objects.filter(organization=organization, is_active=True, roles__role=Role.AMBASSADOR)
    if topic is not None:
        people = people.filter(ambassador_profile__topics=topic)
    return people.select_related("department").order_by("full_name", "id")


def populations_with_rules(*, organization: Organization) -> QuerySet[Population]:
    return (
        Population.objects.filter(organization=organization)
        .annotate(
            members_count=Count("members", filter=Q(members__is_active=True), distinct=True),
            rules_count=Count("rules", distinct=True),
        )
        .order_by("name")
    )
