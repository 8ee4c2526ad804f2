import datetime

from django.test import Client

from portevoix.accounts.models import Organization, User
from portevoix.demo.companies import LUMARELLE
from portevoix.demo.loaders import DemoOutcome
from portevoix.incidents.models import Incident, IncidentAction, Status
from portevoix.incidents.selectors import incidents_by_clause, published_clauses
from portevoix.policies.services import active_version

DEMO_DAY = datetime.date(2026, 11, 27)  # the day of the module's demo (conftest.py: demo)


def test_demo_register_has_incidents_at_every_stage_citing_published_clauses(demo: DemoOutcome) -> None:
    lumarelle = Organization.objects.get(slug=LUMARELLE.slug)
    incidents = Incident.objects.filter(organization=lumarelle)

    assert incidents.count() == 5
    assert set(incidents.values_list("status", flat=True)) == set(Status)
    closed = incidents.filter(status=Status.CLOSED)
    assert all(incident.lessons_learned and incident.closed_on for incident in closed)
    organization = lumarelle
    assert active_version(organization) is not None
    published = {clause.anchor for clause in published_clauses(organization=organization) or []}
    cited = set(incidents_by_clause(organization))
    assert cited == {"1.2", "2.1", "3.1", "3.3", "5.1", "6.1"}
    assert cited <= published


def test_demo_has_overdue_actions_and_actions_done(demo: DemoOutcome) -> None:
    overdue = IncidentAction.objects.filter(done_on__isnull=True, due_on__lt=DEMO_DAY)
    done = IncidentAction.objects.filter(done_on__isnull=False)

    assert overdue.exists()
    assert done.filter(done_on__lte=DEMO_DAY).count() == done.count() > 0


def test_demo_compliance_officer_sees_the_register(client: Client, demo: DemoOutcome) -> None:
    client.force_login(User.objects.get(email="conformite@lumarelle.example"))

    response = client.get("/incidents/")

    assert response.status_code == 200
    titles = [incident.title for incident in response.context["page"]]
    assert titles[0] == "Look-alike domain lumarelle-energie-support.com used for phishing"
    assert len(titles) == 5
