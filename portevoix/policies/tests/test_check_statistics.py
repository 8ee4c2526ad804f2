"""/check/statistics/: drafts checked and flagged per rule and category; never a draft's text, except archives."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.models import Organization
from portevoix.accounts.services import set_interface_language
from portevoix.policies import services
from portevoix.policies.check_selectors import CategoryCount, RuleCount
from portevoix.policies.models import CheckCount
from portevoix.policies.tests.check_policy import GLOBEX_POLICY, publish_policy

SECRET_DRAFT = "Le Projet Heron sort en mai, appelez le 06 12 34 56 78"
WITH_STATISTICS = ["communication_director", "compliance_officer"]
WITHOUT_STATISTICS = ["employee", "ambassador", "community_manager", "hr", "administrator"]


def check(personas: Personas, text: str, key: str) -> None:
    services.check_text(user=personas.employee, text=text, channel="web", draft_key=key)


def count(
    organization: Organization, days_ago: int, rule_id: str, number: int, kind: str = "", category: str = ""
) -> None:
    CheckCount.objects.create(
        organization=organization,
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        rule_id=rule_id,
        kind=kind,
        category=category,
        count=number,
    )


@pytest.mark.parametrize("role", WITHOUT_STATISTICS)
def test_roles_without_the_permission_get_403_and_no_numbers(client: Client, personas: Personas, role: str) -> None:
    publish_policy(personas.acme, personas.compliance)
    check(personas, SECRET_DRAFT, "draft-0000001")
    client.force_login(personas.by_role()[role])

    response = client.get("/check/statistics/")

    assert response.status_code == 403
    assert b"confidential-projects" not in response.content
    assert b"Heron" not in response.content


@pytest.mark.parametrize("role", WITH_STATISTICS)
def test_drafts_and_flags_are_counted_without_any_draft_text(client: Client, personas: Personas, role: str) -> None:
    publish_policy(personas.acme, personas.compliance)
    check(personas, "Le Projet", "draft-0000001")
    check(personas, SECRET_DRAFT, "draft-0000001")  # the same draft, typed further
    check(personas, "Bonne journée", "draft-0000002")
    check(personas, "Heron, tu es un crétin", "draft-0000003")
    client.force_login(personas.by_role()[role])

    response = client.get("/check/statistics/")

    statistics = response.context["statistics"]
    assert (statistics.days, statistics.drafts_checked) == (30, 3)
    assert [(rule.rule_id, rule.kind, rule.category, rule.drafts, rule.percent) for rule in statistics.rules] == [
        ("confidential-projects", "terms", "legal_confidentiality", 2, 67),
        ("personal-data", "personal_data", "security", 1, 33),
        ("tone", "tone", "reputation", 1, 33),
    ]
    assert {category.category: category.flags for category in statistics.categories} == {
        "reputation": 1,
        "competition": 0,
        "legal_confidentiality": 2,
        "security": 1,
        "productivity": 0,
    }
    content = response.content.decode()
    assert "Heron" not in content
    assert "06 12 34 56 78" not in content
    assert 'id="archived-drafts"' not in content


def test_the_period_chooses_the_days_counted(client: Client, personas: Personas) -> None:
    count(personas.acme, 0, "", 4)
    count(personas.acme, 0, "tone", 1, "tone", "reputation")
    count(personas.acme, 10, "", 6)
    count(personas.acme, 10, "tone", 2, "tone", "reputation")
    count(personas.acme, 60, "", 10)
    count(personas.acme, 120, "", 100)
    count(personas.globex, 0, "", 1000)
    client.force_login(personas.director)

    drafts = {
        days: client.get(f"/check/statistics/?days={days}").context["statistics"].drafts_checked
        for days in ("7", "30", "90", "365", "nonsense")
    }

    assert drafts == {"7": 4, "30": 10, "90": 20, "365": 10, "nonsense": 10}
    rules = client.get("/check/statistics/?days=7").context["statistics"].rules
    assert rules == [RuleCount("tone", "tone", rules[0].kind_label, "reputation", rules[0].category_label, 1, 25)]
    assert str(rules[0].kind_label) == "Tone"


def test_categories_are_listed_even_without_flags(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    statistics = client.get("/check/statistics/").context["statistics"]

    assert statistics.drafts_checked == 0
    assert statistics.rules == []
    assert [(category.category, category.flags) for category in statistics.categories] == [
        ("reputation", 0),
        ("competition", 0),
        ("legal_confidentiality", 0),
        ("security", 0),
        ("productivity", 0),
    ]
    assert all(isinstance(category, CategoryCount) for category in statistics.categories)


def test_archived_drafts_are_listed_for_the_compliance_officer_only_when_archiving_is_on(
    client: Client, personas: Personas
) -> None:
    publish_policy(personas.acme, personas.compliance)
    publish_policy(personas.globex, personas.outsider, GLOBEX_POLICY)
    check(personas, "Avant l'archivage: Heron", "draft-0000001")
    client.force_login(personas.compliance)
    assert 'id="archived-drafts"' not in client.get("/check/statistics/").content.decode()

    services.set_archiving(organization=personas.acme, actor=personas.compliance, archive_drafts=True)
    services.set_archiving(organization=personas.globex, actor=personas.outsider, archive_drafts=True)
    check(personas, SECRET_DRAFT, "draft-0000002")
    services.check_text(user=personas.outsider, text="Zephyr chez Globex", channel="api")

    officer = client.get("/check/statistics/").content.decode()
    client.force_login(personas.director)
    director = client.get("/check/statistics/").content.decode()

    assert 'id="archived-drafts"' in officer
    assert SECRET_DRAFT in officer
    assert "Bob Employee" in officer
    assert "Avant l'archivage" not in officer
    assert "Zephyr" not in officer
    assert 'id="archived-drafts"' not in director
    assert "Heron" not in director


def test_the_page_costs_the_same_queries_however_many_rules_and_drafts(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    publish_policy(personas.acme, personas.compliance)
    services.set_archiving(organization=personas.acme, actor=personas.compliance, archive_drafts=True)
    for day in range(20):
        count(personas.acme, day, "", 5)
        count(personas.acme, day, f"rule-{day}", 1, "terms", "competition")
    for number in range(30):
        check(personas, f"Brouillon {number} sur Heron", f"draft-{number:08}")
    client.force_login(personas.compliance)

    # Session, person, roles, organisation, settings, statistics, archive count and page, crisis banner.
    with django_assert_num_queries(9):
        response = client.get("/check/statistics/")

    assert len(response.context["statistics"].rules) == 21
    assert len(response.context["archived"]) == 25


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        ("en", ["Drafts flagged, per rule", "Flags per risk category", "Archived drafts"]),
        ("fr", ["Brouillons signalés, par règle", "Signalements par catégorie de risque", "Brouillons archivés"]),
    ],
)
def test_each_section_is_titled_once_and_its_table_named_by_that_title(
    client: Client, personas: Personas, language: str, headings: list[str]
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    services.set_archiving(organization=personas.acme, actor=personas.compliance, archive_drafts=True)
    client.force_login(personas.compliance)

    content = client.get("/check/statistics/").content.decode()

    assert [content.count(heading) for heading in headings] == [1, 1, 1]
    for table in ("rule-counts", "category-counts", "archived-drafts"):
        assert f'<table id="{table}" aria-labelledby="{table}-heading">' in content
        assert f'<h2 id="{table}-heading">' in content
