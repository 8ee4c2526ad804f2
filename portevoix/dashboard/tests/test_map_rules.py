"""Layer 1 of the map: the guidelines and policy in force, checks, requests and incidents, with links by permission."""

from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.services import create_person
from portevoix.asks import services as asks
from portevoix.asks.tests.factories import open_ask
from portevoix.dashboard import selectors
from portevoix.dashboard.selectors import RulesFigures
from portevoix.guidelines import services as guidelines
from portevoix.guidelines.tests.factories import FIRST, published
from portevoix.incidents import services as incidents
from portevoix.incidents.models import Severity, Status
from portevoix.incidents.tests.factories import make_incident, yesterday
from portevoix.policies import services as policies
from portevoix.policies.tests.check_policy import GLOBEX_POLICY, publish_policy

NOTHING_YET = RulesFigures(
    guidelines_version=None,
    guidelines_audience=0,
    guidelines_acknowledged=0,
    guidelines_percent=0,
    policy_version=None,
    drafts_checked=0,
    findings=0,
    open_asks=0,
    open_incidents=0,
    severe_open_incidents=0,
)


def _acme_layer_one(personas: Personas) -> None:
    """Guidelines acknowledged by 2 of 7, a policy, 3 drafts with 3 findings, 1 open request, 2 open incidents."""
    version = published(personas.director, *FIRST)
    guidelines.acknowledge(version=version, person=personas.employee)
    guidelines.acknowledge(version=version, person=personas.director)
    publish_policy(personas.acme, personas.compliance)
    policies.check_text(user=personas.employee, text="Bonne semaine à tous !", channel="web")
    policies.check_text(user=personas.employee, text="Le Projet Heron avance.", channel="web")
    policies.check_text(user=personas.employee, text="Projet Heron : appelez le 06 12 34 56 78.", channel="web")
    open_ask(personas.employee)
    asks.close_ask(ask=open_ask(personas.ambassador), actor=personas.community_manager)
    make_incident(personas.acme, personas.director, severity=Severity.CRITICAL)
    make_incident(personas.acme, personas.director, severity=Severity.LOW)
    closed = make_incident(personas.acme, personas.director, severity=Severity.HIGH)
    incidents.change_status(
        incident=closed, actor=personas.director, status=Status.CLOSED, lessons_learned="Brief.", closed_on=yesterday()
    )


def _globex_layer_one(personas: Personas) -> None:
    published(personas.outsider, *FIRST)
    publish_policy(personas.globex, None, GLOBEX_POLICY)
    policies.check_text(user=personas.outsider, text="Zephyr chez Globex", channel="api")
    open_ask(personas.outsider)
    make_incident(personas.globex, personas.outsider, severity=Severity.CRITICAL)


def test_an_organisation_without_rules_yet_gets_calm_empty_states(client: Client, personas: Personas) -> None:
    client.force_login(personas.hr)  # Hélène reads English
    response = client.get("/map/")
    assert response.context["layers"].rules == NOTHING_YET
    for sentence in (
        "No guidelines published yet.",
        "No policy published yet.",
        "No draft checked in the last 7 days.",
        "No request waiting for the communication team.",
        "No open incident.",
    ):
        assert sentence in response.content.decode()


def test_acme_map_counts_acme_layer_one_and_never_globex(personas: Personas) -> None:
    _globex_layer_one(personas)
    _acme_layer_one(personas)
    rules = selectors.compute_layer_map(organization=personas.acme).rules
    assert rules == RulesFigures(
        guidelines_version=1,
        guidelines_audience=7,
        guidelines_acknowledged=2,
        guidelines_percent=29,
        policy_version=1,
        drafts_checked=3,
        findings=3,
        open_asks=1,
        open_incidents=2,
        severe_open_incidents=1,
    )


def test_compliance_officer_follows_every_figure_but_the_requests(client: Client, personas: Personas) -> None:
    _acme_layer_one(personas)
    client.force_login(personas.compliance)
    response = client.get("/map/")
    assert response.context["links"] == {
        "completion": "/guidelines/v/1/completion/",
        "policy": "/policy/",
        "checks": "/check/statistics/?days=7",
        "incidents": "/incidents/",
    }
    page = response.content.decode()
    assert '<a href="/guidelines/v/1/completion/">29%</a>' in page
    assert '<a href="/policy/">1</a>' in page
    assert '<a href="/check/statistics/?days=7">3</a>' in page
    assert '<a href="/incidents/">2</a>' in page
    assert 'href="/asks/queue/"' not in page


def test_community_manager_sees_plain_numbers_except_the_requests_queue(client: Client, personas: Personas) -> None:
    _acme_layer_one(personas)
    client.force_login(personas.community_manager)
    response = client.get("/map/")
    assert response.context["links"] == {"asks": "/asks/queue/"}
    page = response.content.decode()
    assert '<a href="/asks/queue/">1</a>' in page
    assert 'href="/guidelines/v/1/completion/"' not in page
    assert 'href="/policy/"' not in page
    assert 'href="/check/statistics/' not in page
    assert 'href="/incidents/"' not in page


def test_director_may_not_follow_the_policy_figure(client: Client, personas: Personas) -> None:
    _acme_layer_one(personas)
    client.force_login(personas.director)
    links = client.get("/map/").context["links"]
    assert set(links) == {"completion", "checks", "asks", "incidents"}


def test_map_in_french_says_how_many_incidents_are_severe(client: Client, personas: Personas) -> None:
    _acme_layer_one(personas)
    client.force_login(personas.director)  # Claire reads French
    page = client.get("/map/").content.decode()
    assert "dont 1 de gravité élevée ou critique" in page
    assert "3 alertes de la politique" in page
    assert "2 personnes sur 7" in page


def test_map_costs_the_same_number_of_queries_whatever_the_amount_of_data(
    client: Client, personas: Personas, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _acme_layer_one(personas)
    client.force_login(personas.compliance)
    with django_assert_max_num_queries(MAP_QUERIES):
        assert client.get("/map/").status_code == 200
    for index in range(20):
        create_person(organization=personas.acme, email=f"many{index}@acme.test", full_name=f"Many {index}")
        open_ask(personas.employee, f"Question {index}")
        make_incident(personas.acme, personas.director, severity=Severity.HIGH)
        policies.check_text(user=personas.employee, text=f"Projet Heron {index} : 06 12 34 56 78", channel="web")
    cache.clear()
    with django_assert_max_num_queries(MAP_QUERIES):
        response = client.get("/map/")
    assert response.context["layers"].rules.open_incidents == 22


def test_map_reuses_its_cached_layer_one_figures(
    client: Client, personas: Personas, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _acme_layer_one(personas)
    client.force_login(personas.compliance)
    client.get("/map/")
    make_incident(personas.acme, personas.director, severity=Severity.HIGH)
    with django_assert_max_num_queries(CACHED_MAP_QUERIES):
        response = client.get("/map/")
    assert response.context["layers"].rules.open_incidents == 2


# The session, the viewer and their roles, the layer counts, and layer 1's figures: guidelines
# (version, audience, audience count, acknowledgement count), policy, checks, requests, incidents;
# and the crisis banner, read once the cache is cleared.
MAP_QUERIES = 23
# The session, the viewer and their roles: once computed, the map reads every figure from the cache.
CACHED_MAP_QUERIES = 4
