"""Populations by rules over the directory, with a preview, re-run after each import; and by hand."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Personas
from portevoix.accounts.models import Department, Population, User
from portevoix.accounts.services import set_interface_language
from portevoix.ambassadors import population_rules
from portevoix.ambassadors.models import PopulationExclusion, PopulationRule, RuleMembership
from portevoix.ambassadors.population_rules import RuleConditions
from portevoix.ambassadors.services import ProgrammeRefused
from portevoix.ambassadors.tests.factories import declare, make_person
from portevoix.audit.models import AuditEntry
from portevoix.people import services as people_services
from portevoix.people.tests.factories import csv_file

HEADER = ["email", "full_name", "department", "job_title", "hire_date"]


def population(personas: Personas, slug: str) -> Population:
    return Population.objects.get(organization=personas.acme, slug=slug)


def members(population: Population) -> set[str]:
    return set(population.members.values_list("email", flat=True))


def engineering(personas: Personas) -> Department:
    return Department.objects.get(organization=personas.acme, name="Engineering")


def test_the_preview_shows_who_a_rule_would_match_before_it_is_saved(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    experts = population(personas, "experts")
    client.force_login(personas.director)

    response = client.get(
        f"/ambassadors/populations/{experts.pk}/preview/",
        {"departments": [engineering(personas).pk]},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="rule-preview" aria-live="polite">')
    assert "2 people match this rule</strong>" in content
    assert "2 of whom are not yet members." in content
    assert "Alice Ambassador" in content
    assert "Bob Employee" in content
    assert not PopulationRule.objects.exists()
    assert members(experts) == set()


def test_a_rule_puts_the_people_it_matches_in_the_population_and_is_audited(client: Client, personas: Personas) -> None:
    young = population(personas, "young-talents")
    client.force_login(personas.director)

    response = client.post(
        f"/ambassadors/populations/{young.pk}/rules/",
        {"departments": [engineering(personas).pk], "hired_within_months": "36"},
    )

    assert response["Location"] == f"/ambassadors/populations/{young.pk}/"
    # Alice was hired on 2024-09-01; Bob has no hire date, so he cannot have been hired recently.
    assert members(young) == {"alice@acme.test"}
    assert list(RuleMembership.objects.values_list("person__email", flat=True)) == ["alice@acme.test"]
    assert AuditEntry.objects.get(action="population.rules_applied").data == {"added": 1, "removed": 0}


def test_a_rule_without_any_condition_is_refused(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    experts = population(personas, "experts")
    client.force_login(personas.director)

    response = client.post(f"/ambassadors/populations/{experts.pk}/rules/", {})

    assert response.status_code == 400
    assert "Set at least one condition: a rule without any would take in everyone." in response.content.decode()
    assert not PopulationRule.objects.exists()


def test_contradictory_hire_dates_are_refused(personas: Personas) -> None:
    conditions = RuleConditions(hired_within_months=12, hired_over_months=24)

    with pytest.raises(ProgrammeRefused, match="nobody can match both"):
        population_rules.add_rule(
            population=population(personas, "experts"), conditions=conditions, actor=personas.director
        )


def test_rules_run_again_after_an_import_and_take_back_only_what_they_gave(
    personas: Personas,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    experts = population(personas, "experts")
    population_rules.add_rule(
        population=experts, conditions=RuleConditions(job_title_words=("engineer",)), actor=personas.director
    )
    experts.members.add(personas.hr)  # put in by hand: the rules never take her out
    content = csv_file([
        HEADER,
        ["zoe@acme.test", "Zoé Zola", "Engineering", "Senior Engineer", "2020-01-01"],
        ["bob@acme.test", "Bob Employee", "Engineering", "Hydrogen engineer", ""],
    ])  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        people_services.import_people_file(
            organization=personas.acme, file_name="p.csv", content=content, dry_run=False
        )
    run_jobs()

    assert members(experts) == {"zoe@acme.test", "bob@acme.test", "helene@acme.test"}

    later = csv_file([HEADER, ["bob@acme.test", "Bob Employee", "Engineering", "Manager", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        people_services.import_people_file(organization=personas.acme, file_name="p.csv", content=later, dry_run=False)
    run_jobs()

    assert members(experts) == {"zoe@acme.test", "helene@acme.test"}


def test_a_dry_run_import_does_not_run_the_rules(
    personas: Personas, run_jobs: Callable[[], int], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    experts = population(personas, "experts")
    population_rules.add_rule(
        population=experts, conditions=RuleConditions(job_title_words=("engineer",)), actor=personas.director
    )
    content = csv_file([HEADER, ["zoe@acme.test", "Zoé Zola", "Engineering", "Engineer", ""]])

    with django_capture_on_commit_callbacks(execute=True):
        people_services.import_people_file(organization=personas.acme, file_name="p.csv", content=content, dry_run=True)

    assert run_jobs() == 0
    assert members(experts) == set()


def test_someone_taken_out_by_hand_is_not_put_back_by_the_rules(client: Client, personas: Personas) -> None:
    experts = population(personas, "experts")
    population_rules.add_rule(
        population=experts, conditions=RuleConditions(department_ids=frozenset({engineering(personas).pk})),
        actor=personas.director,
    )  # fmt: skip
    client.force_login(personas.director)

    client.post(f"/ambassadors/populations/{experts.pk}/members/{personas.employee.pk}/remove/")
    population_rules.apply_rules(population=experts, actor=None)

    assert members(experts) == {"alice@acme.test"}
    assert PopulationExclusion.objects.filter(population=experts, person=personas.employee).exists()

    client.post(f"/ambassadors/populations/{experts.pk}/members/", {"email": "BOB@acme.test"})

    assert members(experts) == {"alice@acme.test", "bob@acme.test"}
    assert not PopulationExclusion.objects.exists()


def test_adding_someone_unknown_by_hand_says_so(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    experts = population(personas, "experts")
    client.force_login(personas.director)

    response = client.post(
        f"/ambassadors/populations/{experts.pk}/members/", {"email": "mallory@globex.test"}, follow=True
    )

    assert "Nobody in your organisation has the e-mail address “mallory@globex.test”." in response.content.decode()
    assert members(experts) == set()


def test_deleting_a_rule_takes_out_the_people_only_it_had_put_in(personas: Personas) -> None:
    experts = population(personas, "experts")
    rule = population_rules.add_rule(
        population=experts, conditions=RuleConditions(languages=("en",)), actor=personas.director
    )
    assert members(experts) == {"alice@acme.test"}

    population_rules.delete_rule(rule=rule, actor=personas.director)

    assert members(experts) == set()


def test_hire_date_rules_count_whole_months(personas: Personas) -> None:
    today = timezone.localdate()
    recent = make_person(personas.acme, "New Hire", "new@acme.test", hire_date=population_rules.months_before(today, 5))
    make_person(personas.acme, "Old Hand", "old@acme.test", hire_date=today - datetime.timedelta(days=4000))

    matched = population_rules.people_matching(
        organization=personas.acme, conditions=[RuleConditions(hired_within_months=6)]
    )

    assert list(matched.filter(email__in=["new@acme.test", "old@acme.test"])) == [recent]


def test_interest_declared_in_the_profile_can_be_a_condition(personas: Personas) -> None:
    declare(personas.employee, is_interested=True)
    declare(personas.hr, is_interested=False)

    matched = population_rules.people_matching(
        organization=personas.acme, conditions=[RuleConditions(requires_interest=True)]
    )

    assert list(matched) == [personas.employee]


@pytest.mark.parametrize("visitor", ["community_manager", "hr", "employee"])
def test_only_the_director_changes_populations(client: Client, personas: Personas, visitor: str) -> None:
    experts = population(personas, "experts")
    client.force_login(getattr(personas, visitor))

    responses = [
        client.post(f"/ambassadors/populations/{experts.pk}/rules/", {"languages": ["en"]}),
        client.post(f"/ambassadors/populations/{experts.pk}/members/", {"email": "bob@acme.test"}),
        client.get(f"/ambassadors/populations/{experts.pk}/preview/", {"languages": ["en"]}),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    assert not PopulationRule.objects.exists()
    assert members(experts) == set()


def test_populations_of_another_organisation_are_a_404(client: Client, personas: Personas) -> None:
    other = Population.objects.get(organization=personas.globex, slug="experts")
    client.force_login(personas.director)

    assert client.get(f"/ambassadors/populations/{other.pk}/").status_code == 404
    assert client.post(f"/ambassadors/populations/{other.pk}/rules/", {"languages": ["en"]}).status_code == 404
    assert not User.objects.filter(populations=other).exists()


def test_every_organisation_has_the_seven_populations(personas: Personas) -> None:
    for organization in (personas.acme, personas.globex):
        assert set(Population.objects.filter(organization=organization).values_list("slug", flat=True)) == {
            "communication", "hr", "spokespeople", "experts", "young-talents", "high-potentials",
            "social-media-enthusiasts",
        }  # fmt: skip


def test_the_director_adds_a_population_of_the_organisations_own(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    response = client.post("/ambassadors/populations/new/", {"name": "Field engineers", "slug": "field-engineers"})

    created = Population.objects.get(organization=personas.acme, slug="field-engineers")
    assert response["Location"] == f"/ambassadors/populations/{created.pk}/"
    assert created.name == "Field engineers"
    assert AuditEntry.objects.filter(action="population.created", target_id=str(created.pk)).count() == 1


def test_a_population_key_already_taken_is_refused_on_its_field(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    response = client.post("/ambassadors/populations/new/", {"name": "Experts again", "slug": "experts"})

    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == ["Another population already has the key “experts”."]
    assert Population.objects.filter(organization=personas.acme).count() == 7


@pytest.mark.parametrize("visitor", ["community_manager", "hr", "employee", "outsider"])
def test_only_the_director_adds_populations(client: Client, personas: Personas, visitor: str) -> None:
    client.force_login(getattr(personas, visitor))

    response = client.post("/ambassadors/populations/new/", {"name": "X", "slug": "x"})

    assert response.status_code == 403
    assert not Population.objects.filter(slug="x").exists()
