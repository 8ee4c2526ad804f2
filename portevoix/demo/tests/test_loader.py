import datetime

import pytest
from django.apps import apps
from django.db.models import Count
from django.test import Client

from portevoix.accounts.models import Organization, User, UserRole
from portevoix.accounts.roles import Role
from portevoix.audit.models import AuditEntry
from portevoix.audit.services import verify_chain
from portevoix.demo import loaders
from portevoix.demo.companies import LUMARELLE, NORDLYS
from portevoix.demo.generator import plan_company
from portevoix.demo.loaders import DEMO_PASSWORD, DemoContext, load_demo

PERSONA_ROLES = {
    "direction.communication@lumarelle.example": Role.COMMUNICATION_DIRECTOR,
    "community@lumarelle.example": Role.COMMUNITY_MANAGER,
    "conformite@lumarelle.example": Role.COMPLIANCE_OFFICER,
    "rh@lumarelle.example": Role.HR,
    "ambassadrice@lumarelle.example": Role.AMBASSADOR,
    "employe@lumarelle.example": Role.EMPLOYEE,
    "admin@lumarelle.example": Role.ADMINISTRATOR,
}


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_loading_the_demo_twice_changes_no_row_of_any_model(db: None) -> None:
    first = load_demo()
    counts = _row_counts()

    second = load_demo()

    assert first.is_created
    assert not second.is_created
    assert _row_counts() == counts
    assert counts["accounts.User"] == 340


def test_demo_company_has_over_300_people_with_managers_populations_and_ambassadors(db: None) -> None:
    outcome = load_demo()

    people = User.objects.filter(organization=outcome.organization)
    assert people.count() == 320
    assert people.filter(manager__isnull=True).count() == 1  # the chief executive
    assert people.exclude(manager__organization=outcome.organization).filter(manager__isnull=False).count() == 0
    assert outcome.organization.departments.count() == 12
    assert outcome.organization.entities.count() == 4
    # 25 chosen by the company, and 3 who accepted the demo's last invitation campaign (steps/programme.py).
    assert UserRole.objects.filter(user__organization=outcome.organization, role=Role.AMBASSADOR).count() == 28
    sizes = dict(outcome.organization.populations.annotate(size=Count("members")).values_list("slug", "size"))
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


def test_demo_people_are_bilingual_and_spread_over_cities_and_fifteen_years(db: None) -> None:
    today = datetime.date(2026, 6, 1)
    outcome = load_demo(today=today)

    people = User.objects.filter(organization=outcome.organization)
    assert set(people.values_list("location", flat=True)) == {
        "Lyon",
        "Paris",
        "Nantes",
        "London",
        "Manchester",
        "Montréal",
        "Bruxelles",
    }
    assert set(people.values_list("language", flat=True)) == {"fr", "en"}
    titles = [t for d in LUMARELLE.departments for t in (d.head, d.lead, d.junior, *d.members)]
    english = {t.en for t in titles}
    french = {t.fr_male for t in titles} | {t.fr_female for t in titles}
    assert people.filter(location__in=["London", "Manchester"]).exclude(job_title__in=english).count() == 0
    assert people.filter(location__in=["Lyon", "Paris", "Nantes"]).exclude(job_title__in=french).count() == 0
    assert people.filter(hire_date__lt=today - datetime.timedelta(days=12 * 365)).exists()
    assert people.filter(hire_date__gt=today - datetime.timedelta(days=365)).count() >= 10
    for code in ("fr", "en", "de", "es", "it", "nl"):
        assert people.filter(languages__contains=code).exists(), code


@pytest.mark.parametrize(("email", "role"), PERSONA_ROLES.items())
def test_persona_signs_in_with_the_demo_password_and_has_their_role(
    client: Client, db: None, email: str, role: Role
) -> None:
    load_demo()

    response = client.post("/accounts/login/", {"username": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    person = User.objects.get(email=email)
    assert person.organization.slug == LUMARELLE.slug
    assert person.role_set == frozenset({Role.EMPLOYEE, role})
    assert int(client.session["_auth_user_id"]) == person.pk


def test_generated_people_cannot_sign_in(client: Client, db: None) -> None:
    load_demo()
    someone = User.objects.filter(organization__slug=LUMARELLE.slug, manager__isnull=False).exclude(
        email__in=PERSONA_ROLES
    )[0]

    response = client.post("/accounts/login/", {"username": someone.email, "password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert not someone.has_usable_password()


def test_other_organisation_has_its_own_people_and_administrator(db: None) -> None:
    load_demo()

    nordlys = Organization.objects.get(slug=NORDLYS.slug)
    assert nordlys.people.count() == 20
    assert nordlys.people.exclude(email__endswith="@nordlys-analytics.example").count() == 0
    assert User.objects.filter(organization=nordlys, manager__organization__slug=LUMARELLE.slug).count() == 0
    admin = User.objects.get(email="admin@nordlys-analytics.example")
    assert admin.role_set == frozenset({Role.EMPLOYEE, Role.ADMINISTRATOR})


def test_demo_is_audited_with_an_intact_chain(db: None) -> None:
    outcome = load_demo()

    actions = list(AuditEntry.objects.filter(organization=outcome.organization).values_list("action", flat=True))
    assert actions.count("person.created") == 7
    assert actions[-1] == "demo.loaded"
    for organization in Organization.objects.all():
        assert verify_chain(organization.pk) == []


def test_a_failing_step_leaves_nothing_behind(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_step(context: DemoContext) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(loaders, "DEMO_STEPS", [*loaders.DEMO_STEPS, broken_step])
    counts = _row_counts()

    with pytest.raises(RuntimeError, match="boom"):
        load_demo()

    assert _row_counts() == counts


def test_the_same_seed_and_day_plan_the_same_company() -> None:
    today = datetime.date(2026, 1, 15)

    assert plan_company(LUMARELLE, seed=7, today=today) == plan_company(LUMARELLE, seed=7, today=today)
    assert plan_company(LUMARELLE, seed=7, today=today) != plan_company(LUMARELLE, seed=8, today=today)
