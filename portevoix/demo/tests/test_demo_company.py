"""What the loaded demo holds: Lumarelle's people and personas, who can sign in, Nordlys beside it, the audit chain.

The demo is loaded once for the module (conftest.py: demo); how it loads is tested in test_loader.py.
"""

import pytest
from django.db.models import Count
from django.test import Client

from portevoix.accounts.models import Organization, User, UserRole
from portevoix.accounts.roles import Role
from portevoix.audit.models import AuditEntry
from portevoix.audit.services import verify_chain
from portevoix.demo.companies import LUMARELLE, NORDLYS
from portevoix.demo.loaders import DEMO_PASSWORD, DemoOutcome

PERSONA_ROLES = {
    "direction.communication@lumarelle.example": Role.COMMUNICATION_DIRECTOR,
    "community@lumarelle.example": Role.COMMUNITY_MANAGER,
    "conformite@lumarelle.example": Role.COMPLIANCE_OFFICER,
    "rh@lumarelle.example": Role.HR,
    "ambassadrice@lumarelle.example": Role.AMBASSADOR,
    "employe@lumarelle.example": Role.EMPLOYEE,
    "admin@lumarelle.example": Role.ADMINISTRATOR,
}


def test_demo_company_has_over_300_people_with_managers_populations_and_ambassadors(demo: DemoOutcome) -> None:
    people = User.objects.filter(organization=demo.organization)
    assert people.count() == 320
    assert people.filter(manager__isnull=True).count() == 1  # the chief executive
    assert people.exclude(manager__organization=demo.organization).filter(manager__isnull=False).count() == 0
    assert demo.organization.departments.count() == 12
    assert demo.organization.entities.count() == 4
    # 25 chosen by the company, and 3 who accepted the demo's last invitation campaign (steps/programme.py).
    assert UserRole.objects.filter(user__organization=demo.organization, role=Role.AMBASSADOR).count() == 28
    sizes = dict(demo.organization.populations.annotate(size=Count("members")).values_list("slug", "size"))
    assert sizes.keys() == {
        "communication",
        "hr",
        "spokespeople",
        "experts",
        "young-talents",
        "high-potentials",
        "social-media-enthusiasts",
    }
    assert sizes["communication"] == 14
    assert sizes["hr"] == 18
    assert sizes["high-potentials"] == 12
    assert sizes["social-media-enthusiasts"] == round(0.08 * 320)
    assert all(size > 0 for size in sizes.values())


@pytest.mark.parametrize(("email", "role"), PERSONA_ROLES.items())
def test_persona_signs_in_with_the_demo_password_and_has_their_role(
    client: Client, demo: DemoOutcome, email: str, role: Role
) -> None:
    response = client.post("/accounts/login/", {"username": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    person = User.objects.get(email=email)
    assert person.organization.slug == LUMARELLE.slug
    assert person.role_set == frozenset({Role.EMPLOYEE, role})
    assert int(client.session["_auth_user_id"]) == person.pk


def test_generated_people_cannot_sign_in(client: Client, demo: DemoOutcome) -> None:
    someone = User.objects.filter(organization__slug=LUMARELLE.slug, manager__isnull=False).exclude(
        email__in=PERSONA_ROLES
    )[0]

    response = client.post("/accounts/login/", {"username": someone.email, "password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert not someone.has_usable_password()


def test_other_organisation_has_its_own_people_and_administrator(demo: DemoOutcome) -> None:
    nordlys = Organization.objects.get(slug=NORDLYS.slug)
    assert nordlys.people.count() == 20
    assert nordlys.people.exclude(email__endswith="@nordlys-analytics.example").count() == 0
    assert User.objects.filter(organization=nordlys, manager__organization__slug=LUMARELLE.slug).count() == 0
    admin = User.objects.get(email="admin@nordlys-analytics.example")
    assert admin.role_set == frozenset({Role.EMPLOYEE, Role.ADMINISTRATOR})


def test_demo_is_audited_with_an_intact_chain(demo: DemoOutcome) -> None:
    actions = list(AuditEntry.objects.filter(organization=demo.organization).values_list("action", flat=True))
    assert actions.count("person.created") == 7
    assert actions[-1] == "demo.loaded"
    for organization in Organization.objects.all():
        assert verify_chain(organization.pk) == []
