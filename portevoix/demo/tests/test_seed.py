import time

import pytest
from django.core.management import CommandError, call_command

from portevoix.accounts.models import Organization, User, UserRole
from portevoix.accounts.roles import Role
from portevoix.audit.models import AuditEntry


def test_seed_with_2000_people_creates_exactly_them_fast(db: None) -> None:
    started = time.monotonic()

    call_command("seed", "--people", "2000", stdout=None)

    elapsed = time.monotonic() - started
    large = Organization.objects.get(slug="large")
    people = User.objects.filter(organization=large)
    assert people.count() == 2000
    assert people.filter(manager__isnull=True).count() == 1
    assert people.filter(populations__isnull=False).distinct().count() > 500
    assert UserRole.objects.filter(user__organization=large, role=Role.AMBASSADOR).count() > 10
    assert AuditEntry.objects.filter(organization=large, action="demo.seeded").count() == 1
    # Generous for a loaded CI machine; 100,000 people take well under a minute.
    assert elapsed < 15


def test_every_manager_of_a_seeded_organisation_is_a_colleague(db: None) -> None:
    call_command("seed", "--people", "300", "--organization", "measure")

    people = User.objects.filter(organization__slug="measure")
    assert people.filter(manager__isnull=False).exclude(manager__organization__slug="measure").count() == 0
    assert people.filter(manager__isnull=False).count() == 299


def test_seeding_the_same_size_again_changes_nothing(db: None) -> None:
    call_command("seed", "--people", "500", "--organization", "measure", "--name", "Measure")
    entries = AuditEntry.objects.count()

    call_command("seed", "--people", "500", "--organization", "measure", "--name", "Measure")

    assert User.objects.filter(organization__slug="measure").count() == 500
    assert AuditEntry.objects.count() == entries


def test_seeding_another_size_for_an_existing_organisation_is_refused(db: None) -> None:
    call_command("seed", "--people", "500", "--organization", "measure")

    with pytest.raises(CommandError, match="already exists with 500 people, not 600"):
        call_command("seed", "--people", "600", "--organization", "measure")

    assert User.objects.filter(organization__slug="measure").count() == 500


def test_seed_without_options_loads_the_demo_company(db: None) -> None:
    call_command("seed")

    assert Organization.objects.get(slug="lumarelle").people.count() == 320


def test_seed_refuses_an_organisation_slug_without_a_size(db: None) -> None:
    with pytest.raises(CommandError, match="--people"):
        call_command("seed", "--organization", "measure")

    assert not Organization.objects.exists()
