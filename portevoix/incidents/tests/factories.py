"""Small typed builders for the incident tests; incidents are made through the real services."""

import datetime

from django.utils import timezone

from portevoix.accounts.models import Organization, User
from portevoix.incidents import services
from portevoix.incidents.models import Incident, Severity

OCCURRED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def incident_data(
    owner: User,
    *,
    title: str = "Photo of the Boréal site on LinkedIn",
    severity: int = Severity.HIGH,
    category: str = "legal_confidentiality",
    occurred_at: datetime.datetime = OCCURRED,
    clauses: tuple[str, ...] = (),
    links: tuple[str, ...] = (),
    lessons_learned: str = "",
) -> services.IncidentData:
    return services.IncidentData(
        title=title,
        description="An engineer posted a photo showing the confidential site.",
        occurred_at=occurred_at,
        detected_at=occurred_at + datetime.timedelta(hours=3),
        category=category,
        severity=severity,
        owner=owner,
        clauses=clauses,
        links=links,
        lessons_learned=lessons_learned,
    )


def make_incident(organization: Organization, actor: User, **overrides: object) -> Incident:
    return services.create_incident(
        organization=organization,
        actor=actor,
        data=incident_data(actor, **overrides),  # type: ignore[arg-type]
    )


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)
