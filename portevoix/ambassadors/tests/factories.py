"""Programme data built through the real services, so tests obey the same rules as people do."""

from portevoix.accounts.models import Organization, Population, User
from portevoix.accounts.services import create_person
from portevoix.ambassadors import invitations, services
from portevoix.ambassadors.models import Audience, Invitation, InvitationCampaign, Topic
from portevoix.ambassadors.services import NetworkDeclaration, TopicFields
from portevoix.lib.networks import Network


def make_topic(
    organization: Organization,
    actor: User,
    *,
    slug: str = "innovation",
    name: str = "Innovation",
    keywords: str = "hydrogen, energy storage",
    populations: list[str] | None = None,
    targets: dict[tuple[str, str], int] | None = None,
) -> Topic:
    population_ids = frozenset(
        Population.objects.filter(organization=organization, slug__in=populations or []).values_list("pk", flat=True)
    )
    fields = TopicFields(
        slug=slug,
        name=name,
        keywords=keywords,
        population_ids=population_ids,
        targets=targets
        if targets is not None
        else {("language", "en"): 2, ("language", "fr"): 1, ("network", "linkedin"): 2},
    )
    return services.save_topic(organization=organization, actor=actor, fields=fields)


def declare(
    person: User,
    *,
    expertise: str = "",
    languages: list[str] | None = None,
    networks: list[NetworkDeclaration] | None = None,
    is_interested: bool = False,
) -> None:
    services.update_profile(
        person=person,
        expertise=expertise,
        posting_languages=languages or [],
        is_interested=is_interested,
        networks=networks or [],
    )


def linkedin(audience: Audience = Audience.UNDER_500) -> NetworkDeclaration:
    return NetworkDeclaration(Network.LINKEDIN, "linkedin.com/in/someone", audience=audience)


def make_person(organization: Organization, name: str, email: str, **kwargs: object) -> User:
    return create_person(organization=organization, email=email, full_name=name, **kwargs)  # type: ignore[arg-type]


def invite(topic: Topic, actor: User, people: list[User], *, sends_emails: bool = False) -> InvitationCampaign:
    return invitations.create_campaign(
        organization=topic.organization,
        actor=actor,
        topic=topic,
        name="Spring",
        message="Would you speak about our work?",
        people=people,
        sends_emails=sends_emails,
    )


def invitation_of(campaign: InvitationCampaign, person: User) -> Invitation:
    return Invitation.objects.get(campaign=campaign, person=person)
