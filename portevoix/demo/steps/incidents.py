"""The demo incident register: five risk events of Lumarelle Énergie, at every stage, citing the
clauses of the demo policy (portevoix/demo/policy/lumarelle.toml), so the guidelines editor shows
which clauses incidents concern."""

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.incidents import services
from portevoix.incidents.models import Severity, Status

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext


@dataclass(frozen=True)
class DemoAction:
    description: str
    owner: str  # a persona key
    due_in_days: int  # from the incident's detection
    done_in_days: int | None = None


@dataclass(frozen=True)
class DemoIncident:
    title: str
    description: str
    days_ago: int
    category: str
    severity: int
    owner: str
    clauses: tuple[str, ...]
    links: tuple[str, ...] = ()
    status: str = Status.OPEN
    lessons_learned: str = ""
    actions: tuple[DemoAction, ...] = field(default=())


INCIDENTS = (
    DemoIncident(
        title="Photo du chantier du projet Boréal publiée sur LinkedIn",
        description=(
            "Un technicien a publié une photo de l'équipe devant le chantier du projet Boréal, encore "
            "confidentiel : le panneau du site et la maquette des installations sont lisibles. "
            "La publication a été vue environ 1 200 fois avant son retrait."
        ),
        days_ago=12,
        category="legal_confidentiality",
        severity=Severity.HIGH,
        owner="compliance_officer",
        clauses=("3.1",),
        links=("https://www.linkedin.com/feed/update/urn:li:activity:7140000000000000001/",),
        status=Status.MITIGATED,
        actions=(
            DemoAction("Demander le retrait de la publication à son auteur", "compliance_officer", 1, 0),
            DemoAction("Rappeler la règle des photos aux équipes de chantier", "communication_director", 7),
            DemoAction("Ajouter un exemple « photo de chantier » à la clause 3.1", "compliance_officer", 20),
        ),
    ),
    DemoIncident(
        title="Hostile post accusing Lumarelle of greenwashing",
        description=(
            "An anonymous account posted a doctored photo of a Lumarelle solar farm with the claim that it "
            "replaced a protected wetland. The post was shared about 300 times in two days; several "
            "employees asked whether they should answer it."
        ),
        days_ago=5,
        category="reputation",
        severity=Severity.MEDIUM,
        owner="communication_director",
        clauses=("1.2",),
        links=("https://x.com/example/status/1866000000000000001",),
        status=Status.INVESTIGATING,
        actions=(
            DemoAction("Publish the environmental impact study on the official page", "communication_director", 3),
            DemoAction("Tell ambassadors not to answer the post themselves", "communication_director", 1, 1),
        ),
    ),
    DemoIncident(
        title="Offre Lumasol promue sans mention « je travaille chez Lumarelle »",
        description=(
            "Une ambassadrice a recommandé l'offre d'autoconsommation Lumasol sur Instagram sans dire "
            "qu'elle travaille chez Lumarelle ; un abonné l'a relevé en commentaire."
        ),
        days_ago=40,
        category="reputation",
        severity=Severity.LOW,
        owner="compliance_officer",
        clauses=("2.1",),
        status=Status.CLOSED,
        lessons_learned=(
            "La mention doit figurer dans la publication elle-même, pas seulement dans le profil. "
            "La prochaine version de la charte donnera trois formulations prêtes à copier (clause 2.1), "
            "et le parcours de partage propose désormais la mention automatiquement."
        ),
        actions=(
            DemoAction("Ajouter la mention à la publication", "ambassador", 1, 0),
            DemoAction("Proposer la mention dans le parcours de partage", "communication_director", 14, 10),
        ),
    ),
    DemoIncident(
        title="Look-alike domain lumarelle-energie-support.com used for phishing",
        description=(
            "Customers received messages from lumarelle-energie-support.com asking them to update their bank "
            "details; the site copies Lumarelle's customer area. Two employees shared the link asking if it "
            "was genuine."
        ),
        days_ago=2,
        category="security",
        severity=Severity.CRITICAL,
        owner="compliance_officer",
        clauses=("6.1", "5.1"),
        links=("https://lumarelle-energie-support.com/", "https://www.cert.ssi.gouv.fr/"),
        actions=(
            DemoAction("Ask the registrar to take the domain down", "compliance_officer", 1),
            DemoAction("Add the domain to the blocked links of the policy", "compliance_officer", 2, 0),
            DemoAction("Warn customers on the official accounts", "communication_director", 1, 0),
        ),
    ),
    DemoIncident(
        title="Liste de clients visible sur une capture d'écran de recrutement",
        description=(
            "Une offre d'emploi illustrée par une capture de l'outil commercial laissait lire les noms et "
            "numéros de téléphone de douze clients professionnels."
        ),
        days_ago=75,
        category="security",
        severity=Severity.HIGH,
        owner="communication_director",
        clauses=("5.1", "3.3"),
        status=Status.CLOSED,
        lessons_learned=(
            "Aucune capture d'outil interne dans les publications, même floutée à la main : les visuels de "
            "recrutement passent désormais par l'équipe communication. La clause 5.1 citera cet exemple."
        ),
        actions=(
            DemoAction("Retirer l'offre et la republier avec un autre visuel", "communication_director", 1, 0),
            DemoAction("Informer les clients concernés", "compliance_officer", 3, 2),
        ),
    ),
)


def _at(context: "DemoContext", days_ago: int, hour: int, minute: int) -> datetime.datetime:
    day = context.today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _load_one(context: "DemoContext", spec: DemoIncident) -> None:
    rng = context.rng(f"load_incidents:{spec.title}")
    owner = context.personas[spec.owner]
    occurred = _at(context, spec.days_ago, rng.randint(7, 18), rng.randrange(0, 60, 5))
    detected = occurred + datetime.timedelta(hours=rng.randint(1, 20))
    data = services.IncidentData(
        title=spec.title,
        description=spec.description,
        occurred_at=occurred,
        detected_at=detected,
        category=spec.category,
        severity=spec.severity,
        owner=owner,
        clauses=spec.clauses,
        links=spec.links,
    )
    incident = services.create_incident(organization=context.organization, actor=owner, data=data)
    detected_day = timezone.localtime(detected).date()
    for demo_action in spec.actions:
        action = services.add_action(
            incident=incident,
            actor=owner,
            description=demo_action.description,
            owner=context.personas[demo_action.owner],
            due_on=detected_day + datetime.timedelta(days=demo_action.due_in_days),
        )
        if demo_action.done_in_days is not None:
            done_on = min(detected_day + datetime.timedelta(days=demo_action.done_in_days), context.today)
            services.complete_action(action=action, actor=owner, done_on=done_on)
    if spec.status != Status.OPEN:
        closed_on = min(detected_day + datetime.timedelta(days=21), context.today)
        services.change_status(
            incident=incident,
            actor=owner,
            status=spec.status,
            lessons_learned=spec.lessons_learned,
            closed_on=closed_on if spec.status == Status.CLOSED else None,
        )


def load_incidents(context: "DemoContext") -> None:
    """Five incidents at every stage, with actions (some overdue) and two closed with lessons learned."""
    for spec in INCIDENTS:
        _load_one(context, spec)
