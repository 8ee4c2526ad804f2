import datetime

from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.ambassadors import selectors
from portevoix.ambassadors.models import ConsentRecord, DeclaredNetwork, Invitation, PopulationRule
from portevoix.demo.loaders import DemoOutcome

DEMO_DAY = datetime.date(2027, 3, 1)  # the day of the module's demo (conftest.py: demo)


def test_demo_topics_have_filled_and_missing_places_in_the_coverage_matrix(demo: DemoOutcome) -> None:
    matrix = selectors.coverage_matrix(organization=demo.organization)

    assert [row.topic.slug for row in matrix.rows] == ["innovation", "marque-employeur", "rse", "solaire-residentiel"]
    states = [cell.state for row in matrix.rows for cell in row.cells]
    assert states.count("filled") >= 6
    assert states.count("missing") >= 5
    assert all(row.ambassador_count >= 3 for row in matrix.rows)


def test_every_demo_ambassador_joined_by_saying_yes_and_declared_networks(demo: DemoOutcome) -> None:
    ambassadors = User.objects.filter(organization=demo.organization, roles__role=Role.AMBASSADOR)
    accepted = ConsentRecord.objects.filter(choice="accepted").values("person_id")
    assert ambassadors.count() == 28  # the 25 the company chose and 3 who accepted the last campaign
    assert not ambassadors.exclude(pk__in=accepted).exists()
    assert DeclaredNetwork.objects.filter(network="mastodon").exclude(instance="").exists()
    assert not DeclaredNetwork.objects.filter(network="mastodon", instance="").exists()


def test_the_last_campaign_has_accepted_declined_and_pending_answers_and_the_employee_is_invited(
    demo: DemoOutcome,
) -> None:
    last = Invitation.objects.filter(
        campaign__topic__slug="marque-employeur", campaign__created_at__date__gt=DEMO_DAY - datetime.timedelta(days=30)
    )
    assert sorted(last.values_list("status", flat=True)) == ["accepted"] * 3 + ["declined"] * 2 + ["pending"] * 3
    employee = Invitation.objects.get(person__email="employe@lumarelle.example")
    assert (employee.status, employee.campaign.topic.slug) == ("pending", "solaire-residentiel")  # type: ignore[union-attr]
    assert PopulationRule.objects.count() == 2
