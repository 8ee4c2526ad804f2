"""Topics with targets, the coverage matrix and the candidates with their explained score."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.models import Population
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_interface_language
from portevoix.ambassadors import candidates, invitations, selectors
from portevoix.ambassadors.models import Audience, Topic, TopicTarget
from portevoix.ambassadors.services import NetworkDeclaration
from portevoix.ambassadors.tests.factories import declare, invitation_of, invite, linkedin, make_person, make_topic
from portevoix.audit.models import AuditEntry
from portevoix.lib.networks import Network

TOPIC_FORM = {"name": "Employer brand", "slug": "employer-brand", "is_active": "on", "language_fr": "3",
              "language_en": "", "network_linkedin": "2", "network_x": "0"}  # fmt: skip


def test_director_defines_a_topic_with_targets_per_language_and_network(client: Client, personas: Personas) -> None:
    young = Population.objects.get(organization=personas.acme, slug="young-talents")
    client.force_login(personas.director)

    response = client.post("/ambassadors/topics/new/", {**TOPIC_FORM, "populations": [young.pk]})

    topic = Topic.objects.get(organization=personas.acme, slug="employer-brand")
    assert response["Location"] == f"/ambassadors/topics/{topic.pk}/"
    assert list(topic.targets.values_list("dimension", "value", "wanted")) == [
        ("language", "fr", 3),
        ("network", "linkedin", 2),
    ]
    assert list(topic.populations.all()) == [young]
    assert AuditEntry.objects.get(action="ambassador.topic_created").data == {
        "targets": {"language:fr": 3, "network:linkedin": 2}
    }


def test_a_key_already_taken_is_refused_with_a_clear_error(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    make_topic(personas.acme, personas.director, slug="employer-brand", name="Old")
    client.force_login(personas.director)

    response = client.post("/ambassadors/topics/new/", TOPIC_FORM)

    assert response.status_code == 400
    assert "Another topic already has the key “employer-brand”." in response.content.decode()
    assert Topic.objects.filter(organization=personas.acme).count() == 1


def test_a_negative_target_is_refused_on_its_field(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    response = client.post("/ambassadors/topics/new/", {**TOPIC_FORM, "language_fr": "-1"})

    assert response.status_code == 400
    assert response.context["form"].errors["language_fr"]
    assert not Topic.objects.exists()


def test_editing_a_topic_replaces_its_targets(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme, personas.director)
    client.force_login(personas.director)

    client.post(f"/ambassadors/topics/{topic.pk}/edit/", {**TOPIC_FORM, "slug": "innovation", "name": "Innovation"})

    assert list(topic.targets.values_list("value", "wanted")) == [("fr", 3), ("linkedin", 2)]


def test_the_coverage_matrix_counts_ambassadors_per_language_and_network_against_the_targets(
    personas: Personas,
) -> None:
    topic = make_topic(personas.acme, personas.director)
    declare(personas.employee, languages=["en"], networks=[linkedin()])
    invitations.accept_invitation(
        invitation=invitation_of(invite(topic, personas.director, [personas.employee]), personas.employee),
        person=personas.employee,
    )

    matrix = selectors.coverage_matrix(organization=personas.acme)

    assert [column.key for column in matrix.columns] == ["language:fr", "language:en", "network:linkedin"]
    row = matrix.rows[0]
    assert [(cell.filled, cell.wanted, cell.state) for cell in row.cells] == [
        (0, 1, "missing"),
        (1, 2, "missing"),
        (1, 2, "missing"),
    ]
    assert (row.ambassador_count, row.missing) == (1, 3)


def test_the_matrix_page_says_filled_and_missing_in_words_and_links_each_gap_to_its_candidates(
    client: Client, personas: Personas
) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    topic = make_topic(personas.acme, personas.director, targets={("language", "en"): 1, ("language", "fr"): 1})
    declare(personas.employee, languages=["en"])
    invitations.accept_invitation(
        invitation=invitation_of(invite(topic, personas.director, [personas.employee]), personas.employee),
        person=personas.employee,
    )
    client.force_login(personas.community_manager)

    content = client.get("/ambassadors/topics/").content.decode()

    assert '1 / 1</span> <span class="coverage-word">✓ filled</span>' in content
    assert f'href="/ambassadors/topics/{topic.pk}/?gap=language:fr#candidates">1 missing' in content
    assert "New topic" not in content, "only the director changes topics"


def test_candidates_come_with_the_parts_of_their_score(personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    topic = make_topic(personas.acme, personas.director, populations=["experts"])
    expert = make_person(personas.acme, "Eva Expert", "eva@acme.test", languages=["en"])
    Population.objects.get(organization=personas.acme, slug="experts").members.add(expert)
    declare(
        expert,
        expertise="Hydrogen, batteries",
        networks=[NetworkDeclaration(Network.LINKEDIN, "eva", audience=Audience.UNDER_10000)],
        is_interested=True,
    )

    found = candidates.candidates_for(topic=topic)

    assert [candidate.person for candidate in found] == [expert]
    parts = [(part.label, part.points, part.detail) for part in found[0].parts]
    assert parts == [
        ("Population", 30, "Experts"),
        ("Declared expertise", 25, "Hydrogen"),
        ("Languages", 15, "fills a gap: English"),
        ("Declared networks", 15, "fills a gap: LinkedIn"),
        ("Declared audience", 10, "2,000 to 10,000"),
        ("Interest", 15, "said they would like to join"),
    ]
    assert found[0].score == 110
    assert [column.key for column in found[0].fills] == ["language:en", "network:linkedin"]


def test_candidates_for_a_gap_are_only_those_who_fill_it_and_ambassadors_on_the_topic_are_left_out(
    personas: Personas,
) -> None:
    topic = make_topic(personas.acme, personas.director)
    declare(personas.employee, languages=["fr"])
    declare(personas.hr, languages=["en"])
    declare(personas.ambassador, languages=["en"], networks=[linkedin()])
    invitations.accept_invitation(
        invitation=invitation_of(invite(topic, personas.director, [personas.ambassador]), personas.ambassador),
        person=personas.ambassador,
    )

    french_gap = candidates.parse_gap("language:fr")
    everyone = {candidate.person for candidate in candidates.candidates_for(topic=topic)}
    for_french = [candidate.person for candidate in candidates.candidates_for(topic=topic, gap=french_gap)]

    assert everyone == {personas.employee, personas.hr}
    assert for_french == [personas.employee]


def test_someone_who_declined_recently_is_not_suggested_again(personas: Personas) -> None:
    topic = make_topic(personas.acme, personas.director)
    declare(personas.employee, languages=["fr"])
    invitation = invitation_of(invite(topic, personas.director, [personas.employee]), personas.employee)
    invitations.decline_invitation(invitation=invitation, person=personas.employee)

    assert candidates.candidates_for(topic=topic) == []


def test_the_topic_page_filters_candidates_by_gap_for_htmx(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme, personas.director)
    declare(personas.employee, languages=["fr"])
    declare(personas.hr, languages=["en"])
    client.force_login(personas.director)

    response = client.get(f"/ambassadors/topics/{topic.pk}/?gap=language:fr", headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.lstrip().startswith('<section class="card" id="candidates">')
    assert 'data-person="bob@acme.test"' in content
    assert 'data-person="helene@acme.test"' not in content


def test_an_administrator_of_another_organisation_is_refused(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme, personas.director)
    client.force_login(personas.outsider)

    assert client.get(f"/ambassadors/topics/{topic.pk}/").status_code == 403
    assert client.get(f"/ambassadors/topics/{topic.pk}/edit/").status_code == 403


def test_a_director_of_another_organisation_gets_a_404(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme, personas.director)
    other = create_person(
        organization=personas.globex,
        email="dir@globex.test",
        full_name="D",
        roles=frozenset({Role.COMMUNICATION_DIRECTOR}),
    )
    client.force_login(other)

    assert client.get(f"/ambassadors/topics/{topic.pk}/").status_code == 404
    response = client.post(f"/ambassadors/topics/{topic.pk}/edit/", {**TOPIC_FORM, "slug": "x"})
    assert response.status_code == 404
    assert Topic.objects.get(pk=topic.pk).slug == "innovation"


@pytest.mark.parametrize("visitor", ["employee", "ambassador", "compliance", "admin"])
@pytest.mark.parametrize("url", ["/ambassadors/topics/", "/ambassadors/campaigns/", "/ambassadors/people/",
                                 "/ambassadors/populations/"])  # fmt: skip
def test_programme_pages_are_refused_to_roles_without_the_permission(
    client: Client, personas: Personas, visitor: str, url: str
) -> None:
    client.force_login(getattr(personas, visitor))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("visitor", ["community_manager", "hr", "employee"])
def test_only_the_director_creates_topics_and_campaigns(client: Client, personas: Personas, visitor: str) -> None:
    topic = make_topic(personas.acme, personas.director)
    client.force_login(getattr(personas, visitor))

    created = client.post("/ambassadors/topics/new/", TOPIC_FORM)
    invited = client.post(
        "/ambassadors/campaigns/new/",
        {"topic": topic.pk, "send": "1", "name": "x", "message": "y", "people": [personas.employee.pk]},
    )

    assert (created.status_code, invited.status_code) == (403, 403)
    assert Topic.objects.count() == 1
    assert not TopicTarget.objects.filter(topic__slug="employer-brand").exists()


def test_a_campaign_of_another_organisation_is_a_404(client: Client, personas: Personas) -> None:
    campaign = invite(make_topic(personas.acme, personas.director), personas.director, [personas.employee])
    other = create_person(
        organization=personas.globex, email="cm@globex.test", full_name="C", roles=frozenset({Role.COMMUNITY_MANAGER})
    )
    client.force_login(other)

    assert client.get(f"/ambassadors/campaigns/{campaign.pk}/").status_code == 404


def test_the_topic_and_matrix_pages_cost_the_same_queries_however_many_candidates(
    client: Client, personas: Personas, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    topic = make_topic(personas.acme, personas.director, populations=["experts"])
    experts = Population.objects.get(organization=personas.acme, slug="experts")
    for number in range(30):
        person = make_person(personas.acme, f"Expert {number}", f"expert{number}@acme.test", languages=["en"])
        experts.members.add(person)
        declare(person, networks=[linkedin()])
    client.force_login(personas.director)

    with django_assert_max_num_queries(19):
        detail = client.get(f"/ambassadors/topics/{topic.pk}/")
    with django_assert_max_num_queries(8):
        matrix = client.get("/ambassadors/topics/")

    assert len(detail.context["candidates"]) == 30
    assert matrix.status_code == 200
