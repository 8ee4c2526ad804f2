"""The demo ambassador programme of Lumarelle Énergie: four topics with targets, declared profiles,
ambassadors who joined through invitations (with their consent on record), a past campaign with
accepted, declined and pending answers, an invitation waiting for the employee persona, and
population rules. Targets are set so that the coverage matrix has both filled and missing places."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.accounts.models import Department, Population, User
from portevoix.accounts.roles import Role
from portevoix.ambassadors import candidates, invitations, population_rules, services
from portevoix.ambassadors.models import Audience, ConsentRecord, Invitation, InvitationCampaign, Topic
from portevoix.ambassadors.population_rules import RuleConditions
from portevoix.ambassadors.services import NetworkDeclaration, TopicFields
from portevoix.lib.networks import Network

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext


@dataclass(frozen=True)
class DemoTopic:
    slug: str
    name: str
    description: str
    keywords: str
    populations: tuple[str, ...]
    targets: dict[tuple[str, str], int]
    departments: tuple[str, ...]  # whose ambassadors speak about it


TOPICS = (
    DemoTopic(
        "solaire-residentiel",
        "Solaire résidentiel",
        "Les panneaux et batteries que nous posons chez les particuliers, l'autoconsommation, les économies d'énergie.",
        "solaire, photovoltaïque, autoconsommation, efficacité énergétique, réseaux électriques",
        ("experts", "spokespeople"),
        {
            ("language", "fr"): 8,
            ("language", "en"): 4,
            ("network", "linkedin"): 10,
            ("network", "x"): 2,
            ("network", "mastodon"): 2,
        },
        ("Ingénierie", "Ventes", "Direction générale", "Supply chain", "Service client"),
    ),
    DemoTopic(
        "innovation",
        "Innovation",
        "Les batteries et électrolyseurs de notre R&D, le stockage d'énergie et les partenariats de recherche.",
        "innovation, batteries, hydrogène, stockage d'énergie, électrochimie, recherche",
        ("experts",),
        {("language", "fr"): 3, ("language", "en"): 6, ("network", "linkedin"): 5, ("network", "bluesky"): 2},
        ("R&D", "Systèmes d'information"),
    ),
    DemoTopic(
        "marque-employeur",
        "Marque employeur",
        "La vie chez Lumarelle, nos métiers, l'alternance et nos offres d'emploi.",
        "recrutement, marque employeur, alternance, carrières, métiers",
        ("young-talents", "hr", "social-media-enthusiasts"),
        {
            ("language", "fr"): 10,
            ("language", "en"): 2,
            ("network", "linkedin"): 8,
            ("network", "facebook"): 3,
            ("network", "threads"): 1,
        },
        ("Ressources humaines", "Marketing", "Communication", "Finance"),
    ),
    DemoTopic(
        "rse",
        "RSE",
        "Biodiversité autour de nos sites, emploi local, mécénat et dialogue avec les territoires.",
        "RSE, biodiversité, territoires, mécénat",
        ("communication", "high-potentials"),
        {("language", "fr"): 3, ("language", "en"): 2, ("network", "linkedin"): 3, ("network", "facebook"): 1},
        ("Juridique & Conformité", "Communication"),
    ),
)

EXPERTISE = {
    "R&D": "hydrogène, stockage d'énergie, électrochimie",
    "Ingénierie": "solaire, réseaux électriques, éolien",
    "Communication": "relations presse, RSE",
    "Ressources humaines": "recrutement, alternance",
    "Marketing": "offres vertes, marque employeur",
    "Ventes": "efficacité énergétique, énergie pour les entreprises",
    "Juridique & Conformité": "RSE, droit de l'énergie",
}
# Share of ambassadors present on each network, and Mastodon servers they use.
NETWORK_SHARES = {Network.LINKEDIN: 0.9, Network.X: 0.3, Network.BLUESKY: 0.15, Network.MASTODON: 0.1,
                  Network.FACEBOOK: 0.15, Network.THREADS: 0.1}  # fmt: skip
INSTANCES = ("mastodon.social", "piaille.fr", "mastodon.green")
LAUNCH_DAYS_AGO = 120
CAMPAIGN_DAYS_AGO = 20
RECENT_DAYS_AGO = 3


def _moment(context: "DemoContext", days_ago: int, hour: int = 10) -> datetime.datetime:
    day = context.today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _topics(context: "DemoContext") -> list[Topic]:
    director = context.personas["communication_director"]
    populations = dict(Population.objects.filter(organization=context.organization).values_list("slug", "pk"))
    # The content step makes the same topics (same slugs) for its message houses: whichever runs
    # first creates a topic, the other completes it.
    existing = {topic.slug: topic for topic in Topic.objects.filter(organization=context.organization)}
    return [
        services.save_topic(
            organization=context.organization,
            actor=director,
            fields=TopicFields(
                slug=spec.slug,
                name=spec.name,
                description=spec.description,
                keywords=spec.keywords,
                population_ids=frozenset(populations[slug] for slug in spec.populations),
                targets=spec.targets,
            ),
            topic=existing.get(spec.slug),
        )
        for spec in TOPICS
    ]


def _declare(context: "DemoContext", person: User, department: str) -> None:
    rng = context.rng(f"load_programme:{person.pk}")
    networks = [
        NetworkDeclaration(
            network=network,
            handle=person.email.split("@")[0],
            instance=rng.choice(INSTANCES) if network == Network.MASTODON else "",
            audience=rng.choices(list(Audience), weights=(5, 4, 2, 1))[0],
        )
        for network, share in NETWORK_SHARES.items()
        if rng.random() < share
    ]
    services.update_profile(
        person=person,
        expertise=EXPERTISE.get(department, "efficacité énergétique"),
        posting_languages=person.language_list,
        is_interested=True,
        networks=networks,
    )


def _invite_and_answer(
    context: "DemoContext", topic: Topic, people: list[User], days_ago: int, answers: list[str]
) -> InvitationCampaign:
    """A campaign to `people`, answered as `answers` says (accepted, declined, or "" for no answer yet)."""
    campaign = invitations.create_campaign(
        organization=context.organization,
        actor=context.personas["communication_director"],
        topic=topic,
        name=f"{topic.name} — {(context.today - datetime.timedelta(days=days_ago)).strftime('%d/%m/%Y')}",
        message=(
            f"Bonjour,\n\nNous cherchons des collègues pour parler de « {topic.name} » sur les réseaux sociaux, "
            "avec leurs mots. Vous seriez parfait·e pour cela.\n\nClaire Vasseur, direction de la communication"
        ),
        people=people,
        sends_emails=False,
    )
    sent = _moment(context, days_ago)
    InvitationCampaign.objects.filter(pk=campaign.pk).update(created_at=sent)
    for invitation, answer in zip(Invitation.objects.filter(campaign=campaign).order_by("id"), answers, strict=True):
        person = invitation.person
        if answer == "accepted":
            invitations.accept_invitation(invitation=invitation, person=person)
        elif answer == "declined":
            invitations.decline_invitation(invitation=invitation, person=person)
        answered = _moment(context, max(days_ago - 2, 0), 14) if answer else None
        Invitation.objects.filter(pk=invitation.pk).update(created_at=sent, emailed_at=sent, answered_at=answered)
        ConsentRecord.objects.filter(invitation=invitation).update(recorded_at=answered or sent)
    return campaign


def _launch(context: "DemoContext", topics: list[Topic]) -> None:
    """The ambassadors chosen by the company joined at the launch, each saying yes to their topics."""
    ambassadors = list(
        User.objects.filter(organization=context.organization, roles__role=Role.AMBASSADOR, is_active=True)
        .select_related("department")
        .order_by("pk")
    )
    rng = context.rng("load_programme")
    chosen: dict[str, list[User]] = {spec.slug: [] for spec in TOPICS}
    for person in ambassadors:
        department = person.department.name if person.department else ""
        _declare(context, person, department)
        for spec in TOPICS:
            if department in spec.departments or (spec.slug == "marque-employeur" and rng.random() < 0.2):
                chosen[spec.slug].append(person)
    by_slug = {topic.slug: topic for topic in topics}
    for slug, people in chosen.items():
        if people:
            _invite_and_answer(context, by_slug[slug], people, LAUNCH_DAYS_AGO, ["accepted"] * len(people))


def _population_rules(context: "DemoContext") -> None:
    director = context.personas["communication_director"]
    communication = Department.objects.get(organization=context.organization, name="Communication")
    population = Population.objects.get(organization=context.organization, slug="communication")
    conditions = RuleConditions(department_ids=frozenset({communication.pk}))
    population_rules.add_rule(population=population, conditions=conditions, actor=director)
    young = Population.objects.get(organization=context.organization, slug="young-talents")
    conditions = RuleConditions(job_title_words=("junior", "alternant", "graduate"))
    population_rules.add_rule(population=young, conditions=conditions, actor=director)


def load_programme(context: "DemoContext") -> None:
    """Topics with coverage gaps, ambassadors spread over them, past and pending invitations."""
    _population_rules(context)
    topics = _topics(context)
    _launch(context, topics)
    employer_brand = next(topic for topic in topics if topic.slug == "marque-employeur")
    found = candidates.candidates_for(topic=employer_brand)
    chosen = [candidate.person for candidate in found if not candidate.is_ambassador][:8]
    answers = ["accepted", "declined", "accepted", "", "declined", "accepted", "", ""][: len(chosen)]
    _invite_and_answer(context, employer_brand, chosen, CAMPAIGN_DAYS_AGO, answers)
    energy = next(topic for topic in topics if topic.slug == "solaire-residentiel")
    _invite_and_answer(context, energy, [context.personas["employee"]], RECENT_DAYS_AGO, [""])
